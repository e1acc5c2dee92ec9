//! Checks of the raw document for what is most likely a typo: keys no OpenAPI or JSON Schema
//! version defines (`minLenght`), formats one letter away from a known one (`date-tme`), and
//! schema keywords whose value has the wrong JSON type (`minimum: one`). `openapiv3` ignores the
//! first two silently and reports the last at the enclosing schema; here each is found at its key.
//!
//! Every finding is `(JSON pointer, message)`, like [`super::refs::repair_references`]'s.

use serde_json::{Map, Value};

use super::normalize::nearest;
use super::walk::for_each_schema;
use crate::diagnostic::escape_segment;

/// A finding: where, and what is wrong.
pub type Finding = (String, String);

/// Every keyword a Schema Object may have in OpenAPI 3.0 or 3.1 (JSON Schema draft 4 to
/// 2020-12, OpenAPI's own additions).
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$recursiveAnchor",
    "$recursiveRef",
    "$defs",
    "$comment",
    "$vocabulary",
    "definitions",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
    "type",
    "enum",
    "const",
    "format",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "prefixItems",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "properties",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
    "propertyNames",
    "required",
    "maxProperties",
    "minProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const PATH_ITEM_KEYS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "servers",
    "parameters",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
];

const OPERATION_KEYS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

/// A Header Object is a Parameter Object without `name` and `in`.
const HEADER_KEYS: &[&str] = &[
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

const REQUEST_BODY_KEYS: &[&str] = &["description", "content", "required"];

const RESPONSE_KEYS: &[&str] = &["description", "headers", "content", "links"];

const MEDIA_TYPE_KEYS: &[&str] = &["schema", "example", "examples", "encoding"];

const ENCODING_KEYS: &[&str] = &[
    "contentType",
    "headers",
    "style",
    "explode",
    "allowReserved",
];

/// Keys of `document` that no OpenAPI version defines for the object at their position and
/// that are not extensions (`x-…`): most likely misspelled keywords, which every reader of the
/// spec ignores. Each is reported with the nearest keyword when there is a close one.
pub fn unknown_keys(document: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    for_each_schema(document, &mut |schema, pointer| {
        report_unknown_keys(schema, pointer, SCHEMA_KEYWORDS, "a schema", &mut out);
    });
    let Value::Object(root) = document else {
        return out;
    };
    for section in ["paths", "webhooks", "x-webhooks"] {
        for (name, item) in entries(root, section) {
            let pointer = format!("/{section}/{}", escape_segment(name));
            check_path_item(item, &pointer, &mut out);
        }
    }
    let Some(Value::Object(components)) = root.get("components") else {
        return out;
    };
    let component = |section: &'static str| {
        entries(components, section).map(move |(name, value)| {
            let pointer = format!("/components/{section}/{}", escape_segment(name));
            (value, pointer)
        })
    };
    for (item, pointer) in component("pathItems") {
        check_path_item(item, &pointer, &mut out);
    }
    for (parameter, pointer) in component("parameters") {
        check_object(parameter, &pointer, PARAMETER_KEYS, "a parameter", &mut out);
    }
    for (header, pointer) in component("headers") {
        check_object(header, &pointer, HEADER_KEYS, "a header", &mut out);
    }
    for (body, pointer) in component("requestBodies") {
        check_object(
            body,
            &pointer,
            REQUEST_BODY_KEYS,
            "a request body",
            &mut out,
        );
    }
    for (response, pointer) in component("responses") {
        check_object(response, &pointer, RESPONSE_KEYS, "a response", &mut out);
    }
    for (callback, pointer) in component("callbacks") {
        check_callback(callback, &pointer, &mut out);
    }
    out
}

/// The entries of the mapping at `map[key]` (none when it is absent or not a mapping).
fn entries<'m>(
    map: &'m Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = (&'m String, &'m Value)> {
    map.get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

