//! The generated client and server for a small fixture spec (`tests/specs/orders.yaml`),
//! against each other and against hand-written peers: status dispatch, undocumented statuses,
//! request validation before the handler, authentication, retries and idempotency keys.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use specgen_runtime::auth::Authenticated;
mod common;

use common::serve;
use specgen_runtime::server::axum;

mod orders {
    specgen_macros::generate!("specs/orders.yaml");
}

use orders::client::{Client, Error, RetryPolicy};
use orders::operations::*;
use orders::server::{Api, ServerConfig, router_with};
use orders::types::{Card, NewOrder, Order, Problem, Status};

/// A handler that records what reached it and fails with 503 while `failures_left` lasts.
#[derive(Clone, Default)]
struct Recorder {
    calls: Arc<AtomicUsize>,
    failures_left: Arc<AtomicUsize>,
    keys: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn failing(times: usize) -> Self {
        let recorder = Recorder::default();
        recorder.failures_left.store(times, Ordering::SeqCst);
        recorder
    }

    /// Counts the call; true when this call must fail.
    fn enter(&self) -> bool {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn order(id: i64) -> Order {
    Order {
        id,
        status: Status::Open,
        items: None,
    }
}

impl Api for Recorder {
    fn create_order(
        &self,
        request: CreateOrderRequest,
        _credential: Authenticated,
    ) -> impl Future<Output = CreateOrderResponse> + Send {
        let fail = self.enter();
        std::future::ready(if fail {
            CreateOrderResponse::ServiceUnavailable
        } else if request.body.quantity > 1 {
            CreateOrderResponse::Created(order(2))
        } else {
            CreateOrderResponse::Ok(order(1))
        })
    }

    fn create_payment(
        &self,
        request: CreatePaymentRequest,
        _credential: Authenticated,
    ) -> impl Future<Output = CreatePaymentResponse> + Send {
        let fail = self.enter();
        self.keys
            .lock()
            .unwrap()
            .push(request.idempotency_key.clone().unwrap_or_default());
        std::future::ready(if fail {
            CreatePaymentResponse::ServiceUnavailable
        } else {
            CreatePaymentResponse::Created(order(3))
        })
    }

    fn get_order(&self, request: GetOrderRequest) -> impl Future<Output = GetOrderResponse> + Send {
        let fail = self.enter();
        let items = request
            .expand
            .map(|expand| expand.iter().map(|e| e.as_str().to_owned()).collect());
        std::future::ready(match request.order_id {
            _ if fail => GetOrderResponse::ServiceUnavailable,
            404 => GetOrderResponse::NotFound(Problem {
                message: Some("no such order".into()),
            }),
            7 => GetOrderResponse::ClientError {
                status: 409,
                body: Problem { message: None },
            },
            id => GetOrderResponse::Ok(Order {
                id,
                status: Status::Paid,
                items,
            }),
        })
    }
}

async fn start(recorder: &Recorder) -> String {
    serve(router_with(
        recorder.clone(),
        ServerConfig {
            body_limit: 1024,
            ..ServerConfig::default()
        },
    ))
    .await
}

fn client(base: &str, retry: RetryPolicy) -> Client {
    Client::builder(base)
        .with_api_key("k3y-s3cr3t")
        .retry(retry)
        .build()
        .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
    }
}

fn new_order(quantity: i64) -> CreateOrderRequest {
    CreateOrderRequest {
        body: NewOrder {
            sku: "sku-1".into(),
            quantity,
            note: Default::default(),
        },
    }
}

#[tokio::test]
async fn statuses_sharing_a_schema_decode_to_their_own_variant() {
    let recorder = Recorder::default();
    let client = client(&start(&recorder).await, RetryPolicy::none());
    assert_eq!(
        client.create_order(new_order(1)).await.unwrap(),
        CreateOrderResponse::Ok(order(1))
    );
    assert_eq!(
        client.create_order(new_order(2)).await.unwrap(),
        CreateOrderResponse::Created(order(2))
    );
    let found = client
        .get_order(GetOrderRequest {
            order_id: 5,
            expand: Some(vec!["items".into(), "customer".into()]),
        })
        .await
        .unwrap();
    assert_eq!(
        found,
        GetOrderResponse::Ok(Order {
            id: 5,
            status: Status::Paid,
            items: Some(vec!["items".into(), "customer".into()])
        })
    );
    let missing = client
        .get_order(GetOrderRequest {
            order_id: 404,
            expand: None,
        })
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(matches!(missing, GetOrderResponse::NotFound(_)));
    let ranged = client
        .get_order(GetOrderRequest {
            order_id: 7,
            expand: None,
        })
        .await
        .unwrap();
    assert!(
        matches!(ranged, GetOrderResponse::ClientError { status: 409, .. }),
        "{ranged:?}"
    );
}

#[tokio::test]
async fn undocumented_statuses_and_mismatched_bodies_are_errors_that_keep_the_body() {
    let peer = axum::Router::new()
        .route(
            "/orders/{id}",
            axum::routing::get(|| async {
                (
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "short and stout",
                )
            }),
        )
        .route(
            "/orders",
            axum::routing::post(|| async {
                (
                    axum::http::StatusCode::OK,
                    [("content-type", "application/json")],
                    r#"{"id":"x"}"#,
                )
            }),
        );
    let client = client(&serve(peer).await, RetryPolicy::none());
    match client
        .get_order(GetOrderRequest {
            order_id: 1,
            expand: None,
        })
        .await
    {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(
                status, 500,
                "500 is neither listed nor in a documented range"
            );
            assert_eq!(&body[..], b"short and stout");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    match client.create_order(new_order(1)).await {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(&body[..], br#"{"id":"x"}"#);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

/// method, path, content type, body, expected status, text the JSON error must contain.
type Case<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    u16,
    &'a str,
);

#[tokio::test]
async fn invalid_requests_are_refused_before_the_handler() {
    let recorder = Recorder::default();
    let base = start(&recorder).await;
    let http = reqwest::Client::new();
    let cases: &[Case] = &[
        // method, path, content type, body, status, text the JSON error must contain
        (
            "POST",
            "/orders",
            Some("application/json"),
            Some(r#"{"sku":"abc","quantity":1}"#),
            401,
            "unauthorized",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some("{"),
            400,
            "malformed_json",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(r#"{"sku":"ab","quantity":0}"#),
            422,
            r#""pointer":"/quantity""#,
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(r#"{"sku":"ab","quantity":0}"#),
            422,
            r#""pointer":"/sku""#,
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(r#"{"quantity":1}"#),
            422,
            "missing required field `sku`",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(r#"{"sku":"abc","quantity":"1"}"#),
            422,
            "expected an integer",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(r#"{"sku":"abc","quantity":1,"x":1}"#),
            422,
            "is not a field of NewOrder",
        ),
        (
            "POST",
            "/orders?auth",
            Some("text/plain"),
            Some(r#"{"sku":"abc","quantity":1}"#),
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            None,
            422,
            "a body is required",
        ),
        (
            "POST",
            "/orders?auth",
            Some("application/json"),
            Some(&"x".repeat(2048)),
            413,
            "payload_too_large",
        ),
        ("GET", "/orders/%FF", None, None, 400, "not valid UTF-8"),
        ("GET", "/orders/0", None, None, 422, "below the minimum 1"),
        ("GET", "/orders/abc", None, None, 422, "expected an integer"),
        (
            "GET",
            "/orders/1?expand=bogus",
            None,
            None,
            422,
            "not one of the documented values",
        ),
        (
            "GET",
            "/orders/1?unknown=1",
            None,
            None,
            422,
            "is not a documented parameter",
        ),
        ("GET", "/nowhere", None, None, 404, "not_found"),
        ("DELETE", "/orders/1", None, None, 405, "method_not_allowed"),
        (
            "POST",
            "/payments?auth",
            Some("application/json"),
            Some(r#"{"card_number":"4111","cvv":"1","amount":1}"#),
            422,
            "shorter than the minimum 10",
        ),
    ];
    for (method, path, content_type, body, status, needle) in cases {
        // `?auth` marks requests that carry credentials (the marker itself is stripped).
        let (path, auth) = match path.strip_suffix("?auth") {
            Some(path) => (path, true),
            None => (*path, false),
        };
        let mut request = http.request(method.parse().unwrap(), format!("{base}{path}"));
        if auth {
            request = request.header("X-Api-Key", "k3y-s3cr3t");
        }
        if path == "/payments" {
            request = request.header("Idempotency-Key", "short");
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", *content_type);
        }
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let is_json = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v == "application/json");
        let text = response.text().await.unwrap();
        assert_eq!(got, *status, "{method} {path} {body:?}: {text}");
        assert!(is_json, "{method} {path}: error bodies are JSON");
        assert!(
            text.contains(needle),
            "{method} {path}: `{needle}` not in {text}"
        );
    }
    assert_eq!(
        recorder.calls(),
        0,
        "no invalid request reached the handler"
    );
}

#[tokio::test]
async fn idempotent_calls_are_retried_until_success() {
    let recorder = Recorder::failing(2);
    let client = client(&start(&recorder).await, fast_retries());
    let found = client
        .get_order(GetOrderRequest {
            order_id: 9,
            expand: None,
        })
        .await
        .unwrap();
    assert_eq!(found.status(), 200);
    assert_eq!(recorder.calls(), 3, "two 503s, then success");
}

#[tokio::test]
async fn retries_are_off_by_default() {
    let recorder = Recorder::failing(1);
    let client = client(&start(&recorder).await, RetryPolicy::none());
    let answer = client
        .get_order(GetOrderRequest {
            order_id: 9,
            expand: None,
        })
        .await
        .unwrap();
    assert_eq!(answer, GetOrderResponse::ServiceUnavailable);
    assert_eq!(recorder.calls(), 1);
}

#[tokio::test]
async fn a_post_without_idempotency_key_is_not_retried() {
    let recorder = Recorder::failing(2);
    let client = client(&start(&recorder).await, fast_retries());
    assert_eq!(
        client.create_order(new_order(1)).await.unwrap(),
        CreateOrderResponse::ServiceUnavailable
    );
    assert_eq!(recorder.calls(), 1);
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key() {
    let card = Card {
        card_number: "4111111111111111".into(),
        cvv: "737".into(),
        amount: 10.0,
    };
    for caller_key in [None, Some("caller-chosen-key-42".to_string())] {
        let recorder = Recorder::failing(2);
        let client = client(&start(&recorder).await, fast_retries());
        let request = CreatePaymentRequest {
            idempotency_key: caller_key.clone(),
            body: card.clone(),
        };
        assert_eq!(client.create_payment(request).await.unwrap().status(), 201);
        let keys = recorder.keys.lock().unwrap().clone();
        assert_eq!(keys.len(), 3, "every attempt reached the server");
        assert!(
            keys.iter().all(|k| *k == keys[0]),
            "one key for all attempts: {keys:?}"
        );
        match caller_key {
            Some(key) => assert_eq!(keys[0], key),
            None => assert_eq!(keys[0].len(), 36, "a generated UUID v4: {}", keys[0]),
        }
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_output() {
    let client = client("http://127.0.0.1:9", RetryPolicy::none());
    assert!(!format!("{client:?}").contains("k3y-s3cr3t"));
    let request = CreatePaymentRequest {
        idempotency_key: None,
        body: Card {
            card_number: "4111111111111111".into(),
            cvv: "737".into(),
            amount: 10.0,
        },
    };
    let text = format!("{request:?}");
    assert!(
        !text.contains("4111111111111111") && !text.contains("737"),
        "{text}"
    );
    assert!(text.contains("***"));
}

#[tokio::test]
async fn missing_credentials_fail_in_the_client() {
    let client = Client::new("http://127.0.0.1:9").unwrap();
    match client.create_order(new_order(1)).await {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "create_order");
            assert_eq!(schemes, ["api_key"]);
        }
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
}

#[tokio::test]
async fn the_mock_answers_documented_statuses_on_request() {
    let base = serve(orders::server::mock_router()).await;
    let http = reqwest::Client::new();
    let get = |status: &'static str| {
        http.get(format!("{base}/orders/5"))
            .header("x-mock-status", status)
            .send()
    };
    let unavailable = get("503").await.unwrap();
    assert_eq!(
        unavailable.status().as_u16(),
        503,
        "a documented status without a body"
    );
    // Retryable, so it says when to retry, as a real API would.
    assert_eq!(unavailable.headers()["retry-after"], "1");
    // 404 is documented without an example: the smallest body of its schema (Problem).
    let missing = get("404").await.unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    assert!(missing.headers().get("retry-after").is_none());
    let body: serde_json::Value = missing.json().await.unwrap();
    assert!(body.is_object(), "{body}");
    // A status the operation does not document has nothing to answer with.
    let undocumented = get("418").await.unwrap();
    assert_eq!(undocumented.status().as_u16(), 400);
    assert!(
        undocumented
            .text()
            .await
            .unwrap()
            .contains("no_mock_example")
    );
    // Validation still runs first: an invalid request is refused whatever status it asks for.
    let invalid = http
        .get(format!("{base}/orders/0"))
        .header("x-mock-status", "503")
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status().as_u16(), 422);
    // Without the header, the mock answers the success status with a value that fits the schema.
    let client = client(&base, RetryPolicy::none());
    assert_eq!(
        client
            .get_order(GetOrderRequest {
                order_id: 5,
                expand: None
            })
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn refusals_come_in_the_documented_error_shape() {
    let recorder = Recorder::default();
    let client = client(&start(&recorder).await, RetryPolicy::none());
    // order_id 0 breaks `minimum: 1`; get_order documents 4XX with a Problem body.
    match client
        .get_order(GetOrderRequest {
            order_id: 0,
            expand: None,
        })
        .await
        .unwrap()
    {
        GetOrderResponse::ClientError { status, body } => {
            assert_eq!(status, 422);
            let message = body.message.unwrap_or_default();
            assert!(message.contains("below the minimum 1"), "{message}");
        }
        other => panic!("expected the documented 4XX variant, got {other:?}"),
    }
    assert_eq!(recorder.calls(), 0);
}

#[tokio::test]
async fn zero_bytes_with_a_content_type_are_an_empty_document_not_a_missing_one() {
    let gateway = specgen_all_apis::APIS
        .iter()
        .find(|api| api.crate_name == "gateway")
        .expect("the gateway crate");
    let base = serve((gateway.mock_router)()).await;
    let http = reqwest::Client::new();
    // `POST /api/filebatch` takes a required `text/csv` body: a string with no length limit.
    let upload = |content_type: Option<&'static str>| {
        let mut request = http
            .post(format!("{base}/api/filebatch"))
            .header("authorization", "test-credential")
            .body("");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    let empty_file = upload(Some("text/csv")).await.unwrap();
    assert!(
        empty_file.status().is_success(),
        "{}",
        empty_file.text().await.unwrap()
    );
    let nothing = upload(None).await.unwrap();
    let status = nothing.status().as_u16();
    let text = nothing.text().await.unwrap();
    assert!(matches!(status, 400 | 422), "{status} {text}");
    assert!(text.contains("required"), "{text}");
}

#[tokio::test]
async fn security_alternatives_sharing_a_header_are_tried_in_turn() {
    // The gateway takes `Authorization: <api key>` or `Authorization: Bearer <JWT>`: the bearer
    // value also satisfies the API-key alternative (any text does), is refused there, and must
    // then be offered as a bearer token.
    let gateway = specgen_all_apis::APIS
        .iter()
        .find(|api| api.crate_name == "gateway")
        .expect("the gateway crate");
    let base = serve((gateway.mock_router)()).await;
    let http = reqwest::Client::new();
    let status = |authorization: Option<&'static str>| {
        let mut request = http.get(format!("{base}/api/user/apikeys"));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        status(Some("test-credential")).await,
        200,
        "the API key alternative"
    );
    assert_eq!(
        status(Some("Bearer test-credential")).await,
        200,
        "the bearer alternative, after the API-key one refused it"
    );
    assert_eq!(status(Some("Bearer wrong")).await, 401);
    assert_eq!(status(None).await, 401);
}
