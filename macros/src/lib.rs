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

/// `"spec.yaml"` followed by optional `, operations = ["id", …]`.
struct Input {
    spec: LitStr,
    settings: specgen::Settings,
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
                    let content;
                    bracketed!(content in input);
                    let ids = content.parse_terminated(<LitStr as Parse>::parse, Token![,])?;
                    settings.operations = ids.iter().map(LitStr::value).collect();
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown setting `{other}` (expected `operations = [\"id\", …]`)"),
                    ));
                }
            }
        }
        Ok(Input { spec, settings })
    }
}

/// Generates the typed models of an OpenAPI 3.0 spec in place.
///
/// ```ignore
/// mod payments {
///     specgen_macros::generate!("specs/local-payments.yaml");
/// }
/// // Only some operations of a large API, and the types they use:
/// mod stripe {
///     specgen_macros::generate!("stripe.yaml", operations = ["PostPaymentIntents"]);
/// }
/// ```
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
            let message = diagnostics.to_string();
            syn::Error::new(literal.span(), message)
                .to_compile_error()
                .into()
        }
    }
}
