//! `multipart/form-data` bodies (RFC 7578): one part per property, following the Encoding
//! Object's `contentType` and OpenAPI's defaults — `text/plain` for scalars (and each item of a
//! list of scalars, as repeated parts), `application/json` for objects, the file's own media
//! type (else `application/octet-stream`) for `format: binary`. A property whose encoding says
//! `style: deepObject` is written as bracketed text parts (`file_link_data[create]`), as the
//! form-encoded payment APIs that declare it expect, although OpenAPI 3.0 says `style` applies
//! to form bodies only.

use serde_json::Value;

use super::Codec;
use super::form::{FormField, decode_pairs};
use super::params::{Query, encode_query};
use super::text::{decode_component, scalar_text};
use crate::Binary;
use crate::schema::{Resolver, Shape, concrete_shape};

/// How a property travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// Text (`text/plain`): a scalar.
    Text,
    /// JSON text (`application/json`): an object, or anything the encoding says is JSON.
    Json,
    /// Bracketed text parts (`name[key]`), for `style: deepObject`.
    Deep,
    /// A file (`format: binary`): its bytes.
    File,
}

/// The encoding of one property of a multipart body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartSpec<'a> {
    /// The property's JSON name, which is the part's name.
    pub name: &'a str,
    /// How it travels.
    pub kind: PartKind,
    /// The part's `Content-Type`; empty for the default of its kind.
    pub content_type: &'a str,
    /// A list property: one part per item, all under the property's name.
    pub repeated: bool,
}

/// Builds a multipart body part by part.
#[derive(Debug)]
pub struct Writer {
    boundary: String,
    body: Vec<u8>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// A writer with a fresh random boundary.
    pub fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0x5eed);
        let random = hasher.finish();
        Writer::with_boundary(format!("specgen-{random:016x}"))
    }

    /// A writer with a chosen boundary (tests that pin bytes).
    pub fn with_boundary(boundary: impl Into<String>) -> Self {
        Writer {
            boundary: boundary.into(),
            body: Vec::new(),
        }
    }

    fn part(&mut self, name: &str, filename: Option<&str>, content_type: &str, bytes: &[u8]) {
        let quoted = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.body.extend_from_slice(quoted(name).as_bytes());
        self.body.push(b'"');
        if let Some(filename) = filename {
            self.body.extend_from_slice(b"; filename=\"");
            self.body.extend_from_slice(quoted(filename).as_bytes());
            self.body.push(b'"');
        }
        self.body.extend_from_slice(b"\r\nContent-Type: ");
        self.body.extend_from_slice(content_type.as_bytes());
        self.body.extend_from_slice(b"\r\n\r\n");
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    /// Writes a property that is not a file (its JSON value; `null` writes nothing).
    pub fn value(&mut self, spec: &PartSpec<'_>, value: &Value) {
        let chosen = |default: &'static str| -> String {
            if spec.content_type.is_empty() {
                default.to_owned()
            } else {
                spec.content_type.to_owned()
            }
        };
        match (value, spec.kind) {
            (Value::Null, _) => {}
            (_, PartKind::Deep) => {
                let mut pairs = String::new();
                encode_query(
                    &mut pairs,
                    spec.name,
                    value,
                    Codec::new(super::Style::DeepObject, true),
                );
                let content_type = chosen("text/plain");
                for pair in pairs.split('&').filter(|p| !p.is_empty()) {
                    let (key, text) = pair.split_once('=').unwrap_or((pair, ""));
                    let key = decode_component(key, false).unwrap_or_else(|_| key.to_owned());
                    let text = decode_component(text, false).unwrap_or_else(|_| text.to_owned());
                    self.part(&key, None, &content_type, text.as_bytes());
                }
            }
            (Value::Array(items), _) if spec.repeated => {
                let single = PartSpec {
                    repeated: false,
                    ..*spec
                };
                for item in items {
                    let single = if item.is_object() && single.kind == PartKind::Text {
                        PartSpec {
                            kind: PartKind::Json,
                            ..single
                        }
                    } else {
                        single
                    };
                    self.value(&single, item);
                }
            }
            (_, PartKind::Json) => {
                let content_type = chosen("application/json");
                self.part(spec.name, None, &content_type, value.to_string().as_bytes());
            }
            (_, PartKind::Text | PartKind::File) => {
                let content_type = chosen("text/plain");
                let text = scalar_text(value).unwrap_or_default();
                self.part(spec.name, None, &content_type, text.as_bytes());
            }
        }
    }

    /// Writes a file property: one part per file (a list property sends several under one name).
    pub fn files<'b>(&mut self, spec: &PartSpec<'_>, files: impl IntoIterator<Item = &'b Binary>) {
        for file in files {
            let content_type = file
                .content_type
                .as_deref()
                .or((!spec.content_type.is_empty()).then_some(spec.content_type))
                // `image/png, image/jpeg` lists what is accepted; the first names what is sent.
                .map(|listed| listed.split(',').next().unwrap_or(listed).trim().to_owned())
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            let filename = file.filename.as_deref().unwrap_or(spec.name);
            self.part(spec.name, Some(filename), &content_type, &file.bytes);
        }
    }

    /// The body and its `Content-Type` (with the boundary).
    pub fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body.extend_from_slice(b"--\r\n");
        (
            format!("multipart/form-data; boundary={}", self.boundary),
            self.body,
        )
    }
}

