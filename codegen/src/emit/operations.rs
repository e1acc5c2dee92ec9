//! The `operations` module: per operation, the typed request (path, query, header parameters and
//! body) and the response enum with one variant per documented status. Both are shared by the
//! client and the server, so the two can never disagree about an operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::literals::security_tokens;
use super::tokens::{
    Arm, Scope, body_value_tokens, doc_paragraphs, gate_items, merged_arms, response_body_type,
    type_tokens,
};
use crate::ir::{ParameterLocation, StatusKey};
use crate::plan::{BodyValue, HeadersType, OperationPlan, Plan, ResponsePlan};

/// Every operation's request and response types.
pub fn operations_module(plan: &Plan<'_>) -> TokenStream {
    let items = plan.operations.iter().map(|op| {
        let request = request_struct(op);
        let response = response_enum(op);
        gate_items(quote! { #request #response }, &op.op.features)
    });
    let security_tables = plan
        .security_tables
        .iter()
        .enumerate()
        .map(|(index, alternatives)| {
            let name = format_ident!("SECURITY_{index}");
            let table = security_tokens(alternatives);
            quote! {
                /// Credential alternatives shared by operations (any one set suffices), named by the
                /// client and the server.
                #[doc(hidden)]
                pub static #name: &[&[::specgen_runtime::auth::Scheme]] = #table;
            }
        });
    let headers_structs = plan
        .headers_types
        .iter()
        .map(|headers_type| gate_items(headers_struct(headers_type), &headers_type.features));
    quote! { #(#security_tables)* #(#headers_structs)* #(#items)* }
}

fn operation_docs(plan: &OperationPlan<'_>) -> String {
    let op = plan.op;
    let summary = op.summary.clone().unwrap_or_default();
    format!(
        "`{}` — {} `{}`{}",
        op.id,
        op.method.as_str(),
        op.path,
        if summary.is_empty() {
            String::new()
        } else {
            // The docs that embed this line end it with their own full stop.
            format!(": {}", summary.trim_end_matches('.'))
        }
    )
}

/// ```text
/// pub struct CreatePaymentRequest { pub payment_id: String, pub status: Option<PaymentStatus>, pub body: PaymentRequest }
/// ```
fn request_struct(plan: &OperationPlan<'_>) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("{}", plan.request_type);
    let docs = doc_paragraphs(&[
        Some(format!("Request of {}.", operation_docs(plan))),
        op.description.clone(),
    ]);
    let mut fields = Vec::new();
    let mut all_optional = true;
    // For `new`: the required fields as parameters, every field's initializer.
    let mut required = Vec::new();
    let mut inits = Vec::new();
    for (index, param) in plan.params.iter().map(|p| p.param).enumerate() {
        let ident = format_ident!("{}", param.rust_name);
        let ty = type_tokens(&param.ty, Scope::Sibling);
        let ty = if param.required {
            all_optional = false;
            required.push(quote!(#ident: #ty));
            inits.push(quote!(#ident));
            ty
        } else {
            inits.push(quote!(#ident: ::std::option::Option::None));
            quote!(::std::option::Option<#ty>)
        };
        let location = match param.location {
            ParameterLocation::Path => "Path",
            ParameterLocation::Query => "Query",
            ParameterLocation::Header => "Header",
            ParameterLocation::Cookie => "Cookie",
        };
        let mut notes = vec![format!("{location} parameter `{}`.", param.name)];
        if param.deprecated {
            notes.push("Deprecated.".into());
        }
        if let Some(default) = &param.default {
            notes.push(format!("Default: `{default}`."));
        }
        if plan.idempotency_key == Some(index) {
            notes.push(
                "The idempotency key: when `None`, the client sends a fresh UUID v4 and reuses it on every retry."
                    .into(),
            );
        }
        let field_docs = doc_paragraphs(&[param.docs.clone(), Some(notes.join(" "))]);
        fields.push(quote! { #field_docs pub #ident: #ty, });
    }
    let mut extra_items = TokenStream::new();
    if let Some(body) = &plan.body {
        let ty = match &body.enum_type {
            None => body_value_tokens(&body.media[0].value),
            Some(enum_type) => {
                let body_name = format_ident!("{enum_type}");
                let variants = body.media.iter().map(|m| format_ident!("{}", m.variant));
                let types = body.media.iter().map(|m| body_value_tokens(&m.value));
                let media_docs = body
                    .media
                    .iter()
                    .map(|m| format!(" Sent as `{}`.", m.body.media_type));
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
        let ty = if body.required {
            all_optional = false;
            required.push(quote!(body: #ty));
            inits.push(quote!(body));
            ty
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
            quote!(::std::option::Option<#ty>)
        };
        let body_docs = doc_paragraphs(&[
            body.docs.map(str::to_owned),
            Some("The request body.".into()),
        ]);
        fields.push(quote! { #body_docs pub body: #ty, });
    }
    let sensitive = plan.params.iter().any(|p| p.param.sensitive);
    let derive_default = all_optional.then(|| quote!(Default,));
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| {
        let label = name.to_string();
        let entries = plan.params.iter().map(|p| {
            let ident = format_ident!("{}", p.param.rust_name);
            let field = &p.param.rust_name;
            if p.param.sensitive {
                quote!(.field(#field, &::specgen_runtime::Redacted))
            } else {
                quote!(.field(#field, &self.#ident))
            }
        });
        let body = plan
            .body
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
    // Like the models: `Default` when nothing is required, else `new(required…)`.
    let constructor = (!all_optional).then(|| {
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let docs = format!(
            " A `{name}` from its required parameters (and body), every optional one `None`."
        );
        quote! {
            impl #name {
                #[doc = #docs]
                #many
                pub fn new(#(#required),*) -> Self {
                    Self { #(#inits,)* }
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
        #constructor
    }
}

/// ```text
/// pub enum CreatePaymentResponse { Ok(Payment), NoContent, Default { status: u16, body: Error } }
/// ```
fn response_enum(plan: &OperationPlan<'_>) -> TokenStream {
    let name = format_ident!("{}", plan.response_type);
    let docs = format!(" Every documented response of {}.", operation_docs(plan));
    let mut header_structs = Vec::new();
    let mut variants = Vec::new();
    let mut status_arms = Vec::new();
    let mut json_arms = Vec::new();
    let mut bodiless = 0;
    for response in &plan.responses {
        let ir = response.response;
        let variant = format_ident!("{}", ir.rust_name);
        let status_text = match ir.status {
            StatusKey::Code(code) => format!("Status {code}"),
            StatusKey::Range(hundreds) => format!("Any {hundreds}XX status"),
            StatusKey::Default => "Any status not documented otherwise".to_string(),
        };
        let media = match response.media.as_slice() {
            [] => None,
            [single] => Some(format!("Body: `{}`.", single.body.media_type)),
            several => {
                let medias: Vec<String> = several
                    .iter()
                    .map(|m| format!("`{}`", m.body.media_type))
                    .collect();
                Some(format!("Body: {}, by `Content-Type`.", medias.join(", ")))
            }
        };
        let variant_docs = doc_paragraphs(&[
            Some(format!("{status_text}: {}", ir.description.trim())),
            media,
        ]);
        if response.body_enum.is_some() {
            header_structs.push(response_body_enum(plan, response));
        }
        let body_ty = response_body_type(response);
        let headers_ty = response
            .headers_type
            .as_ref()
            .map(|name| format_ident!("{name}"));
        variants.push(if response.is_unit() {
            quote!(#variant_docs #variant,)
        } else if response.is_tuple() {
            quote!(#variant_docs #variant(#body_ty),)
        } else {
            let status = response.carries_status.then(|| {
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
        let fixed = match ir.status {
            StatusKey::Code(code) => quote!(#code),
            _ => quote!(*status),
        };
        status_arms.push(Arm {
            bindings: response.carries_status.to_string(),
            pattern: variant_pattern(&variant, response, true, false),
            body: fixed,
        });
        let (body_json, binds_body) = match (&response.body_enum, response.primary_media()) {
            (Some(_), _) => (quote!(body.to_json()), true),
            (None, None) => (quote!(::std::option::Option::None), false),
            (None, Some(media)) => match media.value {
                BodyValue::Typed(_) => (quote!(::serde_json::to_value(body).ok()), true),
                BodyValue::Text => (
                    quote!(::std::option::Option::Some(::serde_json::Value::String(
                        body.clone()
                    ))),
                    true,
                ),
                BodyValue::Bytes => (quote!(::std::option::Option::None), false),
            },
        };
        if binds_body {
            let pattern = variant_pattern(&variant, response, false, true);
            json_arms.push(quote!(#pattern => #body_json,));
        } else {
            bodiless += 1;
        }
    }
    let status_arms = merged_arms(status_arms);
    // Every variant without a JSON body shares one arm; with no JSON body at all, no match.
    let body_json_expr = if json_arms.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        if bodiless > 0 {
            json_arms.push(quote!(_ => ::std::option::Option::None,));
        }
        quote!(match self { #(#json_arms)* })
    };
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
                #body_json_expr
            }
        }
    }
}

/// A match pattern binding `status` and `body` as asked (and as the variant has them).
fn variant_pattern(
    variant: &Ident,
    response: &ResponsePlan<'_>,
    bind_status: bool,
    bind_body: bool,
) -> TokenStream {
    if response.is_unit() {
        quote!(Self::#variant)
    } else if response.is_tuple() {
        if bind_body {
            quote!(Self::#variant(body))
        } else {
            quote!(Self::#variant(_))
        }
    } else {
        let status = (response.carries_status && bind_status).then(|| quote!(status,));
        let body = (response.has_body() && bind_body).then(|| quote!(body,));
        quote!(Self::#variant { #status #body .. })
    }
}

/// ```text
/// pub enum GetReportOkBody { ApplicationJson(Report), TextCsv(String) }
/// impl GetReportOkBody { pub fn media_type(&self) -> &'static str; pub fn to_json(&self) -> Option<Value> }
/// ```
fn response_body_enum(plan: &OperationPlan<'_>, response: &ResponsePlan<'_>) -> TokenStream {
    let name = format_ident!("{}", response.body_enum.as_deref().unwrap_or_default());
    let docs = format!(
        " The body of {} `{}`, one variant per documented media type.",
        operation_docs(plan),
        response.response.rust_name
    );
    let variants: Vec<Ident> = response
        .media
        .iter()
        .map(|m| format_ident!("{}", m.variant))
        .collect();
    let types = response.media.iter().map(|m| body_value_tokens(&m.value));
    let variant_docs = response
        .media
        .iter()
        .map(|m| format!(" `{}`.", m.body.media_type));
    let medias = response.media.iter().map(|m| m.body.media_type.as_str());
    let json_arms = response
        .media
        .iter()
        .zip(&variants)
        .map(|(media, variant)| {
            let (json, binding) = match media.value {
                BodyValue::Typed(_) => (quote!(::serde_json::to_value(body).ok()), quote!(body)),
                BodyValue::Text => (
                    quote!(::std::option::Option::Some(::serde_json::Value::String(
                        body.clone()
                    ))),
                    quote!(body),
                ),
                BodyValue::Bytes => (quote!(::std::option::Option::None), quote!(_)),
            };
            quote!(Self::#variant(#binding) => #json,)
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
                    #(Self::#variants(_) => #medias,)*
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

fn headers_struct(headers_type: &HeadersType<'_>) -> TokenStream {
    let name = format_ident!("{}", headers_type.name);
    let fields = headers_type.headers.iter().map(|plan| {
        let header = plan.header;
        let ident = format_ident!("{}", header.rust_name);
        let ty = type_tokens(&plan.ty, Scope::Sibling);
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
    let names: Vec<String> = headers_type
        .headers
        .iter()
        .map(|h| format!("`{}`", h.header.name))
        .collect();
    let docs = format!(
        " Response headers {}: one type for every response that documents exactly these.",
        names.join(", ")
    );
    let default = headers_type
        .headers
        .iter()
        .all(|h| !h.header.required)
        .then(|| quote!(Default,));
    quote! {
        #[doc = #docs]
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}
