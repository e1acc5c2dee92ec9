//! The plan's decisions, one spec fragment each.

use specgen_runtime::wire::multipart::PartKind;
use specgen_runtime::wire::{Codec, Style};

use super::*;

fn api(paths: &str, schemas: &str) -> Api {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    );
    let spec = crate::load::load_str("t.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    crate::ir::build(&spec).unwrap_or_else(|d| panic!("{d}")).0
}

const NO_SCHEMAS: &str = "    Unused: {type: string}\n";

#[test]
fn parameter_codecs_apply_the_defaults_of_their_location() {
    let api = api(
        "  /items/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: integer}}}\n        - {name: q, in: query, schema: {type: string}, allowReserved: true}\n        - {name: filter, in: query, style: deepObject, schema: {type: object, additionalProperties: {type: string}}}\n        - {name: rest, in: query, schema: {type: object, additionalProperties: {type: string}}}\n        - {name: sort, in: query, explode: false, schema: {type: array, items: {type: string}}}\n        - {name: X-Idempotency-Key, in: header, schema: {type: string}}\n        - {name: X-Trace, in: header, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
        NO_SCHEMAS,
    );
    let plan = plan(&api, Gating::Features);
    let op = &plan.operations[0];
    let codecs: Vec<Codec> = op.params.iter().map(|p| p.codec).collect();
    assert_eq!(
        codecs,
        [
            Codec::new(Style::Matrix, true),
            Codec::FORM.reserved(),
            Codec::new(Style::DeepObject, false),
            Codec::FORM,
            Codec::new(Style::Form, false),
            Codec::SIMPLE,
            Codec::SIMPLE,
        ]
    );
    assert_eq!(
        op.decode_order,
        [0, 1, 2, 4, 5, 6, 3],
        "the free-form exploded object reads last"
    );
    assert_eq!(op.idempotency_key, Some(5));
    assert_eq!(
        op.path,
        [PathPiece::Literal("/items/".into()), PathPiece::Param(0)]
    );
}

#[test]
fn paypal_request_ids_and_marked_headers_are_idempotency_keys() {
    let api = api(
        "  /a:\n    post:\n      parameters:\n        - {name: PayPal-Request-Id, in: header, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n  /b:\n    post:\n      parameters:\n        - {name: X-Dedupe, in: header, x-idempotency-key: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n  /c:\n    post:\n      parameters:\n        - {name: Idempotency-Key, in: header, x-idempotency-key: false, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
        NO_SCHEMAS,
    );
    let keys: Vec<Option<usize>> = plan(&api, Gating::Features)
        .operations
        .iter()
        .map(|op| op.idempotency_key)
        .collect();
    assert_eq!(keys, [Some(0), Some(0), None]);
}

#[test]
fn form_bodies_keep_only_encodings_that_change_the_default() {
    let api = api(
        "  /pi:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/Create'}\n            encoding:\n              metadata: {style: deepObject, explode: true}\n              amount: {style: form}\n              blob: {contentType: application/json}\n              tags: {explode: false}\n      responses:\n        '200': {description: ok}\n",
        "    Create:\n      type: object\n      properties:\n        amount: {type: integer}\n        metadata: {type: object, additionalProperties: {type: string}}\n        blob: {type: object}\n        tags: {type: array, items: {type: string}}\n",
    );
    let plan = plan(&api, Gating::Features);
    let body = plan.operations[0].body.as_ref().expect("a body");
    let BodyEncoding::Form(fields) = &body.media[0].encoding else {
        panic!("not a form body");
    };
    let summary: Vec<(&str, Codec, bool)> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.codec, f.json))
        .collect();
    assert_eq!(
        summary,
        [
            ("metadata", Codec::new(Style::DeepObject, true), false),
            ("blob", Codec::FORM, true),
            ("tags", Codec::new(Style::Form, false), false),
        ]
    );
}

