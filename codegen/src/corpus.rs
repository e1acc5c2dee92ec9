//! The corpus run: every spec of a folder through the generator, and every generated crate
//! through one batched `cargo check` (one workspace, one target folder), with a table of what
//! happened to each. It is how specgen is held to specs it was not written for.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::emit::CrateSettings;

/// What became of one spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Generated, and the crate passed `cargo check` with all features (and, when it has tag
    /// features, with its smallest tag alone).
    Compiled,
    /// Generated; compilation was not asked for.
    Generated,
    /// The generator declined the spec with a diagnostic.
    Declined,
    /// Generated, but the crate did not compile: a generator bug.
    FailedToCompile,
    /// The generator panicked: a generator bug.
    Panicked,
}

impl Outcome {
    /// The word the table shows.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Compiled => "compiled",
            Outcome::Generated => "generated",
            Outcome::Declined => "diagnostic",
            Outcome::FailedToCompile => "FAILED TO COMPILE",
            Outcome::Panicked => "PANIC",
        }
    }

    /// Whether this outcome is a generator bug that must fail the run.
    pub fn is_failure(self) -> bool {
        matches!(self, Outcome::FailedToCompile | Outcome::Panicked)
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The spec, relative to the corpus folder.
    pub spec: String,
    /// Cargo package of its generated crate (empty when none was written).
    pub package: String,
    /// Operations in the IR.
    pub operations: usize,
    /// Named types in the IR.
    pub types: usize,
    /// Lines of generated Rust.
    pub lines: usize,
    /// Warnings the generator reported.
    pub warnings: usize,
    /// Wall time of load + IR + emit.
    pub generation: Duration,
    /// What happened.
    pub outcome: Outcome,
    /// The first diagnostic (generator or compiler), on one line.
    pub first_diagnostic: String,
    /// The tag feature of fewest operations, when the crate has tag features: the crate is also
    /// checked with only it and `client`, which proves the pruning leaves nothing dangling.
    pub smallest_tag: Option<String>,
    /// The crate is large (over [`LARGE_CRATE_LINES`]): it is checked with `client` only.
    pub client_only: bool,
}

/// Crates with more generated lines than this are checked with the `client` feature only: a
/// Stripe-sized crate with its server takes many minutes and gigabytes to check, and its
/// server adds no generator path the other crates do not already compile.
pub const LARGE_CRATE_LINES: usize = 400_000;

/// Where the corpus run reads and writes.
#[derive(Clone, Debug)]
pub struct Options {
    /// Folder of specs (searched recursively for `.yaml`, `.yml`, `.json`).
    pub specs: PathBuf,
    /// Folder for the generated workspace (`<out>/crates/<package>/`).
    pub out: PathBuf,
    /// The `specgen-runtime` crate the generated crates depend on.
    pub runtime: PathBuf,
    /// A `Cargo.lock` to start from, so the batch resolves the versions the project tests with.
    pub lockfile: Option<PathBuf>,
    /// Target folder for the batch (`<out>/target` when absent).
    pub target_dir: Option<PathBuf>,
    /// Run `cargo check` over the generated crates.
    pub compile: bool,
}

/// Every spec file under `dir`, sorted, as paths relative to it.
pub fn spec_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if path.is_dir() {
                // Build output (a target folder, or a corpus run's own output placed inside
                // the folder) is never a spec.
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name != "target" && !name.starts_with('.') && !path.join("Cargo.toml").exists() {
                    walk(&path, base, out)?;
                }
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                out.push(path.strip_prefix(base).unwrap_or(&path).to_path_buf());
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    found.sort();
    Ok(found)
}

/// A cargo package name for a spec path (`progenitor/nexus.json` → `corpus-progenitor-nexus`).
pub fn package_name(spec: &Path) -> String {
    let mut slug = String::new();
    for c in spec.with_extension("").to_string_lossy().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("corpus-{}", slug.trim_end_matches('-'))
}

