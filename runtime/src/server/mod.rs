//! What generated axum servers run on: request parsing and validation before any handler runs,
//! JSON problem bodies for every client mistake, authentication checks, response building.

use std::fmt;

pub use axum;
use axum::response::{IntoResponse, Response};
pub use bytes::Bytes;
pub use http;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;

use crate::schema::{Resolver, Shape, validate};

impl crate::schema::ErrorPlace for Detail {
    fn place(&self) -> String {
        match (self.name.is_empty(), self.pointer.is_empty()) {
            (true, _) => self.pointer.clone(),
            (false, true) => self.name.clone(),
            (false, false) => format!("{}{}", self.name, self.pointer),
        }
    }
    fn reason(&self) -> &str {
        &self.reason
    }
}

/// Settings of a generated router.
#[derive(Clone)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes (larger ones get 413).
    pub body_limit: usize,
    /// Where operations marked `x-idempotency` keep keys and saved answers: a [`MemoryStore`]
    /// by default (this process only); a `RedisStore` (feature `redis`) when several instances
    /// serve one API.
    pub idempotency_store: std::sync::Arc<dyn IdempotencyStore>,
    /// How long a claimed key stays "in progress" when its request never finishes (a crashed
    /// instance); longer than the slowest handler, or a retry could run while it still does.
    pub idempotency_lease: std::time::Duration,
}

impl ServerConfig {
    /// The idempotency settings handlers share.
    #[doc(hidden)]
    pub fn idempotency(&self) -> Idempotency {
        Idempotency::new(self.idempotency_store.clone(), self.idempotency_lease)
    }
}

impl Default for ServerConfig {
    /// 1 MiB bodies, idempotency keys in memory, 5-minute leases.
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
            idempotency_store: std::sync::Arc::new(MemoryStore::default()),
            idempotency_lease: std::time::Duration::from_secs(300),
        }
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("body_limit", &self.body_limit)
            .field("idempotency_lease", &self.idempotency_lease)
            .finish_non_exhaustive()
    }
}

/// Where a problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// The request body.
    Body,
}

/// One problem with a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Detail {
    /// Path, query, header or body.
    #[serde(rename = "in")]
    pub location: Location,
    /// The parameter's name (empty for the body).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// JSON pointer into the parameter's or body's value.
    pub pointer: String,
    /// What is wrong.
    pub reason: String,
}

/// The JSON error answer to a request the server will not pass to a handler:
/// `{"error": "invalid_request", "message": "…", "details": [{"in", "name", "pointer", "reason"}]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// Machine-readable kind (`malformed_json`, `invalid_request`, `unauthorized`, …).
    pub error: &'static str,
    /// Human-readable summary.
    pub message: String,
    /// Every problem found, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
}

