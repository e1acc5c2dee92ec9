//! The generated client and server of `tests/specs/wire.yaml` over loopback HTTP: every request
//! the client sends is captured as raw bytes (method, path and query, headers, body) and pinned
//! to what the OpenAPI style table and the Encoding Objects prescribe, and the server — which
//! decodes the same bytes — must hand its handler a request equal to the one the client was
//! given.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use specgen_runtime::Binary;
use specgen_runtime::server::axum;

mod common;

mod wire {
    specgen_macros::generate!("specs/wire.yaml");
}

use wire::client::Client;
use wire::operations::*;
use wire::server::{Api, router};
use wire::types::*;

/// One request as it crossed the wire.
#[derive(Clone, Debug)]
struct Raw {
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What a handler was given.
#[derive(Debug, PartialEq)]
enum Received {
    Path(PathStylesRequest),
    Query(QueryStylesRequest),
    Headers(HeaderStylesRequest),
    PaymentIntent(CreatePaymentIntentRequest),
    Upload(UploadFileRequest),
}

#[derive(Clone, Default)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
}

impl Recorder {
    fn record(&self, received: Received) {
        self.received.lock().unwrap().push(received);
    }

    fn take(&self) -> Received {
        self.received.lock().unwrap().remove(0)
    }
}

impl Api for Recorder {
    fn path_styles(
        &self,
        request: PathStylesRequest,
    ) -> impl Future<Output = PathStylesResponse> + Send {
        self.record(Received::Path(request));
        std::future::ready(PathStylesResponse::NoContent)
    }

    fn query_styles(
        &self,
        request: QueryStylesRequest,
    ) -> impl Future<Output = QueryStylesResponse> + Send {
        self.record(Received::Query(request));
        std::future::ready(QueryStylesResponse::NoContent)
    }

    fn header_styles(
        &self,
        request: HeaderStylesRequest,
    ) -> impl Future<Output = HeaderStylesResponse> + Send {
        self.record(Received::Headers(request));
        std::future::ready(HeaderStylesResponse::NoContent)
    }

    fn create_payment_intent(
        &self,
        request: CreatePaymentIntentRequest,
    ) -> impl Future<Output = CreatePaymentIntentResponse> + Send {
        self.record(Received::PaymentIntent(request));
        std::future::ready(CreatePaymentIntentResponse::Ok(CreatePaymentIntentOkBody {
            id: Some("pi_1".into()),
        }))
    }

    fn upload_file(
        &self,
        request: UploadFileRequest,
    ) -> impl Future<Output = UploadFileResponse> + Send {
        let size = request.body.file.bytes.len() as i64;
        self.record(Received::Upload(request));
        std::future::ready(UploadFileResponse::Ok(UploadFileOkBody {
            size: Some(size),
        }))
    }
}

