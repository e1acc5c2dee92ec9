//! Rewrites of the raw document before `openapiv3` reads it: omissions that real specs make
//! (accepted with a warning), and OpenAPI 3.1's JSON Schema spellings lowered to their 3.0
//! equivalents, so that one IR serves both versions.

use serde_json::{Map, Value, json};

use crate::diagnostic::escape_segment;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What a rewrite did, to be reported as a warning at `pointer`.
pub struct Rewrite {
    /// Where in the document.
    pub pointer: String,
    /// What was missing or changed.
    pub message: String,
}

/// Fills in omissions every version requires (`info`, its `title`/`version`, `paths`, an
/// operation's `responses`, a response's `description`); `lenient_paths` says whether a missing
/// `paths` is legal (3.1) and so needs no warning.
pub fn fill_omissions(raw: &mut Value, lenient_paths: bool) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    let Some(root) = raw.as_object_mut() else {
        return rewrites;
    };
    let info_missing = !root.contains_key("info");
    if info_missing {
        rewrites.push(Rewrite {
            pointer: String::new(),
            message: "`info` is missing; using title \"API\" and version 0.0.0".into(),
        });
    }
    if let Value::Object(info) = root.entry("info").or_insert_with(|| json!({})) {
        for (field, fallback) in [("title", "API"), ("version", "0.0.0")] {
            if !info.contains_key(field) {
                if !info_missing {
                    rewrites.push(Rewrite {
                        pointer: "/info".into(),
                        message: format!("`info.{field}` is missing; using \"{fallback}\""),
                    });
                }
                info.insert(field.into(), json!(fallback));
            }
        }
    }
    if !root.contains_key("paths") {
        if !lenient_paths {
            rewrites.push(Rewrite {
                pointer: String::new(),
                message: "`paths` is missing; the document has no operations".into(),
            });
        }
        root.insert("paths".into(), json!({}));
    }
    inline_local_path_items(root);
    unexplode_path_templates(root, &mut rewrites);
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in METHODS {
                let Some(Value::Object(operation)) = item.get_mut(method) else {
                    continue;
                };
                let pointer = format!("/paths/{}/{method}", escape_segment(path));
                if !operation.contains_key("responses") {
                    rewrites.push(Rewrite {
                        pointer: pointer.clone(),
                        message: "the operation has no `responses`".into(),
                    });
                    operation.insert("responses".into(), json!({}));
                }
                if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                    describe_responses(responses, &format!("{pointer}/responses"), &mut rewrites);
                }
            }
        }
    }
    if let Some(Value::Object(responses)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"))
    {
        describe_responses(responses, "/components/responses", &mut rewrites);
    }
    rewrites
}

/// A path item that is a local `$ref` (`$ref: '#/paths/~1other'`, or 3.1's
/// `#/components/pathItems/X`) becomes a copy of its target; external ones are left for the
/// reference check to refuse.
fn inline_local_path_items(root: &mut Map<String, Value>) {
    let document = Value::Object(root.clone());
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(target) = item
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| document.pointer(pointer))
            .filter(|target| target.get("$ref").is_none())
        else {
            continue;
        };
        // The alias is a second route to the same operations; each needs its own operationId,
        // so the copy's are left to be synthesized from method and path.
        let mut copy = target.clone();
        if let Value::Object(methods) = &mut copy {
            for method in METHODS {
                if let Some(Value::Object(operation)) = methods.get_mut(method) {
                    operation.remove("operationId");
                }
            }
        }
        *item = copy;
    }
}

/// `/items/{ids*}`, `/items/{.ids}`, `/items/{;ids*}`: RFC 6570's explode modifier and
/// operators, which OpenAPI path templates do not have (the parameter's `style` and `explode`
/// say how values are written). Read as `/items/{ids}`, unless that path is also listed.
fn unexplode_path_templates(root: &mut Map<String, Value>, out: &mut Vec<Rewrite>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    if !paths.keys().any(|path| plain_template(path) != *path) {
        return;
    }
    let entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
    let plain: std::collections::BTreeSet<String> =
        entries.iter().map(|(path, _)| path.clone()).collect();
    for (path, item) in entries {
        let unexploded = plain_template(&path);
        if unexploded != path && !plain.contains(&unexploded) && !paths.contains_key(&unexploded) {
            let message = if path.split('/').any(|segment| segment.starts_with(':')) {
                format!("`:name` segments are not OpenAPI path templating; read as `{unexploded}`")
            } else {
                format!(
                    "RFC 6570 operators (`.`, `;`, `*`) are not OpenAPI path templating; read as `{unexploded}` (the parameter's `style` and `explode` apply)"
                )
            };
            out.push(Rewrite {
                pointer: format!("/paths/{}", escape_segment(&path)),
                message,
            });
            paths.insert(unexploded, item);
        } else {
            paths.insert(path, item);
        }
    }
}

