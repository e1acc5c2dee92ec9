//! Helpers shared by the workspace tests.

use std::path::PathBuf;

/// The workspace root (the tests crate lives one level below it).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
