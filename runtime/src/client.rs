//! What generated clients run on: configuration, authentication, the retry loop, and decoding
//! helpers. Generated code prepares a [`Call`] per operation and matches the [`RawResponse`]'s
//! status against the spec's documented responses.

use std::fmt;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

pub use bytes::Bytes;
pub use http::{HeaderMap, Method};
pub use reqwest;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Credential, KeyLocation, Scheme, SchemeKind, base64_encode};
use crate::wire::{self, Codec, encode_component};

pub mod pages;

/// What a generated client method returns: a `Send` future of the operation's response enum or
/// an [`Error`], awaited as usual (`client.create_payment(request).await?`).
pub trait Pending<T>: Future<Output = Result<T, Error>> + Send {}

impl<T, F: Future<Output = Result<T, Error>> + Send> Pending<T> for F {}

/// Everything a generated client call can fail with.
#[derive(Debug)]
pub enum Error {
    /// The request could not be sent or the response not read (connection, TLS, timeout).
    Transport(reqwest::Error),
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus {
        /// The status.
        status: u16,
        /// The response headers (boxed: they are large and errors travel by value).
        headers: Box<HeaderMap>,
        /// The raw body, kept for diagnosis.
        body: Bytes,
    },
    /// The body of a documented status does not match its schema.
    Decode {
        /// The status.
        status: u16,
        /// The raw body.
        body: Bytes,
        /// What did not match.
        source: serde_json::Error,
    },
    /// A documented response header is missing or malformed.
    Header {
        /// The status.
        status: u16,
        /// The header's name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The operation requires credentials the client was not given.
    MissingCredentials {
        /// The operationId.
        operation: &'static str,
        /// The security schemes that would satisfy it.
        schemes: Vec<&'static str>,
    },
    /// The request could not be built (a body that does not serialize, a bad header value).
    InvalidRequest(String),
    /// A page of an auto-paginated listing (`<operation>_stream`) came back with a documented
    /// status that is not the listing's success; the stream ends with this error.
    Page {
        /// The status.
        status: u16,
        /// The typed response, as its (redacted) `Debug` prints it.
        response: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(f, "request failed: {error}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(
                    f,
                    "undocumented status {status} ({} body bytes)",
                    body.len()
                )
            }
            Error::Decode { status, source, .. } => write!(
                f,
                "the {status} response body does not match the spec: {source}"
            ),
            Error::Header {
                status,
                name,
                reason,
            } => write!(f, "the {status} response header `{name}` {reason}"),
            Error::MissingCredentials { operation, schemes } => {
                write!(
                    f,
                    "`{operation}` needs credentials for one of: {}",
                    schemes.join(", ")
                )
            }
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Page { status, response } => {
                write!(f, "a page of the listing answered {status}: {response}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Statuses that say "try again later".
pub const RETRYABLE_STATUSES: [u16; 5] = [408, 429, 502, 503, 504];

/// When to retry. Off by default ([`RetryPolicy::none`]); a request is retried only when that is
/// safe: an idempotent method, or an idempotency key that the server deduplicates on.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Upper bound of one delay (a `Retry-After` above it is cut to it).
    pub max_backoff: Duration,
    /// Upper bound of the whole call, retries and delays included.
    pub max_elapsed: Duration,
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            max_elapsed: Duration::ZERO,
        }
    }

    /// Up to `max_attempts` attempts, exponential backoff from 200 ms capped at 10 s, at most
    /// 60 s in all.
    pub fn exponential(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
        }
    }

    /// The delay before retry number `retry` (1-based): exponential, with "equal jitter" (half
    /// fixed, half random) so that many clients do not retry in lockstep.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let capped = exponential.min(self.max_backoff);
        let half = capped / 2;
        let random = std::collections::hash_map::RandomState::new().hash_one(retry);
        let jitter = half.mul_f64((random % 1_000_000) as f64 / 1_000_000.0);
        half + jitter
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::none()
    }
}