/// A path with every `{name}` stripped of RFC 6570 operators (`{.name*}` → `{name}`) and every
/// `:name` segment (Express and Rails style) written `{name}`.
fn plain_template(path: &str) -> String {
    let path = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name)
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                format!("{{{name}}}")
            }
            _ => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    let path = path.as_str();
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let name = inner
            .strip_prefix(['.', ';', '+', '#', '/'])
            .unwrap_or(inner);
        let name = name.strip_suffix('*').unwrap_or(name);
        out.push_str(&rest[..open]);
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn describe_responses(responses: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Rewrite>) {
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        if !response.contains_key("$ref") && !response.contains_key("description") {
            out.push(Rewrite {
                pointer: format!("{pointer}/{}", escape_segment(status)),
                message: "the response has no `description` (required by OpenAPI); using \"\""
                    .into(),
            });
            response.insert("description".into(), json!(""));
        }
    }
}

/// Lowers OpenAPI 3.1 (JSON Schema 2020-12) schema keywords to their OpenAPI 3.0 spelling
/// wherever a schema can appear, and 3.1's top-level `webhooks` to the `x-webhooks` this
/// generator reads. Returns the constructs it could not express, as warnings.
pub fn lower_openapi_31(raw: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    if let Some(root) = raw.as_object_mut() {
        if let Some(webhooks) = root.remove("webhooks")
            && !root.contains_key("x-webhooks")
        {
            root.insert("x-webhooks".into(), webhooks);
        }
        root.insert("openapi".into(), json!("3.0.3"));
    }
    for pointer in super::walk::schema_positions(raw) {
        if let Some(schema) = raw.pointer_mut(&pointer) {
            lower_schema(schema, &pointer, &mut rewrites);
        }
    }
    rewrites
}

/// `{type: "null"}` (or `const: null`), already lowered to `{nullable: true, enum: [null]}`.
fn is_null_schema(schema: &Value) -> bool {
    schema.get("enum") == Some(&json!([null]))
}

