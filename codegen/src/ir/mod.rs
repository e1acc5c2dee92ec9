//! The intermediate representation: what an API *means*, as plain data.
//!
//! Built once from a loaded spec by [`build`]; read by every emitter. Nothing here refers to
//! `openapiv3` or to any emitter, so emitters never see the raw spec and the IR can be tested on
//! its own. All names in it are already final Rust identifiers (see [`naming`]): two emitters can
//! never disagree about what a type or field is called.

mod build;
mod dedupe;
mod examples;
mod idempotency;
pub mod naming;
mod pagination;
mod schema;
mod select;
mod tags;
mod test_mode;

pub use build::build;
pub use select::select_operations;
pub use tags::{ALL_TAGS, gate_by_tag};

use serde_json::Value;

/// One API: the root of the IR.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, rendered as crate documentation.
    pub description: Option<String>,
    /// The spec file as named on the command line; goes into generated headers.
    pub source_file: String,
    /// Root-level servers, in document order.
    pub servers: Vec<Server>,
    /// `components.securitySchemes`, sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type: component schemas first (document order), then the types synthesized
    /// for inline schemas, in the order they were met.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order (path, then method order of the spec).
    pub operations: Vec<Operation>,
    /// Event payloads delivered to the API's consumers (`x-webhooks`), in document order.
    pub webhooks: Vec<Webhook>,
    /// One Cargo feature per operation tag, sorted by name; empty unless [`gate_by_tag`] ran.
    pub tag_features: Vec<TagFeature>,
}

/// A Cargo feature that compiles in the operations of a tag and the types they use.
#[derive(Clone, Debug, PartialEq)]
pub struct TagFeature {
    /// Feature name (`tag-disks`).
    pub name: String,
    /// The tags it selects, as written; tags that differ only in case or punctuation share one.
    pub tags: Vec<String>,
    /// How many operations carry it.
    pub operations: usize,
}

/// A server URL with its description.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// The URL, possibly with `{variables}`.
    pub url: String,
    /// What the server is for (sandbox, production, …).
    pub description: Option<String>,
}

/// A named type of the generated `types` module.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Final Rust type name (UpperCamelCase, unique).
    pub name: String,
    /// JSON pointer of the schema it came from; shown in generated docs for traceability.
    pub source: String,
    /// `title` / `description` of the schema.
    pub docs: Option<String>,
    /// The schema is `nullable` at its definition: every use of it accepts `null`.
    pub nullable: bool,
    /// What shape the type has.
    pub kind: TypeKind,
    /// Tag features any one of which compiles the type in; empty = always compiled.
    pub features: Vec<String>,
}

/// Every shape a named type can take.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A closed set of strings, plus an unknown catch-all.
    StringEnum(StringEnum),
    /// A closed set of integer codes, plus an unknown catch-all.
    IntegerEnum(IntegerEnum),
    /// A single value with constraints, or a named alias of a scalar (`struct Id(String)`).
    Newtype(Newtype),
    /// A named list, map or untyped value without constraints (`type Items = Vec<Item>`).
    Alias(TypeExpr),
    /// One of several shapes (`oneOf` / `anyOf`), optionally told apart by a discriminator.
    Union(Union),
}

/// An object type.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Properties in document order (after `allOf` merging).
    pub fields: Vec<Field>,
    /// Type of properties beyond the declared ones, when the schema allows them explicitly
    /// (`additionalProperties: true` or a schema): they are kept, not dropped.
    pub additional_properties: Option<TypeExpr>,
    /// `minProperties` / `maxProperties` (e.g. "exactly one of these optional members").
    pub property_count: (Option<u64>, Option<u64>),
}

