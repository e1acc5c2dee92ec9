//! specgen: OpenAPI 3.0 specs → typed Rust crates.
//!
//! The pipeline is `load` (text → `openapiv3` + raw JSON, every `$ref` checked) → `ir` (plain
//! data, all names final) → `emit` (tokens → formatted files). The CLI, the proc-macro and the
//! tests all go through [`generate_crate`] / [`expand_inline`], so they cannot disagree.
//!
//! ```no_run
//! let files = specgen::generate_workspace(std::path::Path::new(".")).expect("specs are valid");
//! for file in &files {
//!     println!("{} ({} bytes)", file.path.display(), file.contents.len());
//! }
//! ```

pub mod corpus;
pub mod diagnostic;
pub mod emit;
mod generator;
pub mod ir;
pub mod load;
pub mod plan;
pub mod standalone;
pub mod validate;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use diagnostic::{Diagnostic, Diagnostics};
use emit::CrateSettings;
pub use generator::Generator;

/// A file the generator writes, relative to the workspace root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the root (`generated/local-payments/src/types.rs`).
    pub path: PathBuf,
    /// Full contents.
    pub contents: String,
}

/// What generating one spec produced.
#[derive(Debug)]
pub struct GeneratedCrate {
    /// The files of `generated/<stem>/`.
    pub files: Vec<GeneratedFile>,
    /// The crate's names.
    pub settings: CrateSettings,
    /// The spec's path as given (`specs/local-payments.yaml`).
    pub spec: String,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Operations of the API.
    pub operations: usize,
    /// Named types of the API.
    pub types: usize,
    /// The crate's tag features (empty unless asked for and the API has two tags or more).
    pub tag_features: Vec<ir::TagFeature>,
}

/// What to generate from a spec, beyond the spec itself: one type for the CLI's `generate SPEC`
/// flags, the `build.rs` [`Generator`] and `generate!("x.yaml", …)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// One Cargo feature per operation tag (`tag-<name>`, all on by default). Inline, the
    /// invoking crate declares those features.
    pub tag_features: bool,
    /// Only these operations (by `operationId`) and the types they reach; empty: all.
    pub operations: Vec<String>,
    /// The optional modules of an inline expansion (`generate!`, [`Generator`]). A generated
    /// crate always has all of them, each behind the Cargo feature of its name.
    pub modules: InlineModules,
}

/// The optional modules (`client`, `server`, `schema`, `conformance`) an inline expansion holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InlineModules {
    /// Every one, each behind the invoking crate's Cargo feature of its name (`[features]
    /// client = [] …` declared by that crate), as in a generated crate.
    Features,
    /// These, compiled in unconditionally: the invoking crate declares no features. `types`,
    /// `operations` and `events` are always there; `server` and `conformance` bring `schema`.
    Only(Vec<&'static str>),
}

impl Default for InlineModules {
    /// `client` and `server` (and so `schema`).
    fn default() -> Self {
        InlineModules::Only(vec!["client", "server", "schema"])
    }
}

/// The optional modules, by name.
pub const OPTIONAL_MODULES: [&str; 4] = ["client", "server", "schema", "conformance"];

impl InlineModules {
    /// The modules named (`["client"]`), with what they need; `Err` names an unknown module.
    pub fn only<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        let mut chosen = Vec::new();
        for name in names {
            let name = name.as_ref();
            let Some(&module) = OPTIONAL_MODULES.iter().find(|m| **m == name) else {
                return Err(format!(
                    "unknown module `{name}` (expected some of {})",
                    OPTIONAL_MODULES.map(|m| format!("`{m}`")).join(", ")
                ));
            };
            let needs_schema = matches!(module, "server" | "conformance");
            for needed in [Some(module), needs_schema.then_some("schema")]
                .into_iter()
                .flatten()
            {
                if !chosen.contains(&needed) {
                    chosen.push(needed);
                }
            }
        }
        chosen.sort_by_key(|m| OPTIONAL_MODULES.iter().position(|o| o == m));
        Ok(InlineModules::Only(chosen))
    }

    /// How the emitters gate code that needs these modules.
    fn gating(&self) -> plan::Gating {
        match self {
            InlineModules::Features => plan::Gating::Features,
            InlineModules::Only(chosen) => plan::Gating::Chosen(chosen.clone()),
        }
    }
}

