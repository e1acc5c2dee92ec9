//! `specgen_macros::generate!` expands to exactly what the CLI writes.

mod common;

mod expanded {
    specgen_macros::generate!("../specs/local-payments.yaml");
}

/// Items rendered the way the CLI renders them, so `///` and `#[doc = r"…"]` compare equal.
fn render(items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}

/// The items of `mod <name> { … }` in a token stream.
fn inline_module(file: &syn::File, name: &str) -> String {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module
                .content
                .as_ref()
                .map(|(_, items)| render(items.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no inline module {name}"))
}

/// The items of a generated file, without its inner (`//!`) attributes.
fn file_items(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let file: syn::File = syn::parse_file(&text).unwrap();
    render(file.items)
}

#[test]
fn macro_expansion_equals_the_cli_output() {
    let root = common::workspace_root();
    let tokens = specgen::expand_inline(
        &root.join("specs/local-payments.yaml"),
        "specs/local-payments.yaml",
        // Gated like the generated crate, so every module compares.
        &specgen::Settings {
            modules: specgen::InlineModules::Features,
            ..specgen::Settings::default()
        },
    )
    .unwrap();
    let inline: syn::File = syn::parse2(tokens).unwrap();
    for module in ["types", "operations", "schema", "client", "server"] {
        let written = file_items(&root.join(format!("generated/local-payments/src/{module}.rs")));
        assert_eq!(
            inline_module(&inline, module),
            written,
            "module {module} differs between generate! and the CLI"
        );
    }
}

#[test]
fn macro_output_is_usable() {
    use expanded::types::{PaymentMethod, Refund};
    let refund: Refund =
        serde_json::from_str(r#"{"refund_id":"r","payment_id":"p","amount":20.0}"#).unwrap();
    assert_eq!(refund.amount, 20.0);
    assert_eq!(PaymentMethod::from("mbway"), PaymentMethod::Mbway);
}
