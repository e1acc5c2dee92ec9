//! Schema shapes and the one validator that checks JSON values against them.
//!
//! Generated crates describe each of their types as a `static` [`Shape`] (module `schema`), so a
//! generated server can reject a bad request with the JSON pointer of every problem before any
//! handler runs; specgen itself builds the same shapes from its IR to check the specs' examples.
//! Shapes borrow in generated statics and own when built at run time, hence the `Cow`s.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

/// A list that is `&'static [T]` in generated code and a `Vec<T>` when built at run time.
pub type List<T> = Cow<'static, [T]>;

/// A text that is `&'static str` in generated code and a `String` when built at run time.
pub type Text = Cow<'static, str>;

/// One nested shape: a one-element slice, because `Box` cannot appear in a `static` while a
/// slice can (borrowed in generated code, owned at run time).
#[derive(Clone, Debug, PartialEq)]
pub struct Boxed(pub List<Shape>);

impl Boxed {
    /// Wraps a shape built at run time.
    pub fn new(shape: Shape) -> Self {
        Boxed(Cow::Owned(vec![shape]))
    }

    /// Wraps a static one-element slice (generated code).
    pub const fn borrowed(shape: &'static [Shape; 1]) -> Self {
        Boxed(Cow::Borrowed(shape))
    }

    /// The shape.
    pub fn get(&self) -> &Shape {
        &self.0[0]
    }
}

mod streaming;

#[doc(hidden)]
pub use streaming::validate_slice;

/// What a JSON value must look like.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Any value.
    Any,
    /// `true` or `false`.
    Boolean,
    /// A string within limits.
    String(StringRules),
    /// A string holding an ISO 8601 date-time.
    DateTime,
    /// A string holding an ISO 8601 date.
    Date,
    /// An integer within limits.
    Integer(NumberRules),
    /// A number within limits.
    Number(NumberRules),
    /// An array of one shape.
    List(Boxed, ItemRules),
    /// An object whose every value has one shape.
    Map(Boxed),
    /// `null` or the shape.
    Nullable(Boxed),
    /// A named type, resolved through the [`Resolver`].
    Named(Text),
    /// An object with declared fields.
    Object(ObjectShape),
    /// One of the listed strings (interned when built at run time, like field names).
    StringEnum(List<&'static str>),
    /// One of the listed integers, or any integer in a listed range.
    IntegerEnum(List<i64>, List<(i64, i64)>),
    /// At least one alternative fits.
    OneOf(List<Shape>),
    /// The alternative is chosen by the string at `property`.
    Tagged(Text, List<(Text, Shape)>),
}

/// String limits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringRules {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA 262 as written; checked with Rust's `regex`, skipped if it does not compile).
    pub pattern: Option<Text>,
    /// `format` among those checked here: `email`, `uri`, `uuid`.
    pub format: Option<Text>,
}

/// Numeric limits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NumberRules {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// Must fit in 32 bits (`format: int32`).
    pub int32: bool,
    /// `x-accept-numeric-string`: a JSON string that reads as the number (`"100"`) passes too,
    /// for APIs whose documented request examples send numbers as strings.
    pub accepts_numeric_string: bool,
}

/// Array limits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemRules {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
}

impl StringRules {
    /// No limits.
    pub const NONE: StringRules = StringRules {
        min_length: None,
        max_length: None,
        pattern: None,
        format: None,
    };
}

impl NumberRules {
    /// No limits.
    pub const NONE: NumberRules = NumberRules {
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        int32: false,
        accepts_numeric_string: false,
    };

    /// No limits but 32 bits (`format: int32`).
    pub const INT32: NumberRules = NumberRules {
        int32: true,
        ..NumberRules::NONE
    };
}

impl ItemRules {
    /// No limits.
    pub const NONE: ItemRules = ItemRules {
        min_items: None,
        max_items: None,
    };
}

/// Constant shapes, so generated statics spell the common ones in a word.
impl Shape {
    /// A string without limits.
    pub const STRING: Shape = Shape::String(StringRules::NONE);
    /// An integer without limits.
    pub const INTEGER: Shape = Shape::Integer(NumberRules::NONE);
    /// A 32-bit integer without other limits.
    pub const INT32: Shape = Shape::Integer(NumberRules::INT32);
    /// A number without limits.
    pub const NUMBER: Shape = Shape::Number(NumberRules::NONE);