fn check_path_item(item: &Value, pointer: &str, out: &mut Vec<Finding>) {
    let Some(map) = item.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    report_unknown_keys(map, pointer, PATH_ITEM_KEYS, "a path item", out);
    check_parameters(map, pointer, out);
    for method in METHODS {
        let Some(Value::Object(operation)) = map.get(method) else {
            continue;
        };
        let pointer = format!("{pointer}/{method}");
        report_unknown_keys(operation, &pointer, OPERATION_KEYS, "an operation", out);
        check_parameters(operation, &pointer, out);
        if let Some(body) = operation.get("requestBody") {
            let pointer = format!("{pointer}/requestBody");
            check_object(body, &pointer, REQUEST_BODY_KEYS, "a request body", out);
        }
        for (status, response) in entries(operation, "responses") {
            if !status.starts_with("x-") {
                let pointer = format!("{pointer}/responses/{}", escape_segment(status));
                check_object(response, &pointer, RESPONSE_KEYS, "a response", out);
            }
        }
        for (name, callback) in entries(operation, "callbacks") {
            let pointer = format!("{pointer}/callbacks/{}", escape_segment(name));
            check_callback(callback, &pointer, out);
        }
    }
}

/// A Callback Object maps runtime expressions to path items.
fn check_callback(callback: &Value, pointer: &str, out: &mut Vec<Finding>) {
    let Some(map) = callback.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    for (expression, item) in map {
        if !expression.starts_with("x-") {
            check_path_item(
                item,
                &format!("{pointer}/{}", escape_segment(expression)),
                out,
            );
        }
    }
}

fn check_parameters(owner: &Map<String, Value>, pointer: &str, out: &mut Vec<Finding>) {
    let Some(Value::Array(parameters)) = owner.get("parameters") else {
        return;
    };
    for (index, parameter) in parameters.iter().enumerate() {
        let pointer = format!("{pointer}/parameters/{index}");
        check_object(parameter, &pointer, PARAMETER_KEYS, "a parameter", out);
    }
}

/// Checks a parameter, header, request body or response (and the objects inside it); a
/// `$ref` stands for an object checked where it is defined. `kind` names the object with its
/// article (`a response`).
fn check_object(value: &Value, pointer: &str, known: &[&str], kind: &str, out: &mut Vec<Finding>) {
    let Some(map) = value.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    report_unknown_keys(map, pointer, known, kind, out);
    for (name, header) in entries(map, "headers") {
        let pointer = format!("{pointer}/headers/{}", escape_segment(name));
        check_object(header, &pointer, HEADER_KEYS, "a header", out);
    }
    for (media_type, media) in entries(map, "content") {
        let pointer = format!("{pointer}/content/{}", escape_segment(media_type));
        let Some(media) = media.as_object() else {
            continue;
        };
        report_unknown_keys(media, &pointer, MEDIA_TYPE_KEYS, "a media type", out);
        for (property, encoding) in entries(media, "encoding") {
            let pointer = format!("{pointer}/encoding/{}", escape_segment(property));
            check_object(encoding, &pointer, ENCODING_KEYS, "an encoding", out);
        }
    }
}

fn report_unknown_keys(
    map: &Map<String, Value>,
    pointer: &str,
    known: &[&str],
    kind: &str,
    out: &mut Vec<Finding>,
) {
    for key in map.keys() {
        if key.starts_with("x-") || known.contains(&key.as_str()) {
            continue;
        }
        // Long keywords hide longer slips (`additionalProperty` is 3 edits from the keyword).
        let reach = (key.chars().count() / 6).max(2);
        let suggestion = nearest(key, known.iter().copied(), reach)
            .map(|keyword| format!(" (did you mean `{keyword}`?)"))
            .unwrap_or_default();
        out.push((
            format!("{pointer}/{}", escape_segment(key)),
            format!("unknown key `{key}` in {kind}{suggestion}; it is ignored"),
        ));
    }
}

/// The formats this generator or the specifications know: OpenAPI 3.0/3.1 and JSON Schema's
/// own, those of the OpenAPI Format Registry, and the ones the IR maps (`local-date-time`).
const KNOWN_FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "binary",
    "date",
    "date-time",
    "password",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "local-date-time",
    "int8",
    "int16",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "decimal",
    "decimal128",
    "double-int",
    "base64url",
    "char",
    "commonmark",
    "html",
    "http-date",
    "media-range",
    "sf-binary",
    "sf-boolean",
    "sf-decimal",
    "sf-integer",
    "sf-string",
    "sf-token",
];

/// Vendor formats in wide use that are a letter or two from a known one yet mean something of
/// their own.
const VENDOR_FORMATS: &[&str] = &["uint", "unix-time"];

