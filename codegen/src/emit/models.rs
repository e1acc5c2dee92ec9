//! The `types` module: one Rust item per named type of the IR.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::tokens::{Scope, doc_paragraphs, gate_items, type_tokens};
use crate::ir::{
    Api, Constraints, DetailKind, EnumDetail, Field, IntegerEnum, Newtype, StringEnum, Struct,
    TypeDef, TypeExpr, TypeKind, Union,
};
use crate::plan::{FitPlan, IdAccess, Plan, fit_of, id_access};

/// Every named type of the API.
pub fn types_module(plan: &Plan<'_>) -> TokenStream {
    let items = plan
        .api
        .types
        .iter()
        .map(|def| gate_items(type_def(plan.api, def), &def.features));
    quote! { #(#items)* }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let source = Some(format!("Schema: `#{}`.", def.source));
    let docs = doc_paragraphs(&[def.docs.clone(), source]);
    match &def.kind {
        TypeKind::Struct(st) => struct_item(&name, &docs, st),
        TypeKind::StringEnum(en) => string_enum_item(&name, &docs, en),
        TypeKind::IntegerEnum(en) => integer_enum_item(&name, &docs, en),
        TypeKind::Newtype(newtype) => newtype_item(&name, &docs, newtype),
        TypeKind::Alias(expr) => {
            let ty = type_tokens(expr, Scope::Types);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Union(union) => union_item(api, &name, &docs, union),
    }
}

/// ```text
/// #[derive(Clone, PartialEq, Serialize, Deserialize)]
/// pub struct Payment {
///     pub payment_id: String,                       // required
///     #[serde(default, skip_serializing_if = "Option::is_none")]
///     pub status: Option<PaymentStatus>,            // optional
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     pub settled_at: Nullable<DateTime>,           // optional + nullable
/// }
/// ```
fn struct_item(name: &proc_macro2::Ident, docs: &TokenStream, st: &Struct) -> TokenStream {
    let fields = st.fields.iter().map(field_tokens);
    let extra = st.additional_properties.as_ref().map(|value| {
        let value = type_tokens(value, Scope::Types);
        quote! {
            /// Properties beyond the declared ones, kept so that nothing received is dropped.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let redacted = st.fields.iter().any(|f| f.sensitive);
    let debug_derive = if redacted { quote!() } else { quote!(Debug,) };
    let debug_impl = redacted.then(|| redacted_debug(name, st));
    // Every field optional: `Default`; else `new(required…)`. Either way the optional fields
    // are set by name: `Card { cvc: Some(…), ..Card::new(number, exp_month, exp_year) }`.
    let all_optional = st.fields.iter().all(is_optional);
    let default_derive = all_optional.then(|| quote!(Default,));
    let constructor = (!all_optional).then(|| constructor(name, st));
    quote! {
        #docs
        #[derive(Clone, #debug_derive #default_derive PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #debug_impl
        #constructor
    }
}

fn is_optional(field: &Field) -> bool {
    matches!(
        presence(field),
        Presence::Optional | Presence::OptionalNullable
    )
}

/// `pub fn new(required…) -> Self`, the optional fields empty.
fn constructor(name: &proc_macro2::Ident, st: &Struct) -> TokenStream {
    let required: Vec<&Field> = st.fields.iter().filter(|f| !is_optional(f)).collect();
    let params = required.iter().map(|field| {
        let param = format_ident!("{}", field.rust_name);
        let ty = stored_type(field);
        quote!(#param: #ty)
    });
    let inits = st.fields.iter().map(|field| {
        let member = format_ident!("{}", field.rust_name);
        if is_optional(field) {
            quote!(#member: ::std::default::Default::default())
        } else {
            quote!(#member)
        }
    });
    let extra = st
        .additional_properties
        .is_some()
        .then(|| quote!(additional_properties: ::std::default::Default::default(),));
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let docs = format!(
        " A `{name}` from its required fields, every optional one empty; set those by name: \
         `{name} {{ field: …, ..{name}::new(…) }}`."
    );
    quote! {
        impl #name {
            #[doc = #docs]
            #many
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits,)* #extra }
            }
        }
    }
}

/// The field's Rust type as stored: boxed, and wrapped in `Option`/`Nullable` by presence.
fn stored_type(field: &Field) -> TokenStream {
    let mut ty = type_tokens(&field.ty, Scope::Types);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    match presence(field) {
        Presence::Plain => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::OptionalNullable => quote!(::specgen_runtime::Nullable<#ty>),
    }
}

/// How a field is stored, from its required and nullable flags.
enum Presence {
    /// Required, not nullable: `T`.
    Plain,
    /// Required and nullable: `Option<T>`, `null` ⇄ `None`, missing is an error.
    RequiredNullable,
    /// Optional: `Option<T>`, skipped when `None`.
    Optional,
    /// Optional and nullable: `Nullable<T>`, three states.
    OptionalNullable,
}

fn presence(field: &Field) -> Presence {
    // `Any` holds `null` itself; as an optional field it still must tell absent from `null`.
    let nullable = field.nullable || field.ty == TypeExpr::Any;
    match (field.required, nullable) {
        (true, false) => Presence::Plain,
        (true, true) if field.ty == TypeExpr::Any => Presence::Plain,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    }
}

fn field_tokens(field: &Field) -> TokenStream {
    let name = format_ident!("{}", field.rust_name);
    let ty = stored_type(field);
    let rename = (field.rust_name != field.json_name).then(|| {
        let json = &field.json_name;
        quote!(#[serde(rename = #json)])
    });
    let numeric_string = field.constraints.accepts_numeric_string;
    let serde = match presence(field) {
        Presence::Plain if numeric_string => {
            quote!(#[serde(deserialize_with = "::specgen_runtime::deserialize_number_or_string")])
        }
        Presence::Plain => quote!(),
        // Required: no `default`, so a missing key stays an error.
        Presence::RequiredNullable if numeric_string => {
            quote!(#[serde(deserialize_with = "::specgen_runtime::deserialize_optional_number_or_string")])
        }
        Presence::RequiredNullable => {
            quote!(#[serde(deserialize_with = "::specgen_runtime::deserialize_required_nullable")])
        }
        Presence::Optional if numeric_string => quote!(#[serde(
            default,
            skip_serializing_if = "::std::option::Option::is_none",
            deserialize_with = "::specgen_runtime::deserialize_optional_number_or_string"
        )]),
        Presence::OptionalNullable if numeric_string => quote!(#[serde(
            default,
            skip_serializing_if = "::specgen_runtime::Nullable::is_absent",
            deserialize_with = "::specgen_runtime::deserialize_nullable_number_or_string"
        )]),
        Presence::Optional => {
            quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
        }
        Presence::OptionalNullable => {
            quote!(#[serde(default, skip_serializing_if = "::specgen_runtime::Nullable::is_absent")])
        }
    };
    let mut notes = Vec::new();
    if let Some(default) = &field.default {
        notes.push(format!("Default: `{default}`."));
    }
    if let Some(limits) = describe_constraints(&field.constraints) {
        notes.push(limits);
    }
    if numeric_string {
        notes.push(
            "Also read from a JSON string holding the number (`x-accept-numeric-string`); \
             written as a number."
                .to_string(),
        );
    }
    if field.sensitive {
        notes.push("Sensitive: shown as `***` in `Debug` output.".to_string());
    }
    let notes = if notes.is_empty() {
        None
    } else {
        Some(notes.join(" "))
    };
    let docs = doc_paragraphs(&[field.docs.clone(), notes]);
    quote! {
        #docs
        #rename
        #serde
        pub #name: #ty,
    }
}

fn describe_constraints(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(n) = c.min_length {
        parts.push(format!("min length {n}"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("max length {n}"));
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("pattern `{p}`"));
    }
    if let Some(b) = c.minimum {
        parts.push(format!(
            "{} {}",
            if b.exclusive {
                "greater than"
            } else {
                "at least"
            },
            b.value
        ));
    }
    if let Some(b) = c.maximum {
        parts.push(format!(
            "{} {}",
            if b.exclusive { "less than" } else { "at most" },
            b.value
        ));
    }
    if let Some(n) = c.min_items {
        parts.push(format!("at least {n} items"));
    }
    if let Some(n) = c.max_items {
        parts.push(format!("at most {n} items"));
    }
    (!parts.is_empty()).then(|| format!("Limits: {}.", parts.join(", ")))
}

fn redacted_debug(name: &proc_macro2::Ident, st: &Struct) -> TokenStream {
    let type_name = name.to_string();
    let fields = st.fields.iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let label = &field.rust_name;
        if field.sensitive {
            quote!(.field(#label, &::specgen_runtime::Redacted))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    let extra = st
        .additional_properties
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    #extra
                    .finish()
            }
        }
    }
}

/// ```text
/// pub enum PaymentMethod { CreditCard, Mbway, Unknown(String) }
/// impl PaymentMethod { pub const DOCUMENTED; pub fn as_str(&self) -> &str; pub fn is_documented(&self) -> bool }
/// impl From<&str>; specgen_runtime::string_enum_traits!(PaymentMethod) // From<String>, FromStr, Display, Serialize, Deserialize
/// ```
fn string_enum_item(name: &proc_macro2::Ident, docs: &TokenStream, en: &StringEnum) -> TokenStream {
    let variants: Vec<_> = en
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let values: Vec<_> = en.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = en.variants.iter().map(|v| {
        let value_line = format!("`{}`", v.value);
        doc_paragraphs(&[v.docs.clone(), Some(value_line)])
    });
    let details = detail_methods(
        &en.details,
        en.variants.iter().map(|v| (&v.rust_name, &v.details)),
    );
    let description = description_method(en.variants.iter().map(|v| (&v.rust_name, &v.docs)));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the spec does not document (kept as received, so newer servers do not break clients).
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every documented value, in spec order.
            pub const DOCUMENTED: &'static [Self] = &[#(Self::#variants),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// True for a value the spec documents; false for [`Self::Unknown`].
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            #description
            #details
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        ::specgen_runtime::string_enum_traits!(#name);
    }
}

/// Integer code tables: like string enums, plus `code()` and one `is_<range>()` per
/// documented range, which classifies undocumented codes too.
fn integer_enum_item(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    en: &IntegerEnum,
) -> TokenStream {
    let variants: Vec<_> = en
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let values: Vec<_> = en
        .variants
        .iter()
        .map(|v| Literal::i64_unsuffixed(v.value))
        .collect();
    let variant_docs = en.variants.iter().map(|v| {
        let value_line = format!("Code `{}`.", v.value);
        doc_paragraphs(&[v.docs.clone(), Some(value_line)])
    });
    let ranges = en.ranges.iter().map(|range| {
        let method = format_ident!("is_{}", range.method);
        let min = Literal::i64_unsuffixed(range.min);
        let max = Literal::i64_unsuffixed(range.max);
        let text = format!(
            "True when the code is in {}..={} (`{}`).",
            range.min, range.max, range.name
        );
        let docs = doc_paragraphs(&[range.docs.clone(), Some(text)]);
        quote! {
            #docs
            pub fn #method(&self) -> bool {
                (#min..=#max).contains(&self.code())
            }
        }
    });
    let details = detail_methods(
        &en.details,
        en.variants.iter().map(|v| (&v.rust_name, &v.details)),
    );
    let description = description_method(en.variants.iter().map(|v| (&v.rust_name, &v.docs)));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A code the spec does not document (kept as received).
            Unknown(i64),
        }

        impl #name {
            /// Every documented code, in spec order.
            pub const DOCUMENTED: &'static [Self] = &[#(Self::#variants),*];

            /// The code as sent on the wire.
            pub fn code(&self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(code) => *code,
                }
            }

            /// True for a code the spec documents; false for [`Self::Unknown`].
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            #(#ranges)*
            #description
            #details
        }

        impl ::std::convert::From<i64> for #name {
            fn from(code: i64) -> Self {
                match code {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.trim().parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.code(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// `pub fn description(&self) -> Option<&'static str>`: the documented meaning of each value, at
/// run time (for logs and messages); nothing when no value has one.
fn description_method<'v>(
    variants: impl Iterator<Item = (&'v String, &'v Option<String>)>,
) -> TokenStream {
    let arms: Vec<TokenStream> = variants
        .filter_map(|(variant, docs)| {
            let variant = format_ident!("{}", variant);
            let text = docs.as_deref()?.trim();
            (!text.is_empty()).then(|| quote!(Self::#variant => #text,))
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// What the spec says the value means; `None` for a value it does not describe.
        pub fn description(&self) -> ::std::option::Option<&'static str> {
            ::std::option::Option::Some(match self {
                #(#arms)*
                _ => return ::std::option::Option::None,
            })
        }
    }
}

/// One accessor per `x-enum-details` fact: `pub fn http_status(&self) -> Option<i64>`.
fn detail_methods<'v>(
    details: &[EnumDetail],
    variants: impl Iterator<Item = (&'v String, &'v Vec<(String, serde_json::Value)>)> + Clone,
) -> TokenStream {
    let methods = details.iter().map(|detail| {
        let method = format_ident!("{}", detail.method);
        let arms = variants.clone().filter_map(|(variant, facts)| {
            let value = facts
                .iter()
                .find(|(name, v)| *name == detail.name && !v.is_null()) // `null`: no fact for this value
                .map(|(_, v)| v)?;
            let variant = format_ident!("{}", variant);
            let value = match detail.kind {
                DetailKind::Integer => {
                    let n = Literal::i64_unsuffixed(value.as_i64().unwrap_or_default());
                    quote!(#n)
                }
                DetailKind::String => {
                    let text = match value {
                        serde_json::Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    quote!(#text)
                }
            };
            Some(quote!(Self::#variant => ::std::option::Option::Some(#value),))
        });
        let ty = match detail.kind {
            DetailKind::Integer => quote!(i64),
            DetailKind::String => quote!(&'static str),
        };
        let doc = format!(
            " The documented `{}` of this value (`None` for undocumented values).",
            detail.name
        );
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> ::std::option::Option<#ty> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    });
    quote! { #(#methods)* }
}

/// A named scalar. Unconstrained: a transparent wrapper with a public field. Constrained: the
/// field is private and every way in (`new`, `TryFrom`, deserialization) checks the limits.
fn newtype_item(name: &proc_macro2::Ident, docs: &TokenStream, newtype: &Newtype) -> TokenStream {
    let inner = type_tokens(&newtype.inner, Scope::Types);
    let checks = constraint_checks(&newtype.constraints, &newtype.inner);
    if checks.is_empty() {
        return quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(transparent)]
            pub struct #name(pub #inner);

            impl ::std::convert::From<#inner> for #name {
                fn from(value: #inner) -> Self {
                    #name(value)
                }
            }

            impl ::std::ops::Deref for #name {
                type Target = #inner;
                fn deref(&self) -> &#inner {
                    &self.0
                }
            }
        };
    }
    let inner_text = inner.to_string().replace(' ', "");
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = #inner_text, into = #inner_text)]
        pub struct #name(#inner);

        impl #name {
            /// Checks the documented limits.
            pub fn new(value: #inner) -> ::std::result::Result<Self, ::specgen_runtime::ConstraintViolation> {
                #(#checks)*
                ::std::result::Result::Ok(#name(value))
            }

            /// The wrapped value.
            pub fn get(&self) -> &#inner {
                &self.0
            }

            /// Unwraps the value.
            pub fn into_inner(self) -> #inner {
                self.0
            }
        }

        impl ::std::convert::TryFrom<#inner> for #name {
            type Error = ::specgen_runtime::ConstraintViolation;
            fn try_from(value: #inner) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::std::convert::From<#name> for #inner {
            fn from(value: #name) -> Self {
                value.0
            }
        }
    }
}

/// Statements that return `Err(ConstraintViolation)` when `value` breaks a limit. Patterns are
/// checked by the server's request validation, not here (it would make every generated crate
/// depend on a regex engine).
fn constraint_checks(c: &Constraints, inner: &TypeExpr) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    let is_text = matches!(inner, TypeExpr::String);
    if is_text {
        if let Some(min) = c.min_length {
            let min = Literal::u64_unsuffixed(min);
            let message = format!("must be at least {min} characters long");
            checks.push(quote! {
                if (value.chars().count() as u64) < #min {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
        if let Some(max) = c.max_length {
            let max = Literal::u64_unsuffixed(max);
            let message = format!("must be at most {max} characters long");
            checks.push(quote! {
                if (value.chars().count() as u64) > #max {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
    }
    let numeric = matches!(inner, TypeExpr::Integer(_) | TypeExpr::Number(_));
    // Bounds compare as f64; an f64 value needs no cast (clippy's `unnecessary_cast`).
    let as_f64 = if matches!(inner, TypeExpr::Number(crate::ir::NumberFormat::F64)) {
        quote!(value)
    } else {
        quote!((value as f64))
    };
    if numeric {
        if let Some(bound) = c.minimum {
            let limit = Literal::f64_unsuffixed(bound.value);
            let (op, message) = if bound.exclusive {
                (quote!(<=), format!("must be greater than {}", bound.value))
            } else {
                (quote!(<), format!("must be at least {}", bound.value))
            };
            checks.push(quote! {
                if #as_f64 #op #limit {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
        if let Some(bound) = c.maximum {
            let limit = Literal::f64_unsuffixed(bound.value);
            let (op, message) = if bound.exclusive {
                (quote!(>=), format!("must be less than {}", bound.value))
            } else {
                (quote!(>), format!("must be at most {}", bound.value))
            };
            checks.push(quote! {
                if #as_f64 #op #limit {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
    }
    if matches!(inner, TypeExpr::List(_)) {
        if let Some(min) = c.min_items {
            let min = Literal::usize_unsuffixed(min as usize);
            let message = format!("must have at least {min} items");
            checks.push(quote! {
                if value.len() < #min {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
        if let Some(max) = c.max_items {
            let max = Literal::usize_unsuffixed(max as usize);
            let message = format!("must have at most {max} items");
            checks.push(quote! {
                if value.len() > #max {
                    return ::std::result::Result::Err(::specgen_runtime::ConstraintViolation::new(#message));
                }
            });
        }
    }
    checks
}

/// ```text
/// pub enum Pet { Cat(Cat), Dog(Dog) }
/// // with a discriminator: the tag property picks the variant;
/// // without: the alternatives are tried best fit first (`alternatives_by_fit`).
/// ```
fn union_item(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    union: &Union,
) -> TokenStream {
    let type_name = name.to_string();
    let property = union.discriminator.as_deref().unwrap_or_default();
    let id_method = id_access(api, union).map(|access| id_method(name, union, &access));
    let variant_defs = union.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.rust_name);
        let doc = variant.tag_outside.then(|| {
            let line = format!("`{property}` is `{}`.", variant.tags.join("` or `"));
            quote!(#[doc = #line])
        });
        match &variant.ty {
            Some(ty) => {
                let ty = type_tokens(ty, Scope::Types);
                quote!(#doc #ident(#ty))
            }
            None => quote!(#doc #ident),
        }
    });
    let serialize_arms = union.variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.rust_name);
        let tag = variant.tags.first().map(String::as_str).unwrap_or_default();
        let tags = &variant.tags;
        match (&variant.ty, variant.tag_outside) {
            // The alternative's own type has the tag as a free field: the variant overrides it,
            // so what is written always decodes back into the same variant.
            (Some(_), false) if union.discriminator.is_some() && !tags.is_empty() => quote! {
                Self::#ident(value) => ::specgen_runtime::serialize_retagged(value, #property, &[#(#tags),*], serializer),
            },
            (Some(_), false) => {
                quote!(Self::#ident(value) => ::serde::Serialize::serialize(value, serializer),)
            }
            (Some(_), true) => quote! {
                Self::#ident(value) => ::specgen_runtime::serialize_tagged(value, #property, #tag, serializer),
            },
            (None, _) => quote! {
                Self::#ident => ::specgen_runtime::serialize_tag_only(#property, #tag, serializer),
            },
        }
    });
    let deserialize_body = match &union.discriminator {
        Some(property) => {
            let arms = union.variants.iter().map(|variant| {
                let ident = format_ident!("{}", variant.rust_name);
                let tags = &variant.tags;
                let parse = match (&variant.ty, variant.tag_outside) {
                    (Some(ty), false) => {
                        let ty = type_tokens(ty, Scope::Types);
                        quote! {
                            <#ty as ::serde::Deserialize>::deserialize(value)
                                .map(Self::#ident)
                                .map_err(::serde::de::Error::custom)
                        }
                    }
                    (Some(ty), true) => {
                        let ty = type_tokens(ty, Scope::Types);
                        quote! {
                            <#ty as ::serde::Deserialize>::deserialize(::specgen_runtime::without_property(value, #property))
                                .map(Self::#ident)
                                .map_err(::serde::de::Error::custom)
                        }
                    }
                    (None, _) => quote!(::std::result::Result::Ok(Self::#ident)),
                };
                quote!(#(::std::option::Option::Some(#tags))|* => #parse,)
            });
            let missing =
                format!("{type_name}: the discriminator `{property}` is missing or not a string");
            quote! {
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    ::std::option::Option::Some(other) => ::std::result::Result::Err(::serde::de::Error::custom(
                        ::std::format!("{}: unknown `{}` value `{}`", #type_name, #property, other),
                    )),
                    ::std::option::Option::None => ::std::result::Result::Err(::serde::de::Error::custom(#missing)),
                }
            }
        }
        None => {
            let message = format!("data did not match any alternative of {type_name}");
            let typed: Vec<(usize, &crate::ir::UnionVariant, &TypeExpr)> = union
                .variants
                .iter()
                .filter_map(|variant| variant.ty.as_ref().map(|ty| (variant, ty)))
                .enumerate()
                .map(|(index, (variant, ty))| (index, variant, ty))
                .collect();
            let fits = typed.iter().map(|(_, _, ty)| fit_tokens(&fit_of(api, ty)));
            let arms = typed.iter().map(|(index, variant, ty)| {
                let ident = format_ident!("{}", variant.rust_name);
                let ty = type_tokens(ty, Scope::Types);
                quote! {
                    #index => {
                        if let ::std::result::Result::Ok(parsed) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                            return ::std::result::Result::Ok(Self::#ident(parsed));
                        }
                    }
                }
            });
            quote! {
                const FITS: &[::specgen_runtime::Fit] = &[#(#fits),*];
                for index in ::specgen_runtime::alternatives_by_fit(&value, FITS) {
                    match index {
                        #(#arms)*
                        _ => {}
                    }
                }
                ::std::result::Result::Err(::serde::de::Error::custom(#message))
            }
        }
    };
    quote! {
        #docs
        // The alternatives mirror the spec's shapes; boxing the larger ones would change the API.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variant_defs,)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #deserialize_body
            }
        }

        #id_method
    }
}

/// `id()` of an expandable union: the id, whether the value came as the id or expanded.
fn id_method(name: &proc_macro2::Ident, union: &Union, access: &[IdAccess]) -> TokenStream {
    let arms = union.variants.iter().zip(access).map(|(variant, access)| {
        let ident = format_ident!("{}", variant.rust_name);
        match access {
            IdAccess::Itself => {
                quote!(Self::#ident(id) => ::std::option::Option::Some(id.as_str()),)
            }
            IdAccess::Field {
                field,
                optional: false,
            } => {
                let field = format_ident!("{}", field);
                quote!(Self::#ident(value) => ::std::option::Option::Some(value.#field.as_str()),)
            }
            IdAccess::Field {
                field,
                optional: true,
            } => {
                let field = format_ident!("{}", field);
                quote!(Self::#ident(value) => value.#field.as_deref(),)
            }
        }
    });
    quote! {
        impl #name {
            /// The id, whether the value came as the id alone or as the expanded object.
            pub fn id(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// A `Fit { … }` literal.
fn fit_tokens(fit: &FitPlan) -> TokenStream {
    let kind = format_ident!("{}", format!("{:?}", fit.kind));
    let required = &fit.required;
    let fields = fit
        .fields
        .iter()
        .map(|(name, values)| quote!((#name, &[#(#values),*])));
    let (closed, nullable) = (fit.closed, fit.nullable);
    quote!(::specgen_runtime::Fit { kind: ::specgen_runtime::FitKind::#kind, required: &[#(#required),*], fields: &[#(#fields),*], closed: #closed, nullable: #nullable })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{StringVariant, Struct};

    fn render(tokens: TokenStream) -> String {
        crate::emit::format_file(tokens, "test").unwrap()
    }

    #[test]
    fn string_enums_have_a_catch_all_and_docs() {
        let en = StringEnum {
            variants: vec![StringVariant {
                rust_name: "CreditCard".into(),
                value: "credit_card".into(),
                docs: Some("Pay by card".into()),
                details: vec![],
            }],
            details: vec![],
        };
        let text = render(string_enum_item(
            &format_ident!("Method"),
            &TokenStream::new(),
            &en,
        ));
        assert!(text.contains("/// Pay by card"), "{text}");
        assert!(text.contains("Unknown(::std::string::String)"), "{text}");
        assert!(
            text.contains("Self::CreditCard => \"credit_card\""),
            "{text}"
        );
    }

    #[test]
    fn sensitive_fields_get_a_redacting_debug() {
        let st = Struct {
            fields: vec![Field {
                json_name: "cvv".into(),
                rust_name: "cvv".into(),
                ty: TypeExpr::String,
                required: true,
                nullable: false,
                sensitive: true,
                boxed: false,
                docs: None,
                default: None,
                constraints: Constraints::default(),
            }],
            additional_properties: None,
            property_count: (None, None),
        };
        let text = render(struct_item(
            &format_ident!("Card"),
            &TokenStream::new(),
            &st,
        ));
        assert!(
            text.contains(".field(\"cvv\", &::specgen_runtime::Redacted)"),
            "{text}"
        );
        assert!(!text.contains("Debug,"), "{text}");
    }

    fn field(name: &str, required: bool) -> Field {
        Field {
            json_name: name.into(),
            rust_name: name.into(),
            ty: TypeExpr::String,
            required,
            nullable: false,
            sensitive: false,
            boxed: false,
            docs: None,
            default: None,
            constraints: Constraints::default(),
        }
    }

    fn struct_text(fields: Vec<Field>) -> String {
        let st = Struct {
            fields,
            additional_properties: None,
            property_count: (None, None),
        };
        render(struct_item(
            &format_ident!("Card"),
            &TokenStream::new(),
            &st,
        ))
    }

    #[test]
    fn all_optional_structs_default_and_the_others_get_a_constructor_of_their_required_fields() {
        let optional = struct_text(vec![field("brand", false)]);
        assert!(optional.contains("Default,"), "{optional}");
        assert!(!optional.contains("fn new"), "{optional}");
        let required = struct_text(vec![field("brand", false), field("number", true)]);
        assert!(!required.contains("Default,"), "{required}");
        assert!(
            required.contains("pub fn new(number: ::std::string::String) -> Self"),
            "{required}"
        );
        assert!(
            required.contains("brand: ::std::default::Default::default()"),
            "{required}"
        );
    }

    #[test]
    fn described_values_tell_their_meaning_and_undescribed_ones_none() {
        let variant = |value: &str, docs: Option<&str>| StringVariant {
            rust_name: heck::ToUpperCamelCase::to_upper_camel_case(value),
            value: value.into(),
            docs: docs.map(Into::into),
            details: vec![],
        };
        let en = StringEnum {
            variants: vec![
                variant("paid", Some("Money received.")),
                variant("open", None),
            ],
            details: vec![],
        };
        let text = render(string_enum_item(
            &format_ident!("Status"),
            &TokenStream::new(),
            &en,
        ));
        assert!(text.contains("pub fn description(&self)"), "{text}");
        assert!(text.contains("Self::Paid => \"Money received.\""), "{text}");
        // Only the described value has an arm; `open` falls to `None`.
        // (`as_str` has an arm for each.)
        assert_eq!(text.matches("Self::Paid => ").count(), 2, "{text}");
        assert_eq!(text.matches("Self::Open => ").count(), 1, "{text}");
        let undescribed = StringEnum {
            variants: vec![variant("open", None)],
            details: vec![],
        };
        let text = render(string_enum_item(
            &format_ident!("Status"),
            &TokenStream::new(),
            &undescribed,
        ));
        assert!(!text.contains("fn description"), "{text}");
    }
}
