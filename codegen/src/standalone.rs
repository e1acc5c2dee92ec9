//! `specgen generate SPEC --out DIR`: one spec into a crate folder of its own, anywhere on disk,
//! with a `specgen-runtime` dependency that still resolves when the folder is copied or moved.

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use crate::diagnostic::Diagnostics;
use crate::emit::CrateSettings;
use crate::{GeneratedCrate, GeneratedFile, Settings};

/// The `specgen-runtime` crate's manifest and sources, embedded when specgen was built, so an
/// installed `specgen` can vendor the runtime it was built with (no checkout needed).
const RUNTIME_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// Folder of the vendored runtime inside a generated crate.
pub const VENDORED_RUNTIME_DIR: &str = "specgen-runtime";

/// Where a standalone crate gets `specgen-runtime` from (`--runtime`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeSource {
    /// `vendored`: a copy of the runtime inside the crate folder (`specgen-runtime/`), so the
    /// folder builds wherever it goes, offline once its crates.io dependencies are cached.
    Vendored,
    /// `path=P`: the runtime crate at `P`, written relative to the crate folder.
    Path(PathBuf),
    /// `version=V`: the runtime from a registry, by version requirement.
    Version(String),
}

impl FromStr for RuntimeSource {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            None if text == "vendored" => Ok(RuntimeSource::Vendored),
            Some(("path", path)) if !path.is_empty() => Ok(RuntimeSource::Path(path.into())),
            Some(("version", version)) if !version.is_empty() && !version.contains('"') => {
                Ok(RuntimeSource::Version(version.into()))
            }
            _ => Err(format!(
                "`{text}` is not a runtime source; expected `vendored`, `path=<dir>` or `version=<requirement>`"
            )),
        }
    }
}

/// Why a standalone generation failed: the spec (diagnostics with file and line), or the
/// machine around it (a missing runtime folder, an unwritable output).
#[derive(Debug)]
pub enum StandaloneError {
    /// The spec is broken.
    Spec(Diagnostics),
    /// Not the spec's fault: a path, a permission, a setting.
    Setup(String),
}

impl fmt::Display for StandaloneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StandaloneError::Spec(diagnostics) => write!(f, "{diagnostics}"),
            StandaloneError::Setup(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for StandaloneError {}

/// What to generate where.
pub struct Standalone<'a> {
    /// The OpenAPI document.
    pub spec: &'a Path,
    /// The crate folder to write.
    pub out: &'a Path,
    /// Cargo package name.
    pub package: &'a str,
    /// Where the runtime comes from; `None`: a relative path when `out` is inside the specgen
    /// checkout at `checkout`, a vendored copy anywhere else.
    pub runtime: Option<&'a RuntimeSource>,
    /// The specgen checkout the command runs in, if any (`--root`).
    pub checkout: &'a Path,
    /// What to generate.
    pub settings: &'a Settings,
}

/// Generates and writes the crate; the files written are in the result.
pub fn generate(request: &Standalone<'_>) -> Result<GeneratedCrate, StandaloneError> {
    let out = absolute(request.out)?;
    let source = match request.runtime {
        Some(source) => source.clone(),
        None => default_source(&out, request.checkout)?,
    };
    let runtime_dependency = match &source {
        RuntimeSource::Vendored => format!("path = \"{VENDORED_RUNTIME_DIR}\""),
        RuntimeSource::Path(path) => {
            let runtime = absolute(path)?;
            if !is_runtime_crate(&runtime) {
                return Err(StandaloneError::Setup(format!(
                    "--runtime path={}: no specgen-runtime crate there (its Cargo.toml must name package `specgen-runtime`)",
                    path.display()
                )));
            }
            format!(
                "path = {:?}",
                relative_path(&out, &runtime).display().to_string()
            )
        }
        RuntimeSource::Version(version) => format!("version = \"{version}\""),
    };
    let settings = CrateSettings {
        dir_name: request.package.to_string(),
        package: request.package.to_string(),
        lib_name: crate::ir::naming::snake(request.package, "api"),
        runtime_dependency,
        rust_version: "1.88".into(),
        tag_features: request.settings.tag_features,
    };
    let display = request.spec.display().to_string();
    let mut generated =
        crate::generate_crate_at(request.spec, &display, settings, &out, request.settings)
            .map_err(StandaloneError::Spec)?;
    if source == RuntimeSource::Vendored {
        generated
            .files
            .extend(vendored_runtime(&out.join(VENDORED_RUNTIME_DIR)));
    }
    for file in &generated.files {
        let written = file
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&file.path, &file.contents));
        written.map_err(|e| {
            StandaloneError::Setup(format!("cannot write {}: {e}", file.path.display()))
        })?;
    }
    Ok(generated)
}

