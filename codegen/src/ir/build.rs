//! Loaded spec → [`Api`]: operations, parameters, bodies, responses, security, webhooks.

use std::collections::{HashMap, HashSet};

use openapiv3::{
    MediaType, Operation as SpecOperation, Parameter as SpecParameter, ParameterSchemaOrContent,
    PathItem, QueryStyle, ReferenceOr, RequestBody as SpecRequestBody, Response as SpecResponse,
    SecurityRequirement as SpecSecurity, StatusCode,
};
use serde_json::Value;

use super::examples::{DocumentedExample, is_json_value_example};
use super::naming::{self, Uniquifier};
use super::schema::{SchemaConverter, constraints_of, is_sensitive_name, wrap_nullable};
use super::{
    Api, Body, Constraints, Example, Method, Operation, Parameter, ParameterLocation,
    ParameterStyle, PropertyEncoding, RequestBody, Response, ResponseHeader, SecurityRequirement,
    SecurityScheme, SecuritySchemeKind, Server, StatusKey, TypeDef, TypeExpr, TypeKind, Webhook,
};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, escape_segment};
use crate::load::LoadedSpec;

/// Builds the IR. Errors stop generation; warnings are returned beside the IR.
pub fn build(spec: &LoadedSpec) -> Result<(Api, Vec<Diagnostic>), Diagnostics> {
    let mut builder = Builder {
        spec,
        schemas: SchemaConverter::new(spec),
        diagnostics: spec.warnings.clone(),
        examples: Vec::new(),
    };
    builder.schemas.define_components();
    let operations = builder.operations();
    let webhooks = builder.webhooks();
    let openapi = &spec.openapi;
    let security_schemes = builder.security_schemes();
    let Builder {
        schemas,
        mut diagnostics,
        mut examples,
        ..
    } = builder;
    diagnostics.extend(schemas.diagnostics);
    examples.extend(schemas.examples);
    let types = schemas.types;
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Diagnostics(diagnostics));
    }
    let mut api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        source_file: spec.file.clone(),
        servers: servers(&openapi.servers),
        security_schemes,
        types,
        operations,
        webhooks,
        tag_features: Vec::new(),
    };
    // Before types are shared: the examples name the types as they were built.
    for (pointer, message) in super::examples::misfits(&api, &examples) {
        diagnostics.push(spec.warning_at(&pointer, message));
    }
    super::dedupe::share_identical_types(&mut api);
    mark_boxed_fields(&mut api.types);
    let raw = &spec.raw;
    for (pointer, message) in
        super::pagination::resolve(&mut api, |op| raw.pointer(&op.source).cloned())
    {
        diagnostics.push(spec.warning_at(&pointer, message));
    }
    Ok((api, diagnostics))
}

struct Builder<'a> {
    spec: &'a LoadedSpec,
    schemas: SchemaConverter<'a>,
    diagnostics: Vec<Diagnostic>,
    /// Examples of parameters and bodies, to be checked once every type exists.
    examples: Vec<DocumentedExample>,
}

fn servers(list: &[openapiv3::Server]) -> Vec<Server> {
    list.iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: s.description.clone(),
        })
        .collect()
}

const METHODS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

fn operation_of(item: &PathItem, method: Method) -> Option<&SpecOperation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Trace => item.trace.as_ref(),
    }
}

