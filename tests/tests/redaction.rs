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

/// Card-number-like values in `text`: a run of 13 to 19 digits (spaces or dashes allowed
/// between groups) standing alone — not part of a longer word or reference such as Adyen's
/// `993617895204576J` — starting with a card network's digit (2 to 6) and passing the Luhn
/// check, as every real and test PAN does.
fn pan_like(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].is_ascii_digit() || (start > 0 && word(chars[start - 1])) {
            start += 1;
            continue;
        }
        let (mut end, mut digits) = (start, String::new());
        while end < chars.len() {
            let c = chars[end];
            let separator = (c == ' ' || c == '-')
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
                && chars[end - 1].is_ascii_digit();
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !separator {
                break;
            }
            end += 1;
        }
        let alone = chars.get(end).is_none_or(|c| !word(*c));
        if alone
            && (13..=19).contains(&digits.len())
            && matches!(digits.as_bytes()[0], b'2'..=b'6')
            && luhn(&digits)
        {
            found.push(digits);
        }
        start = end.max(start + 1);
    }
    found
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                (d * 2) % 9 + u32::from(d == 9) * 9
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[test]
fn pan_detection_finds_card_numbers_and_not_references() {
    assert_eq!(pan_like("\"4111111111111111\""), ["4111111111111111"]);
    assert_eq!(
        pan_like("number: 4242 4242 4242 4242,"),
        ["4242424242424242"]
    );
    assert_eq!(pan_like("[5555-5555-5555-4444]"), ["5555555555554444"]);
    assert!(pan_like("4111111111111112").is_empty(), "fails Luhn");
    assert!(pan_like("id 123456789012").is_empty(), "12 digits");
    assert!(
        pan_like("993617895204576J").is_empty(),
        "part of a reference"
    );
    assert!(
        pan_like("test_4111111111111111").is_empty(),
        "part of a token"
    );
    assert!(
        pan_like("777718270854480").is_empty(),
        "no card network starts with 7"
    );
    assert!(pan_like("2024-01-01 12:00").is_empty());
}

/// Fields whose card-number-like example values are not card numbers, each with the reason:
/// these stay visible in `Debug`.
const NOT_CARD_NUMBERS: &[(&str, &str)] = &[
    // The document fills these with "4111111111111111" as a placeholder (their descriptions
    // say so); a card number cannot be in a country or an account id.
    ("specs/auction-software.yaml", "bank_country"),
    ("specs/auction-software.yaml", "account_id"),
    // EMVCo's Payment Account Reference: designed to stand for an account without being its
    // PAN, and not cardholder data; Adyen's example elides it (`6006491286999921374...`).
    ("adyen-CheckoutService-v72.json", "PaymentAccountReference"),
];

fn not_a_card_number(spec: &str, path: &str) -> bool {
    NOT_CARD_NUMBERS
        .iter()
        .any(|(s, field)| *s == spec && path.rsplit('/').next() == Some(field))
}