/// Runs `work` on a thread with a deep stack (the largest real specs nest schemas deeply) and
/// turns a panic into its message and location instead of letting it print and unwind.
fn guarded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let captured: Arc<Mutex<Option<String>>> = Arc::default();
    let sink = Arc::clone(&captured);
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-text panic payload".into());
        if let Ok(mut slot) = sink.lock() {
            *slot = Some(format!("{message}{location}"));
        }
    }));
    let result = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || panic::catch_unwind(AssertUnwindSafe(work)))
        .map_err(|error| format!("cannot start the generator thread: {error}"))
        .and_then(|handle| handle.join().unwrap_or_else(Err).map_err(|_| String::new()));
    panic::set_hook(previous);
    result.map_err(|message| {
        if message.is_empty() {
            captured
                .lock()
                .ok()
                .and_then(|slot| slot.clone())
                .unwrap_or_else(|| "panic without a message".into())
        } else {
            message
        }
    })
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Generates every spec under `options.specs` into `options.out`, then (when asked) checks all
/// generated crates with one cargo invocation. Returns the rows in spec order.
pub fn run(options: &Options) -> Result<Vec<Entry>, String> {
    let specs = spec_files(&options.specs).map_err(|error| {
        format!(
            "cannot read the corpus folder {}: {error}",
            options.specs.display()
        )
    })?;
    if specs.is_empty() {
        return Err(format!(
            "the corpus folder {} holds no .yaml, .yml or .json file",
            options.specs.display()
        ));
    }
    let crates_dir = options.out.join("crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)
            .map_err(|e| format!("cannot clear {}: {e}", crates_dir.display()))?;
    }
    let runtime = std::path::absolute(&options.runtime)
        .map_err(|e| format!("cannot resolve {}: {e}", options.runtime.display()))?;
    if !runtime.join("Cargo.toml").is_file() {
        return Err(format!(
            "{} is not the specgen-runtime crate (no Cargo.toml); pass --runtime",
            runtime.display()
        ));
    }

    let mut entries = Vec::new();
    for spec in &specs {
        let display = options.specs.join(spec).display().to_string();
        let base = crates_dir.join(package_name(spec));
        let package = package_name(spec);
        let settings = CrateSettings {
            dir_name: package.clone(),
            package: package.clone(),
            lib_name: crate::ir::naming::snake(&package, "api"),
            runtime_dependency: format!("path = {:?}", runtime.display().to_string()),
            rust_version: "1.88".into(),
            tag_features: true,
        };
        let started = Instant::now();
        let path = options.specs.join(spec);
        let options = crate::Settings {
            tag_features: true,
            ..crate::Settings::default()
        };
        let generated =
            guarded(move || crate::generate_crate_at(&path, &display, settings, &base, &options));
        let generation = started.elapsed();
        let mut entry = Entry {
            spec: spec.display().to_string(),
            package: String::new(),
            operations: 0,
            types: 0,
            lines: 0,
            warnings: 0,
            generation,
            outcome: Outcome::Declined,
            first_diagnostic: String::new(),
            smallest_tag: None,
            client_only: false,
        };
        match generated {
            Err(panic) => {
                entry.outcome = Outcome::Panicked;
                entry.first_diagnostic = one_line(&panic);
            }
            Ok(Err(diagnostics)) => {
                // The reason for declining: the first error, not a warning before it.
                entry.first_diagnostic = diagnostics
                    .0
                    .iter()
                    .find(|d| d.severity == crate::diagnostic::Severity::Error)
                    .or(diagnostics.0.first())
                    .map(|d| one_line(&d.to_string()))
                    .unwrap_or_default();
            }
            Ok(Ok(generated)) => {
                for file in &generated.files {
                    if file.path.extension().is_some_and(|e| e == "rs") {
                        entry.lines += file.contents.lines().count();
                    }
                    if let Some(parent) = file.path.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                    }
                    std::fs::write(&file.path, &file.contents)
                        .map_err(|e| format!("cannot write {}: {e}", file.path.display()))?;
                }
                entry.package = package;
                entry.operations = generated.operations;
                entry.types = generated.types;
                entry.warnings = generated.warnings.len();
                entry.smallest_tag = generated
                    .tag_features
                    .iter()
                    .min_by_key(|feature| (feature.operations, feature.name.clone()))
                    .map(|feature| feature.name.clone());
                entry.first_diagnostic = generated
                    .warnings
                    .first()
                    .map(|d| one_line(&d.to_string()))
                    .unwrap_or_default();
                entry.client_only = entry.lines > LARGE_CRATE_LINES;
                entry.outcome = Outcome::Generated;
            }
        }
        entries.push(entry);
    }
    if options.compile {
        compile(options, &mut entries)?;
    }
    Ok(entries)
}