/// One received part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// `name` of its `Content-Disposition`.
    pub name: String,
    /// `filename` of its `Content-Disposition`.
    pub filename: Option<String>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Its content.
    pub body: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| &haystack[i..i + needle.len()] == needle)
}

/// The value of `parameter` (`name`, `filename`) in a `Content-Disposition` header.
fn disposition_parameter(header: &str, parameter: &str) -> Option<String> {
    for piece in header.split(';').skip(1) {
        let (key, value) = piece.trim().split_once('=')?;
        if key.trim().eq_ignore_ascii_case(parameter) {
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(|v| v.replace("\\\"", "\"").replace("\\\\", "\\"))
                .unwrap_or_else(|| value.to_owned());
            return Some(unquoted);
        }
    }
    None
}

/// The `boundary` parameter of a `multipart/*` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|piece| {
        let (key, value) = piece.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Where the part starting at `from` ends: the next line that is the delimiter (followed by
/// `--`, a line break or padding — a delimiter-like text inside the content is not one).
fn closing_delimiter(body: &[u8], delimiter: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut search = from;
    loop {
        let newline = find(body, b"\n", search)?;
        let line_start = newline + 1;
        let content_end = if newline > from && body[newline - 1] == b'\r' {
            newline - 1
        } else {
            newline
        };
        let after = line_start + delimiter.len();
        if body.len() >= after && &body[line_start..after] == delimiter {
            let rest = &body[after..];
            if rest.starts_with(b"--")
                || rest.starts_with(b"\r\n")
                || rest.starts_with(b"\n")
                || rest.first().is_some_and(|b| *b == b' ' || *b == b'\t')
                || rest.is_empty()
            {
                return Some((content_end, after));
            }
        }
        search = line_start;
    }
}

/// Takes a `multipart/form-data` body apart (the boundary comes from `content_type`).
pub fn parse(body: &[u8], content_type: &str) -> Result<Vec<Part>, String> {
    let boundary =
        boundary(content_type).ok_or_else(|| "a multipart body needs a boundary".to_string())?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0)
        .ok_or_else(|| "the multipart body has no part delimiter".to_string())?
        + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        while body[at..]
            .first()
            .is_some_and(|b| *b == b' ' || *b == b'\t')
        {
            at += 1;
        }
        let start = if body[at..].starts_with(b"\r\n") {
            at + 2
        } else if body[at..].starts_with(b"\n") {
            at + 1
        } else {
            return Err("malformed multipart delimiter line".into());
        };
        let (head_end, content_start) = match find(body, b"\r\n\r\n", start) {
            Some(end) => (end, end + 4),
            None => match find(body, b"\n\n", start) {
                Some(end) => (end, end + 2),
                None => return Err("a multipart part has no end of headers".into()),
            },
        };
        let (content_end, next) = closing_delimiter(body, delimiter, content_start)
            .ok_or_else(|| "the multipart body is not terminated".to_string())?;
        let head = String::from_utf8_lossy(&body[start..head_end]);
        let mut name = None;
        let mut filename = None;
        let mut part_type = None;
        for line in head.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                name = disposition_parameter(value, "name");
                filename = disposition_parameter(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                part_type = Some(value.trim().to_owned());
            }
        }
        let name = name.ok_or_else(|| "a multipart part has no name".to_string())?;
        parts.push(Part {
            name,
            filename,
            content_type: part_type,
            body: body[content_start..content_end].to_vec(),
        });
        at = next;
    }
}

