//! Responses: each documented status's role, the shape of its enum variant, its bodies and
//! headers; which one the mock answers with; every documented body with examples.

use super::bodies::{BodyEncoding, MediaPlan, media_plan, media_variants};
use crate::ir::{Api, Body, Operation, Response, ResponseHeader, StatusKey, TypeExpr, TypeKind};

/// What a documented status means for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusRole {
    /// 1XX.
    Informational,
    /// 2XX.
    Success,
    /// 3XX.
    Redirection,
    /// 4XX: the request was refused.
    ClientError,
    /// 5XX.
    ServerError,
    /// `default`: every status not documented otherwise.
    Default,
}

impl StatusRole {
    fn of(status: StatusKey) -> StatusRole {
        let hundreds = match status {
            StatusKey::Code(code) => code / 100,
            StatusKey::Range(hundreds) => hundreds,
            StatusKey::Default => return StatusRole::Default,
        };
        match hundreds {
            1 => StatusRole::Informational,
            2 => StatusRole::Success,
            3 => StatusRole::Redirection,
            4 => StatusRole::ClientError,
            _ => StatusRole::ServerError,
        }
    }

    /// A status a server answers a refused request with (4XX, 5XX, `default`).
    pub fn is_error(self) -> bool {
        matches!(
            self,
            StatusRole::ClientError | StatusRole::ServerError | StatusRole::Default
        )
    }
}

/// One documented response.
pub struct ResponsePlan<'a> {
    /// The response in the IR.
    pub response: &'a Response,
    /// What its status means.
    pub role: StatusRole,
    /// Its bodies, one per media type (empty: no body). Form bodies are read as JSON.
    pub media: Vec<MediaPlan<'a>>,
    /// The body the variant carries when there is one media type, and the fallback when the
    /// received `Content-Type` names none of several: the first JSON one, else the first.
    pub primary: Option<usize>,
    /// With several media types: the enum of bodies (`GetReportOkBody`).
    pub body_enum: Option<String>,
    /// Its documented headers, with the type each is read as.
    pub headers: Vec<HeaderPlan<'a>>,
    /// The headers struct (`XRequestIdHeaders`), when there are headers: one per distinct set
    /// of headers in the API ([`HeadersType`]), named after what it holds.
    pub headers_type: Option<String>,
    /// The variant records the status (ranges and `default` cover several).
    pub carries_status: bool,
}

/// A response-headers struct, shared by every response that documents the same headers (names,
/// field names, types, presence; descriptions aside).
pub struct HeadersType<'a> {
    /// `XRequestIdHeaders`.
    pub name: String,
    /// The headers, as the first response documenting them describes them.
    pub headers: Vec<HeaderPlan<'a>>,
    /// Tag features of the operations using it; empty when one of them is not gated.
    pub features: Vec<String>,
}

/// A documented response header.
#[derive(Clone)]
pub struct HeaderPlan<'a> {
    /// The header in the IR.
    pub header: &'a ResponseHeader,
    /// Its type: the documented one when it reads from and writes to text, else `String`.
    pub ty: TypeExpr,
}

impl<'a> ResponsePlan<'a> {
    /// The body the variant carries (one media type), or the fallback (several).
    pub fn primary_media(&self) -> Option<&MediaPlan<'a>> {
        self.primary.map(|index| &self.media[index])
    }

    /// The variant carries a body.
    pub fn has_body(&self) -> bool {
        !self.media.is_empty()
    }

    /// Unit variant `NoContent`.
    pub fn is_unit(&self) -> bool {
        !self.carries_status && !self.has_body() && self.headers_type.is_none()
    }

    /// Tuple variant `Ok(T)`: a single status, a body, no headers.
    pub fn is_tuple(&self) -> bool {
        !self.carries_status && self.has_body() && self.headers_type.is_none()
    }
}

/// The label of a status in conformance keys and examples: `200`, `4XX` or `default`.
pub fn status_label(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => code.to_string(),
        StatusKey::Range(hundreds) => format!("{hundreds}XX"),
        StatusKey::Default => "default".into(),
    }
}

/// Header values are typed when their type reads from and writes to text; otherwise `String`.
fn header_type(api: &Api, header: &ResponseHeader) -> TypeExpr {
    match &header.ty {
        TypeExpr::String
        | TypeExpr::Boolean
        | TypeExpr::Integer(_)
        | TypeExpr::Number(_)
        | TypeExpr::DateTime
        | TypeExpr::Date => header.ty.clone(),
        TypeExpr::Named(name)
            if matches!(
                api.type_named(name).map(|d| &d.kind),
                Some(TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_))
            ) =>
        {
            header.ty.clone()
        }
        _ => TypeExpr::String,
    }
}