    /// A named type of the crate.
    pub const fn named(name: &'static str) -> Shape {
        Shape::Named(Cow::Borrowed(name))
    }
}

/// An object's fields.
///
/// Field names are `&'static str`: literals in generated statics, interned names when a shape
/// is built at run time (specgen does that once per distinct name).
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectShape {
    /// The type's name, for messages.
    pub name: Text,
    /// Declared fields: JSON name and the value's shape, in declaration order.
    pub fields: List<(&'static str, Shape)>,
    /// Names of the fields that must be present.
    pub required: List<&'static str>,
    /// Names of the fields that may be `null`.
    pub nullable: List<&'static str>,
    /// Shape of undeclared fields; `None` rejects them.
    pub additional: Option<Boxed>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

impl ObjectShape {
    /// An object without fields that admits no others: the base generated statics complete
    /// with `..ObjectShape::CLOSED`, so they spell only what differs.
    pub const CLOSED: ObjectShape = ObjectShape {
        name: Cow::Borrowed(""),
        fields: Cow::Borrowed(&[]),
        required: Cow::Borrowed(&[]),
        nullable: Cow::Borrowed(&[]),
        additional: None,
        min_properties: None,
        max_properties: None,
    };

    /// Every declared field, in declaration order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'_>> {
        (0..self.fields.len()).map(|index| self.field_at(index))
    }

    /// The declared field at `index` (of [`Self::fields`]).
    ///
    /// # Panics
    /// When `index` is out of range.
    pub fn field_at(&self, index: usize) -> Field<'_> {
        let (name, shape) = &self.fields[index];
        Field {
            name,
            shape,
            required: self.required.contains(name),
            nullable: self.nullable.contains(name),
        }
    }

    /// The position of the declared field called `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(field, _)| *field == name)
    }

    /// True when a field called `name` is declared.
    pub fn declares(&self, name: &str) -> bool {
        self.position(name).is_some()
    }
}

/// One declared field of an [`ObjectShape`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field<'s> {
    /// JSON name.
    pub name: &'static str,
    /// The value's shape.
    pub shape: &'s Shape,
    /// Must be present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
}

/// One way a value breaks its shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer into the value (`/amount`), empty for the value itself.
    pub pointer: String,
    /// What is wrong.
    pub reason: String,
}

/// Looks named types up (a generated crate's `schema::shape_of`).
pub type Resolver<'r> = &'r dyn Fn(&str) -> Option<&'r Shape>;

/// Every violation of `value` against `shape` (empty when it conforms).
pub fn validate(shape: &Shape, value: &Value, resolve: Resolver<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    check(shape, value, resolve, &mut String::new(), &mut out);
    out
}

