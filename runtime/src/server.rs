//! What generated axum servers run on: request parsing and validation before any handler runs,
//! JSON problem bodies for every client mistake, authentication checks, response building.

use std::fmt;

pub use axum;
use axum::extract::rejection::BytesRejection;
use axum::response::{IntoResponse, Response};
pub use bytes::Bytes;
pub use http;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::{Authenticated, Credential, KeyLocation, Scheme, SchemeKind, base64_decode};
use crate::params::{Style, decode_component, value_from_texts};
use crate::schema::{Resolver, Shape, validate, validate_slice};

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
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Largest request body accepted, in bytes (larger ones get 413).
    pub body_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
        }
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

/// Everything a generated handler reads from a request, taken apart once: the headers are moved,
/// not copied, and extraction never fails (problems surface from [`RawRequest::into_inputs`] in
/// the operation's documented error shape).
pub struct RawRequest {
    path: Result<Vec<(String, String)>, Problem>,
    query: Option<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::{FromRequestParts, RawPathParams};
        let (mut parts, body) = request.into_parts();
        let path = match RawPathParams::from_request_parts(&mut parts, state).await {
            Ok(params) => Ok(params
                .iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect()),
            Err(rejection) => Err(Problem::new(400, "malformed_path", rejection.body_text())),
        };
        let query = parts.uri.query().map(str::to_owned);
        let headers = std::mem::take(&mut parts.headers);
        let body = <Bytes as axum::extract::FromRequest<S>>::from_request(
            axum::extract::Request::from_parts(parts, body),
            state,
        )
        .await;
        Ok(RawRequest {
            path,
            query,
            headers,
            body,
        })
    }
}

impl RawRequest {
    /// The request's inputs; `Err` for a malformed path or an unreadable or oversized body.
    pub fn into_inputs(self) -> Result<Inputs, Problem> {
        Inputs::new(self.path?, self.query, self.headers, self.body)
    }
}

/// The parts of a request a generated handler reads, already split and decoded.
#[derive(Debug)]
pub struct Inputs {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
}

impl Inputs {
    /// The request's `Content-Type`, without parameters, lower-cased (empty when absent).
    pub fn content_type(&self) -> String {
        content_type(&self.headers)
    }

    /// Collects path captures, the raw query, headers and the body (413 past the size limit).
    pub fn new(
        path: Vec<(String, String)>,
        raw_query: Option<String>,
        headers: HeaderMap,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<Inputs, Problem> {
        let body = body.map_err(|rejection| {
            let status = rejection.status().as_u16();
            Problem::new(
                status,
                if status == 413 {
                    "payload_too_large"
                } else {
                    "unreadable_body"
                },
                rejection.body_text(),
            )
        })?;
        let mut query = Vec::new();
        for pair in raw_query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key =
                decode_component(key, true).map_err(|e| Problem::new(400, "malformed_query", e))?;
            let value = decode_component(value, true)
                .map_err(|e| Problem::new(400, "malformed_query", e))?;
            query.push((key, value));
        }
        Ok(Inputs {
            path,
            query,
            headers,
            body,
        })
    }