pub(super) fn response_plans<'a>(api: &Api, op: &'a Operation) -> Vec<ResponsePlan<'a>> {
    op.responses
        .iter()
        .map(|response| {
            let variants = media_variants(&response.content);
            let media: Vec<MediaPlan<'a>> = response
                .content
                .iter()
                .zip(variants)
                .map(|(body, variant)| {
                    let mut plan = media_plan(api, body, variant);
                    if matches!(plan.encoding, BodyEncoding::Form(_)) {
                        plan.encoding = BodyEncoding::Json;
                    } else if matches!(plan.encoding, BodyEncoding::Multipart(_)) {
                        plan.encoding = BodyEncoding::Binary;
                        plan.value = super::BodyValue::Bytes;
                    }
                    plan
                })
                .collect();
            let primary = media
                .iter()
                .position(|m| m.encoding == BodyEncoding::Json)
                .or_else(|| (!media.is_empty()).then_some(0));
            let several = media.len() > 1;
            ResponsePlan {
                response,
                role: StatusRole::of(response.status),
                primary,
                body_enum: several.then(|| format!("{}{}Body", op.type_name, response.rust_name)),
                headers: response
                    .headers
                    .iter()
                    .map(|header| HeaderPlan {
                        header,
                        ty: header_type(api, header),
                    })
                    .collect(),
                // Named once every operation is planned (`share_headers`).
                headers_type: None,
                carries_status: !matches!(response.status, StatusKey::Code(_)),
                media,
            }
        })
        .collect()
}

/// The first success with an example, else the first success, else the first response.
pub(super) fn mock_choice(responses: &[ResponsePlan<'_>]) -> Option<usize> {
    let success = |r: &ResponsePlan<'_>| r.role == StatusRole::Success;
    let with_example = |r: &ResponsePlan<'_>| {
        r.primary_media()
            .is_some_and(|m| !m.body.examples.is_empty())
    };
    responses
        .iter()
        .position(|r| success(r) && with_example(r))
        .or_else(|| responses.iter().position(success))
        .or_else(|| (!responses.is_empty()).then_some(0))
}

/// Every `(owner, role, body)` of the API that has documented examples; `owner` is the
/// operationId, or `webhook:<event>` for event payloads; `role` is `request`, a status label or
/// `payload`.
pub fn documented_bodies(api: &Api) -> Vec<(String, String, &Body)> {
    let mut bodies = Vec::new();
    for operation in &api.operations {
        if let Some(request) = &operation.request_body {
            for body in &request.content {
                bodies.push((operation.id.clone(), "request".to_string(), body));
            }
        }
        for response in &operation.responses {
            for body in &response.content {
                bodies.push((operation.id.clone(), status_label(response.status), body));
            }
        }
    }
    for webhook in &api.webhooks {
        bodies.push((
            format!("webhook:{}", webhook.name),
            "payload".to_string(),
            &webhook.payload,
        ));
    }
    bodies.retain(|(_, _, body)| !body.examples.is_empty());
    bodies
}

/// The headers structs of an API: one per distinct set of response headers, named by content
/// so a name does not change when another operation starts using the same headers:
/// `{Header}{Header}Headers` for up to three headers, else after the first response documenting
/// them (`GetReportOkHeaders`), which is also the fallback when the content name is taken.
/// Sets each response's `headers_type`.
pub fn share_headers<'a>(
    api: &Api,
    operations: &mut [super::OperationPlan<'a>],
) -> Vec<HeadersType<'a>> {
    type Key = Vec<(String, String, TypeExpr, bool)>;
    let key_of = |headers: &[HeaderPlan<'_>]| -> Key {
        headers
            .iter()
            .map(|h| {
                let header = h.header;
                (
                    header.name.clone(),
                    header.rust_name.clone(),
                    h.ty.clone(),
                    header.required,
                )
            })
            .collect()
    };
    let mut taken: std::collections::BTreeSet<String> =
        api.types.iter().map(|t| t.name.clone()).collect();
    for op_plan in operations.iter() {
        taken.insert(op_plan.request_type.clone());
        taken.insert(op_plan.response_type.clone());
        taken.extend(op_plan.responses.iter().filter_map(|r| r.body_enum.clone()));
    }
    let mut types: Vec<(Key, HeadersType<'a>)> = Vec::new();
    for op_plan in operations.iter_mut() {
        let features = &op_plan.op.features;
        for response in op_plan
            .responses
            .iter_mut()
            .filter(|r| !r.headers.is_empty())
        {
            let key = key_of(&response.headers);
            let index = match types.iter().position(|(known, _)| *known == key) {
                Some(index) => {
                    let shared = &mut types[index].1;
                    // Ungated once any user is.
                    if features.is_empty() {
                        shared.features.clear();
                    } else if !shared.features.is_empty() {
                        for feature in features {
                            if !shared.features.contains(feature) {
                                shared.features.push(feature.clone());
                            }
                        }
                    }
                    index
                }
                None => {
                    let by_content = (response.headers.len() <= 3).then(|| {
                        let words: String = response
                            .headers
                            .iter()
                            .map(|h| {
                                heck::ToUpperCamelCase::to_upper_camel_case(
                                    h.header.rust_name.as_str(),
                                )
                            })
                            .collect();
                        format!("{words}Headers")
                    });
                    let name = by_content
                        .filter(|name| !taken.contains(name))
                        .unwrap_or_else(|| {
                            format!(
                                "{}{}Headers",
                                op_plan.op.type_name, response.response.rust_name
                            )
                        });
                    taken.insert(name.clone());
                    types.push((
                        key,
                        HeadersType {
                            name,
                            headers: response.headers.clone(),
                            features: features.clone(),
                        },
                    ));
                    types.len() - 1
                }
            };
            response.headers_type = Some(types[index].1.name.clone());
        }
    }
    types
        .into_iter()
        .map(|(_, headers_type)| headers_type)
        .collect()
}