/// A configured client: base URL, HTTP client, credentials per security scheme, retries.
#[derive(Clone)]
#[doc(hidden)]
pub struct ClientConfig {
    base_url: String,
    http: reqwest::Client,
    credentials: Vec<(&'static str, Credential)>,
    retry: RetryPolicy,
    default_headers: HeaderMap,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field(
                "default_headers",
                &self.default_headers.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Builds a [`ClientConfig`].
#[derive(Debug)]
#[doc(hidden)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Option<Duration>,
    user_agent: String,
    default_headers: HeaderMap,
    http: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Credential)>,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// A builder for the API at `base_url` (`https://api.example.com/v1`).
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            timeout: Some(Duration::from_secs(30)),
            user_agent: concat!("specgen-runtime/", env!("CARGO_PKG_VERSION")).to_string(),
            default_headers: HeaderMap::new(),
            http: None,
            credentials: Vec::new(),
            retry: RetryPolicy::none(),
        }
    }

    /// Per-request timeout (default 30 s; `None` for none). Ignored with [`Self::http_client`].
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header. Ignored with [`Self::http_client`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::InvalidRequest(format!("header name `{name}`: {e}")))?;
        let value = http::HeaderValue::from_str(value)
            .map_err(|e| Error::InvalidRequest(format!("header `{name}`: {e}")))?;
        self.default_headers.insert(name, value);
        Ok(self)
    }

    /// Uses a ready-made `reqwest::Client` (connection pool, proxies, TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The credential for the security scheme named `scheme` in the spec.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, credential));
        self
    }

    /// The retry policy (default: none).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let http = match self.http {
            Some(client) => client,
            None => {
                let mut builder = reqwest::Client::builder().user_agent(self.user_agent);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(Error::Transport)?
            }
        };
        Ok(ClientConfig {
            base_url: self.base_url,
            http,
            credentials: self.credentials,
            retry: self.retry,
            default_headers: self.default_headers,
        })
    }
}

/// A request body, already encoded.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct Body {
    /// `Content-Type` to send.
    pub content_type: String,
    /// The bytes.
    pub bytes: Bytes,
}

impl Body {
    /// JSON.
    pub fn json<T: Serialize + ?Sized>(
        value: &T,
        content_type: &'static str,
    ) -> Result<Body, Error> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::InvalidRequest(format!("body does not serialize: {e}")))?;
        Ok(Body {
            content_type: content_type.to_string(),
            bytes: bytes.into(),
        })
    }

    /// `application/x-www-form-urlencoded`, each property written by its encoding (`fields`
    /// lists those that differ from `form`, exploded) — see [`wire::form`].
    pub fn form<T: Serialize + ?Sized>(
        value: &T,
        fields: &[wire::form::FormField<'_>],
        content_type: &'static str,
    ) -> Result<Body, Error> {
        let json = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("body does not serialize: {e}")))?;
        let text = wire::form::encode(&json, fields).map_err(Error::InvalidRequest)?;
        Ok(Body {
            content_type: content_type.to_string(),
            bytes: text.into(),
        })
    }

    /// A finished `multipart/form-data` body.
    pub fn multipart(writer: wire::multipart::Writer) -> Body {
        let (content_type, bytes) = writer.finish();
        Body {
            content_type,
            bytes: bytes.into(),
        }
    }

    /// Text or raw bytes as they are. A `multipart/*` body names its boundary on its first
    /// line (`--boundary`); it is added to the content type.
    pub fn raw(bytes: impl Into<Bytes>, content_type: &'static str) -> Body {
        let bytes = bytes.into();
        let mut content_type = content_type.to_string();
        if content_type.starts_with("multipart/") && !content_type.contains("boundary=") {
            let first_line = bytes
                .split(|b| *b == b'\r' || *b == b'\n')
                .next()
                .unwrap_or_default();
            if let Some(boundary) = first_line
                .strip_prefix(b"--")
                .and_then(|b| std::str::from_utf8(b).ok())
            {
                content_type = format!("{content_type}; boundary={boundary}");
            }
        }
        Body {
            content_type,
            bytes,
        }
    }
}