fn push(out: &mut Vec<Violation>, pointer: &str, reason: String) {
    out.push(Violation {
        pointer: pointer.to_string(),
        reason,
    });
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn with_segment(pointer: &mut String, segment: &str, f: impl FnOnce(&mut String)) {
    let length = pointer.len();
    pointer.push('/');
    // Escaping allocates; almost no field name needs it, and this runs per field per request.
    if segment.contains(['~', '/']) {
        pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(segment);
    }
    f(pointer);
    pointer.truncate(length);
}

fn check(
    shape: &Shape,
    value: &Value,
    resolve: Resolver<'_>,
    pointer: &mut String,
    out: &mut Vec<Violation>,
) {
    match shape {
        Shape::Any => {}
        Shape::Nullable(inner) => {
            if !value.is_null() {
                check(inner.get(), value, resolve, pointer, out);
            }
        }
        Shape::Boolean => {
            if !value.is_boolean() {
                push(
                    out,
                    pointer,
                    format!("expected a boolean, found {}", kind_of(value)),
                );
            }
        }
        Shape::String(rules) => match value.as_str() {
            Some(text) => check_string(rules, text, pointer, out),
            None => push(
                out,
                pointer,
                format!("expected a string, found {}", kind_of(value)),
            ),
        },
        Shape::DateTime | Shape::Date => match value.as_str() {
            Some(text) => {
                let ok = if matches!(shape, Shape::DateTime) {
                    crate::DateTime::parse(text).is_ok()
                } else {
                    crate::Date::parse(text).is_ok()
                };
                if !ok {
                    let expected = if matches!(shape, Shape::DateTime) {
                        "date-time"
                    } else {
                        "date"
                    };
                    push(
                        out,
                        pointer,
                        format!("`{text}` is not an ISO 8601 {expected}"),
                    );
                }
            }
            None => push(
                out,
                pointer,
                format!("expected a string, found {}", kind_of(value)),
            ),
        },
        Shape::Integer(rules) => match numeric_reading(rules, value, |text| {
            text.parse::<i64>().ok().map(Value::from)
        })
        .as_ref()
        .unwrap_or(value)
        .as_i64()
        {
            Some(n) if rules.int32 && i32::try_from(n).is_err() => {
                push(out, pointer, format!("{n} does not fit a 32-bit integer"));
            }
            Some(n) => check_number(rules, n as f64, pointer, out),
            None => push(
                out,
                pointer,
                format!("expected an integer, found {}", kind_of(value)),
            ),
        },
        Shape::Number(rules) => match numeric_reading(rules, value, |text| {
            text.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from)
        })
        .as_ref()
        .unwrap_or(value)
        .as_f64()
        {
            Some(n) => check_number(rules, n, pointer, out),
            None => push(
                out,
                pointer,
                format!("expected a number, found {}", kind_of(value)),
            ),
        },
        Shape::List(item, rules) => match value.as_array() {
            Some(items) => {
                let count = items.len() as u64;
                if let Some(min) = rules.min_items.filter(|min| count < *min) {
                    push(
                        out,
                        pointer,
                        format!("has {count} items, fewer than the minimum {min}"),
                    );
                }
                if let Some(max) = rules.max_items.filter(|max| count > *max) {
                    push(
                        out,
                        pointer,
                        format!("has {count} items, more than the maximum {max}"),
                    );
                }
                for (index, item_value) in items.iter().enumerate() {
                    with_segment(pointer, &index.to_string(), |p| {
                        check(item.get(), item_value, resolve, p, out)
                    });
                }
            }
            None => push(
                out,
                pointer,
                format!("expected an array, found {}", kind_of(value)),
            ),
        },
        Shape::Map(entry) => match value.as_object() {
            Some(map) => {
                for (key, entry_value) in map {
                    with_segment(pointer, key, |p| {
                        check(entry.get(), entry_value, resolve, p, out)
                    });
                }
            }
            None => push(
                out,
                pointer,
                format!("expected an object, found {}", kind_of(value)),
            ),
        },
        Shape::Named(name) => match resolve(name) {
            Some(target) => check(target, value, resolve, pointer, out),
            None => push(out, pointer, format!("unknown type {name}")),
        },
        Shape::StringEnum(values) => match value.as_str() {
            Some(text) if values.contains(&text) => {}
            Some(text) => push(
                out,
                pointer,
                format!("`{text}` is not one of the documented values"),
            ),
            None => push(
                out,
                pointer,
                format!("expected a string, found {}", kind_of(value)),
            ),
        },
        Shape::IntegerEnum(codes, ranges) => match value.as_i64() {
            Some(code)
                if codes.contains(&code)
                    || ranges
                        .iter()
                        .any(|(min, max)| (*min..=*max).contains(&code)) => {}
            Some(code) => push(out, pointer, format!("{code} is not a documented code")),
            None => push(
                out,
                pointer,
                format!("expected an integer code, found {}", kind_of(value)),
            ),
        },
        Shape::Object(object) => check_object(object, value, resolve, pointer, out),
        Shape::OneOf(alternatives) => {
            if !alternatives
                .iter()
                .any(|alternative| validate(alternative, value, resolve).is_empty())
            {
                push(
                    out,
                    pointer,
                    "matches none of the documented alternatives".into(),
                );
            }
        }
        Shape::Tagged(property, alternatives) => {
            let tag = value.get(property.as_ref()).and_then(Value::as_str);
            match alternatives
                .iter()
                .find(|(name, _)| Some(name.as_ref()) == tag)
            {
                // An alternative whose type leaves the tag to the union does not declare it.
                Some((_, alternative)) => match value {
                    Value::Object(map) if !declares(alternative, property, resolve) => {
                        let mut rest = map.clone();
                        rest.shift_remove(property.as_ref());
                        check(alternative, &Value::Object(rest), resolve, pointer, out)
                    }
                    _ => check(alternative, value, resolve, pointer, out),
                },
                None => push(
                    out,
                    pointer,
                    format!("`{property}` does not name a documented alternative"),
                ),
            }
        }
    }
}

