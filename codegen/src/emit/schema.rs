//! The `schema` module: every named type as a `static` `Shape`, and `shape_of(name)`, so the
//! generated server validates requests with the runtime's validator and clients can check
//! payloads against the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::literals::{schema_static, static_shape_tokens};
use crate::plan::Plan;
use crate::validate::def_shape;

/// ```text
/// pub static PAYMENT: Shape = Shape::Object(ObjectShape { name: "Payment", fields: &[…], additional: None });
/// pub fn shape_of(name: &str) -> Option<&'static Shape> { match name { "Payment" => Some(&PAYMENT), … } }
/// ```
pub fn schema_module(plan: &Plan<'_>) -> TokenStream {
    let api = plan.api;
    let statics: Vec<_> = api
        .types
        .iter()
        .map(|def| schema_static(&def.name))
        .collect();
    let names: Vec<_> = api.types.iter().map(|def| def.name.as_str()).collect();
    let shapes = api
        .types
        .iter()
        .map(|def| static_shape_tokens(&def_shape(def)));
    let docs = names
        .iter()
        .map(|name| format!(" The shape of [`super::types::{name}`]."));
    quote! {
        #(
            #[doc = #docs]
            pub static #statics: ::specgen_runtime::schema::Shape = #shapes;
        )*

        /// The shape of a named type of this API (by its Rust name).
        pub fn shape_of(name: &str) -> ::std::option::Option<&'static ::specgen_runtime::schema::Shape> {
            match name {
                #(#names => ::std::option::Option::Some(&#statics),)*
                _ => ::std::option::Option::None,
            }
        }

        /// Every violation of `value` against the named type `name` (empty when it conforms).
        pub fn validate(name: &str, value: &::serde_json::Value) -> ::std::vec::Vec<::specgen_runtime::schema::Violation> {
            match shape_of(name) {
                ::std::option::Option::Some(shape) => ::specgen_runtime::schema::validate(shape, value, &|name: &str| shape_of(name)),
                ::std::option::Option::None => ::std::vec![::specgen_runtime::schema::Violation {
                    pointer: ::std::string::String::new(),
                    reason: ::std::format!("unknown type {name}"),
                }],
            }
        }
    }
}
