//! Parameters: path segments, query pairs, headers and cookies, both directions.
//!
//! Encoders take the parameter's JSON value and write wire text with literal delimiters and
//! percent-encoded values; decoders split at the delimiters first and percent-decode each
//! piece after, so a `,` or `|` inside a value never splits it.

use serde_json::{Map, Value};

use super::text::{
    Wanted, decode_component, encode_component, field_of, is_nested, push_encoded, scalar_text,
    text_value, wanted,
};
use super::{Codec, Style};
use crate::schema::{Resolver, Shape, concrete_shape};

// ---------------------------------------------------------------------------------------------
// Encoding (clients)

fn push_pair(out: &mut String, key: &str, value: &str, allow_reserved: bool) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(key);
    out.push('=');
    push_encoded(out, value, allow_reserved);
}

/// `prefix[key][0]=v` pairs for every scalar inside `value` (the bracket convention).
fn push_deep(out: &mut String, prefix: &str, value: &Value, allow_reserved: bool) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let mut nested = String::with_capacity(prefix.len() + key.len() + 2);
                nested.push_str(prefix);
                nested.push('[');
                push_encoded(&mut nested, key, false);
                nested.push(']');
                push_deep(out, &nested, item, allow_reserved);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                push_deep(out, &format!("{prefix}[{index}]"), item, allow_reserved);
            }
        }
        Value::Null => {}
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                push_pair(out, prefix, &text, allow_reserved);
            }
        }
    }
}

/// The pieces of a list or object joined by `separator` (already encoded), each piece encoded.
fn joined(value: &Value, separator: &str, pair_separator: &str, allow_reserved: bool) -> String {
    let mut out = String::new();
    let mut first = true;
    let mut piece = |out: &mut String, text: &str| {
        if !first {
            out.push_str(separator);
        }
        first = false;
        push_encoded(out, text, allow_reserved);
    };
    match value {
        Value::Array(items) => {
            for text in items.iter().filter_map(scalar_text) {
                piece(&mut out, &text);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let Some(text) = scalar_text(item) else {
                    continue;
                };
                if pair_separator == separator {
                    piece(&mut out, key);
                    piece(&mut out, &text);
                } else {
                    piece(&mut out, key);
                    out.push_str(pair_separator);
                    push_encoded(&mut out, &text, allow_reserved);
                }
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                piece(&mut out, &text);
            }
        }
    }
    out
}

fn is_empty_collection(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().all(Value::is_null),
        Value::Object(map) => map.values().all(Value::is_null),
        _ => false,
    }
}

/// Appends a query parameter (or a form body field) to `query` as `key=value` pairs joined by
/// `&`, percent-encoded, following its codec. `null` and empty lists or objects write nothing
/// (RFC 6570 leaves them undefined).
pub fn encode_query(query: &mut String, name: &str, value: &Value, codec: Codec) {
    let key = encode_component(name);
    let reserved = codec.allow_reserved;
    if value.is_null() || is_empty_collection(value) {
        return;
    }
    if codec.style == Style::DeepObject {
        return push_deep(query, &key, value, reserved);
    }
    if !is_nested(value) {
        if let Some(text) = scalar_text(value) {
            push_pair(query, &key, &text, reserved);
        }
        return;
    }
    if codec.explode {
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if is_nested(item) {
                        push_deep(query, &format!("{key}[{index}]"), item, reserved);
                    } else if let Some(text) = scalar_text(item) {
                        push_pair(query, &key, &text, reserved);
                    }
                }
            }
            Value::Object(map) => {
                for (field, item) in map {
                    let field = encode_component(field);
                    if is_nested(item) {
                        push_deep(query, &field, item, reserved);
                    } else if let Some(text) = scalar_text(item) {
                        push_pair(query, &field, &text, reserved);
                    }
                }
            }
            _ => {}
        }
        return;
    }
    let separator = match codec.style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&key);
    query.push('=');
    query.push_str(&joined(value, separator, separator, reserved));
}