/// Formats one or two edits from a known format (`date-tme`, `in32`, `UUID`). `format` is open,
/// so a vendor format that resembles no known one (`unix-time`, `ppaas_payer_id_v3`) is legal and
/// not reported; a near miss of a known one is a typo that silently loses the format's meaning.
pub fn unknown_formats(document: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    for_each_schema(document, &mut |schema, pointer| {
        let Some(Value::String(format)) = schema.get("format") else {
            return;
        };
        if KNOWN_FORMATS.contains(&format.as_str()) || VENDOR_FORMATS.contains(&format.as_str()) {
            return;
        }
        // Two edits turn most four-letter words into one another (`ip` → `ipv4`, `url` →
        // `uri` is one): short formats are near misses only at one edit.
        let reach = if format.chars().count() <= 4 { 1 } else { 2 };
        let lowercase = format.to_lowercase();
        if let Some(known) = nearest(&lowercase, KNOWN_FORMATS.iter().copied(), reach) {
            let case = if lowercase == known {
                "; formats are case-sensitive"
            } else {
                ""
            };
            out.push((
                format!("{pointer}/format"),
                format!("unknown format `{format}` (did you mean `{known}`?{case}); it is ignored"),
            ));
        }
    });
    out
}

/// What JSON value a schema keyword takes (as `openapiv3` reads it).
#[derive(Clone, Copy)]
enum Expected {
    Text,
    Number,
    Boolean,
    /// A non-negative integer (a length or count).
    Count,
    /// A list of property names.
    Names,
    /// A list of values.
    Values,
    /// A list of schemas.
    Schemas,
    /// A mapping of property names to schemas.
    SchemaMap,
    Schema,
    SchemaOrBoolean,
    /// An object of its own (discriminator, externalDocs).
    Object,
}

/// The schema keywords `openapiv3` gives a type; all but the four flags accept `null` as
/// "absent".
const KEYWORD_TYPES: &[(&str, Expected)] = &[
    ("type", Expected::Text),
    ("format", Expected::Text),
    ("pattern", Expected::Text),
    ("title", Expected::Text),
    ("description", Expected::Text),
    ("multipleOf", Expected::Number),
    ("minimum", Expected::Number),
    ("maximum", Expected::Number),
    ("exclusiveMinimum", Expected::Boolean),
    ("exclusiveMaximum", Expected::Boolean),
    ("uniqueItems", Expected::Boolean),
    ("nullable", Expected::Boolean),
    ("readOnly", Expected::Boolean),
    ("writeOnly", Expected::Boolean),
    ("deprecated", Expected::Boolean),
    ("minLength", Expected::Count),
    ("maxLength", Expected::Count),
    ("minItems", Expected::Count),
    ("maxItems", Expected::Count),
    ("minProperties", Expected::Count),
    ("maxProperties", Expected::Count),
    ("required", Expected::Names),
    ("enum", Expected::Values),
    ("allOf", Expected::Schemas),
    ("anyOf", Expected::Schemas),
    ("oneOf", Expected::Schemas),
    ("properties", Expected::SchemaMap),
    ("items", Expected::Schema),
    ("not", Expected::Schema),
    ("additionalProperties", Expected::SchemaOrBoolean),
    ("discriminator", Expected::Object),
    ("externalDocs", Expected::Object),
];

const FLAGS: [&str; 4] = ["nullable", "readOnly", "writeOnly", "deprecated"];

/// Schema keywords whose value has a JSON type `openapiv3` cannot read (`minimum: one`,
/// `maxLength: "10"`, `required: true`), at the keyword. Run on the document as `openapiv3`
/// sees it (3.1 lowered to 3.0), when it refused the document; `is_31` words the messages for
/// what the author wrote.
pub fn misshapen_keywords(document: &Value, is_31: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for_each_schema(document, &mut |schema, pointer| {
        for (keyword, value) in schema {
            let keyword = keyword.as_str();
            let Some((_, expected)) = KEYWORD_TYPES.iter().find(|(known, _)| *known == keyword)
            else {
                continue;
            };
            if value.is_null() && !FLAGS.contains(&keyword) {
                continue;
            }
            if let Some(wanted) = mismatch(*expected, value) {
                let wanted = match (keyword, is_31) {
                    ("exclusiveMinimum" | "exclusiveMaximum", true) => "a number",
                    ("type", true) => "a type name or a list of them",
                    _ => wanted,
                };
                let hint = match (keyword, value) {
                    ("required", Value::Bool(_)) => {
                        " (list required properties in the enclosing object's `required`)"
                    }
                    ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) if !is_31 => {
                        " (a numeric bound is OpenAPI 3.1; in 3.0 give `minimum`/`maximum` and `true`)"
                    }
                    ("type", Value::Array(_)) if !is_31 => {
                        " (a list of types is OpenAPI 3.1; in 3.0 use `nullable` or `anyOf`)"
                    }
                    _ => "",
                };
                out.push((
                    format!("{pointer}/{}", escape_segment(keyword)),
                    format!(
                        "`{keyword}` must be {wanted}, not {}{hint}",
                        describe_value(value)
                    ),
                ));
            }
        }
    });
    out
}