/// No documented example of any spec in `specs/`, decoded into its generated type, shows a
/// card number in `Debug` — whatever the field is called.
#[test]
fn no_card_number_of_any_example_shows_in_debug() {
    let root = common::workspace_root();
    let (mut rendered_examples, mut holding_pans) = (0, 0);
    let mut failures = Vec::new();
    for entry in APIS {
        let (api, _) = specgen::load_api(&root.join(entry.spec), entry.spec).unwrap();
        for (owner, role, body) in documented_bodies(&api) {
            for example in &body.examples {
                let Some(Ok(rendered)) =
                    (entry.debug)(&owner, &role, &body.media_type, &example.value)
                else {
                    continue;
                };
                rendered_examples += 1;
                if !pan_like(&example.value.to_string()).is_empty() {
                    holding_pans += 1;
                }
                let mut shown = Vec::new();
                shown_values(&api, &body.ty, &example.value, "", &mut shown);
                for pan in pan_like(&rendered) {
                    let placeholder = shown.iter().any(|(path, text)| {
                        pan_like(text).contains(&pan) && not_a_card_number(entry.spec, path)
                    });
                    if !placeholder {
                        failures.push(format!(
                            "{} {owner} {role}: {pan} shows in Debug",
                            entry.spec
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{rendered_examples} examples rendered, {holding_pans} holding card numbers");
    assert!(
        holding_pans >= 5,
        "expected examples with card numbers, found {holding_pans}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Card numbers in the examples of every peer spec (the payment providers' and the rest of the
/// corpus) sit only in fields the generated types redact: a field that is not sensitive prints
/// as is in `Debug`, so a card number found in one would show. (These crates are too large to
/// compile here for every example; the redacting `Debug` itself is covered above.)
#[test]
fn card_numbers_in_the_peer_specs_examples_sit_in_redacted_fields() {
    let peers = common::workspace_root().join("../shared/peer-specs");
    let mut files = Vec::new();
    spec_files(&peers, &mut files);
    files.sort();
    let (mut loaded, mut with_pans) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Declined documents (fragments, external references) have no generated types.
        let Ok((api, _)) = specgen::load_api(path, &name) else {
            continue;
        };
        loaded += 1;
        for (owner, role, body) in documented_bodies(&api) {
            for example in &body.examples {
                if !pan_like(&example.value.to_string()).is_empty() {
                    with_pans += 1;
                }
                let mut shown = Vec::new();
                shown_values(&api, &body.ty, &example.value, "", &mut shown);
                for (path, text) in shown
                    .iter()
                    .filter(|(path, _)| !not_a_card_number(&name, path))
                {
                    for pan in pan_like(text) {
                        failures.push(format!(
                            "{name} {owner} {role} {path}: {pan} shows in Debug"
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{loaded} peer specs, {with_pans} examples holding card numbers");
    assert!(loaded >= 100, "expected the peer corpus, loaded {loaded}");
    assert!(
        with_pans >= 3,
        "expected Adyen's test cards, found {with_pans}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn spec_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        {
            out.push(path);
        }
    }
}

/// The scalar texts of `value` (with their JSON paths) that `Debug` of its type prints:
/// everything except what sits in sensitive fields.
fn shown_values(
    api: &Api,
    ty: &TypeExpr,
    value: &Value,
    path: &str,
    out: &mut Vec<(String, String)>,
) {
    match (ty, value) {
        (TypeExpr::Nullable(inner), _) => shown_values(api, inner, value, path, out),
        (TypeExpr::List(item), Value::Array(items)) => {
            for (index, v) in items.iter().enumerate() {
                shown_values(api, item, v, &format!("{path}/{index}"), out);
            }
        }
        (TypeExpr::Map(entry), Value::Object(map)) => {
            for (key, v) in map {
                shown_values(api, entry, v, &format!("{path}/{key}"), out);
            }
        }
        (TypeExpr::Named(name), _) => match api.type_named(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(st)) => {
                let Value::Object(map) = value else { return };
                for (key, field_value) in map {
                    let at = format!("{path}/{key}");
                    match st.fields.iter().find(|f| &f.json_name == key) {
                        Some(field) if field.sensitive => {}
                        Some(field) => shown_values(api, &field.ty, field_value, &at, out),
                        // Kept in `additional_properties`, printed as is.
                        None => texts(field_value, &at, out),
                    }
                }
            }
            Some(TypeKind::Alias(inner)) => shown_values(api, inner, value, path, out),
            Some(TypeKind::Union(union)) => {
                // The value decodes as the alternative declaring most of its keys (the fit
                // score's main term); what that one shows is shown.
                let declared = |ty: &TypeExpr| match (ty, value) {
                    (TypeExpr::Named(n), Value::Object(map)) => {
                        match api.type_named(n).map(|d| &d.kind) {
                            Some(TypeKind::Struct(st)) => map
                                .keys()
                                .filter(|k| st.fields.iter().any(|f| &&f.json_name == k))
                                .count(),
                            _ => 0,
                        }
                    }
                    _ => 0,
                };
                let best = union
                    .variants
                    .iter()
                    .filter_map(|v| v.ty.as_ref())
                    .max_by_key(|ty| declared(ty));
                match best {
                    Some(ty) => shown_values(api, ty, value, path, out),
                    None => texts(value, path, out),
                }
            }
            _ => texts(value, path, out),
        },
        _ => texts(value, path, out),
    }
}

fn texts(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(text) => out.push((path.to_string(), text.clone())),
        Value::Number(n) => out.push((path.to_string(), n.to_string())),
        Value::Array(items) => {
            for (index, v) in items.iter().enumerate() {
                texts(v, &format!("{path}/{index}"), out);
            }
        }
        Value::Object(map) => {
            for (key, v) in map {
                texts(v, &format!("{path}/{key}"), out);
            }
        }
        _ => {}
    }
}
