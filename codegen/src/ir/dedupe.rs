//! One type for one shape: inline schemas that are structurally identical (same properties,
//! types, required set, enum values — documentation aside) become one type, and an inline schema
//! identical to a component becomes that component. PayPal's orders spec repeats the same
//! error-detail enums for every operation; without this each copy is a type of its own.
//!
//! An IR → IR pass run by `build`. Deterministic: the type kept is the component, else the first
//! in document order, with its name and documentation; the others' uses are renamed to it. Run
//! to a fixed point, since merging leaves makes their parents identical.

use std::collections::{HashMap, HashSet};

use super::{Api, TypeDef, TypeExpr, TypeKind};

/// A type's structure without its documentation, as comparable text.
fn structure(def: &TypeDef) -> String {
    let mut kind = def.kind.clone();
    match &mut kind {
        TypeKind::Struct(st) => {
            for field in &mut st.fields {
                field.docs = None;
            }
        }
        TypeKind::StringEnum(en) => {
            for variant in &mut en.variants {
                variant.docs = None;
            }
        }
        TypeKind::IntegerEnum(en) => {
            for variant in &mut en.variants {
                variant.docs = None;
            }
            for range in &mut en.ranges {
                range.docs = None;
            }
        }
        TypeKind::Newtype(_) | TypeKind::Alias(_) | TypeKind::Union(_) => {}
    }
    format!("{}|{:?}", def.nullable, kind)
}

/// A schema of `components/schemas` (its name is the user's), not one synthesized for an inline
/// schema.
fn is_component(def: &TypeDef) -> bool {
    def.source
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// Merges identical inline types (see the module docs).
pub fn share_identical_types(api: &mut Api) {
    for _ in 0..32 {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        let mut renames: HashMap<String, String> = HashMap::new();
        // Components claim their structure first, so an inline copy becomes the component.
        let order = (0..api.types.len())
            .filter(|&i| is_component(&api.types[i]))
            .chain((0..api.types.len()).filter(|&i| !is_component(&api.types[i])));
        for index in order {
            let def = &api.types[index];
            let key = structure(def);
            match first_of.get(&key) {
                Some(&kept) if !is_component(def) => {
                    renames.insert(def.name.clone(), api.types[kept].name.clone());
                }
                Some(_) => {}
                None => {
                    first_of.insert(key, index);
                }
            }
        }
        if renames.is_empty() {
            return;
        }
        let removed: HashSet<String> = renames.keys().cloned().collect();
        api.types.retain(|def| !removed.contains(&def.name));
        rename_all(api, &renames);
    }
}

fn rename(expr: &mut TypeExpr, renames: &HashMap<String, String>) {
    match expr {
        TypeExpr::Named(name) => {
            if let Some(kept) = renames.get(name) {
                *name = kept.clone();
            }
        }
        TypeExpr::List(inner) | TypeExpr::Map(inner) | TypeExpr::Nullable(inner) => {
            rename(inner, renames)
        }
        _ => {}
    }
}

fn rename_all(api: &mut Api, renames: &HashMap<String, String>) {
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(st) => {
                for field in &mut st.fields {
                    rename(&mut field.ty, renames);
                }
                if let Some(extra) = &mut st.additional_properties {
                    rename(extra, renames);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    if let Some(ty) = &mut variant.ty {
                        rename(ty, renames);
                    }
                }
            }
            TypeKind::Newtype(newtype) => rename(&mut newtype.inner, renames),
            TypeKind::Alias(expr) => rename(expr, renames),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
        }
    }
    for op in &mut api.operations {
        for param in &mut op.parameters {
            rename(&mut param.ty, renames);
        }
        for body in op
            .request_body
            .iter_mut()
            .flat_map(|b| b.content.iter_mut())
        {
            rename(&mut body.ty, renames);
        }
        for response in &mut op.responses {
            for body in &mut response.content {
                rename(&mut body.ty, renames);
            }
            for header in &mut response.headers {
                rename(&mut header.ty, renames);
            }
        }
    }
    for webhook in &mut api.webhooks {
        rename(&mut webhook.payload.ty, renames);
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeExpr, TypeKind};

    #[test]
    fn identical_inline_schemas_share_one_type() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '422': {description: no, content: {application/json: {schema: {type: object, properties: {issue: {type: string, enum: [X, Y], description: For a.}}}}}}\n  /b:\n    get:\n      operationId: b\n      responses:\n        '422': {description: no, content: {application/json: {schema: {type: object, properties: {issue: {type: string, enum: [X, Y], description: For b.}}}}}}\n        '400': {description: no, content: {application/json: {schema: {type: string, enum: [A]}}}}\ncomponents:\n  schemas:\n    Kind: {type: string, enum: [A]}\n";
        let spec = crate::load::load_str("t.yaml", text).unwrap();
        let (api, _) = crate::ir::build(&spec).unwrap();
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Kind",
                "AUnprocessableEntityBodyIssue",
                "AUnprocessableEntityBody"
            ],
            "b's copies (the issue enum, then the body holding it) are a's; its 400 enum is Kind"
        );
        let b = &api.operations[1];
        let body_of = |status: u16| {
            b.responses
                .iter()
                .find(|r| r.status == crate::ir::StatusKey::Code(status))
                .unwrap()
                .content[0]
                .ty
                .clone()
        };
        assert_eq!(
            body_of(422),
            TypeExpr::Named("AUnprocessableEntityBody".into())
        );
        assert_eq!(body_of(400), TypeExpr::Named("Kind".into()));
        let TypeKind::Struct(st) = &api.types[2].kind else {
            panic!("a struct");
        };
        assert_eq!(
            st.fields[0].docs.as_deref(),
            Some("For a."),
            "the kept type's docs"
        );
    }
}
