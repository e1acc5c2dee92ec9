//! The `conformance` module: one entry point that decodes a documented body into the type the
//! crate generated for it and encodes it back, so tests can check every example of the spec
//! against the generated types without naming them.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{Scope, tag_cfg, type_tokens};
use crate::ir::{Api, Body, StatusKey};

/// The role of a body in conformance keys: `request`, a status (`200`, `4XX`, `default`) or
/// `payload` for webhooks.
pub fn status_role(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => code.to_string(),
        StatusKey::Range(hundreds) => format!("{hundreds}XX"),
        StatusKey::Default => "default".into(),
    }
}

/// Every `(owner, role, body)` of the API that has documented examples; `owner` is the
/// operationId, or `webhook:<event>` for event payloads.
pub fn documented_bodies(api: &Api) -> Vec<(String, String, &Body)> {
    let mut bodies = Vec::new();
    for operation in &api.operations {
        if let Some(request) = &operation.request_body {
            for body in &request.content {
                bodies.push((operation.id.clone(), "request".to_string(), body));
            }
        }
        for response in &operation.responses {
            for body in &response.content {
                bodies.push((operation.id.clone(), status_role(response.status), body));
            }
        }
    }
    for webhook in &api.webhooks {
        bodies.push((
            format!("webhook:{}", webhook.name),
            "payload".to_string(),
            &webhook.payload,
        ));
    }
    bodies.retain(|(_, _, body)| !body.examples.is_empty());
    bodies
}