/// False when `shape` is an object (possibly named) without a field called `property`.
fn declares(shape: &Shape, property: &str, resolve: Resolver<'_>) -> bool {
    match shape {
        Shape::Named(name) => resolve(name).is_none_or(|shape| declares(shape, property, resolve)),
        Shape::Object(object) => object.declares(property),
        _ => true,
    }
}

/// Compiled patterns, shared by every request (patterns come from the spec: a fixed, small set).
fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    // One cache per thread: a shared, locked cache made the server's worker threads queue on
    // each other for every checked string.
    thread_local! {
        static CACHE: RefCell<HashMap<Box<str>, Option<regex::Regex>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            cache.insert(pattern.into(), regex::Regex::new(pattern).ok());
        }
        cache
            .get(pattern)
            .and_then(|compiled| compiled.as_ref().map(|regex| regex.is_match(text)))
    })
}

/// The formats checked here; others are documentation.
fn format_matches(format: &str, text: &str) -> bool {
    match format {
        "email" => match text.rsplit_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !text.chars().any(|c| c.is_whitespace() || c.is_control())
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !local.starts_with('.')
                    && !local.ends_with('.')
            }
            None => false,
        },
        "uri" | "url" => match text.split_once(':') {
            Some((scheme, rest)) => {
                scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                    && !rest.is_empty()
                    && !text.chars().any(|c| {
                        c.is_whitespace()
                            || c.is_control()
                            || matches!(c, '<' | '>' | '"' | '\\' | '^' | '`' | '{' | '|' | '}')
                    })
            }
            None => false,
        },
        "uuid" => {
            let bytes = text.as_bytes();
            bytes.len() == 36
                && bytes.iter().enumerate().all(|(i, b)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        *b == b'-'
                    } else {
                        b.is_ascii_hexdigit()
                    }
                })
        }
        _ => true,
    }
}

fn check_string(rules: &StringRules, text: &str, pointer: &str, out: &mut Vec<Violation>) {
    if let Some(pattern) = &rules.pattern
        && pattern_matches(pattern, text) == Some(false)
    {
        push(
            out,
            pointer,
            format!("does not match the pattern `{pattern}`"),
        );
    }
    if let Some(format) = &rules.format
        && !format_matches(format, text)
    {
        push(out, pointer, format!("is not a valid {format}"));
    }
    if rules.min_length.is_none() && rules.max_length.is_none() {
        return;
    }
    let length = text.chars().count() as u64;
    if let Some(min) = rules.min_length.filter(|min| length < *min) {
        push(
            out,
            pointer,
            format!("is {length} characters long, shorter than the minimum {min}"),
        );
    }
    if let Some(max) = rules.max_length.filter(|max| length > *max) {
        push(
            out,
            pointer,
            format!("is {length} characters long, longer than the maximum {max}"),
        );
    }
}

/// The number a string stands for, where the rules accept numbers written as strings.
fn numeric_reading(
    rules: &NumberRules,
    value: &Value,
    parse: impl FnOnce(&str) -> Option<Value>,
) -> Option<Value> {
    match value {
        Value::String(text) if rules.accepts_numeric_string => parse(text),
        _ => None,
    }
}

fn check_number(rules: &NumberRules, n: f64, pointer: &str, out: &mut Vec<Violation>) {
    if let Some(min) = rules.minimum
        && (n < min || (rules.exclusive_minimum && n == min))
    {
        push(out, pointer, format!("{n} is below the minimum {min}"));
    }
    if let Some(max) = rules.maximum
        && (n > max || (rules.exclusive_maximum && n == max))
    {
        push(out, pointer, format!("{n} is above the maximum {max}"));
    }
}

