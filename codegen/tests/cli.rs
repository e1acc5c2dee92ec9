//! The `specgen` binary: `check` notices hand edits, `lint` reports broken specs as
//! diagnostics (never a panic), `generate` is deterministic.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn specgen(root: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_specgen"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A scratch workspace holding a copy of `specs/` and `generated/`.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("specgen-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&workspace_root().join("specs"), &dir.join("specs"));
    copy_dir(&workspace_root().join("generated"), &dir.join("generated"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn check_fails_after_a_hand_edit_and_passes_after_generate() {
    let root = scratch("check");
    assert!(specgen(&root, &["check"]).0, "a fresh copy is up to date");

    let edited = root.join("generated/local-payments/src/types.rs");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(
        &edited,
        text.replace("pub struct Refund {", "pub struct Refund { pub extra: u8,"),
    )
    .unwrap();
    std::fs::write(
        root.join("generated/local-payments/src/notes.rs"),
        "// mine\n",
    )
    .unwrap();
    let (ok, stderr) = specgen(&root, &["check"]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "generated/local-payments/src/types.rs (differs from the generator's output)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("generated/local-payments/src/notes.rs (not produced by any spec)"),
        "{stderr}"
    );

    let (ok, _) = specgen(&root, &["generate"]);
    assert!(ok);
    assert!(specgen(&root, &["check"]).0, "generate repairs the tree");
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        text,
        "output is byte-for-byte deterministic"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn lint_reports_broken_specs_with_file_pointer_and_line() {
    let dir = std::env::temp_dir().join(format!("specgen-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("bad-yaml.yaml", "openapi: 3.0.3\ninfo: [\n", "invalid YAML"),
        (
            "wrong-type.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: {name: x}\n      responses: {}\n",
            "= at #/paths/~1a/get/parameters",
        ),
        (
            "misshapen-keyword.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X:\n      properties:\n        y:\n          type: integer\n          minimum: one\n",
            "error: `minimum` must be a number, not a string (\"one\")\n  --> ",
        ),
        (
            "unsupported.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    d:\n      type: http\n      scheme: digest\n",
            "HTTP auth scheme `digest` is not supported",
        ),
    ];
    for (file, text, expected) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let (ok, stderr) = specgen(&dir, &["lint", path.to_str().unwrap()]);
        assert!(!ok, "{file} should fail");
        assert!(
            stderr.contains(expected),
            "{file}: expected `{expected}` in:\n{stderr}"
        );
        assert!(
            stderr.contains(file),
            "{file}: the message names the file:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{file} panicked:\n{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Defects of real-world specs that users forgive: each is a warning at the offending key (file,
/// line, pointer) and the spec still generates a crate.
#[test]
fn forgivable_defects_are_warnings_with_a_recovery() {
    let dir = std::env::temp_dir().join(format!("specgen-forgive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
    let cases: &[(&str, String, &str)] = &[
        (
            "dangling.yaml",
            format!(
                "{head}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
            ),
            "warning: $ref target `#/components/schemas/Missing` does not exist; it is read as an untyped JSON value\n  --> ",
        ),
        (
            "dangling-parameter.yaml",
            format!(
                "{head}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Gone'\n      responses:\n        '200': {{description: ok}}\n"
            ),
            "the parameter is left out",
        ),
        (
            "cycle.yaml",
            format!(
                "{head}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
            ),
            "reference cycle",
        ),
        (
            "missing-path-param.yaml",
            format!(
                "{head}paths:\n  /a/{{id}}:\n    get:\n      responses:\n        '204': {{description: ok}}\n"
            ),
            "declares no path parameter `id`; it is generated as a string parameter",
        ),
        (
            "stray-path-param.yaml",
            format!(
                "{head}paths:\n  /v1/timeoff/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: timeoff_id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '204': {{description: ok}}\n"
            ),
            "path parameter `timeoff_id` does not appear in the path `/v1/timeoff/{id}`; it is left out",
        ),
        (
            "colon-segment.yaml",
            format!(
                "{head}paths:\n  /Users/:email:\n    get:\n      parameters:\n        - {{name: email, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '204': {{description: ok}}\n"
            ),
            "`:name` segments are not OpenAPI path templating; read as `/Users/{email}`",
        ),
        (
            "empty-content.yaml",
            format!(
                "{head}paths:\n  /a:\n    post:\n      requestBody: {{content: {{}}}}\n      responses:\n        '204': {{description: ok}}\n"
            ),
            "the request body documents no media type; the operation is generated without a body",
        ),
        (
            "allof-cycle.yaml",
            format!(
                "{head}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf: [{{$ref: '#/components/schemas/B'}}, {{type: object, properties: {{a: {{type: string}}}}}}]\n    B:\n      allOf: [{{$ref: '#/components/schemas/A'}}, {{type: object, properties: {{b: {{type: string}}}}}}]\n"
            ),
            "the member adds nothing and is skipped",
        ),
        (
            "required-non-property.yaml",
            format!(
                "{head}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, required: [b], properties: {{a: {{type: string}}}}}}\n"
            ),
            "`b` is listed in `required` but is not a property; it is ignored",
        ),
    ];
    for (file, text, expected) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let (ok, stderr) = specgen(&dir, &["lint", path.to_str().unwrap()]);
        assert!(ok, "{file} should lint with warnings only:\n{stderr}");
        assert!(
            stderr.contains(expected),
            "{file}: expected `{expected}` in:\n{stderr}"
        );
        assert!(stderr.contains("warning"), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("{file}:")) && stderr.contains("= at #/"),
            "{file}: the warning names file, line and pointer:\n{stderr}"
        );
        let out = dir.join(format!("{file}-crate"));
        let (ok, stderr) = specgen(
            &workspace_root(),
            &[
                "generate",
                path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(ok, "{file} generates a crate:\n{stderr}");
        assert!(out.join("src/client.rs").is_file(), "{file}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Typos (unknown keys and formats) and examples that break their schema are warnings at the
/// key; `--deny-warnings` turns them into a failing exit code after printing them.
#[test]
fn deny_warnings_fails_lint_and_generate_on_typos_and_misfit_examples() {
    let dir = std::env::temp_dir().join(format!("specgen-deny-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("typos.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X:\n      type: object\n      properties:\n        at:\n          type: string\n          format: date-tme\n          minLenght: 3\n        n:\n          type: integer\n          example: many\n",
    )
    .unwrap();
    let spec = path.to_str().unwrap();
    let (ok, stderr) = specgen(&dir, &["lint", spec]);
    assert!(ok, "warnings alone pass:\n{stderr}");
    for expected in [
        "warning: unknown format `date-tme` (did you mean `date-time`?); it is ignored\n  --> ",
        "typos.yaml:11:11\n   = at #/components/schemas/X/properties/at/format",
        "warning: unknown key `minLenght` in a schema (did you mean `minLength`?); it is ignored",
        "warning: the example does not fit its schema: expected an integer, found a string\n  --> ",
        "typos.yaml:15:11\n   = at #/components/schemas/X/properties/n/example",
    ] {
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    let (ok, denied) = specgen(&dir, &["lint", "--deny-warnings", spec]);
    assert!(!ok, "{denied}");
    assert!(denied.contains("unknown format `date-tme`"), "{denied}");
    assert!(
        denied.ends_with("error: 3 warnings and --deny-warnings\n"),
        "{denied}"
    );
    let out = dir.join("typos-crate");
    let (ok, generated) = specgen(
        &workspace_root(),
        &[
            "generate",
            spec,
            "--out",
            out.to_str().unwrap(),
            "--deny-warnings",
        ],
    );
    assert!(!ok, "{generated}");
    assert!(
        generated.contains("error: 3 warnings and --deny-warnings"),
        "{generated}"
    );
    assert!(!generated.contains("panicked"), "{generated}");
    let _ = std::fs::remove_dir_all(&dir);
}
