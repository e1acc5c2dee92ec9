//! `generate!("specs/x.yaml")`: expands to the same items `specgen generate` writes for that
//! spec, with the modules inline.
//!
//! The path is relative to the invoking crate's `CARGO_MANIFEST_DIR` (or absolute). A broken
//! spec becomes a `compile_error!` naming the file, JSON pointer and line.

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::quote;
use syn::{LitStr, parse_macro_input};

/// Generates the typed models of an OpenAPI 3.0 spec in place.
///
/// ```ignore
/// mod payments {
///     specgen_macros::generate!("specs/local-payments.yaml");
/// }
/// ```
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let literal = parse_macro_input!(input as LitStr);
    let relative = literal.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(&relative);
    match specgen::expand_inline(&path, &relative) {
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