/// One prepared operation call: generated client methods build it with one call per path
/// piece, parameter and body, each written by its codec (see [`wire`]).
#[derive(Debug)]
#[doc(hidden)]
pub struct Call<'a> {
    /// The operationId (for errors).
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path with its parameters already percent-encoded.
    pub path: String,
    /// The query string, already encoded (`a=1&b=2`).
    pub query: String,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// Cookie parameters (`name=value`, encoded).
    pub cookies: Vec<String>,
    /// The body.
    pub body: Option<Body>,
    /// Alternatives of security requirements (each: all schemes together); empty = no auth.
    pub security: &'a [&'a [Scheme]],
    /// The idempotency-key header and the key, sent identically on every attempt.
    pub idempotency_key: Option<(&'static str, String)>,
}

#[doc(hidden)]
impl Call<'static> {
    /// A call of `operation` with nothing set yet.
    pub fn new(
        operation: &'static str,
        method: Method,
        security: &'static [&'static [Scheme]],
    ) -> Self {
        Call {
            operation,
            method,
            path: String::new(),
            query: String::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security,
            idempotency_key: None,
        }
    }
}

#[doc(hidden)]
impl Call<'_> {
    /// Appends literal path text.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter's value in the default style (`simple`).
    pub fn path_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        self.path_param_with(name, value, Codec::SIMPLE)
    }

    /// Adds a query parameter in the default style (`form`, exploded).
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.query_with(name, value, Codec::FORM)
    }

    /// Adds a header parameter in the default style (`simple`).
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.header_with(name, value, Codec::SIMPLE)
    }

    /// Adds a cookie parameter in the default style (`form`, exploded).
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.cookie_with(name, value, Codec::FORM)
    }

    /// Appends a path parameter's value, encoded by its style.
    pub fn path_param_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        codec: Codec,
    ) -> Result<(), Error> {
        let value = to_json(value)?;
        if value.is_null() {
            return Err(Error::InvalidRequest(format!(
                "path parameter `{name}` has no value"
            )));
        }
        self.path.push_str(&wire::encode_path(name, &value, codec));
        Ok(())
    }

    /// Adds a query parameter (`None` and `null` add nothing).
    pub fn query_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        codec: Codec,
    ) -> Result<(), Error> {
        wire::encode_query(&mut self.query, name, &to_json(value)?, codec);
        Ok(())
    }

    /// Adds a header parameter (`None` adds nothing).
    pub fn header_with<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        codec: Codec,
    ) -> Result<(), Error> {
        if let Some(text) = wire::encode_header(&to_json(value)?, codec) {
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// Adds a cookie parameter (`None` adds nothing).
    pub fn cookie_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        codec: Codec,
    ) -> Result<(), Error> {
        self.cookies
            .extend(wire::encode_cookie(name, &to_json(value)?, codec));
        Ok(())
    }

    /// Sends `key` (or, when it is `None`, a fresh UUID v4) as the idempotency key in header
    /// `name`, the same on every retry.
    pub fn idempotency_key<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        key: &T,
    ) -> Result<(), Error> {
        let key = match to_json(key)? {
            serde_json::Value::Null => new_idempotency_key(),
            serde_json::Value::String(key) => key,
            other => other.to_string(),
        };
        self.idempotency_key = Some((name, key));
        Ok(())
    }

    /// Sets the body.
    pub fn body(&mut self, body: Body) {
        self.body = Some(body);
    }
}

/// A fresh idempotency key (UUID v4).
#[doc(hidden)]
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A response, before the generated code decides what it means.
#[derive(Debug)]
#[doc(hidden)]
pub struct RawResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
}

