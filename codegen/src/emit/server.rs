//! The `server` module (feature `server`): the `Api` handler trait, `router()`, one axum
//! handler per operation that decodes (by the plan's codecs) and validates everything before the
//! trait method runs, `IntoResponse` for every response enum, and `MockApi`, which answers from
//! the spec's examples.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::literals::{
    codec_tokens, form_fields_tokens, part_specs_tokens, security_ref, shape_tokens,
    static_shape_tokens,
};
use super::tokens::{
    Arm, body_value_tokens, doc_paragraphs, merged_arms, response_body_type, tag_cfg,
};
use crate::ir::{Api, IdempotencyKey, Method, ParameterLocation, StatusKey};
use crate::plan::{
    BodyEncoding, BodyValue, CredentialArg, FieldPresence, HeadersType, MediaPlan, OperationPlan,
    Plan, ResponsePlan,
};
use crate::validate::{constrained_shape, expr_shape};

fn resolve_tokens() -> TokenStream {
    quote!(&|name: &str| super::schema::shape_of(name))
}

fn credential_param(plan: &OperationPlan<'_>, name: TokenStream) -> TokenStream {
    match plan.credential {
        CredentialArg::None => quote!(),
        CredentialArg::Required => quote!(, #name: ::specgen_runtime::auth::Authenticated),
        CredentialArg::Optional => {
            quote!(, #name: ::std::option::Option<::specgen_runtime::auth::Authenticated>)
        }
    }
}

/// The whole server module.
pub fn server_module(plan: &Plan<'_>) -> TokenStream {
    let trait_methods = plan.operations.iter().map(|op_plan| {
        let op = op_plan.op;
        let method = format_ident!("{}", op.rust_name);
        let request = format_ident!("{}", op_plan.request_type);
        let response = format_ident!("{}", op_plan.response_type);
        let docs = doc_paragraphs(&[op.summary.clone(), op.description.clone(), Some(format!("`{} {}`.", op.method.as_str(), op.path))]);
        let credential = credential_param(op_plan, quote!(credential));
        quote! {
            #docs
            fn #method(&self, request: super::operations::#request #credential) -> impl ::std::future::Future<Output = super::operations::#response> + ::std::marker::Send;
        }
    });
    // Operations documenting the same error responses share one table.
    let mut error_tables: Vec<(String, TokenStream)> = Vec::new();
    let handlers: Vec<TokenStream> = plan
        .operations
        .iter()
        .map(|op_plan| {
            let docs = error_docs(op_plan);
            let key = docs.to_string();
            let index = match error_tables.iter().position(|(known, _)| *known == key) {
                Some(index) => index,
                None => {
                    error_tables.push((key, docs));
                    error_tables.len() - 1
                }
            };
            handler(op_plan, &format_ident!("ERRORS_{index}"))
        })
        .collect();
    let error_tables = error_tables.iter().enumerate().map(|(index, (_, docs))| {
        let name = format_ident!("ERRORS_{index}");
        quote! {
            /// Error responses as documented, the shape a refusal takes.
            static #name: &[::specgen_runtime::server::ErrorDoc] = &[#docs];
        }
    });
    let into_responses = plan.operations.iter().map(into_response);
    let header_writers = plan.headers_types.iter().map(header_writer);
    let mock = mock_api(plan);
    let authenticate = plan
        .operations
        .iter()
        .any(|op| op.credential != CredentialArg::None)
        .then(|| {
            quote! {
                /// The first presented credential `api` accepts, trying the operation's security
                /// alternatives in order (two alternatives may share a header: an API key and a
                /// bearer token in `Authorization`).
                async fn authenticate<A: Api>(
                    api: &A,
                    request: &::specgen_runtime::server::Request,
                ) -> ::std::result::Result<::std::option::Option<::specgen_runtime::auth::Authenticated>, ::specgen_runtime::server::Problem> {
                    let candidates = request.credentials();
                    for credential in candidates.iter() {
                        if api.authorize(credential).await {
                            return ::std::result::Result::Ok(::std::option::Option::Some(credential.clone()));
                        }
                    }
                    candidates.none_accepted()
                }
            }
        });

    // Handlers of idempotent operations find the store in the request's extensions.
    let idempotency_layer = plan
        .operations
        .iter()
        .any(|op| op.op.idempotency.is_some())
        .then(|| quote!(.layer(::specgen_runtime::server::axum::Extension(config.idempotency()))));

    // One `.route()` per path, with every method of that path.
    let mut paths: Vec<(&str, Vec<&OperationPlan<'_>>)> = Vec::new();
    for op in &plan.operations {
        match paths.iter_mut().find(|(path, _)| *path == op.op.path) {
            Some((_, ops)) => ops.push(op),
            None => paths.push((&op.op.path, vec![op])),
        }
    }
    let routes = paths.iter().map(|(path, ops)| {
        let methods = ops.iter().enumerate().map(|(index, op)| {
            let handler = format_ident!("handle_{}", op.op.rust_name);
            let routing = match op.op.method {
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
            /// Decides whether a well-formed credential is accepted, before any handler runs.
            /// Each security alternative the request satisfies is offered in turn; when none is
            /// accepted the request is refused with 401 in the operation's documented error
            /// shape. The default accepts every credential and leaves the decision to the
            /// handlers, which receive it.
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
                #idempotency_layer
                .layer(::specgen_runtime::server::axum::extract::DefaultBodyLimit::max(config.body_limit))
                .with_state(::std::sync::Arc::new(api))
        }

        #authenticate
        #(#error_tables)*
        #(#handlers)*
        #(#header_writers)*
        #(#into_responses)*
        #mock
    }
}

/// The expression that reads one media type of the body as `Option<field type>`, where the field
/// type is the media's value, wrapped in `Option` when the body is optional.
fn read_body(media: &MediaPlan<'_>, required: bool) -> TokenStream {
    let value = body_value_tokens(&media.value);
    let body = media.body;
    match &media.encoding {
        BodyEncoding::Json => {
            let shape = shape_tokens(&expr_shape(&body.ty));
            quote!(request.json_body(#required, &#shape))
        }
        BodyEncoding::Form(fields) => {
            let shape = shape_tokens(&expr_shape(&body.ty));
            let fields = form_fields_tokens(fields);
            quote!(request.form_body(#required, #fields, &#shape))
        }
        BodyEncoding::Multipart(parts) => {
            let shape = shape_tokens(&expr_shape(&body.ty));
            let specs = part_specs_tokens(parts);
            let fills: Vec<TokenStream> = parts
                .iter()
                .filter_map(|part| {
                    let files = part.files?;
                    let (name, field) = (part.name.as_str(), format_ident!("{}", part.field));
                    let nullable = quote!(.map(::specgen_runtime::Nullable::Value).unwrap_or_default());
                    Some(match (files.list, files.presence) {
                        (false, FieldPresence::Plain) => quote! {
                            if let ::std::option::Option::Some(file) = files.one(#name) { body.#field = file; }
                        },
                        (false, FieldPresence::Optional) => quote!(body.#field = files.one(#name);),
                        (false, FieldPresence::Nullable) => quote!(body.#field = files.one(#name)#nullable;),
                        (true, FieldPresence::Plain) => quote!(body.#field = files.all(#name);),
                        (true, FieldPresence::Optional) => quote! {
                            body.#field = ::std::option::Option::Some(files.all(#name)).filter(|all| !all.is_empty());
                        },
                        (true, FieldPresence::Nullable) => quote! {
                            body.#field = ::std::option::Option::Some(files.all(#name)).filter(|all| !all.is_empty())#nullable;
                        },
                    })
                })
                .collect();
            let fill = if fills.is_empty() {
                quote!(|_: &mut #value, _: &mut ::specgen_runtime::wire::multipart::Files| {})
            } else {
                quote!(|body: &mut #value, files: &mut ::specgen_runtime::wire::multipart::Files| { #(#fills)* })
            };
            let read = quote!(request.multipart_body(#required, #specs, &#shape, #fill));
            if required {
                quote!(#read.flatten())
            } else {
                read
            }
        }
        BodyEncoding::Text => {
            let shape = shape_tokens(&constrained_shape(&body.ty, &body.constraints));
            quote!(request.text_body(#required, &#shape))
        }
        BodyEncoding::Binary => {
            if required {
                quote!(request.bytes_body(true).flatten())
            } else {
                quote!(request.bytes_body(false))
            }
        }
    }
}

/// ```text
/// async fn handle_create_payment<A: Api>(State(api), raw: RawRequest) -> Response {
///     let mut request = raw.begin(&CREATE_PAYMENT)?;   // the operation's template, security, error shapes
///     let credential = authenticate(&*api, &request).await?;
///     let param_id = request.path::<i64>("id", &SHAPE);  // … every parameter, the body
///     let (Some(param_id), …, true) = (param_id, …, request.complete()) else { return request.refuse() };
///     let context = request.context();
///     RequestContext::scope(context, api.create_payment(CreatePaymentRequest { id: param_id, … }, credential)).await.into_response()
/// }
/// ```
fn handler(plan: &OperationPlan<'_>, errors: &proc_macro2::Ident) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("handle_{}", op.rust_name);
    let method = format_ident!("{}", op.rust_name);
    let request_ty = format_ident!("{}", plan.request_type);
    let spec_name = format_ident!("OPERATION_{}", op.rust_name.to_ascii_uppercase());

    let mut reads = Vec::new();
    let mut locals = Vec::new();
    for &index in &plan.decode_order {
        let param_plan = &plan.params[index];
        let param = param_plan.param;
        let local = format_ident!("param_{}", param.rust_name);
        let name = param.name.as_str();
        // The value's type is inferred from the request field it fills.
        let shape = shape_tokens(&constrained_shape(&param.ty, &param.constraints));
        let required = param.required;
        let read = if param_plan.has_default_codec() {
            match param.location {
                ParameterLocation::Path => quote!(request.path(#name, &#shape)),
                ParameterLocation::Query => quote!(request.query(#name, #required, &#shape)),
                ParameterLocation::Header => quote!(request.header(#name, #required, &#shape)),
                ParameterLocation::Cookie => quote!(request.cookie(#name, #required, &#shape)),
            }
        } else {
            let codec = codec_tokens(param_plan.codec);
            match param.location {
                ParameterLocation::Path => quote!(request.path_with(#name, #codec, &#shape)),
                ParameterLocation::Query => {
                    quote!(request.query_with(#name, #required, #codec, &#shape))
                }
                ParameterLocation::Header => {
                    quote!(request.header_with(#name, #required, #codec, &#shape))
                }
                ParameterLocation::Cookie => {
                    quote!(request.cookie_with(#name, #required, #codec, &#shape))
                }
            }
        };
        reads.push(read);
        locals.push(local);
    }
    let fields: Vec<TokenStream> = plan
        .params
        .iter()
        .map(|p| {
            let field = format_ident!("{}", p.param.rust_name);
            let local = format_ident!("param_{}", p.param.rust_name);
            quote!(#field: #local,)
        })
        .collect();
    let mut body_field = None;
    if let Some(body) = &plan.body {
        let read = match &body.enum_type {
            None => read_body(&body.media[0], body.required),
            // Several media types: the request's Content-Type picks the variant (the first by
            // default).
            Some(enum_type) => {
                let enum_name = format_ident!("{enum_type}");
                let wrap = |media: &MediaPlan<'_>| {
                    let variant = format_ident!("{}", media.variant);
                    let read = read_body(media, body.required);
                    if body.required {
                        quote!((#read).map(super::operations::#enum_name::#variant))
                    } else {
                        quote!((#read).map(|body| ::std::option::Option::map(body, super::operations::#enum_name::#variant)))
                    }
                };
                let arms = body.media.iter().map(|media| {
                    let media_type = media.body.media_type.as_str();
                    let read = wrap(media);
                    quote!(#media_type => #read,)
                });
                let first = wrap(&body.media[0]);
                quote! {
                    match request.content_type().as_str() {
                        #(#arms)*
                        _ => #first,
                    }
                }
            }
        };
        reads.push(read);
        locals.push(format_ident!("param_body"));
        body_field = Some(quote!(body: param_body,));
    }

    let authenticate = match plan.credential {
        CredentialArg::None => quote!(),
        CredentialArg::Optional => quote! {
            let credential = match authenticate(&*api, &request).await {
                ::std::result::Result::Ok(credential) => credential,
                ::std::result::Result::Err(problem) => return request.reject(problem),
            };
        },
        CredentialArg::Required => quote! {
            let credential = match authenticate(&*api, &request).await.and_then(::specgen_runtime::server::required_credential) {
                ::std::result::Result::Ok(credential) => credential,
                ::std::result::Result::Err(problem) => return request.reject(problem),
            };
        },
    };
    // The handler runs with the request's `RequestContext` current (headers, extensions, peer).
    let handler_future = match plan.credential {
        CredentialArg::None => quote!(api.#method(input)),
        _ => quote!(api.#method(input, credential)),
    };
    let call =
        quote!(::specgen_runtime::server::RequestContext::scope(context, #handler_future).await);
    let idempotency = op.idempotency.as_ref().map(|rule| {
        let rule_name = format_ident!("IDEMPOTENCY_{}", op.rust_name.to_ascii_uppercase());
        let method = op.method.as_str();
        let key = match &rule.key {
            IdempotencyKey::Header(name) => quote!(::specgen_runtime::server::KeySource::Header(#name)),
            IdempotencyKey::Body(pointer) => quote!(::specgen_runtime::server::KeySource::Body(#pointer)),
        };
        let window = rule.window_seconds;
        // The handler moves the credential; the store scopes the key by a copy of it.
        let (caller_copy, caller) = match plan.credential {
            CredentialArg::None => (quote!(), quote!(::std::option::Option::None)),
            CredentialArg::Optional => (quote!(let caller = credential.clone();), quote!(caller.as_ref())),
            CredentialArg::Required => (quote!(let caller = credential.clone();), quote!(::std::option::Option::Some(&caller))),
        };
        let rule_static = quote! {
            /// The operation's `x-idempotency`: where its key travels, how long answers are kept.
            static #rule_name: ::specgen_runtime::server::IdempotencyRule = ::specgen_runtime::server::IdempotencyRule {
                method: #method,
                key: #key,
                window_seconds: #window,
            };
        };
        let run = quote! {
            #caller_copy
            let context = request.context();
            idempotency
                .run(&#rule_name, &request, #caller, async move {
                    ::specgen_runtime::server::axum::response::IntoResponse::into_response(#call)
                })
                .await
        };
        (rule_static, run)
    });
    let (rule_static, respond, idempotency_arg) = match idempotency {
        Some((rule_static, run)) => (
            rule_static,
            run,
            quote!(::specgen_runtime::server::axum::Extension(idempotency): ::specgen_runtime::server::axum::Extension<::specgen_runtime::server::Idempotency>,),
        ),
        None => (
            quote!(),
            quote!(request.respond(#handler_future).await),
            quote!(),
        ),
    };
    let security = security_ref(plan);
    let template = op.path.as_str();
    let query_keys = &plan.query_keys;
    // Every input is read (each records its own problems) before any is refused.
    let destructure = if locals.is_empty() {
        quote! {
            if !request.complete() {
                return request.refuse();
            }
        }
    } else {
        quote! {
            let (#(::std::option::Option::Some(#locals),)* true) = (#(#reads,)* request.complete()) else {
                return request.refuse();
            };
        }
    };
    quote! {
        /// What the server knows about the operation before reading a request for it.
        static #spec_name: ::specgen_runtime::server::OperationSpec = ::specgen_runtime::server::OperationSpec {
            template: #template,
            security: #security,
            errors: #errors,
            query_keys: &[#(#query_keys),*],
            shapes: super::schema::shape_of,
        };

        #rule_static

        async fn #name<A: Api>(
            ::specgen_runtime::server::axum::extract::State(api): ::specgen_runtime::server::axum::extract::State<::std::sync::Arc<A>>,
            #idempotency_arg
            raw: ::specgen_runtime::server::RawRequest,
        ) -> ::specgen_runtime::server::axum::response::Response {
            let mut request = match raw.begin(&#spec_name) {
                ::std::result::Result::Ok(request) => request,
                ::std::result::Result::Err(response) => return response,
            };
            #authenticate
            #destructure
            let input = super::operations::#request_ty { #(#fields)* #body_field };
            #respond
        }
    }
}

/// The `ErrorDoc` entries of an operation's documented error responses.
fn error_docs(plan: &OperationPlan<'_>) -> TokenStream {
    let docs = plan.responses.iter().filter_map(|response| {
        if !response.role.is_error() {
            return None;
        }
        let status = match response.response.status {
            StatusKey::Code(code) if code >= 400 => quote!(::specgen_runtime::server::StatusMatch::Code(#code)),
            StatusKey::Range(hundreds) if hundreds >= 4 => quote!(::specgen_runtime::server::StatusMatch::Range(#hundreds)),
            StatusKey::Default => quote!(::specgen_runtime::server::StatusMatch::Default),
            _ => return None,
        };
        let body = response.primary_media().filter(|m| m.encoding == BodyEncoding::Json)?.body;
        let media_type = body.media_type.as_str();
        let shape = static_shape_tokens(&expr_shape(&body.ty));
        Some(quote!(::specgen_runtime::server::ErrorDoc { status: #status, media_type: #media_type, shape: #shape },))
    });
    quote!(#(#docs)*)
}

/// The response building expression for one media type of a response body held in `body`.
fn build_body(media: &MediaPlan<'_>, status: &TokenStream, headers: &TokenStream) -> TokenStream {
    let media_type = media.body.media_type.as_str();
    let without_headers = headers.to_string() == quote!(&[]).to_string();
    match media.value {
        BodyValue::Typed(_) if media_type == "application/json" && without_headers => {
            quote!(::specgen_runtime::server::json(#status, &body))
        }
        BodyValue::Typed(_) => {
            quote!(::specgen_runtime::server::json_response(#status, &body, #media_type, #headers))
        }
        BodyValue::Text => {
            quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::Some((#media_type, body.into_bytes())), #headers))
        }
        BodyValue::Bytes => {
            quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::Some((#media_type, body)), #headers))
        }
    }
}

/// `impl IntoResponse for CreatePaymentResponse`: status, body in its media type, headers.
/// `impl XRequestIdHeaders { fn pairs(&self) -> [(&str, Option<String>); N] }`: the headers as
/// a response writes them, one per headers struct.
fn header_writer(headers_type: &HeadersType<'_>) -> TokenStream {
    let name = format_ident!("{}", headers_type.name);
    let count = headers_type.headers.len();
    let pairs = headers_type.headers.iter().map(|header| {
        let wire_name = header.header.name.as_str();
        let field = format_ident!("{}", header.header.rust_name);
        if header.header.required {
            quote!((#wire_name, ::std::option::Option::Some(self.#field.to_string())))
        } else {
            quote!((#wire_name, self.#field.as_ref().map(::std::string::ToString::to_string)))
        }
    });
    let cfg = tag_cfg(&headers_type.features);
    quote! {
        #cfg
        impl super::operations::#name {
            /// The headers as a response writes them (`None`: not sent).
            fn pairs(&self) -> [(&'static str, ::std::option::Option<::std::string::String>); #count] {
                [#(#pairs),*]
            }
        }
    }
}

fn into_response(plan: &OperationPlan<'_>) -> TokenStream {
    let response_ty = format_ident!("{}", plan.response_type);
    let arms = plan.responses.iter().map(|response| {
        let variant = format_ident!("{}", response.response.rust_name);
        let status = match response.response.status {
            StatusKey::Code(code) => quote!(#code),
            _ => quote!(status),
        };
        let header_list = if response.headers_type.is_some() {
            quote!(&headers.pairs())
        } else {
            quote!(&[])
        };
        let build = match (&response.body_enum, response.primary_media()) {
            (_, None) if response.headers.is_empty() => quote!(::specgen_runtime::server::empty(#status)),
            (_, None) => quote!(::specgen_runtime::server::raw_response(#status, ::std::option::Option::None, #header_list)),
            (Some(body_enum), Some(_)) => {
                let body_ty = format_ident!("{body_enum}");
                let arms = response.media.iter().map(|media| {
                    let variant = format_ident!("{}", media.variant);
                    let build = build_body(media, &status, &header_list);
                    quote!(super::operations::#body_ty::#variant(body) => #build,)
                });
                quote!(match body { #(#arms)* })
            }
            (None, Some(media)) => build_body(media, &status, &header_list),
        };
        let pattern = if response.is_unit() {
            quote!(Self::#variant)
        } else if response.is_tuple() {
            quote!(Self::#variant(body))
        } else {
            let status = response.carries_status.then(|| quote!(status,));
            let body = response.has_body().then(|| quote!(body,));
            let headers = response.headers_type.as_ref().map(|_| quote!(headers,));
            quote!(Self::#variant { #status #body #headers })
        };
        let body_ty = response_body_type(response).map(|ty| ty.to_string());
        Arm {
            bindings: format!("{} {body_ty:?} {:?}", response.carries_status, response.headers_type),
            pattern,
            body: build,
        }
    });
    let arms = merged_arms(arms.collect());
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

/// Whether `tokens` call `mock_of(…)`: the identifier followed by arguments, not after `fn` (an
/// operation may itself be named `mock_of`, or `mock_of_x`, which is another identifier).
fn calls_mock_of(tokens: &TokenStream) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(index, tree)| match tree {
        TokenTree::Ident(ident) if ident == "mock_of" => {
            let after_fn = index > 0 && matches!(&trees[index - 1], TokenTree::Ident(prev) if prev == "fn");
            let called = matches!(trees.get(index + 1), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis);
            called && !after_fn
        }
        TokenTree::Group(group) => calls_mock_of(&group.stream()),
        _ => false,
    })
}

/// The mock value of one media type of a body: its first example, else a sample of its schema.
/// `listed`: the entry of `MOCK_EXAMPLES` holding the same example text, if there is one.
fn mock_body(media: &MediaPlan<'_>, listed: Option<usize>) -> TokenStream {
    let example = match (media.body.examples.first(), listed, &media.value) {
        (Some(_), Some(index), BodyValue::Typed(_)) => {
            let index = Literal::usize_unsuffixed(index);
            quote!(::std::option::Option::Some(MOCK_EXAMPLES[#index].body))
        }
        (Some(example), _, _) => {
            let text = example.value.to_string();
            quote!(::std::option::Option::Some(#text))
        }
        (None, _, _) => quote!(::std::option::Option::None),
    };
    match &media.value {
        BodyValue::Typed(_) => {
            let shape = shape_tokens(&expr_shape(&media.body.ty));
            quote!(mock_of(#example, &#shape))
        }
        BodyValue::Text => quote!(::specgen_runtime::schema::mock_text(#example)),
        BodyValue::Bytes => quote!(::specgen_runtime::schema::mock_text(#example).into_bytes()),
    }
}

/// The value `MockApi` answers an operation with.
fn mock_value(
    plan: &OperationPlan<'_>,
    response: &ResponsePlan<'_>,
    listed: Option<usize>,
) -> TokenStream {
    let response_ty = format_ident!("{}", plan.response_type);
    let variant = format_ident!("{}", response.response.rust_name);
    let status = match response.response.status {
        StatusKey::Code(code) => Literal::u16_unsuffixed(code),
        StatusKey::Range(hundreds) => Literal::u16_unsuffixed(hundreds * 100),
        StatusKey::Default => Literal::u16_unsuffixed(200),
    };
    let body = response.primary_media().map(|media| {
        let value = mock_body(media, listed);
        match &response.body_enum {
            Some(body_enum) => {
                let (body_ty, media_variant) = (
                    format_ident!("{body_enum}"),
                    format_ident!("{}", media.variant),
                );
                quote!(super::operations::#body_ty::#media_variant(#value))
            }
            None => value,
        }
    });
    let headers = response.headers_type.as_ref().map(|headers_ty| {
        // Optional headers are not sent (the struct is `Default` then).
        if response
            .headers
            .iter()
            .all(|header| !header.header.required)
        {
            return quote!(::std::default::Default::default());
        }
        let headers_ty = format_ident!("{headers_ty}");
        let fields = response.headers.iter().map(|header| {
            let field = format_ident!("{}", header.header.rust_name);
            if header.header.required {
                let shape = shape_tokens(&expr_shape(&header.ty));
                quote!(#field: mock_of(::std::option::Option::None, &#shape),)
            } else {
                quote!(#field: ::std::option::Option::None,)
            }
        });
        quote!(super::operations::#headers_ty { #(#fields)* })
    });
    if response.is_unit() {
        quote!(super::operations::#response_ty::#variant)
    } else if response.is_tuple() {
        quote!(super::operations::#response_ty::#variant(#body))
    } else {
        let status = response.carries_status.then(|| quote!(status: #status,));
        let body = body.map(|body| quote!(body: #body,));
        let headers = headers.map(|headers| quote!(headers: #headers,));
        quote!(super::operations::#response_ty::#variant { #status #body #headers })
    }
}

/// ```text
/// pub struct MockApi;
/// impl Api for MockApi { fn create_payment(&self, _: CreatePaymentRequest) -> … { ready(CreatePaymentResponse::Ok(<example>)) } }
/// ```
fn mock_api(plan: &Plan<'_>) -> TokenStream {
    // A status documented without an example is still answerable: the smallest body that fits.
    let validator = crate::validate::Validator::new(plan.api);
    let mut examples: Vec<TokenStream> = Vec::new();
    // (operation, response) → its entry in `examples`, so `MockApi` reuses the text.
    let mut listed: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    for (op_index, op_plan) in plan.operations.iter().enumerate() {
        let op = op_plan.op;
        for (response_index, response) in op_plan.responses.iter().enumerate() {
            let status = match response.response.status {
                StatusKey::Code(code) => code,
                _ => continue,
            };
            let (method, path) = (op.method.as_str(), op.path.as_str());
            let Some(media) = response.primary_media() else {
                // A documented status without a body can be asked for too.
                examples.push(quote!(::specgen_runtime::server::MockExample { method: #method, path: #path, status: #status, media_type: "", body: "" },));
                continue;
            };
            let media_type = media.body.media_type.as_str();
            let text = match media.body.examples.first() {
                Some(example) => match (&media.value, &example.value) {
                    (BodyValue::Text | BodyValue::Bytes, serde_json::Value::String(text)) => {
                        text.clone()
                    }
                    _ => example.value.to_string(),
                },
                None if matches!(media.value, BodyValue::Text | BodyValue::Bytes) => continue,
                None => validator.sample_body(media.body).to_string(),
            };
            listed.insert((op_index, response_index), examples.len());
            examples.push(quote!(::specgen_runtime::server::MockExample { method: #method, path: #path, status: #status, media_type: #media_type, body: #text },));
        }
    }
    let methods = plan.operations.iter().enumerate().map(|(op_index, op_plan)| {
        let method = format_ident!("{}", op_plan.op.rust_name);
        let request = format_ident!("{}", op_plan.request_type);
        let response_ty = format_ident!("{}", op_plan.response_type);
        let credential = credential_param(op_plan, quote!(_credential));
        let value = match op_plan.mock_response {
            Some(index) => mock_value(op_plan, &op_plan.responses[index], listed.get(&(op_index, index)).copied()),
            // infallible: the IR gives every operation at least a `default` response, so this
            // arm is never emitted; it stays as generated code, not a generator panic.
            None => quote!(::std::unreachable!("an operation without responses has an empty response enum")),
        };
        quote! {
            async fn #method(&self, _request: super::operations::#request #credential) -> super::operations::#response_ty {
                #value
            }
        }
    });
    let methods: Vec<TokenStream> = methods.collect();
    // Emitted only when an answer uses it: a private function nothing calls would warn.
    let mock_of = methods.iter().any(calls_mock_of).then(|| {
        let resolve = resolve_tokens();
        quote! {
            /// The documented example, else the smallest value the shape allows, as `T`.
            fn mock_of<T: ::serde::de::DeserializeOwned>(example: ::std::option::Option<&str>, shape: &::specgen_runtime::schema::Shape) -> T {
                ::specgen_runtime::schema::mock(example, shape, #resolve)
            }
        }
    });
    let test_cases: Vec<TokenStream> = plan
        .operations
        .iter()
        .flat_map(|op_plan| {
            let op = op_plan.op;
            op.test_mode.iter().map(move |case| {
                let (method, path) = (op.method.as_str(), op.path.as_str());
                let (pointers, values): (Vec<&str>, Vec<&str>) = case
                    .when
                    .iter()
                    .map(|(pointer, value)| (pointer.as_str(), value.as_str()))
                    .unzip();
                let (status, media_type, body) =
                    (case.status, case.media_type.as_str(), case.body.as_str());
                quote!(::specgen_runtime::server::MockTestCase {
                    method: #method, path: #path, when: &[#((#pointers, #values)),*],
                    status: #status, media_type: #media_type, body: #body,
                },)
            })
        })
        .collect();
    let (test_mode_table, test_mode_layer) = if test_cases.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                /// Documented test inputs and their answers (`x-test-mode`).
                static MOCK_TEST_CASES: &[::specgen_runtime::server::MockTestCase] = &[#(#test_cases)*];
            },
            quote! {
                .layer(::specgen_runtime::server::axum::middleware::from_fn_with_state(
                    MOCK_TEST_CASES,
                    ::specgen_runtime::server::mock_test_mode,
                ))
            },
        )
    };
    quote! {
        #mock_of

        /// Documented examples by operation and status, for `x-mock-status`.
        static MOCK_EXAMPLES: &[::specgen_runtime::server::MockExample] = &[#(#examples)*];
        #test_mode_table

        /// A router serving [`MockApi`] behind the full validation. A request that carries
        /// `x-mock-status: <code>` and passes validation gets the spec's documented example
        /// for that status instead of the success answer.
        pub fn mock_router() -> ::specgen_runtime::server::axum::Router {
            router(MockApi) #test_mode_layer .layer(::specgen_runtime::server::axum::middleware::from_fn_with_state(
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
        //! `cargo run --features server --example <package>-mock -- --port 1111`

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
                ::std::eprintln!(
                    "credentials: API key or bearer token `{}`, basic auth `{}` / `{}`; send `x-mock-status: <code>` for another documented status",
                    #lib::runtime::auth::TEST_TOKEN,
                    #lib::runtime::auth::TEST_USER,
                    #lib::runtime::auth::TEST_PASSWORD,
                );
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

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn mock_of_counts_as_used_only_when_called() {
        assert!(super::calls_mock_of(&quote!(
            async fn list(&self) -> R {
                R::Ok(mock_of(None, &S))
            }
        )));
        assert!(!super::calls_mock_of(&quote!(
            async fn mock_of(&self) -> R {
                R::Ok(Default::default())
            }
        )));
        assert!(!super::calls_mock_of(&quote!(
            async fn mock_of_x(&self) -> R {
                R::NoContent
            }
        )));
    }
}
