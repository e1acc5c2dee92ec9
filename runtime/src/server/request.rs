//! Reading one request in a generated handler: the request is taken apart once, every parameter
//! and the body are decoded by the same codecs the client encodes with ([`crate::wire`]) and
//! checked against their shapes, and every problem is collected before anything is refused — in
//! the operation's documented error shape.

use axum::extract::rejection::BytesRejection;
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Detail, ErrorDoc, Location, Problem, content_type, problem_response};
use crate::auth::{Authenticated, Credential, KeyLocation, Scheme, SchemeKind, base64_decode};
use crate::schema::{Shape, validate, validate_slice};
use crate::wire::{self, Codec, Query};

/// What a generated server knows about an operation before it reads a request for it.
#[derive(Debug)]
#[doc(hidden)]
pub struct OperationSpec {
    /// The path template (`/payments/{payment_id}`): where each path parameter's raw text is.
    pub template: &'static str,
    /// Security alternatives, tried in order; empty = no authentication.
    pub security: &'static [&'static [Scheme]],
    /// The operation's documented error responses, which refusals are rendered in.
    pub errors: &'static [ErrorDoc],
    /// Query keys that carry API keys (accepted beside the parameters).
    pub query_keys: &'static [&'static str],
    /// The crate's named shapes (`schema::shape_of`).
    pub shapes: fn(&str) -> Option<&'static Shape>,
}

/// Everything a generated handler reads from a request, taken apart once: the headers are moved,
/// not copied, and extraction never fails (problems surface from [`RawRequest::begin`] in the
/// operation's documented error shape).
#[doc(hidden)]
pub struct RawRequest {
    path: String,
    query: Option<String>,
    method: http::Method,
    uri: http::Uri,
    headers: HeaderMap,
    extensions: http::Extensions,
    body: Result<Bytes, BytesRejection>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path().to_owned();
        let query = parts.uri.query().map(str::to_owned);
        let headers = std::mem::take(&mut parts.headers);
        let method = parts.method.clone();
        let uri = parts.uri.clone();
        // Cloned, not taken: the body extractor reads its size limit from them.
        let extensions = parts.extensions.clone();
        let body = <Bytes as axum::extract::FromRequest<S>>::from_request(
            axum::extract::Request::from_parts(parts, body),
            state,
        )
        .await;
        Ok(RawRequest {
            path,
            query,
            method,
            uri,
            headers,
            extensions,
            body,
        })
    }
}

/// The raw (still percent-encoded) text of each `{name}` of `template` in `path`.
fn path_captures(template: &str, path: &str) -> Vec<(String, String)> {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if template.len() != path.len() {
        return Vec::new();
    }
    template
        .iter()
        .zip(path)
        .filter_map(|(pattern, segment)| {
            let name = pattern.strip_prefix('{')?.strip_suffix('}')?;
            Some((name.to_owned(), segment.to_owned()))
        })
        .collect()
}

impl RawRequest {
    /// Starts reading the request for `spec`'s operation; a body that could not be read (413
    /// past the size limit) or a malformed query string ends it here.
    // The refusal goes straight back to axum; boxing it would only add an allocation.
    #[allow(clippy::result_large_err)]
    pub fn begin(self, spec: &'static OperationSpec) -> Result<Request, Response> {
        let refuse = |problem: Problem| {
            problem_response(problem, spec.errors, &|name: &str| (spec.shapes)(name))
        };
        let body = self.body.map_err(|rejection| {
            let status = rejection.status().as_u16();
            refuse(Problem::new(
                status,
                if status == 413 {
                    "payload_too_large"
                } else {
                    "unreadable_body"
                },
                rejection.body_text(),
            ))
        })?;
        let query = Query::parse(self.query.as_deref().unwrap_or_default())
            .map_err(|error| refuse(Problem::new(400, "malformed_query", error)))?;
        Ok(Request {
            spec,
            path: path_captures(spec.template, &self.path),
            raw_path: self.path,
            raw_query: self.query.unwrap_or_default(),
            query,
            method: self.method,
            uri: self.uri,
            headers: std::sync::Arc::new(self.headers),
            extensions: self.extensions,
            body,
            problems: Vec::new(),
            fatal: None,
        })
    }
}

