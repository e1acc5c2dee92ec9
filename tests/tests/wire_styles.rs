//! Every row of OpenAPI 3.0.3's Style Examples table, pinned byte for byte through the runtime's
//! one serialization model, and decoded back (as a generated server does) to the same value.
//!
//! Where this table differs from 3.0.3's it follows OpenAPI 3.0.4, the errata release of the same
//! line (see `runtime/src/wire/mod.rs`): `label` without `explode` separates with `,`;
//! `spaceDelimited`/`pipeDelimited` carry the name; the `pipeDelimited` object row reads
//! `B|150` (3.0.3 has `G|150`). `|`, `[`, `]` stay unencoded as in 3.0.3's table.

use serde_json::{Value, json};
use specgen_runtime::schema::{Boxed, ItemRules, NumberRules, ObjectShape, Shape, StringRules};
use specgen_runtime::wire::{
    Codec, Query, Style, decode_cookie, decode_header, decode_path, encode_cookie, encode_header,
    encode_path, encode_query,
};

fn no_names<'s>(_: &str) -> Option<&'s Shape> {
    None
}

fn string() -> Shape {
    Shape::String(StringRules::default())
}

fn rgb() -> Shape {
    let field = |name: &'static str| (name, Shape::Integer(NumberRules::default()));
    Shape::Object(ObjectShape {
        name: "Color".into(),
        fields: vec![field("R"), field("G"), field("B")].into(),
        required: std::borrow::Cow::Borrowed(&["R", "G", "B"]),
        ..ObjectShape::CLOSED
    })
}

