//! The `client` module (feature `client`): `Client` with one method per operation. Requests are
//! built from the typed request struct, one runtime call per path piece, parameter and body,
//! each written by the codec the plan chose; responses are decoded by status first, then by the
//! documented media type — never by trying shapes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::literals::{
    codec_tokens, form_fields_tokens, method_tokens, part_spec_tokens, security_ref,
};
use super::tokens::{Scope, doc_paragraphs, tag_cfg, type_tokens};
use crate::ir::{PageAdvance, Pagination, ParameterLocation, SecuritySchemeKind, StatusKey};
use crate::plan::{
    BodyEncoding, FieldPresence, HeadersType, MediaPlan, OperationPlan, PathPiece, Plan,
    ResponsePlan,
};

/// The whole client module.
pub fn client_module(plan: &Plan<'_>) -> TokenStream {
    let api = plan.api;
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let methods = plan.operations.iter().map(operation_method);
    let decoders = plan.operations.iter().map(response_decoder);
    let header_readers = plan.headers_types.iter().map(header_reader);
    let setters = api.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let method = format_ident!("with_{}", scheme.rust_name);
        let docs = doc_paragraphs(&[Some(format!("Credential for the `{name}` security scheme.")), scheme.docs.clone()]);
        match &scheme.kind {
            SecuritySchemeKind::Basic => quote! {
                #docs
                pub fn #method(self, username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                    ClientBuilder(self.0.credential(#name, ::specgen_runtime::auth::Credential::Basic { username: username.into(), password: password.into() }))
                }
            },
            SecuritySchemeKind::ApiKey { .. } => quote! {
                #docs
                pub fn #method(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    ClientBuilder(self.0.credential(#name, ::specgen_runtime::auth::Credential::ApiKey(key.into())))
                }
            },
            SecuritySchemeKind::Bearer | SecuritySchemeKind::OAuth2 { .. } => quote! {
                #docs
                pub fn #method(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    ClientBuilder(self.0.credential(#name, ::specgen_runtime::auth::Credential::Bearer(token.into())))
                }
            },
        }
    });
    quote! {
        pub use ::specgen_runtime::client::{Error, RetryPolicy};

        /// A client of the API. Cheap to clone (the connection pool is shared).
        #[derive(Clone, Debug)]
        pub struct Client {
            config: ::specgen_runtime::client::ClientConfig,
        }

        /// Configures a [`Client`]: timeout, user agent, default headers, an existing
        /// `reqwest::Client`, credentials per security scheme, retries.
        #[derive(Debug)]
        pub struct ClientBuilder(::specgen_runtime::client::ClientBuilder);

        impl ClientBuilder {
            /// Per-request timeout (default 30 s).
            pub fn timeout(self, timeout: ::std::option::Option<::std::time::Duration>) -> Self {
                ClientBuilder(self.0.timeout(timeout))
            }

            /// The `User-Agent` header.
            pub fn user_agent(self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                ClientBuilder(self.0.user_agent(user_agent))
            }

            /// A header sent with every request.
            pub fn default_header(self, name: &str, value: &str) -> ::std::result::Result<Self, Error> {
                self.0.default_header(name, value).map(ClientBuilder)
            }

            /// Uses a ready-made `reqwest::Client`.
            pub fn http_client(self, client: ::specgen_runtime::client::reqwest::Client) -> Self {
                ClientBuilder(self.0.http_client(client))
            }

            /// Retries (off by default).
            pub fn retry(self, retry: RetryPolicy) -> Self {
                ClientBuilder(self.0.retry(retry))
            }

            #(#setters)*

            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, Error> {
                self.0.build().map(|config| Client { config })
            }
        }

        impl Client {
            /// The servers the spec documents.
            pub const SERVERS: &'static [&'static str] = &[#(#servers),*];

            /// A client for `base_url` with default settings.
            pub fn new(base_url: &str) -> ::std::result::Result<Self, Error> {
                Client::builder(base_url).build()
            }

            /// A builder for `base_url`.
            pub fn builder(base_url: &str) -> ClientBuilder {
                ClientBuilder(::specgen_runtime::client::ClientBuilder::new(base_url))
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.config.base_url()
            }

            #(#methods)*
        }

        #(#header_readers)*
        #(#decoders)*
    }
}