/// A request being read: parameters and the body are taken one by one; problems accumulate
/// until [`Request::complete`] says whether the request can reach the handler.
#[doc(hidden)]
pub struct Request {
    spec: &'static OperationSpec,
    path: Vec<(String, String)>,
    /// The path and query as sent (an idempotency fingerprint covers them).
    raw_path: String,
    raw_query: String,
    query: Query,
    method: http::Method,
    uri: http::Uri,
    /// Shared with the handler's [`RequestContext`] without a copy.
    headers: std::sync::Arc<HeaderMap>,
    extensions: http::Extensions,
    body: Bytes,
    problems: Vec<Detail>,
    /// A problem that is not about a value: malformed JSON (400), an unsupported media type (415).
    fatal: Option<Problem>,
}

/// The credentials a request presents for an operation's security alternatives, in the
/// alternatives' order; the handler's `Api::authorize` decides which one (if any) it accepts.
#[derive(Debug)]
#[doc(hidden)]
pub struct Candidates {
    found: Vec<Authenticated>,
    needed: bool,
    anonymous: bool,
    names: Vec<&'static str>,
}

impl Candidates {
    /// The presented credentials, one per satisfied alternative, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Authenticated> {
        self.found.iter()
    }

    /// The outcome when `authorize` accepted none of [`Self::iter`]: no credential (the
    /// operation needs none, or allows anonymous access and none was presented), or 401.
    pub fn none_accepted(&self) -> Result<Option<Authenticated>, Problem> {
        if !self.needed || (self.anonymous && self.found.is_empty()) {
            return Ok(None);
        }
        if self.found.is_empty() {
            return Err(Problem::new(
                401,
                "unauthorized",
                format!(
                    "missing or malformed credentials (accepted: {})",
                    self.names.join(", ")
                ),
            ));
        }
        Err(Problem::new(
            401,
            "unauthorized",
            "the credential was not accepted",
        ))
    }
}

fn detail(location: Location, name: &str, pointer: String, reason: impl Into<String>) -> Detail {
    Detail {
        location,
        name: name.to_owned(),
        pointer,
        reason: reason.into(),
    }
}

impl Request {
    /// The path as sent (still percent-encoded).
    pub fn raw_path(&self) -> &str {
        &self.raw_path
    }