/// The text that replaces `{name}` in a path (`simple`, `label` or `matrix`), percent-encoded.
pub fn encode_path(name: &str, value: &Value, codec: Codec) -> String {
    let explode = codec.explode;
    match codec.style {
        Style::Label => {
            let separator = if explode { "." } else { "," };
            let pair = if explode { "=" } else { "," };
            format!(".{}", joined(value, separator, pair, false))
        }
        Style::Matrix => {
            let key = encode_component(name);
            let named = |text: &str| {
                if text.is_empty() {
                    format!(";{key}")
                } else {
                    format!(";{key}={text}")
                }
            };
            match (value, explode) {
                (Value::Array(items), true) => items
                    .iter()
                    .filter_map(scalar_text)
                    .map(|item| named(&encode_component(&item)))
                    .collect(),
                (Value::Object(map), true) => map
                    .iter()
                    .filter_map(|(field, item)| {
                        let text = scalar_text(item)?;
                        let field = encode_component(field);
                        Some(if text.is_empty() {
                            format!(";{field}")
                        } else {
                            format!(";{field}={}", encode_component(&text))
                        })
                    })
                    .collect(),
                (other, _) => named(&joined(other, ",", ",", false)),
            }
        }
        _ => {
            let pair = if explode { "=" } else { "," };
            joined(value, ",", pair, false)
        }
    }
}

/// A header parameter's value (`simple`): lists and objects comma-joined, nothing encoded (a
/// header is text, not a URI). `None` for `null`.
pub fn encode_header(value: &Value, codec: Codec) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let pair = if codec.explode { "=" } else { "," };
    let text = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(scalar_text)
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(map) => map
            .iter()
            .filter_map(|(key, item)| Some(format!("{key}{pair}{}", scalar_text(item)?)))
            .collect::<Vec<_>>()
            .join(","),
        scalar => scalar_text(scalar)?.into_owned(),
    };
    Some(text)
}

/// A cookie parameter's `name=value` pairs (`form`): one pair, or (exploded) one per item or
/// field. Values are percent-encoded, so `;` and `,` inside them cannot split the header.
pub fn encode_cookie(name: &str, value: &Value, codec: Codec) -> Vec<String> {
    let key = encode_component(name);
    match (value, codec.explode) {
        (Value::Null, _) => Vec::new(),
        (Value::Array(items), true) => items
            .iter()
            .filter_map(scalar_text)
            .map(|item| format!("{key}={}", encode_component(&item)))
            .collect(),
        (Value::Object(map), true) => map
            .iter()
            .filter_map(|(field, item)| {
                let text = scalar_text(item)?;
                Some(format!(
                    "{}={}",
                    encode_component(field),
                    encode_component(&text)
                ))
            })
            .collect(),
        (other, _) => vec![format!("{key}={}", joined(other, ",", ",", false))],
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding (servers)

/// Splits `text` at `separator` and percent-decodes each piece (or decodes first and splits,
/// for separators a client may have encoded: `%20`, `|`).
fn pieces(text: &str, separator: char, decode: bool) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if !decode {
        return Ok(text.split(separator).map(str::to_owned).collect());
    }
    match separator {
        ',' | '.' | ';' => text
            .split(separator)
            .map(|piece| decode_component(piece, false))
            .collect(),
        _ => Ok(decode_component(text, true)?
            .split(separator)
            .map(str::to_owned)
            .collect()),
    }
}

/// Rebuilds a list or object from its pieces; `pairs` says whether object pieces are `k=v`
/// (exploded) or alternate `k, v`.
fn from_pieces<'s>(
    pieces: Vec<String>,
    wanted: Wanted<'s>,
    pairs: bool,
    resolve: Resolver<'s>,
) -> Value {
    match wanted {
        Wanted::List(item) => Value::Array(
            pieces
                .iter()
                .map(|piece| text_value(piece, item, resolve))
                .collect(),
        ),
        Wanted::Object(object) => {
            let mut map = Map::new();
            if pairs {
                for piece in &pieces {
                    let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
                    map.insert(
                        key.to_owned(),
                        text_value(value, field_of(object, key, resolve), resolve),
                    );
                }
            } else {
                let mut iter = pieces.iter();
                while let Some(key) = iter.next() {
                    let value = iter.next().map(String::as_str).unwrap_or_default();
                    map.insert(
                        key.clone(),
                        text_value(value, field_of(object, key, resolve), resolve),
                    );
                }
            }
            Value::Object(map)
        }
        Wanted::Scalar(shape) => {
            let text = pieces.join(",");
            text_value(&text, shape, resolve)
        }
    }
}

