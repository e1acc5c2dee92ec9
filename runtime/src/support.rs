//! Small helpers that generated code calls instead of repeating the same logic per type.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Prints `***`: generated `Debug` impls show it in place of secrets and card or bank data.
#[doc(hidden)]
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
#[doc(hidden)]
pub fn deserialize_required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// For numeric fields marked `x-accept-numeric-string`: reads `100` and `"100"` alike, as the
/// server's validator accepts both (the documents' own request examples send strings).
#[doc(hidden)]
pub fn deserialize_number_or_string<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
    T::Err: fmt::Display,
{
    number_from_value::<D::Error, T>(Value::deserialize(deserializer)?)
}

/// [`deserialize_number_or_string`] for an `Option` field: `null` is `None`.
#[doc(hidden)]
pub fn deserialize_optional_number_or_string<'de, D, T>(
    deserializer: D,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
    T::Err: fmt::Display,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        value => number_from_value::<D::Error, T>(value).map(Some),
    }
}

/// [`deserialize_number_or_string`] for a [`crate::Nullable`] field (absence is the field's
/// `default`).
#[doc(hidden)]
pub fn deserialize_nullable_number_or_string<'de, D, T>(
    deserializer: D,
) -> Result<crate::Nullable<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
    T::Err: fmt::Display,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(crate::Nullable::Null),
        value => number_from_value::<D::Error, T>(value).map(crate::Nullable::Value),
    }
}

fn number_from_value<E: serde::de::Error, T>(value: Value) -> Result<T, E>
where
    T: DeserializeOwned + std::str::FromStr,
    T::Err: fmt::Display,
{
    match value {
        Value::String(text) => text
            .parse()
            .map_err(|error| E::custom(format!("`{text}` is not a number of this type: {error}"))),
        other => T::deserialize(other).map_err(E::custom),
    }
}

/// Writes an alternative of an internally tagged union whose type leaves the tag to the union:
/// the alternative's own object with `property: tag` added.
#[doc(hidden)]
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

/// Writes an alternative of a discriminated union whose own type holds the tag property (a
/// free string field of a shared schema): the variant decides the tag, so a value whose field
/// says another alternative's tag is written with one of the variant's own `tags` (the field's
/// value kept when it is one of them).
#[doc(hidden)]
pub fn serialize_retagged<T: Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tags: &[&str],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    match serde_json::to_value(value).map_err(S::Error::custom)? {
        Value::Object(mut map) => {
            let own = map
                .get(property)
                .and_then(Value::as_str)
                .is_some_and(|tag| tags.contains(&tag));
            if let (false, Some(tag)) = (own, tags.first()) {
                map.insert(property.to_owned(), Value::String((*tag).to_owned()));
            }
            map.serialize(serializer)
        }
        other => other.serialize(serializer),
    }
}

/// Writes an alternative of an internally tagged union that holds nothing but its tag.
#[doc(hidden)]
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
#[doc(hidden)]
pub fn without_property(mut value: Value, property: &str) -> Value {
    if let Value::Object(map) = &mut value {
        map.shift_remove(property);
    }
    value
}

/// The JSON kind an alternative of an untagged union accepts.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FitKind {
    /// Any value.
    Any,
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// What an alternative of an untagged union looks like, for choosing the one a value fits best.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    /// The JSON kind.
    pub kind: FitKind,
    /// Properties that must be present (objects).
    pub required: &'static [&'static str],
    /// Declared properties, with the string values an enum-typed one documents (empty: any).
    pub fields: &'static [(&'static str, &'static [&'static str])],
    /// Undeclared properties are not allowed.
    pub closed: bool,
    /// `null` is one of its values.
    pub nullable: bool,
}

/// How well `value` fits an alternative; `None` when it cannot be that alternative (another
/// JSON kind, a required property missing). Each declared property present counts, a
/// documented enum value counts more, an undocumented value of an enum property or an
/// undeclared property of a closed object counts against.
fn fit_score(value: &Value, fit: &Fit) -> Option<i64> {
    if value.is_null() {
        return (fit.nullable || fit.kind == FitKind::Any).then_some(0);
    }
    let kind_fits = match fit.kind {
        FitKind::Any => true,
        FitKind::Object => value.is_object(),
        FitKind::Array => value.is_array(),
        FitKind::String => value.is_string(),
        FitKind::Integer => value.is_i64() || value.is_u64(),
        FitKind::Number => value.is_number(),
        FitKind::Boolean => value.is_boolean(),
    };
    if !kind_fits {
        return None;
    }
    let Value::Object(map) = value else {
        return Some(i64::from(fit.kind != FitKind::Any));
    };
    if fit.required.iter().any(|name| !map.contains_key(*name)) {
        return None;
    }
    let mut score = 1;
    for (key, item) in map {
        match fit.fields.iter().find(|(name, _)| name == key) {
            Some((_, [])) => score += 2,
            Some((_, documented)) => match item.as_str() {
                Some(text) if documented.contains(&text) => score += 5,
                _ => score -= 3,
            },
            None if fit.closed => score -= 2,
            None => {}
        }
    }
    Some(score)
}

/// The alternatives of an untagged union `value` could be, best fit first (ties in document
/// order): generated `Deserialize` impls try them in this order, so a value decodes as the
/// alternative whose required and declared properties and documented values it matches — not
/// merely the first one it happens to deserialize as.
#[doc(hidden)]
pub fn alternatives_by_fit(value: &Value, fits: &[Fit]) -> Vec<usize> {
    let mut scored: Vec<(i64, usize)> = fits
        .iter()
        .enumerate()
        .filter_map(|(index, fit)| fit_score(value, fit).map(|score| (score, index)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, index)| index).collect()
}

/// JSON equality that compares numbers by value (`50 == 50.0`), as JSON itself does.
#[doc(hidden)]
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
#[doc(hidden)]
pub fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let parsed: T = serde_json::from_value(value.clone())
        .map_err(|error| format!("does not decode: {error}"))?;
    serde_json::to_value(&parsed).map_err(|error| format!("does not encode: {error}"))
}

/// Decodes `value` as `T` and renders its `Debug` form (to check that secrets are redacted).
#[doc(hidden)]
pub fn debug_of<T: DeserializeOwned + std::fmt::Debug>(value: &Value) -> Result<String, String> {
    let parsed: T = serde_json::from_value(value.clone())
        .map_err(|error| format!("does not decode: {error}"))?;
    Ok(format!("{parsed:?}"))
}

/// One operation called through a generated client against a generated server: what the server
/// was expected to answer and what the client decoded.
#[derive(Clone, Debug, PartialEq)]
#[doc(hidden)]
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