/// The files of a received multipart body, taken out by property name.
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<(String, Binary)>,
}

impl Files {
    /// The first file sent under `name`.
    pub fn one(&mut self, name: &str) -> Option<Binary> {
        let index = self.files.iter().position(|(key, _)| key == name)?;
        Some(self.files.remove(index).1)
    }

    /// Every file sent under `name`, in order.
    pub fn all(&mut self, name: &str) -> Vec<Binary> {
        let (taken, kept) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(key, _)| key == name);
        self.files = kept;
        taken.into_iter().map(|(_, file)| file).collect()
    }
}

/// Reads received parts into the JSON value the body's shape describes (files stand in as empty
/// strings, so required files are checked like any field) and the files themselves.
pub fn decode<'s>(
    parts: Vec<Part>,
    specs: &[PartSpec<'_>],
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> Result<(Value, Files), String> {
    let spec_of = |name: &str| {
        let base = name.split('[').next().unwrap_or(name);
        specs.iter().find(|spec| spec.name == base)
    };
    let mut texts = Vec::new();
    let mut json_items: Vec<(String, Value)> = Vec::new();
    let mut files = Files::default();
    for part in parts {
        let spec = spec_of(&part.name);
        let is_file = match spec {
            Some(spec) => spec.kind == PartKind::File,
            None => part.filename.is_some(),
        };
        if is_file {
            let file = Binary {
                bytes: part.body,
                filename: part.filename,
                content_type: part.content_type,
            };
            files.files.push((part.name, file));
        } else {
            let text = String::from_utf8(part.body)
                .map_err(|_| format!("the part `{}` is not UTF-8 text", part.name))?;
            if spec.is_some_and(|spec| spec.kind == PartKind::Json && spec.repeated) {
                let item = serde_json::from_str(&text)
                    .map_err(|error| format!("the part `{}` is not JSON: {error}", part.name))?;
                json_items.push((part.name, item));
            } else {
                texts.push((part.name, text));
            }
        }
    }
    let fields: Vec<FormField<'_>> = specs
        .iter()
        .map(|spec| FormField {
            name: spec.name,
            codec: if spec.kind == PartKind::Deep {
                Codec::new(super::Style::DeepObject, true)
            } else {
                Codec::FORM
            },
            json: spec.kind == PartKind::Json && !spec.repeated,
        })
        .collect();
    let mut value = decode_pairs(Query::from_decoded(texts), &fields, shape, resolve)?;
    if let Value::Object(map) = &mut value {
        let list_field = |name: &str| match concrete_shape(shape, resolve) {
            Shape::Object(object) => object.fields.iter().any(|(field, shape)| {
                *field == name && matches!(concrete_shape(shape, resolve), Shape::List(..))
            }),
            _ => false,
        };
        for (name, item) in json_items {
            match map.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(item),
                other => *other = Value::Array(vec![other.take(), item]),
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in &files.files {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        for name in names {
            let count = files.files.iter().filter(|(key, _)| key == name).count();
            let placeholder = if list_field(name) || count > 1 {
                Value::Array(vec![Value::String(String::new()); count])
            } else {
                Value::String(String::new())
            };
            map.insert(name.to_owned(), placeholder);
        }
    }
    Ok((value, files))
}
