//! Handlers read what the typed request does not carry — undeclared headers, extensions added by
//! middleware, the peer address, a request id — through `RequestContext`, and an operation not
//! implemented yet answers 501 through its documented `default` response.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use affinipay_merchant_applications::operations::{
    CreateMerchantApplicationLawpayCpachargeRequest,
    CreateMerchantApplicationLawpayCpachargeResponse, CreateMerchantApplicationRequest,
    CreateMerchantApplicationResponse, DeauthorizeApplicationRequest,
    DeauthorizeApplicationResponse,
};
use affinipay_merchant_applications::server::{Api, router};
use affinipay_merchant_applications::types::{
    MerchantApplicationErrorResponse, MerchantApplicationMessage,
};
use specgen_runtime::auth::Authenticated;
use specgen_runtime::server::RequestContext;
use specgen_runtime::server::axum;

/// What a middleware layer attaches (a tenant resolved from the host, say).
#[derive(Clone, Debug, PartialEq)]
struct Tenant(&'static str);

#[derive(Debug, Default, PartialEq)]
struct Seen {
    key: String,
    trace: Option<String>,
    request_id: Option<String>,
    tenant: Option<Tenant>,
    peer: Option<SocketAddr>,
    method: String,
    path: String,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

/// The documented way to leave an operation unimplemented: its `default` response with 501.
fn not_implemented() -> MerchantApplicationErrorResponse {
    MerchantApplicationErrorResponse {
        messages: Some(vec![MerchantApplicationMessage {
            message: Some("not implemented yet".into()),
            ..MerchantApplicationMessage::default()
        }]),
    }
}

impl Api for Recorder {
    async fn create_merchant_application(
        &self,
        request: CreateMerchantApplicationRequest,
        credential: Authenticated,
    ) -> CreateMerchantApplicationResponse {
        NotYet
            .create_merchant_application(request, credential)
            .await
    }

    async fn create_merchant_application_lawpay_cpacharge(
        &self,
        request: CreateMerchantApplicationLawpayCpachargeRequest,
        credential: Authenticated,
    ) -> CreateMerchantApplicationLawpayCpachargeResponse {
        NotYet
            .create_merchant_application_lawpay_cpacharge(request, credential)
            .await
    }

    async fn deauthorize_application(
        &self,
        request: DeauthorizeApplicationRequest,
        _: Authenticated,
    ) -> DeauthorizeApplicationResponse {
        // Read in a nested call, as a helper deep in the handler would.
        let seen = async {
            RequestContext::with(|context| Seen {
                key: request.merchant_public_key.clone(),
                trace: context
                    .headers()
                    .get("x-trace")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                request_id: context.request_id().map(str::to_owned),
                tenant: context.extensions().get::<Tenant>().cloned(),
                peer: context.peer_addr(),
                method: context.method().to_string(),
                path: context.uri().path().to_owned(),
            })
        }
        .await
        .expect("a handler runs inside its request's context");
        self.0.lock().unwrap().push(seen);
        DeauthorizeApplicationResponse::Ok
    }
}

#[tokio::test]
async fn handlers_read_headers_extensions_and_the_peer_and_answer_501_when_unimplemented() {
    assert!(
        RequestContext::current().is_none(),
        "no context outside a handler"
    );
    let recorder = Recorder::default();
    let app = router(recorder.clone()).layer(axum::Extension(Tenant("acme")));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, service).await;
    });
    let http = reqwest::Client::new();
    let key = "abcdefghijklmnopqrstuvwx";
    let answer = http
        .delete(format!(
            "http://{address}/merchants/{key}/deauthorize_application"
        ))
        .bearer_auth("token")
        .header("x-trace", "t-1")
        .header("x-request-id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let seen = recorder.0.lock().unwrap().pop().expect("the handler ran");
    assert_eq!(seen.key, key);
    assert_eq!(seen.trace.as_deref(), Some("t-1"), "an undeclared header");
    assert_eq!(seen.request_id.as_deref(), Some("req-42"));
    assert_eq!(
        seen.tenant,
        Some(Tenant("acme")),
        "an extension from a layer"
    );
    let peer = seen.peer.expect("served with connect info");
    assert!(peer.ip().is_loopback());
    assert_eq!(seen.method, "DELETE");
    assert_eq!(
        seen.path,
        format!("/merchants/{key}/deauthorize_application")
    );

    // An operation left unimplemented answers 501 in the documented error shape, and a
    // generated client decodes it as the documented `default` response.
    let base = common::serve(router(NotYet)).await;
    let client = affinipay_merchant_applications::client::Client::builder(&base)
        .with_bearer_auth("token")
        .build()
        .unwrap();
    let answer = client
        .deauthorize_application(DeauthorizeApplicationRequest {
            merchant_public_key: key.into(),
        })
        .await
        .unwrap();
    assert_eq!(answer.status(), 501);
    let DeauthorizeApplicationResponse::Default { body, .. } = answer else {
        panic!("expected the documented default response, got {answer:?}");
    };
    assert_eq!(body, not_implemented());
}

/// A server that implements nothing yet.
struct NotYet;

impl Api for NotYet {
    async fn create_merchant_application(
        &self,
        _: CreateMerchantApplicationRequest,
        _: Authenticated,
    ) -> CreateMerchantApplicationResponse {
        CreateMerchantApplicationResponse::Default {
            status: 501,
            body: not_implemented(),
        }
    }

    async fn create_merchant_application_lawpay_cpacharge(
        &self,
        _: CreateMerchantApplicationLawpayCpachargeRequest,
        _: Authenticated,
    ) -> CreateMerchantApplicationLawpayCpachargeResponse {
        CreateMerchantApplicationLawpayCpachargeResponse::Default {
            status: 501,
            body: not_implemented(),
        }
    }

    async fn deauthorize_application(
        &self,
        _: DeauthorizeApplicationRequest,
        _: Authenticated,
    ) -> DeauthorizeApplicationResponse {
        DeauthorizeApplicationResponse::Default {
            status: 501,
            body: not_implemented(),
        }
    }
}