impl RawResponse {
    /// The `Content-Type`, without parameters, lower-cased.
    pub fn content_type(&self) -> String {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default()
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            body: self.body.clone(),
            source,
        })
    }

    /// The body as text.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|_| Error::Decode {
            status: self.status,
            body: self.body.clone(),
            source: <serde_json::Error as serde::de::Error>::custom("the body is not UTF-8 text"),
        })
    }

    /// The body as bytes.
    pub fn bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// A documented header, parsed; `Ok(None)` when absent.
    pub fn header<T: std::str::FromStr>(&self, name: &'static str) -> Result<Option<T>, Error> {
        match self.headers.get(name) {
            None => Ok(None),
            Some(value) => {
                let text = value.to_str().map_err(|_| Error::Header {
                    status: self.status,
                    name,
                    reason: "is not text".into(),
                })?;
                text.parse::<T>().map(Some).map_err(|_| Error::Header {
                    status: self.status,
                    name,
                    reason: format!("has an invalid value `{text}`"),
                })
            }
        }
    }

    /// A documented header that must be present.
    pub fn required_header<T: std::str::FromStr>(&self, name: &'static str) -> Result<T, Error> {
        self.header(name)?.ok_or(Error::Header {
            status: self.status,
            name,
            reason: "is missing".into(),
        })
    }

    /// This response as an [`Error::UnexpectedStatus`].
    pub fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: self.body,
        }
    }
}

