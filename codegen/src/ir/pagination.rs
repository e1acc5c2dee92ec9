//! `x-pagination` (and Oxide's `x-dropshot-pagination`): which operations list items page by
//! page, and how a client moves from one page to the next. An IR → IR pass run once the types
//! are final, since it names fields of the response and request types.
//!
//! ```yaml
//! x-pagination:
//!   items: results          # the success body's array of items
//!   page: page              # page numbers: this query parameter, first page `start` (1)
//!   # offset: offset        # offsets: advanced by the items read
//!   # cursor: starting_after, cursor-field: id   # the last item's `id` is the next cursor
//!   # token: page_token, next-token: next_page   # the body's `next_page` is the next token
//!   total: total_entries    # optional: the listing ends once this many items are read
//!   has-more: has_more      # optional: `false` ends the listing
//! ```

use serde_json::{Map, Value};

use super::{
    Api, Field, Operation, PageAdvance, Pagination, ParameterLocation, StatusKey, TypeExpr,
    TypeKind,
};

/// Resolves each operation's pagination; `raw_of(operation)` gives the operation object as
/// written. Returns warnings as (JSON pointer, message).
pub fn resolve(
    api: &mut Api,
    raw_of: impl Fn(&Operation) -> Option<Value>,
) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    for index in 0..api.operations.len() {
        let op = &api.operations[index];
        let Some(raw) = raw_of(op) else { continue };
        let (declared, at) = match (raw.get("x-pagination"), raw.get("x-dropshot-pagination")) {
            (Some(Value::Bool(false)), _) => continue,
            (Some(Value::Object(map)), _) => (map.clone(), format!("{}/x-pagination", op.source)),
            (Some(other), _) => {
                warnings.push((
                    format!("{}/x-pagination", op.source),
                    format!("`x-pagination` must be an object, not {other}; it is ignored"),
                ));
                continue;
            }
            (None, Some(Value::Bool(false))) => continue,
            (None, Some(_)) => (dropshot(), format!("{}/x-dropshot-pagination", op.source)),
            (None, None) => continue,
        };
        match pagination(api, op, &declared) {
            Ok(mut pagination) => {
                pagination.stream_method = stream_method_name(api, &op.rust_name);
                api.operations[index].pagination = Some(pagination);
            }
            Err(message) => warnings.push((
                at,
                format!("{message}; `{}` gets no `_stream` method", op.rust_name),
            )),
        }
    }
    warnings
}

/// `<operation>_stream`, unless an operation or an earlier stream has that name.
fn stream_method_name(api: &Api, operation: &str) -> String {
    let taken = |name: &str| {
        api.operations.iter().any(|op| {
            op.rust_name == name
                || op
                    .pagination
                    .as_ref()
                    .is_some_and(|p| p.stream_method == name)
        })
    };
    let mut name = format!("{operation}_stream");
    while taken(&name) {
        name = format!("{}_items_stream", name.trim_end_matches("_stream"));
    }
    name
}

/// Dropshot's convention: `page_token` in, `items` and `next_page` out.
fn dropshot() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("items".into(), "items".into());
    map.insert("token".into(), "page_token".into());
    map.insert("next-token".into(), "next_page".into());
    map
}

fn text<'m>(map: &'m Map<String, Value>, key: &str) -> Result<Option<&'m str>, String> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(format!("`{key}` must be a name, not {other}")),
    }
}

