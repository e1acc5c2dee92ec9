//! The `conformance` module: one entry point that decodes a documented body into the type the
//! crate generated for it and encodes it back, so tests can check every example of the spec
//! against the generated types without naming them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::literals::shape_tokens;
use super::tokens::{Scope, body_value_tokens, tag_cfg, type_tokens};
use crate::ir::{SecuritySchemeKind, StatusKey};
use crate::plan::{BodyValue, MediaPlan, Plan, documented_bodies};
use crate::validate::{constrained_shape, expr_shape};

/// ```text
/// pub fn round_trip(owner: &str, role: &str, media_type: &str, value: &Value) -> Option<Result<Value, String>> {
///     match (owner, role, media_type) {
///         ("create_payment", "request", "application/json") => Some(round_trip::<super::types::PaymentCreate>(value)),
///         _ => None,
///     }
/// }
/// ```
pub fn conformance_module(plan: &Plan<'_>) -> TokenStream {
    let api = plan.api;
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
    let exercise = exercise_items(plan);
    // With tag features, a selection may gate out every arm.
    // With tag features a selection may gate out every arm; a spec without examples has none.
    let allow_unused = (!api.tag_features.is_empty() || bodies.is_empty())
        .then(|| quote!(#[allow(unused_variables)]));
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
pub fn exercise_items(plan: &Plan<'_>) -> TokenStream {
    let api = plan.api;
    let resolve = quote!(&|name: &str| super::schema::shape_of(name));
    let credentials = api.security_schemes.iter().map(|scheme| {
        let method = format_ident!("with_{}", scheme.rust_name);
        match scheme.kind {
            SecuritySchemeKind::Basic => quote!(.#method("test-user", "test-password")),
            _ => quote!(.#method("test-credential")),
        }
    });
    let mock_value = |media: &MediaPlan<'_>| {
        let example = match media.body.examples.first() {
            Some(example) => {
                let text = example.value.to_string();
                quote!(::std::option::Option::Some(#text))
            }
            None => quote!(::std::option::Option::None),
        };
        let ty = body_value_tokens(&media.value);
        match media.value {
            BodyValue::Typed(_) => {
                let shape = shape_tokens(&expr_shape(&media.body.ty));
                quote!(::specgen_runtime::schema::mock::<#ty>(#example, &#shape, #resolve))
            }
            BodyValue::Text => quote!(::specgen_runtime::schema::mock_text(#example)),
            BodyValue::Bytes => quote!(::specgen_runtime::schema::mock_text(#example).into_bytes()),
        }
    };
    let calls = plan.operations.iter().map(|op_plan| {
        let op = op_plan.op;
        let method = format_ident!("{}", op.rust_name);
        let request_ty = format_ident!("{}", op_plan.request_type);
        let operation_id = op.id.as_str();
        let fields = op_plan.params.iter().map(|param| {
            let param = param.param;
            let field = format_ident!("{}", param.rust_name);
            if param.required {
                let ty = type_tokens(&param.ty, Scope::Sibling);
                let shape = shape_tokens(&constrained_shape(&param.ty, &param.constraints));
                quote!(#field: ::specgen_runtime::schema::mock::<#ty>(::std::option::Option::None, &#shape, #resolve),)
            } else {
                quote!(#field: ::std::option::Option::None,)
            }
        });
        let body = op_plan.body.as_ref().map(|body| {
            let first = &body.media[0];
            let value = mock_value(first);
            let value = match &body.enum_type {
                Some(enum_type) => {
                    let (enum_name, variant) = (format_ident!("{enum_type}"), format_ident!("{}", first.variant));
                    quote!(super::operations::#enum_name::#variant(#value))
                }
                None => value,
            };
            if body.required { quote!(body: #value,) } else { quote!(body: ::std::option::Option::Some(#value),) }
        });
        let (expected_status, expected_body) = match op_plan.mock_response.map(|i| &op_plan.responses[i]) {
            None => (0u16, quote!(::std::option::Option::None)),
            Some(response) => {
                let status = match response.response.status {
                    StatusKey::Code(code) => code,
                    StatusKey::Range(hundreds) => hundreds * 100,
                    StatusKey::Default => 200,
                };
                let example = response
                    .primary_media()
                    .filter(|m| matches!(m.value, BodyValue::Typed(_)))
                    .and_then(|m| m.body.examples.first());
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
    let calls: Vec<TokenStream> = calls.collect();
    // A spec without operations to call leaves the client and the list untouched.
    let results = if calls.is_empty() {
        quote!(let _ = client; let results = ::std::vec::Vec::new();)
    } else {
        quote!(let mut results = ::std::vec::Vec::new();)
    };
    let with_client_and_server = plan.gating.cfg(&["client", "server"]);
    let with_server = plan.gating.cfg(&["server"]);
    quote! {
        /// Calls every operation through the generated client against `base_url` (a server
        /// running `MockApi`), with documented request examples and sampled parameters, and
        /// reports what each returned beside what the mock was expected to answer.
        #with_client_and_server
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
            #results
            #(#calls)*
            results
        }

        /// [`exercise`] as a boxed future, for registries of several APIs.
        #with_client_and_server
        pub fn exercise_boxed(base_url: ::std::string::String) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::vec::Vec<::specgen_runtime::Exercised>> + ::std::marker::Send>> {
            ::std::boxed::Box::pin(async move { exercise(&base_url).await })
        }

        /// A router serving [`super::server::MockApi`].
        #with_server
        pub fn mock_router() -> ::specgen_runtime::server::axum::Router {
            super::server::mock_router()
        }
    }
}
