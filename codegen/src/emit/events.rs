//! The `events` module (only for specs with `x-webhooks`): one enum over every documented event,
//! so a webhook receiver parses a delivery into a typed value in one call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{Scope, doc_paragraphs, type_tokens};
use crate::plan::Plan;

/// ```text
/// pub enum Event { TransactionAuthorized(TransactionEvent), …, Unknown { event_type, payload } }
/// impl Event { fn parse(event_type, body); fn from_json(body) /* when the payload names its type */; fn event_type() }
/// ```
pub fn events_module(plan: &Plan<'_>) -> TokenStream {
    let api = plan.api;
    let variants: Vec<_> = api
        .webhooks
        .iter()
        .map(|w| format_ident!("{}", w.rust_name))
        .collect();
    let names: Vec<_> = api.webhooks.iter().map(|w| w.name.as_str()).collect();
    let types: Vec<_> = api
        .webhooks
        .iter()
        .map(|w| type_tokens(&w.payload.ty, Scope::Sibling))
        .collect();
    let docs = api
        .webhooks
        .iter()
        .map(|w| doc_paragraphs(&[w.docs.clone(), Some(format!("Event type `{}`.", w.name))]));

    // `from_json` needs one property that names the event in every payload.
    let discriminators: Vec<Option<&str>> = api
        .webhooks
        .iter()
        .map(|w| api.webhook_discriminator(w))
        .collect();
    let shared = discriminators
        .first()
        .copied()
        .flatten()
        .filter(|first| discriminators.iter().all(|d| *d == Some(first)));
    let from_json = shared.map(|property| {
        let missing = format!("the event has no string `{property}` naming its type");
        let doc =
            format!(" Parses a webhook delivery, choosing the event by its `{property}` property.");
        quote! {
            #[doc = #doc]
            pub fn from_json(body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                let value: ::serde_json::Value = ::serde_json::from_slice(body)?;
                let event_type = value
                    .get(#property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned)
                    .ok_or_else(|| <::serde_json::Error as ::serde::de::Error>::custom(#missing))?;
                Event::from_value(&event_type, value)
            }
        }
    });

    quote! {
        /// Every event the API documents, by event type.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event {
            #(#docs #variants(#types),)*
            /// An event type the spec does not document, kept as received.
            Unknown {
                /// The event type as sent.
                event_type: ::std::string::String,
                /// The payload.
                payload: ::serde_json::Value,
            },
        }

        impl Event {
            /// Every documented event type, in spec order.
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#names),*];

            /// The event type (`transaction.authorized`).
            pub fn event_type(&self) -> &str {
                match self {
                    #(Event::#variants(_) => #names,)*
                    Event::Unknown { event_type, .. } => event_type,
                }
            }

            /// Parses a payload whose event type is known from elsewhere (a header, the URL).
            pub fn parse(event_type: &str, body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                let value: ::serde_json::Value = ::serde_json::from_slice(body)?;
                Event::from_value(event_type, value)
            }

            /// Decodes an already-parsed payload of the given event type.
            pub fn from_value(event_type: &str, value: ::serde_json::Value) -> ::std::result::Result<Self, ::serde_json::Error> {
                match event_type {
                    #(#names => ::serde_json::from_value(value).map(Event::#variants),)*
                    other => ::std::result::Result::Ok(Event::Unknown { event_type: other.to_owned(), payload: value }),
                }
            }

            #from_json
        }
    }
}
