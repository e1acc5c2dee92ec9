//! Checks a JSON value against an IR type, the way the spec's schema would: types, required
//! fields, undeclared fields of closed objects, documented enum values, nullability and limits.
//!
//! The round-trip test proves examples fit the generated types; this proves they fit the spec
//! itself (a round trip accepts an undocumented enum value into `Unknown`, this does not).

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::escape_segment;
use crate::ir::{Api, Constraints, IntegerFormat, TypeDef, TypeExpr, TypeKind};

/// One way a value breaks its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// Validates values against the types of one API.
pub struct Validator<'a> {
    types: HashMap<&'a str, &'a TypeDef>,
}

impl<'a> Validator<'a> {
    /// Indexes the API's named types.
    pub fn new(api: &'a Api) -> Self {
        Validator {
            types: api
                .types
                .iter()
                .map(|def| (def.name.as_str(), def))
                .collect(),
        }
    }

    /// Every violation of `value` against `ty` (empty when it conforms).
    pub fn validate(&self, ty: &TypeExpr, value: &Value) -> Vec<Violation> {
        let mut violations = Vec::new();
        self.check(ty, value, &mut String::new(), &mut violations);
        violations
    }

    fn check(&self, ty: &TypeExpr, value: &Value, pointer: &mut String, out: &mut Vec<Violation>) {
        let mut fail = |message: String| {
            out.push(Violation {
                pointer: pointer.clone(),
                message,
            })
        };
        match ty {
            TypeExpr::Any => {}
            TypeExpr::Nullable(inner) => {
                if !value.is_null() {
                    self.check(inner, value, pointer, out);
                }
            }
            TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date => {
                if !value.is_string() {
                    fail(format!("expected a string, found {}", kind_of(value)));
                }
            }
            TypeExpr::Boolean => {
                if !value.is_boolean() {
                    fail(format!("expected a boolean, found {}", kind_of(value)));
                }
            }
            TypeExpr::Integer(format) => match value.as_i64() {
                Some(n) if *format == IntegerFormat::I32 && i32::try_from(n).is_err() => {
                    fail(format!("{n} does not fit a 32-bit integer"));
                }
                Some(_) => {}
                None => fail(format!("expected an integer, found {}", kind_of(value))),
            },
            TypeExpr::Number(_) => {
                if !value.is_number() {
                    fail(format!("expected a number, found {}", kind_of(value)));
                }
            }
            TypeExpr::List(item) => match value {
                Value::Array(items) => {
                    for (index, item_value) in items.iter().enumerate() {
                        with_segment(pointer, &index.to_string(), |p| {
                            self.check(item, item_value, p, out)
                        });
                    }
                }
                _ => fail(format!("expected an array, found {}", kind_of(value))),
            },
            TypeExpr::Map(entry) => match value {
                Value::Object(map) => {
                    for (key, entry_value) in map {
                        with_segment(pointer, key, |p| self.check(entry, entry_value, p, out));
                    }
                }
                _ => fail(format!("expected an object, found {}", kind_of(value))),
            },
            TypeExpr::Named(name) => match self.types.get(name.as_str()) {
                Some(def) => {
                    if !(def.nullable && value.is_null()) {
                        self.check_def(def, value, pointer, out);
                    }
                }
                None => fail(format!("unknown type {name}")),
            },
        }
    }