impl ClientConfig {
    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, credential)| credential)
    }

    /// The first alternative of `security` whose every scheme has a credential.
    fn choose_security<'s>(&self, call: &Call<'s>) -> Result<Vec<(Scheme, &Credential)>, Error> {
        if call.security.is_empty() {
            return Ok(Vec::new());
        }
        for alternative in call.security {
            let found: Option<Vec<(Scheme, &Credential)>> = alternative
                .iter()
                .map(|scheme| self.credential(scheme.name).map(|c| (*scheme, c)))
                .collect();
            if let Some(found) = found {
                return Ok(found);
            }
        }
        let mut schemes: Vec<&'static str> = call
            .security
            .iter()
            .flat_map(|a| a.iter().map(|s| s.name))
            .collect();
        schemes.dedup();
        Err(Error::MissingCredentials {
            operation: call.operation,
            schemes,
        })
    }

    fn build_request(
        &self,
        call: &Call<'_>,
        auth: &[(Scheme, &Credential)],
    ) -> Result<reqwest::RequestBuilder, Error> {
        let mut query = call.query.clone();
        let mut cookies = call.cookies.clone();
        let mut headers = self.default_headers.clone();
        let mut set_header = |name: &str, value: &str| -> Result<(), Error> {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| Error::InvalidRequest(format!("header `{name}`: {e}")))?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|e| Error::InvalidRequest(format!("header `{name}`: {e}")))?;
            headers.insert(name, value);
            Ok(())
        };
        for (name, value) in &call.headers {
            set_header(name, value)?;
        }
        if let Some((name, key)) = &call.idempotency_key {
            set_header(name, key)?;
        }
        for (scheme, credential) in auth {
            match (scheme.kind, credential) {
                (SchemeKind::ApiKey(KeyLocation::Header, name), Credential::ApiKey(key)) => {
                    set_header(name, key)?
                }
                (SchemeKind::ApiKey(KeyLocation::Query, name), Credential::ApiKey(key)) => {
                    wire::encode_query(
                        &mut query,
                        name,
                        &serde_json::Value::String(key.clone()),
                        Codec::FORM,
                    )
                }
                (SchemeKind::ApiKey(KeyLocation::Cookie, name), Credential::ApiKey(key)) => {
                    cookies.push(format!("{name}={}", encode_component(key)))
                }
                (SchemeKind::Basic, Credential::Basic { username, password }) => {
                    set_header(
                        "authorization",
                        &format!(
                            "Basic {}",
                            base64_encode(format!("{username}:{password}").as_bytes())
                        ),
                    )?;
                }
                (SchemeKind::Bearer, Credential::Bearer(token)) => {
                    set_header("authorization", &format!("Bearer {token}"))?
                }
                (_, other) => {
                    return Err(Error::InvalidRequest(format!(
                        "scheme `{}` cannot carry a {other:?} credential",
                        scheme.name
                    )));
                }
            }
        }
        if !cookies.is_empty() {
            set_header("cookie", &cookies.join("; "))?;
        }
        let mut url = format!("{}{}", self.base_url, call.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let mut request = self.http.request(call.method.clone(), url).headers(headers);
        if let Some(body) = &call.body {
            request = request
                .header(http::header::CONTENT_TYPE, body.content_type.as_str())
                .body(body.bytes.clone());
        }
        Ok(request)
    }

    /// Sends a prepared call and decodes the answer: the one async body every generated client
    /// method shares (`call` is `Err` when a parameter or the body could not be encoded).
    pub async fn send<T>(
        &self,
        call: Result<Call<'_>, Error>,
        decode: fn(RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        decode(self.execute(call?).await?)
    }

    /// Sends the call, retrying per the policy when that is safe, and returns the response of
    /// the last attempt.
    pub async fn execute(&self, call: Call<'_>) -> Result<RawResponse, Error> {
        let auth = self.choose_security(&call)?;
        let retry_safe = is_idempotent(&call.method) || call.idempotency_key.is_some();
        let max_attempts = if retry_safe {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = self.build_request(&call, &auth)?;
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    // A connection that drops mid-body is as lost as one that drops before.
                    response.bytes().await.map(|body| RawResponse {
                        status,
                        headers,
                        body,
                    })
                }
                Err(error) => Err(error),
            };
            let retry_after = match &outcome {
                Ok(response) if RETRYABLE_STATUSES.contains(&response.status) => {
                    Some(retry_after(&response.headers))
                }
                // 409 with `Retry-After` to a keyed request: the server is still handling the
                // first attempt under this key (generated servers answer so); the retry gets
                // its saved answer.
                Ok(response)
                    if response.status == 409
                        && call.idempotency_key.is_some()
                        && response.headers.contains_key(http::header::RETRY_AFTER) =>
                {
                    Some(retry_after(&response.headers))
                }
                Ok(_) => None,
                // Any transport failure once the request may have been sent — refused, timed
                // out, or the connection lost before the whole answer arrived: retried only
                // because the call is retry-safe (`max_attempts` is 1 otherwise).
                Err(error)
                    if error.is_connect()
                        || error.is_timeout()
                        || error.is_request()
                        || error.is_body() =>
                {
                    Some(None)
                }
                Err(_) => None,
            };
            let delay = retry_after.map(|hint| {
                hint.unwrap_or_else(|| self.retry.backoff(attempt))
                    .min(self.retry.max_backoff)
            });
            let may_retry = attempt < max_attempts
                && delay.is_some_and(|delay| started.elapsed() + delay <= self.retry.max_elapsed);
            if !may_retry {
                return outcome.map_err(Error::Transport);
            }
            tokio::time::sleep(delay.unwrap_or_default()).await;
        }
    }
}

/// A parameter's JSON form (what the style encoders work on).
#[doc(hidden)]
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value)
        .map_err(|error| Error::InvalidRequest(format!("a parameter does not serialize: {error}")))
}

fn is_idempotent(method: &Method) -> bool {
    !matches!(*method, Method::POST | Method::PATCH)
}

/// `Retry-After` in seconds (the HTTP-date form falls back to the policy's backoff).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy::exponential(5);
        for retry in 1..=8 {
            let delay = policy.backoff(retry);
            let full = (policy.initial_backoff * 2u32.pow(retry - 1)).min(policy.max_backoff);
            assert!(
                delay >= full / 2 && delay <= full,
                "retry {retry}: {delay:?} outside {:?}..={full:?}",
                full / 2
            );
        }
        assert_eq!(RetryPolicy::default().max_attempts, 1);
    }

    #[test]
    fn config_debug_hides_credentials() {
        let config = ClientBuilder::new("http://127.0.0.1:1/")
            .credential("api_key", Credential::ApiKey("sk_live_secret".into()))
            .build()
            .unwrap();
        let text = format!("{config:?}");
        assert!(!text.contains("sk_live_secret"), "{text}");
        assert_eq!(config.base_url(), "http://127.0.0.1:1");
    }
}