fn check_object(
    object: &ObjectShape,
    value: &Value,
    resolve: Resolver<'_>,
    pointer: &mut String,
    out: &mut Vec<Violation>,
) {
    let Some(map) = value.as_object() else {
        push(
            out,
            pointer,
            format!(
                "expected a {} object, found {}",
                object.name,
                kind_of(value)
            ),
        );
        return;
    };
    for field in object.fields() {
        match map.get(field.name) {
            None if field.required => push(
                out,
                pointer,
                format!("missing required field `{}`", field.name),
            ),
            None => {}
            Some(Value::Null) if field.nullable || *field.shape == Shape::Any => {}
            Some(Value::Null) => with_segment(pointer, field.name, |p| {
                push(out, p, "must not be null".into())
            }),
            Some(field_value) => with_segment(pointer, field.name, |p| {
                check(field.shape, field_value, resolve, p, out);
            }),
        }
    }
    let count = map.len() as u64;
    if let Some(min) = object.min_properties.filter(|min| count < *min) {
        push(
            out,
            pointer,
            format!("has {count} properties, fewer than the minimum {min}"),
        );
    }
    if let Some(max) = object.max_properties.filter(|max| count > *max) {
        push(
            out,
            pointer,
            format!("has {count} properties, more than the maximum {max}"),
        );
    }
    for (key, extra) in map {
        if object.declares(key) {
            continue;
        }
        match &object.additional {
            Some(shape) => {
                with_segment(pointer, key, |p| check(shape.get(), extra, resolve, p, out))
            }
            None => with_segment(pointer, key, |p| {
                push(out, p, format!("is not a field of {}", object.name))
            }),
        }
    }
}

/// The smallest value that fits `shape`: required fields only, minimal lengths and counts, the
/// first documented enum value. Mock servers answer with it when the spec has no example.
#[doc(hidden)]
pub fn sample(shape: &Shape, resolve: Resolver<'_>) -> Value {
    sample_at(shape, resolve, 0)
}

fn sample_at(shape: &Shape, resolve: Resolver<'_>, depth: usize) -> Value {
    if depth > 32 {
        return Value::Null;
    }
    match shape {
        Shape::Any | Shape::Nullable(_) => Value::Null,
        Shape::Boolean => Value::Bool(false),
        Shape::String(rules) => {
            Value::String("x".repeat(rules.min_length.unwrap_or(0).max(1) as usize))
        }
        Shape::DateTime => Value::String("1970-01-01T00:00:00Z".into()),
        Shape::Date => Value::String("1970-01-01".into()),
        Shape::Integer(rules) => Value::from(
            rules
                .minimum
                .map(|m| m.ceil() as i64 + i64::from(rules.exclusive_minimum))
                .unwrap_or(0)
                .max(rules.maximum.map(|_| i64::MIN).unwrap_or(0)),
        ),
        Shape::Number(rules) => {
            let n = rules
                .minimum
                .map(|m| if rules.exclusive_minimum { m + 1.0 } else { m })
                .unwrap_or(0.0);
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }
        Shape::List(item, rules) => Value::Array(
            (0..rules.min_items.unwrap_or(0))
                .map(|_| sample_at(item.get(), resolve, depth + 1))
                .collect(),
        ),
        Shape::Map(_) => Value::Object(serde_json::Map::new()),
        Shape::Named(name) => resolve(name)
            .map(|target| sample_at(target, resolve, depth + 1))
            .unwrap_or(Value::Null),
        Shape::Object(object) => Value::Object(
            object
                .fields()
                .filter(|field| field.required)
                .map(|field| {
                    let value = if field.nullable {
                        Value::Null
                    } else {
                        sample_at(field.shape, resolve, depth + 1)
                    };
                    (field.name.to_string(), value)
                })
                .collect(),
        ),
        Shape::StringEnum(values) => values
            .first()
            .map(|v| Value::String(v.to_string()))
            .unwrap_or(Value::Null),
        Shape::IntegerEnum(codes, ranges) => codes
            .first()
            .copied()
            .or_else(|| ranges.first().map(|(min, _)| *min))
            .map(Value::from)
            .unwrap_or(Value::Null),
        Shape::OneOf(alternatives) => alternatives
            .first()
            .map(|a| sample_at(a, resolve, depth + 1))
            .unwrap_or(Value::Null),
        Shape::Tagged(property, alternatives) => match alternatives.first() {
            Some((tag, alternative)) => {
                let mut value = sample_at(alternative, resolve, depth + 1);
                if let Value::Object(map) = &mut value {
                    map.insert(property.to_string(), Value::String(tag.to_string()));
                }
                value
            }
            None => Value::Null,
        },
    }
}