impl<'a> Builder<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.error_at(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.warning_at(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    fn operations(&mut self) -> Vec<Operation> {
        let openapi = &self.spec.openapi;
        let mut method_names = Uniquifier::new();
        // Names the generated client and server need for themselves.
        for reserved in [
            "new",
            "builder",
            "base_url",
            "with_client",
            "router",
            "client",
        ] {
            method_names.reserve(reserved);
        }
        let mut type_names = Uniquifier::case_insensitive();
        let mut operations = Vec::new();
        let mut seen_ids = HashSet::new();
        for (path, item) in &openapi.paths.paths {
            let path_pointer = format!("/paths/{}", escape_segment(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(
                        &path_pointer,
                        "path item $refs are not supported; inline the path item",
                    );
                    continue;
                }
            };
            for (method_key, method) in METHODS {
                let Some(operation) = operation_of(item, method) else {
                    continue;
                };
                let pointer = format!("{path_pointer}/{method_key}");
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    None => synthesized_id(method, path),
                };
                if !seen_ids.insert(id.clone()) {
                    self.error(
                        &format!("{pointer}/operationId"),
                        format!("operationId `{id}` is used by another operation"),
                    );
                    continue;
                }
                let rust_name = method_names.claim(naming::snake(&id, "operation"));
                let type_name = type_names.claim(naming::upper_camel(&id, "Operation"));
                let op = self.operation(OperationSite {
                    path,
                    item,
                    method,
                    operation,
                    pointer,
                    id,
                    rust_name,
                    type_name,
                });
                operations.push(op);
            }
        }
        operations
    }

    fn operation(&mut self, site: OperationSite<'a>) -> Operation {
        let OperationSite {
            path,
            item,
            method,
            operation,
            pointer,
            id,
            rust_name,
            type_name,
        } = site;
        let parameters = self.parameters(
            &item.parameters,
            &operation.parameters,
            &type_name,
            &pointer,
            path,
        );
        let request_body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.request_body(body, &type_name, &pointer));
        let mut responses = Vec::new();
        let mut variant_names = Uniquifier::new();
        if let Some(default) = &operation.responses.default
            && let Some(response) = self.response(
                StatusKey::Default,
                default,
                &type_name,
                &format!("{pointer}/responses/default"),
                &mut variant_names,
            )
        {
            responses.push(response);
        }
        for (status, response) in &operation.responses.responses {
            let (key, label) = match status {
                StatusCode::Code(code) => (StatusKey::Code(*code), code.to_string()),
                StatusCode::Range(range) => (StatusKey::Range(*range), format!("{range}XX")),
            };
            if let Some(response) = self.response(
                key,
                response,
                &type_name,
                &format!("{pointer}/responses/{label}"),
                &mut variant_names,
            ) {
                responses.push(response);
            }
        }
        responses.sort_by_key(|r| r.status);
        if responses.is_empty() {
            // An empty response enum could never be returned by a handler nor decoded by a
            // client; "any status, no body" is what an undocumented operation can promise.
            self.warn(
                &format!("{pointer}/responses"),
                "the operation documents no response; treated as a `default` response without a body",
            );
            responses.push(Response {
                status: StatusKey::Default,
                rust_name: "Default".into(),
                description: "Undocumented: the spec lists no response for this operation.".into(),
                content: Vec::new(),
                headers: Vec::new(),
            });
        }
        let security = match operation
            .security
            .as_ref()
            .or(self.spec.openapi.security.as_ref())
        {
            Some(requirements) => security_requirements(requirements),
            None => Vec::new(),
        };
        for requirement in &security {
            for (scheme, _) in &requirement.schemes {
                let known = self
                    .spec
                    .openapi
                    .components
                    .as_ref()
                    .is_some_and(|c| c.security_schemes.contains_key(scheme));
                if !known {
                    self.error(&format!("{pointer}/security"), format!("security scheme `{scheme}` is not defined in components.securitySchemes"));
                }
            }
        }
        let servers = if !operation.servers.is_empty() {
            servers(&operation.servers)
        } else {
            servers(&item.servers)
        };
        let (idempotency, problems) = super::idempotency::resolve(
            operation.extensions.get("x-idempotency"),
            self.spec.openapi.extensions.get("x-idempotency"),
            method,
            &parameters,
        );
        for (below, message) in problems {
            let at = if operation.extensions.contains_key("x-idempotency") {
                format!("{pointer}/x-idempotency{below}")
            } else {
                format!("/x-idempotency{below}")
            };
            // A document-level problem is the same for every operation: said once.
            let said = self
                .diagnostics
                .iter()
                .any(|d| d.json_pointer == at && d.message == message);
            if !said {
                self.warn(&at, message);
            }
        }
        let mut operation_ir = Operation {
            id,
            rust_name,
            type_name,
            method,
            path: path.to_string(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            tags: operation.tags.clone(),
            deprecated: operation.deprecated,
            parameters,
            request_body,
            responses,
            security,
            servers,
            source: pointer,
            features: Vec::new(),
            idempotency,
            pagination: None,
            test_mode: Vec::new(),
        };
        let (test_mode, problems) =
            super::test_mode::resolve(operation.extensions.get("x-test-mode"), &operation_ir);
        for (below, message) in problems {
            self.warn(
                &format!("{}/x-test-mode{below}", operation_ir.source),
                message,
            );
        }
        operation_ir.test_mode = test_mode;
        operation_ir
    }

    fn resolve_parameter<'p>(
        &mut self,
        parameter: &'p ReferenceOr<SpecParameter>,
        pointer: &str,
    ) -> Option<(&'p SpecParameter, String)>
    where
        'a: 'p,
    {
        match follow(
            parameter,
            pointer.to_string(),
            self.spec.openapi.components.as_ref(),
            "parameters",
            |c| &c.parameters,
        ) {
            Ok(found) => Some(found),
            Err(message) => {
                self.error(&format!("{pointer}/$ref"), message);
                None
            }
        }
    }

    fn parameters(
        &mut self,
        path_level: &'a [ReferenceOr<SpecParameter>],
        operation_level: &'a [ReferenceOr<SpecParameter>],
        type_name: &str,
        pointer: &str,
        path: &str,
    ) -> Vec<Parameter> {
        let mut merged: Vec<(&SpecParameter, String)> = Vec::new();
        let path_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        for (index, parameter) in path_level.iter().enumerate() {
            if let Some(found) =
                self.resolve_parameter(parameter, &format!("{path_pointer}/parameters/{index}"))
            {
                merged.push(found);
            }
        }
        for (index, parameter) in operation_level.iter().enumerate() {
            if let Some((parameter, at)) =
                self.resolve_parameter(parameter, &format!("{pointer}/parameters/{index}"))
            {
                let data = parameter.parameter_data_ref();
                // An operation-level parameter overrides a path-level one with the same name and location.
                merged.retain(|(existing, _)| {
                    let existing_data = existing.parameter_data_ref();
                    !(existing_data.name == data.name
                        && location_of(existing) == location_of(parameter))
                });
                merged.push((parameter, at));
            }
        }
        let mut names = Uniquifier::new();
        // Locals of generated client methods that a parameter must never shadow.
        for reserved in [
            "body", "request", "response", "url", "builder", "headers", "query", "self_", "client",
        ] {
            names.reserve(reserved);
        }
        let mut parameters = Vec::new();
        for (parameter, at) in merged {
            let data = parameter.parameter_data_ref();
            let location = location_of(parameter);
            let hint = format!("{type_name}{}", naming::upper_camel(&data.name, "Param"));
            let (ty, schema_constraints, default, sensitive_format) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let (ty, nullable) = self.schemas.expr(schema, &hint, &format!("{at}/schema"));
                    let (constraints, default, password) = match schema {
                        ReferenceOr::Item(schema) => (
                            constraints_of(schema),
                            schema.schema_data.default.clone(),
                            matches!(&schema.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password))),
                        ),
                        ReferenceOr::Reference { .. } => (Default::default(), None, false),
                    };
                    let examples = self.examples_of(&data.example, &data.examples, &at);
                    self.keep_examples(
                        &examples,
                        None,
                        &wrap_nullable(ty.clone(), nullable),
                        &constraints,
                    );
                    (ty, constraints, default, password)
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((media_type, media)) => {
                        let media_at = format!("{at}/content/{}", escape_segment(media_type));
                        let (ty, nullable) = match &media.schema {
                            Some(schema) => {
                                self.schemas
                                    .expr(schema, &hint, &format!("{media_at}/schema"))
                            }
                            None => (TypeExpr::Any, false),
                        };
                        let examples = self.examples(media, &media_at);
                        self.keep_examples(
                            &examples,
                            Some(media_type),
                            &wrap_nullable(ty.clone(), nullable),
                            &Constraints::default(),
                        );
                        (ty, Default::default(), None, false)
                    }
                    None => (TypeExpr::Any, Default::default(), None, false),
                },
            };
            if location == ParameterLocation::Path && !path.contains(&format!("{{{}}}", data.name))
            {
                // A stray declaration (often a renamed segment): nothing could fill it.
                self.warn(
                    &at,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; it is left out",
                        data.name
                    ),
                );
                continue;
            }
            let (style, explode) = style_of(parameter);
            let sensitive = match data.extensions.get("x-sensitive") {
                Some(Value::Bool(flag)) => *flag,
                _ => {
                    sensitive_format
                        || is_sensitive_name(&data.name)
                        || data.name.eq_ignore_ascii_case("authorization")
                }
            };
            let allow_reserved = match parameter {
                SpecParameter::Query { allow_reserved, .. } => *allow_reserved,
                _ => false,
            };
            let idempotency_key = location == ParameterLocation::Header
                && match data.extensions.get("x-idempotency-key") {
                    Some(Value::Bool(flag)) => *flag,
                    _ => is_idempotency_header(&data.name),
                };
            parameters.push(Parameter {
                name: data.name.clone(),
                rust_name: names.claim(naming::snake(&data.name, "param")),
                location,
                required: data.required || location == ParameterLocation::Path,
                ty,
                style,
                explode,
                docs: data.description.clone(),
                sensitive,
                constraints: schema_constraints,
                default,
                deprecated: data.deprecated.unwrap_or(false),
                allow_reserved,
                idempotency_key,
            });
        }
        for segment in path_template_names(path) {
            if !parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.name == segment)
            {
                self.warn(pointer, format!("the path has `{{{segment}}}` but the operation declares no path parameter `{segment}`; it is generated as a string parameter"));
                parameters.push(Parameter {
                    name: segment.clone(),
                    rust_name: names.claim(naming::snake(&segment, "param")),
                    location: ParameterLocation::Path,
                    required: true,
                    ty: TypeExpr::String,
                    style: ParameterStyle::Simple,
                    explode: false,
                    docs: None,
                    sensitive: false,
                    constraints: Default::default(),
                    default: None,
                    deprecated: false,
                    allow_reserved: false,
                    idempotency_key: false,
                });
            }
        }
        // An idempotency key is one header; should several look like one, the first is it.
        let mut seen_key = false;
        for parameter in &mut parameters {
            if parameter.idempotency_key {
                parameter.idempotency_key = !seen_key;
                seen_key = true;
            }
        }
        parameters
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<SpecRequestBody>,
        type_name: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let (body, at) = match follow(
            body,
            format!("{pointer}/requestBody"),
            self.spec.openapi.components.as_ref(),
            "requestBodies",
            |c| &c.request_bodies,
        ) {
            Ok(found) => found,
            Err(message) => {
                self.error(&format!("{pointer}/requestBody/$ref"), message);
                return None;
            }
        };
        if body.content.is_empty() {
            self.warn(
                &format!("{at}/content"),
                "the request body documents no media type; the operation is generated without a body",
            );
            return None;
        }
        let content = self.content(&body.content, &format!("{type_name}Body"), &at);
        Some(RequestBody {
            required: body.required,
            docs: body.description.clone(),
            content,
        })
    }

    fn content(
        &mut self,
        content: &'a indexmap::IndexMap<String, MediaType>,
        hint: &str,
        pointer: &str,
    ) -> Vec<Body> {
        let several = content.len() > 1;
        let mut bodies = Vec::new();
        for (media_type, media) in content {
            let at = format!("{pointer}/content/{}", escape_segment(media_type));
            let hint = if several {
                format!("{hint}{}", naming::upper_camel(media_type, "Media"))
            } else {
                hint.to_string()
            };
            let ty = match &media.schema {
                Some(schema) => {
                    let (ty, nullable) = self.schemas.expr(schema, &hint, &format!("{at}/schema"));
                    if nullable && ty != TypeExpr::Any {
                        TypeExpr::Nullable(Box::new(ty))
                    } else {
                        ty
                    }
                }
                None => TypeExpr::Any,
            };
            let examples = self.examples(media, &at);
            let constraints = match &media.schema {
                Some(ReferenceOr::Item(schema)) => constraints_of(schema),
                _ => Default::default(),
            };
            self.keep_examples(&examples, Some(media_type), &ty, &constraints);
            let encoding = media
                .encoding
                .iter()
                .map(|(property, encoding)| PropertyEncoding {
                    property: property.clone(),
                    content_type: encoding.content_type.clone(),
                    style: encoding.style.as_ref().map(query_style),
                    // openapiv3 reads a missing `explode` as false; the default depends on the
                    // style, so only what the spec writes counts.
                    explode: self
                        .spec
                        .raw
                        .pointer(&format!(
                            "{at}/encoding/{}/explode",
                            escape_segment(property)
                        ))
                        .and_then(Value::as_bool),
                    allow_reserved: encoding.allow_reserved,
                    headers: encoding.headers.keys().cloned().collect(),
                })
                .collect();
            bodies.push(Body {
                media_type: media_type.clone(),
                ty,
                constraints,
                examples,
                encoding,
            });
        }
        bodies
    }

    fn examples(&mut self, media: &MediaType, pointer: &str) -> Vec<Example> {
        self.examples_of(&media.example, &media.examples, pointer)
    }

    /// Keeps a position's examples to be checked against its type once every type exists;
    /// `media_type` is the body's, `None` for a parameter.
    fn keep_examples(
        &mut self,
        examples: &[Example],
        media_type: Option<&str>,
        ty: &TypeExpr,
        constraints: &Constraints,
    ) {
        for example in examples {
            if media_type.is_some_and(|media| !is_json_value_example(media, &example.value)) {
                continue;
            }
            self.examples.push(DocumentedExample {
                source: example.source.clone(),
                value: example.value.clone(),
                ty: ty.clone(),
                constraints: constraints.clone(),
            });
        }
    }

    /// The `example` and `examples` (components followed) of a media type or parameter.
    fn examples_of(
        &mut self,
        example: &Option<Value>,
        named: &indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>,
        pointer: &str,
    ) -> Vec<Example> {
        let mut examples = Vec::new();
        if let Some(value) = example {
            examples.push(Example {
                name: "example".into(),
                value: value.clone(),
                source: format!("{pointer}/example"),
            });
        }
        for (name, example) in named {
            let at = format!("{pointer}/examples/{}", escape_segment(name));
            let (example, source) = match follow(
                example,
                at.clone(),
                self.spec.openapi.components.as_ref(),
                "examples",
                |c| &c.examples,
            ) {
                Ok(found) => found,
                Err(message) => {
                    self.error(&format!("{at}/$ref"), message);
                    continue;
                }
            };
            if let Some(value) = &example.value {
                examples.push(Example {
                    name: name.clone(),
                    value: value.clone(),
                    source: format!("{source}/value"),
                });
            }
        }
        examples
    }

    fn response(
        &mut self,
        status: StatusKey,
        response: &'a ReferenceOr<SpecResponse>,
        type_name: &str,
        pointer: &str,
        variant_names: &mut Uniquifier,
    ) -> Option<Response> {
        let (response, at) = match follow(
            response,
            pointer.to_string(),
            self.spec.openapi.components.as_ref(),
            "responses",
            |c| &c.responses,
        ) {
            Ok(found) => found,
            Err(message) => {
                self.error(&format!("{pointer}/$ref"), message);
                return None;
            }
        };
        let label = status_name(status);
        let content = self.content(&response.content, &format!("{type_name}{label}Body"), &at);
        let mut header_names = Uniquifier::new();
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let header_at = format!("{at}/headers/{}", escape_segment(name));
            let header = match follow(
                header,
                header_at.clone(),
                self.spec.openapi.components.as_ref(),
                "headers",
                |c| &c.headers,
            ) {
                Ok((header, _)) => header,
                Err(message) => {
                    self.error(&format!("{header_at}/$ref"), message);
                    continue;
                }
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schemas
                        .expr(
                            schema,
                            &format!("{type_name}{label}{}", naming::upper_camel(name, "Header")),
                            &format!("{header_at}/schema"),
                        )
                        .0
                }
                ParameterSchemaOrContent::Content(_) => TypeExpr::String,
            };
            // `Content-Type` is described by the media type map already.
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            headers.push(ResponseHeader {
                name: name.clone(),
                rust_name: header_names.claim(naming::snake(name, "header")),
                ty,
                required: header.required,
                docs: header.description.clone(),
            });
        }
        Some(Response {
            status,
            rust_name: variant_names.claim(label),
            description: response.description.clone(),
            content,
            headers,
        })
    }

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.openapi.components else {
            return Vec::new();
        };
        let mut names = Uniquifier::new();
        let mut schemes = Vec::new();
        let mut sorted: Vec<_> = components.security_schemes.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (name, scheme) in sorted {
            let pointer = format!("/components/securitySchemes/{}", escape_segment(name));
            let ReferenceOr::Item(scheme) = scheme else {
                self.error(&pointer, "security scheme $refs are not supported");
                continue;
            };
            let (kind, docs) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: parameter,
                    description,
                    ..
                } => (
                    SecuritySchemeKind::ApiKey {
                        location: match location {
                            openapiv3::APIKeyLocation::Query => ParameterLocation::Query,
                            openapiv3::APIKeyLocation::Header => ParameterLocation::Header,
                            openapiv3::APIKeyLocation::Cookie => ParameterLocation::Cookie,
                        },
                        parameter: parameter.clone(),
                    },
                    description.clone(),
                ),
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => (SecuritySchemeKind::Bearer, description.clone()),
                        "basic" => (SecuritySchemeKind::Basic, description.clone()),
                        other => {
                            self.error(&format!("{pointer}/scheme"), format!("HTTP auth scheme `{other}` is not supported (bearer and basic are)"));
                            continue;
                        }
                    }
                }
                openapiv3::SecurityScheme::OAuth2 {
                    flows, description, ..
                } => {
                    let mut names = Vec::new();
                    if let Some(flow) = &flows.authorization_code {
                        names.push(format!("authorization code (token URL {})", flow.token_url));
                    }
                    if let Some(flow) = &flows.client_credentials {
                        names.push(format!("client credentials (token URL {})", flow.token_url));
                    }
                    if let Some(flow) = &flows.implicit {
                        names.push(format!(
                            "implicit (authorization URL {})",
                            flow.authorization_url
                        ));
                    }
                    if let Some(flow) = &flows.password {
                        names.push(format!("password (token URL {})", flow.token_url));
                    }
                    (
                        SecuritySchemeKind::OAuth2 { flows: names },
                        description.clone(),
                    )
                }
                openapiv3::SecurityScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    SecuritySchemeKind::OAuth2 {
                        flows: vec![format!("OpenID Connect ({open_id_connect_url})")],
                    },
                    description.clone(),
                ),
            };
            schemes.push(SecurityScheme {
                name: name.clone(),
                rust_name: names.claim(naming::snake(name, "scheme")),
                kind,
                docs,
            });
        }
        schemes
    }

    fn webhooks(&mut self) -> Vec<Webhook> {
        let Some(raw) = self.spec.raw.get("x-webhooks") else {
            return Vec::new();
        };
        let Value::Object(entries) = raw else {
            self.error(
                "/x-webhooks",
                "`x-webhooks` must map event names to path items",
            );
            return Vec::new();
        };
        let mut names = Uniquifier::new();
        names.reserve("Unknown");
        let mut webhooks = Vec::new();
        for (name, item) in entries {
            let pointer = format!("/x-webhooks/{}", escape_segment(name));
            let item: PathItem = match serde_json::from_value(item.clone()) {
                Ok(item) => item,
                Err(error) => {
                    self.error(&pointer, format!("not a valid path item: {error}"));
                    continue;
                }
            };
            let Some(post) = &item.post else {
                self.error(
                    &pointer,
                    "a webhook entry needs a `post` operation describing the payload",
                );
                continue;
            };
            let rust_name = names.claim(naming::upper_camel(name, "Event"));
            let Some(request_body) = &post.request_body else {
                self.warn(
                    &format!("{pointer}/post"),
                    "the webhook has no requestBody; its payload is kept as untyped JSON",
                );
                webhooks.push(Webhook {
                    name: name.clone(),
                    rust_name,
                    docs: post.summary.clone().or_else(|| post.description.clone()),
                    payload: Body {
                        media_type: "application/json".into(),
                        ty: TypeExpr::Any,
                        constraints: Default::default(),
                        examples: Vec::new(),
                        encoding: Vec::new(),
                    },
                });
                continue;
            };
            // The PathItem was deserialized from a copy, so its content cannot borrow from the spec:
            // convert the body directly here.
            let spec = self.spec;
            let (body, at) = match follow(
                request_body,
                format!("{pointer}/post/requestBody"),
                spec.openapi.components.as_ref(),
                "requestBodies",
                |c| &c.request_bodies,
            ) {
                Ok(found) => found,
                Err(message) => {
                    self.error(&format!("{pointer}/post/requestBody/$ref"), message);
                    continue;
                }
            };
            let Some((media_type, media)) = body
                .content
                .iter()
                .find(|(m, _)| m.contains("json"))
                .or_else(|| body.content.iter().next())
            else {
                self.error(&at, "the webhook requestBody has no content");
                continue;
            };
            let media_at = format!("{at}/content/{}", escape_segment(media_type));
            let ty = match &media.schema {
                Some(schema) => {
                    self.schemas
                        .expr(
                            schema,
                            &format!("{rust_name}Event"),
                            &format!("{media_at}/schema"),
                        )
                        .0
                }
                None => TypeExpr::Any,
            };
            let examples = self.examples(media, &media_at);
            self.keep_examples(&examples, Some(media_type), &ty, &Constraints::default());
            webhooks.push(Webhook {
                name: name.clone(),
                rust_name,
                docs: post.summary.clone().or_else(|| post.description.clone()),
                payload: Body {
                    media_type: media_type.clone(),
                    ty,
                    constraints: Default::default(),
                    examples,
                    encoding: Vec::new(),
                },
            });
        }
        webhooks
    }
}

