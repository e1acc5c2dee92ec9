//! Generated servers check request bodies while reading them (`schema::validate_slice`), not on
//! a parsed tree. Both validators must report the same violations in the same order: this runs
//! every documented example of every spec (and of the fixture specs), and mutations of each —
//! every field removed, nulled, retyped, an undeclared field added — through both.

mod common;

use serde_json::{Value, json};
use specgen::plan::documented_bodies;
use specgen::validate::Validator;

/// The example and values derived from it that break it in the usual ways.
fn mutations(example: &Value) -> Vec<Value> {
    let mut out = vec![
        example.clone(),
        json!(null),
        json!([]),
        json!("text"),
        json!(7),
    ];
    if let Value::Object(map) = example {
        let mut extra = map.clone();
        extra.insert("not_a_field".into(), json!({"nested": [1, "two"]}));
        out.push(Value::Object(extra));
        for key in map.keys() {
            let mut removed = map.clone();
            removed.shift_remove(key);
            out.push(Value::Object(removed));
            for replacement in [
                json!(null),
                json!(-1.5),
                json!("x"),
                json!(true),
                json!([{}]),
                json!({}),
            ] {
                let mut changed = map.clone();
                changed.insert(key.clone(), replacement);
                out.push(Value::Object(changed));
            }
        }
    }
    if let Value::Array(items) = example {
        out.push(Value::Array(Vec::new()));
        let mut doubled = items.clone();
        doubled.extend(items.iter().cloned());
        doubled.push(json!({"unexpected": true}));
        out.push(Value::Array(doubled));
    }
    out
}

#[test]
fn reading_and_tree_validation_agree_on_every_example_and_its_mutations() {
    let root = common::workspace_root();
    let mut specs: Vec<String> = specgen::spec_files(&root).unwrap();
    specs.extend(
        [
            "tests/specs/orders.yaml",
            "tests/specs/unions.yaml",
            "tests/specs/media.yaml",
        ]
        .map(String::from),
    );
    let (mut compared, mut with_violations) = (0, 0);
    let mut disagreements = Vec::new();
    for spec in &specs {
        let (api, _) = specgen::load_api(&root.join(spec), spec).unwrap_or_else(|d| panic!("{d}"));
        let validator = Validator::new(&api);
        for (owner, role, body) in documented_bodies(&api) {
            for example in &body.examples {
                for value in mutations(&example.value) {
                    let tree = validator.validate_body(body, &value);
                    let read = validator
                        .validate_body_text(body, value.to_string().as_bytes())
                        .expect("serialized JSON parses");
                    compared += 1;
                    with_violations += usize::from(!tree.is_empty());
                    if tree != read {
                        disagreements.push(format!(
                            "{spec} {owner} {role} ({}): {value}\n  tree: {tree:?}\n  read: {read:?}",
                            example.name
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{compared} values compared, {with_violations} with violations");
    assert!(
        compared > 1000 && with_violations > 500,
        "{compared} / {with_violations}"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn malformed_text_is_a_syntax_error_not_a_violation() {
    let root = common::workspace_root();
    let (api, _) =
        specgen::load_api(&root.join("specs/local-payments.yaml"), "local-payments").unwrap();
    let validator = Validator::new(&api);
    let (_, _, body) = documented_bodies(&api)
        .into_iter()
        .next()
        .expect("a documented body");
    for text in ["{", "{\"amount\": }", "[1, 2", "{} trailing", ""] {
        assert!(
            validator.validate_body_text(body, text.as_bytes()).is_err(),
            "{text:?}"
        );
    }
}
