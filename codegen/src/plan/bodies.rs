//! Bodies: which encoding each media type has, and for form and multipart bodies how every
//! property travels (the Encoding Object with OpenAPI's defaults applied).

use specgen_runtime::wire::multipart::PartKind;
use specgen_runtime::wire::{Codec, Style};

use super::{is_object, resolve_named, runtime_style};
use crate::ir::naming::{self, Uniquifier};
use crate::ir::{Api, Body, Operation, RequestBody, TypeExpr, TypeKind};

/// A request body.
pub struct BodyPlan<'a> {
    /// `required: true`.
    pub required: bool,
    /// Its description.
    pub docs: Option<&'a str>,
    /// One entry per media type, in spec order; never empty.
    pub media: Vec<MediaPlan<'a>>,
    /// With several media types: the enum of bodies (`CreatePaymentRequestBody`).
    pub enum_type: Option<String>,
}

/// A body in one media type.
pub struct MediaPlan<'a> {
    /// The body in the IR.
    pub body: &'a Body,
    /// The variant of the body enum it is, when there are several media types.
    pub variant: String,
    /// How it is written and read.
    pub encoding: BodyEncoding,
    /// What Rust value holds it.
    pub value: BodyValue,
}

/// How a body travels.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyEncoding {
    /// JSON text (`application/json`, `*+json`, `*/*`).
    Json,
    /// `application/x-www-form-urlencoded`: the properties whose encoding differs from the
    /// default (`form`, exploded, not JSON).
    Form(Vec<FormFieldPlan>),
    /// `multipart/form-data`: every property's part.
    Multipart(Vec<PartPlan>),
    /// Any `text/*`: the text as it is.
    Text,
    /// Anything else: the bytes as they are.
    Binary,
}

/// The Rust value of a body.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyValue {
    /// The schema's type.
    Typed(TypeExpr),
    /// `String`.
    Text,
    /// `Vec<u8>`.
    Bytes,
}

/// A form property with a non-default encoding.
#[derive(Clone, Debug, PartialEq)]
pub struct FormFieldPlan {
    /// The property's JSON name.
    pub name: String,
    /// Its codec.
    pub codec: Codec,
    /// `contentType` is JSON.
    pub json: bool,
}

/// How a property of a multipart body travels.
#[derive(Clone, Debug, PartialEq)]
pub struct PartPlan {
    /// The property's JSON name (the part's name).
    pub name: String,
    /// Its Rust field name in the body struct.
    pub field: String,
    /// Text, JSON, bracketed text or file.
    pub kind: PartKind,
    /// `contentType` as the spec gives it (empty: the kind's default).
    pub content_type: String,
    /// A list: one part per item.
    pub repeated: bool,
    /// For files: how many the field holds.
    pub files: Option<FileCardinality>,
}

/// How a `format: binary` field holds its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileCardinality {
    /// `Vec<Binary>` (a list property: one part per file).
    pub list: bool,
    /// How the field is stored.
    pub presence: FieldPresence,
}

/// How a struct field is stored, from its required and nullable flags (as the `types` module
/// writes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldPresence {
    /// Required and not nullable: `T`.
    Plain,
    /// Optional, or required but nullable: `Option<T>`.
    Optional,
    /// Optional and nullable: `Nullable<T>`.
    Nullable,
}

