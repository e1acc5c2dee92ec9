//! `--tag-features`: one Cargo feature per tag, gating each operation and the types only some
//! tags use. (That every gated crate compiles with all tags and with only its smallest tag is
//! held by the corpus run over 131 peer specs, in `.ci/run`.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use specgen::emit::CrateSettings;

fn generate(spec: &str) -> BTreeMap<String, String> {
    let root = common::workspace_root();
    let settings = CrateSettings {
        tag_features: true,
        ..CrateSettings::for_stem("tagged")
    };
    let options = specgen::Settings {
        tag_features: true,
        ..specgen::Settings::default()
    };
    let generated =
        specgen::generate_crate_at(&root.join(spec), spec, settings, Path::new(""), &options)
            .unwrap_or_else(|d| panic!("{d}"));
    generated
        .files
        .into_iter()
        .map(|file| (file.path.display().to_string(), file.contents))
        .collect()
}

/// The `cfg` attributes of an item, as text.
fn cfgs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| quote::quote!(#a).to_string())
        .collect()
}

/// The type an item of the `types` module belongs to: the item's own name, or an impl's type.
fn owner(item: &syn::Item) -> Option<(String, &[syn::Attribute])> {
    match item {
        syn::Item::Struct(s) => Some((s.ident.to_string(), &s.attrs)),
        syn::Item::Enum(e) => Some((e.ident.to_string(), &e.attrs)),
        syn::Item::Type(t) => Some((t.ident.to_string(), &t.attrs)),
        syn::Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(path) => {
                let name = path.path.segments.last()?.ident.to_string();
                Some((name, &i.attrs))
            }
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn every_tag_is_a_default_feature_and_the_server_needs_them_all() {
    let files = generate("specs/payments-api.yaml");
    let cargo = &files["Cargo.toml"];
    let manifest: BTreeMap<String, serde_json::Value> = parse_toml_features(cargo);
    let all: Vec<&str> = manifest["all-tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(manifest["default"], serde_json::json!(["all-tags"]));
    assert!(all.len() >= 2, "{cargo}");
    for feature in &all {
        assert!(feature.starts_with("tag-"), "{feature}");
        assert_eq!(
            manifest[*feature],
            serde_json::json!([]),
            "{feature} is declared"
        );
    }
    let server = manifest["server"].as_array().unwrap();
    assert!(server.contains(&serde_json::json!("all-tags")), "{cargo}");
    let readme = &files["README.md"];
    for feature in &all {
        assert!(readme.contains(&format!("| `{feature}` |")), "{readme}");
    }
}

#[test]
fn each_client_method_is_gated_by_its_own_tags() {
    let files = generate("specs/payments-api.yaml");
    let client: syn::File = syn::parse_file(&files["src/client.rs"]).unwrap();
    let methods: Vec<(String, Vec<String>)> = client
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block)
                if quote::quote!(#block).to_string().starts_with("impl Client") =>
            {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some((method.sig.ident.to_string(), cfgs(&method.attrs))),
            _ => None,
        })
        .collect();
    let gated = methods.iter().filter(|(_, cfg)| !cfg.is_empty()).count();
    // Every operation of this spec has tags, and none has them all; its 7 cursor listings also
    // have a `_stream` method, gated like the operation.
    assert_eq!(gated, 35 + 7, "{methods:?}");
    let cfg_of = |name: &str| &methods.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(cfg_of("list_payouts_stream"), cfg_of("list_payouts"));
    let (_, cfg) = methods
        .iter()
        .find(|(name, _)| name == "create_payment")
        .expect("create_payment");
    assert_eq!(cfg, &[r#"# [cfg (any (feature = "tag-payment-intents"))]"#]);
}

#[test]
fn a_type_and_all_its_impls_share_one_gate() {
    let files = generate("specs/payments-api.yaml");
    for module in ["src/types.rs", "src/operations.rs"] {
        let file: syn::File = syn::parse_file(&files[module]).unwrap();
        let mut gates: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut gated = 0;
        for item in &file.items {
            let Some((name, attrs)) = owner(item) else {
                continue;
            };
            let cfg = cfgs(attrs);
            gated += usize::from(!cfg.is_empty());
            let first = gates.entry(name.clone()).or_insert_with(|| cfg.clone());
            assert_eq!(
                first, &cfg,
                "{module}: an item of {name} is gated differently"
            );
        }
        assert!(gated > 0, "{module}: nothing gated");
    }
}

#[test]
fn without_the_option_nothing_is_gated() {
    let root = common::workspace_root();
    for module in ["types", "operations", "client"] {
        let path = root.join(format!("generated/payments-api/src/{module}.rs"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("feature = \"tag-"), "{}", path.display());
    }
}

/// The `[features]` table of a generated Cargo.toml (one `name = [..]` per line) as JSON values.
fn parse_toml_features(cargo: &str) -> BTreeMap<String, serde_json::Value> {
    let section = cargo
        .split("[features]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [features] table");
    section
        .lines()
        .filter(|line| !line.trim_start().starts_with('#') && line.contains('='))
        .map(|line| {
            let (name, value) = line.split_once('=').unwrap();
            let value: serde_json::Value =
                serde_json::from_str(value.trim()).unwrap_or_else(|e| panic!("{line}: {e}"));
            (name.trim().to_string(), value)
        })
        .collect()
}