impl Settings {
    /// Applies the settings to a freshly built IR; `Err` for operations the spec does not have.
    fn apply(&self, api: &mut ir::Api, display: &str) -> Result<(), Diagnostics> {
        if !self.operations.is_empty() {
            ir::select_operations(api, &self.operations)
                .map_err(|message| Diagnostics::from(Diagnostic::error(display, "", message)))?;
        }
        if self.tag_features {
            ir::gate_by_tag(api);
        }
        Ok(())
    }
}

/// Folder of the specs, relative to the workspace root.
pub const SPECS_DIR: &str = "specs";
/// Folder of the generated crates, relative to the workspace root.
pub const GENERATED_DIR: &str = "generated";
/// The generated crate that lists every other one (for the workspace's own tests).
pub const REGISTRY_DIR: &str = "all-apis";

/// Loads a spec and builds its IR; `display` names the file in diagnostics and headers.
pub fn load_api(path: &Path, display: &str) -> Result<(ir::Api, Vec<Diagnostic>), Diagnostics> {
    let spec = load::load_file(path, display)?;
    ir::build(&spec)
}

/// Generated files are formatted by prettyplease; `cargo fmt` must leave them alone so that
/// `specgen check` stays meaningful.
struct SkipRustfmt;

impl quote::ToTokens for SkipRustfmt {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
    }
}

const SKIP_RUSTFMT: SkipRustfmt = SkipRustfmt;

fn header(spec: &str) -> String {
    format!(
        "// @generated by specgen from {spec} — do not edit; run `specgen generate` instead.\n\n"
    )
}

/// Generates the crate for one spec. `spec` is relative to `root` (e.g. `specs/x.yaml`).
pub fn generate_crate(root: &Path, spec: &str) -> Result<GeneratedCrate, Diagnostics> {
    let stem = Path::new(spec)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("api")
        .to_string();
    let settings = CrateSettings::for_stem(&stem);
    let base = PathBuf::from(GENERATED_DIR).join(&settings.dir_name);
    generate_crate_at(
        &root.join(spec),
        spec,
        settings,
        &base,
        &Settings::default(),
    )
}

