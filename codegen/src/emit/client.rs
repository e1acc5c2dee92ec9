//! The `client` module (feature `client`): `Client` with one `async fn` per operation. Requests
//! are built from the typed request struct; responses are decoded by status first, then by the
//! documented media type — never by trying shapes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{
    BodyKind, body_kind, header_type, headers_ident, idempotency_parameter, is_multi_media,
    media_variants, primary_body, primary_index, request_body_ident, request_ident,
    response_body_ident, response_ident, variant_shape,
};
use super::tokens::{Scope, doc_paragraphs, tag_cfg, type_tokens};
use crate::ir::{
    Api, Method, Operation, ParameterLocation, ParameterStyle, SecuritySchemeKind, StatusKey,
};

/// `&[&[Scheme { … }]]` for an operation's security alternatives.
pub fn security_tokens(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|requirement| {
        let schemes = requirement.schemes.iter().filter_map(|(name, _)| {
            let scheme = api.security_schemes.iter().find(|s| &s.name == name)?;
            let kind = match &scheme.kind {
                SecuritySchemeKind::ApiKey { location, parameter } => {
                    let location = match location {
                        ParameterLocation::Query => quote!(Query),
                        ParameterLocation::Cookie => quote!(Cookie),
                        _ => quote!(Header),
                    };
                    quote!(::specgen_runtime::auth::SchemeKind::ApiKey(::specgen_runtime::auth::KeyLocation::#location, #parameter))
                }
                SecuritySchemeKind::Basic => quote!(::specgen_runtime::auth::SchemeKind::Basic),
                SecuritySchemeKind::Bearer | SecuritySchemeKind::OAuth2 { .. } => quote!(::specgen_runtime::auth::SchemeKind::Bearer),
            };
            Some(quote!(::specgen_runtime::auth::Scheme { name: #name, kind: #kind }))
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// The runtime `Style` of a parameter.
pub fn style_tokens(style: ParameterStyle, explode: bool) -> TokenStream {
    match style {
        ParameterStyle::Form => {
            quote!(::specgen_runtime::params::Style::Form { explode: #explode })
        }
        ParameterStyle::SpaceDelimited => quote!(::specgen_runtime::params::Style::SpaceDelimited),
        ParameterStyle::PipeDelimited => quote!(::specgen_runtime::params::Style::PipeDelimited),
        ParameterStyle::DeepObject => quote!(::specgen_runtime::params::Style::DeepObject),
        ParameterStyle::Simple | ParameterStyle::Label | ParameterStyle::Matrix => {
            quote!(::specgen_runtime::params::Style::Simple)
        }
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let ident = format_ident!("{}", method.as_str());
    quote!(::specgen_runtime::client::Method::#ident)
}

/// The whole client module.
pub fn client_module(api: &Api) -> TokenStream {
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let methods = api.operations.iter().map(|op| operation_method(api, op));
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
    }
}

/// ```text
/// pub async fn create_payment(&self, request: CreatePaymentRequest) -> Result<CreatePaymentResponse, Error> {
///     // path, query, headers, body → Call → execute (auth, idempotency key, retries)
///     match raw.status { 200 => Ok(CreatePaymentResponse::Ok(raw.json()?)), _ => Err(raw.unexpected()) }
/// }
/// ```
fn operation_method(api: &Api, op: &Operation) -> TokenStream {
    let method_name = format_ident!("{}", op.rust_name);
    let request_ty = request_ident(op);
    let response_ty = response_ident(op);
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

    // Path: literal pieces and encoded parameters.
    let mut path_pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        let literal = &rest[..start];
        if !literal.is_empty() {
            path_pieces.push(quote!(path.push_str(#literal);));
        }
        let name = &rest[start + 1..start + length];
        if let Some(param) = op
            .parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.name == name)
        {
            let field = format_ident!("{}", param.rust_name);
            path_pieces.push(quote! {
                path.push_str(&::specgen_runtime::params::encode_component(&::specgen_runtime::client::path_text(#name, &request.#field)?));
            });
        }
        rest = &rest[start + length + 1..];
    }
    if !rest.is_empty() {
        path_pieces.push(quote!(path.push_str(#rest);));
    }

    let idempotency = idempotency_parameter(op);
    let mut query_pieces = Vec::new();
    let mut header_pieces = Vec::new();
    for param in &op.parameters {
        let field = format_ident!("{}", param.rust_name);
        let name = param.name.as_str();
        let value = if param.required {
            quote!(::std::option::Option::Some(&request.#field))
        } else {
            quote!(request.#field.as_ref())
        };
        match param.location {
            ParameterLocation::Query => {
                let style = style_tokens(param.style, param.explode);
                query_pieces.push(quote! {
                    if let ::std::option::Option::Some(value) = #value {
                        query.extend(::specgen_runtime::params::query_pairs(#name, &::specgen_runtime::client::to_json(value)?, #style));
                    }
                });
            }
            ParameterLocation::Header if idempotency.is_some_and(|p| p.name == param.name) => {}
            ParameterLocation::Header => header_pieces.push(quote! {
                if let ::std::option::Option::Some(value) = #value
                    && let ::std::option::Option::Some(text) = ::specgen_runtime::params::simple_text(&::specgen_runtime::client::to_json(value)?)
                {
                    headers.push((#name, text));
                }
            }),
            ParameterLocation::Cookie => header_pieces.push(quote! {
                if let ::std::option::Option::Some(value) = #value
                    && let ::std::option::Option::Some(text) = ::specgen_runtime::params::simple_text(&::specgen_runtime::client::to_json(value)?)
                {
                    headers.push(("cookie", ::std::format!("{}={}", #name, text)));
                }
            }),
            ParameterLocation::Path => {}
        }
    }
    let idempotency_key = match idempotency {
        Some(param) => {
            let field = format_ident!("{}", param.rust_name);
            let name = param.name.as_str();
            let key = if param.required {
                quote!(request.#field.clone())
            } else {
                quote!(request.#field.clone().unwrap_or_else(::specgen_runtime::client::new_idempotency_key))
            };
            quote!(::std::option::Option::Some((#name, #key)))
        }
        None => quote!(::std::option::Option::None),
    };

    let body = match &op.request_body {
        None => quote!(::std::option::Option::None),
        Some(request_body) => {
            let encode = |body: &crate::ir::Body, value: TokenStream| {
                let media = body.media_type.as_str();
                match body_kind(media) {
                    BodyKind::Json => {
                        quote!(::specgen_runtime::client::Body::json(#value, #media)?)
                    }
                    BodyKind::Form => {
                        quote!(::specgen_runtime::client::Body::form(#value, #media)?)
                    }
                    BodyKind::Text | BodyKind::Binary => {
                        quote!(::specgen_runtime::client::Body::raw(#value.clone(), #media))
                    }
                }
            };
            let encoded = match request_body.content.as_slice() {
                [single] => encode(single, quote!(body)),
                many => {
                    let enum_name = request_body_ident(op);
                    let variants = media_variants(many);
                    let arms = many.iter().zip(&variants).map(|(b, v)| {
                        let encoded = encode(b, quote!(value));
                        quote!(super::operations::#enum_name::#v(value) => #encoded,)
                    });
                    quote!(match body { #(#arms)* })
                }
            };
            if request_body.required {
                quote!({ let body = &request.body; ::std::option::Option::Some(#encoded) })
            } else {
                quote!(match &request.body { ::std::option::Option::Some(body) => ::std::option::Option::Some(#encoded), ::std::option::Option::None => ::std::option::Option::None })
            }
        }
    };

    let security = security_tokens(api, op);
    let method = method_tokens(op.method);
    let arms = response_arms(api, op);
    let has_query = !query_pieces.is_empty();
    let has_headers = !header_pieces.is_empty();
    let query_decl = if has_query {
        quote!(let mut query = ::std::vec::Vec::new();)
    } else {
        quote!(let query = ::std::vec::Vec::new();)
    };
    let header_decl = if has_headers {
        quote!(let mut headers = ::std::vec::Vec::new();)
    } else {
        quote!(let headers = ::std::vec::Vec::new();)
    };
    let path_decl = if path_pieces.is_empty() {
        quote!(let path = ::std::string::String::new();)
    } else {
        quote!(let mut path = ::std::string::String::new();)
    };
    let uses_request = !op.parameters.is_empty() || op.request_body.is_some();
    let request_binding = if uses_request {
        quote!(request)
    } else {
        quote!(_request)
    };
    // The method is a plain function returning the runtime's one shared future: its two halves
    // (build the call, decode the answer) are ordinary functions, so a spec with hundreds of
    // operations does not make the compiler check hundreds of async state machines.
    let cfg = tag_cfg(&op.features);
    quote! {
        #cfg
        #docs
        pub fn #method_name(&self, #request_binding: super::operations::#request_ty) -> impl ::std::future::Future<Output = ::std::result::Result<super::operations::#response_ty, Error>> + ::std::marker::Send + '_ {
            fn call(#request_binding: super::operations::#request_ty) -> ::std::result::Result<::specgen_runtime::client::Call<'static>, Error> {
                #path_decl
                #(#path_pieces)*
                #query_decl
                #(#query_pieces)*
                #header_decl
                #(#header_pieces)*
                ::std::result::Result::Ok(::specgen_runtime::client::Call {
                    operation: #operation_id,
                    method: #method,
                    path,
                    query,
                    headers,
                    body: #body,
                    security: #security,
                    idempotency_key: #idempotency_key,
                })
            }
            fn decode(raw: ::specgen_runtime::client::RawResponse) -> ::std::result::Result<super::operations::#response_ty, Error> {
                #[allow(clippy::match_overlapping_arm, clippy::match_single_binding)]
                match raw.status {
                    #(#arms)*
                }
            }
            self.config.send(call(#request_binding), decode)
        }
    }
}

/// `match raw.content_type().as_str() { "application/json" => Body::ApplicationJson(raw.json()?), … }`,
/// falling back to the primary media type when the server names none of the documented ones.
fn multi_media_decode(
    op: &Operation,
    response: &crate::ir::Response,
    decode_one: impl Fn(&crate::ir::Body) -> TokenStream,
) -> TokenStream {
    let body_ty = response_body_ident(op, response);
    let variants = media_variants(&response.content);
    let mut seen = std::collections::BTreeSet::new();
    let arms = response
        .content
        .iter()
        .zip(&variants)
        .filter_map(|(body, variant)| {
            let media = body.media_type.to_ascii_lowercase();
            // Wildcards (`text/*`) name no single Content-Type; they are reached by the fallback.
            if media.contains('*') || !seen.insert(media.clone()) {
                return None;
            }
            let decode = decode_one(body);
            Some(quote!(#media => super::operations::#body_ty::#variant(#decode),))
        });
    let primary = primary_index(response);
    let fallback_variant = &variants[primary];
    let fallback = decode_one(&response.content[primary]);
    quote! {
        match raw.content_type().as_str() {
            #(#arms)*
            _ => super::operations::#body_ty::#fallback_variant(#fallback),
        }
    }
}

/// `match raw.status { 200 => …, 400..=499 => …, _ => … }`: exact codes first, then ranges,
/// then `default` (or `UnexpectedStatus`).
fn response_arms(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let response_ty = response_ident(op);
    let mut arms = Vec::new();
    let mut has_default = false;
    for response in &op.responses {
        let variant = format_ident!("{}", response.rust_name);
        let shape = variant_shape(op, response);
        let pattern = match response.status {
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
        let decode_one = |body: &crate::ir::Body| match body_kind(&body.media_type) {
            BodyKind::Json | BodyKind::Form => quote!(raw.json()?),
            BodyKind::Text => quote!(raw.text()?),
            BodyKind::Binary => quote!(raw.bytes().to_vec()),
        };
        let decode = if is_multi_media(response) {
            Some(multi_media_decode(op, response, decode_one))
        } else {
            primary_body(response).map(decode_one)
        };
        let headers = shape.headers.as_ref().map(|_| {
            let headers_ty = headers_ident(op, response);
            let fields = response.headers.iter().map(|header| {
                let field = format_ident!("{}", header.rust_name);
                let name = header.name.as_str();
                let ty = type_tokens(&header_type(api, header), Scope::Sibling);
                if header.required {
                    quote!(#field: raw.required_header::<#ty>(#name)?,)
                } else {
                    quote!(#field: raw.header::<#ty>(#name)?,)
                }
            });
            quote!(super::operations::#headers_ty { #(#fields)* })
        });
        let value = if shape.is_unit() {
            quote!(super::operations::#response_ty::#variant)
        } else if shape.is_tuple() {
            quote!(super::operations::#response_ty::#variant(#decode))
        } else {
            let status = shape.status.then(|| quote!(status: raw.status,));
            let body = decode.map(|decode| quote!(body: #decode,));
            let headers = headers.map(|headers| quote!(headers: #headers,));
            quote!(super::operations::#response_ty::#variant { #status #body #headers })
        };
        let sort_key = match response.status {
            StatusKey::Code(_) => 0,
            StatusKey::Range(_) => 1,
            StatusKey::Default => 2,
        };
        arms.push((
            sort_key,
            quote!(#pattern => ::std::result::Result::Ok(#value),),
        ));
    }
    arms.sort_by_key(|(key, _)| *key);
    let mut arms: Vec<TokenStream> = arms.into_iter().map(|(_, arm)| arm).collect();
    if !has_default {
        arms.push(quote!(_ => ::std::result::Result::Err(raw.unexpected()),));
    }
    arms
}
