//! Loading: spec text → `openapiv3::OpenAPI`, with every local `$ref` checked.
//!
//! The raw document is kept as a `serde_json::Value` beside the typed one: JSON pointers are
//! computed against it, `$ref`s are checked against it before `openapiv3` sees them, and the
//! [`Locator`] turns pointers into lines for diagnostics.

mod lint;
mod locate;
mod normalize;
mod refs;
mod walk;

use std::path::Path;

pub use locate::Locator;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// A spec that parsed, whose references all resolve, and that `openapiv3` accepted.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The file name as the user gave it (used in diagnostics and generated headers).
    pub file: String,
    /// The document as plain JSON values (the source of JSON pointers).
    pub raw: serde_json::Value,
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// Pointer → line lookup for later diagnostics.
    pub locator: Locator,
    /// Non-fatal findings of the loader.
    pub warnings: Vec<Diagnostic>,
}

impl LoadedSpec {
    /// An error at `pointer`, located in the text where possible.
    pub fn error_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        locate_diagnostic(
            &self.locator,
            Diagnostic::error(&self.file, pointer, message),
        )
    }

    /// A warning at `pointer`, located in the text where possible.
    pub fn warning_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        locate_diagnostic(
            &self.locator,
            Diagnostic::warning(&self.file, pointer, message),
        )
    }
}

fn locate_diagnostic(locator: &Locator, diagnostic: Diagnostic) -> Diagnostic {
    match locator.locate(&diagnostic.json_pointer) {
        Some((line, column)) => diagnostic.at(line, column),
        None => diagnostic,
    }
}

/// Reads and loads the spec at `path`; `display` is how the file is named in diagnostics.
pub fn load_file(path: &Path, display: &str) -> Result<LoadedSpec, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Diagnostic::error(display, "", format!("cannot read the spec: {error}"))
    })?;
    load_str(display, &text)
}

/// Loads a spec from text. JSON is recognised by its first non-blank character; anything
/// else is parsed as YAML (a superset of JSON, but JSON's own parser gives better positions).
pub fn load_str(file: &str, text: &str) -> Result<LoadedSpec, Diagnostics> {
    let locator = Locator::new(text);
    let raw = parse_text(file, text)?;
    let error_at = |pointer: &str, message: String| {
        locate_diagnostic(&locator, Diagnostic::error(file, pointer, message))
    };

    let version = match raw.get("openapi") {
        Some(serde_json::Value::String(version)) => version.clone(),
        Some(_) => {
            return Err(error_at(
                "/openapi",
                "`openapi` must be a version string such as \"3.0.3\"".into(),
            )
            .into());
        }
        None if raw.get("swagger").is_some() => {
            return Err(error_at(
                "/swagger",
                "Swagger 2.0 documents are not supported; convert to OpenAPI 3.0 first".into(),
            )
            .into());
        }
        None => {
            return Err(error_at(
                "",
                "not an OpenAPI document: the `openapi` version field is missing".into(),
            )
            .into());
        }
    };
    let is_31 = version.starts_with("3.1.") || version == "3.1";
    if !is_31 && !version.starts_with("3.0.") && version != "3.0" {
        return Err(error_at(
            "/openapi",
            format!(
                "OpenAPI version {version} is not supported; specgen reads OpenAPI 3.0.x and 3.1.x documents"
            ),
        )
        .into());
    }
    // Typos are looked for in the document as written, before rewrites move or copy its parts.
    let mut likely_typos = lint::unknown_keys(&raw);
    likely_typos.extend(lint::unknown_formats(&raw));
    let mut raw = raw;
    let mut rewrites = normalize::fill_omissions(&mut raw, is_31);
    if is_31 {
        rewrites.extend(normalize::lower_openapi_31(&mut raw));
    }
    rewrites.extend(normalize::unknown_schema_types(&raw));
    let mut warnings: Vec<Diagnostic> = rewrites
        .into_iter()
        .map(|rewrite| {
            locate_diagnostic(
                &locator,
                Diagnostic::warning(file, rewrite.pointer, rewrite.message),
            )
        })
        .collect();
    warnings.extend(likely_typos.into_iter().map(|(pointer, message)| {
        locate_diagnostic(&locator, Diagnostic::warning(file, pointer, message))
    }));

    let (repaired, ref_errors) = refs::repair_references(&mut raw);
    warnings.extend(repaired.into_iter().map(|(pointer, message)| {
        locate_diagnostic(&locator, Diagnostic::warning(file, pointer, message))
    }));
    if !ref_errors.is_empty() {
        return Err(Diagnostics(
            ref_errors
                .into_iter()
                .map(|(pointer, message)| error_at(&pointer, message))
                .collect(),
        ));
    }

    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|error| {
        // `openapiv3` reads a schema's keywords through flattened untagged enums, which lose
        // the path to the bad value; the keyword check finds every such value at its key.
        let misshapen = lint::misshapen_keywords(&raw, is_31);
        if !misshapen.is_empty() {
            return Diagnostics(
                misshapen
                    .into_iter()
                    .map(|(pointer, message)| error_at(&pointer, message))
                    .collect(),
            );
        }
        let pointer = path_to_pointer(error.path());
        let (pointer, message) = refine_shape_error(&raw, pointer, error.inner().to_string());
        error_at(&pointer, explain_shape_error(&message)).into()
    })?;

    Ok(LoadedSpec {
        file: file.to_string(),
        raw,
        openapi,
        locator,
        warnings,
    })
}

