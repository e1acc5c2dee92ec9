//! The emission plan: between the IR and the emitters, every decision about how an operation
//! travels on the wire is taken here, once — each parameter's codec (style, explode,
//! allowReserved with the defaults applied), the path template's pieces, the idempotency key,
//! each body's encoding (JSON, form with per-property encodings, multipart with per-part kinds
//! and media types, text, bytes), each response's role and variant shape, the security
//! alternatives, the mock's answer. The client, server, operations and conformance emitters read
//! only this, so they cannot drift apart; none of them imports another.
//!
//! Like the IR, the plan is plain data (it borrows the IR and adds decisions); the codecs are the
//! runtime's own [`Codec`] values, so what the plan says is exactly what the runtime runs.

mod bodies;
pub(crate) use bodies::{MediaKind, media_kind};
mod responses;
mod unions;

pub use bodies::{
    BodyEncoding, BodyPlan, BodyValue, FieldPresence, FileCardinality, FormFieldPlan, MediaPlan,
    PartPlan,
};
pub use responses::{
    HeaderPlan, HeadersType, ResponsePlan, StatusRole, documented_bodies, status_label,
};
use specgen_runtime::wire::{Codec, Style};
pub use unions::{FitPlan, IdAccess, fit_of, id_access};

use crate::ir::{
    Api, Operation, Parameter, ParameterLocation, ParameterStyle, SecurityScheme,
    SecuritySchemeKind, TypeExpr, TypeKind,
};

/// The plan of a whole API.
pub struct Plan<'a> {
    /// The IR it was made from (types, servers, schemes, webhooks are emitted from it as is).
    pub api: &'a Api,
    /// One plan per operation, in the IR's order.
    pub operations: Vec<OperationPlan<'a>>,
    /// How items that need optional modules are compiled in.
    pub gating: Gating,
    /// The distinct security alternatives of the operations, in first-use order: the client and
    /// the server name them by index (`SECURITY_0`) instead of spelling them per operation.
    pub security_tables: Vec<Vec<Vec<&'a SecurityScheme>>>,
    /// The response-headers structs, each shared by the responses documenting its headers.
    pub headers_types: Vec<responses::HeadersType<'a>>,
}

/// How code that needs the optional modules (`client`, `server`, `schema`, `conformance`) is
/// compiled in: behind Cargo features of those names (a generated crate), or not at all gated
/// because the modules were chosen when generating (`generate!`, `build.rs`) — so the invoking
/// crate declares no features.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gating {
    /// `#[cfg(feature = "…")]`.
    Features,
    /// Exactly these modules are there.
    Chosen(Vec<&'static str>),
}

