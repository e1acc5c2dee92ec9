//! Non-Rust files of a generated crate, rendered with minijinja.

use minijinja::{Environment, context};
use serde::Serialize;

use crate::ir::Api;

/// Where and under which names a crate is generated.
#[derive(Clone, Debug)]
pub struct CrateSettings {
    /// Folder name under `generated/` (the spec's file stem, `local-payments`).
    pub dir_name: String,
    /// Cargo package name.
    pub package: String,
    /// Rust library name (`local_payments`).
    pub lib_name: String,
    /// The `specgen-runtime` dependency's TOML keys (`path = "../../runtime"`).
    pub runtime_dependency: String,
    /// Minimum Rust version written into the crate.
    pub rust_version: String,
    /// One Cargo feature per operation tag (see [`crate::ir::gate_by_tag`]).
    pub tag_features: bool,
}

impl CrateSettings {
    /// Settings for a spec file stem, laid out as `generated/<stem>/` beside `runtime/`.
    pub fn for_stem(stem: &str) -> Self {
        CrateSettings {
            dir_name: stem.to_string(),
            package: stem.to_string(),
            lib_name: crate::ir::naming::snake(stem, "api"),
            runtime_dependency: "path = \"../../runtime\"".into(),
            rust_version: "1.88".into(),
            tag_features: false,
        }
    }
}

fn render(name: &str, template: &str, ctx: minijinja::Value) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_trim_blocks(false);
    env.add_template(name, template)
        .map_err(|e| format!("template {name}: {e}"))?;
    let tmpl = env
        .get_template(name)
        .map_err(|e| format!("template {name}: {e}"))?;
    tmpl.render(ctx)
        .map(|text| {
            if text.ends_with('\n') {
                text
            } else {
                text + "\n"
            }
        })
        .map_err(|e| format!("template {name}: {e}"))
}

/// The crate's `Cargo.toml`.
pub fn cargo_toml(api: &Api, settings: &CrateSettings) -> Result<String, String> {
    render(
        "Cargo.toml",
        include_str!("../../templates/Cargo.toml.j2"),
        context! {
            spec => api.source_file,
            package => settings.package,
            lib => settings.lib_name,
            title => api.title,
            version => api.version,
            runtime_dependency => settings.runtime_dependency,
            rust_version => settings.rust_version,
            tag_features => feature_rows(api),
        },
    )
}

#[derive(Serialize)]
struct FeatureRow {
    name: String,
    /// The tags, one line of text (safe in a TOML comment and a Markdown cell).
    tags: String,
    operations: usize,
}

fn feature_rows(api: &Api) -> Vec<FeatureRow> {
    api.tag_features
        .iter()
        .map(|feature| FeatureRow {
            name: feature.name.clone(),
            tags: cell(&feature.tags.join(", ")),
            operations: feature.operations,
        })
        .collect()
}

#[derive(Serialize)]
struct OperationRow {
    id: String,
    method: &'static str,
    path: String,
    summary: String,
}

#[derive(Serialize)]
struct ServerRow {
    url: String,
    description: Option<String>,
}

/// Escapes text for one Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The crate's `README.md`.
pub fn readme(api: &Api, settings: &CrateSettings) -> Result<String, String> {
    let operations: Vec<OperationRow> = api
        .operations
        .iter()
        .map(|op| OperationRow {
            id: op.id.clone(),
            method: op.method.as_str(),
            path: cell(&op.path),
            summary: cell(op.summary.as_deref().unwrap_or("")),
        })
        .collect();
    let servers: Vec<ServerRow> = api
        .servers
        .iter()
        .map(|s| ServerRow {
            url: s.url.clone(),
            description: s.description.as_deref().map(cell),
        })
        .collect();
    render(
        "README.md",
        include_str!("../../templates/README.md.j2"),
        context! {
            spec => api.source_file,
            title => api.title,
            version => api.version,
            description => api.description,
            package => settings.package,
            dir => settings.dir_name,
            type_count => api.types.len(),
            operations => operations,
            servers => servers,
            tag_features => feature_rows(api),
        },
    )
}
