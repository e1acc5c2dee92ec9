//! Every JSON example of every spec under `specs/` decodes into its generated type and encodes
//! back to equal JSON (numbers compared by value: `50 == 50.0`; nothing dropped, nothing added).
//!
//! Examples are discovered from the specs themselves and the generated crates from the
//! generated registry, so a new spec is covered without new test code.

mod common;

use specgen::plan::documented_bodies;
use specgen_all_apis::APIS;

#[test]
fn every_spec_has_a_generated_crate() {
    let root = common::workspace_root();
    let specs = specgen::spec_files(&root).expect("specs/ is listable");
    let registered: Vec<&str> = APIS.iter().map(|api| api.spec).collect();
    assert_eq!(
        specs, registered,
        "run `cargo run -p specgen -- generate` after adding or removing a spec"
    );
}

#[test]
fn every_example_round_trips_through_its_generated_type() {
    let root = common::workspace_root();
    let mut checked = 0;
    let mut failures = Vec::new();
    for api in APIS {
        let (ir, _) =
            specgen::load_api(&root.join(api.spec), api.spec).unwrap_or_else(|d| panic!("{d}"));
        for (owner, role, body) in documented_bodies(&ir) {
            for example in &body.examples {
                checked += 1;
                let place = format!(
                    "{} {} {} {} ({})",
                    api.spec, owner, role, body.media_type, example.name
                );
                match (api.round_trip)(&owner, &role, &body.media_type, &example.value) {
                    None => failures.push(format!(
                        "{place}: the generated crate has no type for this body"
                    )),
                    Some(Err(error)) => failures.push(format!("{place}: {error}")),
                    Some(Ok(encoded)) if !specgen_runtime::json_equal(&encoded, &example.value) => {
                        failures.push(format!(
                            "{place}: changed in the round trip\n  spec:    {}\n  encoded: {}",
                            example.value, encoded
                        ))
                    }
                    Some(Ok(_)) => {}
                }
            }
        }
    }
    eprintln!("{checked} examples checked");
    assert!(checked > 0, "no examples found in specs/");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn local_payments_covers_the_whole_document() {
    let root = common::workspace_root();
    let (ir, _) = specgen::load_api(
        &root.join("specs/local-payments.yaml"),
        "specs/local-payments.yaml",
    )
    .unwrap();
    assert_eq!(ir.operations.len(), 8);
    let filters: usize = ir
        .operations
        .iter()
        .flat_map(|op| &op.parameters)
        .filter(|p| p.location == specgen::ir::ParameterLocation::Query)
        .count();
    assert_eq!(filters, 11);
    let examples: usize = documented_bodies(&ir)
        .iter()
        .map(|(_, _, body)| body.examples.len())
        .sum();
    assert_eq!(examples, 11);
}
