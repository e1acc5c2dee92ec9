//! `generate!("specs/x.yaml")`: expands to the same items `specgen generate` writes for that
//! spec, with the modules inline.
//!
//! The path is relative to the invoking crate's `CARGO_MANIFEST_DIR` (or absolute). A broken
//! spec becomes a `compile_error!` naming the file, JSON pointer and line.

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token, bracketed, parse_macro_input};

/// `"spec.yaml"` followed by optional `key = value` settings (see [`generate!`]).
struct Input {
    spec: LitStr,
    settings: specgen::Settings,
}

/// A list of identifiers or string literals: `[client, "server"]`.
fn names(input: ParseStream<'_>) -> syn::Result<Vec<(String, proc_macro2::Span)>> {
    let content;
    bracketed!(content in input);
    let mut names = Vec::new();
    while !content.is_empty() {
        if content.peek(LitStr) {
            let literal: LitStr = content.parse()?;
            names.push((literal.value(), literal.span()));
        } else {
            let ident: syn::Ident = content.parse()?;
            names.push((ident.to_string(), ident.span()));
        }
        if content.parse::<Option<Token![,]>>()?.is_none() {
            break;
        }
    }
    if !content.is_empty() {
        return Err(content.error("expected `,` or `]`"));
    }
    Ok(names)
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let spec: LitStr = input.parse()?;
        let mut settings = specgen::Settings::default();
        while input.parse::<Option<Token![,]>>()?.is_some() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "operations" => {
                    settings.operations = names(input)?.into_iter().map(|(n, _)| n).collect();
                }
                "modules" if input.peek(syn::Ident) => {
                    let word: syn::Ident = input.parse()?;
                    if word != "features" {
                        return Err(syn::Error::new(
                            word.span(),
                            "expected `modules = [client, server, …]` or `modules = features`",
                        ));
                    }
                    settings.modules = specgen::InlineModules::Features;
                }
                "modules" => {
                    let chosen = names(input)?;
                    let span = chosen.first().map_or(key.span(), |(_, span)| *span);
                    let chosen: Vec<String> = chosen.into_iter().map(|(n, _)| n).collect();
                    settings.modules = specgen::InlineModules::only(&chosen)
                        .map_err(|message| syn::Error::new(span, message))?;
                }
                "tag_features" => {
                    settings.tag_features = input.parse::<syn::LitBool>()?.value;
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown setting `{other}` (expected `operations`, `modules` or `tag_features`)"
                        ),
                    ));
                }
            }
        }
        Ok(Input { spec, settings })
    }
}

/// Generates the modules of an OpenAPI 3.0/3.1 spec in place: what `specgen generate` writes
/// into a crate, inline.
///
/// The invoking crate depends on `serde` (feature `derive`), `serde_json` and
/// `specgen-runtime` with the runtime features of the modules it takes (`client`, `server`); it
/// declares no Cargo features of its own.
///
/// ```ignore
/// mod payments {
///     // `types`, `operations`, `client`, `server` and `schema` (the default).
///     specgen_macros::generate!("specs/local-payments.yaml");
/// }
/// // Only some operations of a large API, and the types they use, client side only:
/// mod stripe {
///     specgen_macros::generate!(
///         "stripe.yaml",
///         operations = ["PostPaymentIntents"],
///         modules = [client],
///     );
/// }
/// ```
///
/// Settings (each optional, the same as [`specgen::Settings`]):
/// - `operations = ["id", …]`: only these operations (by `operationId`) and the types they reach.
/// - `modules = [client, server, schema, conformance]`: the optional modules, compiled in
///   unconditionally (`server` and `conformance` bring `schema`); `modules = features` instead
///   puts each behind the invoking crate's Cargo feature of its name, as a generated crate does.
/// - `tag_features = true`: operations behind `tag-<name>` features the invoking crate declares.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let Input {
        spec: literal,
        settings,
    } = parse_macro_input!(input as Input);
    let relative = literal.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(&relative);
    match specgen::expand_inline(&path, &relative, &settings) {
        Ok(items) => {
            // Makes cargo rebuild the invoking crate when the spec changes.
            let tracked = path.to_string_lossy().into_owned();
            quote! {
                const _: &[u8] = ::core::include_bytes!(#tracked);
                #items
            }
            .into()
        }
        Err(diagnostics) => {
            let mut errors = compiler_messages(&diagnostics)
                .into_iter()
                .map(|message| syn::Error::new(literal.span(), message));
            let mut combined = errors
                .next()
                .unwrap_or_else(|| syn::Error::new(literal.span(), "the spec cannot be generated"));
            combined.extend(errors);
            combined.to_compile_error().into()
        }
    }
}

/// One compiler error message per diagnostic, without the `error: ` label rustc adds itself.
fn compiler_messages(diagnostics: &specgen::diagnostic::Diagnostics) -> Vec<String> {
    diagnostics
        .0
        .iter()
        .map(|diagnostic| {
            let text = diagnostic.to_string();
            text.strip_prefix("error: ").unwrap_or(&text).to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_diagnostic_is_one_message_labelled_once() {
        // A security requirement naming a scheme the spec never defines: an error, not a warning.
        let broken = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      security: [{nope: []}]\n      responses:\n        '200': {description: ok}\n";
        let diagnostics = specgen::load::load_str("broken.yaml", broken)
            .and_then(|spec| specgen::ir::build(&spec).map(|_| ()))
            .unwrap_err();
        let messages = compiler_messages(&diagnostics);
        assert_eq!(messages.len(), diagnostics.0.len());
        for message in &messages {
            assert!(!message.starts_with("error"), "{message}");
            assert!(message.contains("--> broken.yaml:"), "{message}");
        }
    }
}