/// Follows `item` into the `section` of `components` when it is a `$ref` (one level: a
/// component that is itself a `$ref` is refused): the object and its JSON pointer, or the
/// message of a diagnostic.
fn follow<'c, T>(
    item: &'c ReferenceOr<T>,
    here: String,
    components: Option<&'c openapiv3::Components>,
    section: &str,
    pick: fn(&openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Result<(&'c T, String), String> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, here)),
        ReferenceOr::Reference { reference } => reference,
    };
    let prefix = format!("#/components/{section}/");
    let found = reference
        .strip_prefix(&prefix)
        .map(crate::diagnostic::unescape_segment)
        .and_then(|name| Some((components.map(pick)?.get(&name)?, name)));
    match found {
        Some((ReferenceOr::Item(target), name)) => Ok((
            target,
            format!("/components/{section}/{}", escape_segment(&name)),
        )),
        _ => Err(format!(
            "$ref `{reference}` must name an entry of #/components/{section}"
        )),
    }
}

struct OperationSite<'s> {
    path: &'s str,
    item: &'s PathItem,
    method: Method,
    operation: &'s SpecOperation,
    pointer: String,
    id: String,
    rust_name: String,
    type_name: String,
}

/// `GET /api/payments/{id}` → `get_api_payments_id`: deterministic and stable while the path is.
fn synthesized_id(method: Method, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches(|c| c == '{' || c == '}').to_string())
        .collect();
    naming::snake(
        &format!(
            "{} {}",
            method.as_str().to_ascii_lowercase(),
            words.join(" ")
        ),
        "operation",
    )
}

fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    names
}

fn location_of(parameter: &SpecParameter) -> ParameterLocation {
    match parameter {
        SpecParameter::Query { .. } => ParameterLocation::Query,
        SpecParameter::Header { .. } => ParameterLocation::Header,
        SpecParameter::Path { .. } => ParameterLocation::Path,
        SpecParameter::Cookie { .. } => ParameterLocation::Cookie,
    }
}

fn style_of(parameter: &SpecParameter) -> (ParameterStyle, bool) {
    let explode = parameter.parameter_data_ref().explode;
    match parameter {
        SpecParameter::Query { style, .. } => {
            let style = query_style(style);
            (style, explode.unwrap_or(style == ParameterStyle::Form))
        }
        SpecParameter::Path { style, .. } => {
            let style = match style {
                openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                openapiv3::PathStyle::Label => ParameterStyle::Label,
                openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
            };
            (style, explode.unwrap_or(false))
        }
        SpecParameter::Header { .. } => (ParameterStyle::Simple, explode.unwrap_or(false)),
        SpecParameter::Cookie { .. } => (ParameterStyle::Form, explode.unwrap_or(true)),
    }
}

fn query_style(style: &QueryStyle) -> ParameterStyle {
    match style {
        QueryStyle::Form => ParameterStyle::Form,
        QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
        QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
        QueryStyle::DeepObject => ParameterStyle::DeepObject,
    }
}

