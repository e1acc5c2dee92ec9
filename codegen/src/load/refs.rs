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

/// A problem at a JSON pointer: `(pointer, message)`.
pub type Finding = (String, String);

/// Repairs references a user would forgive — a target that does not exist, or a chain of
/// references that loops — so that the rest of the document still generates: in a schema
/// position the reference becomes an untyped value (`{}`), a parameter or request body is left
/// out, a response keeps no body, an example, header, link or callback is dropped. Returns the
/// repairs as warnings and the problems that stay errors (external references).
pub fn repair_references(document: &mut Value) -> (Vec<Finding>, Vec<Finding>) {
    let mut repaired = Vec::new();
    let mut errors = Vec::new();
    // A repair can leave another reference dangling (one that pointed at a removed component).
    for _ in 0..8 {
        let problems = check_references(document);
        if problems.is_empty() {
            break;
        }
        let mut holders: Vec<(String, String, String)> = Vec::new();
        for (at, message) in problems {
            if message.starts_with("external $ref") {
                if !errors.iter().any(|(p, _)| *p == at) {
                    errors.push((at, message));
                }
                continue;
            }
            let holder = at.strip_suffix("/$ref").unwrap_or(&at).to_string();
            holders.push((holder, at, message));
        }
        if holders.is_empty() {
            break;
        }
        // Later array elements first, so removing one does not shift the others.
        holders.sort_by_key(|(holder, ..)| pointer_key(holder));
        holders.reverse();
        holders.dedup_by(|a, b| a.0 == b.0);
        for (holder, at, message) in holders {
            let done = repair_one(document, &holder);
            repaired.push((at, format!("{message}; {done}")));
        }
    }
    (repaired, errors)
}

/// A pointer's segments, numbers compared as numbers.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|segment| match segment.parse::<u64>() {
            Ok(number) => (number, String::new()),
            Err(_) => (u64::MAX, segment.to_string()),
        })
        .collect()
}

/// Repairs the object holding a bad `$ref`; says what became of it.
fn repair_one(document: &mut Value, holder: &str) -> &'static str {
    const UNTYPED: &str = "it is read as an untyped JSON value";
    let Some((parent_pointer, key)) = holder.rsplit_once('/') else {
        if let Some(map) = document.as_object_mut() {
            map.remove("$ref");
        }
        return UNTYPED;
    };
    let key = unescape_segment(key);
    let grandparent_key = parent_pointer
        .rsplit('/')
        .next()
        .map(unescape_segment)
        .unwrap_or_default();
    let Some(parent) = document.pointer_mut(parent_pointer) else {
        return UNTYPED;
    };
    match parent {
        Value::Array(items) if grandparent_key == "parameters" => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
            "the parameter is left out"
        }
        Value::Object(map) => match (grandparent_key.as_str(), key.as_str()) {
            ("responses", _) => {
                map.insert(
                    key,
                    serde_json::json!({"description": "(the spec's reference for this response points nowhere)"}),
                );
                "the response is read without a body"
            }
            (_, "requestBody") | ("requestBodies", _) => {
                map.shift_remove(&key);
                "the request body is left out"
            }
            ("examples" | "headers" | "links" | "callbacks" | "parameters", _) => {
                map.shift_remove(&key);
                "it is left out"
            }
            _ => {
                map.insert(key, serde_json::json!({}));
                UNTYPED
            }
        },
        Value::Array(items) => {
            if let Ok(index) = key.parse::<usize>()
                && let Some(item) = items.get_mut(index)
            {
                *item = serde_json::json!({});
            }
            UNTYPED
        }
        _ => UNTYPED,
    }
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