fn write_workspace(options: &Options, members: &[&str]) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `specgen corpus`: every generated crate of the corpus, checked in one batch.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(manifest, "    \"crates/{member}\",");
    }
    manifest.push_str("]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n");
    let path = options.out.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    if let Some(lockfile) = &options.lockfile
        && lockfile.is_file()
    {
        std::fs::copy(lockfile, options.out.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy {}: {e}", lockfile.display()))?;
    }
    Ok(())
}

/// Checks the generated crates in two cargo invocations: every crate with all features, then
/// every crate that has tag features with only its smallest tag and `client`. Each compiler error
/// is attributed to the crate whose manifest it names.
fn compile(options: &Options, entries: &mut [Entry]) -> Result<(), String> {
    let members: Vec<&str> = entries
        .iter()
        .filter(|e| e.outcome == Outcome::Generated)
        .map(|e| e.package.as_str())
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    write_workspace(options, &members)?;
    let mut whole_args = vec!["--workspace".to_string(), "--all-features".to_string()];
    let mut large = vec!["--no-default-features".to_string()];
    let mut large_features = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| e.outcome == Outcome::Generated && e.client_only)
    {
        whole_args.extend(["--exclude".into(), entry.package.clone()]);
        large.extend(["-p".into(), entry.package.clone()]);
        large_features.push(format!("{}/client", entry.package));
    }
    if !large_features.is_empty() {
        large.extend(["--features".into(), large_features.join(",")]);
        let checked = batch_check(options, &large)?;
        checked.attribute(entries, "with `client` only: ");
    }
    let whole = batch_check(options, &whole_args)?;
    whole.attribute(entries, "");

    let mut pruned_args = vec!["--no-default-features".to_string()];
    let mut features = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| e.outcome == Outcome::Compiled && !e.client_only)
    {
        if let Some(tag) = &entry.smallest_tag {
            pruned_args.extend(["-p".into(), entry.package.clone()]);
            features.push(format!("{0}/client,{0}/{tag}", entry.package));
        }
    }
    if features.is_empty() {
        return Ok(());
    }
    pruned_args.extend(["--features".into(), features.join(",")]);
    for entry in entries.iter_mut() {
        if entry.outcome == Outcome::Compiled && entry.smallest_tag.is_some() && !entry.client_only
        {
            entry.outcome = Outcome::Generated;
        }
    }
    let pruned = batch_check(options, &pruned_args)?;
    pruned.attribute(entries, "with only its smallest tag feature: ");
    Ok(())
}

/// What one batched `cargo check` said about each crate.
struct BatchOutcome {
    first_error: BTreeMap<String, String>,
    built: BTreeMap<String, bool>,
    cargo_failed: bool,
    stderr: String,
}

impl BatchOutcome {
    /// Marks every crate still `Generated` as compiled or failed; `context` prefixes errors.
    fn attribute(&self, entries: &mut [Entry], context: &str) {
        for entry in entries
            .iter_mut()
            .filter(|e| e.outcome == Outcome::Generated)
        {
            if let Some(error) = self.first_error.get(&entry.package) {
                entry.outcome = Outcome::FailedToCompile;
                entry.first_diagnostic = format!("{context}{error}");
            } else if self.built.contains_key(&entry.package) {
                entry.outcome = Outcome::Compiled;
            } else if self.cargo_failed {
                entry.outcome = Outcome::FailedToCompile;
                let error = self
                    .stderr
                    .lines()
                    .find(|line| line.starts_with("error"))
                    .map(one_line)
                    .unwrap_or_else(|| "cargo failed before compiling this crate".into());
                entry.first_diagnostic = format!("{context}{error}");
            }
        }
    }
}