/// Records every request's raw bytes before the generated router sees them.
async fn capture(
    axum::extract::State(log): axum::extract::State<Arc<Mutex<Vec<Raw>>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    log.lock().unwrap().push(Raw {
        target: parts.uri.to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
            .collect(),
        body: bytes.to_vec(),
    });
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

struct Harness {
    client: Client,
    recorder: Recorder,
    log: Arc<Mutex<Vec<Raw>>>,
}

impl Harness {
    async fn start() -> Harness {
        let recorder = Recorder::default();
        let log: Arc<Mutex<Vec<Raw>>> = Arc::default();
        let app = router(recorder.clone())
            .layer(axum::middleware::from_fn_with_state(log.clone(), capture));
        let base = common::serve(app).await;
        Harness {
            client: Client::new(&base).unwrap(),
            recorder,
            log,
        }
    }

    fn raw(&self) -> Raw {
        self.log.lock().unwrap().remove(0)
    }
}

fn color() -> Color {
    Color { r: 1, g: 2, b: 3 }
}

#[tokio::test]
async fn path_styles_are_written_as_the_table_says_and_read_back() {
    let harness = Harness::start().await;
    let request = PathStylesRequest {
        matrix: vec![1, 2],
        label: vec!["a b".into(), "c".into()],
        simple: color(),
        plain: "x/y".into(),
    };
    let response = harness.client.path_styles(request.clone()).await.unwrap();
    assert_eq!(response, PathStylesResponse::NoContent);
    assert_eq!(
        harness.raw().target,
        "/paths/;matrix=1;matrix=2/.a%20b,c/R=1,G=2,B=3/x%2Fy"
    );
    assert_eq!(harness.recorder.take(), Received::Path(request));
}

#[tokio::test]
async fn query_styles_are_written_as_the_table_says_and_read_back() {
    let harness = Harness::start().await;
    let request = QueryStylesRequest {
        ids: Some(vec![1, 2]),
        tags: Some(vec!["a,b".into(), "c".into()]),
        words: Some(vec!["x".into(), "y".into()]),
        pipes: Some(vec!["p".into(), "q".into()]),
        color: Some(color()),
        expand: Some(vec!["data.customer".into(), "data.invoice".into()]),
        next: Some("a/b:c?d".into()),
        limit: Some(10),
        rest: Some(BTreeMap::from([("extra".to_string(), "1".to_string())])),
    };
    harness.client.query_styles(request.clone()).await.unwrap();
    assert_eq!(
        harness.raw().target,
        "/query?ids=1&ids=2&tags=a%2Cb,c&words=x%20y&pipes=p|q&color[R]=1&color[G]=2&color[B]=3\
         &expand[0]=data.customer&expand[1]=data.invoice&next=a/b:c?d&limit=10&extra=1"
    );
    assert_eq!(harness.recorder.take(), Received::Query(request));

    // Nothing optional: nothing sent, nothing invented on the way back.
    harness
        .client
        .query_styles(QueryStylesRequest::default())
        .await
        .unwrap();
    assert_eq!(harness.raw().target, "/query");
    assert_eq!(
        harness.recorder.take(),
        Received::Query(QueryStylesRequest::default())
    );
}

#[tokio::test]
async fn header_and_cookie_styles_round_trip() {
    let harness = Harness::start().await;
    let request = HeaderStylesRequest {
        x_ids: Some(vec![1, 2]),
        x_color: Some(color()),
        session: Some("s 1;x".into()),
        prefs: Some(vec!["a".into(), "b".into()]),
    };
    harness.client.header_styles(request.clone()).await.unwrap();
    let raw = harness.raw();
    assert_eq!(raw.header("x-ids"), Some("1,2"));
    assert_eq!(raw.header("x-color"), Some("R=1,G=2,B=3"));
    assert_eq!(raw.header("cookie"), Some("session=s%201%3Bx; prefs=a,b"));
    assert_eq!(harness.recorder.take(), Received::Headers(request));
}

#[tokio::test]
async fn stripe_shaped_form_bodies_use_brackets_and_read_back() {
    let harness = Harness::start().await;
    let request = CreatePaymentIntentRequest {
        idempotency_key: Some("key-1".into()),
        body: PaymentIntentCreate {
            amount: 2000,
            currency: "usd".into(),
            confirm: Some(true),
            description: None,
            metadata: Some(BTreeMap::from([(
                "order_id".to_string(),
                "6735".to_string(),
            )])),
            payment_method_types: Some(vec!["card".into()]),
            expand: Some(vec!["latest_charge".into()]),
            shipping: Some(PaymentIntentCreateShipping {
                name: "Jenny Rosen".into(),
                address: Some(PaymentIntentCreateShippingAddress {
                    line1: Some("1 Main St".into()),
                    city: Some("SF".into()),
                }),
            }),
            items: Some(vec![PaymentIntentCreateItemsItem {
                price: Some("price_1".into()),
                quantity: Some(2),
            }]),
            off_session: Some(PaymentIntentCreateOffSession::Boolean(true)),
            options: Some(PaymentIntentCreateOptions {
                capture: Some("manual".into()),
            }),
        },
    };
    let response = harness
        .client
        .create_payment_intent(request.clone())
        .await
        .unwrap();
    assert!(matches!(response, CreatePaymentIntentResponse::Ok(_)));
    let raw = harness.raw();
    assert_eq!(
        raw.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(raw.header("idempotency-key"), Some("key-1"));
    assert_eq!(
        String::from_utf8(raw.body).unwrap(),
        "amount=2000&currency=usd&confirm=true&metadata[order_id]=6735&payment_method_types[0]=card\
         &expand[0]=latest_charge&shipping[name]=Jenny%20Rosen&shipping[address][line1]=1%20Main%20St\
         &shipping[address][city]=SF&items[0][price]=price_1&items[0][quantity]=2&off_session=true\
         &options=%7B%22capture%22%3A%22manual%22%7D"
    );
    assert_eq!(harness.recorder.take(), Received::PaymentIntent(request));

    // The enum alternative of `off_session` reads back as the enum, not as a string.
    let mut other = CreatePaymentIntentRequest {
        idempotency_key: None,
        body: PaymentIntentCreate {
            amount: 1,
            currency: "eur".into(),
            confirm: None,
            description: Some("a&b=c".into()),
            metadata: None,
            payment_method_types: None,
            expand: None,
            shipping: None,
            items: None,
            off_session: Some(PaymentIntentCreateOffSession::String(
                PaymentIntentCreateOffSessionString::OneOff,
            )),
            options: None,
        },
    };
    harness
        .client
        .create_payment_intent(other.clone())
        .await
        .unwrap();
    let raw = harness.raw();
    assert_eq!(
        String::from_utf8(raw.body.clone()).unwrap(),
        "amount=1&currency=eur&description=a%26b%3Dc&off_session=one_off"
    );
    // No key given: the client made one (and the server passed it on).
    let key = raw
        .header("idempotency-key")
        .expect("a generated key")
        .to_owned();
    assert_eq!(key.len(), 36, "a UUID: {key}");
    other.idempotency_key = Some(key);
    assert_eq!(harness.recorder.take(), Received::PaymentIntent(other));
}

#[tokio::test]
async fn multipart_uploads_send_each_part_by_its_kind_and_read_back() {
    let harness = Harness::start().await;
    let pdf = Binary::new(b"%PDF-1.4\r\n--not-a-boundary\r\n".to_vec())
        .with_filename("evidence.pdf")
        .with_content_type("application/pdf");
    let png = Binary::new(vec![0x89, b'P', b'N', b'G', 0, 255])
        .with_filename("1.png")
        .with_content_type("image/png");
    let request = UploadFileRequest {
        body: FileUpload {
            purpose: FileUploadPurpose::DisputeEvidence,
            file: pdf,
            attachments: Some(vec![png]),
            file_link_data: Some(FileUploadFileLinkData {
                create: Some(true),
                expires_at: Some(1_700_000_000),
            }),
            tags: Some(vec!["x".into(), "y".into()]),
            meta: Some(FileUploadMeta {
                source: Some("web".into()),
            }),
        },
    };
    let response = harness.client.upload_file(request.clone()).await.unwrap();
    assert_eq!(
        response,
        UploadFileResponse::Ok(UploadFileOkBody {
            size: Some(request.body.file.bytes.len() as i64)
        })
    );
    let raw = harness.raw();
    let content_type = raw.header("content-type").unwrap().to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with its boundary");
    let body = String::from_utf8_lossy(&raw.body).replace(boundary, "BOUNDARY");
    let part = |name: &str, extra: &str, media: &str, content: &str| {
        format!(
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\nContent-Type: {media}\r\n\r\n{content}\r\n"
        )
    };
    let expected = [
        part("purpose", "", "text/plain", "dispute_evidence"),
        part(
            "file",
            "; filename=\"evidence.pdf\"",
            "application/pdf",
            "%PDF-1.4\r\n--not-a-boundary\r\n",
        ),
        part(
            "attachments",
            "; filename=\"1.png\"",
            "image/png",
            &String::from_utf8_lossy(&[0x89, b'P', b'N', b'G', 0, 255]),
        ),
        part("file_link_data[create]", "", "text/plain", "true"),
        part("file_link_data[expires_at]", "", "text/plain", "1700000000"),
        part("tags", "", "text/plain", "x"),
        part("tags", "", "text/plain", "y"),
        part("meta", "", "application/json", "{\"source\":\"web\"}"),
        "--BOUNDARY--\r\n".to_string(),
    ]
    .concat();
    assert_eq!(body, expected);
    assert_eq!(harness.recorder.take(), Received::Upload(request));
}

#[tokio::test]
async fn servers_refuse_what_the_styles_cannot_read() {
    let harness = Harness::start().await;
    let base = harness.client.base_url().to_owned();
    let http = reqwest::Client::new();
    for (path, status, needle) in [
        // A matrix parameter sent in the simple style.
        (
            "/paths/1/.a/R=1,G=2,B=3/x",
            400,
            "matrix-style value starts with `;`",
        ),
        // A deepObject field the schema does not declare, and an undocumented parameter.
        (
            "/query?color[R]=1&color[G]=2&color[B]=3&color[A]=4",
            422,
            "color",
        ),
        // (`/query` has an exploded free-form object, which takes leftover pairs; `/headers` has
        // no query parameters at all.)
        ("/headers?colour=red", 422, "colour"),
        // An item that is not an integer.
        ("/query?ids=1&ids=two", 422, "ids"),
    ] {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        let got = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{path}: {text}");
        assert!(text.contains(needle), "{path}: `{needle}` not in {text}");
    }
    let form = http
        .post(format!("{base}/payment_intents"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("amount=ten&currency=usd&bogus=1")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 422);
    let text = form.text().await.unwrap();
    assert!(
        text.contains("/amount") && text.contains("/bogus"),
        "{text}"
    );
    let missing_file = http
        .post(format!("{base}/files"))
        .header("content-type", "multipart/form-data; boundary=b")
        .body("--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nidentity_document\r\n--b--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(missing_file.status().as_u16(), 422);
    let text = missing_file.text().await.unwrap();
    assert!(text.contains("file"), "{text}");
}
