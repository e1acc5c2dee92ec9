//! Schemas → named types and type expressions.
//!
//! Component schemas are named first (document order), so a `$ref` always knows its target's
//! final name; inline schemas that need a type of their own (objects, enums, unions) are named
//! after where they appear (`Payment` + `status` → `PaymentStatus`).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerType, NumberType, ObjectType, ReferenceOr, Schema,
    SchemaKind, StringType, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::examples::DocumentedExample;
use super::naming::{self, Uniquifier};
use super::{
    Bound, CodeRange, Constraints, DetailKind, EnumDetail, Field, IntegerEnum, IntegerFormat,
    IntegerVariant, Newtype, NumberFormat, StringEnum, StringVariant, Struct, TypeDef, TypeExpr,
    TypeKind, Union, UnionVariant,
};
use crate::diagnostic::{Diagnostic, escape_segment};
use crate::load::LoadedSpec;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Field names that hold secrets or card/bank data even when the spec does not say so
/// (compared after lower-casing and dropping `_`/`-`).
const SENSITIVE_NAMES: &[&str] = &[
    "cardnumber",
    "cvv",
    "cvv2",
    "cvc",
    "cvc2",
    "cardcvc",
    "cardcvv",
    "securitycode",
    "accountnumber",
    "bankaccountnumber",
    "routingnumber",
    "bankroutingnumber",
    "iban",
    "password",
    "secret",
    "secretkey",
    "clientsecret",
    "apikey",
    "privatekey",
    "pin",
    "ssn",
    "pan",
    "primaryaccountnumber",
    "socialsecuritynumber",
];

/// Members that make an object a payment card: its plain `number` is then the card number.
const CARD_MEMBERS: &[&str] = &[
    "expmonth",
    "expyear",
    "expirationmonth",
    "expirationyear",
    "expiry",
    "expirationdate",
    "cvv",
    "cvv2",
    "cvc",
    "securitycode",
];

fn normalized_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// True for the `number` of a card: an object named like a card, or one with expiry or CVV
/// members beside it.
fn is_card_number<'n>(
    type_name: &str,
    field: &str,
    members: impl IntoIterator<Item = &'n String>,
) -> bool {
    normalized_name(field) == "number"
        && (normalized_name(type_name).contains("card")
            || members
                .into_iter()
                .any(|member| CARD_MEMBERS.contains(&normalized_name(member).as_str())))
}

/// True when a field or parameter of this name holds sensitive data by the documented list.
pub fn is_sensitive_name(name: &str) -> bool {
    let normalized = normalized_name(name);
    SENSITIVE_NAMES.contains(&normalized.as_str())
        || normalized.ends_with("token")
        || normalized.ends_with("secret")
        || normalized.ends_with("password")
        || normalized.ends_with("apikey")
}

/// Builds types; owns the list of named types and the name registry.
pub struct SchemaConverter<'a> {
    spec: &'a LoadedSpec,
    /// Component name → Rust type name.
    component_names: HashMap<String, String>,
    /// Component name → the component is `nullable`.
    component_nullable: HashMap<String, bool>,
    type_names: Uniquifier,
    /// Finished types, in the order they were created.
    pub types: Vec<TypeDef>,
    /// Components being merged through `allOf` (cycle guard).
    merging: Vec<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Schema examples met on the way, to be checked once every type exists.
    pub examples: Vec<DocumentedExample>,
}

/// A property's schema: the spec's own, or one merged from several `allOf` members.
type PropertySchema<'s> = Cow<'s, ReferenceOr<Box<Schema>>>;

/// An object's properties after `allOf` merging.
#[derive(Default)]
struct MergedObject<'s> {
    properties: IndexMap<String, (PropertySchema<'s>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'s AdditionalProperties, String)>,
    descriptions: Vec<String>,
    nullable: bool,
    /// `minProperties` / `maxProperties` of the object (the last member that gives them).
    property_count: (Option<u64>, Option<u64>),
    /// A member that is not an object (e.g. `allOf: [$ref: SomeEnum]`): the whole type is that.
    passthrough: Option<(&'s ReferenceOr<Schema>, String)>,
    /// Properties two members both define with types that cannot be merged (the later wins).
    conflicts: Vec<(String, String)>,
}

impl<'a> SchemaConverter<'a> {
    /// Names every component schema up front.
    pub fn new(spec: &'a LoadedSpec) -> Self {
        let mut converter = SchemaConverter {
            spec,
            component_names: HashMap::new(),
            component_nullable: HashMap::new(),
            type_names: Uniquifier::case_insensitive(),
            types: Vec::new(),
            merging: Vec::new(),
            diagnostics: Vec::new(),
            examples: Vec::new(),
        };
        if let Some(components) = &spec.openapi.components {
            for (name, schema) in &components.schemas {
                let rust = converter
                    .type_names
                    .claim(naming::upper_camel(name, "Type"));
                converter.component_names.insert(name.clone(), rust);
                let nullable = converter
                    .resolve_component(name)
                    .is_some_and(|s| s.schema_data.nullable);
                converter.component_nullable.insert(name.clone(), nullable);
                let _ = schema;
            }
        }
        converter
    }

