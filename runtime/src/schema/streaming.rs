//! [`validate_slice`]: the checks of [`super::validate`] made while reading the JSON text, without
//! building a `serde_json::Value` tree. A server reads every request body this way, then decodes
//! the typed value straight from the same bytes; building the tree took more time than the
//! checks themselves. Shapes that must see a whole value first (tagged and untagged unions) and
//! values of the wrong kind for their shape are read into a `Value` and checked by the tree
//! validator, so the two report the same violations in the same order (a test holds them equal).

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{
    Field, ObjectShape, Resolver, Shape, Violation, check, check_string, push, with_segment,
};

/// Every violation of the JSON text `bytes` against `shape`, or the parse error when the text is
/// not JSON.
pub fn validate_slice<'s>(
    shape: &'s Shape,
    bytes: &[u8],
    resolve: Resolver<'s>,
) -> Result<Vec<Violation>, serde_json::Error> {
    let mut out = Vec::new();
    let mut pointer = String::with_capacity(64);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    Checked {
        shape,
        field: None,
        resolve,
        pointer: &mut pointer,
        out: &mut out,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(out)
}

/// Checks one value against `shape` as it is read; `field` adds a field's own null rule and
/// limits.
struct Checked<'c, 's> {
    shape: &'s Shape,
    field: Option<Field<'s>>,
    resolve: Resolver<'s>,
    pointer: &'c mut String,
    out: &'c mut Vec<Violation>,
}

/// Where `shape` leads once names are resolved and, for a non-null value, `Nullable` unwrapped;
/// `None` when nothing more is to be checked (a null where allowed, an unknown name).
fn settle<'s>(
    mut shape: &'s Shape,
    is_null: bool,
    resolve: Resolver<'s>,
    pointer: &str,
    out: &mut Vec<Violation>,
) -> Option<&'s Shape> {
    loop {
        match shape {
            Shape::Named(name) => match resolve(name) {
                Some(target) => shape = target,
                None => {
                    push(out, pointer, format!("unknown type {name}"));
                    return None;
                }
            },
            Shape::Nullable(_) if is_null => return None,
            Shape::Nullable(inner) => shape = inner.get(),
            Shape::Any => return None,
            other => return Some(other),
        }
    }
}

