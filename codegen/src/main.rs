//! The `specgen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use specgen::diagnostic::Diagnostic;

/// Turns the OpenAPI specs under `specs/` into typed Rust crates under `generated/`.
#[derive(Parser)]
#[command(name = "specgen", version, about)]
struct Cli {
    /// Workspace root holding `specs/` and `generated/`.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from every spec in `specs/` (byte-for-byte deterministic), or,
    /// given SPEC, generate that one spec into its own crate folder.
    Generate {
        /// One OpenAPI document to generate on its own (anywhere on disk).
        spec: Option<PathBuf>,
        /// Crate folder for SPEC [default: generated/<spec stem>].
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Cargo package name for SPEC [default: the spec's file stem].
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// One Cargo feature per operation tag (`tag-<name>`, all on by default), so users of a
        /// large API compile only the operations they call and the types those use.
        #[arg(long, requires = "spec")]
        tag_features: bool,
        /// Generate only this operation (by `operationId`) and the types it reaches; repeat for
        /// several. For calling a few operations of a huge API.
        #[arg(long = "operation", value_name = "OPERATION_ID", requires = "spec")]
        operations: Vec<String>,
        /// Where the crate gets `specgen-runtime`: `vendored` (a copy inside the crate folder,
        /// which then builds wherever it is moved), `path=<dir>` (written relative to the crate
        /// folder) or `version=<requirement>` (a registry) [default: a relative path when OUT is
        /// inside the specgen checkout, `vendored` anywhere else].
        #[arg(long, value_name = "SOURCE", requires = "spec")]
        runtime: Option<specgen::standalone::RuntimeSource>,
        /// Exit 1 when there are warnings (the files are still written).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Exit 1 and list stale files when `generated/` differs from what `generate` would write.
    Check,
    /// Generate every spec of a folder (recursively) into one throwaway workspace, check all the
    /// crates with a single `cargo check`, and print a table of outcomes. Exits 1 when the
    /// generator panicked or wrote code that does not compile; declined specs are not failures.
    Corpus {
        /// Folder of OpenAPI documents (`.yaml`, `.yml`, `.json`).
        dir: PathBuf,
        /// Where the generated workspace goes.
        #[arg(long, default_value = "target/corpus")]
        out: PathBuf,
        /// Target folder of the batched check [default: <OUT>/target].
        #[arg(long)]
        target_dir: Option<PathBuf>,
        /// Generate only; skip `cargo check`.
        #[arg(long)]
        no_compile: bool,
    },
    /// Report the diagnostics of spec files without writing anything.
    Lint {
        /// Spec files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Exit 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}\n");
    }
}

/// The exit code of a run that succeeded with `warnings` warnings: a failure under
/// `--deny-warnings`, so that CI can hold specs to a clean lint.
fn warnings_outcome(warnings: usize, deny_warnings: bool) -> ExitCode {
    if deny_warnings && warnings > 0 {
        let plural = if warnings == 1 { "" } else { "s" };
        eprintln!("error: {warnings} warning{plural} and --deny-warnings");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            spec: Some(spec),
            out,
            name,
            tag_features,
            operations,
            runtime,
            deny_warnings,
        } => {
            let stem = name.unwrap_or_else(|| {
                spec.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "api".into())
            });
            let out = out.unwrap_or_else(|| cli.root.join(specgen::GENERATED_DIR).join(&stem));
            let settings = specgen::Settings {
                tag_features,
                operations,
                ..specgen::Settings::default()
            };
            match specgen::standalone::generate(&specgen::standalone::Standalone {
                spec: &spec,
                out: &out,
                package: &stem,
                runtime: runtime.as_ref(),
                checkout: &cli.root,
                settings: &settings,
            }) {
                Ok(generated) => {
                    print_warnings(&generated.warnings);
                    eprintln!(
                        "generated {} ({} operations, {} types) into {}",
                        generated.settings.package,
                        generated.operations,
                        generated.types,
                        out.display()
                    );
                    warnings_outcome(generated.warnings.len(), deny_warnings)
                }
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Generate {
            spec: None,
            deny_warnings,
            ..
        } => match specgen::generate_workspace_with_warnings(&cli.root) {
            Ok((files, warnings)) => {
                print_warnings(&warnings);
                if let Err(error) = specgen::write_files(&cli.root, &files) {
                    eprintln!("error: cannot write generated files: {error}");
                    return ExitCode::FAILURE;
                }
                eprintln!(
                    "generated {} files under {}/",
                    files.len(),
                    specgen::GENERATED_DIR
                );
                warnings_outcome(warnings.len(), deny_warnings)
            }
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                ExitCode::FAILURE
            }
        },
        Command::Check => match specgen::check_workspace(&cli.root) {
            Ok(stale) if stale.is_empty() => {
                eprintln!("{}/ is up to date", specgen::GENERATED_DIR);
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                eprintln!(
                    "{}/ is stale; run `cargo run -p specgen -- generate` and commit the result:",
                    specgen::GENERATED_DIR
                );
                for file in stale {
                    eprintln!("  {} ({})", file.path.display(), file.reason);
                }
                ExitCode::FAILURE
            }
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                ExitCode::FAILURE
            }
        },
        Command::Corpus {
            dir,
            out,
            target_dir,
            no_compile,
        } => {
            let options = specgen::corpus::Options {
                specs: dir,
                out,
                runtime: cli.root.join("runtime"),
                lockfile: Some(cli.root.join("Cargo.lock")),
                target_dir,
                compile: !no_compile,
            };
            match specgen::corpus::run(&options) {
                Ok(entries) => {
                    print!("{}", specgen::corpus::render(&entries));
                    if entries.iter().any(|e| e.outcome.is_failure()) {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Lint {
            files,
            deny_warnings,
        } => {
            let mut failed = false;
            let mut warning_count = 0;
            for file in files {
                let display = file.display().to_string();
                match specgen::load_api(&file, &display) {
                    Ok((api, warnings)) => {
                        print_warnings(&warnings);
                        eprintln!(
                            "{display}: ok ({} operations, {} types, {} warnings)",
                            api.operations.len(),
                            api.types.len(),
                            warnings.len()
                        );
                        warning_count += warnings.len();
                    }
                    Err(diagnostics) => {
                        failed = true;
                        eprintln!("{diagnostics}\n");
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                warnings_outcome(warning_count, deny_warnings)
            }
        }
    }
}
