//! Idempotency keys honoured by generated servers, before the handler runs.
//!
//! An operation the spec marks with `x-idempotency` is deduplicated per key and caller:
//!
//! - the first request with a key **claims** it atomically in an [`IdempotencyStore`] and runs
//!   the handler; a 2xx answer is saved (status, headers, body) for the operation's window, any
//!   other answer releases the key so the caller may try again;
//! - a later request with the same key and the same request (method, path, query and body,
//!   compared by SHA-256 fingerprint) gets the saved answer replayed, marked
//!   `idempotent-replayed: true`, without calling the handler;
//! - the same key with a different request is refused with 422 (`idempotency_key_reused`);
//! - the same key while the first request is still running is refused with 409
//!   (`idempotency_key_in_use`) and `Retry-After: 1` — generated clients retry it;
//! - a store that cannot be reached answers 503 (`idempotency_store_unavailable`): a payment is
//!   never run without its key being held.
//!
//! Keys are scoped by the caller's credential (hashed; never stored in clear), so two callers
//! never see each other's answers. The handler runs in its own task once the key is claimed: a
//! client that disconnects mid-request does not cancel a charge half-way, and its retry gets
//! the saved answer.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::response::Response;
use http::{HeaderName, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};

use super::{Problem, Request};
use crate::auth::{Authenticated, Credential};

/// Where an operation's idempotency key travels and how long answers are kept (generated from
/// the spec's `x-idempotency`).
#[doc(hidden)]
#[derive(Debug)]
pub struct IdempotencyRule {
    /// The operation's method (part of the fingerprint).
    pub method: &'static str,
    /// Where the key is.
    pub key: KeySource,
    /// How long a saved answer is replayed, in seconds.
    pub window_seconds: u64,
}

/// Where an idempotency key travels.
#[doc(hidden)]
#[derive(Debug)]
pub enum KeySource {
    /// A header (lower-case name).
    Header(&'static str),
    /// A string (or number) member of the JSON body, by RFC 6901 pointer.
    Body(&'static str),
}

/// An answer saved for an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedResponse {
    /// SHA-256 (hex) of the request it answered.
    pub fingerprint: String,
    /// HTTP status.
    pub status: u16,
    /// Response headers (hop-by-hop and length headers left out).
    pub headers: Vec<(String, Vec<u8>)>,
    /// Response body.
    pub body: Vec<u8>,
}

/// Proof of a claim: only its holder saves or releases the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimToken(pub String);

/// What claiming a key found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is now held by this request (until the lease ends).
    Claimed(ClaimToken),
    /// Another request holds the key and is still running.
    InProgress {
        /// The fingerprint of that request.
        fingerprint: String,
    },
    /// An answer is saved for the key.
    Saved(SavedResponse),
}

/// The failure of a store (unreachable, full).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// What a store's operations return.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where idempotency keys and saved answers live: [`MemoryStore`] (one process) or, with the
/// `redis` feature, `RedisStore` (shared by every instance behind a load balancer).
///
/// `claim` must be atomic: of any number of concurrent claims of one key, exactly one gets
/// [`Claim::Claimed`].
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Claims `key` for a request with `fingerprint`, held for `lease` unless saved or released.
    fn claim(&self, key: String, fingerprint: String, lease: Duration) -> StoreFuture<'_, Claim>;
    /// Replaces the claim `token` holds with `response`, kept for `window`.
    fn save(
        &self,
        key: String,
        token: ClaimToken,
        response: SavedResponse,
        window: Duration,
    ) -> StoreFuture<'_, ()>;
    /// Gives up the claim `token` holds (the answer was not a success).
    fn release(&self, key: String, token: ClaimToken) -> StoreFuture<'_, ()>;
}

/// A fresh claim token: unique within the process and, with the process's random hasher keys,
/// across processes.
pub(crate) fn new_token() -> ClaimToken {
    use std::hash::BuildHasher;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    ClaimToken(format!(
        "{:016x}{:016x}",
        state.hash_one((count, nanos)),
        state.hash_one((nanos, count, std::process::id()))
    ))
}

/// Keys and answers in this process's memory: the default. Bounded: past `capacity` live
/// entries a new key is refused (503) rather than an older answer forgotten early, which could
/// let a retry charge twice. Expired entries are swept as claims come in, at most once a
/// second (a sweep walks every entry).
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
    created: Instant,
    /// Milliseconds after `created` of the last sweep.
    last_sweep: AtomicU64,
}