impl Gating {
    /// The attribute putting an item behind every one of `modules`: a `cfg` on features, nothing
    /// when they were all chosen, and a never-true `cfg(any())` when one was not.
    pub fn cfg(&self, modules: &[&str]) -> proc_macro2::TokenStream {
        match self {
            Gating::Features => match modules {
                [module] => quote::quote!(#[cfg(feature = #module)]),
                _ => quote::quote!(#[cfg(all(#(feature = #modules),*))]),
            },
            Gating::Chosen(chosen) if modules.iter().all(|m| chosen.contains(m)) => {
                proc_macro2::TokenStream::new()
            }
            Gating::Chosen(_) => quote::quote!(#[cfg(any())]),
        }
    }
}

/// Everything the emitters need to know about one operation.
pub struct OperationPlan<'a> {
    /// The operation in the IR.
    pub op: &'a Operation,
    /// `CreatePaymentRequest`.
    pub request_type: String,
    /// `CreatePaymentResponse`.
    pub response_type: String,
    /// The path template in pieces, with parameters by index into [`Self::params`].
    pub path: Vec<PathPiece>,
    /// Every parameter with its codec, in declaration order (the request struct's field order).
    pub params: Vec<ParamPlan<'a>>,
    /// The order a server reads the parameters in: exploded free-form query objects last, since
    /// they take every query pair no other parameter took.
    pub decode_order: Vec<usize>,
    /// The header parameter carrying the idempotency key (index into [`Self::params`]).
    pub idempotency_key: Option<usize>,
    /// The request body, if the operation has one with at least one media type.
    pub body: Option<BodyPlan<'a>>,
    /// The responses in the IR's order (codes, ranges, `default`).
    pub responses: Vec<ResponsePlan<'a>>,
    /// Security alternatives, any one of which suffices; each lists schemes that must all be
    /// present (an empty alternative means anonymous access is allowed). Empty: no auth.
    pub security: Vec<Vec<&'a SecurityScheme>>,
    /// Index of [`Self::security`] in [`Plan::security_tables`]; `None` without security.
    pub security_table: Option<usize>,
    /// How a handler receives the credential.
    pub credential: CredentialArg,
    /// Query keys that carry API keys: accepted beside the operation's parameters.
    pub query_keys: Vec<&'a str>,
    /// The response `MockApi` answers with (index into [`Self::responses`]).
    pub mock_response: Option<usize>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPiece {
    /// Literal text (`/payments/`).
    Literal(String),
    /// A parameter's value (index into [`OperationPlan::params`]).
    Param(usize),
}

/// A parameter and how it travels.
pub struct ParamPlan<'a> {
    /// The parameter in the IR.
    pub param: &'a Parameter,
    /// Its codec, defaults applied.
    pub codec: Codec,
}

impl ParamPlan<'_> {
    /// True when the parameter travels in its location's default style (OpenAPI's: `simple` for
    /// path and header, `form` exploded for query and cookie), so generated code need not say it.
    pub fn has_default_codec(&self) -> bool {
        let default = match self.param.location {
            ParameterLocation::Path | ParameterLocation::Header => Codec::SIMPLE,
            ParameterLocation::Query | ParameterLocation::Cookie => Codec::FORM,
        };
        self.codec == default
    }
}

/// How a server handler receives the authenticated credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialArg {
    /// The operation needs no authentication.
    None,
    /// Every alternative needs a credential.
    Required,
    /// One alternative is anonymous: the credential is optional.
    Optional,
}

/// The runtime style of an IR style.
pub fn runtime_style(style: ParameterStyle) -> Style {
    match style {
        ParameterStyle::Form => Style::Form,
        ParameterStyle::Simple => Style::Simple,
        ParameterStyle::SpaceDelimited => Style::SpaceDelimited,
        ParameterStyle::PipeDelimited => Style::PipeDelimited,
        ParameterStyle::DeepObject => Style::DeepObject,
        ParameterStyle::Label => Style::Label,
        ParameterStyle::Matrix => Style::Matrix,
    }
}

/// The named type an expression ends at, following aliases (`None` for anything unnamed).
pub fn resolve_named<'a>(api: &'a Api, expr: &TypeExpr) -> Option<&'a TypeKind> {
    let mut expr = expr.clone();
    for _ in 0..32 {
        match &expr {
            TypeExpr::Named(name) => match api.type_named(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => expr = inner.clone(),
                other => return other,
            },
            TypeExpr::Nullable(inner) => expr = (**inner).clone(),
            _ => return None,
        }
    }
    None
}

/// A value of this type is a JSON object (a struct, a map, a union of objects).
pub fn is_object(api: &Api, expr: &TypeExpr) -> bool {
    match expr {
        TypeExpr::Map(_) => true,
        TypeExpr::Nullable(inner) => is_object(api, inner),
        TypeExpr::Named(_) => matches!(
            resolve_named(api, expr),
            Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Alias(TypeExpr::Map(_)))
        ),
        _ => false,
    }
}

/// Builds the plan of every operation.
pub fn plan(api: &Api, gating: Gating) -> Plan<'_> {
    let mut operations: Vec<OperationPlan<'_>> = api
        .operations
        .iter()
        .map(|op| operation_plan(api, op))
        .collect();
    let mut security_tables: Vec<Vec<Vec<&SecurityScheme>>> = Vec::new();
    for op_plan in operations.iter_mut().filter(|p| !p.security.is_empty()) {
        let same = |table: &Vec<Vec<&SecurityScheme>>| {
            table.len() == op_plan.security.len()
                && table.iter().zip(&op_plan.security).all(|(a, b)| {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name == y.name)
                })
        };
        let index = match security_tables.iter().position(same) {
            Some(index) => index,
            None => {
                security_tables.push(op_plan.security.clone());
                security_tables.len() - 1
            }
        };
        op_plan.security_table = Some(index);
    }
    let headers_types = responses::share_headers(api, &mut operations);
    Plan {
        api,
        gating,
        operations,
        security_tables,
        headers_types,
    }
}

