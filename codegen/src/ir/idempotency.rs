//! `x-idempotency`: which operations a generated server deduplicates by idempotency key, where
//! the key travels, and for how long the first successful response is replayed.
//!
//! ```yaml
//! x-idempotency:              # at the document root: every operation it matches;
//!   window-seconds: 3600      # on an operation: that one (`false` turns it off there)
//!   methods: [POST, PUT]      # default: POST, PUT, PATCH
//!   key: {in: header, name: x-idempotency-key}   # or {in: body, pointer: /idempotency_key}
//! ```
//!
//! Without `key`, the operation's idempotency-key header parameter is the key (the one `build`
//! recognised by name or `x-idempotency-key: true`).

use serde_json::Value;

use super::{Idempotency, IdempotencyKey, Method, Parameter};

/// Windows a server would not mean: a key remembered for more than 30 days.
const LONGEST_WINDOW_SECONDS: u64 = 30 * 24 * 3600;

/// A problem with an `x-idempotency` value: the JSON pointer below the extension and the message.
pub type Problem = (String, String);

/// The operation's idempotency, from its own `x-idempotency` (`operation`) or the document's
/// (`document`). `None` when neither applies to it; problems are warnings (the extension, or the
/// part of it that is wrong, is ignored).
pub fn resolve(
    operation: Option<&Value>,
    document: Option<&Value>,
    method: Method,
    parameters: &[Parameter],
) -> (Option<Idempotency>, Vec<Problem>) {
    let mut problems = Vec::new();
    let (value, on_operation) = match (operation, document) {
        (Some(value), _) => (value, true),
        (None, Some(value)) => (value, false),
        (None, None) => return (None, problems),
    };
    let map = match value {
        Value::Bool(false) => return (None, problems),
        Value::Bool(true) => serde_json::Map::new(),
        Value::Object(map) => map.clone(),
        other => {
            problems.push((
                String::new(),
                format!(
                    "`x-idempotency` must be an object or a boolean, not {other}; it is ignored"
                ),
            ));
            return (None, problems);
        }
    };
    let methods: Vec<String> = match map.get("methods") {
        None => vec!["POST".into(), "PUT".into(), "PATCH".into()],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_uppercase)
            .collect(),
        Some(other) => {
            problems.push((
                "/methods".into(),
                format!("`methods` must be a list of HTTP methods, not {other}; it is ignored"),
            ));
            return (None, problems);
        }
    };
    if !methods.iter().any(|m| m == method.as_str()) {
        return (None, problems);
    }
    let window_seconds = match map.get("window-seconds") {
        None => 24 * 3600,
        Some(value) => match value.as_u64() {
            Some(seconds) if (1..=LONGEST_WINDOW_SECONDS).contains(&seconds) => seconds,
            _ => {
                problems.push((
                    "/window-seconds".into(),
                    format!(
                        "`window-seconds` must be a whole number of seconds from 1 to {LONGEST_WINDOW_SECONDS}, not {value}; `x-idempotency` is ignored"
                    ),
                ));
                return (None, problems);
            }
        },
    };
    let key = match map.get("key") {
        None => parameters
            .iter()
            .find(|p| p.idempotency_key)
            .map(|p| IdempotencyKey::Header(p.name.to_ascii_lowercase())),
        Some(Value::Object(key)) => match (
            key.get("in").and_then(Value::as_str),
            key.get("name").and_then(Value::as_str),
            key.get("pointer").and_then(Value::as_str),
        ) {
            (Some("header"), Some(name), _) => {
                Some(IdempotencyKey::Header(name.to_ascii_lowercase()))
            }
            (Some("body"), _, Some(pointer)) if pointer.starts_with('/') => {
                Some(IdempotencyKey::Body(pointer.to_string()))
            }
            _ => {
                problems.push((
                    "/key".into(),
                    "`key` must be `{in: header, name: …}` or `{in: body, pointer: /…}`; `x-idempotency` is ignored".into(),
                ));
                return (None, problems);
            }
        },
        Some(other) => {
            problems.push((
                "/key".into(),
                format!("`key` must be an object, not {other}; `x-idempotency` is ignored"),
            ));
            return (None, problems);
        }
    };
    match key {
        Some(key) => (
            Some(Idempotency {
                key,
                window_seconds,
            }),
            problems,
        ),
        None => {
            // At the document root the extension covers only operations that have a key.
            if on_operation {
                problems.push((
                    String::new(),
                    "the operation has no idempotency-key header; name one with `key`; `x-idempotency` is ignored".into(),
                ));
            }
            (None, problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::{Constraints, ParameterLocation, ParameterStyle, TypeExpr};

    fn key_header() -> Parameter {
        Parameter {
            name: "Idempotency-Key".into(),
            rust_name: "idempotency_key".into(),
            location: ParameterLocation::Header,
            required: false,
            ty: TypeExpr::String,
            style: ParameterStyle::Simple,
            explode: false,
            docs: None,
            sensitive: false,
            constraints: Constraints::default(),
            default: None,
            deprecated: false,
            allow_reserved: false,
            idempotency_key: true,
        }
    }

    #[test]
    fn the_document_default_applies_to_matching_methods_with_a_key() {
        let document = json!({"window-seconds": 3600, "methods": ["post", "PUT"]});
        let params = [key_header()];
        let (post, problems) = resolve(None, Some(&document), Method::Post, &params);
        assert!(problems.is_empty());
        assert_eq!(
            post,
            Some(Idempotency {
                key: IdempotencyKey::Header("idempotency-key".into()),
                window_seconds: 3600
            })
        );
        assert_eq!(
            resolve(None, Some(&document), Method::Patch, &params).0,
            None
        );
        // An operation without a key header is simply not covered by the document default.
        assert_eq!(
            resolve(None, Some(&document), Method::Post, &[]),
            (None, vec![])
        );
        // The operation's own value wins; `false` turns it off.
        let off = json!(false);
        assert_eq!(
            resolve(Some(&off), Some(&document), Method::Post, &params).0,
            None
        );
        let body =
            json!({"key": {"in": "body", "pointer": "/idempotency_key"}, "window-seconds": 300});
        assert_eq!(
            resolve(Some(&body), None, Method::Post, &[]).0,
            Some(Idempotency {
                key: IdempotencyKey::Body("/idempotency_key".into()),
                window_seconds: 300
            })
        );
    }

    #[test]
    fn malformed_values_warn_at_the_offending_key_and_are_ignored() {
        let cases = [
            (json!("yes"), ""),
            (json!({"methods": "POST"}), "/methods"),
            (json!({"window-seconds": 0}), "/window-seconds"),
            (json!({"window-seconds": "1h"}), "/window-seconds"),
            (json!({"key": {"in": "query", "name": "k"}}), "/key"),
            (
                json!({"key": {"in": "body", "pointer": "idempotency_key"}}),
                "/key",
            ),
            (json!({}), ""),
        ];
        for (value, at) in cases {
            let (rule, problems) = resolve(Some(&value), None, Method::Post, &[]);
            assert_eq!(rule, None, "{value}");
            assert_eq!(problems.len(), 1, "{value}: {problems:?}");
            assert_eq!(problems[0].0, at, "{value}");
        }
    }
}