/// One property of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The JSON name, exactly as in the spec.
    pub json_name: String,
    /// Final Rust field name (snake_case, unique within the struct, never a keyword).
    pub rust_name: String,
    /// The value's type, without optionality or nullability.
    pub ty: TypeExpr,
    /// Listed in `required`.
    pub required: bool,
    /// Accepts `null` (`nullable: true` on the property or on the referenced schema).
    pub nullable: bool,
    /// Holds a secret or card/bank data; redacted in `Debug`.
    pub sensitive: bool,
    /// Must be boxed because the field's type contains the struct itself.
    pub boxed: bool,
    /// Property description.
    pub docs: Option<String>,
    /// `default` from the spec, for documentation and server-side defaults.
    pub default: Option<Value>,
    /// Validation limits (with `items` for lists of constrained inline scalars).
    pub constraints: Constraints,
}

/// A string enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct StringEnum {
    /// The documented values in spec order.
    pub variants: Vec<StringVariant>,
    /// Per-value facts (`x-enum-details`), e.g. HTTP status, level, facility of an error code.
    pub details: Vec<EnumDetail>,
}

/// One documented string value.
#[derive(Clone, Debug, PartialEq)]
pub struct StringVariant {
    /// Rust variant name (unique, never `Unknown`).
    pub rust_name: String,
    /// The wire value.
    pub value: String,
    /// The document's meaning of the value (`x-enum-descriptions`).
    pub docs: Option<String>,
    /// This value's `x-enum-details` facts (detail name → value).
    pub details: Vec<(String, Value)>,
}

/// A fact tabled per enum value (`x-enum-details`): a name and whether every value has it.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDetail {
    /// Detail name as written (`http_status`, `level`, …).
    pub name: String,
    /// Rust method name for the accessor.
    pub method: String,
    /// The JSON type all values of this detail share.
    pub kind: DetailKind,
}

/// The type of an `x-enum-details` fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailKind {
    /// Every value is an integer.
    Integer,
    /// Every value is a string (or mixed: rendered as strings).
    String,
}

/// An integer code table.
#[derive(Clone, Debug, PartialEq)]
pub struct IntegerEnum {
    /// The documented codes in spec order.
    pub variants: Vec<IntegerVariant>,
    /// Documented ranges (`x-code-ranges`) that classify codes, listed or not.
    pub ranges: Vec<CodeRange>,
    /// Per-value facts, as for string enums.
    pub details: Vec<EnumDetail>,
}

/// One documented integer code.
#[derive(Clone, Debug, PartialEq)]
pub struct IntegerVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: i64,
    /// The document's meaning.
    pub docs: Option<String>,
    /// This value's `x-enum-details` facts.
    pub details: Vec<(String, Value)>,
}

/// A documented range of codes (`x-code-ranges`).
#[derive(Clone, Debug, PartialEq)]
pub struct CodeRange {
    /// Lowest code, inclusive.
    pub min: i64,
    /// Highest code, inclusive.
    pub max: i64,
    /// Name of the class (`decline`); becomes `is_decline()` and a `Class` variant.
    pub name: String,
    /// Rust-safe snake_case form of `name`.
    pub method: String,
    /// Rust-safe UpperCamelCase form of `name`.
    pub variant: String,
    /// What the range means.
    pub docs: Option<String>,
}

/// A named scalar, possibly constrained.
#[derive(Clone, Debug, PartialEq)]
pub struct Newtype {
    /// The wrapped type.
    pub inner: TypeExpr,
    /// Limits checked when the value is built or deserialized.
    pub constraints: Constraints,
}

/// Validation keywords of a schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA 262 regular expression as written).
    pub pattern: Option<String>,
    /// A string `format` that constrains values (`email`, `uri`, `uuid`, …); `date-time` and
    /// `date` are types of their own, not listed here.
    pub format: Option<String>,
    /// `minimum` (with `exclusiveMinimum`).
    pub minimum: Option<Bound>,
    /// `maximum` (with `exclusiveMaximum`).
    pub maximum: Option<Bound>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// Limits of a list's items, when they are inline constrained scalars.
    pub items: Option<Box<Constraints>>,
    /// `x-accept-numeric-string` on a numeric property: servers also accept the number written
    /// as a JSON string (`"100"`); clients still send numbers.
    pub accepts_numeric_string: bool,
}