fn pagination(
    api: &Api,
    op: &Operation,
    declared: &Map<String, Value>,
) -> Result<Pagination, String> {
    let success = op
        .responses
        .iter()
        .find(|r| matches!(r.status, StatusKey::Code(200..=299)))
        .ok_or("the operation documents no 2xx response")?;
    let [body] = success.content.as_slice() else {
        return Err("the 2xx response must have exactly one body".into());
    };
    let page_fields = struct_fields(api, &body.ty).ok_or("the 2xx body is not an object type")?;
    let items_name = text(declared, "items")?.ok_or("`items` names no field")?;
    let items = field(page_fields, items_name)?;
    let item_type = match unwrap_nullable(&items.ty) {
        TypeExpr::List(item) => (**item).clone(),
        // A payload the document leaves untyped: its items are JSON values.
        TypeExpr::Any => TypeExpr::Any,
        _ => return Err(format!("`{items_name}` is not an array")),
    };
    // A query parameter, or else a member of the JSON request body (searches that page by
    // `offset` in a POST body): the path of Rust fields from the request struct.
    let param =
        |name: &str, want: fn(&TypeExpr) -> bool, what: &str| -> Result<Vec<String>, String> {
            if let Some(param) = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::Query && p.name == name)
            {
                return if want(unwrap_nullable(&param.ty)) {
                    Ok(vec![param.rust_name.clone()])
                } else {
                    Err(format!("the parameter `{name}` is not {what}"))
                };
            }
            let body_field = op
                .request_body
                .as_ref()
                .filter(|body| body.required && body.content.len() == 1)
                .and_then(|body| struct_fields(api, &body.content[0].ty))
                .and_then(|fields| fields.iter().find(|f| f.json_name == name));
            match body_field {
                Some(field) if want(unwrap_nullable(&field.ty)) => {
                    Ok(vec!["body".to_string(), field.rust_name.clone()])
                }
                Some(_) => Err(format!("the body member `{name}` is not {what}")),
                None => Err(format!(
                    "no query parameter or required body member `{name}`"
                )),
            }
        };
    let styles = ["page", "offset", "cursor", "token"]
        .into_iter()
        .filter(|key| declared.contains_key(*key))
        .collect::<Vec<_>>();
    let get = |key: &str| text(declared, key);
    let advance = match styles.as_slice() {
        ["page"] => {
            let name = get("page")?.unwrap_or_default();
            let start = declared.get("start").and_then(Value::as_i64).unwrap_or(1);
            PageAdvance::Page {
                param: param(name, is_number, "a number")?,
                start,
            }
        }
        ["offset"] => PageAdvance::Offset {
            param: param(get("offset")?.unwrap_or_default(), is_number, "a number")?,
        },
        ["cursor"] => {
            let cursor_field = get("cursor-field")?.unwrap_or("id");
            let item_fields = struct_fields(api, &item_type).ok_or("the items are not objects")?;
            let item_field = field(item_fields, cursor_field)?;
            if !is_text(unwrap_nullable(&item_field.ty)) {
                return Err(format!("the items' `{cursor_field}` is not a string"));
            }
            PageAdvance::Cursor {
                param: param(get("cursor")?.unwrap_or_default(), is_text, "a string")?,
                item_field: item_field.rust_name.clone(),
            }
        }
        ["token"] => {
            let next = get("next-token")?.ok_or("`next-token` names no field")?;
            let next_field = field(page_fields, next)?;
            if !is_text(unwrap_nullable(&next_field.ty)) {
                return Err(format!("`{next}` is not a string"));
            }
            PageAdvance::Token {
                param: param(get("token")?.unwrap_or_default(), is_text, "a string")?,
                field: next_field.rust_name.clone(),
            }
        }
        _ => return Err("exactly one of `page`, `offset`, `cursor`, `token` must be given".into()),
    };
    let optional_field =
        |key: &str, want: fn(&TypeExpr) -> bool, what: &str| -> Result<Option<String>, String> {
            match text(declared, key)? {
                None => Ok(None),
                Some(name) => {
                    let found = field(page_fields, name)?;
                    if want(unwrap_nullable(&found.ty)) {
                        Ok(Some(found.rust_name.clone()))
                    } else {
                        Err(format!("`{name}` is not {what}"))
                    }
                }
            }
        };
    Ok(Pagination {
        stream_method: String::new(),
        response: success.rust_name.clone(),
        response_has_headers: !success.headers.is_empty(),
        items: items.rust_name.clone(),
        item_type,
        advance,
        total: optional_field("total", is_number, "a number")?,
        has_more: optional_field("has-more", |ty| *ty == TypeExpr::Boolean, "a boolean")?,
    })
}

fn unwrap_nullable(ty: &TypeExpr) -> &TypeExpr {
    match ty {
        TypeExpr::Nullable(inner) => unwrap_nullable(inner),
        other => other,
    }
}

