//! Embeds the `specgen-runtime` crate (manifest and sources) in the generator, so that
//! `specgen generate --runtime vendored` can write a self-contained crate from an installed
//! binary, far from any checkout.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let runtime = manifest_dir.join("../runtime");
    println!(
        "cargo:rerun-if-changed={}",
        runtime.join("Cargo.toml").display()
    );
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    let mut files = vec![runtime.join("Cargo.toml")];
    collect(&runtime.join("src"), &mut files)?;
    // Sorted, so the embedded list (and every vendored copy) is the same on every machine.
    files.sort();
    let mut table = String::from("&[\n");
    for file in &files {
        let relative = file.strip_prefix(&runtime).unwrap_or(file);
        let relative = relative.to_string_lossy().replace('\\', "/");
        let absolute = std::fs::canonicalize(file)?;
        writeln!(
            table,
            "    ({relative:?}, include_str!({:?})),",
            absolute.to_string_lossy()
        )
        .ok();
    }
    table.push_str("]\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("runtime_files.rs"), table)
}