fn parse_text(file: &str, text: &str) -> Result<serde_json::Value, Diagnostic> {
    let looks_like_json = text.trim_start().starts_with('{');
    if looks_like_json {
        return serde_json::from_str(text).map_err(|error| {
            Diagnostic::error(file, "", format!("invalid JSON: {error}"))
                .at(error.line(), error.column())
        });
    }
    let value: serde_json::Value = yaml_serde::from_str(text).map_err(|error| {
        let diagnostic = Diagnostic::error(file, "", format!("invalid YAML: {error}"));
        match error.location() {
            Some(location) => diagnostic.at(location.line(), location.column()),
            None => diagnostic,
        }
    })?;
    if !value.is_object() {
        return Err(
            Diagnostic::error(file, "", "the document must be a mapping at the top level").at(1, 1),
        );
    }
    Ok(value)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&crate::diagnostic::escape_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// `openapiv3` wraps most objects in untagged enums (`ReferenceOr<T>`), which hide where inside
/// them deserialization failed. Re-deserialize the object at `pointer` (and below) as the
/// concrete type its position implies, to report the deepest failing pointer.
fn refine_shape_error(
    raw: &serde_json::Value,
    mut pointer: String,
    mut message: String,
) -> (String, String) {
    for _ in 0..32 {
        let Some(node) = refs::resolve(raw, &format!("#{pointer}")) else {
            break;
        };
        let candidates: Vec<(String, &serde_json::Value)> = match node {
            serde_json::Value::Object(map) if map.contains_key("$ref") => break,
            serde_json::Value::Object(map) if !is_typed_position(&pointer) => map
                .iter()
                .map(|(key, value)| {
                    (
                        format!("{pointer}/{}", crate::diagnostic::escape_segment(key)),
                        value,
                    )
                })
                .collect(),
            serde_json::Value::Array(items) if !is_typed_position(&pointer) => items
                .iter()
                .enumerate()
                .map(|(index, value)| (format!("{pointer}/{index}"), value))
                .collect(),
            _ => vec![(pointer.clone(), node)],
        };
        let mut deeper = None;
        for (at, value) in candidates {
            if let Some(Err((inner, text))) = deserialize_as_position(&at, value) {
                deeper = Some((format!("{at}{inner}"), text));
                break;
            }
        }
        match deeper {
            Some((next, text)) if next != pointer => {
                pointer = next;
                message = text;
            }
            _ => break,
        }
    }
    (pointer, message)
}

/// True when the value at `pointer` is itself one OpenAPI object (not a map or list of them).
fn is_typed_position(pointer: &str) -> bool {
    position_kind(pointer).is_some()
}

fn position_kind(pointer: &str) -> Option<&'static str> {
    let segments: Vec<&str> = pointer.split('/').collect();
    let last = segments.last().copied().unwrap_or_default();
    let parent = segments
        .len()
        .checked_sub(2)
        .and_then(|i| segments.get(i))
        .copied()
        .unwrap_or_default();
    let grandparent = segments
        .len()
        .checked_sub(3)
        .and_then(|i| segments.get(i))
        .copied()
        .unwrap_or_default();
    Some(match (grandparent, parent, last) {
        ("", "paths", _) => "path item",
        (_, "parameters", _) => "parameter",
        (_, "schemas" | "properties", _) | (_, _, "schema" | "items" | "additionalProperties") => {
            "schema"
        }
        (_, "responses", _) => "response",
        (_, _, "requestBody") | (_, "requestBodies", _) => "request body",
        (_, "headers", _) => "header",
        (_, "allOf" | "oneOf" | "anyOf", _) => "schema",
        _ => return None,
    })
}