#[test]
fn multipart_parts_take_openapis_default_content_types() {
    let api = api(
        "  /files:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {$ref: '#/components/schemas/Upload'}\n            encoding:\n              link: {style: deepObject, explode: true}\n              note: {contentType: text/markdown}\n      responses:\n        '200': {description: ok}\n",
        "    Upload:\n      type: object\n      required: [file]\n      properties:\n        file: {type: string, format: binary}\n        extra: {type: array, items: {type: string, format: binary}}\n        purpose: {type: string}\n        meta: {type: object, properties: {a: {type: string}}}\n        tags: {type: array, items: {type: string}}\n        link: {type: object, properties: {create: {type: boolean}}}\n        note: {type: string}\n",
    );
    let plan = plan(&api, Gating::Features);
    let body = plan.operations[0].body.as_ref().expect("a body");
    let BodyEncoding::Multipart(parts) = &body.media[0].encoding else {
        panic!("not multipart");
    };
    let summary: Vec<(&str, PartKind, bool, Option<FileCardinality>)> = parts
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.repeated, p.files))
        .collect();
    let one = FileCardinality {
        list: false,
        presence: FieldPresence::Plain,
    };
    let list = FileCardinality {
        list: true,
        presence: FieldPresence::Optional,
    };
    assert_eq!(
        summary,
        [
            ("file", PartKind::File, false, Some(one)),
            ("extra", PartKind::File, true, Some(list)),
            ("purpose", PartKind::Text, false, None),
            ("meta", PartKind::Json, false, None),
            ("tags", PartKind::Text, true, None),
            ("link", PartKind::Deep, false, None),
            ("note", PartKind::Text, false, None),
        ]
    );
    assert_eq!(parts[6].content_type, "text/markdown");
}

#[test]
fn responses_have_roles_and_the_mock_answers_a_success() {
    let api = api(
        "  /a:\n    get:\n      responses:\n        '404': {description: missing}\n        '201': {description: created}\n        '200': {description: ok, content: {application/json: {schema: {type: string}, example: hi}}}\n        5XX: {description: down}\n        default: {description: other}\n",
        NO_SCHEMAS,
    );
    let plan = plan(&api, Gating::Features);
    let op = &plan.operations[0];
    let roles: Vec<StatusRole> = op.responses.iter().map(|r| r.role).collect();
    assert_eq!(
        roles,
        [
            StatusRole::Success,
            StatusRole::Success,
            StatusRole::ClientError,
            StatusRole::ServerError,
            StatusRole::Default
        ]
    );
    assert_eq!(op.mock_response, Some(0), "the success with an example");
    assert!(op.responses[3].carries_status && op.responses[4].carries_status);
}

#[test]
fn gated_items_are_behind_features_or_present_exactly_when_their_modules_were_chosen() {
    let features = Gating::Features;
    assert_eq!(
        features.cfg(&["server"]).to_string(),
        quote::quote!(#[cfg(feature = "server")]).to_string()
    );
    assert_eq!(
        features.cfg(&["client", "server"]).to_string(),
        quote::quote!(#[cfg(all(feature = "client", feature = "server"))]).to_string()
    );
    let chosen = Gating::Chosen(vec!["client", "server", "schema"]);
    assert!(chosen.cfg(&["client", "server"]).is_empty());
    let client_only = Gating::Chosen(vec!["client"]);
    // Never compiled, and no feature named (no `unexpected_cfgs` in the invoking crate).
    assert_eq!(
        client_only.cfg(&["client", "server"]).to_string(),
        quote::quote!(#[cfg(any())]).to_string()
    );
}

#[test]
fn responses_with_the_same_headers_share_one_struct_named_by_content() {
    let headers = |extra: &str| {
        format!(
            "          headers:\n            X-Request-Id: {{description: a, schema: {{type: string}}}}\n{extra}"
        )
    };
    let paths = format!(
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n{}        default:\n          description: no\n{}  /b:\n    get:\n      responses:\n        '200':\n          description: ok\n{}",
        headers(""),
        headers(""),
        headers(
            "            Retry-After: {description: b, required: true, schema: {type: integer}}\n"
        ),
    );
    let api = api(&paths, "    XRequestIdHeaders: {type: string}\n");
    let plan = plan(&api, Gating::Features);
    let names: Vec<&str> = plan.headers_types.iter().map(|t| t.name.as_str()).collect();
    // The content name of the first set is a schema's already: the first response names it.
    assert_eq!(names, ["GetAOkHeaders", "XRequestIdRetryAfterHeaders"]);
    let used: Vec<Option<&str>> = plan
        .operations
        .iter()
        .flat_map(|op| op.responses.iter().map(|r| r.headers_type.as_deref()))
        .collect();
    assert_eq!(
        used,
        [
            Some("GetAOkHeaders"),
            Some("GetAOkHeaders"),
            Some("XRequestIdRetryAfterHeaders")
        ]
    );
}