impl Constraints {
    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A numeric bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// The limit itself is not allowed.
    pub exclusive: bool,
}

/// `oneOf` / `anyOf`.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// The alternatives in spec order.
    pub variants: Vec<UnionVariant>,
    /// The property whose value names the alternative, when the spec gives one.
    pub discriminator: Option<String>,
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The alternative's type; `None` when the alternative holds nothing but its tag.
    pub ty: Option<TypeExpr>,
    /// Discriminator values that select this alternative (empty without a discriminator).
    pub tags: Vec<String>,
    /// The union, not `ty`, writes and reads the discriminator property. Set for inline
    /// alternatives of an internally tagged union, whose tag property is a one-value enum:
    /// giving each such property its own enum type would cost a type per alternative.
    pub tag_outside: bool,
}

/// A type as used in a position (field, item, parameter, body).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeExpr {
    /// A type of the `types` module, by its final name.
    Named(String),
    /// `string` without a special format.
    String,
    /// `boolean`.
    Boolean,
    /// `integer`, with its width.
    Integer(IntegerFormat),
    /// `number`, with its width.
    Number(NumberFormat),
    /// `format: date-time`, kept as written.
    DateTime,
    /// `format: date`, kept as written.
    Date,
    /// `format: binary`: raw bytes (a file part of a multipart body).
    Binary,
    /// Any JSON value (`{}`, or a schema without a type).
    Any,
    /// `type: array`.
    List(Box<TypeExpr>),
    /// An object with only `additionalProperties` (or nothing): string keys to values.
    Map(Box<TypeExpr>),
    /// A value that may be `null` where nullability cannot be a field flag (list items, map
    /// values, union alternatives).
    Nullable(Box<TypeExpr>),
}

/// Integer widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntegerFormat {
    /// `format: int32`.
    I32,
    /// `format: int64` or no format.
    I64,
}

/// Number widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberFormat {
    /// `format: float`.
    F32,
    /// `format: double` or no format.
    F64,
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Safe to repeat without changing the result (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One operation (method + path).
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `operationId` as written (or synthesized from method and path when absent).
    pub id: String,
    /// Rust method name (snake_case, unique).
    pub rust_name: String,
    /// UpperCamelCase form for the operation's types (`CreatePayment` → `CreatePaymentResponse`).
    pub type_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as in the spec (`/api/payments/{payment_id}`).
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters (path-level ones merged in, overrides applied).
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<RequestBody>,
    /// Responses sorted by status (codes, then ranges, then `default`).
    pub responses: Vec<Response>,
    /// Alternatives of security requirements (any one suffices); empty = no auth.
    pub security: Vec<SecurityRequirement>,
    /// Servers specific to this operation (path or operation level); empty = the API's.
    pub servers: Vec<Server>,
    /// JSON pointer of the operation.
    pub source: String,
    /// Tag features any one of which compiles the operation in; empty = always compiled.
    pub features: Vec<String>,
    /// `x-idempotency`: the server replays the first successful response per key.
    pub idempotency: Option<Idempotency>,
    /// `x-pagination` / `x-dropshot-pagination`: the client can stream every item.
    pub pagination: Option<Pagination>,
    /// `x-test-mode`: documented test inputs the mock answers as the API's test mode does.
    pub test_mode: Vec<TestCase>,
}

/// A documented test input and its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// JSON pointers into the request body and the text each must hold.
    pub when: Vec<(String, String)>,
    /// The answer's status.
    pub status: u16,
    /// The answer's media type.
    pub media_type: String,
    /// The answer: the documented example, as JSON text.
    pub body: String,
}

/// How a listing moves from page to page (Rust names of the request and response fields).
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The client's streaming method (`<operation>_stream`, or `<operation>_items_stream` when
    /// another operation already has that name).
    pub stream_method: String,
    /// The success response's variant, whose body is a page.
    pub response: String,
    /// That variant also carries documented headers (`Variant { body, headers }`).
    pub response_has_headers: bool,
    /// The page's field holding the items.
    pub items: String,
    /// One item's type.
    pub item_type: TypeExpr,
    /// How the next page is asked for.
    pub advance: PageAdvance,
    /// The page's field with the total number of items, if documented.
    pub total: Option<String>,
    /// The page's field saying whether more items follow, if documented.
    pub has_more: Option<String>,
}