    fn check_def(
        &self,
        def: &TypeDef,
        value: &Value,
        pointer: &mut String,
        out: &mut Vec<Violation>,
    ) {
        match &def.kind {
            TypeKind::Alias(expr) => self.check(expr, value, pointer, out),
            TypeKind::Newtype(newtype) => {
                self.check(&newtype.inner, value, pointer, out);
                check_constraints(&newtype.constraints, value, pointer, out);
            }
            TypeKind::StringEnum(en) => match value.as_str() {
                Some(text) if en.variants.iter().any(|v| v.value == text) => {}
                Some(text) => out.push(violation(
                    pointer,
                    format!("`{text}` is not a documented {} value", def.name),
                )),
                None => out.push(violation(
                    pointer,
                    format!("expected a {} string, found {}", def.name, kind_of(value)),
                )),
            },
            TypeKind::IntegerEnum(en) => match value.as_i64() {
                Some(code)
                    if en.variants.iter().any(|v| v.value == code)
                        || en.ranges.iter().any(|r| (r.min..=r.max).contains(&code)) => {}
                Some(code) => out.push(violation(
                    pointer,
                    format!("{code} is not a documented {} code", def.name),
                )),
                None => out.push(violation(
                    pointer,
                    format!("expected a {} code, found {}", def.name, kind_of(value)),
                )),
            },
            TypeKind::Struct(st) => {
                let Value::Object(map) = value else {
                    out.push(violation(
                        pointer,
                        format!("expected a {} object, found {}", def.name, kind_of(value)),
                    ));
                    return;
                };
                for field in &st.fields {
                    match map.get(&field.json_name) {
                        None if field.required => {
                            out.push(violation(
                                pointer,
                                format!("missing required field `{}`", field.json_name),
                            ));
                        }
                        None => {}
                        Some(Value::Null) if field.nullable || field.ty == TypeExpr::Any => {}
                        Some(Value::Null) => with_segment(pointer, &field.json_name, |p| {
                            out.push(violation(
                                p,
                                "null is not allowed here (the field is not nullable)".into(),
                            ));
                        }),
                        Some(field_value) => with_segment(pointer, &field.json_name, |p| {
                            self.check(&field.ty, field_value, p, out);
                            check_constraints(&field.constraints, field_value, p, out);
                        }),
                    }
                }
                for (key, extra) in map {
                    if st.fields.iter().any(|f| &f.json_name == key) {
                        continue;
                    }
                    match &st.additional_properties {
                        Some(ty) => with_segment(pointer, key, |p| self.check(ty, extra, p, out)),
                        None => out.push(violation(
                            pointer,
                            format!("field `{key}` is not declared by {}", def.name),
                        )),
                    }
                }
            }
            TypeKind::Union(union) => {
                if let Some(property) = &union.discriminator {
                    let tag = value.get(property).and_then(Value::as_str);
                    match union
                        .variants
                        .iter()
                        .find(|v| tag.is_some_and(|t| v.tags.iter().any(|x| x == t)))
                    {
                        Some(variant) => self.check(&variant.ty, value, pointer, out),
                        None => out.push(violation(
                            pointer,
                            format!("`{property}` does not name an alternative of {}", def.name),
                        )),
                    }
                    return;
                }
                let fits = union
                    .variants
                    .iter()
                    .any(|variant| self.validate(&variant.ty, value).is_empty());
                if !fits {
                    out.push(violation(
                        pointer,
                        format!("matches no alternative of {}", def.name),
                    ));
                }
            }
        }
    }
}

fn violation(pointer: &str, message: String) -> Violation {
    Violation {
        pointer: pointer.to_string(),
        message,
    }
}

fn with_segment(pointer: &mut String, segment: &str, f: impl FnOnce(&mut String)) {
    let length = pointer.len();
    pointer.push('/');
    pointer.push_str(&escape_segment(segment));
    f(pointer);
    pointer.truncate(length);
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

/// Length, range and item-count limits (`pattern` is not checked: no regex engine here).
fn check_constraints(c: &Constraints, value: &Value, pointer: &str, out: &mut Vec<Violation>) {
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if c.min_length.is_some_and(|min| length < min) {
            out.push(violation(
                pointer,
                format!(
                    "shorter than the minimum length {}",
                    c.min_length.unwrap_or_default()
                ),
            ));
        }
        if c.max_length.is_some_and(|max| length > max) {
            out.push(violation(
                pointer,
                format!(
                    "longer than the maximum length {}",
                    c.max_length.unwrap_or_default()
                ),
            ));
        }
    }
    if let Some(number) = value.as_f64() {
        if let Some(bound) = c.minimum
            && (number < bound.value || (bound.exclusive && number == bound.value))
        {
            out.push(violation(
                pointer,
                format!("{number} is below the minimum {}", bound.value),
            ));
        }
        if let Some(bound) = c.maximum
            && (number > bound.value || (bound.exclusive && number == bound.value))
        {
            out.push(violation(
                pointer,
                format!("{number} is above the maximum {}", bound.value),
            ));
        }
    }
    if let Some(items) = value.as_array() {
        let count = items.len() as u64;
        if c.min_items.is_some_and(|min| count < min) || c.max_items.is_some_and(|max| count > max)
        {
            out.push(violation(
                pointer,
                format!("{count} items is outside the documented item count"),
            ));
        }
    }
}
