//! IR types → `specgen_runtime::schema::Shape`s: the same shapes a generated crate carries as
//! statics (module `schema`, used by its server to validate requests), built here at run time so
//! specgen can check the specs' own examples with the very same validator.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde_json::Value;
pub use specgen_runtime::schema::Violation;
use specgen_runtime::schema::{
    Boxed, ItemRules, NumberRules, ObjectShape, Shape, StringRules, validate,
};

use crate::ir::{Api, Constraints, IntegerFormat, TypeDef, TypeExpr, TypeKind};

/// A field name or enum value as the runtime's shapes hold them (`&'static str`, literals in
/// generated statics). Each distinct text is leaked once and then reused, so the memory stays
/// bounded by the distinct names of the specs a process loads, however often it loads them.
fn interned(text: &str) -> &'static str {
    static TEXTS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut texts = TEXTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = texts.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
    texts.insert(leaked);
    leaked
}

/// The shape of a type expression.
pub fn expr_shape(expr: &TypeExpr) -> Shape {
    match expr {
        TypeExpr::Named(name) => Shape::Named(Cow::Owned(name.clone())),
        TypeExpr::String | TypeExpr::Binary => Shape::String(StringRules::default()),
        TypeExpr::Boolean => Shape::Boolean,
        TypeExpr::Integer(format) => Shape::Integer(NumberRules {
            int32: *format == IntegerFormat::I32,
            ..NumberRules::default()
        }),
        TypeExpr::Number(_) => Shape::Number(NumberRules::default()),
        TypeExpr::DateTime => Shape::DateTime,
        TypeExpr::Date => Shape::Date,
        TypeExpr::Any => Shape::Any,
        TypeExpr::List(item) => Shape::List(Boxed::new(expr_shape(item)), ItemRules::default()),
        TypeExpr::Map(value) => Shape::Map(Boxed::new(expr_shape(value))),
        TypeExpr::Nullable(inner) => Shape::Nullable(Boxed::new(expr_shape(inner))),
    }
}

fn string_rules(c: &Constraints) -> StringRules {
    StringRules {
        min_length: c.min_length,
        max_length: c.max_length,
        pattern: c.pattern.clone().map(Cow::Owned),
        format: c.format.clone().map(Cow::Owned),
    }
}

fn number_rules(c: &Constraints, int32: bool) -> NumberRules {
    NumberRules {
        minimum: c.minimum.map(|b| b.value),
        exclusive_minimum: c.minimum.is_some_and(|b| b.exclusive),
        maximum: c.maximum.map(|b| b.value),
        exclusive_maximum: c.maximum.is_some_and(|b| b.exclusive),
        int32,
        accepts_numeric_string: c.accepts_numeric_string,
    }
}

/// A position's shape with its own limits applied (fields, parameters, newtypes).
pub fn constrained_shape(expr: &TypeExpr, c: &Constraints) -> Shape {
    match (expr_shape(expr), expr) {
        (Shape::String(_), _) => Shape::String(string_rules(c)),
        (Shape::Integer(rules), _) => Shape::Integer(number_rules(c, rules.int32)),
        (Shape::Number(_), _) => Shape::Number(number_rules(c, false)),
        (Shape::List(item, _), TypeExpr::List(item_expr)) => {
            let item = match &c.items {
                Some(items) => Boxed::new(constrained_shape(item_expr, items)),
                None => item,
            };
            Shape::List(
                item,
                ItemRules {
                    min_items: c.min_items,
                    max_items: c.max_items,
                },
            )
        }
        (shape, _) => shape,
    }
}

/// A field's shape with its own limits.
fn field_shape(field: &crate::ir::Field) -> Shape {
    constrained_shape(&field.ty, &field.constraints)
}