    /// The query string as sent, without `?` (empty when there is none).
    pub fn raw_query(&self) -> &str {
        &self.raw_query
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// What the handler can read about the request beyond its typed parameters.
    pub fn context(&self) -> super::RequestContext {
        super::RequestContext::new(
            self.method.clone(),
            self.uri.clone(),
            std::sync::Arc::clone(&self.headers),
            self.extensions.clone(),
        )
    }

    /// Runs a handler's future with this request's [`super::RequestContext`] current and turns
    /// what it returns into the response.
    pub fn respond<R, F>(&self, handler: F) -> impl Future<Output = Response> + Send + use<R, F>
    where
        R: axum::response::IntoResponse,
        F: Future<Output = R> + Send,
    {
        let context = self.context();
        async move {
            axum::response::IntoResponse::into_response(
                super::RequestContext::scope(context, handler).await,
            )
        }
    }

    /// The body as sent.
    pub fn body_bytes(&self) -> &Bytes {
        &self.body
    }

    /// Answers a refused request in the operation's documented error shape.
    pub fn reject(&self, problem: Problem) -> Response {
        let shapes = self.spec.shapes;
        problem_response(problem, self.spec.errors, &|name: &str| shapes(name))
    }

    /// Answers with every problem found (400/415 for malformed input, else 422).
    pub fn refuse(&mut self) -> Response {
        let problem = match self.fatal.take() {
            Some(problem) => problem,
            None if self.problems.is_empty() => {
                Problem::new(400, "invalid_request", "the request is invalid")
            }
            None => Problem::invalid(std::mem::take(&mut self.problems)),
        };
        self.reject(problem)
    }

    /// Checks what is left (query pairs no parameter took are refused, not dropped) and says
    /// whether the request is fine to hand to the handler.
    pub fn complete(&mut self) -> bool {
        for (key, _) in self.query.untaken() {
            if !self.spec.query_keys.contains(&key.as_str()) {
                self.problems.push(detail(
                    Location::Query,
                    &key,
                    String::new(),
                    "is not a documented parameter of this operation",
                ));
            }
        }
        self.problems.is_empty() && self.fatal.is_none()
    }

    /// The request's `Content-Type`, without parameters, lower-cased (empty when absent).
    pub fn content_type(&self) -> String {
        content_type(&self.headers)
    }

    /// The credentials presented for each satisfied security alternative, in order.
    pub fn credentials(&self) -> Candidates {
        let security = self.spec.security;
        let mut found = Vec::new();
        for alternative in security {
            let credentials: Option<Vec<Authenticated>> = alternative
                .iter()
                .map(|scheme| self.credential(scheme))
                .collect();
            // The handler receives the first scheme's credential of the alternative.
            if let Some(first) =
                credentials.and_then(|mut all| (!all.is_empty()).then(|| all.remove(0)))
                && !found.contains(&first)
            {
                found.push(first);
            }
        }
        let mut names: Vec<&'static str> = security
            .iter()
            .flat_map(|a| a.iter().map(|s| s.name))
            .collect();
        names.dedup();
        Candidates {
            found,
            needed: !security.is_empty(),
            anonymous: security.iter().any(|alternative| alternative.is_empty()),
            names,
        }
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
            SchemeKind::ApiKey(KeyLocation::Query, name) => {
                Credential::ApiKey(self.query.peek(name).filter(|v| !v.is_empty())?)
            }
            SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                let cookies = self.cookie_header()?;
                let value = cookies
                    .split(';')
                    .filter_map(|c| c.trim().split_once('='))
                    .find(|(k, _)| *k == name)?
                    .1;
                Credential::ApiKey(wire::decode_component(value, false).ok()?)
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

    fn cookie_header(&self) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join("; "))
    }

