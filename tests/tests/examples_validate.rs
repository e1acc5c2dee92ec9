//! Every example of every spec conforms to its schema as the spec states it: declared fields
//! only (unless the object is open), required fields present, documented enum values, null only
//! where nullable, limits respected. (The round trip alone would let an undocumented enum value
//! through into `Unknown`.)

mod common;

use specgen::plan::documented_bodies;
use specgen::validate::Validator;

#[test]
fn every_example_validates_against_its_schema() {
    let root = common::workspace_root();
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in specgen::spec_files(&root).unwrap() {
        let (api, _) =
            specgen::load_api(&root.join(&spec), &spec).unwrap_or_else(|d| panic!("{d}"));
        let validator = Validator::new(&api);
        for (owner, role, body) in documented_bodies(&api) {
            for example in &body.examples {
                checked += 1;
                for violation in validator.validate_body(body, &example.value) {
                    failures.push(format!(
                        "{spec} {owner} {role} ({}): at {}: {}",
                        example.name, violation.pointer, violation.reason
                    ));
                }
            }
        }
    }
    eprintln!("{checked} examples validated");
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let root = common::workspace_root();
    let (api, _) =
        specgen::load_api(&root.join("specs/local-payments.yaml"), "local-payments").unwrap();
    let validator = Validator::new(&api);
    let ty = specgen::ir::TypeExpr::Named("Payment".into());
    let bad = serde_json::json!({
        "payment_id": 7,
        "amount": 1.0,
        "payment_method": "cash",
        "status": "success",
        "settled_at": null,
        "extra": true
    });
    let messages: Vec<String> = validator
        .validate(&ty, &bad)
        .into_iter()
        .map(|v| format!("{} {}", v.pointer, v.reason))
        .collect();
    assert!(
        messages.contains(&"/payment_id expected a string, found a number".to_string()),
        "{messages:?}"
    );
    assert!(
        messages
            .contains(&"/payment_method `cash` is not one of the documented values".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&" missing required field `settled_amount`".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"/extra is not a field of Payment".to_string()),
        "{messages:?}"
    );
}

#[test]
fn generated_schema_statics_validate_like_the_generator() {
    let bad = serde_json::json!({"refund_id": "r", "payment_id": "p", "amount": "20", "note": 1});
    let reasons: Vec<String> = local_payments::schema::validate("Refund", &bad)
        .into_iter()
        .map(|v| format!("{} {}", v.pointer, v.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "/amount expected a number, found a string",
            "/note is not a field of Refund"
        ]
    );
    let good = serde_json::json!({"refund_id": "r", "payment_id": "p", "amount": 20});
    assert!(local_payments::schema::validate("Refund", &good).is_empty());
    assert_eq!(
        local_payments::schema::validate("Nope", &good)[0].reason,
        "unknown type Nope"
    );
}
