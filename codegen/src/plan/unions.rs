//! Untagged unions: what each alternative looks like, so a value decodes as the alternative it
//! fits best (required and declared properties, documented enum values), never merely the
//! first that deserializes.

use specgen_runtime::FitKind;

use super::resolve_named;
use crate::ir::{Api, TypeExpr, TypeKind};

/// What one alternative accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct FitPlan {
    /// The JSON kind.
    pub kind: FitKind,
    /// Required properties (objects).
    pub required: Vec<String>,
    /// Declared properties with the values their string enum documents (empty: any value).
    pub fields: Vec<(String, Vec<String>)>,
    /// No undeclared properties.
    pub closed: bool,
    /// `null` is allowed.
    pub nullable: bool,
}

impl FitPlan {
    fn of_kind(kind: FitKind) -> Self {
        FitPlan {
            kind,
            required: Vec::new(),
            fields: Vec::new(),
            closed: false,
            nullable: false,
        }
    }
}

/// The string values an expression documents, when it is a string enum.
fn documented_values(api: &Api, expr: &TypeExpr) -> Vec<String> {
    match resolve_named(api, expr) {
        Some(TypeKind::StringEnum(en)) => en.variants.iter().map(|v| v.value.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The fit of an alternative's type.
pub fn fit_of(api: &Api, expr: &TypeExpr) -> FitPlan {
    let nullable_named = |name: &str| api.type_named(name).is_some_and(|def| def.nullable);
    let mut fit = match expr {
        TypeExpr::Nullable(inner) => {
            let mut fit = fit_of(api, inner);
            fit.nullable = true;
            return fit;
        }
        TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date | TypeExpr::Binary => {
            FitPlan::of_kind(FitKind::String)
        }
        TypeExpr::Integer(_) => FitPlan::of_kind(FitKind::Integer),
        TypeExpr::Number(_) => FitPlan::of_kind(FitKind::Number),
        TypeExpr::Boolean => FitPlan::of_kind(FitKind::Boolean),
        TypeExpr::List(_) => FitPlan::of_kind(FitKind::Array),
        TypeExpr::Map(_) => FitPlan::of_kind(FitKind::Object),
        TypeExpr::Any => FitPlan::of_kind(FitKind::Any),
        TypeExpr::Named(name) => match resolve_named(api, expr) {
            Some(TypeKind::Struct(st)) => FitPlan {
                kind: FitKind::Object,
                required: st
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.json_name.clone())
                    .collect(),
                fields: st
                    .fields
                    .iter()
                    .map(|f| (f.json_name.clone(), documented_values(api, &f.ty)))
                    .collect(),
                closed: st.additional_properties.is_none(),
                nullable: nullable_named(name),
            },
            Some(TypeKind::StringEnum(_)) => FitPlan::of_kind(FitKind::String),
            Some(TypeKind::IntegerEnum(_)) => FitPlan::of_kind(FitKind::Integer),
            Some(TypeKind::Newtype(newtype)) => fit_of(api, &newtype.inner),
            Some(TypeKind::Alias(inner)) => fit_of(api, inner),
            Some(TypeKind::Union(_)) | None => FitPlan::of_kind(FitKind::Any),
        },
    };
    if let TypeExpr::Named(name) = expr {
        fit.nullable |= nullable_named(name);
    }
    fit
}

/// How a variant of an expandable union (an id, or the object it names — Stripe's
/// `anyOf: [string, $ref]`) yields the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdAccess {
    /// The variant is the id.
    Itself,
    /// The object's `id` field (its Rust name), `Option` when the field is optional.
    Field {
        /// Rust field name.
        field: String,
        /// Stored as `Option<String>`.
        optional: bool,
    },
}

/// Per variant, how `.id()` reads the id — when the union is expandable: exactly one plain
/// string alternative, and every other one an object with a string `id`.
pub fn id_access(api: &Api, union: &crate::ir::Union) -> Option<Vec<IdAccess>> {
    let access: Vec<IdAccess> = union
        .variants
        .iter()
        .map(|variant| match variant.ty.as_ref()? {
            TypeExpr::String => Some(IdAccess::Itself),
            expr @ TypeExpr::Named(_) => match resolve_named(api, expr)? {
                TypeKind::Struct(st) => {
                    let id = st.fields.iter().find(|f| f.json_name == "id")?;
                    (id.ty == TypeExpr::String && !(id.required && id.nullable)).then(|| {
                        IdAccess::Field {
                            field: id.rust_name.clone(),
                            optional: !id.required || id.nullable,
                        }
                    })
                }
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<_>>()?;
    let ids = access.iter().filter(|a| **a == IdAccess::Itself).count();
    (ids == 1 && access.len() >= 2).then_some(access)
}
