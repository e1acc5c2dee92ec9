//! `$ref` checking on the raw document: every local reference must resolve, and chains of
//! references that only point at other references must not loop.

use serde_json::Value;

use crate::diagnostic::{escape_segment, unescape_segment};

/// Maps whose keys are names chosen by the author, not OpenAPI keywords: nothing under them is
/// skipped by name.
const NAMED_MAPS: &[&str] = &[
    "properties",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
    "x-webhooks",
    "webhooks",
];

/// Keywords whose values are instance data (which may legitimately contain a `$ref` key).
const DATA_KEYWORDS: &[&str] = &["example", "default", "enum", "value", "const"];

/// Resolves a local reference (`#/a/b`) in `document`.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(document);
    }
    let mut node = document;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let segment = unescape_segment(raw);
        node = match node {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Every problem with the document's references, as `(json pointer, message)`.
pub fn check_references(document: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    walk(document, document, &mut String::new(), false, &mut problems);
    problems
}

fn walk(
    document: &Value,
    node: &Value,
    pointer: &mut String,
    named: bool,
    problems: &mut Vec<(String, String)>,
) {
    match node {
        Value::Object(map) => {
            if !named && let Some(Value::String(reference)) = map.get("$ref") {
                check_one(document, reference, &format!("{pointer}/$ref"), problems);
            }
            for (key, child) in map {
                if !named
                    && (key.starts_with("x-") && key != "x-webhooks"
                        || DATA_KEYWORDS.contains(&key.as_str()))
                {
                    continue;
                }
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
                walk(
                    document,
                    child,
                    pointer,
                    !named && NAMED_MAPS.contains(&key.as_str()),
                    problems,
                );
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push_str(&format!("/{index}"));
                walk(document, child, pointer, false, problems);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

fn check_one(document: &Value, reference: &str, at: &str, problems: &mut Vec<(String, String)>) {
    if !reference.starts_with('#') {
        problems.push((
            at.to_string(),
            format!("external $ref `{reference}` is not supported; bundle the referenced document into this one"),
        ));
        return;
    }
    let mut chain = vec![reference.to_string()];
    let mut current = reference.to_string();
    loop {
        let Some(target) = resolve(document, &current) else {
            let message = if chain.len() == 1 {
                format!("$ref target `{current}` does not exist")
            } else {
                format!(
                    "$ref target `{current}` (reached through {}) does not exist",
                    chain.join(" -> ")
                )
            };
            problems.push((at.to_string(), message));
            return;
        };
        match target.get("$ref") {
            Some(Value::String(next)) if next.starts_with('#') => {
                if chain.contains(next) {
                    chain.push(next.clone());
                    problems.push((
                        at.to_string(),
                        format!("reference cycle: {}", chain.join(" -> ")),
                    ));
                    return;
                }
                chain.push(next.clone());
                current = next.clone();
            }
            _ => return,
        }
    }
}
