//! The checked-in `generated/` tree is the snapshot of the generator's output: this test fails
//! when it is stale, so every change to the output shows up in review as a diff of it.

mod common;

#[test]
fn generated_tree_matches_the_generator() {
    let root = common::workspace_root();
    let stale = specgen::check_workspace(&root).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p specgen -- generate`:\n{}",
        stale
            .iter()
            .map(|f| format!("  {} ({})", f.path.display(), f.reason))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