/// Generates the crate for the spec at `path` (named `display` in diagnostics and headers) with
/// explicit crate settings, its files placed under `base`.
pub fn generate_crate_at(
    path: &Path,
    display: &str,
    settings: CrateSettings,
    base: &Path,
    options: &Settings,
) -> Result<GeneratedCrate, Diagnostics> {
    let spec = display;
    let (mut api, warnings) = load_api(path, spec)?;
    options.apply(&mut api, spec)?;
    let emitter_bug = |message: String| Diagnostics::from(Diagnostic::error(spec, "", message));

    let mut files = vec![
        GeneratedFile {
            path: base.join("Cargo.toml"),
            contents: emit::cargo_toml(&api, &settings).map_err(emitter_bug)?,
        },
        GeneratedFile {
            path: base.join("README.md"),
            contents: emit::readme(&api, &settings).map_err(emitter_bug)?,
        },
    ];
    let modules = emit::modules(&api);
    let declarations = modules.iter().map(|module| {
        let name = format_ident!("{}", module.name);
        let cfg = module
            .feature
            .map(|feature| quote!(#[cfg(feature = #feature)]));
        quote!(#cfg pub mod #name;)
    });
    let root_items = emit::root_items(&api);
    let lib = emit::format_file(
        quote! { #SKIP_RUSTFMT #root_items #(#declarations)* },
        "lib.rs",
    )
    .map_err(emitter_bug)?;
    files.push(GeneratedFile {
        path: base.join("src/lib.rs"),
        contents: header(spec) + &lib,
    });
    let plan = plan::plan(&api, plan::Gating::Features);
    for (module, body) in modules.iter().zip(format_modules(&plan, &modules)) {
        files.push(GeneratedFile {
            path: base.join(format!("src/{}.rs", module.name)),
            contents: header(spec) + &body.map_err(emitter_bug)?,
        });
    }
    let example = emit::mock_example(&api, &settings.lib_name);
    let example = emit::format_file(quote! { #SKIP_RUSTFMT #example }, "examples/mock.rs")
        .map_err(emitter_bug)?;
    files.push(GeneratedFile {
        path: base.join("examples/mock.rs"),
        contents: header(spec) + &example,
    });
    Ok(GeneratedCrate {
        files,
        settings,
        spec: spec.to_string(),
        warnings,
        operations: api.operations.len(),
        types: api.types.len(),
        tag_features: api.tag_features,
    })
}

/// Emits and formats every module, on as many threads as there are cores: the big modules of
/// a large spec (server, client) take most of the generation time and are independent.
fn format_modules(plan: &plan::Plan<'_>, modules: &[emit::Module]) -> Vec<Result<String, String>> {
    let format_one = |module: &emit::Module| {
        let docs = format!(" {}", module.docs);
        let items = (module.emit)(plan);
        emit::format_file(quote! { #SKIP_RUSTFMT #![doc = #docs] #items }, module.name)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(modules.len());
    if workers <= 1 {
        return modules.iter().map(format_one).collect();
    }
    // Largest first, so no core is left with the server module at the end.
    let mut order: Vec<usize> = (0..modules.len()).collect();
    order.sort_by_key(|&i| match modules[i].name {
        "server" => 0,
        "client" => 1,
        "schema" => 2,
        _ => 3,
    });
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; modules.len()]);
    let work = || {
        loop {
            let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&index) = order.get(taken) else {
                break;
            };
            let module = &modules[index];
            let formatted = format_one(module);
            results.lock().unwrap_or_else(|p| p.into_inner())[index] = Some(formatted);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            // Deeply nested generated expressions recurse deeply in the formatter.
            let spawned = std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                break; // the calling thread still does all the work
            }
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("a module was not formatted".into())))
        .collect()
}

/// specgen's own conformance checks for the crate generated from the spec at `path`: the items
/// of a module that sits beside re-exports of that crate's modules (it names them `super::…`).
/// The workspace's `all-apis` crate writes them from its build script, so the generated crates
/// users depend on do not carry them.
pub fn conformance_source(path: &Path, display: &str) -> Result<String, Diagnostics> {
    let (api, _warnings) = load_api(path, display)?;
    let every_module = plan::Gating::Chosen(OPTIONAL_MODULES.to_vec());
    let plan = plan::plan(&api, every_module);
    let items = (emit::conformance_module().emit)(&plan);
    emit::format_file(items, "conformance")
        .map(|body| header(display) + &body)
        .map_err(|message| Diagnostics::from(Diagnostic::error(display, "", message)))
}

/// What `generate!` expands to for a spec (modules inline), reporting failures as diagnostics.
pub fn expand_inline(
    path: &Path,
    display: &str,
    settings: &Settings,
) -> Result<TokenStream, Diagnostics> {
    expand_inline_with_warnings(path, display, settings).map(|(items, _)| items)
}

/// [`expand_inline`] and the spec's warnings.
pub fn expand_inline_with_warnings(
    path: &Path,
    display: &str,
    settings: &Settings,
) -> Result<(TokenStream, Vec<Diagnostic>), Diagnostics> {
    let (mut api, warnings) = load_api(path, display)?;
    settings.apply(&mut api, display)?;
    Ok((
        emit::inline_crate(&api, &settings.modules.gating()),
        warnings,
    ))
}

/// Every spec under `root/specs`, sorted (`.yaml`, `.yml` and `.json`).
pub fn spec_files(root: &Path) -> Result<Vec<String>, Diagnostics> {
    let dir = root.join(SPECS_DIR);
    let entries = std::fs::read_dir(&dir).map_err(|error| {
        Diagnostic::error(
            SPECS_DIR,
            "",
            format!("cannot list the specs folder {}: {error}", dir.display()),
        )
    })?;
    let mut specs: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
        .map(|name| format!("{SPECS_DIR}/{name}"))
        .collect();
    specs.sort();
    Ok(specs)
}

/// Every file `specgen generate` writes for the workspace at `root`: one crate per spec plus
/// the registry crate. All specs are tried; the diagnostics of every failing one are returned.
pub fn generate_workspace(root: &Path) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let (files, _warnings) = generate_workspace_with_warnings(root)?;
    Ok(files)
}

/// [`generate_workspace`], also returning warnings.
pub fn generate_workspace_with_warnings(
    root: &Path,
) -> Result<(Vec<GeneratedFile>, Vec<Diagnostic>), Diagnostics> {
    let mut crates = Vec::new();
    let mut errors = Vec::new();
    for spec in spec_files(root)? {
        match generate_crate(root, &spec) {
            Ok(generated) => crates.push(generated),
            Err(diagnostics) => errors.extend(diagnostics.0),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let registry = registry_files(&crates)
        .map_err(|message| Diagnostics::from(Diagnostic::error(GENERATED_DIR, "", message)))?;
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    for generated in crates {
        warnings.extend(generated.warnings);
        files.extend(generated.files);
    }
    files.extend(registry);
    Ok((files, warnings))
}

/// The `all-apis` crate: depends on every generated crate and lists them, so workspace tests
/// cover a new spec without new test code. Its build script generates each crate's conformance
/// checks (`conformance_source`) into a module beside re-exports of that crate.
fn registry_files(crates: &[GeneratedCrate]) -> Result<Vec<GeneratedFile>, String> {
    let base = PathBuf::from(GENERATED_DIR).join(REGISTRY_DIR);
    let mut cargo = String::from(
        "# @generated by specgen — do not edit; run `specgen generate` instead.\n\
         # Lists every generated crate, for the workspace's conformance tests.\n\
         [package]\nname = \"specgen-all-apis\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.88\"\n\
         license = \"MIT OR Apache-2.0\"\npublish = false\n\n[dependencies]\nserde_json = \"1\"\nspecgen-runtime = { path = \"../../runtime\", features = [\"client\", \"server\"] }\n",
    );
    for generated in crates {
        cargo.push_str(&format!(
            "{} = {{ path = \"../{}\", features = [\"client\", \"server\"] }}\n",
            generated.settings.package, generated.settings.dir_name
        ));
    }
    cargo.push_str(
        "\n[build-dependencies]\n# Generates each crate's conformance checks (build.rs).\nspecgen = { path = \"../../codegen\" }\n",
    );
    let modules = crates.iter().map(|generated| {
        let lib = format_ident!("{}", generated.settings.lib_name);
        let file = format!("/{}.rs", generated.settings.lib_name);
        let docs = format!(
            " `{}` and its conformance checks, generated at build time from `{}`.",
            generated.settings.lib_name, generated.spec
        );
        quote! {
            #[doc = #docs]
            pub mod #lib {
                pub use ::#lib::*;
                /// Documented bodies decoded and encoded back; every operation called client → mock.
                pub mod conformance {
                    include!(concat!(env!("OUT_DIR"), #file));
                }
            }
        }
    });
    let entries = crates.iter().map(|generated| {
        let spec = &generated.spec;
        let lib = format_ident!("{}", generated.settings.lib_name);
        let name = &generated.settings.lib_name;
        quote! {
            GeneratedApi {
                spec: #spec,
                crate_name: #name,
                round_trip: self::#lib::conformance::round_trip,
                debug: self::#lib::conformance::debug,
                mock_router: self::#lib::conformance::mock_router,
                exercise: self::#lib::conformance::exercise_boxed,
            },
        }
    });
    let tokens = quote! {
        #SKIP_RUSTFMT
        //! Every crate generated from `specs/`, for tests that must cover each spec.

        #(#modules)*

        /// One generated crate.
        pub struct GeneratedApi {
            /// The spec it was generated from, relative to the workspace root.
            pub spec: &'static str,
            /// The crate's library name.
            pub crate_name: &'static str,
            /// Its `conformance::round_trip`.
            pub round_trip: RoundTrip,
            /// Its `conformance::debug`.
            pub debug: DebugBody,
            /// A router serving its `MockApi`.
            pub mock_router: fn() -> ::specgen_runtime::server::axum::Router,
            /// Calls every operation through its client against a base URL.
            pub exercise: Exercise,
        }

        /// Renders a documented body's `Debug` form (owner, role, media type, JSON).
        pub type DebugBody = fn(&str, &str, &str, &::serde_json::Value) -> ::std::option::Option<::std::result::Result<::std::string::String, ::std::string::String>>;

        /// Calls every operation of one API through its client against a base URL.
        pub type Exercise = fn(::std::string::String) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::vec::Vec<::specgen_runtime::Exercised>> + ::std::marker::Send>>;

        /// Decodes a documented body (owner, role, media type, JSON) into its generated type and back.
        pub type RoundTrip = fn(&str, &str, &str, &::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>>;

        /// Every generated crate, in spec file order.
        pub const APIS: &[GeneratedApi] = &[#(#entries)*];
    };
    let lib = emit::format_file(tokens, "all-apis")?;
    let specs = crates.iter().map(|generated| {
        let spec = &generated.spec;
        let name = &generated.settings.lib_name;
        quote!((#spec, #name),)
    });
    let build = quote! {
        #SKIP_RUSTFMT
        //! Writes the conformance checks of every generated crate into `OUT_DIR`, from the specs
        //! they were generated from (paths relative to the workspace root).

        const SPECS: &[(&str, &str)] = &[#(#specs)*];

        fn main() {
            let manifest_dir = ::std::path::PathBuf::from(::std::env!("CARGO_MANIFEST_DIR"));
            let root = manifest_dir.join("../..");
            let Some(out_dir) = ::std::env::var_os("OUT_DIR").map(::std::path::PathBuf::from) else {
                ::std::eprintln!("error: OUT_DIR is not set (run through cargo)");
                ::std::process::exit(1);
            };
            for (spec, lib_name) in SPECS {
                let path = root.join(spec);
                ::std::println!("cargo:rerun-if-changed={}", path.display());
                let written = ::specgen::conformance_source(&path, spec)
                    .map_err(|diagnostics| diagnostics.to_string())
                    .and_then(|source| {
                        ::std::fs::write(out_dir.join(::std::format!("{lib_name}.rs")), source)
                            .map_err(|error| error.to_string())
                    });
                if let ::std::result::Result::Err(message) = written {
                    ::std::eprintln!("error: conformance checks of {spec}: {message}");
                    ::std::process::exit(1);
                }
            }
        }
    };
    let build = emit::format_file(build, "all-apis build.rs")?;
    Ok(vec![
        GeneratedFile {
            path: base.join("Cargo.toml"),
            contents: cargo,
        },
        GeneratedFile {
            path: base.join("build.rs"),
            contents: header("every spec in specs/") + &build,
        },
        GeneratedFile {
            path: base.join("src/lib.rs"),
            contents: header("every spec in specs/") + &lib,
        },
    ])
}

/// A file under `generated/` that differs from what `generate` would write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleFile {
    /// Path relative to the root.
    pub path: PathBuf,
    /// Why it is stale.
    pub reason: &'static str,
}

/// Compares `generated/` with what `generate` would write.
pub fn check_workspace(root: &Path) -> Result<Vec<StaleFile>, Diagnostics> {
    let expected = generate_workspace(root)?;
    let mut stale = Vec::new();
    for file in &expected {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(contents) if contents == file.contents => {}
            Ok(_) => stale.push(StaleFile {
                path: file.path.clone(),
                reason: "differs from the generator's output",
            }),
            Err(_) => stale.push(StaleFile {
                path: file.path.clone(),
                reason: "missing",
            }),
        }
    }
    let mut on_disk = Vec::new();
    list_files(&root.join(GENERATED_DIR), &mut on_disk);
    for path in on_disk {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if !expected.iter().any(|file| file.path == relative) {
            stale.push(StaleFile {
                path: relative,
                reason: "not produced by any spec",
            });
        }
    }
    stale.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(stale)
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "target" {
                list_files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// Writes files under `root`, creating folders; removes generated crates whose spec is gone.
pub fn write_files(root: &Path, files: &[GeneratedFile]) -> std::io::Result<()> {
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == file.contents);
        if !unchanged {
            std::fs::write(&path, &file.contents)?;
        }
    }
    let mut on_disk = Vec::new();
    list_files(&root.join(GENERATED_DIR), &mut on_disk);
    for path in on_disk {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if !files.iter().any(|file| file.path == relative) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
