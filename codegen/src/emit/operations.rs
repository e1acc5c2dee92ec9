//! The `operations` module: per operation, the typed request (path, query, header parameters and
//! body) and the response enum with one variant per documented status. Both are shared by the
//! client and the server, so the two can never disagree about an operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::tokens::{Scope, doc_paragraphs, gate_items, type_tokens};
use crate::ir::naming::{self, Uniquifier};
use crate::ir::{
    Api, Body, Operation, Parameter, Response, ResponseHeader, StatusKey, TypeExpr, TypeKind,
};

/// How a body travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON (`application/json`, `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Any `text/*`.
    Text,
    /// Anything else, as raw bytes.
    Binary,
}

/// The kind of a media type.
pub fn body_kind(media_type: &str) -> BodyKind {
    let media = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") || media == "*/*" {
        BodyKind::Json
    } else if media == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if media.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// The Rust type of a body in `scope`.
pub fn body_type(body: &Body, scope: Scope) -> TokenStream {
    match body_kind(&body.media_type) {
        BodyKind::Json | BodyKind::Form => type_tokens(&body.ty, scope),
        BodyKind::Text => quote!(::std::string::String),
        BodyKind::Binary => quote!(::std::vec::Vec<u8>),
    }
}

/// The body a response variant carries: the first JSON one, else the first.
pub fn primary_body(response: &Response) -> Option<&Body> {
    response
        .content
        .iter()
        .find(|b| body_kind(&b.media_type) == BodyKind::Json)
        .or_else(|| response.content.first())
}

/// A response documented in several media types carries an enum of bodies, one variant per
/// media type, chosen by `Content-Type`.
pub fn is_multi_media(response: &Response) -> bool {
    response.content.len() > 1
}

/// Index in `response.content` of [`primary_body`]: the fallback when the received
/// `Content-Type` names none of the documented media types.
pub fn primary_index(response: &Response) -> usize {
    response
        .content
        .iter()
        .position(|b| body_kind(&b.media_type) == BodyKind::Json)
        .unwrap_or(0)
}

/// `GetReportOkBody` (only for several media types).
pub fn response_body_ident(op: &Operation, response: &Response) -> Ident {
    format_ident!("{}{}Body", op.type_name, response.rust_name)
}

/// `CreatePaymentRequest`.
pub fn request_ident(op: &Operation) -> Ident {
    format_ident!("{}Request", op.type_name)
}

/// `CreatePaymentResponse`.
pub fn response_ident(op: &Operation) -> Ident {
    format_ident!("{}Response", op.type_name)
}

/// `CreatePaymentRequestBody` (only for several media types).
pub fn request_body_ident(op: &Operation) -> Ident {
    format_ident!("{}RequestBody", op.type_name)
}

/// `CreatePaymentOkHeaders`.
pub fn headers_ident(op: &Operation, response: &Response) -> Ident {
    format_ident!("{}{}Headers", op.type_name, response.rust_name)
}

/// Variant names of a multi-media request body, in media order.
pub fn media_variants(bodies: &[Body]) -> Vec<Ident> {
    let mut names = Uniquifier::new();
    bodies
        .iter()
        .map(|b| {
            format_ident!(
                "{}",
                names.claim(naming::upper_camel(&b.media_type, "Media"))
            )
        })
        .collect()
}

/// The idempotency-key header parameter, if the operation has one.
pub fn idempotency_parameter(op: &Operation) -> Option<&Parameter> {
    op.parameters.iter().find(|p| {
        p.location == crate::ir::ParameterLocation::Header && {
            let normalized: String = p
                .name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            normalized.ends_with("idempotencykey")
        }
    })
}

/// Header values are typed when their type reads from and writes to text; otherwise `String`.
pub fn header_type(api: &Api, header: &ResponseHeader) -> TypeExpr {
    match &header.ty {
        TypeExpr::String
        | TypeExpr::Boolean
        | TypeExpr::Integer(_)
        | TypeExpr::Number(_)
        | TypeExpr::DateTime
        | TypeExpr::Date => header.ty.clone(),
        TypeExpr::Named(name)
            if matches!(
                api.type_named(name).map(|d| &d.kind),
                Some(TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_))
            ) =>
        {
            header.ty.clone()
        }
        _ => TypeExpr::String,
    }
}

/// Every operation's request and response types.
pub fn operations_module(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(|op| {
        let request = request_struct(op);
        let response = response_enum(api, op);
        gate_items(quote! { #request #response }, &op.features)
    });
    quote! { #(#items)* }
}

fn operation_docs(op: &Operation) -> String {
    let summary = op.summary.clone().unwrap_or_default();
    format!(
        "`{}` — {} `{}`{}",
        op.id,
        op.method.as_str(),
        op.path,
        if summary.is_empty() {
            String::new()
        } else {
            format!(": {summary}")
        }
    )
}

/// ```text
/// pub struct CreatePaymentRequest { pub payment_id: String, pub status: Option<PaymentStatus>, pub body: PaymentRequest }
/// ```
fn request_struct(op: &Operation) -> TokenStream {
    let name = request_ident(op);
    let docs = doc_paragraphs(&[
        Some(format!("Request of {}.", operation_docs(op))),
        op.description.clone(),
    ]);
    let mut fields = Vec::new();
    let mut all_optional = true;
    for param in &op.parameters {
        let ident = format_ident!("{}", param.rust_name);
        let ty = type_tokens(&param.ty, Scope::Sibling);
        let ty = if param.required {
            all_optional = false;
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let location = match param.location {
            crate::ir::ParameterLocation::Path => "Path",
            crate::ir::ParameterLocation::Query => "Query",
            crate::ir::ParameterLocation::Header => "Header",
            crate::ir::ParameterLocation::Cookie => "Cookie",
        };
        let mut notes = vec![format!("{location} parameter `{}`.", param.name)];
        if param.deprecated {
            notes.push("Deprecated.".into());
        }
        if let Some(default) = &param.default {
            notes.push(format!("Default: `{default}`."));
        }
        if idempotency_parameter(op).is_some_and(|p| p.name == param.name) {
            notes.push(
                "When `None`, the client sends a fresh UUID v4 and reuses it on every retry."
                    .into(),
            );
        }
        let field_docs = doc_paragraphs(&[param.docs.clone(), Some(notes.join(" "))]);
        fields.push(quote! { #field_docs pub #ident: #ty, });
    }
    let mut extra_items = TokenStream::new();
    if let Some(request_body) = &op.request_body {
        let ty = match request_body.content.as_slice() {
            [single] => body_type(single, Scope::Sibling),
            many => {
                let body_name = request_body_ident(op);
                let variants = media_variants(many);
                let types = many.iter().map(|b| body_type(b, Scope::Sibling));
                let media_docs = many.iter().map(|b| format!(" Sent as `{}`.", b.media_type));
                extra_items = quote! {
                    /// The request body, in one of its documented media types.
                    #[derive(Clone, Debug, PartialEq)]
                    pub enum #body_name {
                        #(#[doc = #media_docs] #variants(#types),)*
                    }
                };
                quote!(#body_name)
            }
        };
        let ty = if request_body.required {
            all_optional = false;
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let body_docs =
            doc_paragraphs(&[request_body.docs.clone(), Some("The request body.".into())]);
        fields.push(quote! { #body_docs pub body: #ty, });
    }
    let sensitive = op.parameters.iter().any(|p| p.sensitive);
    let derive_default = if all_optional && op.request_body.is_none() {
        quote!(Default,)
    } else {
        quote!()
    };
    let derive_debug = if sensitive { quote!() } else { quote!(Debug,) };
    let debug_impl = sensitive.then(|| {
        let label = name.to_string();
        let entries = op.parameters.iter().map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            let field = &p.rust_name;
            if p.sensitive {
                quote!(.field(#field, &::specgen_runtime::Redacted))
            } else {
                quote!(.field(#field, &self.#ident))
            }
        });
        let body = op
            .request_body
            .as_ref()
            .map(|_| quote!(.field("body", &self.body)));
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* #body .finish()
                }
            }
        }
    });
    quote! {
        #extra_items
        #docs
        #[derive(Clone, #derive_debug #derive_default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
    }
}

/// The fields a response variant carries.
pub struct VariantShape {
    /// `status: u16` (ranges and `default`).
    pub status: bool,
    /// The body type, if any.
    pub body: Option<TokenStream>,
    /// The headers struct, if any.
    pub headers: Option<Ident>,
}

impl VariantShape {
    /// Tuple variant `Ok(T)`: a single status, a body, no headers.
    pub fn is_tuple(&self) -> bool {
        !self.status && self.body.is_some() && self.headers.is_none()
    }

    /// Unit variant `NoContent`.
    pub fn is_unit(&self) -> bool {
        !self.status && self.body.is_none() && self.headers.is_none()
    }
}

/// What a response's variant holds.
pub fn variant_shape(op: &Operation, response: &Response) -> VariantShape {
    VariantShape {
        status: !matches!(response.status, StatusKey::Code(_)),
        body: if is_multi_media(response) {
            let ident = response_body_ident(op, response);
            Some(quote!(#ident))
        } else {
            primary_body(response).map(|b| body_type(b, Scope::Sibling))
        },
        headers: (!response.headers.is_empty()).then(|| headers_ident(op, response)),
    }
}

/// ```text
/// pub enum CreatePaymentResponse { Ok(Payment), NoContent, Default { status: u16, body: Error } }
/// ```
fn response_enum(api: &Api, op: &Operation) -> TokenStream {
    let name = response_ident(op);
    let docs = format!(" Every documented response of {}.", operation_docs(op));
    let mut header_structs = Vec::new();
    let mut variants = Vec::new();
    let mut status_arms = Vec::new();
    let mut json_arms = Vec::new();
    for response in &op.responses {
        let variant = format_ident!("{}", response.rust_name);
        let shape = variant_shape(op, response);
        let status_text = match response.status {
            StatusKey::Code(code) => format!("Status {code}"),
            StatusKey::Range(hundreds) => format!("Any {hundreds}XX status"),
            StatusKey::Default => "Any status not documented otherwise".to_string(),
        };
        let media = if is_multi_media(response) {
            let medias: Vec<String> = response
                .content
                .iter()
                .map(|b| format!("`{}`", b.media_type))
                .collect();
            Some(format!("Body: {}, by `Content-Type`.", medias.join(", ")))
        } else {
            primary_body(response).map(|b| format!("Body: `{}`.", b.media_type))
        };
        let variant_docs = doc_paragraphs(&[
            Some(format!("{status_text}: {}", response.description.trim())),
            media,
        ]);
        if let Some(headers) = &shape.headers {
            header_structs.push(headers_struct(api, headers, response));
        }
        if is_multi_media(response) {
            header_structs.push(response_body_enum(op, response));
        }
        let body_ty = shape.body.clone();
        let headers_ty = shape.headers.clone();
        variants.push(if shape.is_unit() {
            quote!(#variant_docs #variant,)
        } else if shape.is_tuple() {
            quote!(#variant_docs #variant(#body_ty),)
        } else {
            let status = shape.status.then(|| {
                quote!(/// The status received or sent.
                status: u16,)
            });
            let body = body_ty.as_ref().map(|ty| {
                quote!(/// The body.
                body: #ty,)
            });
            let headers = headers_ty.as_ref().map(|ty| {
                quote!(/// The documented headers.
                headers: #ty,)
            });
            quote!(#variant_docs #variant { #status #body #headers },)
        });
        let fixed = match response.status {
            StatusKey::Code(code) => quote!(#code),
            _ => quote!(*status),
        };
        let pattern = variant_pattern(&name, &variant, &shape, true, false);
        status_arms.push(quote!(#pattern => #fixed,));
        let multi = is_multi_media(response);
        let body_json = match primary_body(response).map(|b| body_kind(&b.media_type)) {
            Some(_) if multi => quote!(body.to_json()),
            None => quote!(::std::option::Option::None),
            Some(BodyKind::Json | BodyKind::Form) => quote!(::serde_json::to_value(body).ok()),
            Some(BodyKind::Text) => quote!(::std::option::Option::Some(
                ::serde_json::Value::String(body.clone())
            )),
            Some(BodyKind::Binary) => quote!(::std::option::Option::None),
        };
        let binds_body = multi
            || matches!(
                primary_body(response).map(|b| body_kind(&b.media_type)),
                Some(BodyKind::Json | BodyKind::Form | BodyKind::Text)
            );
        let pattern = variant_pattern(&name, &variant, &shape, false, binds_body);
        json_arms.push(quote!(#pattern => #body_json,));
    }
    quote! {
        #(#header_structs)*
        #[doc = #docs]
        // One variant per documented status; boxing the large bodies would burden every match.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The HTTP status of this response.
            pub fn status(&self) -> u16 {
                match self {
                    #(#status_arms)*
                }
            }

            /// The body as JSON (`None` without a body or for binary bodies), for logs and tests.
            pub fn body_json(&self) -> ::std::option::Option<::serde_json::Value> {
                match self {
                    #(#json_arms)*
                }
            }
        }
    }
}

/// A match pattern binding `status` and `body` as asked (and as the variant has them).
fn variant_pattern(
    name: &Ident,
    variant: &Ident,
    shape: &VariantShape,
    bind_status: bool,
    bind_body: bool,
) -> TokenStream {
    if shape.is_unit() {
        quote!(#name::#variant)
    } else if shape.is_tuple() {
        if bind_body {
            quote!(#name::#variant(body))
        } else {
            quote!(#name::#variant(_))
        }
    } else {
        let status = (shape.status && bind_status).then(|| quote!(status,));
        let body = (shape.body.is_some() && bind_body).then(|| quote!(body,));
        quote!(#name::#variant { #status #body .. })
    }
}

/// ```text
/// pub enum GetReportOkBody { ApplicationJson(Report), TextCsv(String) }
/// impl GetReportOkBody { pub fn media_type(&self) -> &'static str; pub fn to_json(&self) -> Option<Value> }
/// ```
fn response_body_enum(op: &Operation, response: &Response) -> TokenStream {
    let name = response_body_ident(op, response);
    let docs = format!(
        " The body of {} `{}`, one variant per documented media type.",
        operation_docs(op),
        response.rust_name
    );
    let variants = media_variants(&response.content);
    let types = response
        .content
        .iter()
        .map(|b| body_type(b, Scope::Sibling));
    let variant_docs = response
        .content
        .iter()
        .map(|b| format!(" `{}`.", b.media_type));
    let medias = response.content.iter().map(|b| b.media_type.as_str());
    let json_arms = response
        .content
        .iter()
        .zip(&variants)
        .map(|(body, variant)| {
            let json = match body_kind(&body.media_type) {
                BodyKind::Json | BodyKind::Form => quote!(::serde_json::to_value(body).ok()),
                BodyKind::Text => {
                    quote!(::std::option::Option::Some(::serde_json::Value::String(
                        body.clone()
                    )))
                }
                BodyKind::Binary => quote!(::std::option::Option::None),
            };
            let binding = match body_kind(&body.media_type) {
                BodyKind::Binary => quote!(_),
                _ => quote!(body),
            };
            quote!(#name::#variant(#binding) => #json,)
        });
    quote! {
        #[doc = #docs]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants(#types),)*
        }

        impl #name {
            /// The media type the body is sent as.
            pub fn media_type(&self) -> &'static str {
                match self {
                    #(#name::#variants(_) => #medias,)*
                }
            }

            /// The body as JSON (`None` for binary bodies).
            pub fn to_json(&self) -> ::std::option::Option<::serde_json::Value> {
                match self {
                    #(#json_arms)*
                }
            }
        }
    }
}

fn headers_struct(api: &Api, name: &Ident, response: &Response) -> TokenStream {
    let fields = response.headers.iter().map(|header| {
        let ident = format_ident!("{}", header.rust_name);
        let ty = type_tokens(&header_type(api, header), Scope::Sibling);
        let ty = if header.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let docs = doc_paragraphs(&[
            header.docs.clone(),
            Some(format!("Header `{}`.", header.name)),
        ]);
        quote! { #docs pub #ident: #ty, }
    });
    let docs = format!(
        " Documented headers of the {} response.",
        response.rust_name
    );
    let default = response
        .headers
        .iter()
        .all(|h| !h.required)
        .then(|| quote!(Default,));
    quote! {
        #[doc = #docs]
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}
