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

/// The README's first-call example: an operation that needs no arguments (every parameter
/// optional, no required body), with the credentials of its first security alternative as the
/// mock accepts them.
#[derive(Serialize)]
struct FirstCall {
    /// `list_payments`.
    method: String,
    /// `ListPaymentsRequest`.
    request: String,
    /// `.with_api_key("test-credential")` lines.
    credentials: Vec<String>,
    /// The `cfg` predicate the example compiles under (`feature = "client"`, plus its tags).
    cfg: String,
}

fn first_call(api: &Api) -> Option<FirstCall> {
    let op = api.operations.iter().find(|op| {
        op.parameters.iter().all(|p| !p.required)
            && op.request_body.as_ref().is_none_or(|body| !body.required)
    })?;
    let credentials = op
        .security
        .first()
        .map(|requirement| {
            requirement
                .schemes
                .iter()
                .filter_map(|(name, _)| api.security_schemes.iter().find(|s| &s.name == name))
                .map(|scheme| match scheme.kind {
                    crate::ir::SecuritySchemeKind::Basic => {
                        format!(
                            ".with_{}(\"test-user\", \"test-password\")",
                            scheme.rust_name
                        )
                    }
                    _ => format!(".with_{}(\"test-credential\")", scheme.rust_name),
                })
                .collect()
        })
        .unwrap_or_default();
    let cfg = if op.features.is_empty() {
        "feature = \"client\"".to_string()
    } else {
        let tags: Vec<String> = op
            .features
            .iter()
            .map(|f| format!("feature = \"{f}\""))
            .collect();
        format!("all(feature = \"client\", any({}))", tags.join(", "))
    };
    Some(FirstCall {
        method: op.rust_name.clone(),
        request: format!("{}Request", op.type_name),
        credentials,
        cfg,
    })
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
            lib => settings.lib_name,
            dir => settings.dir_name,
            first_call => first_call(api),
            type_count => api.types.len(),
            operations => operations,
            servers => servers,
            tag_features => feature_rows(api),
        },
    )
}