/// How the next page is asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAdvance {
    /// A page-number parameter, the first page being `start`.
    Page {
        /// The request field's path (`["page"]`, or `["body", "offset"]` for a body member).
        param: Vec<String>,
        /// The first page's number.
        start: i64,
    },
    /// An offset parameter, advanced by the items read.
    Offset {
        /// The request field's path (`["page"]`, or `["body", "offset"]` for a body member).
        param: Vec<String>,
    },
    /// A cursor parameter set to the last item's field.
    Cursor {
        /// The request field's path (`["page"]`, or `["body", "offset"]` for a body member).
        param: Vec<String>,
        /// The item's field giving the cursor.
        item_field: String,
    },
    /// A token parameter set to the page's next-page field.
    Token {
        /// The request field's path (`["page"]`, or `["body", "offset"]` for a body member).
        param: Vec<String>,
        /// The page's field with the next token.
        field: String,
    },
}

/// How a server deduplicates an operation's requests by idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idempotency {
    /// Where the key travels.
    pub key: IdempotencyKey,
    /// How long the first successful response is replayed.
    pub window_seconds: u64,
}

/// Where an idempotency key travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdempotencyKey {
    /// A request header (lower-case name).
    Header(String),
    /// A member of the JSON body (RFC 6901 pointer).
    Body(String),
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterLocation {
    /// A `{segment}` of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// Serialization style of a parameter (OpenAPI `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterStyle {
    /// `form` (query default).
    Form,
    /// `simple` (path and header default).
    Simple,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
}

/// One parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Rust name (snake_case, unique among the operation's parameters).
    pub rust_name: String,
    /// Path, query, header or cookie.
    pub location: ParameterLocation,
    /// Must be sent (always true for path parameters).
    pub required: bool,
    /// The value's type.
    pub ty: TypeExpr,
    /// Serialization style.
    pub style: ParameterStyle,
    /// `explode`.
    pub explode: bool,
    /// Description.
    pub docs: Option<String>,
    /// Holds a secret (e.g. an API key header); redacted in `Debug`.
    pub sensitive: bool,
    /// Validation limits.
    pub constraints: Constraints,
    /// `default` from the schema.
    pub default: Option<Value>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `allowReserved: true` (query parameters): reserved characters are sent unencoded.
    pub allow_reserved: bool,
    /// The header carries an idempotency key: named like one (`Idempotency-Key`,
    /// `X-Idempotency-Key`, `PayPal-Request-Id`, …) or marked `x-idempotency-key: true`
    /// (`false` unmarks a header that only looks like one).
    pub idempotency_key: bool,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// Description.
    pub docs: Option<String>,
    /// One entry per media type, in spec order.
    pub content: Vec<Body>,
}

/// A body in one media type.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// The media type as written (`application/json`).
    pub media_type: String,
    /// The body's type (`Any` when the spec gives no schema).
    pub ty: TypeExpr,
    /// Limits of an inline scalar body (a `text/csv` body's `pattern`, say).
    pub constraints: Constraints,
    /// Documented examples.
    pub examples: Vec<Example>,
    /// The media type's Encoding Objects (form and multipart bodies), by property, in spec order.
    pub encoding: Vec<PropertyEncoding>,
}

/// An Encoding Object: how one property of a form or multipart body is written. Only what the
/// spec says; defaults are applied by the emission plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropertyEncoding {
    /// The property's JSON name.
    pub property: String,
    /// `contentType`, as written (may list several: `image/png, image/jpeg`).
    pub content_type: Option<String>,
    /// `style`.
    pub style: Option<ParameterStyle>,
    /// `explode`.
    pub explode: Option<bool>,
    /// `allowReserved`.
    pub allow_reserved: bool,
    /// Names of the part headers it documents (multipart).
    pub headers: Vec<String>,
}

