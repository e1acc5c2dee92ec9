//! Every operation of every spec, over real HTTP on loopback: the generated client calls the
//! generated server (validation in front of `MockApi`), and what the client decodes equals the
//! spec's documented example for that status.

use specgen_all_apis::APIS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_round_trips_over_http() {
    let mut total = 0;
    let mut with_examples = 0;
    let mut failures = Vec::new();
    for api in APIS {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = specgen_runtime::server::axum::serve(listener, (api.mock_router)()).await;
        });
        let results = (api.exercise)(format!("http://{address}")).await;
        server.abort();
        for result in &results {
            total += 1;
            if result.expected_body.is_some() {
                with_examples += 1;
            }
            if let Some(mismatch) = result.mismatch() {
                failures.push(format!("{}: {mismatch}", api.spec));
            }
        }
    }
    eprintln!(
        "{total} operations called over HTTP, {with_examples} compared with documented examples"
    );
    assert!(total > 0);
    assert!(
        failures.is_empty(),
        "{} of {total} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
