//! Shared pieces of emission: type expressions and doc attributes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{IntegerFormat, NumberFormat, TypeExpr};
use crate::plan::{BodyValue, ResponsePlan};

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
        TypeExpr::Binary => quote!(::specgen_runtime::Binary),
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

/// The Rust type of a body value (in a sibling module of `types`).
pub fn body_value_tokens(value: &BodyValue) -> TokenStream {
    match value {
        BodyValue::Typed(expr) => type_tokens(expr, Scope::Sibling),
        BodyValue::Text => quote!(::std::string::String),
        BodyValue::Bytes => quote!(::std::vec::Vec<u8>),
    }
}

/// The Rust type a response variant's body has (its media type's value, or the enum of bodies).
pub fn response_body_type(response: &ResponsePlan<'_>) -> Option<TokenStream> {
    match &response.body_enum {
        Some(name) => {
            let name = format_ident!("{name}");
            Some(quote!(super::operations::#name))
        }
        None => response
            .primary_media()
            .map(|m| body_value_tokens(&m.value)),
    }
}

/// One match arm of several that may share a body: `bindings` names what the pattern binds and
/// the type of each (an or-pattern must bind the same names with the same types in every
/// alternative).
pub struct Arm {
    pub bindings: String,
    pub pattern: TokenStream,
    pub body: TokenStream,
}

/// Arms with the same bindings and the same body joined into one or-pattern arm
/// (`Self::A { status, body } | Self::B { status, body } => …`), in order of first appearance.
/// Only for patterns that cannot overlap (distinct enum variants), where order is free.
pub fn merged_arms(arms: Vec<Arm>) -> Vec<TokenStream> {
    let mut groups: Vec<(String, String, Vec<TokenStream>, TokenStream)> = Vec::new();
    for arm in arms {
        let body_text = arm.body.to_string();
        match groups
            .iter_mut()
            .find(|(bindings, body, _, _)| *bindings == arm.bindings && *body == body_text)
        {
            Some(group) => group.2.push(arm.pattern),
            None => groups.push((arm.bindings, body_text, vec![arm.pattern], arm.body)),
        }
    }
    groups
        .into_iter()
        .map(|(_, _, patterns, body)| quote!(#(#patterns)|* => #body,))
        .collect()
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

/// `#[cfg(any(feature = "tag-a", …))]` for an item of some tags only; nothing for an item that
/// is always compiled.
pub fn tag_cfg(features: &[String]) -> TokenStream {
    if features.is_empty() {
        return TokenStream::new();
    }
    quote!(#[cfg(any(#(feature = #features),*))])
}

/// `items` with [`tag_cfg`] on each one, so that a type or operation and all its impls come and
/// go together. `items` are the emitters' own tokens; should they not parse, they are returned
/// as they are, and formatting the module reports the emitter bug.
pub fn gate_items(items: TokenStream, features: &[String]) -> TokenStream {
    if features.is_empty() {
        return items;
    }
    let Ok(mut file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let cfg = tag_cfg(features);
    let cfg: syn::Attribute = syn::parse_quote!(#cfg);
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Const(item) => &mut item.attrs,
            syn::Item::Enum(item) => &mut item.attrs,
            syn::Item::Fn(item) => &mut item.attrs,
            syn::Item::Impl(item) => &mut item.attrs,
            syn::Item::Mod(item) => &mut item.attrs,
            syn::Item::Static(item) => &mut item.attrs,
            syn::Item::Struct(item) => &mut item.attrs,
            syn::Item::Trait(item) => &mut item.attrs,
            syn::Item::Type(item) => &mut item.attrs,
            syn::Item::Union(item) => &mut item.attrs,
            syn::Item::Use(item) => &mut item.attrs,
            syn::Item::Macro(item) => &mut item.attrs,
            // Not emitted for types or operations.
            _ => continue,
        };
        // After the documentation, where a reader looks for it.
        let after_docs = attrs
            .iter()
            .take_while(|attr| attr.path().is_ident("doc"))
            .count();
        attrs.insert(after_docs, cfg.clone());
    }
    quote!(#file)
}

#[cfg(test)]
mod tests {
    use super::gate_items;
    use quote::quote;

    #[test]
    fn every_item_gets_the_tag_cfg() {
        let items = quote! {
            /// A disk.
            #[derive(Clone)]
            pub struct Disk { pub id: String }
            impl Disk { pub const KIND: &'static str = "disk"; }
            pub type Disks = Vec<Disk>;
        };
        let gated = gate_items(items.clone(), &["tag-disks".into(), "tag-images".into()]);
        let text = prettyplease::unparse(&syn::parse2(gated).unwrap());
        let cfg = "#[cfg(any(feature = \"tag-disks\", feature = \"tag-images\"))]";
        assert_eq!(text.matches(cfg).count(), 3, "{text}");
        assert!(text.starts_with(&format!("/// A disk.\n{cfg}")), "{text}");
        assert_eq!(
            gate_items(items.clone(), &[]).to_string(),
            items.to_string()
        );
    }
}