/// A mock value of type `T`: the documented example when there is one, else [`sample`] of the
/// shape. Generated `MockApi`s call it; the workspace tests call every operation of every spec
/// through it, so a spec whose example or sample does not fit its type fails there, not here.
#[doc(hidden)]
pub fn mock<'s, T: serde::de::DeserializeOwned>(
    example: Option<&str>,
    shape: &'s Shape,
    resolve: Resolver<'s>,
) -> T {
    if let Some(parsed) = example.and_then(|text| serde_json::from_str(text).ok()) {
        return parsed;
    }
    let sampled = sample(shape, resolve);
    match serde_json::from_value(sampled.clone()) {
        Ok(value) => value,
        Err(error) => panic!("mock value {sampled} does not fit its type: {error}"),
    }
}

/// A mock `multipart/form-data` body: one text part per required field of the shape.
#[doc(hidden)]
pub fn mock_multipart<'s>(shape: &'s Shape, resolve: Resolver<'s>) -> Vec<u8> {
    const BOUNDARY: &str = "specgen-mock-boundary";
    let mut body = String::new();
    if let Shape::Object(object) = concrete_shape(shape, resolve) {
        for field in object.fields().filter(|f| f.required) {
            body.push_str(&format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\nexample\r\n",
                field.name
            ));
        }
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body.into_bytes()
}

/// A mock text or binary body: the documented example (a JSON string is unquoted), else the
/// word `example` (bodies are never empty: an empty body reads as "no body").
#[doc(hidden)]
pub fn mock_text(example: Option<&str>) -> String {
    match example.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::String(text))) if !text.is_empty() => text,
        Some(Ok(other)) if !other.is_string() => other.to_string(),
        _ => "example".to_string(),
    }
}

/// Field names that carry an error's human-readable text.
const MESSAGE_FIELDS: &[&str] = &[
    "message",
    "msg",
    "error_message",
    "detail",
    "description",
    "error_description",
    "reason",
    "title",
];
/// Field names that carry an error's machine-readable kind.
const CODE_FIELDS: &[&str] = &["error", "code", "error_code", "type", "kind", "sub_code"];
/// Field names that carry the HTTP status.
const STATUS_FIELDS: &[&str] = &["status", "status_code", "http_status", "statuscode"];
/// Field names of lists of individual problems.
const LIST_FIELDS: &[&str] = &["errors", "details", "messages", "problems", "issues"];
/// Field names that name where a problem is.
const PLACE_FIELDS: &[&str] = &[
    "field",
    "pointer",
    "path",
    "param",
    "parameter",
    "context",
    "location",
    "source",
];

/// One problem to place into an error schema: (where, why).
#[doc(hidden)]
pub type ErrorDetail<'d> = (&'d str, &'d str);

/// Fills an API's own error schema from a refusal: texts into message-like fields, the kind into
/// code-like fields, the status into status-like fields, one item per problem into list fields,
/// and the smallest fitting value everywhere else that is required. Enum-typed fields keep a
/// documented value (the one closest to "invalid request" when there is one). Best effort: the
/// caller checks the result against the schema.
#[doc(hidden)]
pub fn fill_error<'s, D: ErrorPlace>(
    shape: &'s Shape,
    resolve: Resolver<'s>,
    status: u16,
    kind: &str,
    message: &str,
    details: &[D],
) -> Value {
    fill(shape, resolve, status, kind, message, details, None, 0)
}

/// Something that says where a problem is and what it is.
#[doc(hidden)]
pub trait ErrorPlace {
    /// Where (a JSON pointer or parameter name).
    fn place(&self) -> String;
    /// What is wrong.
    fn reason(&self) -> &str;
}

impl ErrorPlace for Violation {
    fn place(&self) -> String {
        self.pointer.clone()
    }
    fn reason(&self) -> &str {
        &self.reason
    }
}