/// ```text
/// pub fn round_trip(owner: &str, role: &str, media_type: &str, value: &Value) -> Option<Result<Value, String>> {
///     match (owner, role, media_type) {
///         ("create_payment", "request", "application/json") => Some(round_trip::<super::types::PaymentCreate>(value)),
///         _ => None,
///     }
/// }
/// ```
pub fn conformance_module(api: &Api) -> TokenStream {
    let bodies = documented_bodies(api);
    // Webhook owners match no operation: their payloads are always compiled.
    let cfg_of = |owner: &str| {
        let operation = api.operations.iter().find(|op| op.id == owner);
        tag_cfg(operation.map_or(&[][..], |op| &op.features))
    };
    let arms = bodies.iter().map(|(owner, role, body)| {
        let media = &body.media_type;
        let ty = type_tokens(&body.ty, Scope::Sibling);
        let cfg = cfg_of(owner);
        quote! {
            #cfg
            (#owner, #role, #media) => ::std::option::Option::Some(::specgen_runtime::round_trip::<#ty>(value)),
        }
    });
    let debug_arms = bodies.iter().map(|(owner, role, body)| {
        let media = &body.media_type;
        let ty = type_tokens(&body.ty, Scope::Sibling);
        let cfg = cfg_of(owner);
        quote! {
            #cfg
            (#owner, #role, #media) => ::std::option::Option::Some(::specgen_runtime::debug_of::<#ty>(value)),
        }
    });
    let exercise = exercise_items(api);
    // With tag features, a selection may gate out every arm.
    let allow_unused = (!api.tag_features.is_empty()).then(|| quote!(#[allow(unused_variables)]));
    quote! {
        #exercise

        /// Decodes `value` as the generated type of the body documented for `owner` (an
        /// operationId, or `webhook:<event>`), `role` (`request`, a status such as `200`, `4XX`,
        /// `default`, or `payload`) and `media_type`, and encodes it back.
        ///
        /// `None` when no body with examples is documented there.
        #allow_unused
        pub fn round_trip(
            owner: &str,
            role: &str,
            media_type: &str,
            value: &::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            match (owner, role, media_type) {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }

        /// The `Debug` rendering of a documented body decoded into its generated type (same keys
        /// as [`round_trip`]); used to check that secrets never show.
        #allow_unused
        pub fn debug(
            owner: &str,
            role: &str,
            media_type: &str,
            value: &::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::std::string::String, ::std::string::String>> {
            match (owner, role, media_type) {
                #(#debug_arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// ```text
/// #[cfg(all(feature = "client", feature = "server"))]
/// pub async fn exercise(base_url: &str) -> Vec<Exercised>   // every operation, through the client
/// ```
/// Each operation is called with the spec's request example (or a schema sample) and required
/// parameters sampled from their schemas; the expectation is what `MockApi` answers.
pub fn exercise_items(api: &Api) -> TokenStream {
    use super::operations::{
        BodyKind, body_kind, body_type, media_variants, primary_body, request_body_ident,
        request_ident,
    };
    use crate::ir::SecuritySchemeKind;
    use crate::validate::{constrained_shape, expr_shape};
    use quote::format_ident;

    let resolve = quote!(&|name: &str| super::schema::shape_of(name));
    let credentials = api.security_schemes.iter().map(|scheme| {
        let method = format_ident!("with_{}", scheme.rust_name);
        match scheme.kind {
            SecuritySchemeKind::Basic => quote!(.#method("test-user", "test-password")),
            _ => quote!(.#method("test-credential")),
        }
    });
    let calls = api.operations.iter().map(|op| {
        let method = format_ident!("{}", op.rust_name);
        let request_ty = request_ident(op);
        let operation_id = op.id.as_str();
        let fields = op.parameters.iter().map(|param| {
            let field = format_ident!("{}", param.rust_name);
            if param.required {
                let ty = type_tokens(&param.ty, Scope::Sibling);
                let shape = super::schema::shape_tokens(&constrained_shape(&param.ty, &param.constraints));
                quote!(#field: ::specgen_runtime::schema::mock::<#ty>(::std::option::Option::None, &#shape, #resolve),)
            } else {
                quote!(#field: ::std::option::Option::None,)
            }
        });
        let body = op.request_body.as_ref().and_then(|request_body| {
            let first = request_body.content.first()?;
            let example = match first.examples.first() {
                Some(example) => {
                    let text = example.value.to_string();
                    quote!(::std::option::Option::Some(#text))
                }
                None => quote!(::std::option::Option::None),
            };
            let ty = body_type(first, Scope::Sibling);
            let shape = super::schema::shape_tokens(&expr_shape(&first.ty));
            let value = match body_kind(&first.media_type) {
                BodyKind::Json | BodyKind::Form => quote!(::specgen_runtime::schema::mock::<#ty>(#example, &#shape, #resolve)),
                BodyKind::Text => quote!(::specgen_runtime::schema::mock_text(#example)),
                BodyKind::Binary if first.media_type.starts_with("multipart/form-data") => {
                    quote!(::specgen_runtime::schema::mock_multipart(&#shape, #resolve))
                }
                BodyKind::Binary => quote!(::specgen_runtime::schema::mock_text(#example).into_bytes()),
            };
            let value = if request_body.content.len() > 1 {
                let enum_name = request_body_ident(op);
                let variant = &media_variants(&request_body.content)[0];
                quote!(super::operations::#enum_name::#variant(#value))
            } else {
                value
            };
            Some(if request_body.required { quote!(body: #value,) } else { quote!(body: ::std::option::Option::Some(#value),) })
        });
        let (expected_status, expected_body) = match super::server::mock_response(op) {
            None => (0u16, quote!(::std::option::Option::None)),
            Some(response) => {
                let status = match response.status {
                    StatusKey::Code(code) => code,
                    StatusKey::Range(hundreds) => hundreds * 100,
                    StatusKey::Default => 200,
                };
                let example = primary_body(response)
                    .filter(|b| matches!(body_kind(&b.media_type), BodyKind::Json | BodyKind::Form))
                    .and_then(|b| b.examples.first());
                let body = match example {
                    Some(example) => {
                        let text = example.value.to_string();
                        quote!(::serde_json::from_str(#text).ok())
                    }
                    None => quote!(::std::option::Option::None),
                };
                (status, body)
            }
        };
        quote! {
            {
                let request = super::operations::#request_ty { #(#fields)* #body };
                let outcome = client.#method(request).await;
                results.push(::specgen_runtime::Exercised {
                    operation: #operation_id,
                    expected_status: #expected_status,
                    expected_body: #expected_body,
                    outcome: outcome.map(|response| (response.status(), response.body_json())).map_err(|error| error.to_string()),
                });
            }
        }
    });
    quote! {
        /// Calls every operation through the generated client against `base_url` (a server
        /// running `MockApi`), with documented request examples and sampled parameters, and
        /// reports what each returned beside what the mock was expected to answer.
        #[cfg(all(feature = "client", feature = "server"))]
        pub async fn exercise(base_url: &str) -> ::std::vec::Vec<::specgen_runtime::Exercised> {
            let client = match super::client::Client::builder(base_url) #(#credentials)* .build() {
                ::std::result::Result::Ok(client) => client,
                ::std::result::Result::Err(error) => {
                    return ::std::vec![::specgen_runtime::Exercised {
                        operation: "(client)",
                        expected_status: 0,
                        expected_body: ::std::option::Option::None,
                        outcome: ::std::result::Result::Err(error.to_string()),
                    }];
                }
            };
            let mut results = ::std::vec::Vec::new();
            #(#calls)*
            results
        }

        /// [`exercise`] as a boxed future, for registries of several APIs.
        #[cfg(all(feature = "client", feature = "server"))]
        pub fn exercise_boxed(base_url: ::std::string::String) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::vec::Vec<::specgen_runtime::Exercised>> + ::std::marker::Send>> {
            ::std::boxed::Box::pin(async move { exercise(&base_url).await })
        }

        /// A router serving [`super::server::MockApi`].
        #[cfg(feature = "server")]
        pub fn mock_router() -> ::specgen_runtime::server::axum::Router {
            super::server::mock_router()
        }
    }
}
