//! The `schema` module: every named type as a `static` `Shape`, and `shape_of(name)`, so the
//! generated server validates requests with the runtime's validator and clients can check
//! payloads against the spec.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use specgen_runtime::schema::{ItemRules, NumberRules, Shape, StringRules};

use crate::ir::Api;
use crate::validate::def_shape;

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::f64_suffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn option_text(value: &Option<std::borrow::Cow<'static, str>>) -> TokenStream {
    match value {
        Some(text) => {
            let text = text.as_ref();
            quote!(::std::option::Option::Some(::std::borrow::Cow::Borrowed(#text)))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn string_rules(rules: &StringRules) -> TokenStream {
    let (min, max) = (option_u64(rules.min_length), option_u64(rules.max_length));
    let (pattern, format) = (option_text(&rules.pattern), option_text(&rules.format));
    quote!(::specgen_runtime::schema::StringRules { min_length: #min, max_length: #max, pattern: #pattern, format: #format })
}

fn number_rules(rules: &NumberRules) -> TokenStream {
    let (min, max) = (option_f64(rules.minimum), option_f64(rules.maximum));
    let (exclusive_min, exclusive_max, int32) = (
        rules.exclusive_minimum,
        rules.exclusive_maximum,
        rules.int32,
    );
    quote!(::specgen_runtime::schema::NumberRules {
        minimum: #min, exclusive_minimum: #exclusive_min, maximum: #max, exclusive_maximum: #exclusive_max, int32: #int32
    })
}

fn item_rules(rules: &ItemRules) -> TokenStream {
    let (min, max) = (option_u64(rules.min_items), option_u64(rules.max_items));
    quote!(::specgen_runtime::schema::ItemRules { min_items: #min, max_items: #max })
}

fn text(value: &str) -> TokenStream {
    quote!(::std::borrow::Cow::Borrowed(#value))
}

fn boxed(shape: &Shape) -> TokenStream {
    let inner = shape_tokens(shape);
    quote!(::specgen_runtime::schema::Boxed(::std::borrow::Cow::Borrowed(&[#inner])))
}

/// A `Shape` as a constant expression.
pub fn shape_tokens(shape: &Shape) -> TokenStream {
    let s = quote!(::specgen_runtime::schema::Shape);
    match shape {
        Shape::Any => quote!(#s::Any),
        Shape::Boolean => quote!(#s::Boolean),
        Shape::DateTime => quote!(#s::DateTime),
        Shape::Date => quote!(#s::Date),
        Shape::String(rules) => {
            let rules = string_rules(rules);
            quote!(#s::String(#rules))
        }
        Shape::Integer(rules) => {
            let rules = number_rules(rules);
            quote!(#s::Integer(#rules))
        }
        Shape::Number(rules) => {
            let rules = number_rules(rules);
            quote!(#s::Number(#rules))
        }
        Shape::List(item, rules) => {
            let (item, rules) = (boxed(item.get()), item_rules(rules));
            quote!(#s::List(#item, #rules))
        }
        Shape::Map(value) => {
            let value = boxed(value.get());
            quote!(#s::Map(#value))
        }
        Shape::Nullable(inner) => {
            let inner = boxed(inner.get());
            quote!(#s::Nullable(#inner))
        }
        Shape::Named(name) => {
            let name = text(name);
            quote!(#s::Named(#name))
        }
        Shape::StringEnum(values) => {
            let values = values.iter().map(|v| text(v));
            quote!(#s::StringEnum(::std::borrow::Cow::Borrowed(&[#(#values),*])))
        }
        Shape::IntegerEnum(codes, ranges) => {
            let codes = codes.iter().map(|c| Literal::i64_unsuffixed(*c));
            let ranges = ranges.iter().map(|(min, max)| {
                let (min, max) = (Literal::i64_unsuffixed(*min), Literal::i64_unsuffixed(*max));
                quote!((#min, #max))
            });
            quote!(#s::IntegerEnum(::std::borrow::Cow::Borrowed(&[#(#codes),*]), ::std::borrow::Cow::Borrowed(&[#(#ranges),*])))
        }
        Shape::OneOf(alternatives) => {
            let alternatives = alternatives.iter().map(shape_tokens);
            quote!(#s::OneOf(::std::borrow::Cow::Borrowed(&[#(#alternatives),*])))
        }
        Shape::Tagged(property, alternatives) => {
            let property = text(property);
            let alternatives = alternatives.iter().map(|(tag, shape)| {
                let (tag, shape) = (text(tag), shape_tokens(shape));
                quote!((#tag, #shape))
            });
            quote!(#s::Tagged(#property, ::std::borrow::Cow::Borrowed(&[#(#alternatives),*])))
        }
        Shape::Object(object) => {
            let name = text(&object.name);
            let fields = object.fields.iter().map(|field| {
                let (field_name, shape) = (text(&field.name), shape_tokens(&field.shape));
                let (required, nullable) = (field.required, field.nullable);
                let (string, number) = (string_rules(&field.string), number_rules(&field.number));
                quote!(::specgen_runtime::schema::FieldShape {
                    name: #field_name, shape: #shape, required: #required, nullable: #nullable, string: #string, number: #number
                })
            });
            let additional = match &object.additional {
                Some(extra) => {
                    let extra = boxed(extra.get());
                    quote!(::std::option::Option::Some(#extra))
                }
                None => quote!(::std::option::Option::None),
            };
            let (min_properties, max_properties) = (
                option_u64(object.min_properties),
                option_u64(object.max_properties),
            );
            quote!(#s::Object(::specgen_runtime::schema::ObjectShape {
                name: #name, fields: ::std::borrow::Cow::Borrowed(&[#(#fields),*]), additional: #additional,
                min_properties: #min_properties, max_properties: #max_properties
            }))
        }
    }
}

/// ```text
/// pub static PAYMENT: Shape = Shape::Object(ObjectShape { name: "Payment", fields: &[…], additional: None });
/// pub fn shape_of(name: &str) -> Option<&'static Shape> { match name { "Payment" => Some(&PAYMENT), … } }
/// ```
pub fn schema_module(api: &Api) -> TokenStream {
    let statics: Vec<_> = api
        .types
        .iter()
        .map(|def| {
            format_ident!(
                "{}",
                heck::ToShoutySnakeCase::to_shouty_snake_case(def.name.as_str())
            )
        })
        .collect();
    let names: Vec<_> = api.types.iter().map(|def| def.name.as_str()).collect();
    let shapes = api.types.iter().map(|def| shape_tokens(&def_shape(def)));
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