struct Entry {
    state: EntryState,
    expires: Instant,
}

enum EntryState {
    Running {
        token: ClaimToken,
        fingerprint: String,
    },
    Saved(SavedResponse),
}

impl MemoryStore {
    /// A store holding at most `capacity` keys at a time.
    pub fn new(capacity: usize) -> Self {
        MemoryStore {
            entries: Mutex::new(HashMap::new()),
            capacity,
            created: Instant::now(),
            last_sweep: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Live keys (claimed or saved, not expired).
    pub fn len(&self) -> usize {
        let now = Instant::now();
        self.lock().values().filter(|e| e.expires > now).count()
    }

    /// True when no key is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryStore {
    /// 100,000 keys.
    fn default() -> Self {
        MemoryStore::new(100_000)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl IdempotencyStore for MemoryStore {
    fn claim(&self, key: String, fingerprint: String, lease: Duration) -> StoreFuture<'_, Claim> {
        let now = Instant::now();
        let mut entries = self.lock();
        let since_created =
            u64::try_from(now.duration_since(self.created).as_millis()).unwrap_or(u64::MAX);
        let last_sweep = self.last_sweep.load(Ordering::Relaxed);
        if since_created.saturating_sub(last_sweep) >= 1000 {
            self.last_sweep.store(since_created, Ordering::Relaxed);
            entries.retain(|_, entry| entry.expires > now);
        }
        let outcome = match entries.get(&key) {
            Some(entry) if entry.expires > now => Ok(match &entry.state {
                EntryState::Running { fingerprint, .. } => Claim::InProgress {
                    fingerprint: fingerprint.clone(),
                },
                EntryState::Saved(saved) => Claim::Saved(saved.clone()),
            }),
            _ if entries.len() >= self.capacity && !entries.contains_key(&key) => {
                Err(StoreError(format!(
                    "the idempotency store holds its maximum of {} keys",
                    self.capacity
                )))
            }
            _ => {
                let token = new_token();
                entries.insert(
                    key,
                    Entry {
                        state: EntryState::Running {
                            token: token.clone(),
                            fingerprint,
                        },
                        expires: now + lease,
                    },
                );
                Ok(Claim::Claimed(token))
            }
        };
        Box::pin(std::future::ready(outcome))
    }

    fn save(
        &self,
        key: String,
        token: ClaimToken,
        response: SavedResponse,
        window: Duration,
    ) -> StoreFuture<'_, ()> {
        let mut entries = self.lock();
        if let Some(entry) = entries.get_mut(&key)
            && matches!(&entry.state, EntryState::Running { token: held, .. } if *held == token)
        {
            *entry = Entry {
                state: EntryState::Saved(response),
                expires: Instant::now() + window,
            };
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release(&self, key: String, token: ClaimToken) -> StoreFuture<'_, ()> {
        let mut entries = self.lock();
        if entries.get(&key).is_some_and(
            |entry| matches!(&entry.state, EntryState::Running { token: held, .. } if *held == token),
        ) {
            entries.remove(&key);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// The idempotency settings a router shares with its handlers.
#[doc(hidden)]
#[derive(Clone)]
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    lease: Duration,
}

impl Idempotency {
    /// From a router's settings.
    pub fn new(store: Arc<dyn IdempotencyStore>, lease: Duration) -> Self {
        Idempotency { store, lease }
    }

    /// Runs `handler` for `request` under `rule`: claimed, replayed or refused as the module
    /// documentation says. Without a key in the request the handler simply runs.
    pub async fn run<F>(
        &self,
        rule: &'static IdempotencyRule,
        request: &Request,
        caller: Option<&Authenticated>,
        handler: F,
    ) -> Response
    where
        F: Future<Output = Response> + Send + 'static,
    {
        let Some(key) = key_of(rule, request) else {
            return handler.await;
        };
        let fingerprint = fingerprint(rule.method, request);
        let store_key = store_key(caller, &key);
        let claim = self
            .store
            .claim(store_key.clone(), fingerprint.clone(), self.lease)
            .await;
        match claim {
            Err(error) => with_retry_after(request.reject(Problem::new(
                503,
                "idempotency_store_unavailable",
                format!("the idempotency key cannot be checked: {error}"),
            ))),
            Ok(Claim::Saved(saved)) if saved.fingerprint == fingerprint => replay(saved),
            Ok(Claim::Saved(_)) => request.reject(reused()),
            Ok(Claim::InProgress { fingerprint: other }) if other != fingerprint => {
                request.reject(reused())
            }
            Ok(Claim::InProgress { .. }) => with_retry_after(request.reject(Problem::new(
                409,
                "idempotency_key_in_use",
                "a request with this idempotency key is still being handled; retry shortly",
            ))),
            Ok(Claim::Claimed(token)) => {
                let store = self.store.clone();
                let window = Duration::from_secs(rule.window_seconds);
                let task = tokio::spawn(async move {
                    let response = handler.await;
                    finish(store, store_key, token, fingerprint, window, response).await
                });
                match task.await {
                    Ok(response) => response,
                    // The handler panicked: the key stays claimed until its lease ends, so a
                    // retry cannot run a charge that may have half-happened.
                    Err(_) => request.reject(Problem::new(
                        500,
                        "internal_error",
                        "the request could not be completed",
                    )),
                }
            }
        }
    }
}

impl fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Idempotency")
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

fn reused() -> Problem {
    Problem::new(
        422,
        "idempotency_key_reused",
        "this idempotency key was already used for a different request",
    )
}

fn with_retry_after(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Saves a success (the body is read whole to be kept), releases anything else.
async fn finish(
    store: Arc<dyn IdempotencyStore>,
    key: String,
    token: ClaimToken,
    fingerprint: String,
    window: Duration,
    response: Response,
) -> Response {
    if !response.status().is_success() {
        // Nothing is saved for a failure: the caller may try again with the same key. A
        // release that fails leaves the key to its lease.
        let _ = store.release(key, token).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(_) => {
            return axum::response::IntoResponse::into_response(Problem::new(
                500,
                "internal_error",
                "the response could not be read",
            ));
        }
    };
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !is_hop_or_length(name))
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect();
    let saved = SavedResponse {
        fingerprint,
        status: parts.status.as_u16(),
        headers,
        body: body.to_vec(),
    };
    // Should saving fail, the key stays claimed until its lease ends (a retry gets 409, never
    // a second run); the caller still gets this answer.
    let _ = store.save(key, token, saved, window).await;
    Response::from_parts(parts, axum::body::Body::from(body))
}

fn is_hop_or_length(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection" | "transfer-encoding" | "content-length" | "date" | "keep-alive"
    )
}

fn replay(saved: SavedResponse) -> Response {
    let mut response = Response::new(axum::body::Body::from(saved.body));
    *response.status_mut() = StatusCode::from_u16(saved.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in saved.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(&value),
        ) {
            headers.append(name, value);
        }
    }
    headers.insert(
        HeaderName::from_static("idempotent-replayed"),
        HeaderValue::from_static("true"),
    );
    response
}

/// The key the request carries, if any (an empty key counts as none).
fn key_of(rule: &IdempotencyRule, request: &Request) -> Option<String> {
    let key = match rule.key {
        KeySource::Header(name) => request.headers().get(name)?.to_str().ok()?.to_owned(),
        KeySource::Body(pointer) => {
            let body: serde_json::Value = serde_json::from_slice(request.body_bytes()).ok()?;
            match body.pointer(pointer)? {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Number(number) => number.to_string(),
                _ => return None,
            }
        }
    };
    (!key.is_empty()).then_some(key)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 15)] as char);
    }
    out
}