impl<'s> Checked<'_, 's> {
    /// A scalar the tree validator checks cheaply (no allocation for numbers, booleans, null).
    fn scalar(self, value: &Value) {
        if let Some(field) = self.field {
            if value.is_null() {
                if !(field.nullable || *field.shape == Shape::Any) {
                    push(self.out, self.pointer, "must not be null".into());
                }
                return;
            }
            check(self.shape, value, self.resolve, self.pointer, self.out);
        } else {
            check(self.shape, value, self.resolve, self.pointer, self.out);
        }
    }

    fn text(self, text: &str) {
        match settle(self.shape, false, self.resolve, self.pointer, self.out) {
            None => {}
            Some(Shape::String(rules)) => check_string(rules, text, self.pointer, self.out),
            Some(Shape::StringEnum(values)) if values.contains(&text) => {}
            Some(Shape::DateTime) if crate::DateTime::parse(text).is_ok() => {}
            Some(Shape::Date) if crate::Date::parse(text).is_ok() => {}
            Some(shape @ (Shape::StringEnum(_) | Shape::DateTime | Shape::Date)) => {
                // Rare failures and date parsing: the tree validator words the message.
                check(
                    shape,
                    &Value::String(text.to_owned()),
                    self.resolve,
                    self.pointer,
                    self.out,
                )
            }
            Some(shape) => check(
                shape,
                &Value::String(text.to_owned()),
                self.resolve,
                self.pointer,
                self.out,
            ),
        }
    }

    /// A value whose shape needs it whole: read into a tree and checked there.
    fn whole(self, value: &Value) {
        check(self.shape, value, self.resolve, self.pointer, self.out);
    }

    fn object<'de, A: MapAccess<'de>>(
        mut self,
        object: &'s ObjectShape,
        mut map: A,
    ) -> Result<(), A::Error> {
        // The tree validator reports declared fields in declaration order, then the counts, then
        // extra keys in document order; here violations land in `out` in document order and are
        // put in that order afterwards, which costs nothing when there are none (the usual case).
        let mut seen = Seen::new(object.fields.len());
        let mut spans: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let extra_rank = object.fields.len() + 1;
        let start = self.out.len();
        let mut count = 0u64;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            count += 1;
            let key = key.as_str();
            let before = self.out.len();
            let rank = match object.position(key) {
                Some(index) => {
                    seen.set(index);
                    let field = object.field_at(index);
                    self.member(&mut map, key, field.shape, Some(field))?;
                    index
                }
                None => {
                    match &object.additional {
                        Some(shape) => self.member(&mut map, key, shape.get(), None)?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                            with_segment(self.pointer, key, |pointer| {
                                push(
                                    self.out,
                                    pointer,
                                    format!("is not a field of {}", object.name),
                                )
                            });
                        }
                    }
                    extra_rank
                }
            };
            if self.out.len() > before {
                spans.push((rank, before..self.out.len()));
            }
        }
        for (index, field) in object.fields().enumerate() {
            if !seen.get(index) && field.required {
                let at = self.out.len();
                push(
                    self.out,
                    self.pointer,
                    format!("missing required field `{}`", field.name),
                );
                spans.push((index, at..at + 1));
            }
        }
        let counted = self.out.len();
        if let Some(min) = object.min_properties.filter(|min| count < *min) {
            push(
                self.out,
                self.pointer,
                format!("has {count} properties, fewer than the minimum {min}"),
            );
        }
        if let Some(max) = object.max_properties.filter(|max| count > *max) {
            push(
                self.out,
                self.pointer,
                format!("has {count} properties, more than the maximum {max}"),
            );
        }
        if self.out.len() > counted {
            spans.push((object.fields.len(), counted..self.out.len()));
        }
        if !spans.is_empty() {
            // Stable: spans of one rank (extra keys) keep their document order.
            spans.sort_by_key(|(rank, _)| *rank);
            let found: Vec<Violation> = self.out.drain(start..).collect();
            let mut found: Vec<Option<Violation>> = found.into_iter().map(Some).collect();
            for (_, span) in spans {
                for index in span {
                    let index = index - start;
                    if let Some(violation) = found[index].take() {
                        self.out.push(violation);
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks the value of `key` as the member shape says.
    fn member<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        key: &str,
        shape: &'s Shape,
        field: Option<Field<'s>>,
    ) -> Result<(), A::Error> {
        let resolve = self.resolve;
        let out = &mut *self.out;
        let mut result = Ok(());
        with_segment(self.pointer, key, |pointer| {
            result = map.next_value_seed(Checked {
                shape,
                field,
                resolve,
                pointer,
                out,
            });
        });
        result
    }
}

/// Which declared fields were present; no allocation up to 128 fields.
enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    fn set(&mut self, index: usize) {
        match self {
            Seen::Few(bits) => *bits |= 1 << index,
            Seen::Many(flags) => flags[index] = true,
        }
    }

    fn get(&self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => bits & (1 << index) != 0,
            Seen::Many(flags) => flags[index],
        }
    }
}

/// An object key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> DeserializeSeed<'de> for Checked<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar(&Value::Null);
        Ok(())
    }

    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        self.scalar(&Value::Bool(value));
        Ok(())
    }

    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        self.scalar(&Value::from(value));
        Ok(())
    }

    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.scalar(&Value::from(value));
        Ok(())
    }

    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        self.scalar(&Value::from(value));
        Ok(())
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        self.text(value);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let shape = settle(self.shape, false, self.resolve, self.pointer, self.out);
        let Some(Shape::List(item, rules)) = shape else {
            if shape.is_none() {
                IgnoredAny::deserialize(SeqAccessDeserializer::new(seq))?;
            } else {
                self.whole(&Value::deserialize(SeqAccessDeserializer::new(seq))?);
            }
            return Ok(());
        };
        // Count violations come before the items' in the tree validator.
        let at = self.out.len();
        let mut count = 0u64;
        let mut index = 0usize;
        loop {
            let mut result = Ok(None);
            let resolve = self.resolve;
            let out = &mut *self.out;
            with_segment(self.pointer, itoa(index).as_str(), |pointer| {
                result = seq.next_element_seed(Checked {
                    shape: item.get(),
                    field: None,
                    resolve,
                    pointer,
                    out,
                });
            });
            if result?.is_none() {
                break;
            }
            count += 1;
            index += 1;
        }
        let mut counts = Vec::new();
        if let Some(min) = rules.min_items.filter(|min| count < *min) {
            push(
                &mut counts,
                self.pointer,
                format!("has {count} items, fewer than the minimum {min}"),
            );
        }
        if let Some(max) = rules.max_items.filter(|max| count > *max) {
            push(
                &mut counts,
                self.pointer,
                format!("has {count} items, more than the maximum {max}"),
            );
        }
        for (offset, violation) in counts.into_iter().enumerate() {
            self.out.insert(at + offset, violation);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match settle(self.shape, false, self.resolve, self.pointer, self.out) {
            Some(Shape::Object(object)) => self.object(object, map),
            Some(Shape::Map(entry)) => {
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let resolve = self.resolve;
                    let out = &mut *self.out;
                    let mut result = Ok(());
                    with_segment(self.pointer, key.as_str(), |pointer| {
                        result = map.next_value_seed(Checked {
                            shape: entry.get(),
                            field: None,
                            resolve,
                            pointer,
                            out,
                        });
                    });
                    result?;
                }
                Ok(())
            }
            None => IgnoredAny::deserialize(MapAccessDeserializer::new(map)).map(|_| ()),
            Some(_) => {
                self.whole(&Value::deserialize(MapAccessDeserializer::new(map))?);
                Ok(())
            }
        }
    }
}

