//! Unit tests of the serialization model; the full style-table test with client and server
//! crates lives in the workspace tests (`tests/tests/wire.rs`).

use serde_json::{Value, json};

use super::*;
use crate::schema::{Boxed, ItemRules, NumberRules, ObjectShape, Shape, StringRules};

/// A resolver for shapes without named types.
fn none<'s>(_: &str) -> Option<&'s Shape> {
    None
}

fn string() -> Shape {
    Shape::String(StringRules::default())
}

fn integer() -> Shape {
    Shape::Integer(NumberRules::default())
}

fn field(name: &'static str, shape: Shape) -> (&'static str, Shape) {
    (name, shape)
}

fn rgb() -> Shape {
    Shape::Object(ObjectShape {
        name: "Rgb".into(),
        fields: vec![
            field("R", integer()),
            field("G", integer()),
            field("B", integer()),
        ]
        .into(),
        ..ObjectShape::CLOSED
    })
}

fn list(item: Shape) -> Shape {
    Shape::List(Boxed::new(item), ItemRules::default())
}

#[test]
fn query_values_are_split_before_they_are_decoded() {
    let mut query = String::new();
    encode_query(
        &mut query,
        "tags",
        &json!(["a,b", "c"]),
        Codec::new(Style::Form, false),
    );
    assert_eq!(query, "tags=a%2Cb,c");
    let mut parsed = Query::parse(&query).unwrap();
    let value = parsed
        .take(
            "tags",
            Codec::new(Style::Form, false),
            &list(string()),
            &none,
        )
        .unwrap();
    assert_eq!(value, Some(json!(["a,b", "c"])));
}

#[test]
fn deep_objects_nest_with_brackets_both_ways() {
    let value = json!({"a": {"b": [1, {"c": true}]}, "m": {"k": "v w"}});
    let mut query = String::new();
    encode_query(&mut query, "x", &value, Codec::new(Style::DeepObject, true));
    assert_eq!(query, "x[a][b][0]=1&x[a][b][1][c]=true&x[m][k]=v%20w");
    let mut parsed = Query::parse(&query).unwrap();
    let back = parsed
        .take("x", Codec::new(Style::DeepObject, true), &Shape::Any, &none)
        .unwrap();
    // Untyped: numbers and booleans come back as their text, indices as a list.
    assert_eq!(
        back,
        Some(json!({"a": {"b": ["1", {"c": "true"}]}, "m": {"k": "v w"}}))
    );
    assert!(parsed.untaken().is_empty());
}

#[test]
fn allow_reserved_keeps_reserved_characters_but_not_pair_separators() {
    let mut query = String::new();
    encode_query(
        &mut query,
        "next",
        &json!("a/b:c?d&e=f"),
        Codec::FORM.reserved(),
    );
    assert_eq!(query, "next=a/b:c?d%26e%3Df");
}

#[test]
fn form_bodies_round_trip_with_their_shape() {
    let shape = Shape::Object(ObjectShape {
        name: "Body".into(),
        fields: vec![
            field("amount", integer()),
            field("colors", rgb()),
            field("tags", list(string())),
        ]
        .into(),
        additional: Some(Boxed::new(Shape::Any)),
        ..ObjectShape::CLOSED
    });
    let fields = [form::FormField {
        name: "colors",
        codec: Codec::new(Style::DeepObject, true),
        json: false,
    }];
    let body = json!({"amount": 100, "colors": {"R": 1}, "tags": ["x", "y"], "extra": "e"});
    let text = form::encode(&body, &fields).unwrap();
    assert_eq!(text, "amount=100&colors[R]=1&tags=x&tags=y&extra=e");
    let back = form::decode(text.as_bytes(), &fields, &shape, &none).unwrap();
    assert_eq!(back, body);
}

#[test]
fn multipart_bodies_round_trip() {
    let shape = Shape::Object(ObjectShape {
        name: "Upload".into(),
        fields: vec![
            field("purpose", string()),
            field("meta", rgb()),
            field("file", string()),
        ]
        .into(),
        ..ObjectShape::CLOSED
    });
    let specs = [
        multipart::PartSpec {
            name: "purpose",
            kind: multipart::PartKind::Text,
            content_type: "",
            repeated: false,
        },
        multipart::PartSpec {
            name: "meta",
            kind: multipart::PartKind::Json,
            content_type: "",
            repeated: false,
        },
        multipart::PartSpec {
            name: "file",
            kind: multipart::PartKind::File,
            content_type: "",
            repeated: false,
        },
    ];
    let mut writer = multipart::Writer::with_boundary("XyZ");
    writer.value(&specs[0], &json!("dispute_evidence"));
    writer.value(&specs[1], &json!({"R": 1}));
    let file =
        crate::Binary::new(b"%PDF-1\r\n--XyZ-not-a-boundary".to_vec()).with_filename("a.pdf");
    writer.files(&specs[2], [&file]);
    let (content_type, bytes) = writer.finish();
    assert_eq!(content_type, "multipart/form-data; boundary=XyZ");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\nContent-Type: text/plain\r\n\r\ndispute_evidence\r\n"), "{text}");
    let parts = multipart::parse(&bytes, &content_type).unwrap();
    assert_eq!(parts.len(), 3);
    let (value, mut files) = multipart::decode(parts, &specs, &shape, &none).unwrap();
    assert_eq!(
        value,
        json!({"purpose": "dispute_evidence", "meta": {"R": 1}, "file": ""})
    );
    let received = files.one("file").unwrap();
    assert_eq!(received.bytes, file.bytes);
    assert_eq!(received.filename.as_deref(), Some("a.pdf"));
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/octet-stream")
    );
}

#[test]
fn empty_values_follow_the_table() {
    assert_eq!(
        encode_path("color", &json!(""), Codec::new(Style::Matrix, false)),
        ";color"
    );
    assert_eq!(
        encode_path("color", &json!(""), Codec::new(Style::Label, false)),
        "."
    );
    let mut query = String::new();
    encode_query(
        &mut query,
        "color",
        &json!(""),
        Codec::new(Style::Form, true),
    );
    assert_eq!(query, "color=");
    let value: Value = decode_path(
        ";color",
        "color",
        Codec::new(Style::Matrix, false),
        &string(),
        &none,
    )
    .unwrap();
    assert_eq!(value, json!(""));
}