/// The encoding a media type implies, before looking at its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// The kind of a media type (parameters such as `; charset=utf-8` ignored).
pub(crate) fn media_kind(media_type: &str) -> MediaKind {
    let media = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") || media == "*/*" {
        MediaKind::Json
    } else if media == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if media == "multipart/form-data" {
        MediaKind::Multipart
    } else if media.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// Variant names of bodies in several media types, in media order.
pub(crate) fn media_variants(bodies: &[Body]) -> Vec<String> {
    let mut names = Uniquifier::new();
    bodies
        .iter()
        .map(|b| names.claim(naming::upper_camel(&b.media_type, "Media")))
        .collect()
}

fn is_json_media(media: &str) -> bool {
    media_kind(media) == MediaKind::Json
}

/// The plan of one media type of a request body.
pub(crate) fn media_plan<'a>(api: &Api, body: &'a Body, variant: String) -> MediaPlan<'a> {
    let (encoding, value) = match media_kind(&body.media_type) {
        MediaKind::Json => (BodyEncoding::Json, BodyValue::Typed(body.ty.clone())),
        MediaKind::Form => (
            BodyEncoding::Form(form_fields(api, body)),
            BodyValue::Typed(body.ty.clone()),
        ),
        MediaKind::Multipart => (
            BodyEncoding::Multipart(parts(api, body)),
            BodyValue::Typed(body.ty.clone()),
        ),
        MediaKind::Text => (BodyEncoding::Text, BodyValue::Text),
        MediaKind::Binary => (BodyEncoding::Binary, BodyValue::Bytes),
    };
    MediaPlan {
        body,
        variant,
        encoding,
        value,
    }
}

pub(super) fn body_plan<'a>(
    api: &Api,
    op: &Operation,
    body: &'a RequestBody,
) -> Option<BodyPlan<'a>> {
    if body.content.is_empty() {
        return None;
    }
    let variants = media_variants(&body.content);
    let media = body
        .content
        .iter()
        .zip(variants)
        .map(|(media, variant)| media_plan(api, media, variant))
        .collect();
    Some(BodyPlan {
        required: body.required,
        docs: body.docs.as_deref(),
        media,
        enum_type: (body.content.len() > 1).then(|| format!("{}RequestBody", op.type_name)),
    })
}

/// The declared properties of a body (`(json name, rust name, type, presence)`), when the body
/// is a struct.
fn properties<'t>(
    api: &'t Api,
    expr: &TypeExpr,
) -> Vec<(&'t str, &'t str, &'t TypeExpr, FieldPresence)> {
    match resolve_named(api, expr) {
        Some(TypeKind::Struct(st)) => st
            .fields
            .iter()
            .map(|f| {
                let presence = match (f.required, f.nullable) {
                    (true, false) => FieldPresence::Plain,
                    (false, true) => FieldPresence::Nullable,
                    _ => FieldPresence::Optional,
                };
                (f.json_name.as_str(), f.rust_name.as_str(), &f.ty, presence)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Form properties whose Encoding Object changes how they are written.
fn form_fields(api: &Api, body: &Body) -> Vec<FormFieldPlan> {
    let declared = properties(api, &body.ty);
    body.encoding
        .iter()
        .filter(|encoding| {
            declared.is_empty() || declared.iter().any(|(name, ..)| *name == encoding.property)
        })
        .filter_map(|encoding| {
            let json = encoding.content_type.as_deref().is_some_and(is_json_media);
            let style = encoding.style.map(runtime_style).unwrap_or(Style::Form);
            // `explode` defaults to true for `form` only (Encoding Object).
            let explode = encoding.explode.unwrap_or(style == Style::Form);
            let mut codec = Codec::new(style, explode);
            if encoding.allow_reserved {
                codec = codec.reserved();
            }
            (json || codec != Codec::FORM).then(|| FormFieldPlan {
                name: encoding.property.clone(),
                codec,
                json,
            })
        })
        .collect()
}

/// Every property's part of a multipart body, with OpenAPI's default content types: files
/// (`format: binary`) as their bytes, objects (and lists of objects) as JSON, the rest as text;
/// lists as repeated parts.
fn parts(api: &Api, body: &Body) -> Vec<PartPlan> {
    properties(api, &body.ty)
        .into_iter()
        .map(|(name, field, ty, presence)| {
            let encoding = body.encoding.iter().find(|e| e.property == name);
            let content_type = encoding
                .and_then(|e| e.content_type.clone())
                .unwrap_or_default();
            let (item, repeated) = match ty {
                TypeExpr::List(item) => (&**item, true),
                other => (other, false),
            };
            let files = (*item == TypeExpr::Binary).then_some(FileCardinality {
                list: repeated,
                presence,
            });
            let kind = if files.is_some() {
                PartKind::File
            } else if encoding.and_then(|e| e.style) == Some(crate::ir::ParameterStyle::DeepObject)
            {
                PartKind::Deep
            } else if !content_type.is_empty() {
                if is_json_media(&content_type) {
                    PartKind::Json
                } else {
                    PartKind::Text
                }
            } else if is_object(api, item) || *item == TypeExpr::Any {
                PartKind::Json
            } else {
                PartKind::Text
            };
            PartPlan {
                name: name.to_string(),
                field: field.to_string(),
                kind,
                content_type,
                repeated,
                files,
            }
        })
        .collect()
}
