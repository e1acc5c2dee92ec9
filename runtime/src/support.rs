//! Small helpers that generated code calls instead of repeating the same logic per type.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Prints `***`: generated `Debug` impls show it in place of secrets and card or bank data.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A value outside a documented limit (length, range, item count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintViolation {
    message: String,
}

impl ConstraintViolation {
    /// A violation described by `message` ("must be at least 10 characters long").
    pub fn new(message: impl Into<String>) -> Self {
        ConstraintViolation {
            message: message.into(),
        }
    }

    /// What limit was broken.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConstraintViolation {}

/// For required-but-nullable fields: `null` becomes `None`, and (unlike a plain `Option` field)
/// a missing key is an error, because the spec says the key is always sent.
pub fn deserialize_required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Writes an alternative of an internally tagged union whose type leaves the tag to the union:
/// the alternative's own object with `property: tag` added.
pub fn serialize_tagged<T: Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    match serde_json::to_value(value).map_err(S::Error::custom)? {
        Value::Object(mut map) => {
            map.insert(property.to_owned(), Value::String(tag.to_owned()));
            map.serialize(serializer)
        }
        other => Err(S::Error::custom(format!(
            "a tagged alternative must be an object, not {other}"
        ))),
    }
}

/// Writes an alternative of an internally tagged union that holds nothing but its tag.
pub fn serialize_tag_only<S: serde::Serializer>(
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(property, tag)?;
    map.end()
}

/// The received object without the tag the union has already read, for an alternative whose
/// type does not hold the tag.
pub fn without_property(mut value: Value, property: &str) -> Value {
    if let Value::Object(map) = &mut value {
        map.shift_remove(property);
    }
    value
}

/// Tries one alternative of an untagged union: `Some((value, exact))` when `value` parses as
/// `T`, where `exact` says re-encoding reproduces the input (nothing was dropped or added).
pub fn union_candidate<T: DeserializeOwned + Serialize>(value: &Value) -> Option<(T, bool)> {
    let parsed: T = serde_json::from_value(value.clone()).ok()?;
    let exact = serde_json::to_value(&parsed).is_ok_and(|encoded| json_equal(&encoded, value));
    Some((parsed, exact))
}

/// JSON equality that compares numbers by value (`50 == 50.0`), as JSON itself does.
pub fn json_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => {
            match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => left == right,
    }
}

/// Decodes `value` as `T` and encodes it back: the round trip that documented examples must
/// survive unchanged. The error names the JSON path where decoding failed.
pub fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let parsed: T = serde_json::from_value(value.clone())
        .map_err(|error| format!("does not decode: {error}"))?;
    serde_json::to_value(&parsed).map_err(|error| format!("does not encode: {error}"))
}

/// Decodes `value` as `T` and renders its `Debug` form (to check that secrets are redacted).
pub fn debug_of<T: DeserializeOwned + std::fmt::Debug>(value: &Value) -> Result<String, String> {
    let parsed: T = serde_json::from_value(value.clone())
        .map_err(|error| format!("does not decode: {error}"))?;
    Ok(format!("{parsed:?}"))
}

/// One operation called through a generated client against a generated server: what the server
/// was expected to answer and what the client decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercised {
    /// The operationId.
    pub operation: &'static str,
    /// The status the mock answers with.
    pub expected_status: u16,
    /// The documented example the mock answers with (`None` when it samples the schema).
    pub expected_body: Option<Value>,
    /// Status and body (as JSON) the client decoded, or the client's error.
    pub outcome: Result<(u16, Option<Value>), String>,
}

impl Exercised {
    /// Why the client's result differs from the expectation; `None` when it matches.
    pub fn mismatch(&self) -> Option<String> {
        match &self.outcome {
            Err(error) => Some(format!("{}: {error}", self.operation)),
            Ok((status, _)) if *status != self.expected_status => Some(format!(
                "{}: status {status}, expected {}",
                self.operation, self.expected_status
            )),
            Ok((_, body)) => match (&self.expected_body, body) {
                (Some(expected), Some(actual)) if !json_equal(expected, actual) => Some(format!(
                    "{}: body {actual}, expected {expected}",
                    self.operation
                )),
                (Some(_), None) => Some(format!("{}: no body decoded", self.operation)),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_equal(
            &json!({"a": [50, 1.5]}),
            &json!({"a": [50.0, 1.5]})
        ));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!json_equal(&json!("1"), &json!(1)));
    }

    #[test]
    fn redacted_prints_stars() {
        assert_eq!(format!("{:?}", Redacted), "***");
    }
}