/// What `expected` wants, in words, when `value` is not it.
fn mismatch(expected: Expected, value: &Value) -> Option<&'static str> {
    let is_schema = |value: &Value| value.is_object();
    let fits = match expected {
        Expected::Text => value.is_string(),
        Expected::Number => value.is_number(),
        Expected::Boolean => value.is_boolean(),
        Expected::Count => value.as_u64().is_some(),
        Expected::Names => value
            .as_array()
            .is_some_and(|names| names.iter().all(Value::is_string)),
        Expected::Values => value.is_array(),
        Expected::Schemas => value
            .as_array()
            .is_some_and(|members| members.iter().all(is_schema)),
        Expected::SchemaMap => value
            .as_object()
            .is_some_and(|properties| properties.values().all(is_schema)),
        Expected::Schema | Expected::Object => is_schema(value),
        Expected::SchemaOrBoolean => is_schema(value) || value.is_boolean(),
    };
    (!fits).then_some(match expected {
        Expected::Text => "a string",
        Expected::Number => "a number",
        Expected::Boolean => "true or false",
        Expected::Count => "a non-negative integer",
        Expected::Names => "a list of property names",
        Expected::Values => "a list of values",
        Expected::Schemas => "a list of schemas",
        Expected::SchemaMap => "a mapping of property names to schemas",
        Expected::Schema => "a schema",
        Expected::SchemaOrBoolean => "a schema, true or false",
        Expected::Object => "an object",
    })
}