/// Splits an exploded object's `k=v` pieces before decoding, so `=` inside a value (encoded as
/// `%3D`) stays in it.
fn decoded_pairs(raw: &[&str], decode: bool) -> Result<Vec<String>, String> {
    raw.iter()
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            if decode {
                Ok(format!(
                    "{}={}",
                    decode_component(key, false)?,
                    decode_component(value, false)?
                ))
            } else {
                Ok(format!("{key}={value}"))
            }
        })
        .collect()
}

/// A value written as one text with `separator` between its pieces (`simple`, `label`).
fn split_value<'s>(
    text: &str,
    separator: char,
    explode: bool,
    shape: &'s Shape,
    decode: bool,
    resolve: Resolver<'s>,
) -> Result<Value, String> {
    let want = wanted(shape, resolve);
    match want {
        Wanted::Scalar(scalar) => {
            let text = if decode {
                decode_component(text, false)?
            } else {
                text.to_owned()
            };
            Ok(text_value(&text, scalar, resolve))
        }
        Wanted::Object(_) if explode => {
            let raw: Vec<&str> = text.split(separator).filter(|p| !p.is_empty()).collect();
            Ok(from_pieces(
                decoded_pairs(&raw, decode)?,
                want,
                true,
                resolve,
            ))
        }
        _ => Ok(from_pieces(
            pieces(text, separator, decode)?,
            want,
            false,
            resolve,
        )),
    }
}

/// Rebuilds a path parameter from its raw (still percent-encoded) segment.
pub fn decode_path<'s>(
    raw: &str,
    name: &str,
    codec: Codec,
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Result<Value, String> {
    match codec.style {
        Style::Label => {
            let body = raw
                .strip_prefix('.')
                .ok_or_else(|| "a label-style value starts with `.`".to_string())?;
            let separator = if codec.explode { '.' } else { ',' };
            split_value(body, separator, codec.explode, shape, true, resolve)
        }
        Style::Matrix => {
            let body = raw
                .strip_prefix(';')
                .ok_or_else(|| "a matrix-style value starts with `;`".to_string())?;
            let want = wanted(shape, resolve);
            let prefix = format!("{}=", encode_component(name));
            let bare = encode_component(name);
            match (codec.explode, want) {
                (true, Wanted::List(item)) => {
                    let mut items = Vec::new();
                    for piece in body.split(';') {
                        let value = if piece == bare {
                            ""
                        } else {
                            piece.strip_prefix(&prefix).ok_or_else(|| {
                                format!("expected `;{name}=…` pieces, found `;{piece}`")
                            })?
                        };
                        items.push(text_value(&decode_component(value, false)?, item, resolve));
                    }
                    Ok(Value::Array(items))
                }
                (true, want @ Wanted::Object(_)) => {
                    let raw: Vec<&str> = body.split(';').collect();
                    Ok(from_pieces(decoded_pairs(&raw, true)?, want, true, resolve))
                }
                _ => {
                    let value = if body == bare {
                        ""
                    } else {
                        body.strip_prefix(&prefix)
                            .ok_or_else(|| format!("expected `;{name}=…`, found `;{body}`"))?
                    };
                    split_value(value, ',', false, shape, true, resolve)
                }
            }
        }
        _ => split_value(raw, ',', codec.explode, shape, true, resolve),
    }
}

/// Rebuilds a header parameter (`simple`) from its text.
pub fn decode_header<'s>(
    text: &str,
    codec: Codec,
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Value {
    let text = text.trim();
    // Headers are not percent-encoded; splitting cannot fail.
    split_value(text, ',', codec.explode, shape, false, resolve)
        .unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Rebuilds a cookie parameter (`form`) from the `Cookie` header; `Ok(None)` when absent.
pub fn decode_cookie<'s>(
    header: &str,
    name: &str,
    codec: Codec,
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Result<Option<Value>, String> {
    let cookies: Vec<(&str, &str)> = header
        .split(';')
        .filter_map(|cookie| cookie.trim().split_once('='))
        .collect();
    let want = wanted(shape, resolve);
    match (codec.explode, want) {
        (true, Wanted::List(item)) => {
            let items = cookies
                .iter()
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| Ok(text_value(&decode_component(value, false)?, item, resolve)))
                .collect::<Result<Vec<_>, String>>()?;
            Ok((!items.is_empty()).then_some(Value::Array(items)))
        }
        (true, Wanted::Object(object)) => {
            let mut map = Map::new();
            for (key, value) in &cookies {
                let key = decode_component(key, false)?;
                if declares(object, &key, resolve) {
                    let text = decode_component(value, false)?;
                    map.insert(
                        key.clone(),
                        text_value(&text, field_of(object, &key, resolve), resolve),
                    );
                }
            }
            Ok((!map.is_empty()).then_some(Value::Object(map)))
        }
        _ => match cookies.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => split_value(value, ',', false, shape, true, resolve).map(Some),
            None => Ok(None),
        },
    }
}

