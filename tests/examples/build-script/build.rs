//! Generates the local payments API into `OUT_DIR` (rerun when the spec changes).

fn main() {
    let generated = specgen::Generator::new("../../../specs/local-payments.yaml")
        .file_name("payments.rs")
        .write();
    if let Err(diagnostics) = generated {
        eprintln!("{diagnostics}");
        std::process::exit(1);
    }
}