/// `a string ("one")`, `a boolean (true)`, `a list`: short enough for one message line.
fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(flag) => format!("a boolean ({flag})"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) if text.chars().count() <= 40 => format!("a string ({text:?})"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::load::load_str;

    const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

    fn warnings(text: &str) -> Vec<Diagnostic> {
        match load_str("spec.yaml", text) {
            Ok(spec) => spec.warnings,
            Err(diagnostics) => panic!("expected warnings, not {diagnostics}"),
        }
    }

    fn errors(text: &str) -> Vec<Diagnostic> {
        match load_str("spec.yaml", text) {
            Ok(_) => panic!("expected an error"),
            Err(diagnostics) => diagnostics.0,
        }
    }

    /// `(pointer, line, column, message)` of each diagnostic.
    fn found(diagnostics: &[Diagnostic]) -> Vec<(&str, usize, usize, &str)> {
        diagnostics
            .iter()
            .map(|d| {
                (
                    d.json_pointer.as_str(),
                    d.line.unwrap_or_default(),
                    d.column.unwrap_or_default(),
                    d.message.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn misspelled_schema_keywords_are_found_at_the_key_with_the_nearest_keyword() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    X:\n      type: object\n      require: [minLenght]\n      properties:\n        minLenght:\n          type: string\n          minLenght: 3\n        kind:\n          enums: [a]\n          exmaple: a\n          additionalProperty: false\n          default: {{exmaple: 1}}\n          example: {{enums: 1}}\n          x-vendor: 1\n"
        );
        assert_eq!(
            found(&warnings(&text)),
            [
                (
                    "/components/schemas/X/require",
                    10,
                    7,
                    "unknown key `require` in a schema (did you mean `required`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/minLenght/minLenght",
                    14,
                    11,
                    "unknown key `minLenght` in a schema (did you mean `minLength`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/kind/enums",
                    16,
                    11,
                    "unknown key `enums` in a schema (did you mean `enum`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/kind/exmaple",
                    17,
                    11,
                    "unknown key `exmaple` in a schema (did you mean `example`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/kind/additionalProperty",
                    18,
                    11,
                    "unknown key `additionalProperty` in a schema (did you mean `additionalProperties`?); it is ignored"
                ),
            ],
            "property names, extensions, defaults and examples are not keywords"
        );
    }

    #[test]
    fn misspelled_keys_of_operations_parameters_bodies_responses_and_media_types() {
        let text = format!(
            "{HEAD}paths:\n  /a:\n    post:\n      sumary: s\n      parameters:\n        - name: q\n          in: query\n          requird: true\n          schema: {{type: string}}\n      requestBody:\n        requird: true\n        content:\n          application/json:\n            schemas: {{type: string}}\n      responses:\n        '200':\n          descripton: ok\n          content:\n            text/plain:\n              type: string\n"
        );
        let warnings = warnings(&text);
        let typos: Vec<_> = found(&warnings)
            .into_iter()
            .filter(|(_, _, _, message)| message.starts_with("unknown key"))
            .collect();
        assert_eq!(
            typos,
            [
                (
                    "/paths/~1a/post/sumary",
                    8,
                    7,
                    "unknown key `sumary` in an operation (did you mean `summary`?); it is ignored"
                ),
                (
                    "/paths/~1a/post/parameters/0/requird",
                    12,
                    11,
                    "unknown key `requird` in a parameter (did you mean `required`?); it is ignored"
                ),
                (
                    "/paths/~1a/post/requestBody/requird",
                    15,
                    9,
                    "unknown key `requird` in a request body (did you mean `required`?); it is ignored"
                ),
                (
                    "/paths/~1a/post/requestBody/content/application~1json/schemas",
                    18,
                    13,
                    "unknown key `schemas` in a media type (did you mean `schema`?); it is ignored"
                ),
                (
                    "/paths/~1a/post/responses/200/descripton",
                    21,
                    11,
                    "unknown key `descripton` in a response (did you mean `description`?); it is ignored"
                ),
                (
                    "/paths/~1a/post/responses/200/content/text~1plain/type",
                    24,
                    15,
                    "unknown key `type` in a media type; it is ignored"
                ),
            ]
        );
    }

    #[test]
    fn formats_near_a_known_one_are_typos_and_vendor_formats_are_not() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    X:\n      properties:\n        a: {{type: string, format: date-tme}}\n        b: {{type: integer, format: in32}}\n        c: {{type: string, format: UUID}}\n        d: {{type: integer, format: unix-time}}\n        e: {{type: string, format: ppaas_payer_id_v3}}\n        f: {{type: string, format: ip}}\n        g: {{type: number, format: decimal}}\n        h: {{type: string, format: local-date-time}}\n"
        );
        let warnings = warnings(&text);
        let pointers: Vec<_> = found(&warnings)
            .into_iter()
            .map(|(pointer, line, _, message)| (pointer, line, message))
            .collect();
        assert_eq!(
            pointers,
            [
                (
                    "/components/schemas/X/properties/a/format",
                    10,
                    "unknown format `date-tme` (did you mean `date-time`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/b/format",
                    11,
                    "unknown format `in32` (did you mean `int32`?); it is ignored"
                ),
                (
                    "/components/schemas/X/properties/c/format",
                    12,
                    "unknown format `UUID` (did you mean `uuid`?; formats are case-sensitive); it is ignored"
                ),
            ]
        );
    }

    #[test]
    fn keyword_values_of_the_wrong_type_are_errors_at_the_keyword() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    X:\n      type: object\n      properties:\n        y:\n          type: integer\n          minimum: one\n        z:\n          type: string\n          maxLength: \"10\"\n          required: true\n"
        );
        let errors = errors(&text);
        assert!(errors.iter().all(|e| e.severity == Severity::Error));
        assert_eq!(
            found(&errors),
            [
                (
                    "/components/schemas/X/properties/y/minimum",
                    13,
                    11,
                    "`minimum` must be a number, not a string (\"one\")"
                ),
                (
                    "/components/schemas/X/properties/z/maxLength",
                    16,
                    11,
                    "`maxLength` must be a non-negative integer, not a string (\"10\")"
                ),
                (
                    "/components/schemas/X/properties/z/required",
                    17,
                    11,
                    "`required` must be a list of property names, not a boolean (true) (list required properties in the enclosing object's `required`)"
                ),
            ]
        );
    }

    #[test]
    fn version_specific_keyword_types_are_explained() {
        let numeric_bound = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    X: {{type: integer, minimum: 0, exclusiveMinimum: 0}}\n"
        );
        assert_eq!(
            errors(&numeric_bound)[0].message,
            "`exclusiveMinimum` must be true or false, not the number 0 (a numeric bound is OpenAPI 3.1; in 3.0 give `minimum`/`maximum` and `true`)"
        );
        let in_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    X: {type: integer, exclusiveMinimum: 0}\n";
        assert!(
            load_str("spec.yaml", in_31).is_ok(),
            "3.1 bounds are numbers"
        );
    }
}