/// A documented example value.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Key in the `examples` map (`example` for the singular form).
    pub name: String,
    /// The value.
    pub value: Value,
    /// JSON pointer of the value in the spec.
    pub source: String,
}

/// Which statuses a response covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKey {
    /// One status code.
    Code(u16),
    /// `1XX`..`5XX`: the hundreds digit.
    Range(u16),
    /// `default`: every status not listed.
    Default,
}

/// One documented response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Status or range.
    pub status: StatusKey,
    /// Rust variant name (`Ok`, `Created`, `Status422`, `ClientError`, `Default`).
    pub rust_name: String,
    /// Description.
    pub description: String,
    /// Bodies per media type (empty for no body).
    pub content: Vec<Body>,
    /// Documented response headers.
    pub headers: Vec<ResponseHeader>,
}

/// A documented response header.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHeader {
    /// Header name as written.
    pub name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Value type.
    pub ty: TypeExpr,
    /// Always present.
    pub required: bool,
    /// Description.
    pub docs: Option<String>,
}

/// An entry of `components.securitySchemes`.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// Key in `securitySchemes`.
    pub name: String,
    /// Rust name (snake_case).
    pub rust_name: String,
    /// What kind of credential it carries.
    pub kind: SecuritySchemeKind,
    /// Description.
    pub docs: Option<String>,
}

/// Credential kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum SecuritySchemeKind {
    /// `apiKey` in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParameterLocation,
        /// Header, query or cookie name.
        parameter: String,
    },
    /// `http` with `scheme: bearer`.
    Bearer,
    /// `http` with `scheme: basic`.
    Basic,
    /// `oauth2` or `openIdConnect`: an access token sent as a bearer token.
    OAuth2 {
        /// Token URLs and flows, for documentation.
        flows: Vec<String>,
    },
}

/// One alternative of an operation's security: all listed schemes together.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityRequirement {
    /// Scheme names (keys of `securitySchemes`) with their scopes.
    pub schemes: Vec<(String, Vec<String>)>,
}

/// An event the API delivers to its consumers (`x-webhooks`).
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    /// Event name as written (`transaction.authorized`).
    pub name: String,
    /// Rust variant name.
    pub rust_name: String,
    /// Summary / description.
    pub docs: Option<String>,
    /// The payload body (first JSON media type).
    pub payload: Body,
}

impl Api {
    /// A named type by its Rust name.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|def| def.name == name)
    }

    /// The payload property that names a webhook's event type: a top-level field of the
    /// payload whose enum type documents the webhook's name (`type: transaction.authorized`).
    pub fn webhook_discriminator(&self, webhook: &Webhook) -> Option<&str> {
        let mut expr = &webhook.payload.ty;
        let fields = loop {
            let TypeExpr::Named(name) = expr else {
                return None;
            };
            match &self.type_named(name)?.kind {
                TypeKind::Alias(inner) => expr = inner,
                TypeKind::Struct(st) => break &st.fields,
                _ => return None,
            }
        };
        fields.iter().find_map(|field| {
            let TypeExpr::Named(enum_name) = &field.ty else {
                return None;
            };
            match &self.type_named(enum_name)?.kind {
                TypeKind::StringEnum(en) if en.variants.iter().any(|v| v.value == webhook.name) => {
                    Some(field.json_name.as_str())
                }
                _ => None,
            }
        })
    }
}

/// Builds the IR of a spec written in a test; warnings as `pointer message`.
#[cfg(test)]
pub(crate) fn build_for_test(text: &str) -> (Api, Vec<String>) {
    let spec = crate::load::load_str("t.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let (api, warnings) = build(&spec).unwrap_or_else(|d| panic!("{d}"));
    let warnings = warnings
        .iter()
        .map(|w| format!("{} {}", w.json_pointer, w.message))
        .collect();
    (api, warnings)
}