/// The embedded runtime crate, laid out under `dir`.
pub fn vendored_runtime(dir: &Path) -> Vec<GeneratedFile> {
    RUNTIME_FILES
        .iter()
        .map(|(relative, contents)| GeneratedFile {
            path: dir.join(relative),
            contents: (*contents).to_string(),
        })
        .collect()
}

fn default_source(out: &Path, checkout: &Path) -> Result<RuntimeSource, StandaloneError> {
    let checkout = absolute(checkout)?;
    let runtime = checkout.join("runtime");
    if out.starts_with(&checkout) && is_runtime_crate(&runtime) {
        Ok(RuntimeSource::Path(runtime))
    } else {
        Ok(RuntimeSource::Vendored)
    }
}

fn is_runtime_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.contains("name = \"specgen-runtime\""))
}

fn absolute(path: &Path) -> Result<PathBuf, StandaloneError> {
    let absolute = std::path::absolute(path)
        .map_err(|e| StandaloneError::Setup(format!("cannot resolve {}: {e}", path.display())))?;
    // `a/../b` spelled out, so prefixes compare and relative paths come out short.
    let mut clean = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// `to` as seen from the directory `from` (both absolute and clean).
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut relative: PathBuf = from[shared..].iter().map(|_| "..").collect();
    relative.extend(to[shared..].iter());
    if relative.as_os_str().is_empty() {
        relative.push(".");
    }
    relative
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_sources_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!("vendored".parse(), Ok(RuntimeSource::Vendored));
        assert_eq!(
            "path=../rt".parse(),
            Ok(RuntimeSource::Path("../rt".into()))
        );
        assert_eq!(
            "version=0.1".parse(),
            Ok(RuntimeSource::Version("0.1".into()))
        );
        for bad in ["", "vendor", "path=", "version=", "git=x"] {
            let error = bad.parse::<RuntimeSource>().unwrap_err();
            assert!(error.contains("expected `vendored`"), "{bad}: {error}");
        }
    }

    #[test]
    fn relative_paths_climb_to_the_shared_ancestor() {
        let cases = [
            ("/a/b/generated/x", "/a/b/runtime", "../../runtime"),
            ("/a/b", "/a/b/rt", "rt"),
            ("/a/b", "/a/b", "."),
            ("/x/y", "/z", "../../z"),
        ];
        for (from, to, expected) in cases {
            assert_eq!(
                relative_path(Path::new(from), Path::new(to)),
                PathBuf::from(expected),
                "{from} → {to}"
            );
        }
    }

    #[test]
    fn the_embedded_runtime_is_a_whole_crate_without_workspace_inheritance() {
        let files = vendored_runtime(Path::new("rt"));
        let manifest = files
            .iter()
            .find(|file| file.path == Path::new("rt/Cargo.toml"))
            .expect("the runtime's manifest is embedded");
        assert!(manifest.contents.contains("name = \"specgen-runtime\""));
        // A vendored copy has no workspace to inherit from.
        assert!(!manifest.contents.contains("workspace = true"));
        assert!(!manifest.contents.contains(".workspace"));
        assert!(files.iter().any(|f| f.path == Path::new("rt/src/lib.rs")));
        assert!(
            files
                .iter()
                .any(|f| f.path == Path::new("rt/src/server/idempotency.rs"))
        );
    }
}