/// `call.json_body(…)`-style statements that encode one media type of the body held in `value`
/// (a reference to the body's Rust value).
fn encode_body(media: &MediaPlan<'_>, value: TokenStream) -> TokenStream {
    let media_type = media.body.media_type.as_str();
    match &media.encoding {
        BodyEncoding::Json => {
            quote!(call.body(::specgen_runtime::client::Body::json(#value, #media_type)?);)
        }
        BodyEncoding::Form(fields) => {
            let fields = form_fields_tokens(fields);
            quote!(call.body(::specgen_runtime::client::Body::form(#value, #fields, #media_type)?);)
        }
        BodyEncoding::Multipart(parts) if parts.is_empty() => quote! {
            let mut writer = ::specgen_runtime::wire::multipart::Writer::new();
            if let ::serde_json::Value::Object(fields) = ::specgen_runtime::client::to_json(#value)? {
                for (name, field) in &fields {
                    writer.value(&::specgen_runtime::wire::multipart::PartSpec { name, kind: ::specgen_runtime::wire::multipart::PartKind::Text, content_type: "", repeated: true }, field);
                }
            }
            call.body(::specgen_runtime::client::Body::multipart(writer));
        },
        BodyEncoding::Multipart(parts) => {
            // One statement per property, in the schema's order; files go as their bytes.
            let writes = parts.iter().map(|part| {
                let spec = part_spec_tokens(part);
                let field = format_ident!("{}", part.field);
                match part.files {
                    None => quote!(writer.value(&#spec, &::specgen_runtime::client::to_json(&#value.#field)?);),
                    Some(files) => {
                        let iter = match (files.list, files.presence) {
                            (false, FieldPresence::Plain) => quote!(::std::iter::once(&#value.#field)),
                            (false, FieldPresence::Optional) | (true, FieldPresence::Plain) => quote!(#value.#field.iter()),
                            (false, FieldPresence::Nullable) => quote!(#value.#field.as_ref()),
                            (true, FieldPresence::Optional) => quote!(#value.#field.iter().flatten()),
                            (true, FieldPresence::Nullable) => quote!(#value.#field.as_ref().into_iter().flatten()),
                        };
                        quote!(writer.files(&#spec, #iter);)
                    }
                }
            });
            quote! {
                let mut writer = ::specgen_runtime::wire::multipart::Writer::new();
                #(#writes)*
                call.body(::specgen_runtime::client::Body::multipart(writer));
            }
        }
        BodyEncoding::Text | BodyEncoding::Binary => {
            quote!(call.body(::specgen_runtime::client::Body::raw(#value.clone(), #media_type));)
        }
    }
}

/// ```text
/// pub fn create_payment(&self, request: CreatePaymentRequest) -> impl Future<Output = Result<CreatePaymentResponse, Error>> {
///     fn call(request) -> Result<Call, Error> { call.path("/payments/"); call.path_param("id", &request.id)?; … }
///     self.config.send(call(request), CreatePaymentResponse::from_raw)
/// }
/// ```
fn operation_method(plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let method_name = format_ident!("{}", op.rust_name);
    let request_ty = format_ident!("{}", plan.request_type);
    let response_ty = format_ident!("{}", plan.response_type);
    let operation_id = op.id.as_str();
    let docs = doc_paragraphs(&[
        op.summary.clone(),
        op.description.clone(),
        Some(format!(
            "`{} {}` (operation `{}`).",
            op.method.as_str(),
            op.path,
            op.id
        )),
        op.deprecated.then(|| "Deprecated by the spec.".to_string()),
    ]);

    let mut statements = Vec::new();
    for piece in &plan.path {
        statements.push(match piece {
            PathPiece::Literal(text) => quote!(call.path(#text);),
            PathPiece::Param(index) => {
                let param = &plan.params[*index];
                let (name, field) = (
                    param.param.name.as_str(),
                    format_ident!("{}", param.param.rust_name),
                );
                if param.has_default_codec() {
                    quote!(call.path_param(#name, &request.#field)?;)
                } else {
                    let codec = codec_tokens(param.codec);
                    quote!(call.path_param_with(#name, &request.#field, #codec)?;)
                }
            }
        });
    }
    for (index, param) in plan.params.iter().enumerate() {
        let (name, field) = (
            param.param.name.as_str(),
            format_ident!("{}", param.param.rust_name),
        );
        let method = match param.param.location {
            ParameterLocation::Path => continue,
            ParameterLocation::Header if plan.idempotency_key == Some(index) => {
                statements.push(quote!(call.idempotency_key(#name, &request.#field)?;));
                continue;
            }
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        statements.push(if param.has_default_codec() {
            let method = format_ident!("{method}");
            quote!(call.#method(#name, &request.#field)?;)
        } else {
            let (method, codec) = (format_ident!("{method}_with"), codec_tokens(param.codec));
            quote!(call.#method(#name, &request.#field, #codec)?;)
        });
    }
    if let Some(body) = &plan.body {
        let encode = match &body.enum_type {
            None => encode_body(&body.media[0], quote!(body)),
            Some(enum_type) => {
                let enum_name = format_ident!("{enum_type}");
                let arms = body.media.iter().map(|media| {
                    let variant = format_ident!("{}", media.variant);
                    let encode = encode_body(media, quote!(value));
                    quote!(super::operations::#enum_name::#variant(value) => { #encode })
                });
                quote!(match body { #(#arms)* })
            }
        };
        let single_use = body.enum_type.is_none()
            && matches!(
                body.media[0].encoding,
                BodyEncoding::Json | BodyEncoding::Form(_)
            );
        statements.push(if body.required && single_use {
            // The value is named once: no binding needed.
            encode_body(&body.media[0], quote!(&request.body))
        } else if body.required {
            quote!({ let body = &request.body; #encode })
        } else {
            quote!(if let ::std::option::Option::Some(body) = &request.body { #encode })
        });
    }

    let security = security_ref(plan);
    let method = method_tokens(op.method);
    let uses_request = !op.parameters.is_empty() || plan.body.is_some();
    let request_binding = if uses_request {
        quote!(request)
    } else {
        quote!(_request)
    };
    let call_binding = if statements.is_empty() {
        quote!(call)
    } else {
        quote!(mut call)
    };
    // The method is a plain function returning the runtime's one shared future: its two halves
    // (build the call, decode the answer) are ordinary functions, so a spec with hundreds of
    // operations does not make the compiler check hundreds of async state machines.
    let cfg = tag_cfg(&op.features);
    let stream = op
        .pagination
        .as_ref()
        .map(|pagination| stream_method(plan, pagination));
    quote! {
        #cfg
        #docs
        pub fn #method_name(&self, #request_binding: super::operations::#request_ty) -> impl ::specgen_runtime::client::Pending<super::operations::#response_ty> + '_ {
            fn call(#request_binding: super::operations::#request_ty) -> ::std::result::Result<::specgen_runtime::client::Call<'static>, Error> {
                let #call_binding = ::specgen_runtime::client::Call::new(#operation_id, #method, #security);
                #(#statements)*
                ::std::result::Result::Ok(call)
            }
            self.config.send(call(#request_binding), super::operations::#response_ty::from_raw)
        }
        #stream
    }
}

/// `a.b` for the field path `["a", "b"]`.
fn field_path(path: &[String]) -> TokenStream {
    let segments = path.iter().map(|segment| format_ident!("{segment}"));
    quote!(#(#segments).*)
}

/// `<operation>_stream`: every item of a paginated listing, fetched page by page.
fn stream_method(plan: &OperationPlan<'_>, pagination: &Pagination) -> TokenStream {
    let op = plan.op;
    let method_name = format_ident!("{}", op.rust_name);
    let stream_name = format_ident!("{}", pagination.stream_method);
    let request_ty = format_ident!("{}", plan.request_type);
    let response_ty = format_ident!("{}", plan.response_type);
    let variant = format_ident!("{}", pagination.response);
    let item_ty = type_tokens(&pagination.item_type, Scope::Sibling);
    let items = format_ident!("{}", pagination.items);
    let pages = quote!(::specgen_runtime::client::pages);
    let success_pattern = if pagination.response_has_headers {
        quote!(super::operations::#response_ty::#variant { body, .. })
    } else {
        quote!(super::operations::#response_ty::#variant(body))
    };
    let total = match &pagination.total {
        Some(field) => {
            let field = format_ident!("{field}");
            quote!(#pages::number(&body.#field))
        }
        None => quote!(::std::option::Option::None),
    };
    let has_more = match &pagination.has_more {
        Some(field) => {
            let field = format_ident!("{field}");
            quote!(#pages::flag(&body.#field))
        }
        None => quote!(::std::option::Option::None),
    };
    let (how, step) = match &pagination.advance {
        PageAdvance::Page { param, start } => {
            let param = field_path(param);
            let start = *start as f64;
            (
                "page by page",
                quote! {
                    let (total, has_more) = (#total, #has_more);
                    let items = #pages::items(body.#items);
                    #pages::next_page(&mut request.#param, #start);
                    let more = #pages::more_after(items.len(), seen, total, has_more);
                    (items, more)
                },
            )
        }
        PageAdvance::Offset { param } => {
            let param = field_path(param);
            (
                "by offset",
                quote! {
                    let (total, has_more) = (#total, #has_more);
                    let items = #pages::items(body.#items);
                    #pages::next_offset(&mut request.#param, items.len());
                    let more = #pages::more_after(items.len(), seen, total, has_more);
                    (items, more)
                },
            )
        }
        PageAdvance::Cursor { param, item_field } => {
            let (param, item_field) = (field_path(param), format_ident!("{item_field}"));
            (
                "by cursor (the last item's id)",
                quote! {
                    let (total, has_more) = (#total, #has_more);
                    let items = #pages::items(body.#items);
                    let cursor = items.last().and_then(|last| #pages::text(&last.#item_field));
                    let more = #pages::more_after(items.len(), seen, total, has_more);
                    let more = #pages::advance_text(&mut request.#param, cursor, more);
                    (items, more)
                },
            )
        }
        PageAdvance::Token { param, field } => {
            let (param, field) = (field_path(param), format_ident!("{field}"));
            (
                "by next-page token",
                quote! {
                    let _ = seen;
                    let token = #pages::text(&body.#field);
                    let more = #pages::advance_token(&mut request.#param, token, #has_more);
                    (#pages::items(body.#items), more)
                },
            )
        }
    };
    let doc = format!(
        " Every item of [`Self::{}`], fetched {how} as the stream is read; it ends where the \
         listing does, or with the first failed page. Bound it with \
         `specgen_runtime::client::pages::collect_at_most`.",
        op.rust_name
    );
    let cfg = tag_cfg(&op.features);
    quote! {
        #cfg
        #[doc = #doc]
        pub fn #stream_name(&self, request: super::operations::#request_ty) -> impl #pages::Stream<Item = ::std::result::Result<#item_ty, Error>> + ::std::marker::Send + '_ {
            #pages::paginate(
                request,
                move |request| self.#method_name(request),
                |response| match response {
                    #success_pattern => ::std::result::Result::Ok(body),
                    #[allow(unreachable_patterns)]
                    other => #pages::failed_page(other.status(), &other),
                },
                |request, body, seen| { #step },
            )
        }
    }
}

/// ```text
/// impl CreatePaymentResponse {
///     fn from_raw(raw) -> Result<Self, Error> { Ok(match raw.status { 200 => Self::Ok(raw.json()?), _ => return Err(raw.unexpected()) }) }
/// }
/// ```
/// `impl XRequestIdHeaders { fn read(raw) -> Result<Self, Error> }`: one per headers struct,
/// shared by every response that documents those headers.
fn header_reader(headers_type: &HeadersType<'_>) -> TokenStream {
    let name = format_ident!("{}", headers_type.name);
    let fields = headers_type.headers.iter().map(|header| {
        let field = format_ident!("{}", header.header.rust_name);
        let wire_name = header.header.name.as_str();
        let ty = type_tokens(&header.ty, Scope::Sibling);
        if header.header.required {
            quote!(#field: raw.required_header::<#ty>(#wire_name)?,)
        } else {
            quote!(#field: raw.header::<#ty>(#wire_name)?,)
        }
    });
    let cfg = tag_cfg(&headers_type.features);
    quote! {
        #cfg
        impl super::operations::#name {
            /// Reads the documented headers of a response.
            fn read(raw: &::specgen_runtime::client::RawResponse) -> ::std::result::Result<Self, Error> {
                ::std::result::Result::Ok(Self { #(#fields)* })
            }
        }
    }
}

fn response_decoder(plan: &OperationPlan<'_>) -> TokenStream {
    let response_ty = format_ident!("{}", plan.response_type);
    let arms = response_arms(plan);
    let cfg = tag_cfg(&plan.op.features);
    quote! {
        #cfg
        impl super::operations::#response_ty {
            /// Reads a response the server sent, by its status.
            fn from_raw(raw: ::specgen_runtime::client::RawResponse) -> ::std::result::Result<Self, Error> {
                #[allow(clippy::match_overlapping_arm, clippy::match_single_binding)]
                ::std::result::Result::Ok(match raw.status {
                    #(#arms)*
                })
            }
        }
    }
}

/// How the client reads one media type of a response body.
fn decode_one(media: &MediaPlan<'_>) -> TokenStream {
    match media.encoding {
        BodyEncoding::Text => quote!(raw.text()?),
        BodyEncoding::Binary => quote!(raw.bytes().to_vec()),
        BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => {
            quote!(raw.json()?)
        }
    }
}

/// `match raw.content_type().as_str() { "application/json" => Body::ApplicationJson(raw.json()?), … }`,
/// falling back to the primary media type when the server names none of the documented ones.
fn multi_media_decode(response: &ResponsePlan<'_>, body_enum: &str) -> TokenStream {
    let body_ty = format_ident!("{body_enum}");
    let mut seen = std::collections::BTreeSet::new();
    let arms = response.media.iter().filter_map(|media| {
        let media_type = media.body.media_type.to_ascii_lowercase();
        // Wildcards (`text/*`) name no single Content-Type; they are reached by the fallback.
        if media_type.contains('*') || !seen.insert(media_type.clone()) {
            return None;
        }
        let variant = format_ident!("{}", media.variant);
        let decode = decode_one(media);
        Some(quote!(#media_type => super::operations::#body_ty::#variant(#decode),))
    });
    let fallback = response.primary_media().map(|media| {
        let variant = format_ident!("{}", media.variant);
        let decode = decode_one(media);
        quote!(_ => super::operations::#body_ty::#variant(#decode),)
    });
    quote! {
        match raw.content_type().as_str() {
            #(#arms)*
            #fallback
        }
    }
}

/// `match raw.status { 200 => …, 400..=499 => …, _ => … }`: exact codes first, then ranges,
/// then `default` (or `UnexpectedStatus`).
fn response_arms(plan: &OperationPlan<'_>) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    let mut has_default = false;
    for response in &plan.responses {
        let ir = response.response;
        let variant = format_ident!("{}", ir.rust_name);
        let pattern = match ir.status {
            StatusKey::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            StatusKey::Range(hundreds) => {
                let (low, high) = (
                    Literal::u16_unsuffixed(hundreds * 100),
                    Literal::u16_unsuffixed(hundreds * 100 + 99),
                );
                quote!(#low..=#high)
            }
            StatusKey::Default => {
                has_default = true;
                quote!(_)
            }
        };
        let decode = match &response.body_enum {
            Some(body_enum) => Some(multi_media_decode(response, body_enum)),
            None => response.primary_media().map(decode_one),
        };
        let headers = response.headers_type.as_ref().map(|headers_ty| {
            let headers_ty = format_ident!("{headers_ty}");
            quote!(super::operations::#headers_ty::read(&raw)?)
        });
        let value = if response.is_unit() {
            quote!(Self::#variant)
        } else if response.is_tuple() {
            quote!(Self::#variant(#decode))
        } else {
            let status = response.carries_status.then(|| quote!(status: raw.status,));
            let body = decode.map(|decode| quote!(body: #decode,));
            let headers = headers.map(|headers| quote!(headers: #headers,));
            quote!(Self::#variant { #status #body #headers })
        };
        let sort_key = match ir.status {
            StatusKey::Code(_) => 0,
            StatusKey::Range(_) => 1,
            StatusKey::Default => 2,
        };
        arms.push((sort_key, quote!(#pattern => #value,)));
    }
    arms.sort_by_key(|(key, _)| *key);
    let mut arms: Vec<TokenStream> = arms.into_iter().map(|(_, arm)| arm).collect();
    if !has_default {
        arms.push(quote!(_ => return ::std::result::Result::Err(raw.unexpected()),));
    }
    arms
}
