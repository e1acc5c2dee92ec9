//! `cargo run --release -p xtask -- bench [--runs N] [--only SECTIONS]`: specgen side by side with progenitor, and
//! the generated server and client beside hand-written ones. Prints a Markdown report (also
//! written to `target/bench/report.md`); BENCHMARKS.md explains it.

mod bench;
mod servers;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo run --release -p xtask -- bench [--runs N] [--http-seconds S] [--only generation,compilation,tags,http,idempotency]
       (internal) xtask serve <generated|handwritten|charges-memory|charges-redis> <port> [redis-url]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench::Options::parse(&args[1..]).and_then(|options| bench::run(&options)),
        Some("serve") => match (args.get(1), args.get(2).and_then(|p| p.parse().ok())) {
            (Some(kind), Some(port)) => servers::serve(kind, port, args.get(3).map(String::as_str)),
            _ => Err(USAGE.into()),
        },
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
