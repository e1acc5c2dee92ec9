//! [`RequestContext`]: what a handler may want to know about a request beyond its typed
//! parameters — every header (declared or not), the extensions middleware attached, the peer
//! address, a request id — without changing the `Api` trait's signatures.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use http::{Extensions, HeaderMap, Method, Uri};

tokio::task_local! {
    static CURRENT: RequestContext;
}

/// The request an `Api` handler is answering, readable from inside the handler (and anything it
/// awaits in the same task) with [`RequestContext::with`] or [`RequestContext::current`].
///
/// ```ignore
/// async fn create_payment(&self, request: CreatePaymentRequest) -> CreatePaymentResponse {
///     let (peer, tenant) = specgen_runtime::server::RequestContext::with(|context| {
///         (context.peer_addr(), context.extensions().get::<TenantId>().cloned())
///     })
///     .unwrap_or_default();
///     …
/// }
/// ```
#[derive(Clone, Debug)]
pub struct RequestContext {
    method: Method,
    uri: Uri,
    headers: Arc<HeaderMap>,
    extensions: Extensions,
}

impl RequestContext {
    #[doc(hidden)]
    pub fn new(method: Method, uri: Uri, headers: Arc<HeaderMap>, extensions: Extensions) -> Self {
        RequestContext {
            method,
            uri,
            headers,
            extensions,
        }
    }

    /// Runs `f` on the context of the request being handled; `None` outside a generated handler.
    pub fn with<R>(f: impl FnOnce(&RequestContext) -> R) -> Option<R> {
        CURRENT.try_with(f).ok()
    }

    /// A copy of the context of the request being handled; `None` outside a generated handler.
    pub fn current() -> Option<RequestContext> {
        Self::with(RequestContext::clone)
    }

    /// Runs `handler` with this context current (what generated handlers do).
    #[doc(hidden)]
    pub fn scope<F: Future>(self, handler: F) -> impl Future<Output = F::Output> {
        CURRENT.scope(self, handler)
    }

    /// The request's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request's URI as received (path and query, still percent-encoded).
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// Every header of the request, the undeclared ones included.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// What middleware attached to the request (`axum::Extension`s, `ConnectInfo`, …).
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// The client's address, when the server was started with
    /// `into_make_service_with_connect_info::<SocketAddr>()`.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|info| info.0)
    }

    /// The `x-request-id` header, when the client or a proxy sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
    }
}