/// The object declares `key` as a field.
fn declares<'s>(object: &'s Shape, key: &str, resolve: Resolver<'s>) -> bool {
    match concrete_shape(object, resolve) {
        Shape::Object(fields) => fields.declares(key),
        _ => false,
    }
}

/// One `key=value` pair of a query string or form body: the key decoded, the value still
/// percent-encoded (it is split at delimiters before decoding).
#[derive(Debug)]
struct Pair {
    key: String,
    raw: String,
    taken: bool,
}

/// A query string or `application/x-www-form-urlencoded` body, taken apart parameter by
/// parameter; what no parameter took is left for [`Query::untaken`], so nothing a client sent is
/// silently dropped.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<Pair>,
}

/// A node of the tree that bracketed keys (`a[b][0]=v`) describe.
enum Node {
    Leaf(Vec<String>),
    Branch(Vec<(String, Node)>),
}

impl Node {
    fn insert(&mut self, path: &[String], text: String) {
        match (self, path) {
            (Node::Leaf(texts), []) => texts.push(text),
            (node @ Node::Leaf(_), _) => {
                *node = Node::Branch(Vec::new());
                node.insert(path, text);
            }
            (Node::Branch(_), []) => {}
            (Node::Branch(children), [first, rest @ ..]) => {
                let existing = (!first.is_empty())
                    .then(|| children.iter_mut().find(|(key, _)| key == first))
                    .flatten();
                match existing {
                    Some((_, child)) => child.insert(rest, text),
                    None => {
                        let mut child = Node::Leaf(Vec::new());
                        child.insert(rest, text);
                        children.push((first.clone(), child));
                    }
                }
            }
        }
    }

    fn into_value<'s>(self, shape: &'s Shape, resolve: Resolver<'s>) -> Value {
        match self {
            Node::Leaf(texts) => match wanted(shape, resolve) {
                Wanted::List(item) => Value::Array(
                    texts
                        .iter()
                        .map(|text| text_value(text, item, resolve))
                        .collect(),
                ),
                _ if texts.len() == 1 => text_value(&texts[0], shape, resolve),
                _ => Value::Array(texts.into_iter().map(Value::String).collect()),
            },
            Node::Branch(mut children) => {
                let as_list = match wanted(shape, resolve) {
                    Wanted::List(item) => Some(item),
                    Wanted::Object(_) => None,
                    Wanted::Scalar(other) => {
                        static ANY: Shape = Shape::Any;
                        let item = match other {
                            Shape::Any => Some(&ANY),
                            _ => list_alternative(other, resolve),
                        };
                        item.filter(|_| {
                            children
                                .iter()
                                .all(|(key, _)| key.is_empty() || key.parse::<usize>().is_ok())
                        })
                    }
                };
                match as_list {
                    Some(item) => {
                        // Indexed entries in index order; `[]` entries in the order sent.
                        children.sort_by_key(|(key, _)| key.parse::<usize>().unwrap_or(usize::MAX));
                        Value::Array(
                            children
                                .into_iter()
                                .map(|(_, child)| child.into_value(item, resolve))
                                .collect(),
                        )
                    }
                    None => {
                        let object = object_alternative(shape, resolve);
                        Value::Object(
                            children
                                .into_iter()
                                .map(|(key, child)| {
                                    let field = field_of(object, &key, resolve);
                                    let value = child.into_value(field, resolve);
                                    (key, value)
                                })
                                .collect(),
                        )
                    }
                }
            }
        }
    }
}