/// SHA-256 over method, path, query and body, each length-prefixed so no two requests share
/// one byte string. A JSON body counts by its value (keys sorted, no insignificant space): a
/// client that re-serializes the same request on retry still matches.
fn fingerprint(method: &str, request: &Request) -> String {
    let body = request.body_bytes();
    let canonical = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .map(|value| {
            let mut out = Vec::with_capacity(body.len());
            write_canonical(&value, &mut out);
            out
        });
    let mut hasher = Sha256::new();
    for part in [
        method.as_bytes(),
        request.raw_path().as_bytes(),
        request.raw_query().as_bytes(),
        canonical.as_deref().unwrap_or(body),
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

/// `value` as compact JSON with object keys sorted.
fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (index, (key, member)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(&serde_json::Value::String(key.clone()), out);
                out.push(b':');
                write_canonical(member, out);
            }
            out.push(b'}');
        }
        serde_json::Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend_from_slice(scalar.to_string().as_bytes()),
    }
}

/// The store's key: SHA-256 of the caller's credential and the idempotency key, so keys of two
/// callers never meet and no secret is stored.
fn store_key(caller: Option<&Authenticated>, key: &str) -> String {
    let mut hasher = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    match caller {
        None => part(b"anonymous"),
        Some(caller) => {
            part(caller.scheme.as_bytes());
            match &caller.credential {
                Credential::ApiKey(secret) | Credential::Bearer(secret) => part(secret.as_bytes()),
                Credential::Basic { username, password } => {
                    part(username.as_bytes());
                    part(password.as_bytes());
                }
            }
        }
    }
    part(key.as_bytes());
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(fingerprint: &str) -> SavedResponse {
        SavedResponse {
            fingerprint: fingerprint.into(),
            status: 201,
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: b"{}".to_vec(),
        }
    }

    async fn claim(store: &MemoryStore, key: &str, fingerprint: &str, lease_ms: u64) -> Claim {
        store
            .claim(
                key.into(),
                fingerprint.into(),
                Duration::from_millis(lease_ms),
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_key_is_claimed_once_saved_then_replayed_and_expires() {
        let store = MemoryStore::new(10);
        let Claim::Claimed(token) = claim(&store, "k", "f", 60_000).await else {
            panic!("the first claim holds the key");
        };
        assert_eq!(
            claim(&store, "k", "f", 60_000).await,
            Claim::InProgress {
                fingerprint: "f".into()
            }
        );
        store
            .save("k".into(), token, saved("f"), Duration::from_millis(50))
            .await
            .unwrap();
        assert_eq!(
            claim(&store, "k", "f", 60_000).await,
            Claim::Saved(saved("f"))
        );
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert!(matches!(
            claim(&store, "k", "f", 60_000).await,
            Claim::Claimed(_)
        ));
    }

    #[tokio::test]
    async fn a_released_key_is_free_and_a_stale_token_changes_nothing() {
        let store = MemoryStore::new(10);
        let Claim::Claimed(first) = claim(&store, "k", "f", 20).await else {
            panic!("claimed");
        };
        tokio::time::sleep(Duration::from_millis(40)).await;
        // The lease ended: another request claims the key; the first one's token is stale.
        let Claim::Claimed(second) = claim(&store, "k", "f", 60_000).await else {
            panic!("claimed after the lease");
        };
        store
            .save(
                "k".into(),
                first.clone(),
                saved("f"),
                Duration::from_secs(60),
            )
            .await
            .unwrap();
        store.release("k".into(), first).await.unwrap();
        assert!(matches!(
            claim(&store, "k", "f", 60_000).await,
            Claim::InProgress { .. }
        ));
        store.release("k".into(), second).await.unwrap();
        assert!(matches!(
            claim(&store, "k", "f", 60_000).await,
            Claim::Claimed(_)
        ));
    }

    #[tokio::test]
    async fn a_full_store_refuses_new_keys_instead_of_forgetting_answers() {
        let store = MemoryStore::new(2);
        for key in ["a", "b"] {
            assert!(matches!(
                claim(&store, key, "f", 60_000).await,
                Claim::Claimed(_)
            ));
        }
        let refused = store
            .claim("c".into(), "f".into(), Duration::from_secs(60))
            .await;
        assert!(refused.is_err(), "{refused:?}");
        // Known keys still answer.
        assert!(matches!(
            claim(&store, "a", "f", 60_000).await,
            Claim::InProgress { .. }
        ));
    }

    #[tokio::test]
    async fn concurrent_claims_of_one_key_have_one_winner() {
        let store = Arc::new(MemoryStore::new(100));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .claim("k".into(), "f".into(), Duration::from_secs(60))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Claim::Claimed(_)) {
                winners += 1;
            }
        }
        assert_eq!(winners, 1);
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_space() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{ "b": [1, {"d": null, "c": "x"}], "a": 2.5 }"#).unwrap();
        let mut out = Vec::new();
        write_canonical(&value, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":2.5,"b":[1,{"c":"x","d":null}]}"#
        );
    }

    #[test]
    fn store_keys_separate_callers_and_hide_secrets() {
        let alice = Authenticated {
            scheme: "basic",
            credential: Credential::Basic {
                username: "sk_alice".into(),
                password: String::new(),
            },
        };
        let bob = Authenticated {
            scheme: "basic",
            credential: Credential::Basic {
                username: "sk_bob".into(),
                password: String::new(),
            },
        };
        let a = store_key(Some(&alice), "key-1");
        assert_eq!(a, store_key(Some(&alice), "key-1"));
        assert_ne!(a, store_key(Some(&bob), "key-1"));
        assert_ne!(a, store_key(None, "key-1"));
        assert_eq!(a.len(), 64);
        assert!(!a.contains("alice"));
    }
}
