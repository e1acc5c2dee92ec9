//! Secrets, card numbers, CVVs, bank account numbers and tokens that appear in the specs'
//! examples never appear in the `Debug` output of the generated types holding them.

mod common;

use serde_json::Value;
use specgen::ir::{Api, TypeExpr, TypeKind};
use specgen::plan::documented_bodies;
use specgen_all_apis::APIS;

/// Values of sensitive fields inside `value`, found by walking it beside its IR type.
fn sensitive_values(api: &Api, ty: &TypeExpr, value: &Value, out: &mut Vec<String>) {
    match (ty, value) {
        (TypeExpr::Nullable(inner), _) => sensitive_values(api, inner, value, out),
        (TypeExpr::List(item), Value::Array(items)) => items
            .iter()
            .for_each(|v| sensitive_values(api, item, v, out)),
        (TypeExpr::Map(entry), Value::Object(map)) => map
            .values()
            .for_each(|v| sensitive_values(api, entry, v, out)),
        (TypeExpr::Named(name), _) => match api.type_named(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(st)) => {
                if let Value::Object(map) = value {
                    for field in &st.fields {
                        let Some(field_value) = map.get(&field.json_name) else {
                            continue;
                        };
                        if field.sensitive {
                            collect_strings(field_value, out);
                        } else {
                            sensitive_values(api, &field.ty, field_value, out);
                        }
                    }
                }
            }
            Some(TypeKind::Alias(inner)) => sensitive_values(api, inner, value, out),
            Some(TypeKind::Union(union)) => union
                .variants
                .iter()
                .filter_map(|v| v.ty.as_ref())
                .for_each(|ty| sensitive_values(api, ty, value, out)),
            _ => {}
        },
        _ => {}
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[test]
fn debug_output_of_examples_never_shows_sensitive_values() {
    let root = common::workspace_root();
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in APIS {
        let (api, _) = specgen::load_api(&root.join(entry.spec), entry.spec).unwrap();
        for (owner, role, body) in documented_bodies(&api) {
            for example in &body.examples {
                let mut secrets = Vec::new();
                sensitive_values(&api, &body.ty, &example.value, &mut secrets);
                // Masked placeholders (`***`, `************4242`) and trivial values are not secrets;
                // nor is a placeholder that the example also uses in non-sensitive fields
                // (payments-api writes `"string"` everywhere).
                let mut everything = Vec::new();
                collect_strings(&example.value, &mut everything);
                let count =
                    |list: &[String], text: &str| list.iter().filter(|x| *x == text).count();
                let sensitive_only: Vec<String> = secrets.clone();
                secrets.retain(|s| {
                    s.len() >= 3
                        && !s.starts_with("***")
                        && count(&everything, s) == count(&sensitive_only, s)
                });
                if secrets.is_empty() {
                    continue;
                }
                checked += 1;
                let rendered = match (entry.debug)(&owner, &role, &body.media_type, &example.value)
                {
                    Some(Ok(text)) => text,
                    other => panic!("{} {owner} {role}: {other:?}", entry.spec),
                };
                for secret in &secrets {
                    if rendered.contains(&format!("\"{secret}\""))
                        || rendered.contains(&format!(": {secret}"))
                    {
                        failures.push(format!(
                            "{} {owner} {role} ({}): `{secret}` shows in Debug",
                            entry.spec, example.name
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{checked} examples holding sensitive values checked");
    assert!(
        checked >= 10,
        "expected examples with card numbers, CVVs and secrets, found {checked}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
