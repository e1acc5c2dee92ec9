//! Runtime data as constant expressions: shapes, codecs, security schemes, form and multipart
//! encoding tables. Shared by the emitters (it emits no module of its own).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use specgen_runtime::schema::{ItemRules, NumberRules, Shape, StringRules};
use specgen_runtime::wire::multipart::PartKind;
use specgen_runtime::wire::{Codec, Style};

use crate::ir::{Method, ParameterLocation, SecurityScheme, SecuritySchemeKind};
use crate::plan::{FormFieldPlan, OperationPlan, PartPlan};

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
    if *rules == StringRules::NONE {
        return quote!(::specgen_runtime::schema::StringRules::NONE);
    }
    // Only the limits that are set; the rest come from `NONE`.
    let mut set = Vec::new();
    if rules.min_length.is_some() {
        let min = option_u64(rules.min_length);
        set.push(quote!(min_length: #min));
    }
    if rules.max_length.is_some() {
        let max = option_u64(rules.max_length);
        set.push(quote!(max_length: #max));
    }
    if rules.pattern.is_some() {
        let pattern = option_text(&rules.pattern);
        set.push(quote!(pattern: #pattern));
    }
    if rules.format.is_some() {
        let format = option_text(&rules.format);
        set.push(quote!(format: #format));
    }
    // With every limit set an update would be needless (clippy's `needless_update`).
    let rest = (set.len() < 4).then(|| quote!(..::specgen_runtime::schema::StringRules::NONE));
    quote!(::specgen_runtime::schema::StringRules { #(#set,)* #rest })
}

fn number_rules(rules: &NumberRules) -> TokenStream {
    if *rules == NumberRules::NONE {
        return quote!(::specgen_runtime::schema::NumberRules::NONE);
    }
    if *rules == NumberRules::INT32 {
        return quote!(::specgen_runtime::schema::NumberRules::INT32);
    }
    // Only what differs from `NONE` is spelled out.
    let mut set = Vec::new();
    if rules.minimum.is_some() {
        let min = option_f64(rules.minimum);
        set.push(quote!(minimum: #min));
    }
    if rules.exclusive_minimum {
        set.push(quote!(exclusive_minimum: true));
    }
    if rules.maximum.is_some() {
        let max = option_f64(rules.maximum);
        set.push(quote!(maximum: #max));
    }
    if rules.exclusive_maximum {
        set.push(quote!(exclusive_maximum: true));
    }
    if rules.int32 {
        set.push(quote!(int32: true));
    }
    if rules.accepts_numeric_string {
        set.push(quote!(accepts_numeric_string: true));
    }
    // With every field set an update would be needless (clippy's `needless_update`).
    let rest = (set.len() < 6).then(|| quote!(..::specgen_runtime::schema::NumberRules::NONE));
    quote!(::specgen_runtime::schema::NumberRules { #(#set,)* #rest })
}

fn item_rules(rules: &ItemRules) -> TokenStream {
    if *rules == ItemRules::NONE {
        return quote!(::specgen_runtime::schema::ItemRules::NONE);
    }
    let (min, max) = (option_u64(rules.min_items), option_u64(rules.max_items));
    quote!(::specgen_runtime::schema::ItemRules { min_items: #min, max_items: #max })
}

fn text(value: &str) -> TokenStream {
    quote!(::std::borrow::Cow::Borrowed(#value))
}

fn boxed(shape: &Shape, nested: Nested) -> TokenStream {
    let inner = shape_at(shape, nested);
    quote!(::specgen_runtime::schema::Boxed(::std::borrow::Cow::Borrowed(&[#inner])))
}

/// Where a nested shape stands: in a `static` (any constant expression, its temporaries live
/// as long as the static), or in an expression that only promotion makes `'static` (no
/// function calls, not even `const fn`s).
#[derive(Clone, Copy)]
enum Nested {
    InStatic,
    Promoted,
}

/// A `Shape` as a `static`'s initializer.
pub fn static_shape_tokens(shape: &Shape) -> TokenStream {
    shape_at(shape, Nested::InStatic)
}

/// The `schema` module's static holding the shape of the named type `type_name` (`PAYMENT`).
pub fn schema_static(type_name: &str) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        heck::ToShoutySnakeCase::to_shouty_snake_case(type_name)
    )
}

/// A `Shape` as an expression whose reference is passed on (`&SHAPE` in a handler, in a
/// module beside `schema`): a named type is its static itself, no lookup by name.
pub fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Named(name) => {
            let name = schema_static(name);
            quote!(super::schema::#name)
        }
        other => shape_at(other, Nested::Promoted),
    }
}

fn shape_at(shape: &Shape, nested: Nested) -> TokenStream {
    let s = quote!(::specgen_runtime::schema::Shape);
    match shape {
        Shape::Any => quote!(#s::Any),
        Shape::Boolean => quote!(#s::Boolean),
        Shape::DateTime => quote!(#s::DateTime),
        Shape::Date => quote!(#s::Date),
        Shape::String(rules) if *rules == StringRules::NONE => quote!(#s::STRING),
        Shape::Integer(rules) if *rules == NumberRules::NONE => quote!(#s::INTEGER),
        Shape::Integer(rules) if *rules == NumberRules::INT32 => quote!(#s::INT32),
        Shape::Number(rules) if *rules == NumberRules::NONE => quote!(#s::NUMBER),
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
            let (item, rules) = (boxed(item.get(), nested), item_rules(rules));
            quote!(#s::List(#item, #rules))
        }
        Shape::Map(value) => {
            let value = boxed(value.get(), nested);
            quote!(#s::Map(#value))
        }
        Shape::Nullable(inner) => {
            let inner = boxed(inner.get(), nested);
            quote!(#s::Nullable(#inner))
        }
        Shape::Named(name) => match nested {
            Nested::InStatic => {
                let name = name.as_ref();
                quote!(#s::named(#name))
            }
            Nested::Promoted => {
                let name = text(name);
                quote!(#s::Named(#name))
            }
        },
        Shape::StringEnum(values) => {
            let values = values.iter();
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
            let alternatives = alternatives.iter().map(|a| shape_at(a, nested));
            quote!(#s::OneOf(::std::borrow::Cow::Borrowed(&[#(#alternatives),*])))
        }
        Shape::Tagged(property, alternatives) => {
            let property = text(property);
            let alternatives = alternatives.iter().map(|(tag, shape)| {
                let (tag, shape) = (text(tag), shape_at(shape, nested));
                quote!((#tag, #shape))
            });
            quote!(#s::Tagged(#property, ::std::borrow::Cow::Borrowed(&[#(#alternatives),*])))
        }
        Shape::Object(object) => {
            // Only what differs from `ObjectShape::CLOSED` is spelled out.
            let name = text(&object.name);
            let fields = object.fields.iter().map(|(field_name, shape)| {
                let shape = shape_at(shape, nested);
                quote!((#field_name, #shape))
            });
            let names = |key: &str, names: &[&str]| {
                let key = format_ident!("{key}");
                (!names.is_empty())
                    .then(|| quote!(#key: ::std::borrow::Cow::Borrowed(&[#(#names),*]),))
            };
            let required = names("required", &object.required);
            let nullable = names("nullable", &object.nullable);
            let additional = object.additional.as_ref().map(|extra| {
                let extra = boxed(extra.get(), nested);
                quote!(additional: ::std::option::Option::Some(#extra),)
            });
            let count = |key: &str, limit: Option<u64>| {
                let key = format_ident!("{key}");
                limit.map(|_| {
                    let limit = option_u64(limit);
                    quote!(#key: #limit,)
                })
            };
            let min_properties = count("min_properties", object.min_properties);
            let max_properties = count("max_properties", object.max_properties);
            quote!(#s::Object(::specgen_runtime::schema::ObjectShape {
                name: #name,
                fields: ::std::borrow::Cow::Borrowed(&[#(#fields),*]),
                #required #nullable #additional #min_properties #max_properties
                ..::specgen_runtime::schema::ObjectShape::CLOSED
            }))
        }
    }
}

/// `Codec { style, explode, allow_reserved }`.
pub fn codec_tokens(codec: Codec) -> TokenStream {
    if codec == Codec::FORM {
        return quote!(::specgen_runtime::wire::Codec::FORM);
    }
    if codec == Codec::SIMPLE {
        return quote!(::specgen_runtime::wire::Codec::SIMPLE);
    }
    let style = format_ident!(
        "{}",
        match codec.style {
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::Form => "Form",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::PipeDelimited => "PipeDelimited",
            Style::DeepObject => "DeepObject",
        }
    );
    let explode = codec.explode;
    let reserved = codec.allow_reserved.then(|| quote!(.reserved()));
    quote!(::specgen_runtime::wire::Codec::new(::specgen_runtime::wire::Style::#style, #explode)#reserved)
}

/// An operation's security alternatives as the client and the server name them: the shared
/// `super::operations::SECURITY_n` table, or `&[]` without security.
pub fn security_ref(plan: &OperationPlan<'_>) -> TokenStream {
    match plan.security_table {
        Some(index) => {
            let table = format_ident!("SECURITY_{index}");
            quote!(super::operations::#table)
        }
        None => quote!(&[]),
    }
}

/// `&[&[Scheme { … }]]` for an operation's security alternatives.
pub fn security_tokens(alternatives: &[Vec<&SecurityScheme>]) -> TokenStream {
    let alternatives = alternatives.iter().map(|schemes| {
        let schemes = schemes.iter().map(|scheme| {
            let name = scheme.name.as_str();
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
                SecuritySchemeKind::Bearer | SecuritySchemeKind::OAuth2 { .. } => {
                    quote!(::specgen_runtime::auth::SchemeKind::Bearer)
                }
            };
            quote!(::specgen_runtime::auth::Scheme { name: #name, kind: #kind })
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// `&[FormField { name, codec, json }]`.
pub fn form_fields_tokens(fields: &[FormFieldPlan]) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let (name, codec, json) = (field.name.as_str(), codec_tokens(field.codec), field.json);
        quote!(::specgen_runtime::wire::form::FormField { name: #name, codec: #codec, json: #json })
    });
    quote!(&[#(#fields),*])
}

/// One `PartSpec { name, kind, content_type, repeated }`.
pub fn part_spec_tokens(part: &PartPlan) -> TokenStream {
    let name = part.name.as_str();
    let kind = format_ident!(
        "{}",
        match part.kind {
            PartKind::Text => "Text",
            PartKind::Json => "Json",
            PartKind::Deep => "Deep",
            PartKind::File => "File",
        }
    );
    let (content_type, repeated) = (part.content_type.as_str(), part.repeated);
    quote!(::specgen_runtime::wire::multipart::PartSpec { name: #name, kind: ::specgen_runtime::wire::multipart::PartKind::#kind, content_type: #content_type, repeated: #repeated })
}

/// `&[PartSpec { … }]`.
pub fn part_specs_tokens(parts: &[PartPlan]) -> TokenStream {
    let parts = parts.iter().map(part_spec_tokens);
    quote!(&[#(#parts),*])
}

/// `Method::POST`.
pub fn method_tokens(method: Method) -> TokenStream {
    let ident = format_ident!("{}", method.as_str());
    quote!(::specgen_runtime::client::Method::#ident)
}