fn is_number(ty: &TypeExpr) -> bool {
    matches!(ty, TypeExpr::Integer(_) | TypeExpr::Number(_))
}

fn is_text(ty: &TypeExpr) -> bool {
    *ty == TypeExpr::String
}

/// The fields of the struct `ty` names (through aliases).
fn struct_fields<'a>(api: &'a Api, ty: &TypeExpr) -> Option<&'a [Field]> {
    let TypeExpr::Named(name) = unwrap_nullable(ty) else {
        return None;
    };
    let def = api.types.iter().find(|t| &t.name == name)?;
    match &def.kind {
        TypeKind::Struct(st) => Some(&st.fields),
        TypeKind::Alias(inner) => struct_fields(api, inner),
        _ => None,
    }
}

fn field<'a>(fields: &'a [Field], json_name: &str) -> Result<&'a Field, String> {
    fields
        .iter()
        .find(|f| f.json_name == json_name)
        .ok_or_else(|| format!("the page has no field `{json_name}`"))
}

#[cfg(test)]
mod tests {
    use crate::ir::PageAdvance;

    fn build(pagination: &str) -> (crate::ir::Api, Vec<String>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: list_things\n      x-pagination: {pagination}\n      parameters:\n        - {{name: page, in: query, schema: {{type: integer}}}}\n        - {{name: after, in: query, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Things'}}}}}}}}\ncomponents:\n  schemas:\n    Things:\n      type: object\n      properties:\n        results: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}\n        total: {{type: integer}}\n        name: {{type: string}}\n    Thing:\n      type: object\n      properties:\n        id: {{type: integer}}\n        key: {{type: string}}\n"
        );
        crate::ir::build_for_test(&text)
    }

    #[test]
    fn a_declared_listing_names_its_fields_in_rust() {
        let (api, warnings) = build("{items: results, page: page, total: total}");
        assert!(warnings.is_empty(), "{warnings:?}");
        let pagination = api.operations[0].pagination.as_ref().unwrap();
        assert_eq!(pagination.stream_method, "list_things_stream");
        assert_eq!(
            pagination.advance,
            PageAdvance::Page {
                param: vec!["page".into()],
                start: 1
            }
        );
        assert_eq!(pagination.total.as_deref(), Some("total"));
        let (api, _) = build("{items: results, cursor: after, cursor-field: key}");
        assert!(matches!(
            api.operations[0].pagination.as_ref().unwrap().advance,
            PageAdvance::Cursor { .. }
        ));
    }

    #[test]
    fn false_turns_either_marker_off() {
        let (api, warnings) = build("false");
        assert!(warnings.is_empty() && api.operations[0].pagination.is_none());
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: list_things\n      x-dropshot-pagination: false\n      responses:\n        '200': {description: ok}\n";
        let (api, warnings) = crate::ir::build_for_test(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(api.operations[0].pagination.is_none());
    }

    #[test]
    fn listings_that_do_not_fit_warn_and_get_no_stream() {
        for (declared, reason) in [
            (
                "{items: missing, page: page}",
                "the page has no field `missing`",
            ),
            ("{items: name, page: page}", "`name` is not an array"),
            (
                "{items: results, page: after}",
                "the parameter `after` is not a number",
            ),
            (
                "{items: results, cursor: after}",
                "the items' `id` is not a string",
            ),
            ("{items: results}", "exactly one of"),
            (
                "{items: results, page: page, offset: page}",
                "exactly one of",
            ),
            (
                "{items: results, page: nope}",
                "no query parameter or required body member `nope`",
            ),
        ] {
            let (api, warnings) = build(declared);
            assert!(api.operations[0].pagination.is_none(), "{declared}");
            assert_eq!(warnings.len(), 1, "{declared}: {warnings:?}");
            assert!(
                warnings[0].starts_with("/paths/~1things/get/x-pagination ")
                    && warnings[0].contains(reason)
                    && warnings[0].ends_with("`list_things` gets no `_stream` method"),
                "{declared}: {}",
                warnings[0]
            );
        }
    }
}
