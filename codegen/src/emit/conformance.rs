//! The `conformance` module: one entry point that decodes a documented body into the type the
//! crate generated for it and encodes it back, so tests can check every example of the spec
//! against the generated types without naming them.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{Scope, type_tokens};
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
    let arms = documented_bodies(api).into_iter().map(|(owner, role, body)| {
        let media = &body.media_type;
        let ty = type_tokens(&body.ty, Scope::Sibling);
        quote! {
            (#owner, #role, #media) => ::std::option::Option::Some(::specgen_runtime::round_trip::<#ty>(value)),
        }
    });
    quote! {
        /// Decodes `value` as the generated type of the body documented for `owner` (an
        /// operationId, or `webhook:<event>`), `role` (`request`, a status such as `200`, `4XX`,
        /// `default`, or `payload`) and `media_type`, and encodes it back.
        ///
        /// `None` when no body with examples is documented there.
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
    }
}