fn operation_plan<'a>(api: &'a Api, op: &'a Operation) -> OperationPlan<'a> {
    let params: Vec<ParamPlan<'a>> = op
        .parameters
        .iter()
        .map(|param| {
            let codec = Codec::new(runtime_style(param.style), param.explode);
            ParamPlan {
                param,
                codec: if param.allow_reserved {
                    codec.reserved()
                } else {
                    codec
                },
            }
        })
        .collect();
    let takes_rest = |plan: &ParamPlan<'_>| {
        plan.param.location == ParameterLocation::Query
            && plan.codec.explode
            && matches!(
                plan.codec.style,
                Style::Form | Style::SpaceDelimited | Style::PipeDelimited
            )
            && is_free_form(api, &plan.param.ty)
    };
    let mut decode_order: Vec<usize> = (0..params.len())
        .filter(|&i| !takes_rest(&params[i]))
        .collect();
    decode_order.extend((0..params.len()).filter(|&i| takes_rest(&params[i])));
    let idempotency_key = params.iter().position(|p| p.param.idempotency_key);
    let security: Vec<Vec<&SecurityScheme>> = op
        .security
        .iter()
        .map(|requirement| {
            requirement
                .schemes
                .iter()
                .filter_map(|(name, _)| api.security_schemes.iter().find(|s| &s.name == name))
                .collect()
        })
        .collect();
    let credential = if security.is_empty() {
        CredentialArg::None
    } else if security.iter().any(Vec::is_empty) {
        CredentialArg::Optional
    } else {
        CredentialArg::Required
    };
    let query_keys = api
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                location: ParameterLocation::Query,
                parameter,
            } => Some(parameter.as_str()),
            _ => None,
        })
        .collect();
    let responses = responses::response_plans(api, op);
    let mock_response = responses::mock_choice(&responses);
    OperationPlan {
        op,
        request_type: format!("{}Request", op.type_name),
        response_type: format!("{}Response", op.type_name),
        path: path_pieces(op),
        params,
        decode_order,
        idempotency_key,
        body: op
            .request_body
            .as_ref()
            .and_then(|body| bodies::body_plan(api, op, body)),
        responses,
        security,
        security_table: None,
        credential,
        query_keys,
        mock_response,
    }
}

/// A map (or an object that allows extra properties) — exploded, it has no name of its own on
/// the wire, so it takes whatever is left.
fn is_free_form(api: &Api, expr: &TypeExpr) -> bool {
    match expr {
        TypeExpr::Map(_) | TypeExpr::Any => true,
        TypeExpr::Named(_) => match resolve_named(api, expr) {
            Some(TypeKind::Struct(st)) => st.additional_properties.is_some(),
            Some(TypeKind::Alias(TypeExpr::Map(_) | TypeExpr::Any)) => true,
            _ => false,
        },
        _ => false,
    }
}

/// `/items/{id}/x` → `[Literal("/items/"), Param(0), Literal("/x")]`.
fn path_pieces(op: &Operation) -> Vec<PathPiece> {
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            pieces.push(PathPiece::Literal(rest[..start].to_string()));
        }
        let name = &rest[start + 1..start + length];
        match op
            .parameters
            .iter()
            .position(|p| p.location == ParameterLocation::Path && p.name == name)
        {
            Some(index) => pieces.push(PathPiece::Param(index)),
            None => pieces.push(PathPiece::Literal(
                rest[start..start + length + 1].to_string(),
            )),
        }
        rest = &rest[start + length + 1..];
    }
    if !rest.is_empty() {
        pieces.push(PathPiece::Literal(rest.to_string()));
    }
    pieces
}

#[cfg(test)]
mod tests;
