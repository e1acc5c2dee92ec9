//! A crate generated with `specgen generate SPEC --out DIR` outside the checkout is portable:
//! moved to another folder, it builds offline (its runtime vendored inside it) and its client
//! calls its mock over loopback. The spec is one of a user's own, written here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const TIP_JAR: &str = r#"
openapi: 3.0.3
info: { title: Tip jar, version: 1.0.0 }
security: [{ bearer: [] }]
paths:
  /tips:
    post:
      operationId: create_tip
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewTip' }
            example: { amount: 500, note: thanks }
      responses:
        '201':
          description: The tip.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Tip' }
              example: { id: tip_1, amount: 500, note: thanks }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
  schemas:
    NewTip:
      type: object
      required: [amount]
      properties:
        amount: { type: integer, minimum: 1 }
        note: { type: string }
    Tip:
      type: object
      required: [id, amount]
      properties:
        id: { type: string }
        amount: { type: integer }
        note: { type: string }
"#;

/// What the moved crate's own test does: serve the mock, call it with the client.
const CALL_TEST: &str = r#"
#[test]
fn the_client_calls_the_mock() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            tip_jar::runtime::server::axum::serve(listener, tip_jar::server::mock_router()).await
        });
        let client = tip_jar::client::Client::builder(&format!("http://{address}"))
            .with_bearer(tip_jar::runtime::auth::TEST_TOKEN)
            .build()
            .unwrap();
        let request = tip_jar::operations::CreateTipRequest {
            body: tip_jar::types::NewTip { amount: 500, note: Some("thanks".into()) },
        };
        // The spec documents one status only, so the response has one variant.
        let tip_jar::operations::CreateTipResponse::Created(tip) =
            client.create_tip(request).await.unwrap();
        assert_eq!((tip.id.as_str(), tip.amount), ("tip_1", 500));
    });
}
"#;

/// A fresh folder outside the checkout (the system temp dir).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("specgen-portable-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cargo(dir: &Path, args: &[&str], target: &Path) -> std::process::Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_NET_OFFLINE", "true")
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap()
}

#[test]
fn a_crate_generated_outside_the_checkout_builds_offline_after_a_move_and_calls_its_mock() {
    let root = common::workspace_root();
    let home = scratch("home");
    let spec = home.join("tip-jar.yaml");
    std::fs::write(&spec, TIP_JAR).unwrap();
    let out = home.join("clients/tip-jar");
    let generated = specgen::standalone::generate(&specgen::standalone::Standalone {
        spec: &spec,
        out: &out,
        package: "tip-jar",
        // As from an installed binary: no --runtime, the checkout elsewhere.
        runtime: None,
        checkout: &root,
        settings: &specgen::Settings::default(),
    })
    .unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("specgen-runtime = { path = \"specgen-runtime\" }"),
        "outside the checkout the runtime is vendored:\n{manifest}"
    );
    assert!(!manifest.contains(&root.display().to_string()));

    // Moved to another folder (the checkout's absolute path appears nowhere).
    let moved = scratch("elsewhere").join("tip-jar");
    std::fs::rename(&out, &moved).unwrap();
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(moved.join("tests")).unwrap();
    std::fs::write(moved.join("tests/call.rs"), CALL_TEST).unwrap();
    // The workspace's lockfile pins the versions already in the local registry cache.
    std::fs::copy(root.join("Cargo.lock"), moved.join("Cargo.lock")).unwrap();

    let target = root.join("target/portable");
    let built = cargo(
        &moved,
        &[
            "test",
            "--offline",
            "--features",
            "client,server",
            "--test",
            "call",
        ],
        &target,
    );
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        built.status.success(),
        "the moved crate did not pass:\n{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&built.stdout).contains("test the_client_calls_the_mock ... ok"),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    let _ = std::fs::remove_dir_all(moved.parent().unwrap());
}