/// One schema (and its subschemas) in 3.1 spelling → 3.0 spelling.
fn lower_schema(schema: &mut Value, pointer: &str, out: &mut Vec<Rewrite>) {
    let Value::Object(map) = schema else {
        return;
    };
    // Subschemas first, so that `oneOf: [X, {type: null}]` sees lowered members.
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            for (name, child) in children.iter_mut() {
                lower_schema(
                    child,
                    &format!("{pointer}/{key}/{}", escape_segment(name)),
                    out,
                );
            }
        }
    }
    for key in [
        "items",
        "additionalProperties",
        "not",
        "contains",
        "if",
        "then",
        "else",
    ] {
        if let Some(child) = map.get_mut(key) {
            lower_schema(child, &format!("{pointer}/{key}"), out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            for (index, child) in children.iter_mut().enumerate() {
                lower_schema(child, &format!("{pointer}/{key}/{index}"), out);
            }
        }
    }

    match map.remove("type") {
        Some(Value::Array(types)) => {
            let mut named: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            if named.len() < types.len() {
                map.insert("nullable".into(), json!(true));
            }
            match named.len() {
                0 => {}
                1 => {
                    map.insert("type".into(), named.remove(0));
                }
                _ => {
                    let members = named.into_iter().map(|t| json!({ "type": t })).collect();
                    map.insert("anyOf".into(), Value::Array(members));
                }
            }
        }
        Some(Value::String(kind)) if kind == "null" => {
            map.insert("nullable".into(), json!(true));
            map.insert("enum".into(), json!([null]));
        }
        Some(other) => {
            map.insert("type".into(), other);
        }
        None => {}
    }
    if let Some(constant) = map.remove("const") {
        if constant.is_null() {
            map.insert("nullable".into(), json!(true));
        }
        map.entry("enum").or_insert_with(|| json!([constant]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !examples.is_empty()
    {
        map.entry("example").or_insert_with(|| examples.remove(0));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = map.get(exclusive).filter(|b| b.is_number()).cloned() {
            map.insert(inclusive.into(), bound);
            map.insert(exclusive.into(), json!(true));
        }
    }
    if map.contains_key("contentMediaType") || map.get("contentEncoding") == Some(&json!("binary"))
    {
        map.entry("format").or_insert_with(|| json!("binary"));
    } else if map.get("contentEncoding") == Some(&json!("base64")) {
        map.entry("format").or_insert_with(|| json!("byte"));
    }
    // `oneOf`/`anyOf` with a `null` member is 3.1's nullable union.
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".into(), json!(true));
        if let Some(Value::Array(members)) = map.get(key)
            && members.len() == 1
        {
            let only = members[0].clone();
            map.remove(key);
            map.insert("allOf".into(), json!([only]));
        }
    }
    // 3.1 lets `$ref` have siblings; 3.0 ignores them. Keep the reference's meaning and the
    // siblings' by moving the reference into `allOf`.
    if map.keys().any(|k| !is_annotation_only(k))
        && let Some(reference) = map.remove("$ref")
    {
        {
            let mut all_of = match map.remove("allOf") {
                Some(Value::Array(members)) => members,
                _ => Vec::new(),
            };
            all_of.insert(0, json!({ "$ref": reference }));
            map.insert("allOf".into(), Value::Array(all_of));
        }
    }
    for keyword in [
        "prefixItems",
        "patternProperties",
        "if",
        "then",
        "else",
        "contains",
    ] {
        if map.contains_key(keyword) {
            out.push(Rewrite {
                pointer: format!("{pointer}/{keyword}"),
                message: format!(
                    "JSON Schema keyword `{keyword}` has no OpenAPI 3.0 equivalent; ignored"
                ),
            });
        }
    }
}

/// Keywords that only describe a reference (3.1 allows them beside `$ref`).
fn is_annotation_only(key: &str) -> bool {
    matches!(
        key,
        "$ref" | "description" | "summary" | "title" | "deprecated"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(schema: Value) -> Value {
        let mut doc = json!({ "openapi": "3.1.0", "components": { "schemas": { "S": schema } } });
        lower_openapi_31(&mut doc);
        doc["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            lowered(json!({ "type": ["string", "null"] })),
            json!({ "type": "string", "nullable": true })
        );
        assert_eq!(
            lowered(json!({ "type": ["null", "object"] })),
            json!({ "type": "object", "nullable": true })
        );
        assert_eq!(
            lowered(json!({ "type": ["string", "integer"] })),
            json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] })
        );
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_take_their_30_spelling() {
        assert_eq!(
            lowered(json!({ "const": "cat", "examples": ["cat", "dog"] })),
            json!({ "enum": ["cat"], "example": "cat" })
        );
        assert_eq!(
            lowered(json!({ "type": "integer", "exclusiveMinimum": 0 })),
            json!({ "type": "integer", "exclusiveMinimum": true, "minimum": 0 })
        );
    }

    #[test]
    fn a_null_member_of_a_union_makes_the_rest_nullable() {
        assert_eq!(
            lowered(
                json!({ "oneOf": [{ "$ref": "#/components/schemas/Cat" }, { "type": "null" }] })
            ),
            json!({ "nullable": true, "allOf": [{ "$ref": "#/components/schemas/Cat" }] })
        );
    }

    #[test]
    fn property_names_that_are_keywords_are_not_rewritten() {
        let schema = json!({ "type": "object", "properties": { "const": { "type": "string" }, "type": { "type": ["integer", "null"] } } });
        assert_eq!(
            lowered(schema),
            json!({ "type": "object", "properties": { "const": { "type": "string" }, "type": { "type": "integer", "nullable": true } } })
        );
    }

    #[test]
    fn examples_are_data_and_stay_untouched() {
        let mut doc = json!({ "openapi": "3.1.0", "paths": { "/a": { "get": { "responses": { "200": {
            "description": "ok",
            "content": { "application/json": { "example": { "type": ["x", "null"], "const": 1 } } } } } } } } });
        let before = doc["paths"]["/a"]["get"]["responses"]["200"]["content"].clone();
        lower_openapi_31(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"],
            before
        );
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn omissions_are_filled_and_each_reported_once() {
        let mut doc = json!({ "openapi": "3.0.3", "info": { "title": "t" }, "paths": {
            "/a": { "get": {} },
            "/b": { "get": { "responses": { "200": {} } } },
            "/c": { "$ref": "#/paths/~1b" } } });
        let rewrites = fill_omissions(&mut doc, false);
        let pointers: Vec<&str> = rewrites.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/info",
                "/paths/~1a/get",
                "/paths/~1b/get/responses/200",
                "/paths/~1c/get/responses/200"
            ]
        );
        assert_eq!(doc["info"]["version"], "0.0.0");
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(
            doc["paths"]["/c"]["get"]["responses"]["200"]["description"],
            ""
        );
    }

    #[test]
    fn explode_modifiers_in_path_templates_are_dropped_unless_the_plain_path_exists() {
        let mut doc = json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {
            "/a": { "get": { "responses": {} } },
            "/items/{ids*}": { "get": { "responses": {} } },
            "/b/{x*}": { "get": { "responses": {} } },
            "/b/{x}": { "get": { "responses": {} } },
            "/c/{.label}/{;matrix*}/d": { "get": { "responses": {} } } } });
        let rewrites = fill_omissions(&mut doc, false);
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            paths,
            [
                "/a",
                "/items/{ids}",
                "/b/{x*}",
                "/b/{x}",
                "/c/{label}/{matrix}/d"
            ],
            "order kept"
        );
        let pointers: Vec<&str> = rewrites.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1items~1{ids*}",
                "/paths/~1c~1{.label}~1{;matrix*}~1d"
            ]
        );
    }
}

