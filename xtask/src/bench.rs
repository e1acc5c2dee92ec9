//! The benchmark run: every figure is a median of several runs, reported beside the reference
//! measured in the same run, as a ratio.

use std::fmt::Write as _;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROGENITOR_VERSION: &str = "0.15.1";
const GENERATED_PORT: u16 = 18181;
const HANDWRITTEN_PORT: u16 = 18182;
/// Sequential requests per client run.
const CLIENT_REQUESTS: usize = 2000;

/// The parts of the run, in order; `--only` picks some.
const SECTIONS: [&str; 6] = [
    "generation",
    "compilation",
    "baseline",
    "tags",
    "http",
    "idempotency",
];
/// The commit `--only baseline` compares with unless `--baseline REV` says otherwise: the last
/// one before the lean-output work.
const DEFAULT_BASELINE: &str = "8dff11e";
const IDEMPOTENT_PORT: u16 = 18183;
const IDEMPOTENT_REDIS_PORT: u16 = 18184;
const BENCH_REDIS_PORT: u16 = 18185;

pub struct Options {
    runs: usize,
    http_seconds: u64,
    /// Sections to run (all when empty).
    only: Vec<String>,
    /// The earlier commit the `baseline` section builds and compares with.
    baseline: String,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            runs: 5,
            http_seconds: 10,
            only: Vec::new(),
            baseline: DEFAULT_BASELINE.to_string(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| {
                args.next()
                    .and_then(|value| value.parse::<u64>().ok())
                    .filter(|value| *value > 0)
                    .ok_or_else(|| format!("{name} needs a positive number"))
            };
            match arg.as_str() {
                "--runs" => options.runs = number("--runs")? as usize,
                "--http-seconds" => options.http_seconds = number("--http-seconds")?,
                "--only" => {
                    let list = args.next().ok_or("--only needs a list of sections")?;
                    for section in list.split(',') {
                        if !SECTIONS.contains(&section) {
                            return Err(format!(
                                "unknown section `{section}` (sections: {})",
                                SECTIONS.join(", ")
                            ));
                        }
                        options.only.push(section.to_string());
                    }
                }
                "--baseline" => {
                    options.baseline = args.next().ok_or("--baseline needs a commit")?.clone();
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(options)
    }
}

/// One timed command: wall seconds, peak resident memory of the largest process it ran, and
/// how it ended.
struct Measured {
    seconds: f64,
    peak_mb: f64,
    success: bool,
    stderr: String,
}

/// A Markdown section: heading, header row, rows.
fn table(report: &mut String, heading: &str, columns: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(report, "## {heading}\n");
    let _ = writeln!(report, "| {} |", columns.join(" | "));
    let _ = writeln!(report, "|{}", "---|".repeat(columns.len()));
    for row in rows {
        let _ = writeln!(report, "| {} |", row.join(" | "));
    }
    let _ = writeln!(report);
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn program_exists(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_quietly(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs `command` under GNU time (for the peak memory) and times it.
fn measure(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &str)],
) -> Result<Measured, String> {
    let memory_file = dir.join(".peak-kb");
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&memory_file)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_kb: f64 = std::fs::read_to_string(&memory_file)
        .ok()
        .and_then(|text| text.lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(f64::NAN);
    Ok(Measured {
        seconds,
        peak_mb: peak_kb / 1024.0,
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Installs what the run needs and is missing: GNU time and wrk (Debian), cargo-progenitor
/// (crates.io). Returns the cargo-progenitor binary.
fn ensure_tools(need_progenitor: bool) -> Result<PathBuf, String> {
    let missing: Vec<&str> = [("/usr/bin/time", "time"), ("wrk", "wrk")]
        .into_iter()
        .filter(|(program, _)| !program_exists(program))
        .map(|(_, package)| package)
        .collect();
    if !missing.is_empty() {
        eprintln!("installing {} with apt-get", missing.join(", "));
        run_quietly(
            Command::new("apt-get")
                .args(["install", "-y"])
                .args(&missing),
            "apt-get install (run as root, or install the packages first)",
        )?;
    }
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map_err(|_| "neither CARGO_HOME nor HOME is set".to_string())?;
    let progenitor = home.join("bin/cargo-progenitor");
    let wanted = format!("cargo-progenitor v{PROGENITOR_VERSION}:");
    let installed = !need_progenitor
        || progenitor.is_file()
            && Command::new("cargo")
                .args(["install", "--list"])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(&wanted));
    if !installed {
        eprintln!(
            "installing cargo-progenitor {PROGENITOR_VERSION} from crates.io (a few minutes)"
        );
        run_quietly(
            Command::new("cargo").args([
                "install",
                "cargo-progenitor",
                "--version",
                PROGENITOR_VERSION,
                "--locked",
            ]),
            "cargo install cargo-progenitor",
        )?;
    }
    Ok(progenitor)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(String::new, |kb| {
            format!(", {:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores{memory}; {rustc}")
}

fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

fn fresh_dir(path: &Path) -> Result<(), String> {
    if path.exists() {
        std::fs::remove_dir_all(path)
            .map_err(|e| format!("cannot clear {}: {e}", path.display()))?;
    }
    std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

/// The first line that explains a failure (a panic message when there is one).
fn failure_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.contains("panicked"))
        .or_else(|| stderr.lines().rfind(|l| !l.trim().is_empty()))
        .unwrap_or("no output")
        .trim()
        .to_string()
}

struct Paths {
    root: PathBuf,
    work: PathBuf,
    specgen: PathBuf,
    progenitor: PathBuf,
}

pub fn run(options: &Options) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("xtask has no parent folder")?
        .to_path_buf();
    let peer = root.join("../shared/peer-specs/progenitor");
    if !peer.join("nexus.json").is_file() {
        return Err(format!(
            "{} is missing: the benchmarks need ../shared beside the checkout",
            peer.display()
        ));
    }
    let wanted =
        |section: &str| options.only.is_empty() || options.only.iter().any(|s| s == section);
    let progenitor = ensure_tools(
        ["generation", "compilation", "tags"]
            .into_iter()
            .any(wanted),
    )?;
    eprintln!("building specgen (release)");
    run_quietly(
        Command::new("cargo")
            .args(["build", "--release", "-q", "-p", "specgen"])
            .current_dir(&root),
        "cargo build -p specgen",
    )?;
    let paths = Paths {
        specgen: root.join("target/release/specgen"),
        work: root.join("target/bench"),
        root,
        progenitor,
    };
    if options.only.is_empty() {
        fresh_dir(&paths.work)?;
    } else {
        // Each section clears its own folders.
        std::fs::create_dir_all(&paths.work).map_err(|e| e.to_string())?;
    }

    let mut report = String::new();
    let _ = writeln!(report, "Machine: {}.", machine());
    let _ = writeln!(
        report,
        "Medians of {} runs; ratios are specgen ÷ reference (below 1 is faster for times, above 1 is better for throughput).\n",
        options.runs
    );
    if wanted("generation") {
        generation(&paths, &peer, options, &mut report)?;
    }
    if wanted("compilation") {
        compilation(&paths, &peer, options, &mut report)?;
    }
    if wanted("baseline") {
        baseline(&paths, &peer, options, &mut report)?;
    }
    if wanted("tags") {
        tag_selection(&paths, &peer, options, &mut report)?;
    }
    if wanted("http") {
        http(&paths, options, &mut report)?;
    }
    if wanted("idempotency") {
        idempotency(&paths, options, &mut report)?;
    }

    let file = paths.work.join("report.md");
    std::fs::write(&file, &report).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    print!("{report}");
    eprintln!("(also written to {})", file.display());
    Ok(())
}

fn generation(
    paths: &Paths,
    peer: &Path,
    options: &Options,
    report: &mut String,
) -> Result<(), String> {
    let mut rows = Vec::new();
    let payments = peer.join("../payments");
    let specs = [
        peer.join("nexus.json"),
        peer.join("api.github.com.json"),
        payments.join("paypal-checkout_orders_v2.json"),
        payments.join("stripe-spec3.yaml"),
    ];
    for input in &specs {
        let spec = input
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("spec");
        eprintln!("generation: {spec}");
        let input = input.to_str().ok_or("non-UTF-8 path")?;
        let ours_dir = paths.work.join("generation/specgen");
        let theirs_dir = paths.work.join("generation/progenitor");
        let (mut ours, mut theirs, mut rustfmt) = (Vec::new(), Vec::new(), Vec::new());
        let mut theirs_failed = None;
        for _ in 0..options.runs {
            fresh_dir(&ours_dir)?;
            let out = ours_dir.join("crate");
            let run = measure(
                paths.specgen.to_str().ok_or("non-UTF-8 path")?,
                &[
                    "--root",
                    paths.root.to_str().ok_or("non-UTF-8 path")?,
                    "generate",
                    input,
                    "--out",
                    out.to_str().ok_or("non-UTF-8 path")?,
                    "--name",
                    "bench-api",
                ],
                &ours_dir,
                &[],
            )?;
            if !run.success {
                return Err(format!(
                    "specgen failed on {spec}: {}",
                    failure_line(&run.stderr)
                ));
            }
            ours.push(run);

            fresh_dir(&theirs_dir)?;
            let out = theirs_dir.join("crate");
            let run = measure(
                paths.progenitor.to_str().ok_or("non-UTF-8 path")?,
                &[
                    "progenitor",
                    "-i",
                    input,
                    "-o",
                    out.to_str().ok_or("non-UTF-8 path")?,
                    "-n",
                    "bench-api",
                    "-v",
                    "0.1.0",
                ],
                &theirs_dir,
                &[],
            )?;
            if !run.success {
                theirs_failed = Some(failure_line(&run.stderr));
                break;
            }
            theirs.push(run);
            let lib = out.join("src/lib.rs");
            let format = measure(
                "rustfmt",
                &["--edition", "2021", lib.to_str().ok_or("non-UTF-8 path")?],
                &theirs_dir,
                &[],
            )?;
            rustfmt.push(format.seconds);
        }
        let ours_s = median(&ours.iter().map(|m| m.seconds).collect::<Vec<_>>());
        let ours_mb = median(&ours.iter().map(|m| m.peak_mb).collect::<Vec<_>>());
        let ours_lines = rust_lines(&ours_dir.join("crate"));
        match theirs_failed {
            Some(reason) => rows.push(vec![
                spec.to_string(),
                format!("{ours_s:.3} s, {ours_mb:.0} MB"),
                format!("fails: `{}`", reason.replace('|', "\\|")),
                "–".into(),
                "–".into(),
                "–".into(),
                format!("{ours_lines} / –"),
            ]),
            None => {
                let theirs_s = median(&theirs.iter().map(|m| m.seconds).collect::<Vec<_>>());
                let theirs_mb = median(&theirs.iter().map(|m| m.peak_mb).collect::<Vec<_>>());
                let format_s = median(&rustfmt);
                let without = (theirs_s - format_s).max(f64::EPSILON);
                rows.push(vec![
                    spec.to_string(),
                    format!("{ours_s:.3} s, {ours_mb:.0} MB"),
                    format!("{theirs_s:.3} s, {theirs_mb:.0} MB"),
                    format!("{format_s:.3} s"),
                    format!(
                        "{:.2}× time, {:.2}× memory",
                        ours_s / theirs_s,
                        ours_mb / theirs_mb
                    ),
                    format!("{:.2}×", ours_s / without),
                    format!("{ours_lines} / {}", rust_lines(&theirs_dir.join("crate"))),
                ]);
            }
        }
    }
    table(
        report,
        "Generation (wall time, peak memory)",
        &[
            "spec",
            "specgen",
            "progenitor (incl. rustfmt)",
            "rustfmt of progenitor's output",
            "specgen ÷ progenitor",
            "specgen ÷ progenitor without rustfmt",
            "lines specgen / progenitor",
        ],
        &rows,
    );
    Ok(())
}

/// The lean-output comparison: the same specs generated by specgen at `--baseline REV` (built
/// from a git worktree) and by this checkout; lines, and `cargo check --features client` of each
/// crate (dependencies warm, `CARGO_INCREMENTAL=0`), time and peak memory (the largest process,
/// rustc), the two taking turns within each round.
fn baseline(
    paths: &Paths,
    peer: &Path,
    options: &Options,
    report: &mut String,
) -> Result<(), String> {
    let work = paths.work.join("baseline");
    let source = work.join("source");
    if source.exists() {
        let _ = Command::new("git")
            .args(["worktree", "remove", "--force"])
            .arg(&source)
            .current_dir(&paths.root)
            .output();
    }
    fresh_dir(&work)?;
    let _ = Command::new("git")
        .args(["worktree", "prune"])
        .current_dir(&paths.root)
        .output();
    eprintln!(
        "baseline: building specgen at {} (release)",
        options.baseline
    );
    run_quietly(
        Command::new("git")
            .args(["worktree", "add", "--detach"])
            .arg(&source)
            .arg(&options.baseline)
            .current_dir(&paths.root),
        "git worktree add",
    )?;
    let old_target = work.join("specgen-target");
    run_quietly(
        Command::new("cargo")
            .args(["build", "--release", "-q", "-p", "specgen"])
            .env("CARGO_TARGET_DIR", &old_target)
            .current_dir(&source),
        "cargo build -p specgen (baseline)",
    )?;
    let old_binary = old_target.join("release/specgen");
    // Before `--runtime` (d14f6e4) a crate depended on the runtime of the checkout at `--root`
    // by absolute path: the baseline's own runtime, from its worktree.
    let old_help = Command::new(&old_binary)
        .args(["generate", "--help"])
        .output()
        .map_err(|e| format!("{}: {e}", old_binary.display()))?;
    let old_runtime_args: Vec<std::ffi::OsString> =
        if String::from_utf8_lossy(&old_help.stdout).contains("--runtime") {
            vec!["--runtime".into(), "vendored".into()]
        } else {
            vec!["--root".into(), source.clone().into_os_string()]
        };
    let new_runtime_args: Vec<std::ffi::OsString> = vec!["--runtime".into(), "vendored".into()];
    let binaries = [
        (
            format!("specgen {}", options.baseline),
            old_binary,
            old_runtime_args,
        ),
        (
            "specgen (this checkout)".to_string(),
            paths.specgen.clone(),
            new_runtime_args,
        ),
    ];
    let payments = peer.join("../payments");
    let specs = [
        ("nexus.json", peer.join("nexus.json")),
        (
            "PayPal orders",
            payments.join("paypal-checkout_orders_v2.json"),
        ),
        ("Stripe", payments.join("stripe-spec3.yaml")),
    ];
    let mut rows = Vec::new();
    for (spec_label, spec) in &specs {
        let spec_text = spec.to_str().ok_or("non-UTF-8 path")?;
        let mut dirs = Vec::new();
        for (index, (label, binary, runtime_args)) in binaries.iter().enumerate() {
            eprintln!("baseline: {spec_label} with {label}");
            let dir = work.join(format!("{}-{index}", spec_label.replace([' ', '.'], "-")));
            fresh_dir(&dir)?;
            let crate_dir = dir.join("crate");
            run_quietly(
                Command::new(binary)
                    .args(["generate", spec_text, "--out"])
                    .arg(&crate_dir)
                    .args(["--name", "bench-api"])
                    .args(runtime_args),
                &format!("{label} generate {spec_label}"),
            )?;
            own_workspace(&dir, "crate", Some(&paths.root.join("Cargo.lock")))?;
            dirs.push((dir, crate_dir));
        }
        let commands: Vec<CargoRun> = dirs
            .iter()
            .map(|(dir, crate_dir)| CargoRun {
                dir,
                crate_dir,
                args: vec!["check", "-q", "--features", "client"],
            })
            .collect();
        for command in &commands {
            warm_up(command, spec_label)?;
        }
        // A Stripe check takes minutes: at most two timed rounds of it, and the warm-up (with the
        // same flags) stands in for the discarded round.
        let (runs, discarded) = if *spec_label == "Stripe" {
            (options.runs.min(2), 0)
        } else {
            (options.runs, 1)
        };
        let measured = cargo_measurements(&commands, runs, discarded)?;
        let (old, new) = (&measured[0], &measured[1]);
        // The crate's own sources (the vendored runtime sits beside them).
        let (old_lines, new_lines) = (
            rust_lines(&dirs[0].1.join("src")),
            rust_lines(&dirs[1].1.join("src")),
        );
        rows.push(vec![
            spec_label.to_string(),
            format!(
                "{old_lines} → {new_lines} ({:.2}×)",
                new_lines as f64 / old_lines as f64
            ),
            format!("{:.1} s → {:.1} s ({:.2}×)", old.0, new.0, new.0 / old.0),
            format!("{:.0} MB → {:.0} MB ({:.2}×)", old.1, new.1, new.1 / old.1),
        ]);
    }
    let _ = Command::new("git")
        .args(["worktree", "remove", "--force"])
        .arg(&source)
        .current_dir(&paths.root)
        .output();
    table(
        report,
        &format!(
            "Lean output: specgen {} → this checkout (`cargo check --features client`, dependencies warm, `CARGO_INCREMENTAL=0`)",
            options.baseline
        ),
        &[
            "spec",
            "generated lines",
            "check time",
            "peak memory (rustc)",
        ],
        &rows,
    );
    Ok(())
}

/// Median seconds and median peak MB of each of `commands`, over `runs` rounds after
/// `discarded` uncounted ones, the commands taking turns within each round (see [`cargo_times`]).
fn cargo_measurements(
    commands: &[CargoRun],
    runs: usize,
    discarded: usize,
) -> Result<Vec<(f64, f64)>, String> {
    let mut measured = vec![(Vec::new(), Vec::new()); commands.len()];
    for round in 0..runs + discarded {
        let counted = if round < discarded {
            " (not counted)"
        } else {
            ""
        };
        eprintln!("  round {} of {}{counted}", round + 1, runs + discarded);
        for (index, command) in commands.iter().enumerate() {
            let run = timed_cargo(command)?;
            if round >= discarded {
                measured[index].0.push(run.seconds);
                measured[index].1.push(run.peak_mb);
            }
        }
    }
    Ok(measured
        .iter()
        .map(|(seconds, peaks)| (median(seconds), median(peaks)))
        .collect())
}

/// One timed `cargo` run of `command` after touching its crate's `src/lib.rs`.
fn timed_cargo(command: &CargoRun) -> Result<Measured, String> {
    let target = command.dir.join("target");
    let target = target.to_str().ok_or("non-UTF-8 path")?;
    let env = [("CARGO_TARGET_DIR", target), ("CARGO_INCREMENTAL", "0")];
    let lib = command.crate_dir.join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    let run = measure("cargo", &command.args, command.dir, &env)?;
    if !run.success {
        return Err(format!(
            "cargo {} failed in {}:\n{}",
            command.args.join(" "),
            command.dir.display(),
            run.stderr
        ));
    }
    Ok(run)
}

/// A crate folder made the root of its own workspace, so `cargo` treats it apart from specgen's.
fn own_workspace(dir: &Path, member: &str, lockfile: Option<&Path>) -> Result<(), String> {
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [\"{member}\"]\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if let Some(lockfile) = lockfile {
        std::fs::copy(lockfile, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One cargo command to time: `cargo <args>` in the workspace `dir` after touching `crate_dir`.
struct CargoRun<'a> {
    dir: &'a Path,
    crate_dir: &'a Path,
    args: Vec<&'a str>,
}

/// Median seconds of each of `commands`, dependencies warm. The commands take turns within each
/// round, so a machine whose speed drifts during the run (a shared VM) slows them alike and the
/// ratios hold; round 0 is not counted (after a change of flags it also refreshes fingerprints).
fn cargo_times(commands: &[CargoRun], runs: usize) -> Result<Vec<f64>, String> {
    let measured = cargo_measurements(commands, runs, 1)?;
    Ok(measured.into_iter().map(|(seconds, _)| seconds).collect())
}

/// Compiles the dependencies of `command` once, untimed.
fn warm_up(command: &CargoRun, what: &str) -> Result<(), String> {
    run_quietly(
        Command::new("cargo")
            .args(&command.args)
            .current_dir(command.dir)
            .env("CARGO_TARGET_DIR", command.dir.join("target"))
            .env("CARGO_INCREMENTAL", "0"),
        &format!("cargo {} ({what})", command.args.join(" ")),
    )
    .map(|_| ())
}

/// `specgen generate SPEC --tag-features` into `dir/name`, `dir` made its own workspace with
/// specgen's lockfile; returns the crate folder.
fn generate_tagged(paths: &Paths, spec: &Path, dir: &Path, name: &str) -> Result<PathBuf, String> {
    fresh_dir(dir)?;
    let crate_dir = dir.join(name);
    run_quietly(
        Command::new(&paths.specgen)
            .args(["--root"])
            .arg(&paths.root)
            .arg("generate")
            .arg(spec)
            .args(["--tag-features", "--out"])
            .arg(&crate_dir)
            .args(["--name", name]),
        &format!("specgen generate {} --tag-features", spec.display()),
    )?;
    own_workspace(dir, name, Some(&paths.root.join("Cargo.lock")))?;
    Ok(crate_dir)
}

/// GitHub's description (767 operations) generated with `--tag-features`: `cargo check` of the
/// client with every tag against one tag. progenitor cannot generate it, so the reference is the
/// same crate with every tag. At about a minute per full check, at most 3 runs.
fn tag_selection(
    paths: &Paths,
    peer: &Path,
    options: &Options,
    report: &mut String,
) -> Result<(), String> {
    eprintln!("tag selection: generating the GitHub crate");
    let dir = paths.work.join("compile/github");
    let crate_dir = generate_tagged(paths, &peer.join("api.github.com.json"), &dir, "github")?;
    let runs = options.runs.min(3);
    let configurations: [(&str, &[&str]); 3] = [
        (
            "`--features client` (all 31 tags, 767 operations)",
            &["--features", "client"],
        ),
        (
            "`--no-default-features --features client,tag-repos` (159 operations)",
            &["--no-default-features", "--features", "client,tag-repos"],
        ),
        (
            "`--no-default-features --features client,tag-issues` (39 operations)",
            &["--no-default-features", "--features", "client,tag-issues"],
        ),
    ];
    let mut commands = Vec::new();
    for (label, features) in configurations {
        let mut args = vec!["check", "-q"];
        args.extend_from_slice(features);
        let command = CargoRun {
            dir: &dir,
            crate_dir: &crate_dir,
            args,
        };
        warm_up(&command, label)?;
        commands.push(command);
    }
    eprintln!("tag selection: timing");
    let times = cargo_times(&commands, runs)?;
    let rows: Vec<Vec<String>> = configurations
        .iter()
        .zip(&times)
        .map(|((label, _), seconds)| {
            vec![
                label.to_string(),
                format!("{seconds:.2} s"),
                format!("{:.2}×", seconds / times[0]),
            ]
        })
        .collect();
    table(
        report,
        &format!(
            "Choosing tags: `cargo check` of the GitHub crate (`--tag-features`, dependencies warm, medians of {runs})"
        ),
        &["features", "`cargo check`", "÷ all tags"],
        &rows,
    );
    Ok(())
}

fn compilation(
    paths: &Paths,
    peer: &Path,
    options: &Options,
    report: &mut String,
) -> Result<(), String> {
    eprintln!("compilation: generating both nexus crates");
    let spec = peer.join("nexus.json");
    let spec = spec.to_str().ok_or("non-UTF-8 path")?;
    let ours = paths.work.join("compile/specgen");
    let theirs = paths.work.join("compile/progenitor");
    fresh_dir(&theirs)?;
    let ours_crate = generate_tagged(paths, &peer.join("nexus.json"), &ours, "nexus")?;
    let theirs_crate = theirs.join("nexus-progenitor");
    run_quietly(
        Command::new(&paths.progenitor)
            .args(["progenitor", "-i", spec, "-o"])
            .arg(&theirs_crate)
            .args(["-n", "nexus-progenitor", "-v", "0.1.0"]),
        "cargo progenitor nexus.json",
    )?;
    own_workspace(&theirs, "nexus-progenitor", None)?;

    let configurations: [(&str, &Path, &Path, &[&str]); 5] = [
        ("progenitor (types + client)", &theirs, &theirs_crate, &[]),
        (
            "specgen `--features client` (types + operations + client)",
            &ours,
            &ours_crate,
            &["--features", "client"],
        ),
        (
            "specgen `--no-default-features --features client,tag-instances` (35 of 193 operations)",
            &ours,
            &ours_crate,
            &[
                "--no-default-features",
                "--features",
                "client,tag-instances",
            ],
        ),
        (
            "specgen `--no-default-features --features client,tag-disks` (10 of 193 operations)",
            &ours,
            &ours_crate,
            &["--no-default-features", "--features", "client,tag-disks"],
        ),
        (
            "specgen `--all-features` (+ server, schema)",
            &ours,
            &ours_crate,
            &["--all-features"],
        ),
    ];
    let mut commands = Vec::new();
    for (label, dir, crate_dir, features) in configurations {
        eprintln!("compilation: dependencies of {label}");
        for command in ["check", "build"] {
            let mut args = vec![command, "-q"];
            args.extend_from_slice(features);
            let command = CargoRun {
                dir,
                crate_dir,
                args,
            };
            warm_up(&command, label)?;
            commands.push(command);
        }
    }
    eprintln!("compilation: timing");
    let times = cargo_times(&commands, options.runs)?;
    let rows: Vec<(&str, f64, f64)> = configurations
        .iter()
        .zip(times.chunks(2))
        .map(|((label, ..), pair)| (*label, pair[0], pair[1]))
        .collect();
    let (_, reference_check, reference_build) = rows[0];
    let rows: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(index, (label, check, build))| {
            let lines = rust_lines(if index == 0 {
                &theirs_crate
            } else {
                &ours_crate
            });
            vec![
                label.to_string(),
                format!("{check:.2} s"),
                format!("{:.2}×", check / reference_check),
                format!("{build:.2} s"),
                format!("{:.2}×", build / reference_build),
                lines.to_string(),
            ]
        })
        .collect();
    table(
        report,
        "Compiling the generated nexus.json crate (dependencies warm, `CARGO_INCREMENTAL=0`)",
        &[
            "crate",
            "`cargo check`",
            "÷ progenitor",
            "`cargo build`",
            "÷ progenitor",
            "lines",
        ],
        &rows,
    );
    Ok(())
}

/// A server child process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(kind: &str, port: u16) -> Result<Server, String> {
    start_server_with(kind, port, &[])
}

fn start_server_with(kind: &str, port: u16, extra: &[&str]) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let child = Command::new(exe)
        .args(["serve", kind, &port.to_string()])
        .args(extra)
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the {kind} server: {e}"))?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("the {kind} server did not listen on {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(server)
}

/// wrk's `99%` latency in milliseconds and its requests per second.
fn parse_wrk(output: &str) -> Result<(f64, f64), String> {
    if output.contains("Non-2xx") || output.contains("Socket errors") {
        return Err(format!("wrk saw failed requests:\n{output}"));
    }
    let rps = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk output:\n{output}"))?;
    let p99 = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(str::trim)
        .and_then(|v| {
            let (number, scale) = if let Some(n) = v.strip_suffix("us") {
                (n, 0.001)
            } else if let Some(n) = v.strip_suffix("ms") {
                (n, 1.0)
            } else if let Some(n) = v.strip_suffix('s') {
                (n, 1000.0)
            } else {
                (v, 1.0)
            };
            number.parse::<f64>().ok().map(|n| n * scale)
        })
        .ok_or_else(|| format!("no 99% latency in wrk output:\n{output}"))?;
    Ok((rps, p99))
}

fn http(paths: &Paths, options: &Options, report: &mut String) -> Result<(), String> {
    let script = paths.work.join("post.lua");
    let body = crate::servers::request_body().to_string();
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    let _generated = start_server("generated", GENERATED_PORT)?;
    let _handwritten = start_server("handwritten", HANDWRITTEN_PORT)?;
    let duration = format!("{}s", options.http_seconds);
    let mut results: [(Vec<f64>, Vec<f64>); 2] = Default::default();
    for round in 0..options.runs {
        for (index, port) in [GENERATED_PORT, HANDWRITTEN_PORT].into_iter().enumerate() {
            eprintln!("http: round {} of {}, port {port}", round + 1, options.runs);
            let url = format!("http://127.0.0.1:{port}/api/payments");
            let output = run_quietly(
                Command::new("wrk")
                    .args(["-t1", "-c16", "-d", &duration, "--latency", "-s"])
                    .arg(&script)
                    .arg(&url),
                "wrk",
            )?;
            let (rps, p99) = parse_wrk(&output)?;
            results[index].0.push(rps);
            results[index].1.push(p99);
        }
    }
    let [(generated_rps, generated_p99), (hand_rps, hand_p99)] =
        results.map(|(rps, p99)| (median(&rps), median(&p99)));
    table(
        report,
        &format!("Server: `POST /api/payments` (local-payments), wrk -t1 -c16, {duration} per run"),
        &["server", "requests/s", "p99 latency"],
        &[
            vec![
                "generated (`router(api)`: validation + typed handler)".into(),
                format!("{generated_rps:.0}"),
                format!("{generated_p99:.2} ms"),
            ],
            vec![
                "hand-written axum (`Json<PaymentRequest>` → `Json<Payment>`)".into(),
                format!("{hand_rps:.0}"),
                format!("{hand_p99:.2} ms"),
            ],
            vec![
                "generated ÷ hand-written".into(),
                format!("{:.2}×", generated_rps / hand_rps),
                format!("{:.2}×", generated_p99 / hand_p99),
            ],
        ],
    );

    eprintln!(
        "client: {} runs of {CLIENT_REQUESTS} requests",
        options.runs
    );
    let rates = crate::servers::client_rates(
        &format!("http://127.0.0.1:{HANDWRITTEN_PORT}"),
        CLIENT_REQUESTS,
        options.runs,
    )?;
    let generated = median(&rates.iter().map(|r| r.0).collect::<Vec<_>>());
    let raw = median(&rates.iter().map(|r| r.1).collect::<Vec<_>>());
    table(
        report,
        &format!(
            "Client: {CLIENT_REQUESTS} sequential `POST /api/payments` against the hand-written server"
        ),
        &["client", "requests/s"],
        &[
            vec![
                "generated `Client::create_payment`".into(),
                format!("{generated:.0}"),
            ],
            vec![
                "raw reqwest (`.json(&body).send()` → `.json::<Payment>()`)".into(),
                format!("{raw:.0}"),
            ],
            vec!["generated ÷ raw".into(), format!("{:.2}×", generated / raw)],
        ],
    );
    Ok(())
}

/// `POST /charges` of the idempotency fixture: without a key (the reference), with a fresh key
/// per request in the in-memory store, and in Redis (a `redis-server` started for the run).
fn idempotency(paths: &Paths, options: &Options, report: &mut String) -> Result<(), String> {
    let body = r#"{"amount": 1200}"#;
    let plain = paths.work.join("charge.lua");
    let keyed = paths.work.join("charge-keyed.lua");
    let common = format!(
        "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"X-Api-Key\"] = \"bench\"\n"
    );
    std::fs::write(&plain, &common).map_err(|e| e.to_string())?;
    // Every request gets its own key (one wrk thread, so the counter is unique), as real
    // charges do: each one claims, runs and saves.
    let run_id = std::process::id();
    std::fs::write(
        &keyed,
        format!(
            "{common}counter = 0\nrequest = function()\n  counter = counter + 1\n  wrk.headers[\"Idempotency-Key\"] = \"bench-{run_id}-\" .. counter\n  return wrk.format()\nend\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    if !program_exists("redis-server") {
        return Err(
            "the idempotency benchmark needs redis-server (apt-get install redis-server)".into(),
        );
    }
    let redis = Server(
        Command::new("redis-server")
            .args([
                "--port",
                &BENCH_REDIS_PORT.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start redis-server: {e}"))?,
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", BENCH_REDIS_PORT)).is_err() {
        if Instant::now() > deadline {
            return Err("redis-server did not listen".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let redis_url = format!("redis://127.0.0.1:{BENCH_REDIS_PORT}/");
    let _memory = start_server("charges-memory", IDEMPOTENT_PORT)?;
    let _redis_backed = start_server_with("charges-redis", IDEMPOTENT_REDIS_PORT, &[&redis_url])?;
    let duration = format!("{}s", options.http_seconds);
    let cases: [(&str, u16, &Path); 3] = [
        ("no key (reference)", IDEMPOTENT_PORT, &plain),
        ("fresh key, `MemoryStore`", IDEMPOTENT_PORT, &keyed),
        (
            "fresh key, `RedisStore` (loopback)",
            IDEMPOTENT_REDIS_PORT,
            &keyed,
        ),
    ];
    let mut results: [(Vec<f64>, Vec<f64>); 3] = Default::default();
    for round in 0..options.runs {
        for (index, (what, port, script)) in cases.iter().enumerate() {
            eprintln!(
                "idempotency: round {} of {}, {what}",
                round + 1,
                options.runs
            );
            let output = run_quietly(
                Command::new("wrk")
                    .args(["-t1", "-c16", "-d", &duration, "--latency", "-s"])
                    .arg(script)
                    .arg(format!("http://127.0.0.1:{port}/charges")),
                "wrk",
            )?;
            let (rps, p99) = parse_wrk(&output)?;
            results[index].0.push(rps);
            results[index].1.push(p99);
        }
    }
    drop(redis);
    let medians = results.map(|(rps, p99)| (median(&rps), median(&p99)));
    let (base_rps, base_p99) = medians[0];
    let rows: Vec<Vec<String>> = cases
        .iter()
        .zip(medians)
        .map(|((what, _, _), (rps, p99))| {
            vec![
                (*what).into(),
                format!("{rps:.0}"),
                format!("{:.2}×", rps / base_rps),
                format!("{p99:.2} ms"),
                format!("{:.2}×", p99 / base_p99),
            ]
        })
        .collect();
    table(
        report,
        &format!(
            "Idempotent server: `POST /charges` (tests/specs/idempotency.yaml), wrk -t1 -c16, {duration} per run"
        ),
        &[
            "request",
            "requests/s",
            "÷ no key",
            "p99 latency",
            "÷ no key",
        ],
        &rows,
    );
    Ok(())
}