type ShapeError = (String, String);

/// Deserializes `value` as the OpenAPI object its position implies; `Err((inner pointer, message))`.
fn deserialize_as_position(
    pointer: &str,
    value: &serde_json::Value,
) -> Option<Result<(), ShapeError>> {
    fn attempt<T: serde::de::DeserializeOwned>(
        value: &serde_json::Value,
    ) -> Result<(), ShapeError> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(|_| ())
            .map_err(|error| (path_to_pointer(error.path()), error.inner().to_string()))
    }
    if value.get("$ref").is_some() {
        return None;
    }
    Some(match position_kind(pointer)? {
        "path item" => attempt::<openapiv3::PathItem>(value),
        "parameter" => attempt::<openapiv3::Parameter>(value),
        "schema" => attempt::<openapiv3::Schema>(value),
        "response" => attempt::<openapiv3::Response>(value),
        "request body" => attempt::<openapiv3::RequestBody>(value),
        "header" => attempt::<openapiv3::Header>(value),
        _ => return None,
    })
}

/// `openapiv3` uses untagged enums whose serde messages say nothing useful; say what was
/// expected instead.
fn explain_shape_error(message: &str) -> String {
    if message.contains("untagged enum ReferenceOr") {
        "this is neither a `$ref` nor a valid object of the kind expected here (check field names and value types)".into()
    } else if message.contains("untagged enum SchemaKind") || message.contains("untagged enum") {
        format!(
            "this schema has an invalid shape ({message}); check `type`, `items`, `properties` and their value types"
        )
    } else {
        format!("invalid value: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::load_str;

    fn first_warning(text: &str) -> crate::diagnostic::Diagnostic {
        match load_str("spec.yaml", text) {
            Ok(spec) => spec.warnings.into_iter().next().expect("a warning"),
            Err(diagnostics) => panic!("expected a warning, not {diagnostics}"),
        }
    }

    fn first_error(text: &str) -> crate::diagnostic::Diagnostic {
        match load_str("spec.yaml", text) {
            Ok(_) => panic!("expected a diagnostic"),
            Err(diagnostics) => diagnostics.0.into_iter().next().unwrap(),
        }
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn bad_yaml_names_line_and_column() {
        let error = first_error("openapi: 3.0.3\ninfo: [unclosed\n");
        assert!(
            error.message.starts_with("invalid YAML"),
            "{}",
            error.message
        );
        assert_eq!(error.file, "spec.yaml");
        assert!(error.line.is_some());
    }

    #[test]
    fn dangling_ref_names_pointer_and_line() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Nope'\n"
        );
        let spec = load_str("spec.yaml", &text).expect("a dangling reference is forgiven");
        assert_eq!(
            spec.raw.pointer("/components/schemas/A/properties/b"),
            Some(&serde_json::json!({})),
            "the property becomes an untyped value"
        );
        let error = first_warning(&text);
        assert_eq!(
            error.json_pointer,
            "/components/schemas/A/properties/b/$ref"
        );
        assert_eq!(
            error.message,
            "$ref target `#/components/schemas/Nope` does not exist; it is read as an untyped JSON value"
        );
        assert_eq!(error.line, Some(12));
    }

    #[test]
    fn reference_cycle_is_reported() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
        );
        let error = first_warning(&text);
        assert!(
            error.message.contains("reference cycle"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains(
                "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"
            ),
            "{}",
            error.message
        );
    }

    #[test]
    fn wrong_type_names_the_pointer() {
        let text = format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 7\n");
        let error = first_error(&text);
        assert_eq!(error.json_pointer, "/paths/~1a/get/responses");
        assert_eq!(error.line, Some(8));
    }

    #[test]
    fn external_refs_and_other_versions_are_refused_clearly() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: 'other.yaml#/A'\n"
        );
        assert!(
            first_error(&text)
                .message
                .contains("external $ref `other.yaml#/A` is not supported")
        );
        assert!(
            first_error("swagger: '2.0'\n")
                .message
                .contains("Swagger 2.0")
        );
        assert!(
            first_error("openapi: 4.0.0\n")
                .message
                .contains("OpenAPI version 4.0.0 is not supported")
        );
        assert!(
            first_error("- a\n")
                .message
                .contains("mapping at the top level")
        );
    }

    #[test]
    fn json_syntax_errors_have_positions() {
        let error = first_error("{\n  \"openapi\": \"3.0.3\",\n  oops\n}");
        assert!(error.message.starts_with("invalid JSON"));
        assert_eq!(error.line, Some(3));
    }
}
