//! The `server` module (feature `server`): the `Api` handler trait, `router()`, one axum
//! handler per operation that parses and validates everything before the trait method runs,
//! `IntoResponse` for every response enum, and `MockApi`, which answers from the spec's examples.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::client::{security_tokens, style_tokens};
use super::operations::{
    BodyKind, body_kind, body_type, header_type, is_multi_media, media_variants, primary_body,
    primary_index, request_body_ident, request_ident, response_body_ident, response_ident,
    variant_shape,
};
use super::schema::shape_tokens;
use super::tokens::{Scope, doc_paragraphs, type_tokens};
use crate::ir::{
    Api, Method, Operation, ParameterLocation, Response, SecuritySchemeKind, StatusKey,
};
use crate::validate::{constrained_shape, expr_shape};

/// How a handler receives the credential: not at all, always, or when one was sent.
enum CredentialArg {
    None,
    Required,
    Optional,
}

fn credential_arg(op: &Operation) -> CredentialArg {
    if op.security.is_empty() {
        CredentialArg::None
    } else if op.security.iter().any(|r| r.schemes.is_empty()) {
        CredentialArg::Optional
    } else {
        CredentialArg::Required
    }
}

/// The whole server module.
pub fn server_module(api: &Api) -> TokenStream {
    let trait_methods = api.operations.iter().map(|op| {
        let method = format_ident!("{}", op.rust_name);
        let request = request_ident(op);
        let response = response_ident(op);
        let docs = doc_paragraphs(&[op.summary.clone(), op.description.clone(), Some(format!("`{} {}`.", op.method.as_str(), op.path))]);
        let credential = match credential_arg(op) {
            CredentialArg::None => quote!(),
            CredentialArg::Required => quote!(, credential: ::specgen_runtime::auth::Authenticated),
            CredentialArg::Optional => quote!(, credential: ::std::option::Option<::specgen_runtime::auth::Authenticated>),
        };
        quote! {
            #docs
            fn #method(&self, request: super::operations::#request #credential) -> impl ::std::future::Future<Output = super::operations::#response> + ::std::marker::Send;
        }
    });
    let handlers = api.operations.iter().map(|op| handler(api, op));
    let into_responses = api.operations.iter().map(|op| into_response(api, op));
    let mock = mock_api(api);

    // One `.route()` per path, with every method of that path.
    let mut paths: Vec<(&str, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        match paths.iter_mut().find(|(path, _)| *path == op.path) {
            Some((_, ops)) => ops.push(op),
            None => paths.push((&op.path, vec![op])),
        }
    }
    let routes = paths.iter().map(|(path, ops)| {
        let methods = ops.iter().enumerate().map(|(index, op)| {
            let handler = format_ident!("handle_{}", op.rust_name);
            let routing = match op.method {
                Method::Get => quote!(get),
                Method::Put => quote!(put),
                Method::Post => quote!(post),
                Method::Delete => quote!(delete),
                Method::Options => quote!(options),
                Method::Head => quote!(head),
                Method::Patch => quote!(patch),
                Method::Trace => quote!(trace),
            };
            if index == 0 {
                quote!(::specgen_runtime::server::axum::routing::#routing(#handler::<A>))
            } else {
                quote!(.#routing(#handler::<A>))
            }
        });
        quote!(.route(#path, #(#methods)*))
    });

    quote! {
        pub use ::specgen_runtime::server::ServerConfig;

        /// The API as a server implements it: one method per operation, called with a request
        /// that is already parsed, validated and authenticated, returning one of the documented
        /// responses.
        pub trait Api: ::std::marker::Send + ::std::marker::Sync + 'static {
            /// Decides whether a well-formed credential is accepted, before any handler runs
            /// (refused: 401 in the operation's documented error shape). The default accepts
            /// every credential and leaves the decision to the handlers, which receive it.
            fn authorize(&self, credential: &::specgen_runtime::auth::Authenticated) -> impl ::std::future::Future<Output = bool> + ::std::marker::Send {
                let _ = credential;
                ::std::future::ready(true)
            }

            #(#trait_methods)*
        }

        /// An axum router serving `api` with default settings (1 MiB body limit).
        pub fn router<A: Api>(api: A) -> ::specgen_runtime::server::axum::Router {
            router_with(api, ServerConfig::default())
        }

        /// An axum router serving `api`. Unknown paths get 404, undocumented methods 405, and
        /// malformed or invalid requests 400/415/422, all with a JSON body; none reaches `api`.
        pub fn router_with<A: Api>(api: A, config: ServerConfig) -> ::specgen_runtime::server::axum::Router {
            ::specgen_runtime::server::axum::Router::new()
                #(#routes)*
                .fallback(::specgen_runtime::server::not_found)
                .method_not_allowed_fallback(::specgen_runtime::server::method_not_allowed)
                .layer(::specgen_runtime::server::axum::extract::DefaultBodyLimit::max(config.body_limit))
                .with_state(::std::sync::Arc::new(api))
        }

        #(#handlers)*
        #(#into_responses)*
        #mock
    }
}

/// ```text
/// async fn handle_create_payment<A: Api>(State(api), path, query, headers, body) -> Response {
///     inputs → authenticate → every parameter and the body checked against its shape → 4xx with
///     every problem, or api.create_payment(request).await.into_response()
/// }
/// ```
fn handler(api: &Api, op: &Operation) -> TokenStream {
    let name = format_ident!("handle_{}", op.rust_name);
    let method = format_ident!("{}", op.rust_name);
    let request_ty = request_ident(op);
    let security = security_tokens(api, op);
    let resolve = quote!(&|name: &str| super::schema::shape_of(name));

    let mut reads = Vec::new();
    let mut bindings = Vec::new();
    let mut patterns = Vec::new();
    let mut fields = Vec::new();
    for param in &op.parameters {
        let local = format_ident!("param_{}", param.rust_name);
        let field = format_ident!("{}", param.rust_name);
        let name = param.name.as_str();
        let ty = type_tokens(&param.ty, Scope::Sibling);
        let shape = shape_tokens(&constrained_shape(&param.ty, &param.constraints));
        let required = param.required;
        let read = match param.location {
            ParameterLocation::Path => {
                quote!(inputs.path::<#ty>(#name, &#shape, #resolve, &mut problems))
            }
            ParameterLocation::Query => {
                let style = style_tokens(param.style, param.explode);
                quote!(inputs.query::<#ty>(#name, #required, &#shape, #style, #resolve, &mut problems))
            }
            ParameterLocation::Header | ParameterLocation::Cookie => {
                quote!(inputs.header::<#ty>(#name, #required, &#shape, #resolve, &mut problems))
            }
        };
        reads.push(quote!(let #local = #read;));
        bindings.push(quote!(#local));
        patterns.push(match (param.location, required) {
            (ParameterLocation::Path, _) => quote!(::std::option::Option::Some(#local)),
            (_, true) => quote!(::std::option::Option::Some(::std::option::Option::Some(#local))),
            (_, false) => quote!(::std::option::Option::Some(#local)),
        });
        fields.push(quote!(#field: #local,));
    }
    let query_names: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|p| p.name.as_str())
        .collect();
    let key_names: Vec<&str> = api
        .security_schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SecuritySchemeKind::ApiKey {
                location: ParameterLocation::Query,
                parameter,
            } => Some(parameter.as_str()),
            _ => None,
        })
        .collect();
    reads.push(quote!(inputs.reject_unknown_query(&[#(#query_names),*], &[#(#key_names),*], &mut problems);));

    if let Some(request_body) = &op.request_body {
        let required = request_body.required;
        let read_one = |body: &crate::ir::Body| -> TokenStream {
            match body_kind(&body.media_type) {
                BodyKind::Json | BodyKind::Form => {
                    let ty = body_type(body, Scope::Sibling);
                    let shape = shape_tokens(&expr_shape(&body.ty));
                    quote! {
                        match inputs.json_body::<#ty>(#required, &#shape, #resolve, &mut problems) {
                            ::std::result::Result::Ok(body) => ::std::option::Option::Some(body),
                            ::std::result::Result::Err(problem) => return reject(problem),
                        }
                    }
                }
                BodyKind::Text => {
                    let shape = shape_tokens(&constrained_shape(&body.ty, &body.constraints));
                    quote!(inputs.text_body(#required, &#shape, #resolve, &mut problems))
                }
                BodyKind::Binary if body.media_type.starts_with("multipart/form-data") => {
                    let shape = shape_tokens(&expr_shape(&body.ty));
                    quote!(inputs.multipart_body(#required, &#shape, #resolve, &mut problems))
                }
                BodyKind::Binary => quote!(inputs.bytes_body(#required, &mut problems)),
            }
        };
        // Several media types: the request's Content-Type picks the variant (JSON by default).
        let read = match request_body.content.as_slice() {
            [single] => read_one(single),
            many => {
                let enum_name = request_body_ident(op);
                let variants = media_variants(many);
                let arms = many.iter().zip(&variants).map(|(body, variant)| {
                    let media = body.media_type.as_str();
                    let read = read_one(body);
                    quote!(#media => (#read).map(|body| body.map(super::operations::#enum_name::#variant)),)
                });
                let first = read_one(&many[0]);
                let first_variant = &variants[0];
                quote! {
                    match content_type.as_str() {
                        #(#arms)*
                        _ => (#first).map(|body| body.map(super::operations::#enum_name::#first_variant)),
                    }
                }
            }
        };
        let content_type = (request_body.content.len() > 1)
            .then(|| quote!(let content_type = inputs.content_type();));
        reads.push(quote! {
            #content_type
            let param_body = #read;
        });
        bindings.push(quote!(param_body));
        patterns.push(if required {
            quote!(::std::option::Option::Some(::std::option::Option::Some(
                param_body
            )))
        } else {
            quote!(::std::option::Option::Some(param_body))
        });
        fields.push(quote!(body: param_body,));
    }

    let call = match credential_arg(op) {
        CredentialArg::None => quote!({
            let _ = credential;
            api.#method(request).await
        }),
        CredentialArg::Required => quote! {
            match credential {
                ::std::option::Option::Some(credential) => api.#method(request, credential).await,
                ::std::option::Option::None => {
                    return reject(::specgen_runtime::server::Problem::new(401, "unauthorized", "credentials are required"));
                }
            }
        },
        CredentialArg::Optional => quote!(api.#method(request, credential).await),
    };
    let credential_binding = quote!(credential);
    let destructure = if bindings.is_empty() {
        quote!()
    } else {
        quote! {
            let (#(#patterns,)*) = (#(#bindings,)*) else {
                return reject(::specgen_runtime::server::Problem::invalid(problems));
            };
        }
    };
    let errors = format_ident!("ERRORS_{}", op.rust_name.to_ascii_uppercase());
    let error_docs = op.responses.iter().filter_map(|response| {
        let status = match response.status {
            StatusKey::Code(code) if code >= 400 => quote!(::specgen_runtime::server::StatusMatch::Code(#code)),
            StatusKey::Range(hundreds) if hundreds >= 4 => quote!(::specgen_runtime::server::StatusMatch::Range(#hundreds)),
            StatusKey::Default => quote!(::specgen_runtime::server::StatusMatch::Default),
            _ => return None,
        };
        let body = primary_body(response).filter(|b| body_kind(&b.media_type) == BodyKind::Json)?;
        let media = body.media_type.as_str();
        let shape = shape_tokens(&expr_shape(&body.ty));
        Some(quote!(::specgen_runtime::server::ErrorDoc { status: #status, media_type: #media, shape: #shape },))
    });
    quote! {
        /// The operation's documented error responses, for rendering refusals in their shape.
        static #errors: &[::specgen_runtime::server::ErrorDoc] = &[#(#error_docs)*];

        async fn #name<A: Api>(
            ::specgen_runtime::server::axum::extract::State(api): ::specgen_runtime::server::axum::extract::State<::std::sync::Arc<A>>,
            raw: ::specgen_runtime::server::RawRequest,
        ) -> ::specgen_runtime::server::axum::response::Response {
            let reject = |problem: ::specgen_runtime::server::Problem| {
                ::specgen_runtime::server::problem_response(problem, #errors, &|name: &str| super::schema::shape_of(name))
            };
            let inputs = match raw.into_inputs() {
                ::std::result::Result::Ok(inputs) => inputs,
                ::std::result::Result::Err(problem) => return reject(problem),
            };
            let #credential_binding = match inputs.authenticate(#security) {
                ::std::result::Result::Ok(credential) => credential,
                ::std::result::Result::Err(problem) => return reject(problem),
            };
            if let ::std::option::Option::Some(accepted) = &#credential_binding
                && !api.authorize(accepted).await
            {
                return reject(::specgen_runtime::server::Problem::new(401, "unauthorized", "the credential was not accepted"));
            }
            let mut problems = ::std::vec::Vec::new();
            #(#reads)*
            if !problems.is_empty() {
                return reject(::specgen_runtime::server::Problem::invalid(problems));
            }
            #destructure
            let request = super::operations::#request_ty { #(#fields)* };
            let response = #call;
            ::specgen_runtime::server::axum::response::IntoResponse::into_response(response)
        }
    }
}

/// `impl IntoResponse for CreatePaymentResponse`: status, body in its media type, headers.
fn into_response(api: &Api, op: &Operation) -> TokenStream {
    let response_ty = response_ident(op);
    let arms = op.responses.iter().map(|response| {
        let variant = format_ident!("{}", response.rust_name);
        let shape = variant_shape(op, response);
        let status = match response.status {
            StatusKey::Code(code) => quote!(#code),
            _ => quote!(status),
        };
        let headers = response.headers.iter().map(|header| {
            let name = header.name.as_str();
            let field = format_ident!("{}", header.rust_name);
            let _ = header_type(api, header);
            if header.required {
                quote!((#name, ::std::option::Option::Some(headers.#field.to_string())))
            } else {
                quote!((#name, headers.#field.as_ref().map(::std::string::ToString::to_string)))
            }
        });
        let header_list = quote!(&[#(#headers),*]);
        let build_one = |body: &crate::ir::Body| {
            let media = body.media_type.as_str();
            match body_kind(media) {
                BodyKind::Json | BodyKind::Form => quote!(::specgen_runtime::server::json_response(#status, &body, #media, #header_list)),
                BodyKind::Text => quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::Some((#media, body.into_bytes())), #header_list)),
                BodyKind::Binary => quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::Some((#media, body)), #header_list)),
            }
        };
        let build = match primary_body(response) {
            None => quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::None, #header_list)),
            Some(_) if is_multi_media(response) => {
                let body_ty = response_body_ident(op, response);
                let arms = response.content.iter().zip(media_variants(&response.content)).map(|(body, variant)| {
                    let build = build_one(body);
                    quote!(super::operations::#body_ty::#variant(body) => #build,)
                });
                quote!(match body { #(#arms)* })
            }
            Some(body) => build_one(body),
        };
        let pattern = if shape.is_unit() {
            quote!(super::operations::#response_ty::#variant)
        } else if shape.is_tuple() {
            quote!(super::operations::#response_ty::#variant(body))
        } else {
            let status = shape.status.then(|| quote!(status,));
            let body = shape.body.as_ref().map(|_| quote!(body,));
            let headers = shape.headers.as_ref().map(|_| quote!(headers,));
            quote!(super::operations::#response_ty::#variant { #status #body #headers })
        };
        quote!(#pattern => #build,)
    });
    quote! {
        impl ::specgen_runtime::server::axum::response::IntoResponse for super::operations::#response_ty {
            fn into_response(self) -> ::specgen_runtime::server::axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// The response the mock answers with: the first 2xx with an example, else the first 2xx, else
/// the first documented one.
pub fn mock_response(op: &Operation) -> Option<&Response> {
    let success =
        |r: &&Response| matches!(r.status, StatusKey::Code(200..=299) | StatusKey::Range(2));
    let with_example = |r: &&Response| primary_body(r).is_some_and(|b| !b.examples.is_empty());
    op.responses
        .iter()
        .filter(success)
        .find(with_example)
        .or_else(|| op.responses.iter().find(success))
        .or_else(|| op.responses.first())
}

/// ```text
/// pub struct MockApi;
/// impl Api for MockApi { fn create_payment(&self, _: CreatePaymentRequest) -> … { ready(CreatePaymentResponse::Ok(<example>)) } }
/// ```
fn mock_api(api: &Api) -> TokenStream {
    let resolve = quote!(&|name: &str| super::schema::shape_of(name));
    let methods = api.operations.iter().map(|op| {
        let method = format_ident!("{}", op.rust_name);
        let request = request_ident(op);
        let response_ty = response_ident(op);
        let credential = match credential_arg(op) {
            CredentialArg::None => quote!(),
            CredentialArg::Required => quote!(, _credential: ::specgen_runtime::auth::Authenticated),
            CredentialArg::Optional => quote!(, _credential: ::std::option::Option<::specgen_runtime::auth::Authenticated>),
        };
        let value = match mock_response(op) {
            // infallible: the IR gives every operation at least a `default` response, so this
            // arm is never emitted; it stays as generated code, not a generator panic.
            None => quote!(::std::unreachable!("an operation without responses has an empty response enum")),
            Some(response) => {
                let variant = format_ident!("{}", response.rust_name);
                let shape = variant_shape(op, response);
                let status = match response.status {
                    StatusKey::Code(code) => Literal::u16_unsuffixed(code),
                    StatusKey::Range(hundreds) => Literal::u16_unsuffixed(hundreds * 100),
                    StatusKey::Default => Literal::u16_unsuffixed(200),
                };
                let multi = is_multi_media(response).then(|| {
                    let variant = media_variants(&response.content).swap_remove(primary_index(response));
                    (response_body_ident(op, response), variant)
                });
                let body = primary_body(response).map(|body| {
                    let example = body.examples.first().map(|e| e.value.to_string());
                    let example = match example {
                        Some(text) => quote!(::std::option::Option::Some(#text)),
                        None => quote!(::std::option::Option::None),
                    };
                    let ty = body_type(body, Scope::Sibling);
                    let shape = shape_tokens(&expr_shape(&body.ty));
                    let value = match body_kind(&body.media_type) {
                        BodyKind::Json | BodyKind::Form => quote!(::specgen_runtime::schema::mock::<#ty>(#example, &#shape, #resolve)),
                        BodyKind::Text => quote!(::specgen_runtime::schema::mock_text(#example)),
                        BodyKind::Binary => quote!(::specgen_runtime::schema::mock_text(#example).into_bytes()),
                    };
                    match &multi {
                        Some((body_ty, variant)) => quote!(super::operations::#body_ty::#variant(#value)),
                        None => value,
                    }
                });
                let headers = shape.headers.as_ref().map(|headers_ty| {
                    let fields = response.headers.iter().map(|header| {
                        let field = format_ident!("{}", header.rust_name);
                        if header.required {
                            let ty = type_tokens(&header_type(api, header), Scope::Sibling);
                            let shape = shape_tokens(&expr_shape(&header_type(api, header)));
                            quote!(#field: ::specgen_runtime::schema::mock::<#ty>(::std::option::Option::None, &#shape, #resolve),)
                        } else {
                            quote!(#field: ::std::option::Option::None,)
                        }
                    });
                    quote!(super::operations::#headers_ty { #(#fields)* })
                });
                if shape.is_unit() {
                    quote!(super::operations::#response_ty::#variant)
                } else if shape.is_tuple() {
                    quote!(super::operations::#response_ty::#variant(#body))
                } else {
                    let status = shape.status.then(|| quote!(status: #status,));
                    let body = body.map(|body| quote!(body: #body,));
                    let headers = headers.map(|headers| quote!(headers: #headers,));
                    quote!(super::operations::#response_ty::#variant { #status #body #headers })
                }
            }
        };
        quote! {
            fn #method(&self, _request: super::operations::#request #credential) -> impl ::std::future::Future<Output = super::operations::#response_ty> + ::std::marker::Send {
                ::std::future::ready(#value)
            }
        }
    });
    let examples = api.operations.iter().flat_map(|op| {
        op.responses.iter().filter_map(move |response| {
            let status = match response.status {
                StatusKey::Code(code) => code,
                _ => return None,
            };
            let (method, path) = (op.method.as_str(), op.path.as_str());
            let Some(body) = primary_body(response) else {
                // A documented status without a body can be asked for too.
                return Some(quote!(::specgen_runtime::server::MockExample { method: #method, path: #path, status: #status, media_type: "", body: "" },));
            };
            let example = body.examples.first()?;
            let media = body.media_type.as_str();
            let text = match (body_kind(media), &example.value) {
                (BodyKind::Text | BodyKind::Binary, serde_json::Value::String(text)) => text.clone(),
                _ => example.value.to_string(),
            };
            Some(quote!(::specgen_runtime::server::MockExample { method: #method, path: #path, status: #status, media_type: #media, body: #text },))
        })
    });
    quote! {
        /// Documented examples by operation and status, for `x-mock-status`.
        static MOCK_EXAMPLES: &[::specgen_runtime::server::MockExample] = &[#(#examples)*];

        /// A router serving [`MockApi`] behind the full validation. A request that carries
        /// `x-mock-status: <code>` and passes validation gets the spec's documented example
        /// for that status instead of the success answer.
        pub fn mock_router() -> ::specgen_runtime::server::axum::Router {
            router(MockApi).layer(::specgen_runtime::server::axum::middleware::from_fn_with_state(
                MOCK_EXAMPLES,
                ::specgen_runtime::server::mock_status,
            ))
        }

        /// Answers every operation with the spec's documented example for its success status
        /// (or, without one, the smallest value that fits the schema). Behind [`router`], the
        /// validation still runs, so it doubles as a contract checker for clients.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct MockApi;

        impl Api for MockApi {
            /// Accepts only the test credentials (`test-credential` as key or token,
            /// `test-user`/`test-password` for basic auth), so clients can check their auth.
            fn authorize(&self, credential: &::specgen_runtime::auth::Authenticated) -> impl ::std::future::Future<Output = bool> + ::std::marker::Send {
                ::std::future::ready(::specgen_runtime::auth::is_test_credential(&credential.credential))
            }

            #(#methods)*
        }
    }
}

/// `examples/mock.rs` of a generated crate: serves `mock_router()` on `127.0.0.1:<port>`.
pub fn mock_example(api: &Api, lib_name: &str) -> TokenStream {
    let lib = format_ident!("{}", lib_name);
    // The title is data: it is printed as an argument, never as a format string.
    let title = format!("{} mock server", api.title);
    quote! {
        //! Serves `MockApi` (documented examples behind the generated validation) on loopback.
        //!
        //! `cargo run --features server --example mock -- --port 1111`

        fn main() -> ::std::process::ExitCode {
            let mut args = ::std::env::args().skip(1);
            let mut port: u16 = 1111;
            while let ::std::option::Option::Some(arg) = args.next() {
                match (arg.as_str(), args.next().map(|value| value.parse::<u16>())) {
                    ("--port", ::std::option::Option::Some(::std::result::Result::Ok(value))) => port = value,
                    _ => {
                        ::std::eprintln!("usage: mock [--port PORT]");
                        return ::std::process::ExitCode::from(2);
                    }
                }
            }
            let runtime = match ::tokio::runtime::Runtime::new() {
                ::std::result::Result::Ok(runtime) => runtime,
                ::std::result::Result::Err(error) => {
                    ::std::eprintln!("cannot start the runtime: {error}");
                    return ::std::process::ExitCode::FAILURE;
                }
            };
            runtime.block_on(async move {
                let listener = match ::tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                    ::std::result::Result::Ok(listener) => listener,
                    ::std::result::Result::Err(error) => {
                        ::std::eprintln!("cannot listen on 127.0.0.1:{port}: {error}");
                        return ::std::process::ExitCode::FAILURE;
                    }
                };
                let title: &str = #title;
                ::std::eprintln!("{title} on http://127.0.0.1:{port}");
                match #lib::runtime::server::axum::serve(listener, #lib::server::mock_router()).await {
                    ::std::result::Result::Ok(()) => ::std::process::ExitCode::SUCCESS,
                    ::std::result::Result::Err(error) => {
                        ::std::eprintln!("server error: {error}");
                        ::std::process::ExitCode::FAILURE
                    }
                }
            })
        }
    }
}