/// Header names payment APIs give their idempotency keys (compared without case and
/// punctuation): `Idempotency-Key`, `X-Idempotency-Key`, `Idempotency-Token`, PayPal's
/// `PayPal-Request-Id`, and `X-Request-Id`-style names that say idempotency.
fn is_idempotency_header(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    normalized.ends_with("idempotencykey")
        || normalized.ends_with("idempotencytoken")
        || normalized == "paypalrequestid"
}

fn security_requirements(requirements: &[SpecSecurity]) -> Vec<SecurityRequirement> {
    requirements
        .iter()
        .map(|requirement| SecurityRequirement {
            schemes: requirement
                .iter()
                .map(|(name, scopes)| (name.clone(), scopes.clone()))
                .collect(),
        })
        .collect()
}

/// Variant name for a status: the reason phrase for common codes, else `Status{code}`.
pub fn status_name(status: StatusKey) -> String {
    match status {
        StatusKey::Default => "Default".into(),
        StatusKey::Range(1) => "Informational".into(),
        StatusKey::Range(2) => "Success".into(),
        StatusKey::Range(3) => "Redirection".into(),
        StatusKey::Range(4) => "ClientError".into(),
        StatusKey::Range(5) => "ServerError".into(),
        StatusKey::Range(other) => format!("Status{other}xx"),
        StatusKey::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            204 => "NoContent",
            301 => "MovedPermanently",
            302 => "Found",
            304 => "NotModified",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            other => return format!("Status{other}"),
        }
        .into(),
    }
}

