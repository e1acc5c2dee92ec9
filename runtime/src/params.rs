//! Parameter encoding shared by clients (typed value → wire strings) and servers (wire strings
//! → JSON value of the documented shape), so both sides agree on every `style`.

use serde_json::Value;

use crate::schema::{Resolver, Shape, concrete_shape};

/// How a parameter is spread over the wire (OpenAPI `style`, with `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `form`: `name=a&name=b` (explode) or `name=a,b`.
    Form {
        /// Repeat the name per item.
        explode: bool,
    },
    /// `simple`: `a,b` (path and header parameters).
    Simple,
    /// `spaceDelimited`: `a b`.
    SpaceDelimited,
    /// `pipeDelimited`: `a|b`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

/// Characters left as they are in a percent-encoded component (RFC 3986 unreserved).
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes everything but unreserved characters (path segments, query keys and values).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if unreserved(byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`); invalid UTF-8 is an error.
pub fn decode_component(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3])
                    .map_err(|_| "invalid percent-encoding".to_string())?;
                let value = u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("invalid percent-encoding `%{hex}`"))?;
                out.push(value);
                index += 3;
            }
            b'%' => return Err("truncated percent-encoding".into()),
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

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => None,
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// A parameter's value as `(name, value)` pairs for a query string (unencoded), following
/// `style`. `null` produces nothing.
pub fn query_pairs(name: &str, value: &Value, style: Style) -> Vec<(String, String)> {
    match (value, style) {
        (Value::Null, _) => Vec::new(),
        (Value::Array(items), Style::Form { explode: true }) => items
            .iter()
            .filter_map(scalar_text)
            .map(|item| (name.to_string(), item))
            .collect(),
        (Value::Array(items), _) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            let joined = items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(separator);
            vec![(name.to_string(), joined)]
        }
        (Value::Object(map), Style::DeepObject) => map
            .iter()
            .filter_map(|(key, item)| {
                scalar_text(item).map(|text| (format!("{name}[{key}]"), text))
            })
            .collect(),
        (Value::Object(map), Style::Form { explode: true }) => map
            .iter()
            .filter_map(|(key, item)| scalar_text(item).map(|text| (key.clone(), text)))
            .collect(),
        (Value::Object(map), _) => {
            let joined = map
                .iter()
                .filter_map(|(key, item)| scalar_text(item).map(|text| format!("{key},{text}")))
                .collect::<Vec<_>>()
                .join(",");
            vec![(name.to_string(), joined)]
        }
        (scalar, _) => scalar_text(scalar)
            .map(|text| vec![(name.to_string(), text)])
            .unwrap_or_default(),
    }
}

/// A path or header parameter's value as one string (`simple` style: lists comma-joined).
pub fn simple_text(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => scalar_text(other),
    }
}

/// Reads one text as a JSON scalar of the shape: numbers and booleans are parsed; anything that
/// does not parse stays a string, so the validator reports it against the shape.
fn text_value<'s>(text: &str, shape: &'s Shape, resolve: Resolver<'s>) -> Value {
    match concrete_shape(shape, resolve) {
        Shape::Integer(_) | Shape::IntegerEnum(..) => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.into())),
        Shape::Number(_) => text
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .unwrap_or_else(|| Value::String(text.into())),
        Shape::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.into()),
        },
        _ => Value::String(text.into()),
    }
}

/// Rebuilds a parameter's JSON value from the texts received for it, guided by its shape
/// (the inverse of [`query_pairs`] and [`simple_text`]). `texts` holds every value sent under
/// the parameter's name, in order.
pub fn value_from_texts<'s>(
    texts: &[String],
    shape: &'s Shape,
    style: Style,
    resolve: Resolver<'s>,
) -> Value {
    match concrete_shape(shape, resolve) {
        Shape::List(item, _) => {
            let separator = match style {
                Style::SpaceDelimited => Some(' '),
                Style::PipeDelimited => Some('|'),
                Style::Form { explode: true } => None,
                _ => Some(','),
            };
            let pieces: Vec<&str> = match separator {
                Some(separator) => texts
                    .iter()
                    .flat_map(|t| t.split(separator))
                    .filter(|p| !p.is_empty())
                    .collect(),
                None => texts.iter().map(String::as_str).collect(),
            };
            Value::Array(
                pieces
                    .into_iter()
                    .map(|piece| text_value(piece, item.get(), resolve))
                    .collect(),
            )
        }
        _ => match texts {
            [single] => text_value(single, shape, resolve),
            // Several values for a scalar: keep them all so the validator names the problem.
            many => Value::Array(many.iter().map(|t| Value::String(t.clone())).collect()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Boxed, ItemRules, NumberRules};
    use serde_json::json;

    #[test]
    fn percent_encoding_round_trips() {
        let text = "a b/ç?&=%";
        let encoded = encode_component(text);
        assert_eq!(encoded, "a%20b%2F%C3%A7%3F%26%3D%25");
        assert_eq!(decode_component(&encoded, false).unwrap(), text);
        assert_eq!(decode_component("a+b", true).unwrap(), "a b");
        assert!(decode_component("%zz", false).is_err());
        assert!(decode_component("%4", false).is_err());
    }

    #[test]
    fn styles_encode_and_decode_symmetrically() {
        let none = |_: &str| None;
        let list = Shape::List(
            Boxed::new(Shape::Integer(NumberRules::default())),
            ItemRules::default(),
        );
        for style in [
            Style::Form { explode: true },
            Style::Form { explode: false },
            Style::PipeDelimited,
            Style::SpaceDelimited,
        ] {
            let pairs = query_pairs("id", &json!([1, 2]), style);
            let texts: Vec<String> = pairs.into_iter().map(|(_, v)| v).collect();
            assert_eq!(
                value_from_texts(&texts, &list, style, &none),
                json!([1, 2]),
                "{style:?}"
            );
        }
        assert_eq!(
            query_pairs("f", &json!({"a": 1}), Style::DeepObject),
            [("f[a]".to_string(), "1".to_string())]
        );
        assert_eq!(
            value_from_texts(
                &["x".into()],
                &Shape::Integer(NumberRules::default()),
                Style::Simple,
                &none
            ),
            json!("x")
        );
    }
}