    /// Defines a named type for every component schema, in document order.
    pub fn define_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let rust = self.component_names.get(name).cloned().unwrap_or_default();
            let pointer = format!("/components/schemas/{}", escape_segment(name));
            match schema {
                ReferenceOr::Reference { reference } => {
                    let (target, nullable) = self.reference(reference, &pointer);
                    self.types.push(TypeDef {
                        name: rust,
                        source: pointer,
                        docs: None,
                        nullable,
                        kind: TypeKind::Alias(target),
                        features: Vec::new(),
                    });
                }
                ReferenceOr::Item(schema) => {
                    if let Some(value) = &schema.schema_data.example {
                        self.examples.push(DocumentedExample {
                            source: format!("{pointer}/example"),
                            value: value.clone(),
                            ty: TypeExpr::Named(rust.clone()),
                            constraints: Constraints::default(),
                        });
                    }
                    let def = self.named_type(rust, schema, &pointer);
                    self.types.push(def);
                }
            }
        }
    }

    /// Follows `$ref` chains to a component schema's definition.
    fn resolve_component(&self, name: &str) -> Option<&'a Schema> {
        let components = self.spec.openapi.components.as_ref()?;
        let mut current = components.schemas.get(name)?;
        for _ in 0..64 {
            match current {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    current = components
                        .schemas
                        .get(reference.strip_prefix(COMPONENT_PREFIX)?)?;
                }
            }
        }
        None
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.error_at(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.warning_at(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    /// `$ref` to a component schema → its named type and whether it is nullable.
    fn reference(&mut self, reference: &str, pointer: &str) -> (TypeExpr, bool) {
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else {
            self.warn(
                &format!("{pointer}/$ref"),
                format!("schema $ref `{reference}` does not point into #/components/schemas; it is read as an untyped JSON value"),
            );
            return (TypeExpr::Any, false);
        };
        let name = crate::diagnostic::unescape_segment(name);
        match self.component_names.get(&name) {
            Some(rust) => (
                TypeExpr::Named(rust.clone()),
                self.component_nullable.get(&name).copied().unwrap_or(false),
            ),
            None => {
                self.warn(
                    &format!("{pointer}/$ref"),
                    format!("$ref target `{reference}` does not exist; it is read as an untyped JSON value"),
                );
                (TypeExpr::Any, false)
            }
        }
    }

    /// The type of a schema in a position; `hint` names a type synthesized for it.
    pub fn expr(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> (TypeExpr, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    /// Same as [`Self::expr`] for boxed schemas (properties, items).
    pub fn expr_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> (TypeExpr, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn synthesize(&mut self, hint: &str, schema: &Schema, pointer: &str) -> TypeExpr {
        let name = self.type_names.claim(naming::upper_camel(hint, "Type"));
        let def = self.named_type(name.clone(), schema, pointer);
        self.types.push(def);
        TypeExpr::Named(name)
    }

    /// [`Self::inline_expr`], keeping the schema's `example` to be checked against the type.
    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> (TypeExpr, bool) {
        let (expr, nullable) = self.inline_expr(schema, hint, pointer);
        if let Some(value) = &schema.schema_data.example {
            self.examples.push(DocumentedExample {
                source: format!("{pointer}/example"),
                value: value.clone(),
                ty: wrap_nullable(expr.clone(), nullable),
                constraints: constraints_of(schema),
            });
        }
        (expr, nullable)
    }

    fn inline_expr(&mut self, schema: &Schema, hint: &str, pointer: &str) -> (TypeExpr, bool) {
        let nullable = schema.schema_data.nullable;
        let expr = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if has_values(&string.enumeration) => {
                self.synthesize(hint, schema, pointer)
            }
            SchemaKind::Type(Type::Integer(integer)) if has_values(&integer.enumeration) => {
                self.synthesize(hint, schema, pointer)
            }
            // `enum: [null]`: the value is always null; there is nothing to enumerate.
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                TypeExpr::Any
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                TypeExpr::Any
            }
            SchemaKind::Type(Type::String(string)) => string_expr(string),
            SchemaKind::Type(Type::Integer(integer)) => TypeExpr::Integer(integer_format(integer)),
            SchemaKind::Type(Type::Number(number)) => TypeExpr::Number(number_format(number)),
            SchemaKind::Type(Type::Boolean(_)) => TypeExpr::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => {
                        let (item, item_nullable) = self.expr_boxed(
                            items,
                            &format!("{hint}Item"),
                            &format!("{pointer}/items"),
                        );
                        wrap_nullable(item, item_nullable)
                    }
                    None => TypeExpr::Any,
                };
                TypeExpr::List(Box::new(item))
            }
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    TypeExpr::Map(Box::new(self.additional_type(
                        object.additional_properties.as_ref(),
                        hint,
                        pointer,
                    )))
                } else {
                    self.synthesize(hint, schema, pointer)
                }
            }
            SchemaKind::AllOf { all_of } => {
                // `allOf: [$ref]` (often used to make a reference nullable) is the member itself.
                if let [single] = all_of.as_slice() {
                    let (expr, inner_nullable) =
                        self.expr(single, hint, &format!("{pointer}/allOf/0"));
                    return (expr, nullable || inner_nullable);
                }
                self.synthesize(hint, schema, pointer)
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.synthesize(hint, schema, pointer)
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` schemas are not checked; the value is accepted as any JSON",
                );
                TypeExpr::Any
            }
            SchemaKind::Any(any) => return self.inline_any(schema, any, hint, pointer),
        };
        (expr, nullable)
    }

    /// Schemas without `type` (or with keywords of several types): decide by what is there.
    fn inline_any(
        &mut self,
        schema: &Schema,
        any: &AnySchema,
        hint: &str,
        pointer: &str,
    ) -> (TypeExpr, bool) {
        let nullable = schema.schema_data.nullable;
        let expr = match normalize_any(schema, any) {
            Some(normalized) => return self.inline(&normalized, hint, pointer),
            None => TypeExpr::Any,
        };
        (expr, nullable)
    }

    fn additional_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeExpr {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let (value, nullable) = self.expr(
                    schema,
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                );
                wrap_nullable(value, nullable)
            }
            Some(AdditionalProperties::Any(_)) | None => TypeExpr::Any,
        }
    }

    /// The named type for a schema (component or synthesized).
    fn named_type(&mut self, name: String, schema: &Schema, pointer: &str) -> TypeDef {
        let docs = describe(schema);
        let nullable = schema.schema_data.nullable;
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if has_values(&string.enumeration) => {
                TypeKind::StringEnum(self.string_enum(schema, string, pointer))
            }
            SchemaKind::Type(Type::Integer(integer)) if has_values(&integer.enumeration) => {
                TypeKind::IntegerEnum(self.integer_enum(schema, integer, pointer))
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                TypeKind::Alias(TypeExpr::Any)
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                TypeKind::Alias(TypeExpr::Any)
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let merged = self.merge_object(object, pointer);
                TypeKind::Struct(self.build_struct(&name, merged, pointer))
            }
            SchemaKind::AllOf { all_of } => {
                if let Some(union) = self.distributed_union(&name, all_of, pointer) {
                    return TypeDef {
                        name,
                        source: pointer.to_string(),
                        docs,
                        nullable,
                        kind: TypeKind::Union(union),
                        features: Vec::new(),
                    };
                }
                let mut merged = MergedObject::default();
                for (index, member) in all_of.iter().enumerate() {
                    self.merge_member(&mut merged, member, &format!("{pointer}/allOf/{index}"));
                }
                self.report_conflicts(&mut merged);
                match merged.passthrough.take() {
                    Some((member, member_pointer)) if merged.properties.is_empty() => {
                        let (expr, _) = self.expr(member, &format!("{name}Inner"), &member_pointer);
                        TypeKind::Alias(expr)
                    }
                    _ => TypeKind::Struct(self.build_struct(&name, merged, pointer)),
                }
            }
            SchemaKind::OneOf { one_of } => {
                match self.string_alternatives(one_of, pointer, "oneOf") {
                    Some(en) => TypeKind::StringEnum(en),
                    None => TypeKind::Union(self.union(&name, schema, one_of, "oneOf", pointer)),
                }
            }
            SchemaKind::AnyOf { any_of } => {
                match self.string_alternatives(any_of, pointer, "anyOf") {
                    Some(en) => TypeKind::StringEnum(en),
                    None => TypeKind::Union(self.union(&name, schema, any_of, "anyOf", pointer)),
                }
            }
            SchemaKind::Any(any) => match normalize_any(schema, any) {
                Some(normalized) => {
                    return TypeDef {
                        name: name.clone(),
                        ..self.named_type(name, &normalized, pointer)
                    };
                }
                None => TypeKind::Alias(TypeExpr::Any),
            },
            _ => {
                let (expr, _) = self.inline(schema, &format!("{name}Inner"), pointer);
                let constraints = constraints_of(schema);
                match expr {
                    TypeExpr::List(_) | TypeExpr::Map(_) | TypeExpr::Any
                        if constraints.is_empty() =>
                    {
                        TypeKind::Alias(expr)
                    }
                    inner => TypeKind::Newtype(Newtype { inner, constraints }),
                }
            }
        };
        TypeDef {
            name,
            source: pointer.to_string(),
            docs,
            nullable,
            kind,
            features: Vec::new(),
        }
    }

    fn merge_object<'s>(&mut self, object: &'s ObjectType, pointer: &str) -> MergedObject<'s>
    where
        'a: 's,
    {
        let mut merged = MergedObject::default();
        add_object(&mut merged, object, pointer, self.components());
        merged
    }

    fn components(&self) -> Option<&'a openapiv3::Components> {
        self.spec.openapi.components.as_ref()
    }

    fn report_conflicts(&mut self, merged: &mut MergedObject<'_>) {
        for (pointer, message) in std::mem::take(&mut merged.conflicts) {
            self.warn(&pointer, message);
        }
    }

    /// `allOf: [Base…, oneOf/anyOf: [A, B, …]]` (inline alternatives): the alternatives are
    /// `Base…` merged with each of them — so every alternative keeps the base's fields (PayPal's
    /// error details keep `field`, `value`, `location` beside each `issue`), and one-value
    /// properties the alternatives pin can tell them apart.
    fn distributed_union<'s>(
        &mut self,
        name: &str,
        all_of: &'s [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<Union>
    where
        'a: 's,
    {
        let resolved = |member: &'s ReferenceOr<Schema>| -> Option<&'s Schema> {
            match member {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => self.resolve_component(
                    &crate::diagnostic::unescape_segment(reference.strip_prefix(COMPONENT_PREFIX)?),
                ),
            }
        };
        let unions: Vec<(usize, &'s Schema, &'s [ReferenceOr<Schema>], &'static str)> = all_of
            .iter()
            .enumerate()
            .filter_map(|(index, member)| {
                let schema = resolved(member)?;
                match &schema.schema_kind {
                    SchemaKind::OneOf { one_of } => {
                        Some((index, schema, one_of.as_slice(), "oneOf"))
                    }
                    SchemaKind::AnyOf { any_of } => {
                        Some((index, schema, any_of.as_slice(), "anyOf"))
                    }
                    _ => None,
                }
            })
            .collect();
        let [(union_index, union_schema, alternatives, keyword)] = unions.as_slice() else {
            return None;
        };
        let inline = alternatives
            .iter()
            .all(|a| matches!(a, ReferenceOr::Item(_)));
        if all_of.len() < 2 || !inline || union_schema.schema_data.discriminator.is_some() {
            return None;
        }
        let mut distributed = Vec::new();
        for (alt_index, alternative) in alternatives.iter().enumerate() {
            let mut merged = MergedObject::default();
            for (index, member) in all_of.iter().enumerate() {
                if index == *union_index {
                    self.merge_member(
                        &mut merged,
                        alternative,
                        &format!("{pointer}/allOf/{index}/{keyword}/{alt_index}"),
                    );
                } else {
                    self.merge_member(&mut merged, member, &format!("{pointer}/allOf/{index}"));
                }
            }
            self.report_conflicts(&mut merged);
            let title = match alternative {
                ReferenceOr::Item(item) => item.schema_data.title.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            distributed.push(ReferenceOr::Item(merged.into_schema(title)));
        }
        Some(self.union(name, union_schema, &distributed, keyword, pointer))
    }

    /// Adds one `allOf` member's properties (following `$ref`s and nested `allOf`s).
    fn merge_member<'s>(
        &mut self,
        merged: &mut MergedObject<'s>,
        member: &'s ReferenceOr<Schema>,
        pointer: &str,
    ) where
        'a: 's,
    {
        let (schema, schema_pointer, component) = match member {
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference
                    .strip_prefix(COMPONENT_PREFIX)
                    .map(crate::diagnostic::unescape_segment)
                else {
                    self.error(
                        &format!("{pointer}/$ref"),
                        format!("allOf member `{reference}` must point into #/components/schemas"),
                    );
                    return;
                };
                if self.merging.contains(&name) {
                    // `X = allOf[…, X, …]` asks X to be what it already is: the member adds
                    // nothing, so skipping it is exact.
                    self.warn(
                        &format!("{pointer}/$ref"),
                        format!(
                            "allOf cycle: `{name}` includes itself through {}; the member adds nothing and is skipped",
                            self.merging.join(" -> ")
                        ),
                    );
                    return;
                }
                let Some(schema) = self.resolve_component(&name) else {
                    self.error(
                        &format!("{pointer}/$ref"),
                        format!("$ref target `{reference}` does not exist"),
                    );
                    return;
                };
                (
                    schema,
                    format!("/components/schemas/{}", escape_segment(&name)),
                    Some(name),
                )
            }
            ReferenceOr::Item(schema) => (schema, pointer.to_string(), None),
        };
        if let Some(name) = &component {
            self.merging.push(name.clone());
        }
        if let Some(description) = &schema.schema_data.description {
            merged.descriptions.push(description.clone());
        }
        merged.nullable |= schema.schema_data.nullable && component.is_none();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                add_object(merged, object, &schema_pointer, self.components())
            }
            SchemaKind::AllOf { all_of } => {
                for (index, inner) in all_of.iter().enumerate() {
                    self.merge_member(merged, inner, &format!("{schema_pointer}/allOf/{index}"));
                }
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    || !any.all_of.is_empty()
                    || !any.required.is_empty() =>
            {
                for (name, property) in &any.properties {
                    merge_property(
                        merged,
                        name,
                        Cow::Borrowed(property),
                        format!("{schema_pointer}/properties/{}", escape_segment(name)),
                        self.components(),
                    );
                }
                merged.required.extend(any.required.iter().cloned());
                for (index, inner) in any.all_of.iter().enumerate() {
                    self.merge_member(merged, inner, &format!("{schema_pointer}/allOf/{index}"));
                }
                if let Some(additional) = &any.additional_properties {
                    merged.additional = Some((additional, schema_pointer.clone()));
                }
            }
            SchemaKind::Any(_) => {}
            _ => {
                if merged.passthrough.is_none() {
                    merged.passthrough = Some((member, pointer.to_string()));
                } else {
                    self.warn(
                        pointer,
                        "allOf combines several non-object schemas; only the first is used",
                    );
                }
            }
        }
        if component.is_some() {
            self.merging.pop();
        }
    }

    /// `x-accept-numeric-string: true` on a property, honoured where the property is a number.
    fn accepts_numeric_string(
        &mut self,
        inline: Option<&Schema>,
        ty: &TypeExpr,
        pointer: &str,
    ) -> bool {
        let Some(flag) =
            inline.and_then(|schema| schema.schema_data.extensions.get("x-accept-numeric-string"))
        else {
            return false;
        };
        match (flag, ty) {
            (Value::Bool(false), _) => false,
            (Value::Bool(true), TypeExpr::Integer(_) | TypeExpr::Number(_)) => true,
            (Value::Bool(true), _) => {
                self.warn(
                    &format!("{pointer}/x-accept-numeric-string"),
                    "`x-accept-numeric-string` applies to integer and number properties; it is ignored here".to_string(),
                );
                false
            }
            (other, _) => {
                self.warn(
                    &format!("{pointer}/x-accept-numeric-string"),
                    format!("`x-accept-numeric-string` must be true or false, not {other}; it is ignored"),
                );
                false
            }
        }
    }

    fn build_struct(&mut self, name: &str, merged: MergedObject<'_>, pointer: &str) -> Struct {
        let mut field_names = Uniquifier::new();
        let mut fields = Vec::new();
        for (json_name, (property, property_pointer)) in &merged.properties {
            let property: &ReferenceOr<Box<Schema>> = property;
            let hint = format!("{name}{}", naming::upper_camel(json_name, "Field"));
            let (ty, nullable) = self.expr_boxed(property, &hint, property_pointer);
            let inline = match property {
                ReferenceOr::Item(schema) => Some(schema.as_ref()),
                ReferenceOr::Reference { .. } => None,
            };
            let sensitive =
                match inline.and_then(|schema| schema.schema_data.extensions.get("x-sensitive")) {
                    Some(Value::Bool(flag)) => *flag,
                    _ => {
                        inline.is_some_and(is_password)
                            || is_sensitive_name(json_name)
                            || is_card_number(name, json_name, merged.properties.keys())
                    }
                };
            let accepts_numeric_string = self.accepts_numeric_string(inline, &ty, property_pointer);
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: field_names.claim(naming::snake(json_name, "field")),
                ty,
                required: merged.required.contains(json_name),
                nullable,
                sensitive,
                boxed: false,
                docs: inline.and_then(describe),
                default: inline.and_then(|schema| schema.schema_data.default.clone()),
                constraints: Constraints {
                    accepts_numeric_string,
                    ..inline.map(constraints_of).unwrap_or_default()
                },
            });
        }
        for required in &merged.required {
            if !merged.properties.contains_key(required) {
                self.warn(
                    pointer,
                    format!(
                        "`{required}` is listed in `required` but is not a property; it is ignored"
                    ),
                );
            }
        }
        let additional_properties = match merged.additional {
            Some((AdditionalProperties::Any(true), _)) => Some(TypeExpr::Any),
            Some((AdditionalProperties::Any(false), _)) | None => None,
            Some((additional @ AdditionalProperties::Schema(_), additional_pointer)) => {
                Some(self.additional_type(
                    Some(additional),
                    &format!("{name}Extra"),
                    &additional_pointer,
                ))
            }
        };
        if additional_properties.is_some() {
            let _ = field_names.claim("additional_properties".into());
        }
        Struct {
            fields,
            additional_properties,
            property_count: merged.property_count,
        }
    }

    fn string_enum(&mut self, schema: &Schema, string: &StringType, pointer: &str) -> StringEnum {
        let descriptions = enum_descriptions(schema);
        let varnames = enum_varnames(schema);
        let details_map = enum_details(schema);
        let mut names = Uniquifier::new();
        names.reserve("Unknown");
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, value) in string.enumeration.iter().enumerate() {
            let Some(value) = value else { continue }; // `null` in an enum list means nullable
            if !seen.insert(value.clone()) {
                self.warn(
                    &format!("{pointer}/enum/{index}"),
                    format!("duplicate enum value `{value}` is listed once"),
                );
                continue;
            }
            let base = varnames
                .get(index)
                .cloned()
                .unwrap_or_else(|| naming::upper_camel(value, "Value"));
            variants.push(StringVariant {
                rust_name: names.claim(base),
                value: value.clone(),
                docs: descriptions.get(value).cloned(),
                details: details_map.get(value).cloned().unwrap_or_default(),
            });
        }
        let details = detail_columns(variants.iter().map(|v| &v.details));
        StringEnum { variants, details }
    }

    fn integer_enum(
        &mut self,
        schema: &Schema,
        integer: &IntegerType,
        pointer: &str,
    ) -> IntegerEnum {
        let descriptions = enum_descriptions(schema);
        let varnames = enum_varnames(schema);
        let details_map = enum_details(schema);
        let mut names = Uniquifier::new();
        names.reserve("Unknown");
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, value) in integer.enumeration.iter().enumerate() {
            let Some(value) = *value else { continue };
            if !seen.insert(value) {
                self.warn(
                    &format!("{pointer}/enum/{index}"),
                    format!("duplicate enum value `{value}` is listed once"),
                );
                continue;
            }
            let text = value.to_string();
            let base = varnames.get(index).cloned().unwrap_or_else(|| {
                if value < 0 {
                    format!("CodeMinus{}", value.unsigned_abs())
                } else {
                    format!("Code{value}")
                }
            });
            variants.push(IntegerVariant {
                rust_name: names.claim(base),
                value,
                docs: descriptions.get(&text).cloned(),
                details: details_map.get(&text).cloned().unwrap_or_default(),
            });
        }
        let ranges = self.code_ranges(schema, pointer);
        let details = detail_columns(variants.iter().map(|v| &v.details));
        IntegerEnum {
            variants,
            ranges,
            details,
        }
    }

    fn code_ranges(&mut self, schema: &Schema, pointer: &str) -> Vec<CodeRange> {
        let Some(raw) = schema.schema_data.extensions.get("x-code-ranges") else {
            return Vec::new();
        };
        let Value::Array(entries) = raw else {
            self.error(
                &format!("{pointer}/x-code-ranges"),
                "`x-code-ranges` must be a list of {min, max, name, description}",
            );
            return Vec::new();
        };
        let mut methods = Uniquifier::new();
        let mut ranges = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let at = format!("{pointer}/x-code-ranges/{index}");
            let (Some(min), Some(max), Some(name)) = (
                entry.get("min").and_then(Value::as_i64),
                entry.get("max").and_then(Value::as_i64),
                entry.get("name").and_then(Value::as_str),
            ) else {
                self.error(
                    &at,
                    "each code range needs integer `min` and `max` and a string `name`",
                );
                continue;
            };
            if min > max {
                self.error(
                    &at,
                    format!("code range `{name}` has min {min} above max {max}"),
                );
                continue;
            }
            let method = methods.claim(naming::snake(name, "range"));
            ranges.push(CodeRange {
                min,
                max,
                name: name.to_string(),
                variant: naming::upper_camel(&method, "Range"),
                method,
                docs: entry
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
        ranges
    }

    fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        pointer: &str,
    ) -> Union {
        let discriminator = schema.schema_data.discriminator.as_ref();
        // Without a discriminator, alternatives that each pin a required property to one
        // distinct string (`type: {enum: [disk]}`) are internally tagged all the same.
        let mut property = match discriminator {
            Some(discriminator) => Some(discriminator.property_name.clone()),
            None => self.implicit_tag_property(members),
        };
        let pins: Vec<Option<Pin>> = members
            .iter()
            .map(|member| {
                let property = property.as_deref()?;
                self.pinned_value(member, property)
            })
            .collect();
        let untagged = members
            .iter()
            .zip(&pins)
            .any(|(member, pin)| pin.is_none() && !matches!(member, ReferenceOr::Reference { .. }));
        if discriminator.is_some() && untagged {
            self.warn(pointer, "a discriminator needs every alternative to be a $ref or to pin the property to one value; the alternatives are matched by shape");
            property = None;
        }
        let mut names = Uniquifier::new();
        let mut variants = Vec::new();
        for (index, (member, pin)) in members.iter().zip(pins).enumerate() {
            let member_pointer = format!("{pointer}/{keyword}/{index}");
            let base = match member {
                ReferenceOr::Reference { reference } => {
                    naming::upper_camel(reference.rsplit('/').next().unwrap_or_default(), "Variant")
                }
                ReferenceOr::Item(item) => item
                    .schema_data
                    .title
                    .as_deref()
                    .map(|title| naming::upper_camel(title, "Variant"))
                    .or_else(|| scalar_variant_name(item, members))
                    .unwrap_or_else(|| format!("Variant{index}")),
            };
            let hint = format!("{name}{base}");
            let (ty, tags, tag_outside) = match (member, pin, property.as_deref()) {
                (ReferenceOr::Item(item), Some(pin), Some(property)) if pin.inline => {
                    let rest = without_property(item, property);
                    let has_content = matches!(
                        &rest.schema_kind,
                        SchemaKind::Type(Type::Object(object))
                            if !object.properties.is_empty() || object.additional_properties.is_some()
                    );
                    let ty = has_content.then(|| {
                        let (ty, nullable) =
                            self.expr(&ReferenceOr::Item(rest), &hint, &member_pointer);
                        wrap_nullable(ty, nullable)
                    });
                    (ty, vec![pin.value], true)
                }
                (_, pin, Some(_)) => {
                    let (ty, nullable) = self.expr(member, &hint, &member_pointer);
                    let tags = match (discriminator, member) {
                        (Some(discriminator), ReferenceOr::Reference { reference }) => {
                            mapped_tags(discriminator, reference)
                        }
                        _ => pin.map(|pin| vec![pin.value]).unwrap_or_default(),
                    };
                    (Some(wrap_nullable(ty, nullable)), tags, false)
                }
                (_, _, None) => {
                    let (ty, nullable) = self.expr(member, &hint, &member_pointer);
                    (Some(wrap_nullable(ty, nullable)), Vec::new(), false)
                }
            };
            variants.push(UnionVariant {
                rust_name: names.claim(base),
                ty,
                tags,
                tag_outside,
            });
        }
        Union {
            variants,
            discriminator: property,
        }
    }

    /// The property every alternative pins to its own single string (required, `enum` of one
    /// value), when there is one: the first such property of the first alternative.
    fn implicit_tag_property(&self, members: &[ReferenceOr<Schema>]) -> Option<String> {
        if members.len() < 2 {
            return None;
        }
        let first = self.member_object(&members[0])?;
        first.required.iter().find_map(|candidate| {
            let mut seen = BTreeSet::new();
            members
                .iter()
                .all(|member| {
                    self.pinned_value(member, candidate)
                        .is_some_and(|pin| seen.insert(pin.value))
                })
                .then(|| candidate.clone())
        })
    }

    /// An alternative's object schema (following a `$ref`), unless it may be `null`.
    fn member_object(&self, member: &'a ReferenceOr<Schema>) -> Option<&'a ObjectType>
    where
        Self: 'a,
    {
        let schema = match member {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                let name =
                    crate::diagnostic::unescape_segment(reference.strip_prefix(COMPONENT_PREFIX)?);
                self.resolve_component(&name)?
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !schema.schema_data.nullable => Some(object),
            _ => None,
        }
    }

    /// The one string an alternative requires `property` to be.
    fn pinned_value(&self, member: &ReferenceOr<Schema>, property: &str) -> Option<Pin> {
        let object = self.member_object(member)?;
        if !object.required.iter().any(|name| name == property) {
            return None;
        }
        let (schema, inline) = match object.properties.get(property)? {
            ReferenceOr::Item(schema) => (schema.as_ref(), true),
            ReferenceOr::Reference { reference } => {
                let name =
                    crate::diagnostic::unescape_segment(reference.strip_prefix(COMPONENT_PREFIX)?);
                (self.resolve_component(&name)?, false)
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !schema.schema_data.nullable => {
                match string.enumeration.as_slice() {
                    [Some(value)] => Some(Pin {
                        value: value.clone(),
                        inline: inline && matches!(member, ReferenceOr::Item(_)),
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `oneOf`/`anyOf` whose every alternative is an inline string enum (typically one value
    /// each, with its own description): one string enum, each value documented.
    fn string_alternatives(
        &mut self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        keyword: &str,
    ) -> Option<StringEnum> {
        let mut values = Vec::new();
        for member in members {
            let ReferenceOr::Item(schema) = member else {
                return None;
            };
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
                return None;
            };
            if schema.schema_data.nullable
                || !string.enumeration.iter().all(Option::is_some)
                || string.enumeration.is_empty()
            {
                return None;
            }
            let docs = describe(schema);
            values.extend(
                string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|value| (value.clone(), docs.clone())),
            );
        }
        let mut names = Uniquifier::new();
        names.reserve("Unknown");
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (value, docs) in values {
            if !seen.insert(value.clone()) {
                self.warn(
                    pointer,
                    format!(
                        "`{keyword}` lists the value `{value}` more than once; it is listed once"
                    ),
                );
                continue;
            }
            variants.push(StringVariant {
                rust_name: names.claim(naming::upper_camel(&value, "Value")),
                value,
                docs,
                details: Vec::new(),
            });
        }
        Some(StringEnum {
            variants,
            details: Vec::new(),
        })
    }
}

/// The one string an alternative pins its tag property to.
struct Pin {
    value: String,
    /// The alternative and its tag property are written inline, so no other type holds them.
    inline: bool,
}

/// Discriminator values mapped to a `$ref` alternative (its schema name when unmapped).
fn mapped_tags(discriminator: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| {
            *target == reference || target.rsplit('/').next() == reference.rsplit('/').next()
        })
        .map(|(tag, _)| tag.clone())
        .collect();
    if mapped.is_empty() {
        vec![reference.rsplit('/').next().unwrap_or_default().to_string()]
    } else {
        mapped
    }
}

/// An inline object alternative without its tag property (the union carries the tag).
fn without_property(schema: &Schema, property: &str) -> Schema {
    let mut rest = schema.clone();
    if let SchemaKind::Type(Type::Object(object)) = &mut rest.schema_kind {
        object.properties.shift_remove(property);
        object.required.retain(|name| name != property);
    }
    rest
}

/// An `enum` list with at least one non-null value.
fn has_values<T>(enumeration: &[Option<T>]) -> bool {
    enumeration.iter().any(Option::is_some)
}

fn add_object<'s>(
    merged: &mut MergedObject<'s>,
    object: &'s ObjectType,
    pointer: &str,
    components: Option<&'s openapiv3::Components>,
) {
    if object.min_properties.is_some() || object.max_properties.is_some() {
        merged.property_count = (
            object.min_properties.map(|n| n as u64),
            object.max_properties.map(|n| n as u64),
        );
    }
    for (name, property) in &object.properties {
        merge_property(
            merged,
            name,
            Cow::Borrowed(property),
            format!("{pointer}/properties/{}", escape_segment(name)),
            components,
        );
    }
    merged.required.extend(object.required.iter().cloned());
    if let Some(additional) = &object.additional_properties {
        merged.additional = Some((additional, pointer.to_string()));
    }
}

impl MergedObject<'_> {
    /// The merged properties as one object schema (for an alternative built by distribution).
    fn into_schema(self, title: Option<String>) -> Schema {
        let description = (!self.descriptions.is_empty()).then(|| self.descriptions.join("\n\n"));
        Schema {
            schema_data: openapiv3::SchemaData {
                title,
                description,
                nullable: self.nullable,
                ..Default::default()
            },
            schema_kind: SchemaKind::Type(Type::Object(ObjectType {
                properties: self
                    .properties
                    .into_iter()
                    .map(|(name, (property, _))| (name, property.into_owned()))
                    .collect(),
                required: self.required.into_iter().collect(),
                additional_properties: self.additional.map(|(extra, _)| extra.clone()),
                min_properties: self.property_count.0.map(|n| n as usize),
                max_properties: self.property_count.1.map(|n| n as usize),
            })),
        }
    }
}

/// What a property schema is, for merging two definitions of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    /// `{}` or an object without properties: any later definition narrows it.
    Open,
    /// An object with properties, an `allOf`, or a union: merged by `allOf`.
    Composite,
    /// An array: merged item by item.
    Array,
    /// A scalar of this JSON type.
    Scalar(&'static str),
}

fn category(schema: &Schema) -> Category {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => Category::Open,
        SchemaKind::Type(Type::Object(_))
        | SchemaKind::AllOf { .. }
        | SchemaKind::OneOf { .. }
        | SchemaKind::AnyOf { .. } => Category::Composite,
        SchemaKind::Type(Type::Array(_)) => Category::Array,
        SchemaKind::Type(Type::String(_)) => Category::Scalar("string"),
        SchemaKind::Type(Type::Integer(_)) => Category::Scalar("integer"),
        SchemaKind::Type(Type::Number(_)) => Category::Scalar("number"),
        SchemaKind::Type(Type::Boolean(_)) => Category::Scalar("boolean"),
        SchemaKind::Not { .. } => Category::Open,
        SchemaKind::Any(any) => match normalize_any(schema, any) {
            Some(normalized) => category(&normalized),
            None => Category::Open,
        },
    }
}

fn resolve_property<'s>(
    property: &'s ReferenceOr<Box<Schema>>,
    components: Option<&'s openapiv3::Components>,
) -> Option<&'s Schema> {
    let mut reference = match property {
        ReferenceOr::Item(schema) => return Some(schema),
        ReferenceOr::Reference { reference } => reference,
    };
    for _ in 0..64 {
        let name = crate::diagnostic::unescape_segment(reference.strip_prefix(COMPONENT_PREFIX)?);
        match components?.schemas.get(&name)? {
            ReferenceOr::Item(schema) => return Some(schema),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}

fn unboxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
    }
}

/// Two definitions of one property merged deeply: objects and unions through `allOf` (so both
/// parts' fields stay), arrays item by item, scalars to the narrower one (the one with an
/// `enum`). `Err` where the types truly conflict (the later wins).
fn combine(
    earlier: &ReferenceOr<Box<Schema>>,
    later: &ReferenceOr<Box<Schema>>,
    components: Option<&openapiv3::Components>,
) -> Result<ReferenceOr<Box<Schema>>, String> {
    let (Some(a), Some(b)) = (
        resolve_property(earlier, components),
        resolve_property(later, components),
    ) else {
        return Ok(later.clone());
    };
    match (category(a), category(b)) {
        (_, Category::Open) => Ok(earlier.clone()),
        (Category::Open, _) => Ok(later.clone()),
        (Category::Composite, Category::Composite) => Ok(ReferenceOr::Item(Box::new(Schema {
            schema_data: openapiv3::SchemaData {
                description: b
                    .schema_data
                    .description
                    .clone()
                    .or_else(|| a.schema_data.description.clone()),
                nullable: a.schema_data.nullable && b.schema_data.nullable,
                ..Default::default()
            },
            schema_kind: SchemaKind::AllOf {
                all_of: vec![unboxed(earlier), unboxed(later)],
            },
        }))),
        (Category::Array, Category::Array) => {
            let array_of = |schema: &Schema| match &schema.schema_kind {
                SchemaKind::Type(Type::Array(array)) => Some(array.clone()),
                SchemaKind::Any(any) => match normalize_any(schema, any)?.schema_kind {
                    SchemaKind::Type(Type::Array(array)) => Some(array),
                    _ => None,
                },
                _ => None,
            };
            let (Some(mut first), Some(second)) = (array_of(a), array_of(b)) else {
                return Ok(later.clone());
            };
            first.items = match (&first.items, &second.items) {
                (Some(x), Some(y)) => Some(combine(x, y, components)?),
                (None, y) => y.clone(),
                (x, None) => x.clone(),
            };
            first.min_items = second.min_items.or(first.min_items);
            first.max_items = second.max_items.or(first.max_items);
            Ok(ReferenceOr::Item(Box::new(Schema {
                schema_data: b.schema_data.clone(),
                schema_kind: SchemaKind::Type(Type::Array(first)),
            })))
        }
        (Category::Scalar(x), Category::Scalar(y)) if x == y => {
            let has_enum = |schema: &Schema| match &schema.schema_kind {
                SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
                SchemaKind::Type(Type::Integer(i)) => !i.enumeration.is_empty(),
                _ => false,
            };
            Ok(if has_enum(a) && !has_enum(b) {
                earlier.clone()
            } else {
                later.clone()
            })
        }
        (x, y) => Err(format!(
            "two allOf members define this property with conflicting types ({} and {}); the later one is used",
            describe_category(x),
            describe_category(y)
        )),
    }
}

fn describe_category(category: Category) -> &'static str {
    match category {
        Category::Open => "any",
        Category::Composite => "object",
        Category::Array => "array",
        Category::Scalar(kind) => kind,
    }
}

/// Adds a property to the merged object; one defined again is merged deeply with the earlier
/// definition (see [`combine`]), so no member's fields are lost.
fn merge_property<'s>(
    merged: &mut MergedObject<'s>,
    name: &str,
    property: Cow<'s, ReferenceOr<Box<Schema>>>,
    pointer: String,
    components: Option<&'s openapiv3::Components>,
) {
    let combined = match merged.properties.get(name) {
        None => property,
        Some((existing, _)) => match combine(existing, &property, components) {
            Ok(combined) => Cow::Owned(combined),
            Err(message) => {
                merged.conflicts.push((pointer.clone(), message));
                property
            }
        },
    };
    merged
        .properties
        .insert(name.to_string(), (combined, pointer));
}

pub(super) fn wrap_nullable(expr: TypeExpr, nullable: bool) -> TypeExpr {
    if nullable && !matches!(expr, TypeExpr::Any | TypeExpr::Nullable(_)) {
        TypeExpr::Nullable(Box::new(expr))
    } else {
        expr
    }
}

fn string_expr(string: &StringType) -> TypeExpr {
    match &string.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => TypeExpr::DateTime,
        // Not a registered format: documents whose timestamps carry no zone. Same Rust type
        // (the text is kept, `has_offset()` tells), while JSON Schema tools do not demand a zone.
        VariantOrUnknownOrEmpty::Unknown(format) if format == "local-date-time" => {
            TypeExpr::DateTime
        }
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => TypeExpr::Date,
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => TypeExpr::Binary,
        _ => TypeExpr::String,
    }
}

fn integer_format(integer: &IntegerType) -> IntegerFormat {
    match &integer.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntegerFormat::I32,
        _ => IntegerFormat::I64,
    }
}

fn number_format(number: &NumberType) -> NumberFormat {
    match &number.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => NumberFormat::F32,
        _ => NumberFormat::F64,
    }
}

fn is_password(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(StringType {
            format: VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password),
            ..
        }))
    )
}

/// Rewrites a type-less schema into the typed one its keywords imply, or `None` for "any value".
fn normalize_any(schema: &Schema, any: &AnySchema) -> Option<Schema> {
    let kind = if !any.all_of.is_empty() {
        SchemaKind::AllOf {
            all_of: any.all_of.clone(),
        }
    } else if !any.one_of.is_empty() {
        SchemaKind::OneOf {
            one_of: any.one_of.clone(),
        }
    } else if !any.any_of.is_empty() {
        SchemaKind::AnyOf {
            any_of: any.any_of.clone(),
        }
    } else if !any.properties.is_empty()
        || any.additional_properties.is_some()
        || any.typ.as_deref() == Some("object")
    {
        SchemaKind::Type(Type::Object(ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional_properties: any.additional_properties.clone(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        }))
    } else if any.items.is_some() || any.typ.as_deref() == Some("array") {
        SchemaKind::Type(Type::Array(openapiv3::ArrayType {
            items: any.items.clone(),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items.unwrap_or(false),
        }))
    } else if !any.enumeration.is_empty()
        && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
    {
        SchemaKind::Type(Type::String(StringType {
            enumeration: any
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
            ..StringType::default()
        }))
    } else if !any.enumeration.is_empty()
        && any.enumeration.iter().all(|v| v.is_i64() || v.is_null())
    {
        SchemaKind::Type(Type::Integer(IntegerType {
            enumeration: any.enumeration.iter().map(Value::as_i64).collect(),
            ..IntegerType::default()
        }))
    } else {
        match any.typ.as_deref() {
            Some("string") => SchemaKind::Type(Type::String(StringType::default())),
            Some("integer") => SchemaKind::Type(Type::Integer(IntegerType::default())),
            Some("number") => SchemaKind::Type(Type::Number(NumberType::default())),
            Some("boolean") => SchemaKind::Type(Type::Boolean(openapiv3::BooleanType::default())),
            _ => return None,
        }
    };
    Some(Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind: kind,
    })
}

/// `title` and `description`, joined.
fn describe(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(description)) if title != description => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    }
}

/// Validation keywords of a schema.
pub fn constraints_of(schema: &Schema) -> Constraints {
    let mut constraints = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            constraints.min_length = string.min_length.map(|n| n as u64);
            constraints.max_length = string.max_length.map(|n| n as u64);
            constraints.pattern = string.pattern.clone();
            if let VariantOrUnknownOrEmpty::Unknown(format) = &string.format
                && format != "local-date-time"
            {
                constraints.format = Some(format.clone());
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            constraints.minimum = integer.minimum.map(|value| Bound {
                value: value as f64,
                exclusive: integer.exclusive_minimum,
            });
            constraints.maximum = integer.maximum.map(|value| Bound {
                value: value as f64,
                exclusive: integer.exclusive_maximum,
            });
        }
        SchemaKind::Type(Type::Number(number)) => {
            constraints.minimum = number.minimum.map(|value| Bound {
                value,
                exclusive: number.exclusive_minimum,
            });
            constraints.maximum = number.maximum.map(|value| Bound {
                value,
                exclusive: number.exclusive_maximum,
            });
        }
        SchemaKind::Type(Type::Array(array)) => {
            constraints.min_items = array.min_items.map(|n| n as u64);
            constraints.max_items = array.max_items.map(|n| n as u64);
            if let Some(ReferenceOr::Item(item)) = &array.items {
                let items = constraints_of(item);
                if !items.is_empty() {
                    constraints.items = Some(Box::new(items));
                }
            }
        }
        _ => {}
    }
    constraints
}

fn value_key(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `x-enum-descriptions` (value → meaning); keys may be written as numbers in YAML.
fn enum_descriptions(schema: &Schema) -> HashMap<String, String> {
    match schema.schema_data.extensions.get("x-enum-descriptions") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| (key.clone(), value_key(value)))
            .collect(),
        _ => HashMap::new(),
    }
}

/// `x-enum-varnames`, positionally.
fn enum_varnames(schema: &Schema) -> Vec<String> {
    match schema.schema_data.extensions.get("x-enum-varnames") {
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| naming::upper_camel(&value_key(n), "Value"))
            .collect(),
        _ => Vec::new(),
    }
}

/// A name for an untitled scalar alternative, from what it is: `Id` for the one plain string
/// beside object alternatives (an id or the object it names, as Stripe's expandable fields
/// are), else its type (`String`, `Integer`, `Number`, `Boolean`, `List`).
fn scalar_variant_name(item: &Schema, members: &[ReferenceOr<Schema>]) -> Option<String> {
    let plain_string = |schema: &Schema| matches!(&schema.schema_kind, SchemaKind::Type(Type::String(text)) if text.enumeration.is_empty() && text.format == openapiv3::VariantOrUnknownOrEmpty::Empty);
    let name = match &item.schema_kind {
        SchemaKind::Type(Type::String(_)) if plain_string(item) => {
            let strings = members
                .iter()
                .filter(|m| matches!(m, ReferenceOr::Item(s) if plain_string(s)))
                .count();
            let objects = members.iter().any(|m| match m {
                ReferenceOr::Reference { .. } => true,
                ReferenceOr::Item(s) => matches!(s.schema_kind, SchemaKind::Type(Type::Object(_))),
            });
            if strings == 1 && objects {
                "Id"
            } else {
                "String"
            }
        }
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "List",
        _ => return None,
    };
    Some(name.to_string())
}

/// `x-enum-details` (value → {fact: value}).
fn enum_details(schema: &Schema) -> HashMap<String, Vec<(String, Value)>> {
    match schema.schema_data.extensions.get("x-enum-details") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, facts)| {
                let facts = match facts {
                    Value::Object(facts) => {
                        facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
                    }
                    _ => Vec::new(),
                };
                (key.clone(), facts)
            })
            .collect(),
        _ => HashMap::new(),
    }
}

/// The accessor columns of `x-enum-details`: every fact name any value has, typed as integer
/// when every value of it is an integer.
fn detail_columns<'d>(
    rows: impl Iterator<Item = &'d Vec<(String, Value)>> + Clone,
) -> Vec<EnumDetail> {
    let mut names: Vec<String> = Vec::new();
    for row in rows.clone() {
        for (name, _) in row {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut methods = Uniquifier::new();
    for reserved in [
        "as_str",
        "code",
        "is_documented",
        "documented",
        "description",
    ] {
        methods.reserve(reserved);
    }
    names
        .into_iter()
        .map(|name| {
            let all_integers = rows
                .clone()
                .flat_map(|row| row.iter())
                .filter(|(n, v)| *n == name && !v.is_null())
                .all(|(_, v)| v.is_i64());
            EnumDetail {
                method: methods.claim(naming::snake(&name, "detail")),
                kind: if all_integers {
                    DetailKind::Integer
                } else {
                    DetailKind::String
                },
                name,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind};

    fn build(schemas: &str) -> (Api, Vec<String>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        crate::ir::build_for_test(&text)
    }

    #[test]
    fn a_cards_number_is_sensitive_and_other_numbers_are_not() {
        let (api, _) = build(
            "    Card:\n      type: object\n      properties:\n        number: {type: string}\n    Method:\n      type: object\n      properties:\n        number: {type: string}\n        exp_month: {type: integer}\n    Invoice:\n      type: object\n      properties:\n        number: {type: string}\n        pan: {type: string}\n",
        );
        let sensitive: Vec<(String, Vec<(&str, bool)>)> = api
            .types
            .iter()
            .map(|t| {
                let TypeKind::Struct(st) = &t.kind else {
                    panic!("structs only");
                };
                (
                    t.name.clone(),
                    st.fields
                        .iter()
                        .map(|f| (f.json_name.as_str(), f.sensitive))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            sensitive,
            [
                ("Card".to_string(), vec![("number", true)]),
                (
                    "Method".to_string(),
                    vec![("number", true), ("exp_month", false)]
                ),
                (
                    "Invoice".to_string(),
                    vec![("number", false), ("pan", true)]
                ),
            ]
        );
    }

    #[test]
    fn numeric_strings_are_accepted_only_on_numeric_properties() {
        let (api, warnings) = build(
            "    Charge:\n      type: object\n      properties:\n        amount: {type: integer, x-accept-numeric-string: true}\n        rate: {type: number, x-accept-numeric-string: true}\n        plain: {type: integer}\n        name: {type: string, x-accept-numeric-string: true}\n        odd: {type: integer, x-accept-numeric-string: 'yes'}\n",
        );
        let TypeKind::Struct(charge) = &api.types[0].kind else {
            panic!("Charge is a struct");
        };
        let accepted: Vec<(&str, bool)> = charge
            .fields
            .iter()
            .map(|f| (f.json_name.as_str(), f.constraints.accepts_numeric_string))
            .collect();
        assert_eq!(
            accepted,
            [
                ("amount", true),
                ("rate", true),
                ("plain", false),
                ("name", false),
                ("odd", false)
            ]
        );
        assert_eq!(
            warnings,
            [
                "/components/schemas/Charge/properties/name/x-accept-numeric-string `x-accept-numeric-string` applies to integer and number properties; it is ignored here",
                "/components/schemas/Charge/properties/odd/x-accept-numeric-string `x-accept-numeric-string` must be true or false, not \"yes\"; it is ignored",
            ]
        );
    }
}
