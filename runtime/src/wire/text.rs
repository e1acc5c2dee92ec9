//! Percent-encoding, scalar texts and shape-guided conversion of texts back to JSON.

use std::borrow::Cow;

use serde_json::Value;

use crate::schema::{Resolver, Shape, concrete_shape};

/// RFC 3986 unreserved characters: never encoded.
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Reserved characters `allowReserved` leaves as they are: all of RFC 3986's but `&`, `=`, `#`
/// and `+`, which would split a pair, end the query or read as a space.
fn reserved_kept(byte: u8) -> bool {
    matches!(
        byte,
        b':' | b'/'
            | b'?'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b','
            | b';'
    )
}

fn encode_with(text: &str, keep: impl Fn(u8) -> bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if keep(byte) {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_with(text, unreserved, &mut out);
    out
}

/// Appends `text` percent-encoded; with `allow_reserved`, reserved characters stay.
pub(crate) fn push_encoded(out: &mut String, text: &str, allow_reserved: bool) {
    if allow_reserved {
        encode_with(text, |b| unreserved(b) || reserved_kept(b), out);
    } else {
        encode_with(text, unreserved, out);
    }
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`); invalid UTF-8 is an error.
pub fn decode_component(text: &str, plus_is_space: bool) -> Result<String, String> {
    if !text
        .bytes()
        .any(|b| b == b'%' || (plus_is_space && b == b'+'))
    {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = bytes
                    .get(index + 1..index + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .ok_or_else(|| "truncated percent-encoding".to_string())?;
                let value = u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("invalid percent-encoding `%{hex}`"))?;
                out.push(value);
                index += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                index += 1;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8 after percent-decoding".into())
}

/// The text of a scalar: strings as they are, numbers and booleans as JSON writes them; nested
/// values (where a style has no rule for them) as JSON text. `null` has none.
pub(crate) fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Bool(flag) => Some(Cow::Borrowed(if *flag { "true" } else { "false" })),
        Value::Null => None,
        Value::Array(_) | Value::Object(_) => Some(Cow::Owned(value.to_string())),
    }
}

/// An array or an object: what a style spreads over several pieces.
pub(crate) fn is_nested(value: &Value) -> bool {
    matches!(value, Value::Array(_) | Value::Object(_))
}

/// What a shape asks a text to become.
pub(crate) enum Wanted<'s> {
    /// A list of items of this shape.
    List(&'s Shape),
    /// An object (declared fields, or a map, or an untyped object).
    Object(&'s Shape),
    /// A single value.
    Scalar(&'s Shape),
}

/// Whether `shape` wants a list, an object or a scalar.
pub(crate) fn wanted<'s>(shape: &'s Shape, resolve: Resolver<'s>) -> Wanted<'s> {
    match concrete_shape(shape, resolve) {
        Shape::List(item, _) => Wanted::List(item.get()),
        concrete @ (Shape::Object(_) | Shape::Map(_) | Shape::Tagged(..)) => {
            Wanted::Object(concrete)
        }
        other => Wanted::Scalar(other),
    }
}

/// The shape of an object's field `key` (`Any` when the object does not say).
pub(crate) fn field_of<'s>(object: &'s Shape, key: &str, resolve: Resolver<'s>) -> &'s Shape {
    static ANY: Shape = Shape::Any;
    match concrete_shape(object, resolve) {
        Shape::Object(fields) => fields
            .fields
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, shape)| shape)
            .or_else(|| fields.additional.as_ref().map(|a| a.get()))
            .unwrap_or(&ANY),
        Shape::Map(value) => value.get(),
        _ => &ANY,
    }
}

/// Reads one text as the JSON scalar its shape asks for: numbers and booleans are parsed;
/// anything that does not parse stays a string, so the validator reports it against the shape.
pub(crate) fn text_value<'s>(text: &str, shape: &'s Shape, resolve: Resolver<'s>) -> Value {
    match concrete_shape(shape, resolve) {
        Shape::Integer(_) | Shape::IntegerEnum(..) => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.into())),
        Shape::Number(_) => text
            .parse::<f64>()
            .ok()
            .filter(|_| !text.is_empty())
            .and_then(|n| {
                // Integral texts stay integers, as JSON would have written them.
                text.parse::<i64>()
                    .map(Value::from)
                    .ok()
                    .or_else(|| serde_json::Number::from_f64(n).map(Value::Number))
            })
            .unwrap_or_else(|| Value::String(text.into())),
        Shape::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.into()),
        },
        Shape::OneOf(alternatives) => {
            // The first alternative (in document order) that can read the text decides.
            alternatives
                .iter()
                .find_map(|alternative| {
                    let value = text_value(text, alternative, resolve);
                    (!value.is_string() || reads_text(alternative, resolve)).then_some(value)
                })
                .unwrap_or_else(|| Value::String(text.into()))
        }
        _ => Value::String(text.into()),
    }
}

/// A shape whose values are strings.
fn reads_text<'s>(shape: &'s Shape, resolve: Resolver<'s>) -> bool {
    matches!(
        concrete_shape(shape, resolve),
        Shape::String(_) | Shape::StringEnum(_) | Shape::DateTime | Shape::Date | Shape::Any
    )
}
