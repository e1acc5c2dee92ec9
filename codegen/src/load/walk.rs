//! Where the schemas of a raw document are: every `schema` and `components/schemas` entry
//! outside example payloads and extensions, and every subschema of those. The 3.1 lowering and
//! the checks of the raw document ([`super::normalize::unknown_schema_types`], [`super::lint`])
//! share this walk, so they agree on what is a schema and what is data.

use serde_json::{Map, Value};

use crate::diagnostic::escape_segment;

/// Calls `visit` with every schema object of the document and its JSON pointer, a schema before
/// its subschemas, in document order.
pub fn for_each_schema(raw: &Value, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    for pointer in schema_positions(raw) {
        if let Some(schema) = raw.pointer(&pointer) {
            visit_schema(schema, &pointer, visit);
        }
    }
}

/// The pointers of the schemas that stand outside any schema (a parameter's `schema`, an entry
/// of `components/schemas`), in document order.
pub fn schema_positions(raw: &Value) -> Vec<String> {
    let mut out = Vec::new();
    find_schemas(raw, "", &mut out);
    out
}

fn find_schemas(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{pointer}/{}", escape_segment(key));
                match key.as_str() {
                    // Example payloads and defaults are data; security schemes have a `type` of
                    // their own that is not a schema's.
                    "example" | "examples" | "default" | "enum" | "securitySchemes" => {}
                    k if k.starts_with("x-") && k != "x-webhooks" => {}
                    "schema" => out.push(here),
                    "schemas" => {
                        if let Value::Object(schemas) = child {
                            out.extend(
                                schemas
                                    .keys()
                                    .map(|name| format!("{here}/{}", escape_segment(name))),
                            );
                        }
                    }
                    _ => find_schemas(child, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_schemas(item, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Keywords whose value is one schema (JSON Schema draft 4 to 2020-12, OpenAPI 3.0 and 3.1).
const SUBSCHEMA: [&str; 12] = [
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value maps names (not keywords) to schemas.
const SUBSCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is a list of schemas.
const SUBSCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

fn visit_schema(schema: &Value, pointer: &str, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    // Boolean schemas (3.1's `true`/`false`) have no keywords.
    let Value::Object(map) = schema else {
        return;
    };
    visit(map, pointer);
    for (key, child) in map {
        let here = format!("{pointer}/{}", escape_segment(key));
        let key = key.as_str();
        match child {
            Value::Object(children) if SUBSCHEMA_MAPS.contains(&key) => {
                for (name, child) in children {
                    visit_schema(child, &format!("{here}/{}", escape_segment(name)), visit);
                }
            }
            // Draft 4-7 tuples: `items: [schema, …]`.
            Value::Array(members) if SUBSCHEMA_LISTS.contains(&key) || key == "items" => {
                for (index, member) in members.iter().enumerate() {
                    visit_schema(member, &format!("{here}/{index}"), visit);
                }
            }
            _ if SUBSCHEMA.contains(&key) => visit_schema(child, &here, visit),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_schemas_and_subschemas_but_never_examples_or_property_names() {
        let raw = serde_json::json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "n", "schema": {"type": "string"}}]}}},
            "components": {
                "schemas": {
                    "A": {
                        "properties": {"items": {"type": "string"}, "b": true},
                        "example": {"schema": {"type": "x"}},
                        "prefixItems": [{"type": "string"}],
                        "x-extra": {"schema": {}}
                    }
                },
                "examples": {"E": {"value": {"schema": {}}}}
            }
        });
        let mut pointers = Vec::new();
        for_each_schema(&raw, &mut |_, pointer| pointers.push(pointer.to_string()));
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/parameters/0/schema",
                "/components/schemas/A",
                "/components/schemas/A/properties/items",
                "/components/schemas/A/prefixItems/0",
            ]
        );
    }
}
