//! The build-script-generated client calls the build-script-generated mock over loopback.

use specgen_example_build_script::payments;

#[tokio::test]
async fn the_client_lists_the_mocks_documented_payments() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        payments::runtime::server::axum::serve(listener, payments::server::mock_router()).await
    });
    let client = payments::client::Client::new(&format!("http://{address}")).unwrap();
    let listed = client
        .list_payments(payments::operations::ListPaymentsRequest::default())
        .await
        .unwrap();
    let payments::operations::ListPaymentsResponse::Ok(list) = listed else {
        panic!("expected the documented 200, got {listed:?}");
    };
    assert!(!list.is_empty(), "the spec's example lists payments");
}