/// Resolves `Named` and `Nullable` wrappers to the shape underneath.
#[doc(hidden)]
pub fn concrete_shape<'s>(mut shape: &'s Shape, resolve: Resolver<'s>) -> &'s Shape {
    for _ in 0..16 {
        shape = match shape {
            Shape::Named(name) => match resolve(name) {
                Some(target) => target,
                None => return shape,
            },
            Shape::Nullable(inner) => inner.get(),
            other => return other,
        };
    }
    shape
}

/// The documented code that says what `kind` says: the kind itself, a documented synonym of it
/// (`unauthorized` → `not_authorized`, `not_found` → `resource_not_found`), a generic
/// "invalid request" code, and only then the first value.
fn enum_choice(values: &[&'static str], kind: &str) -> Option<Value> {
    let synonyms: &[&str] = match kind {
        "unauthorized" => &[
            "not_authorized",
            "unauthenticated",
            "authentication_failed",
            "authentication_required",
            "invalid_credentials",
            "not_authenticated",
            "forbidden",
        ],
        "not_found" => &["resource_not_found", "not_found_error"],
        "malformed_json" | "malformed_query" | "unreadable_body" => &[
            "malformed_request",
            "invalid_json",
            "parse_error",
            "bad_request",
        ],
        "payload_too_large" => &["request_too_large", "too_large"],
        "idempotency_key_in_use" | "idempotency_key_reused" => &["conflict", "idempotency_error"],
        "idempotency_store_unavailable" | "internal_error" => &[
            "server_error",
            "internal_error",
            "service_unavailable",
            "unavailable",
        ],
        _ => &[],
    };
    let generic = [
        "invalid_request",
        "invalid_data",
        "validation_error",
        "bad_request",
        "failed",
        "error",
    ];
    std::iter::once(kind)
        .chain(synonyms.iter().copied())
        .chain(generic)
        .find_map(|wanted| values.iter().find(|v| **v == wanted))
        .or_else(|| values.first())
        .map(|v| Value::String(v.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn fill<'s, D: ErrorPlace>(
    shape: &'s Shape,
    resolve: Resolver<'s>,
    status: u16,
    kind: &str,
    message: &str,
    details: &[D],
    place: Option<&str>,
    depth: usize,
) -> Value {
    let shape = concrete_shape(shape, resolve);
    let Shape::Object(object) = shape else {
        return sample(shape, resolve);
    };
    if depth > 4 {
        return sample(shape, resolve);
    }
    let mut out = serde_json::Map::new();
    for field in object.fields() {
        let name = field.name.to_ascii_lowercase();
        let target = concrete_shape(field.shape, resolve);
        let value = match target {
            Shape::String(_) if MESSAGE_FIELDS.contains(&name.as_str()) => {
                Some(Value::String(message.to_string()))
            }
            Shape::String(_) if CODE_FIELDS.contains(&name.as_str()) => {
                Some(Value::String(kind.to_string()))
            }
            Shape::String(_) if PLACE_FIELDS.contains(&name.as_str()) => {
                place.map(|p| Value::String(p.to_string()))
            }
            Shape::StringEnum(values)
                if CODE_FIELDS.contains(&name.as_str())
                    || STATUS_FIELDS.contains(&name.as_str()) =>
            {
                enum_choice(values, kind)
            }
            Shape::Integer(_) if STATUS_FIELDS.contains(&name.as_str()) => {
                Some(Value::from(status))
            }
            Shape::List(item, _) if LIST_FIELDS.contains(&name.as_str()) => {
                let items: Vec<Value> = if details.is_empty() {
                    vec![fill::<D>(
                        item.get(),
                        resolve,
                        status,
                        kind,
                        message,
                        &[],
                        None,
                        depth + 1,
                    )]
                } else {
                    details
                        .iter()
                        .map(|d| {
                            fill::<D>(
                                item.get(),
                                resolve,
                                status,
                                kind,
                                d.reason(),
                                &[],
                                Some(&d.place()),
                                depth + 1,
                            )
                        })
                        .collect()
                };
                Some(Value::Array(items))
            }
            Shape::Object(_) if field.required => Some(fill(
                field.shape,
                resolve,
                status,
                kind,
                message,
                details,
                place,
                depth + 1,
            )),
            _ => None,
        };
        match value {
            Some(value) => {
                out.insert(field.name.to_string(), value);
            }
            None if field.required => {
                let value = if field.nullable {
                    Value::Null
                } else {
                    sample(field.shape, resolve)
                };
                out.insert(field.name.to_string(), value);
            }
            None => {}
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payment() -> Shape {
        Shape::Object(ObjectShape {
            name: "Payment".into(),
            fields: vec![
                (
                    "amount",
                    Shape::Number(NumberRules {
                        minimum: Some(0.0),
                        ..NumberRules::default()
                    }),
                ),
                ("method", Shape::Named("Method".into())),
            ]
            .into(),
            required: Cow::Borrowed(&["amount"]),
            nullable: Cow::Borrowed(&["method"]),
            ..ObjectShape::CLOSED
        })
    }

    #[test]
    fn refusals_pick_the_documented_code_that_says_the_same() {
        let values = [
            "number_out_of_range",
            "not_authorized",
            "resource_not_found",
            "malformed_request",
            "invalid_request",
        ];
        let chosen = |kind| enum_choice(&values, kind).unwrap();
        assert_eq!(chosen("unauthorized"), "not_authorized");
        assert_eq!(chosen("not_found"), "resource_not_found");
        assert_eq!(chosen("malformed_json"), "malformed_request");
        assert_eq!(chosen("invalid_request"), "invalid_request");
        assert_eq!(chosen("idempotency_key_reused"), "invalid_request");
        let few = ["number_out_of_range"];
        assert_eq!(
            enum_choice(&few, "unauthorized").unwrap(),
            "number_out_of_range"
        );
    }

    #[test]
    fn numeric_strings_pass_only_where_the_rules_accept_them() {
        fn reasons(shape: &Shape, value: Value) -> Vec<String> {
            let resolve = |_: &str| None;
            let tree: Vec<String> = validate(shape, &value, &resolve)
                .into_iter()
                .map(|v| v.reason)
                .collect();
            let text = value.to_string();
            let streamed: Vec<String> = validate_slice(shape, text.as_bytes(), &resolve)
                .unwrap()
                .into_iter()
                .map(|v| v.reason)
                .collect();
            assert_eq!(tree, streamed, "tree and streaming agree on {value}");
            tree
        }
        let lenient = NumberRules {
            accepts_numeric_string: true,
            maximum: Some(500.0),
            ..NumberRules::NONE
        };
        let integer = Shape::Integer(lenient.clone());
        assert!(reasons(&integer, json!("100")).is_empty());
        assert!(reasons(&integer, json!(100)).is_empty());
        assert_eq!(
            reasons(&integer, json!("600")),
            ["600 is above the maximum 500"]
        );
        for not_an_integer in ["100.5", "", "one", "1e2", " 100"] {
            assert_eq!(
                reasons(&integer, json!(not_an_integer)),
                ["expected an integer, found a string"],
                "{not_an_integer:?}"
            );
        }
        let number = Shape::Number(lenient);
        assert!(reasons(&number, json!("100.5")).is_empty());
        assert_eq!(
            reasons(&number, json!("NaN")),
            ["expected a number, found a string"]
        );
        // Without the extension a string is a string, as before.
        assert_eq!(
            reasons(&Shape::INTEGER, json!("100")),
            ["expected an integer, found a string"]
        );
        assert_eq!(
            reasons(&Shape::NUMBER, json!("1")),
            ["expected a number, found a string"]
        );
    }

    #[test]
    fn reports_every_problem_with_its_pointer() {
        let method = Shape::StringEnum(Cow::Borrowed(&["card"]));
        let resolve = |name: &str| (name == "Method").then_some(&method);
        let problems = validate(
            &payment(),
            &json!({"amount": -1, "method": "cash", "x": 1}),
            &resolve,
        );
        let text: Vec<String> = problems
            .iter()
            .map(|v| format!("{} {}", v.pointer, v.reason))
            .collect();
        assert_eq!(
            text,
            [
                "/amount -1 is below the minimum 0",
                "/method `cash` is not one of the documented values",
                "/x is not a field of Payment"
            ]
        );
        assert!(
            validate(
                &payment(),
                &json!({"amount": 2.5, "method": null}),
                &resolve
            )
            .is_empty()
        );
        assert_eq!(
            validate(&payment(), &json!({}), &resolve)[0].reason,
            "missing required field `amount`"
        );
    }
}