    fn decode<T: DeserializeOwned>(
        value: Value,
        location: Location,
        name: &str,
        problems: &mut Vec<Detail>,
    ) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(error) => {
                problems.push(Detail {
                    location,
                    name: name.to_string(),
                    pointer: String::new(),
                    reason: error.to_string(),
                });
                None
            }
        }
    }

    fn checked<T: DeserializeOwned>(
        value: Value,
        shape: &Shape,
        resolve: Resolver<'_>,
        location: Location,
        name: &str,
        problems: &mut Vec<Detail>,
    ) -> Option<T> {
        let violations = validate(shape, &value, resolve);
        if !violations.is_empty() {
            problems.extend(violations.into_iter().map(|v| Detail {
                location,
                name: name.to_string(),
                pointer: v.pointer,
                reason: v.reason,
            }));
            return None;
        }
        Self::decode(value, location, name, problems)
    }

    /// A path parameter (always required). `None` when it is invalid (a detail is recorded).
    pub fn path<'s, T: DeserializeOwned>(
        &self,
        name: &str,
        shape: &'s Shape,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Option<T> {
        let Some((_, text)) = self.path.iter().find(|(key, _)| key == name) else {
            problems.push(Detail {
                location: Location::Path,
                name: name.into(),
                pointer: String::new(),
                reason: "is missing".into(),
            });
            return None;
        };
        let value = value_from_texts(std::slice::from_ref(text), shape, Style::Simple, resolve);
        Self::checked(value, shape, resolve, Location::Path, name, problems)
    }

    /// A query parameter: `Some(None)` when absent and optional, `None` when invalid.
    pub fn query<'s, T: DeserializeOwned>(
        &self,
        name: &str,
        required: bool,
        shape: &'s Shape,
        style: Style,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Option<Option<T>> {
        let texts: Vec<String> = match style {
            Style::DeepObject => {
                let prefix = format!("{name}[");
                let mut object = serde_json::Map::new();
                for (key, value) in &self.query {
                    if let Some(field) = key
                        .strip_prefix(&prefix)
                        .and_then(|rest| rest.strip_suffix(']'))
                    {
                        object.insert(field.to_string(), Value::String(value.clone()));
                    }
                }
                if object.is_empty() {
                    return absent(required, Location::Query, name, problems);
                }
                return Self::checked(
                    Value::Object(object),
                    shape,
                    resolve,
                    Location::Query,
                    name,
                    problems,
                )
                .map(Some);
            }
            _ => self
                .query
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .collect(),
        };
        if texts.is_empty() {
            return absent(required, Location::Query, name, problems);
        }
        let value = value_from_texts(&texts, shape, style, resolve);
        Self::checked(value, shape, resolve, Location::Query, name, problems).map(Some)
    }

    /// A header parameter: `Some(None)` when absent and optional, `None` when invalid.
    pub fn header<'s, T: DeserializeOwned>(
        &self,
        name: &str,
        required: bool,
        shape: &'s Shape,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Option<Option<T>> {
        let Some(raw) = self.headers.get(name) else {
            return absent(required, Location::Header, name, problems);
        };
        let Ok(text) = raw.to_str() else {
            problems.push(Detail {
                location: Location::Header,
                name: name.into(),
                pointer: String::new(),
                reason: "is not text".into(),
            });
            return None;
        };
        let value = value_from_texts(&[text.to_string()], shape, Style::Simple, resolve);
        Self::checked(value, shape, resolve, Location::Header, name, problems).map(Some)
    }

    /// Query parameters the operation does not document are refused, not silently dropped.
    pub fn reject_unknown_query(
        &self,
        documented: &[&str],
        also_allowed: &[&str],
        problems: &mut Vec<Detail>,
    ) {
        for (key, _) in &self.query {
            let base = key.split('[').next().unwrap_or(key);
            if !documented.contains(&base) && !also_allowed.contains(&key.as_str()) {
                problems.push(Detail {
                    location: Location::Query,
                    name: key.clone(),
                    pointer: String::new(),
                    reason: "is not a documented parameter of this operation".into(),
                });
            }
        }
    }

    /// The JSON body: `Ok(None)` when absent and optional; `Err` (400) when it is not JSON;
    /// schema violations are recorded in `problems` (and give `Ok(None)`).
    pub fn json_body<'s, T: DeserializeOwned>(
        &self,
        required: bool,
        shape: &'s Shape,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Result<Option<T>, Problem> {
        if self.body.is_empty() {
            if required {
                problems.push(Detail {
                    location: Location::Body,
                    name: String::new(),
                    pointer: String::new(),
                    reason: "a body is required".into(),
                });
            }
            return Ok(None);
        }
        if let Some(content_type) = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        {
            let media = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if !(media == "application/json" || media.ends_with("+json")) {
                return Err(Problem::new(
                    415,
                    "unsupported_media_type",
                    format!("expected a JSON body, got `{media}`"),
                ));
            }
        }
        // Checked while read, then decoded from the same bytes: no `Value` tree in between.
        let violations = validate_slice(shape, &self.body, resolve).map_err(|error| {
            Problem::new(
                400,
                "malformed_json",
                format!("the body is not valid JSON: {error}"),
            )
        })?;
        if !violations.is_empty() {
            problems.extend(violations.into_iter().map(|v| Detail {
                location: Location::Body,
                name: String::new(),
                pointer: v.pointer,
                reason: v.reason,
            }));
            return Ok(None);
        }
        match serde_json::from_slice(&self.body) {
            Ok(typed) => Ok(Some(typed)),
            Err(error) => {
                problems.push(Detail {
                    location: Location::Body,
                    name: String::new(),
                    pointer: String::new(),
                    reason: error.to_string(),
                });
                Ok(None)
            }
        }
    }

    /// No body was sent: nothing, and no `Content-Type`. Zero bytes labelled `text/csv` (say) are
    /// an empty document, which the schema may well allow, not a missing one.
    fn no_document(&self) -> bool {
        self.body.is_empty() && !self.headers.contains_key(http::header::CONTENT_TYPE)
    }

    /// A non-JSON body as text (`text/plain`, `text/csv`), checked against the body's string
    /// shape (pattern, length).
    pub fn text_body<'s>(
        &self,
        required: bool,
        shape: &'s Shape,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Option<Option<String>> {
        if self.no_document() {
            return absent(required, Location::Body, "", problems);
        }
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Self::checked::<String>(
                Value::String(text),
                shape,
                resolve,
                Location::Body,
                "",
                problems,
            )
            .map(Some),
            Err(_) => {
                problems.push(Detail {
                    location: Location::Body,
                    name: String::new(),
                    pointer: String::new(),
                    reason: "is not UTF-8 text".into(),
                });
                None
            }
        }
    }

    /// A `multipart/form-data` body, kept raw; the parts the schema requires must be present
    /// (by their `Content-Disposition` name).
    pub fn multipart_body<'s>(
        &self,
        required: bool,
        shape: &'s Shape,
        resolve: Resolver<'s>,
        problems: &mut Vec<Detail>,
    ) -> Option<Option<Vec<u8>>> {
        if self.body.is_empty() {
            return absent(required, Location::Body, "", problems);
        }
        let content_type = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(boundary) = content_type
            .split(';')
            .filter_map(|part| part.trim().strip_prefix("boundary="))
            .next()
            .map(|b| b.trim_matches('"').to_string())
        else {
            problems.push(Detail {
                location: Location::Body,
                name: String::new(),
                pointer: String::new(),
                reason: "a multipart body needs a boundary".into(),
            });
            return None;
        };
        let text = String::from_utf8_lossy(&self.body);
        let delimiter = format!("--{boundary}");
        let names: Vec<String> = text
            .split(delimiter.as_str())
            .filter_map(|part| {
                let headers = part.split("\r\n\r\n").next()?;
                let disposition = headers
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
                let start = disposition.find("name=\"")? + 6;
                let end = disposition[start..].find('"')? + start;
                Some(disposition[start..end].to_string())
            })
            .collect();
        let shape = crate::schema::concrete_shape(shape, resolve);
        let mut ok = true;
        if let Shape::Object(object) = shape {
            for field in object.fields.iter().filter(|f| f.required) {
                if !names.iter().any(|n| n == field.name.as_ref()) {
                    ok = false;
                    problems.push(Detail {
                        location: Location::Body,
                        name: field.name.to_string(),
                        pointer: String::new(),
                        reason: "is a required part of the multipart body".into(),
                    });
                }
            }
        }
        ok.then(|| Some(self.body.to_vec()))
    }

    /// A binary body as bytes.
    pub fn bytes_body(
        &self,
        required: bool,
        problems: &mut Vec<Detail>,
    ) -> Option<Option<Vec<u8>>> {
        if self.no_document() {
            return absent(required, Location::Body, "", problems);
        }
        Some(Some(self.body.to_vec()))
    }

    /// The credential of the first satisfied alternative of `security`; 401 when none is.
    /// An empty `security` needs nothing (`Ok(None)`).
    pub fn authenticate(&self, security: &[&[Scheme]]) -> Result<Option<Authenticated>, Problem> {
        if security.is_empty() {
            return Ok(None);
        }
        for alternative in security {
            if alternative.is_empty() {
                return Ok(None);
            }
            let found: Option<Vec<Authenticated>> = alternative
                .iter()
                .map(|scheme| self.credential(scheme))
                .collect();
            if let Some(mut found) = found {
                return Ok(found.drain(..).next());
            }
        }
        let names: Vec<&str> = security
            .iter()
            .flat_map(|a| a.iter().map(|s| s.name))
            .collect();
        Err(Problem::new(
            401,
            "unauthorized",
            format!(
                "missing or malformed credentials (accepted: {})",
                names.join(", ")
            ),
        ))
    }

    fn credential(&self, scheme: &Scheme) -> Option<Authenticated> {
        let authorization = || {
            self.headers
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
        };
        let credential = match scheme.kind {
            SchemeKind::ApiKey(KeyLocation::Header, name) => Credential::ApiKey(
                self.headers
                    .get(name)?
                    .to_str()
                    .ok()
                    .filter(|v| !v.is_empty())?
                    .to_string(),
            ),
            SchemeKind::ApiKey(KeyLocation::Query, name) => Credential::ApiKey(
                self.query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())?,
            ),
            SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                let cookies = self.headers.get(http::header::COOKIE)?.to_str().ok()?;
                let value = cookies
                    .split(';')
                    .filter_map(|c| c.trim().split_once('='))
                    .find(|(k, _)| *k == name)?
                    .1;
                Credential::ApiKey(value.to_string())
            }
            SchemeKind::Bearer => {
                let token = authorization()?.strip_prefix("Bearer ")?.trim();
                (!token.is_empty()).then(|| Credential::Bearer(token.to_string()))?
            }
            SchemeKind::Basic => {
                let encoded = authorization()?.strip_prefix("Basic ")?.trim();
                let decoded = String::from_utf8(base64_decode(encoded)?).ok()?;
                let (username, password) = decoded.split_once(':')?;
                Credential::Basic {
                    username: username.to_string(),
                    password: password.to_string(),
                }
            }
        };
        Some(Authenticated {
            scheme: scheme.name,
            credential,
        })
    }
}

fn absent<T>(
    required: bool,
    location: Location,
    name: &str,
    problems: &mut Vec<Detail>,
) -> Option<Option<T>> {
    if required {
        problems.push(Detail {
            location,
            name: name.to_string(),
            pointer: String::new(),
            reason: "is required".into(),
        });
        None
    } else {
        Some(None)
    }
}

/// Builds a response with a JSON body and documented headers (`None` values are left out).
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
pub async fn not_found() -> Response {
    Problem::not_found().into_response()
}

/// The answer for undocumented methods on documented paths.
pub async fn method_not_allowed() -> Response {
    Problem::method_not_allowed().into_response()
}

/// A documented example answer, for `MockApi`'s `x-mock-status` request header.
#[derive(Clone, Copy, Debug)]
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

/// Middleware of mock routers: a request with `x-mock-status: 404` that passes validation is
/// answered with the spec's documented example for that status (400 when there is none).
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
    match chosen {
        Some(example) if example.media_type.is_empty() => raw_response(example.status, None, &[]),
        Some(example) => raw_response(
            example.status,
            Some((example.media_type, example.body.as_bytes().to_vec())),
            &[],
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