/// The table's four values, with the shapes a server decodes them with.
fn values() -> [(&'static str, Value, Shape); 4] {
    [
        ("empty", json!(""), string()),
        ("string", json!("blue"), string()),
        (
            "array",
            json!(["blue", "black", "brown"]),
            Shape::List(Boxed::new(string()), ItemRules::default()),
        ),
        ("object", json!({"R": 100, "G": 200, "B": 150}), rgb()),
    ]
}

/// `(style, explode, [empty, string, array, object])`; `None` is the table's n/a.
type Row = (Style, bool, [Option<&'static str>; 4]);

const PATH_ROWS: &[Row] = &[
    (
        Style::Matrix,
        false,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue,black,brown"),
            Some(";color=R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Matrix,
        true,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue;color=black;color=brown"),
            Some(";R=100;G=200;B=150"),
        ],
    ),
    (
        Style::Label,
        false,
        [
            Some("."),
            Some(".blue"),
            Some(".blue,black,brown"),
            Some(".R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Label,
        true,
        [
            Some("."),
            Some(".blue"),
            Some(".blue.black.brown"),
            Some(".R=100.G=200.B=150"),
        ],
    ),
    (
        Style::Simple,
        false,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Simple,
        true,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R=100,G=200,B=150"),
        ],
    ),
];

const QUERY_ROWS: &[Row] = &[
    (
        Style::Form,
        false,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue,black,brown"),
            Some("color=R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Form,
        true,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue&color=black&color=brown"),
            Some("R=100&G=200&B=150"),
        ],
    ),
    (
        Style::SpaceDelimited,
        false,
        [
            None,
            None,
            Some("color=blue%20black%20brown"),
            Some("color=R%20100%20G%20200%20B%20150"),
        ],
    ),
    (
        Style::PipeDelimited,
        false,
        [
            None,
            None,
            Some("color=blue|black|brown"),
            Some("color=R|100|G|200|B|150"),
        ],
    ),
    (
        Style::DeepObject,
        true,
        [
            None,
            None,
            None,
            Some("color[R]=100&color[G]=200&color[B]=150"),
        ],
    ),
];

#[test]
fn path_rows_encode_to_the_table_and_decode_back() {
    let mut checked = 0;
    for (style, explode, expected) in PATH_ROWS {
        let codec = Codec::new(*style, *explode);
        for ((kind, value, shape), expected) in values().iter().zip(expected) {
            let Some(expected) = expected else { continue };
            assert_eq!(
                encode_path("color", value, codec),
                *expected,
                "{style:?} explode={explode} {kind}"
            );
            let decoded = decode_path(expected, "color", codec, shape, &no_names)
                .unwrap_or_else(|e| panic!("{style:?} explode={explode} {kind}: {e}"));
            assert_eq!(&decoded, value, "{style:?} explode={explode} {kind}");
            checked += 1;
        }
    }
    assert_eq!(checked, 22, "every non-n/a path cell");
}

#[test]
fn query_rows_encode_to_the_table_and_decode_back() {
    let mut checked = 0;
    for (style, explode, expected) in QUERY_ROWS {
        let codec = Codec::new(*style, *explode);
        for ((kind, value, shape), expected) in values().iter().zip(expected) {
            let Some(expected) = expected else { continue };
            let mut query = String::new();
            encode_query(&mut query, "color", value, codec);
            assert_eq!(query, *expected, "{style:?} explode={explode} {kind}");
            let mut parsed = Query::parse(expected).expect("parses");
            let decoded = parsed
                .take("color", codec, shape, &no_names)
                .unwrap_or_else(|e| panic!("{style:?} explode={explode} {kind}: {e}"));
            assert_eq!(
                decoded.as_ref(),
                Some(value),
                "{style:?} explode={explode} {kind}"
            );
            assert!(parsed.untaken().is_empty(), "every pair is read");
            checked += 1;
        }
    }
    assert_eq!(checked, 13, "every non-n/a query cell");
}

#[test]
fn servers_also_read_the_percent_encoded_delimiters_of_3_0_4() {
    let list = Shape::List(Boxed::new(string()), ItemRules::default());
    for (style, text) in [
        (Style::PipeDelimited, "color=blue%7Cblack%7Cbrown"),
        (Style::SpaceDelimited, "color=blue+black+brown"),
    ] {
        let mut parsed = Query::parse(text).unwrap();
        let value = parsed
            .take("color", Codec::new(style, false), &list, &no_names)
            .unwrap();
        assert_eq!(value, Some(json!(["blue", "black", "brown"])), "{text}");
    }
    let mut parsed = Query::parse("color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150").unwrap();
    let value = parsed
        .take(
            "color",
            Codec::new(Style::DeepObject, true),
            &rgb(),
            &no_names,
        )
        .unwrap();
    assert_eq!(value, Some(json!({"R": 100, "G": 200, "B": 150})));
}

#[test]
fn headers_and_cookies_follow_simple_and_form() {
    let [
        _,
        (_, blue, string_shape),
        (_, colors, list_shape),
        (_, rgb_value, rgb_shape),
    ] = values();
    for explode in [false, true] {
        let codec = Codec::new(Style::Simple, explode);
        assert_eq!(encode_header(&blue, codec).as_deref(), Some("blue"));
        assert_eq!(
            encode_header(&colors, codec).as_deref(),
            Some("blue,black,brown")
        );
        let object = if explode {
            "R=100,G=200,B=150"
        } else {
            "R,100,G,200,B,150"
        };
        assert_eq!(encode_header(&rgb_value, codec).as_deref(), Some(object));
        assert_eq!(
            decode_header("blue,black,brown", codec, &list_shape, &no_names),
            colors
        );
        assert_eq!(
            decode_header(object, codec, &rgb_shape, &no_names),
            rgb_value
        );
        assert_eq!(decode_header("blue", codec, &string_shape, &no_names), blue);
    }
    let cookie =
        |value: &Value, explode| encode_cookie("color", value, Codec::new(Style::Form, explode));
    assert_eq!(cookie(&colors, false), ["color=blue,black,brown"]);
    assert_eq!(
        cookie(&colors, true),
        ["color=blue", "color=black", "color=brown"]
    );
    assert_eq!(cookie(&rgb_value, true), ["R=100", "G=200", "B=150"]);
    assert_eq!(
        decode_cookie(
            "session=x; color=blue; color=black; color=brown",
            "color",
            Codec::new(Style::Form, true),
            &list_shape,
            &no_names
        ),
        Ok(Some(colors.clone()))
    );
    assert_eq!(
        decode_cookie(
            "color=blue,black,brown",
            "color",
            Codec::new(Style::Form, false),
            &list_shape,
            &no_names
        ),
        Ok(Some(colors))
    );
}
