//! `application/x-www-form-urlencoded` bodies, following each property's Encoding Object.
//!
//! A property without an encoding entry is `form`, exploded (the Encoding Object's default):
//! `name=value`, lists as repeated pairs, objects as their fields' pairs. Nested values use the
//! bracket convention (`a[b][c]=v`, `items[0][price]=p`) that form-encoded payment APIs read.
//! Numbers and booleans are their JSON text; a property travels as JSON text only when its
//! encoding's `contentType` is JSON.

use serde_json::{Map, Value};

use super::Codec;
use super::params::{Query, encode_query};
use super::text::field_of;
use crate::schema::{Resolver, Shape, concrete_shape};

/// The encoding of one property of a form body (only those the spec gives an entry for).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormField<'a> {
    /// The property's JSON name.
    pub name: &'a str,
    /// Style, explode, allowReserved.
    pub codec: Codec,
    /// `contentType` is JSON: the value travels as JSON text in one pair.
    pub json: bool,
}

fn field<'f, 'a>(fields: &'f [FormField<'a>], name: &str) -> Option<&'f FormField<'a>> {
    fields.iter().find(|field| field.name == name)
}

/// Writes a body (the JSON form of its typed value, an object) as form pairs, in the object's
/// order. `null` properties are left out.
pub fn encode(body: &Value, fields: &[FormField<'_>]) -> Result<String, String> {
    let Value::Object(map) = body else {
        return Err(format!("a form body must be an object, not {body}"));
    };
    let mut out = String::new();
    for (name, value) in map {
        match field(fields, name) {
            Some(FormField { json: true, .. }) if !value.is_null() => {
                encode_query(
                    &mut out,
                    name,
                    &Value::String(value.to_string()),
                    Codec::FORM,
                );
            }
            Some(field) => encode_query(&mut out, name, value, field.codec),
            None => encode_query(&mut out, name, value, Codec::FORM),
        }
    }
    Ok(out)
}

/// Reads a form body back into the JSON value its shape describes: each declared property by its
/// encoding (exploded objects after the others, so they take only what is left), then every pair
/// nothing took — as the extra properties the schema allows, or as undeclared fields the
/// validator will report. Texts become numbers and booleans where the shape says so.
pub fn decode<'s>(
    body: &[u8],
    fields: &[FormField<'_>],
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the form body is not UTF-8".to_string())?;
    decode_pairs(Query::parse(text)?, fields, shape, resolve)
}

/// [`decode`] of pairs already taken apart (a form body, or the text parts of a multipart one).
pub(crate) fn decode_pairs<'s>(
    mut query: Query,
    fields: &[FormField<'_>],
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Result<Value, String> {
    let mut map = Map::new();
    let concrete = concrete_shape(shape, resolve);
    let declared: Vec<(&str, &Shape)> = match concrete {
        Shape::Object(object) => object
            .fields
            .iter()
            .map(|(name, shape)| (*name, shape))
            .collect(),
        _ => Vec::new(),
    };
    let exploded_object = |name: &str, field_shape: &'s Shape| {
        let codec = field(fields, name).map_or(Codec::FORM, |f| f.codec);
        codec.explode
            && codec.style != super::Style::DeepObject
            && matches!(
                concrete_shape(field_shape, resolve),
                Shape::Object(_) | Shape::Map(_)
            )
    };
    for last in [false, true] {
        for (name, field_shape) in &declared {
            if exploded_object(name, field_shape) != last {
                continue;
            }
            let value = match field(fields, name) {
                Some(FormField { json: true, .. }) => query.take_json(name)?,
                Some(field) => query.take(name, field.codec, field_shape, resolve)?,
                None => query.take(name, Codec::FORM, field_shape, resolve)?,
            };
            if let Some(value) = value {
                map.insert((*name).to_owned(), value);
            }
        }
    }
    let rest: Vec<String> = query.untaken().into_iter().map(|(key, _)| key).collect();
    for key in rest {
        let base = key.split('[').next().unwrap_or(&key).to_owned();
        if map.contains_key(&base) {
            continue;
        }
        let extra = field_of(concrete, &base, resolve);
        if let Some(value) = query.take(&base, Codec::FORM, extra, resolve)? {
            map.insert(base, value);
        }
    }
    Ok(Value::Object(map))
}