    fn decode<T: DeserializeOwned>(
        &mut self,
        value: Value,
        location: Location,
        name: &str,
    ) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(error) => {
                self.problems
                    .push(detail(location, name, String::new(), error.to_string()));
                None
            }
        }
    }

    /// Validates a decoded value against its shape (recording every violation), then types it.
    fn checked<T: DeserializeOwned>(
        &mut self,
        value: Value,
        shape: &Shape,
        location: Location,
        name: &str,
    ) -> Option<T> {
        let shapes = self.spec.shapes;
        let violations = validate(shape, &value, &|n: &str| shapes(n));
        if !violations.is_empty() {
            self.problems.extend(
                violations
                    .into_iter()
                    .map(|v| detail(location, name, v.pointer, v.reason)),
            );
            return None;
        }
        self.decode(value, location, name)
    }

    /// A value that was not sent: a problem when required, else `None` of the field's `Option`.
    fn absent<T: DeserializeOwned>(
        &mut self,
        required: bool,
        location: Location,
        name: &str,
    ) -> Option<T> {
        if required {
            let reason = if location == Location::Body {
                "a body is required"
            } else {
                "is required"
            };
            self.problems
                .push(detail(location, name, String::new(), reason));
            return None;
        }
        self.decode(Value::Null, location, name)
    }

    fn decoded<T: DeserializeOwned>(
        &mut self,
        decoded: Result<Option<Value>, String>,
        required: bool,
        shape: &Shape,
        location: Location,
        name: &str,
    ) -> Option<T> {
        match decoded {
            // Text that cannot be decoded at all (bad percent-encoding, a style's prefix
            // missing) is malformed — 400 — not merely invalid.
            Err(reason) => {
                let (error, place) = match location {
                    Location::Path => ("malformed_path", "path parameter"),
                    Location::Query => ("malformed_query", "query parameter"),
                    Location::Header => ("malformed_header", "header"),
                    Location::Body => ("malformed_body", "body"),
                };
                let message = if name.is_empty() {
                    format!("{place}: {reason}")
                } else {
                    format!("{place} `{name}`: {reason}")
                };
                self.fatal.get_or_insert(Problem::new(400, error, message));
                None
            }
            Ok(None) => self.absent(required, location, name),
            Ok(Some(value)) => self.checked(value, shape, location, name),
        }
    }

    /// A path parameter in the default style (`simple`); see [`Self::path_with`].
    pub fn path<T: DeserializeOwned>(&mut self, name: &str, shape: &Shape) -> Option<T> {
        self.path_with(name, Codec::SIMPLE, shape)
    }

    /// A query parameter in the default style (`form`, exploded); see [`Self::query_with`].
    pub fn query<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        shape: &Shape,
    ) -> Option<T> {
        self.query_with(name, required, Codec::FORM, shape)
    }

    /// A header parameter in the default style (`simple`); see [`Self::header_with`].
    pub fn header<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        shape: &Shape,
    ) -> Option<T> {
        self.header_with(name, required, Codec::SIMPLE, shape)
    }

    /// A cookie parameter in the default style (`form`, exploded); see [`Self::cookie_with`].
    pub fn cookie<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        shape: &Shape,
    ) -> Option<T> {
        self.cookie_with(name, required, Codec::FORM, shape)
    }

    /// A path parameter (`T` is the request field's type). `None` when it is invalid (a
    /// problem is recorded).
    pub fn path_with<T: DeserializeOwned>(
        &mut self,
        name: &str,
        codec: Codec,
        shape: &Shape,
    ) -> Option<T> {
        let raw = self
            .path
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, raw)| raw.clone());
        let shapes = self.spec.shapes;
        let decoded = match raw {
            Some(raw) => {
                wire::decode_path(&raw, name, codec, shape, &|n: &str| shapes(n)).map(Some)
            }
            None => Ok(None),
        };
        self.decoded(decoded, true, shape, Location::Path, name)
    }

    /// A query parameter (`T` is the request field's type: `Option<_>` when optional).
    pub fn query_with<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        codec: Codec,
        shape: &Shape,
    ) -> Option<T> {
        let shapes = self.spec.shapes;
        let decoded = self.query.take(name, codec, shape, &|n: &str| shapes(n));
        self.decoded(decoded, required, shape, Location::Query, name)
    }

    /// A header parameter (`simple`; repeated headers read as one comma-joined value).
    pub fn header_with<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        codec: Codec,
        shape: &Shape,
    ) -> Option<T> {
        let values: Result<Vec<&str>, ()> = self
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().map_err(|_| ()))
            .collect();
        let shapes = self.spec.shapes;
        let decoded = match values {
            Err(()) => Err("is not text".to_owned()),
            Ok(values) if values.is_empty() => Ok(None),
            Ok(values) => Ok(Some(wire::decode_header(
                &values.join(","),
                codec,
                shape,
                &|n: &str| shapes(n),
            ))),
        };
        self.decoded(decoded, required, shape, Location::Header, name)
    }

    /// A cookie parameter (`form`).
    pub fn cookie_with<T: DeserializeOwned>(
        &mut self,
        name: &str,
        required: bool,
        codec: Codec,
        shape: &Shape,
    ) -> Option<T> {
        let shapes = self.spec.shapes;
        let decoded = match self.cookie_header() {
            None => Ok(None),
            Some(header) => wire::decode_cookie(&header, name, codec, shape, &|n: &str| shapes(n)),
        };
        self.decoded(decoded, required, shape, Location::Header, name)
    }

    /// No body was sent: nothing, and no `Content-Type`. Zero bytes labelled `text/csv` (say) are
    /// an empty document, which the schema may well allow, not a missing one.
    fn no_document(&self) -> bool {
        self.body.is_empty() && !self.headers.contains_key(http::header::CONTENT_TYPE)
    }

    /// Refuses (415) a body whose `Content-Type` is not `accepted`.
    fn media_is(&mut self, accepted: fn(&str) -> bool, expected: &str) -> bool {
        let media = self.content_type();
        if media.is_empty() || accepted(&media) {
            return true;
        }
        self.fatal = Some(Problem::new(
            415,
            "unsupported_media_type",
            format!("expected {expected}, got `{media}`"),
        ));
        false
    }

    /// The JSON body, checked while it is read and decoded from the same bytes (no `Value` tree
    /// in between). `T` is the request field's type (`Option<_>` when the body is optional).
    pub fn json_body<T: DeserializeOwned>(&mut self, required: bool, shape: &Shape) -> Option<T> {
        if self.body.is_empty() {
            return self.absent(required, Location::Body, "");
        }
        if !self.media_is(
            |m| m == "application/json" || m.ends_with("+json"),
            "a JSON body",
        ) {
            return None;
        }
        let shapes = self.spec.shapes;
        let violations = match validate_slice(shape, &self.body, &|n: &str| shapes(n)) {
            Ok(violations) => violations,
            Err(error) => {
                self.fatal = Some(Problem::new(
                    400,
                    "malformed_json",
                    format!("the body is not valid JSON: {error}"),
                ));
                return None;
            }
        };
        if !violations.is_empty() {
            self.problems.extend(
                violations
                    .into_iter()
                    .map(|v| detail(Location::Body, "", v.pointer, v.reason)),
            );
            return None;
        }
        match serde_json::from_slice(&self.body) {
            Ok(typed) => Some(typed),
            Err(error) => {
                self.problems
                    .push(detail(Location::Body, "", String::new(), error.to_string()));
                None
            }
        }
    }

    /// An `application/x-www-form-urlencoded` body, decoded by its properties' encodings and
    /// validated exactly as JSON would be.
    pub fn form_body<T: DeserializeOwned>(
        &mut self,
        required: bool,
        fields: &[wire::form::FormField<'_>],
        shape: &Shape,
    ) -> Option<T> {
        if self.no_document() {
            return self.absent(required, Location::Body, "");
        }
        if !self.media_is(
            |m| m == "application/x-www-form-urlencoded",
            "a form body (application/x-www-form-urlencoded)",
        ) {
            return None;
        }
        let shapes = self.spec.shapes;
        let decoded = wire::form::decode(&self.body, fields, shape, &|n: &str| shapes(n)).map(Some);
        self.decoded(decoded, required, shape, Location::Body, "")
    }

    /// A `multipart/form-data` body: its parts decoded by their kinds into the body struct `S`,
    /// validated like JSON (required files included), then `fill` moves the files into it.
    /// `Some(None)` when absent and optional.
    pub fn multipart_body<S: DeserializeOwned>(
        &mut self,
        required: bool,
        parts: &[wire::multipart::PartSpec<'_>],
        shape: &Shape,
        fill: impl FnOnce(&mut S, &mut wire::multipart::Files),
    ) -> Option<Option<S>> {
        if self.no_document() {
            return if required {
                self.absent::<Option<S>>(true, Location::Body, "")
            } else {
                Some(None)
            };
        }
        if !self.media_is(|m| m == "multipart/form-data", "a multipart/form-data body") {
            return None;
        }
        let header = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let shapes = self.spec.shapes;
        let decoded = wire::multipart::parse(&self.body, &header).and_then(|received| {
            wire::multipart::decode(received, parts, shape, &|n: &str| shapes(n))
        });
        match decoded {
            Err(reason) => {
                self.fatal = Some(Problem::new(400, "malformed_multipart", reason));
                None
            }
            Ok((value, mut files)) => {
                let mut body: S = self.checked(value, shape, Location::Body, "")?;
                fill(&mut body, &mut files);
                Some(Some(body))
            }
        }
    }

    /// A text body (`text/plain`, `text/csv`), checked against the body's string shape.
    pub fn text_body<T: DeserializeOwned>(&mut self, required: bool, shape: &Shape) -> Option<T> {
        if self.no_document() {
            return self.absent(required, Location::Body, "");
        }
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => self.checked(Value::String(text), shape, Location::Body, ""),
            Err(_) => {
                self.problems.push(detail(
                    Location::Body,
                    "",
                    String::new(),
                    "is not UTF-8 text",
                ));
                None
            }
        }
    }

    /// A binary body as bytes; `Some(None)` when absent and optional.
    pub fn bytes_body(&mut self, required: bool) -> Option<Option<Vec<u8>>> {
        if self.no_document() {
            return if required {
                self.absent::<Option<Vec<u8>>>(true, Location::Body, "")
            } else {
                Some(None)
            };
        }
        Some(Some(self.body.to_vec()))
    }
}