/// Marks struct fields that must be boxed: those whose type holds the struct itself without an
/// indirection (a `Vec` or map already is one).
fn mark_boxed_fields(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let direct: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            direct_edges(&t.kind)
                .iter()
                .filter_map(|n| index.get(*n).copied())
                .collect()
        })
        .collect();
    let reaches = |from: usize, target: usize| -> bool {
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(node) = stack.pop() {
            if node == target {
                return true;
            }
            if seen.insert(node) {
                stack.extend(direct[node].iter().copied());
            }
        }
        false
    };
    let mut boxes = Vec::new();
    for (type_index, def) in types.iter().enumerate() {
        if let TypeKind::Struct(st) = &def.kind {
            for (field_index, field) in st.fields.iter().enumerate() {
                let mut names = Vec::new();
                direct_names(&field.ty, &mut names);
                if names
                    .iter()
                    .filter_map(|n| index.get(*n))
                    .any(|&t| reaches(t, type_index))
                {
                    boxes.push((type_index, field_index));
                }
            }
        }
    }
    for (type_index, field_index) in boxes {
        if let TypeKind::Struct(st) = &mut types[type_index].kind {
            st.fields[field_index].boxed = true;
        }
    }
}

fn direct_edges(kind: &TypeKind) -> Vec<&str> {
    let mut names = Vec::new();
    match kind {
        TypeKind::Struct(st) => st
            .fields
            .iter()
            .for_each(|f| direct_names(&f.ty, &mut names)),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(|ty| direct_names(ty, &mut names)),
        TypeKind::Newtype(newtype) => direct_names(&newtype.inner, &mut names),
        TypeKind::Alias(expr) => direct_names(expr, &mut names),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
    names
}

/// Named types held without indirection.
fn direct_names<'t>(expr: &'t TypeExpr, names: &mut Vec<&'t str>) {
    match expr {
        TypeExpr::Named(name) => names.push(name),
        TypeExpr::Nullable(inner) => direct_names(inner, names),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeExpr, TypeKind};

    fn build(components: &str, paths: &str) -> Api {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{components}"
        );
        let spec = crate::load::load_str("t.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
        super::build(&spec).unwrap_or_else(|d| panic!("{d}")).0
    }

    fn fields(api: &Api, name: &str) -> Vec<(String, String, TypeExpr, bool, bool, bool)> {
        match &api
            .type_named(name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
        {
            TypeKind::Struct(st) => st
                .fields
                .iter()
                .map(|f| {
                    (
                        f.json_name.clone(),
                        f.rust_name.clone(),
                        f.ty.clone(),
                        f.required,
                        f.nullable,
                        f.boxed,
                    )
                })
                .collect(),
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn names_are_collision_free_and_deterministic() {
        let api = build(
            "    foo_bar: {type: object, properties: {type: {type: string}, 2fa: {type: boolean}, self: {type: string}}}\n    FooBar: {type: string, enum: [a]}\n    fooBar: {type: integer}\n",
            "  {}",
        );
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["FooBar", "FooBar2", "FooBar3"]);
        let rust: Vec<String> = fields(&api, "FooBar").into_iter().map(|f| f.1).collect();
        assert_eq!(rust, ["type_", "field_2fa", "self_"]);
    }

    #[test]
    fn one_value_properties_tag_inline_alternatives_without_a_type_each() {
        let api = build(
            "    Source:\n      oneOf:\n        - {type: object, required: [kind, size], properties: {kind: {type: string, enum: [blank]}, size: {type: integer}}}\n        - {type: object, required: [kind], properties: {kind: {type: string, enum: [empty]}}}\n",
            "  {}",
        );
        let mut names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Source", "SourceVariant0"], "no enum type per tag");
        let Some(TypeKind::Union(union)) = api.type_named("Source").map(|t| &t.kind) else {
            panic!("Source is not a union");
        };
        assert_eq!(union.discriminator.as_deref(), Some("kind"));
        let variants: Vec<_> = union
            .variants
            .iter()
            .map(|v| (v.tags.clone(), v.ty.clone(), v.tag_outside))
            .collect();
        assert_eq!(
            variants,
            [
                (
                    vec!["blank".to_string()],
                    Some(TypeExpr::Named("SourceVariant0".into())),
                    true
                ),
                (vec!["empty".to_string()], None, true),
            ]
        );
        let rest: Vec<String> = fields(&api, "SourceVariant0")
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(rest, ["size"], "the union carries the tag");
    }

    #[test]
    fn single_value_string_alternatives_become_one_documented_enum() {
        let api = build(
            "    Sort:\n      oneOf:\n        - {type: string, enum: [asc], description: Ascending.}\n        - {type: string, enum: [desc], description: Descending.}\n",
            "  {}",
        );
        let Some(TypeKind::StringEnum(en)) = api.type_named("Sort").map(|t| &t.kind) else {
            panic!("Sort is not a string enum");
        };
        let values: Vec<_> = en
            .variants
            .iter()
            .map(|v| (v.value.as_str(), v.docs.as_deref()))
            .collect();
        assert_eq!(
            values,
            [("asc", Some("Ascending.")), ("desc", Some("Descending."))]
        );
    }

    #[test]
    fn all_of_merges_and_narrows_open_properties() {
        let api = build(
            "    Envelope: {type: object, required: [status], properties: {status: {type: string}, data: {}}}\n    Item: {type: object, properties: {id: {type: string}}}\n    ItemEnvelope:\n      allOf:\n        - $ref: '#/components/schemas/Envelope'\n        - type: object\n          properties:\n            data: {$ref: '#/components/schemas/Item'}\n",
            "  {}",
        );
        let merged = fields(&api, "ItemEnvelope");
        assert_eq!(merged[0].0, "status");
        assert!(merged[0].3, "required carries over");
        assert_eq!(
            merged[1].2,
            TypeExpr::Named("Item".into()),
            "the later member narrows `data`"
        );
    }

    #[test]
    fn nullable_inline_enums_and_recursion() {
        let api = build(
            "    Node:\n      type: object\n      required: [value]\n      properties:\n        value: {type: string, nullable: true}\n        kind: {type: string, enum: [leaf, branch]}\n        parent: {$ref: '#/components/schemas/Node'}\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n",
            "  {}",
        );
        let node = fields(&api, "Node");
        assert!(node[0].3 && node[0].4, "required and nullable");
        assert_eq!(
            node[1].2,
            TypeExpr::Named("NodeKind".into()),
            "inline enums are named after their place"
        );
        assert!(node[2].5, "a struct holding itself directly is boxed");
        assert!(!node[3].5, "a Vec is already an indirection");
    }

    #[test]
    fn operations_merge_path_parameters_and_sort_responses() {
        let api = build(
            "    E: {type: object, properties: {m: {type: string}}}\n",
            "  /items/{id}:\n    parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n      - {name: q, in: query, schema: {type: string}}\n    get:\n      parameters:\n        - {name: q, in: query, required: true, schema: {type: integer}}\n      responses:\n        default: {description: error}\n        '404': {description: missing}\n        '200': {description: ok}\n        4XX: {description: client}\n",
        );
        let op = &api.operations[0];
        assert_eq!(
            op.id, "get_items_id",
            "a missing operationId is synthesized from method and path"
        );
        let params: Vec<(&str, bool, &TypeExpr)> = op
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.required, &p.ty))
            .collect();
        assert_eq!(
            params,
            [
                ("id", true, &TypeExpr::String),
                ("q", true, &TypeExpr::Integer(crate::ir::IntegerFormat::I64))
            ]
        );
        let statuses: Vec<&str> = op.responses.iter().map(|r| r.rust_name.as_str()).collect();
        assert_eq!(statuses, ["Ok", "NotFound", "ClientError", "Default"]);
    }
}

#[cfg(test)]
mod reference_tests {
    #[test]
    fn a_reference_into_the_wrong_section_is_a_diagnostic() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/schemas/A'\ncomponents:\n  schemas:\n    A: {type: string}\n";
        let spec = crate::load::load_str("t.yaml", text).expect("loads");
        let diagnostics = super::build(&spec).expect_err("the reference is refused");
        let first = &diagnostics.0[0];
        assert_eq!(
            first.message,
            "$ref `#/components/schemas/A` must name an entry of #/components/responses"
        );
        assert_eq!(first.json_pointer, "/paths/~1a/get/responses/200/$ref");
    }
}