/// For a union, its first list alternative's item shape.
fn list_alternative<'s>(shape: &'s Shape, resolve: Resolver<'s>) -> Option<&'s Shape> {
    match concrete_shape(shape, resolve) {
        Shape::OneOf(alternatives) => {
            alternatives
                .iter()
                .find_map(|alternative| match wanted(alternative, resolve) {
                    Wanted::List(item) => Some(item),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The shape that names an object's fields: the shape itself, or a union's first object
/// alternative.
fn object_alternative<'s>(shape: &'s Shape, resolve: Resolver<'s>) -> &'s Shape {
    match concrete_shape(shape, resolve) {
        Shape::OneOf(alternatives) => alternatives
            .iter()
            .find(|alternative| matches!(wanted(alternative, resolve), Wanted::Object(_)))
            .unwrap_or(shape),
        _ => shape,
    }
}

/// `name[a][b]` → `["a", "b"]`; `None` when `key` is not `name` followed by brackets.
fn bracket_path(key: &str, name: &str) -> Option<Vec<String>> {
    let mut rest = key.strip_prefix(name)?;
    if !rest.starts_with('[') {
        return None;
    }
    let mut path = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let end = inner.find(']')?;
        path.push(inner[..end].to_owned());
        rest = &inner[end + 1..];
    }
    rest.is_empty().then_some(path)
}

impl Query {
    /// Takes a query string (or form body) apart. `+` reads as a space, as HTML forms send it.
    pub fn parse(raw: &str) -> Result<Query, String> {
        let mut pairs = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push(Pair {
                key: decode_component(key, true)?,
                raw: value.to_owned(),
                taken: false,
            });
        }
        Ok(Query { pairs })
    }

    /// Pairs whose values are already decoded text (the text parts of a multipart body).
    pub(crate) fn from_decoded(pairs: impl IntoIterator<Item = (String, String)>) -> Query {
        Query {
            pairs: pairs
                .into_iter()
                .map(|(key, text)| Pair {
                    key,
                    raw: encode_component(&text),
                    taken: false,
                })
                .collect(),
        }
    }

    /// Whether a pair with this exact key was sent (taken or not).
    pub fn contains(&self, key: &str) -> bool {
        self.pairs.iter().any(|pair| pair.key == key)
    }

    fn decoded(raw: &str) -> Result<String, String> {
        decode_component(raw, true)
    }

    /// The decoded values sent under exactly `key`, marked taken.
    fn take_plain(&mut self, key: &str) -> Result<Vec<String>, String> {
        let mut values = Vec::new();
        for pair in self
            .pairs
            .iter_mut()
            .filter(|pair| !pair.taken && pair.key == key)
        {
            pair.taken = true;
            values.push(Self::decoded(&pair.raw)?);
        }
        Ok(values)
    }

    /// The raw value of the first untaken pair under `key`.
    fn take_raw(&mut self, key: &str) -> Option<String> {
        let pair = self
            .pairs
            .iter_mut()
            .find(|pair| !pair.taken && pair.key == key)?;
        pair.taken = true;
        Some(pair.raw.clone())
    }

    /// Pairs `name[…]…=v`, as a tree; `None` when there are none.
    fn take_deep(&mut self, name: &str) -> Result<Option<Node>, String> {
        let mut root: Option<Node> = None;
        for pair in self.pairs.iter_mut().filter(|pair| !pair.taken) {
            let Some(path) = bracket_path(&pair.key, name) else {
                continue;
            };
            pair.taken = true;
            let text = Self::decoded(&pair.raw)?;
            root.get_or_insert_with(|| Node::Branch(Vec::new()))
                .insert(&path, text);
        }
        Ok(root)
    }

    /// One field whose value travels as JSON text (`contentType: application/json`).
    pub fn take_json(&mut self, name: &str) -> Result<Option<Value>, String> {
        match self.take_raw(name) {
            None => Ok(None),
            Some(raw) => serde_json::from_str(&Self::decoded(&raw)?)
                .map(Some)
                .map_err(|error| format!("`{name}` is not JSON: {error}")),
        }
    }

    /// Rebuilds parameter (or form field) `name` as the JSON value its shape describes, from
    /// every pair its codec writes; `Ok(None)` when nothing was sent for it.
    pub fn take<'s>(
        &mut self,
        name: &str,
        codec: Codec,
        shape: &'s Shape,
        resolve: Resolver<'s>,
    ) -> Result<Option<Value>, String> {
        let want = wanted(shape, resolve);
        let delimited = matches!(
            codec.style,
            Style::Form | Style::SpaceDelimited | Style::PipeDelimited
        );
        match want {
            Wanted::List(item) if delimited && !codec.explode => {
                let Some(raw) = self.take_raw(name) else {
                    return Ok(None);
                };
                let separator = match codec.style {
                    Style::SpaceDelimited => ' ',
                    Style::PipeDelimited => '|',
                    _ => ',',
                };
                let pieces = pieces(&raw, separator, true)?;
                Ok(Some(from_pieces(
                    pieces,
                    Wanted::List(item),
                    false,
                    resolve,
                )))
            }
            Wanted::Object(object) if delimited && !codec.explode => {
                let Some(raw) = self.take_raw(name) else {
                    return Ok(None);
                };
                let separator = match codec.style {
                    Style::SpaceDelimited => ' ',
                    Style::PipeDelimited => '|',
                    _ => ',',
                };
                let pieces = pieces(&raw, separator, true)?;
                Ok(Some(from_pieces(
                    pieces,
                    Wanted::Object(object),
                    false,
                    resolve,
                )))
            }
            Wanted::Object(object) if delimited => {
                // Exploded: the object's own fields are top-level pairs (`R=100&G=200`); a map
                // takes every pair no other parameter took (the plan decodes it last). Bracketed
                // pairs (`name[R]=100`) are read too.
                let mut map = Map::new();
                let declared: Vec<String> = match concrete_shape(object, resolve) {
                    Shape::Object(fields) => fields
                        .fields
                        .iter()
                        .map(|(name, _)| name.to_string())
                        .collect(),
                    _ => Vec::new(),
                };
                let takes_all = matches!(concrete_shape(object, resolve), Shape::Map(_))
                    || matches!(concrete_shape(object, resolve), Shape::Object(o) if o.additional.is_some());
                if let Some(tree @ Node::Branch(_)) = self.take_deep(name)?
                    && let Value::Object(deep) = tree.into_value(object, resolve)
                {
                    map.extend(deep);
                }
                let keys: Vec<String> = self
                    .pairs
                    .iter()
                    .filter(|pair| !pair.taken)
                    .filter(|pair| takes_all || declared.contains(&pair.key))
                    .map(|pair| pair.key.clone())
                    .collect();
                for key in keys {
                    if map.contains_key(&key) {
                        continue;
                    }
                    let texts = self.take_plain(&key)?;
                    let field = field_of(object, &key, resolve);
                    map.insert(key, Node::Leaf(texts).into_value(field, resolve));
                }
                Ok((!map.is_empty()).then_some(Value::Object(map)))
            }
            _ => {
                // Scalars, exploded lists, and everything under `deepObject`: plain pairs under
                // the name, and bracketed ones.
                let plain = self.take_plain(name)?;
                let deep = self.take_deep(name)?;
                match (plain.is_empty(), deep) {
                    (true, None) => Ok(None),
                    (false, None) => Ok(Some(Node::Leaf(plain).into_value(shape, resolve))),
                    (_, Some(mut tree)) => {
                        for text in plain {
                            tree.insert(&[String::new()], text);
                        }
                        Ok(Some(tree.into_value(shape, resolve)))
                    }
                }
            }
        }
    }

    /// Every pair no parameter took, as `(key, decoded value)`.
    pub fn untaken(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|pair| !pair.taken)
            .map(|pair| {
                let value = Self::decoded(&pair.raw).unwrap_or_else(|_| pair.raw.clone());
                (pair.key.clone(), value)
            })
            .collect()
    }

    /// The value of the first pair under `key`, decoded, without taking it (API keys).
    pub fn peek(&self, key: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|pair| pair.key == key)
            .and_then(|pair| Self::decoded(&pair.raw).ok())
    }

    /// Marks every pair under `key` taken (API keys in the query are not parameters).
    pub fn take_key(&mut self, key: &str) {
        for pair in self.pairs.iter_mut().filter(|pair| pair.key == key) {
            pair.taken = true;
        }
    }
}