/// The shape of a named type's definition.
pub fn def_shape(def: &TypeDef) -> Shape {
    let shape = match &def.kind {
        TypeKind::Alias(expr) => expr_shape(expr),
        TypeKind::Newtype(newtype) => constrained_shape(&newtype.inner, &newtype.constraints),
        TypeKind::StringEnum(en) => Shape::StringEnum(Cow::Owned(
            en.variants.iter().map(|v| interned(&v.value)).collect(),
        )),
        TypeKind::IntegerEnum(en) => Shape::IntegerEnum(
            Cow::Owned(en.variants.iter().map(|v| v.value).collect()),
            Cow::Owned(en.ranges.iter().map(|r| (r.min, r.max)).collect()),
        ),
        TypeKind::Struct(st) => Shape::Object(ObjectShape {
            name: Cow::Owned(def.name.clone()),
            fields: Cow::Owned(
                st.fields
                    .iter()
                    .map(|field| (interned(&field.json_name), field_shape(field)))
                    .collect(),
            ),
            required: Cow::Owned(
                st.fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| interned(&field.json_name))
                    .collect(),
            ),
            nullable: Cow::Owned(
                st.fields
                    .iter()
                    .filter(|field| field.nullable)
                    .map(|field| interned(&field.json_name))
                    .collect(),
            ),
            additional: st
                .additional_properties
                .as_ref()
                .map(|extra| Boxed::new(expr_shape(extra))),
            min_properties: st.property_count.0,
            max_properties: st.property_count.1,
        }),
        TypeKind::Union(union) => match &union.discriminator {
            Some(property) => Shape::Tagged(
                Cow::Owned(property.clone()),
                Cow::Owned(
                    union
                        .variants
                        .iter()
                        .flat_map(|v| {
                            v.tags
                                .iter()
                                .map(|tag| (Cow::Owned(tag.clone()), variant_shape(&def.name, v)))
                        })
                        .collect(),
                ),
            ),
            None => Shape::OneOf(Cow::Owned(
                union
                    .variants
                    .iter()
                    .map(|v| variant_shape(&def.name, v))
                    .collect(),
            )),
        },
    };
    if def.nullable {
        Shape::Nullable(Boxed::new(shape))
    } else {
        shape
    }
}

/// A union alternative's shape; one that holds nothing but its tag is an empty object.
fn variant_shape(union: &str, variant: &crate::ir::UnionVariant) -> Shape {
    match &variant.ty {
        Some(ty) => expr_shape(ty),
        None => Shape::Object(ObjectShape {
            name: Cow::Owned(format!("{union}::{}", variant.rust_name)),
            ..ObjectShape::CLOSED
        }),
    }
}

/// Validates values against the types of one API.
pub struct Validator {
    shapes: HashMap<String, Shape>,
}

impl Validator {
    /// Builds the shape of every named type.
    pub fn new(api: &Api) -> Self {
        Validator {
            shapes: api
                .types
                .iter()
                .map(|def| (def.name.clone(), def_shape(def)))
                .collect(),
        }
    }

    /// The shape of a named type (a resolver for the runtime's validator and decoders).
    pub fn shape_of(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// Every violation of `value` against `ty` (empty when it conforms).
    pub fn validate(&self, ty: &TypeExpr, value: &Value) -> Vec<Violation> {
        let resolve = |name: &str| self.shapes.get(name);
        validate(&expr_shape(ty), value, &resolve)
    }

    /// [`Self::validate_body`] of a body's JSON text, checked while it is read, as a generated
    /// server does; the error is the text's JSON syntax error.
    pub fn validate_body_text(
        &self,
        body: &crate::ir::Body,
        text: &[u8],
    ) -> Result<Vec<Violation>, serde_json::Error> {
        let resolve = |name: &str| self.shapes.get(name);
        specgen_runtime::schema::validate_slice(
            &constrained_shape(&body.ty, &body.constraints),
            text,
            &resolve,
        )
    }

    /// The smallest value that fits a body's type and limits (what a mock answers for a status
    /// documented without an example).
    pub fn sample_body(&self, body: &crate::ir::Body) -> Value {
        let resolve = |name: &str| self.shapes.get(name);
        specgen_runtime::schema::sample(&constrained_shape(&body.ty, &body.constraints), &resolve)
    }

    /// Every violation of a documented body's `value` (its type and its own limits).
    pub fn validate_body(&self, body: &crate::ir::Body, value: &Value) -> Vec<Violation> {
        self.validate_constrained(&body.ty, &body.constraints, value)
    }

    /// Every violation of `value` against `ty` with the limits of its position (a field, a
    /// parameter, a body).
    pub fn validate_constrained(
        &self,
        ty: &TypeExpr,
        constraints: &Constraints,
        value: &Value,
    ) -> Vec<Violation> {
        let resolve = |name: &str| self.shapes.get(name);
        validate(&constrained_shape(ty, constraints), value, &resolve)
    }
}
