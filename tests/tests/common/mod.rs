//! Helpers shared by the workspace tests.

use std::path::PathBuf;

/// The workspace root (the tests crate lives one level below it).
#[allow(dead_code)] // not every test reads files
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Serves `app` on a free loopback port for the rest of the test; returns its base URL.
#[allow(dead_code)] // only the HTTP tests serve
pub async fn serve(app: specgen_runtime::server::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = specgen_runtime::server::axum::serve(listener, app).await;
    });
    format!("http://{address}")
}