/// An array index as text, without a heap allocation for the usual short ones.
fn itoa(index: usize) -> IndexText {
    use std::io::Write as _;
    let mut text = IndexText {
        bytes: [0; 20],
        len: 0,
    };
    let mut cursor = std::io::Cursor::new(&mut text.bytes[..]);
    let _ = write!(cursor, "{index}");
    text.len = cursor.position() as usize;
    text
}

struct IndexText {
    bytes: [u8; 20],
    len: usize,
}

impl IndexText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ItemRules, NumberRules, StringRules, validate};
    use super::*;
    use serde_json::json;

    /// A field: name, shape, required, nullable.
    type TestField = (&'static str, Shape, bool, bool);

    fn field(name: &'static str, shape: Shape, required: bool) -> TestField {
        (name, shape, required, false)
    }

    fn object(name: &str, fields: Vec<TestField>) -> Shape {
        let named = |keep: fn(&TestField) -> bool| {
            fields
                .iter()
                .filter(|f| keep(f))
                .map(|f| f.0)
                .collect::<Vec<_>>()
                .into()
        };
        Shape::Object(ObjectShape {
            name: name.to_string().into(),
            required: named(|f| f.2),
            nullable: named(|f| f.3),
            fields: fields
                .iter()
                .map(|f| (f.0, f.1.clone()))
                .collect::<Vec<_>>()
                .into(),
            min_properties: Some(1),
            max_properties: Some(3),
            ..ObjectShape::CLOSED
        })
    }

    /// Shapes the spec examples rarely reach: unions, maps, lists with counts, dates, names.
    #[test]
    fn reading_agrees_with_the_tree_on_unions_lists_maps_and_names() {
        let disk = object(
            "Disk",
            vec![field("size", Shape::Integer(NumberRules::default()), true)],
        );
        let list = Shape::List(
            super::super::Boxed::new(Shape::Named("Disk".into())),
            ItemRules {
                min_items: Some(2),
                max_items: Some(3),
            },
        );
        let tagged = Shape::Tagged(
            "type".into(),
            vec![("disk".into(), Shape::Named("Disk".into()))].into(),
        );
        let one_of = Shape::OneOf(vec![Shape::Boolean, Shape::Named("Disk".into())].into());
        let map = Shape::Map(super::super::Boxed::new(Shape::DateTime));
        let holder = object(
            "Holder",
            vec![
                field("disks", list.clone(), true),
                field("source", tagged.clone(), false),
                field("either", one_of.clone(), false),
                field("when", map.clone(), false),
                field("ghost", Shape::Named("Ghost".into()), false),
                (
                    "note",
                    Shape::Nullable(super::super::Boxed::new(Shape::String(StringRules {
                        max_length: Some(3),
                        ..StringRules::default()
                    }))),
                    false,
                    true,
                ),
            ],
        );
        let resolve = |name: &str| (name == "Disk").then_some(&disk);
        let values = [
            json!({"disks": [{"size": 1}, {"size": "big"}, {}, {"size": 2, "x": 0}]}),
            json!({"disks": [], "source": {"type": "disk", "size": 1}, "either": true}),
            json!({"disks": [{"size": 1}], "source": {"type": "cloud"}, "either": "no", "when": {"a": "2024-01-01T00:00:00Z", "b": "yesterday"}}),
            json!({"disks": "none", "ghost": 1, "note": "long text", "extra": [1]}),
            json!({"disks": [{"size": 1}, {"size": 2}], "note": null, "source": [], "when": []}),
            json!({}),
            json!([{"size": 1}]),
            json!(null),
        ];
        for shape in [&holder, &list, &tagged, &one_of, &map] {
            for value in &values {
                let tree = validate(shape, value, &resolve);
                let read = validate_slice(shape, value.to_string().as_bytes(), &resolve).unwrap();
                assert_eq!(tree, read, "{shape:?}\n{value}");
            }
        }
        let reasons = validate_slice(&holder, values[0].to_string().as_bytes(), &resolve).unwrap();
        assert!(reasons.len() >= 4, "{reasons:?}");
    }
}