impl Problem {
    /// A problem with a status, kind and message.
    pub fn new(status: u16, error: &'static str, message: impl Into<String>) -> Self {
        Problem {
            status,
            error,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// 422: the request is well-formed but breaks the spec; `details` say where and how.
    pub fn invalid(details: Vec<Detail>) -> Self {
        let message = match details.as_slice() {
            [one] => format!(
                "{} {}: {}",
                location_word(one.location),
                describe_place(one),
                one.reason
            ),
            many => format!("{} problems with the request", many.len()),
        };
        Problem {
            status: 422,
            error: "invalid_request",
            message,
            details,
        }
    }

    /// 404 for a path no operation serves.
    pub fn not_found() -> Self {
        Problem::new(404, "not_found", "no operation is documented at this path")
    }

    /// 405 for a documented path with an undocumented method.
    pub fn method_not_allowed() -> Self {
        Problem::new(
            405,
            "method_not_allowed",
            "this method is not documented for this path",
        )
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Body => "body",
    }
}

fn describe_place(detail: &Detail) -> String {
    match (detail.name.is_empty(), detail.pointer.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("at {}", detail.pointer),
        (false, true) => format!("`{}`", detail.name),
        (false, false) => format!("`{}` at {}", detail.name, detail.pointer),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.error, self.message)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    }
}

mod context;
mod idempotency;
#[cfg(feature = "redis")]
mod redis_store;
mod request;

pub use context::RequestContext;
#[doc(hidden)]
pub use idempotency::{
    Claim, ClaimToken, Idempotency, IdempotencyRule, IdempotencyStore, KeySource, MemoryStore,
    SavedResponse, StoreError, StoreFuture,
};
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
#[doc(hidden)]
pub use request::{Candidates, OperationSpec, RawRequest, Request};

/// The credential of an operation every security alternative of which needs one (401 without).
#[doc(hidden)]
pub fn required_credential(
    credential: Option<crate::auth::Authenticated>,
) -> Result<crate::auth::Authenticated, Problem> {
    credential.ok_or_else(|| Problem::new(401, "unauthorized", "credentials are required"))
}

/// A response with an `application/json` body and no documented headers.
#[doc(hidden)]
pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Response {
    json_response(status, body, "application/json", &[])
}

/// A response without a body and without documented headers.
#[doc(hidden)]
pub fn empty(status: u16) -> Response {
    raw_response(status, None, &[])
}

/// Builds a response with a JSON body and documented headers (`None` values are left out).
#[doc(hidden)]
pub fn json_response<T: Serialize + ?Sized>(
    status: u16,
    body: &T,
    content_type: &'static str,
    headers: &[(&'static str, Option<String>)],
) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => raw_response(status, Some((content_type, bytes)), headers),
        Err(error) => Problem::new(
            500,
            "response_encoding",
            format!("the handler's response does not encode: {error}"),
        )
        .into_response(),
    }
}

/// Builds a response with an optional raw body and documented headers.
#[doc(hidden)]
pub fn raw_response(
    status: u16,
    body: Option<(&'static str, Vec<u8>)>,
    headers: &[(&'static str, Option<String>)],
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some((content_type, bytes)) => {
            (status, [(http::header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => status.into_response(),
    };
    for (name, value) in headers {
        if let Some(value) = value
            && let Ok(value) = HeaderValue::from_str(value)
        {
            response.headers_mut().insert(*name, value);
        }
    }
    response
}

/// The request's media type, without parameters, lower-cased (empty when absent).
#[doc(hidden)]
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// The answer for paths no operation serves.
#[doc(hidden)]
pub async fn not_found() -> Response {
    Problem::not_found().into_response()
}

/// The answer for undocumented methods on documented paths.
#[doc(hidden)]
pub async fn method_not_allowed() -> Response {
    Problem::method_not_allowed().into_response()
}

/// A documented example answer, for `MockApi`'s `x-mock-status` request header.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct MockExample {
    /// HTTP method (`GET`).
    pub method: &'static str,
    /// Path template (`/api/payments/{payment_id}`).
    pub path: &'static str,
    /// The documented status.
    pub status: u16,
    /// Media type of the example (empty for a status documented without a body).
    pub media_type: &'static str,
    /// The example, as JSON text.
    pub body: &'static str,
}

/// True when `path` is an instance of `template` (`{name}` matches one segment).
#[doc(hidden)]
pub fn path_matches(template: &str, path: &str) -> bool {
    let mut template_segments = template.trim_end_matches('/').split('/');
    let mut path_segments = path.trim_end_matches('/').split('/');
    loop {
        match (template_segments.next(), path_segments.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') && t.ends_with('}') && !p.is_empty() => {}
            (Some(t), Some(p)) if t == p => {}
            _ => return false,
        }
    }
}

/// A documented test input and the answer the API's test mode gives it (`x-test-mode`).
#[derive(Debug)]
#[doc(hidden)]
pub struct MockTestCase {
    /// HTTP method (`POST`).
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// JSON pointers into the request body and the text each must hold.
    pub when: &'static [(&'static str, &'static str)],
    /// The answer's status.
    pub status: u16,
    /// The answer's media type.
    pub media_type: &'static str,
    /// The answer, as JSON text (a documented example).
    pub body: &'static str,
}

/// Largest body the test-mode layer reads to look for test inputs (the router's own limit
/// still applies behind it).
const TEST_MODE_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The mock's test mode: a valid request whose body holds a documented test input (a test
/// card number, a test bank account) gets that input's documented answer — the success
/// example or the documented error — instead of the default one.
#[doc(hidden)]
pub async fn mock_test_mode(
    axum::extract::State(cases): axum::extract::State<&'static [MockTestCase]>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let applies = |case: &&MockTestCase| case.method == method && path_matches(case.path, &path);
    if !cases.iter().any(|case| applies(&case)) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, TEST_MODE_BODY_LIMIT).await else {
        return Problem::new(413, "payload_too_large", "the request body is too large")
            .into_response();
    };
    let value: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
    let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
    let response = next.run(request).await;
    // Refusals (validation, authentication) stand: test inputs answer only valid requests.
    let (true, Some(value)) = (response.status().is_success(), value) else {
        return response;
    };
    let holds = |pointer: &str, want: &str| match value.pointer(pointer) {
        Some(serde_json::Value::String(text)) => text == want,
        Some(serde_json::Value::Number(number)) => number.to_string() == want,
        _ => false,
    };
    match cases
        .iter()
        .filter(applies)
        .find(|case| case.when.iter().all(|(pointer, want)| holds(pointer, want)))
    {
        Some(case) => raw_response(
            case.status,
            Some((case.media_type, case.body.as_bytes().to_vec())),
            &[],
        ),
        None => response,
    }
}

/// Middleware of mock routers: a request with `x-mock-status: 404` that passes validation is
/// answered with the spec's documented example for that status (400 when there is none); a
/// 429 or 503 carries `Retry-After: 1`.
#[doc(hidden)]
pub async fn mock_status(
    axum::extract::State(examples): axum::extract::State<&'static [MockExample]>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let wanted = request
        .headers()
        .get("x-mock-status")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u16>().ok());
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let Some(wanted) = wanted else {
        return response;
    };
    if !response.status().is_success() {
        return response;
    }
    let candidates = || {
        examples
            .iter()
            .filter(|e| e.method == method && path_matches(e.path, &path))
    };
    let chosen = candidates()
        .filter(|e| e.path.matches('{').count() == 0)
        .find(|e| e.status == wanted)
        .or_else(|| candidates().find(|e| e.status == wanted));
    // A client under test sees a retryable answer as the real API would send it: with a
    // `Retry-After` (one second, so retry loops stay quick).
    let retry_after = |status: u16| {
        [(
            "retry-after",
            matches!(status, 429 | 503).then(|| "1".to_string()),
        )]
    };
    match chosen {
        Some(example) if example.media_type.is_empty() => {
            raw_response(example.status, None, &retry_after(example.status))
        }
        Some(example) => raw_response(
            example.status,
            Some((example.media_type, example.body.as_bytes().to_vec())),
            &retry_after(example.status),
        ),
        None => Problem::new(
            400,
            "no_mock_example",
            format!("the spec documents no example for status {wanted} of {method} {path}"),
        )
        .into_response(),
    }
}

/// Which statuses a documented error response covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

/// An error response an operation documents with a JSON body: the server renders its own
/// refusals (validation, authentication) in that shape, so clients generated from the same spec
/// decode them like any other documented error.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct ErrorDoc {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its media type.
    pub media_type: &'static str,
    /// Its body's shape.
    pub shape: Shape,
}

fn covering(docs: &[ErrorDoc], status: u16) -> Option<&ErrorDoc> {
    docs.iter()
        .find(|d| d.status == StatusMatch::Code(status))
        .or_else(|| {
            docs.iter()
                .find(|d| d.status == StatusMatch::Range(status / 100))
        })
        .or_else(|| docs.iter().find(|d| d.status == StatusMatch::Default))
}

/// Answers a refused request: the status is moved to one the operation documents when the
/// natural one is not (422 → 400), and the body takes the documented error schema when there
/// is one (filled from the problem, checked against the schema; the generic problem JSON
/// otherwise).
#[doc(hidden)]
pub fn problem_response<'s>(
    mut problem: Problem,
    docs: &'s [ErrorDoc],
    resolve: Resolver<'s>,
) -> Response {
    // A content refusal (415, 422) the operation does not document under its own status takes
    // the closest documented client-error status: 400, else 422. Authentication keeps its 401.
    let documented_exactly = |status: u16| {
        docs.iter().any(|d| {
            d.status == StatusMatch::Code(status) || d.status == StatusMatch::Range(status / 100)
        })
    };
    if matches!(problem.status, 415 | 422)
        && !documented_exactly(problem.status)
        && let Some(status) = [400, 422].into_iter().find(|s| documented_exactly(*s))
    {
        problem.status = status;
    }
    if let Some(doc) = covering(docs, problem.status) {
        let body = crate::schema::fill_error(
            &doc.shape,
            resolve,
            problem.status,
            problem.error,
            &problem.message,
            &problem.details,
        );
        if validate(&doc.shape, &body, resolve).is_empty() {
            return match serde_json::to_vec(&body) {
                Ok(bytes) => raw_response(problem.status, Some((doc.media_type, bytes)), &[]),
                Err(_) => problem.into_response(),
            };
        }
    }
    problem.into_response()
}
