//! Shared pieces of emission: type expressions and doc attributes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{IntegerFormat, NumberFormat, TypeExpr};

/// Where the tokens will live, so named types are written with the right path.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside the `types` module: named types by bare name.
    Types,
    /// In a sibling module: `super::types::Name`.
    Sibling,
}

/// The Rust type for a type expression (fully path-qualified, so user imports cannot break it).
pub fn type_tokens(expr: &TypeExpr, scope: Scope) -> TokenStream {
    match expr {
        TypeExpr::Named(name) => {
            let ident = format_ident!("{}", name);
            match scope {
                Scope::Types => quote!(#ident),
                Scope::Sibling => quote!(super::types::#ident),
            }
        }
        TypeExpr::String => quote!(::std::string::String),
        TypeExpr::Boolean => quote!(bool),
        TypeExpr::Integer(IntegerFormat::I32) => quote!(i32),
        TypeExpr::Integer(IntegerFormat::I64) => quote!(i64),
        TypeExpr::Number(NumberFormat::F32) => quote!(f32),
        TypeExpr::Number(NumberFormat::F64) => quote!(f64),
        TypeExpr::DateTime => quote!(::specgen_runtime::DateTime),
        TypeExpr::Date => quote!(::specgen_runtime::Date),
        TypeExpr::Any => quote!(::serde_json::Value),
        TypeExpr::List(item) => {
            let item = type_tokens(item, scope);
            quote!(::std::vec::Vec<#item>)
        }
        TypeExpr::Map(value) => {
            let value = type_tokens(value, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeExpr::Nullable(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// `#[doc = "…"]` lines for optional documentation text (one attribute per line, so rustdoc
/// renders paragraphs; text reaches the source only as string literals).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    // rustdoc's own `/// text` form: a space before text, nothing on blank lines.
    let lines = text.trim_end().lines().map(|line| match line.trim_end() {
        "" => String::new(),
        line => format!(" {line}"),
    });
    quote! { #(#[doc = #lines])* }
}

/// Doc lines from several paragraphs, skipping empty ones.
pub fn doc_paragraphs(paragraphs: &[Option<String>]) -> TokenStream {
    let text: Vec<&str> = paragraphs
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|p| !p.trim().is_empty())
        .collect();
    if text.is_empty() {
        return TokenStream::new();
    }
    doc_attrs(Some(&text.join("\n\n")))
}