/// The `type`s a schema may have (3.0, after 3.1 is lowered).
const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Schemas whose `type` is none of the known ones (`integr`): each becomes an untyped value, so
/// the typo is reported where it is, with the nearest known type.
pub fn unknown_schema_types(raw: &Value) -> Vec<Rewrite> {
    let mut out = Vec::new();
    super::walk::for_each_schema(raw, &mut |schema, pointer| {
        let Some(Value::String(ty)) = schema.get("type") else {
            return;
        };
        if SCHEMA_TYPES.contains(&ty.as_str()) {
            return;
        }
        let nearest = nearest(ty, SCHEMA_TYPES, 2)
            .map(|known| format!(" (did you mean `{known}`?)"))
            .unwrap_or_default();
        out.push(Rewrite {
            pointer: format!("{pointer}/type"),
            message: format!(
                "unknown type `{ty}`{nearest}; known types are {}; the schema is read as an untyped JSON value",
                SCHEMA_TYPES.join(", ")
            ),
        });
    });
    out
}

/// The entry of `known` nearest to `word`, when it is at most `max_distance` edits away.
pub(super) fn nearest<'k>(
    word: &str,
    known: impl IntoIterator<Item = &'k str>,
    max_distance: usize,
) -> Option<&'k str> {
    known
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .min()
        .filter(|(distance, _)| *distance <= max_distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance (short words only).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod unknown_type_tests {
    use super::*;

    #[test]
    fn typos_in_schema_types_are_found_with_the_nearest_type_and_examples_are_left_alone() {
        let raw = serde_json::json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "n", "in": "query", "schema": {"type": "integr"}}]}}},
            "components": {
                "schemas": {
                    "Card": {"type": "object", "properties": {"kind": {"type": "card"}}, "example": {"type": "card"}},
                    "List": {"type": "array", "items": {"allOf": [{"type": "strng"}]}}
                },
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "k"}}
            }
        });
        let found: Vec<(String, String)> = unknown_schema_types(&raw)
            .into_iter()
            .map(|r| (r.pointer, r.message))
            .collect();
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/parameters/0/schema/type",
                "/components/schemas/Card/properties/kind/type",
                "/components/schemas/List/items/allOf/0/type",
            ]
        );
        assert!(found[0].1.contains("did you mean `integer`?"));
        assert!(!found[1].1.contains("did you mean"), "{}", found[1].1);
        assert!(found[2].1.contains("did you mean `string`?"));
    }
}