/// Runs `cargo check --keep-going --message-format=json <args>` in the corpus workspace.
fn batch_check(options: &Options, args: &[String]) -> Result<BatchOutcome, String> {
    let target = options
        .target_dir
        .clone()
        .unwrap_or_else(|| options.out.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&options.out)
        .args(["check", "--keep-going", "--message-format=json"])
        // Generated code must build warning-free for users who deny warnings.
        .env("RUSTFLAGS", "-D warnings")
        .args(args)
        .arg("--target-dir")
        .arg(&target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut first_error: BTreeMap<String, String> = BTreeMap::new();
    let mut built: BTreeMap<String, bool> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(package) = message["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent())
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
        else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let text = message["message"]["message"].as_str().unwrap_or_default();
                let span = &message["message"]["spans"][0];
                let location = match (span["file_name"].as_str(), span["line_start"].as_u64()) {
                    (Some(file), Some(line)) => format!(" at {file}:{line}"),
                    _ => String::new(),
                };
                first_error
                    .entry(package.to_string())
                    .or_insert_with(|| one_line(&format!("{text}{location}")));
            }
            Some("compiler-artifact") => {
                built.insert(package.to_string(), true);
            }
            _ => {}
        }
    }
    Ok(BatchOutcome {
        first_error,
        built,
        cargo_failed: !output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// The table printed by `specgen corpus`, then a one-line summary.
pub fn render(entries: &[Entry]) -> String {
    let width = entries
        .iter()
        .map(|e| e.spec.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut table = format!(
        "{:<width$}  {:>5}  {:>5}  {:>7}  {:>8}  {:<17}  first diagnostic\n",
        "spec", "ops", "types", "lines", "gen ms", "outcome"
    );
    for entry in entries {
        let mut diagnostic = entry.first_diagnostic.clone();
        if diagnostic.chars().count() > 200 {
            diagnostic = diagnostic.chars().take(199).collect::<String>() + "…";
        }
        let _ = writeln!(
            table,
            "{:<width$}  {:>5}  {:>5}  {:>7}  {:>8}  {:<17}  {}",
            entry.spec,
            entry.operations,
            entry.types,
            entry.lines,
            entry.generation.as_millis(),
            if entry.client_only && entry.outcome == Outcome::Compiled {
                "compiled (client)"
            } else {
                entry.outcome.label()
            },
            diagnostic
        );
    }
    let count = |outcome| entries.iter().filter(|e| e.outcome == outcome).count();
    let tagged = entries
        .iter()
        .filter(|e| e.outcome == Outcome::Compiled && e.smallest_tag.is_some())
        .count();
    let _ = writeln!(
        table,
        "\n{} specs: {} compiled ({} of them also with only their smallest tag feature), \
         {} generated (not compiled), {} declined with a diagnostic, {} failed to compile, \
         {} panicked",
        entries.len(),
        count(Outcome::Compiled),
        tagged,
        count(Outcome::Generated),
        count(Outcome::Declined),
        count(Outcome::FailedToCompile),
        count(Outcome::Panicked)
    );
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_valid_cargo_names() {
        assert_eq!(
            package_name(Path::new("progenitor/nexus.json")),
            "corpus-progenitor-nexus"
        );
        assert_eq!(
            package_name(Path::new("oapi-codegen/spec-base.yaml")),
            "corpus-oapi-codegen-spec-base"
        );
        assert_eq!(package_name(Path::new("9 lives!.yml")), "corpus-9-lives");
    }

    #[test]
    fn a_panic_is_reported_with_its_message_not_propagated() {
        let caught = guarded(|| -> usize { panic!("boom {}", 42) });
        let message = caught.expect_err("the panic is caught");
        assert!(message.starts_with("boom 42 at "), "{message}");
        assert_eq!(guarded(|| 7), Ok(7));
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let options = Options {
            specs: PathBuf::from("/nonexistent/peer-specs"),
            out: std::env::temp_dir().join("specgen-corpus-missing"),
            runtime: PathBuf::from("."),
            lockfile: None,
            target_dir: None,
            compile: false,
        };
        let error = run(&options).expect_err("no such folder");
        assert!(error.contains("/nonexistent/peer-specs"), "{error}");
    }
}
