//! The spec's own examples checked against their schemas, with the validator a generated server
//! runs on requests: an example that does not fit misleads every reader of the docs, and the
//! mock answers with it.

use std::collections::HashSet;

use serde_json::Value;

use super::{Api, Constraints, TypeExpr};
use crate::plan::{MediaKind, media_kind};
use crate::validate::Validator;

/// An example value and the type of the position it documents.
pub struct DocumentedExample {
    /// JSON pointer of the value (`…/example`, `…/examples/x/value`).
    pub source: String,
    /// The value as written.
    pub value: Value,
    /// The type of the schema it illustrates, nullability included.
    pub ty: TypeExpr,
    /// The position's own limits.
    pub constraints: Constraints,
}

/// True when `value` documents a body of `media_type` as a JSON value; a string example of a
/// text or binary body is the body's text itself, not a value of its schema.
pub fn is_json_value_example(media_type: &str, value: &Value) -> bool {
    !(value.is_string() && matches!(media_kind(media_type), MediaKind::Text | MediaKind::Binary))
}

/// How many violations one example's warning lists.
const MOST_REASONS: usize = 5;

/// `(pointer, message)` for every example that breaks its schema, each example once even when
/// it is reached from several places (a component example used by many operations).
pub fn misfits(api: &Api, examples: &[DocumentedExample]) -> Vec<(String, String)> {
    let validator = Validator::new(api);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for example in examples {
        let violations =
            validator.validate_constrained(&example.ty, &example.constraints, &example.value);
        if violations.is_empty() {
            continue;
        }
        // A large example that is wrong throughout needs its first few faults, not all.
        let mut reasons: Vec<String> = violations
            .iter()
            .take(MOST_REASONS)
            .map(|violation| match violation.pointer.as_str() {
                "" => violation.reason.clone(),
                at => format!("at `{at}`: {}", violation.reason),
            })
            .collect();
        if violations.len() > MOST_REASONS {
            reasons.push(format!("and {} more", violations.len() - MOST_REASONS));
        }
        let message = format!(
            "the example does not fit its schema: {}",
            reasons.join("; ")
        );
        if seen.insert((example.source.clone(), message.clone())) {
            out.push((example.source.clone(), message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::load::load_str;

    /// `(pointer, line, message)` of the example warnings of a spec.
    fn misfit_warnings(text: &str) -> Vec<(String, usize, String)> {
        let spec = load_str("spec.yaml", text).unwrap_or_else(|d| panic!("{d}"));
        let (_, warnings) = crate::ir::build(&spec).unwrap_or_else(|d| panic!("{d}"));
        warnings
            .into_iter()
            .filter(|w| w.message.starts_with("the example"))
            .map(|w| (w.json_pointer, w.line.unwrap_or_default(), w.message))
            .collect()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn schema_parameter_and_media_examples_are_checked_against_their_schemas() {
        let text = format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - name: limit\n          in: query\n          schema: {{type: integer, maximum: 10}}\n          example: 20\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n              examples:\n                inline:\n                  value: {{name: 1}}\n                shared:\n                  $ref: '#/components/examples/Cat'\n            text/plain:\n              schema: {{type: integer}}\n              example: 'not JSON, the body text'\ncomponents:\n  examples:\n    Cat:\n      value: {{name: Tom, age: old}}\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        name: {{type: string}}\n        age: {{type: integer, example: 3}}\n        tag: {{type: string, maxLength: 3, example: toolong}}\n      example: {{age: 2}}\n"
        );
        let found = misfit_warnings(&text);
        let found: Vec<(&str, usize, &str)> = found
            .iter()
            .map(|(p, l, m)| (p.as_str(), *l, m.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/paths/~1pets/get/parameters/0/example",
                    12,
                    "the example does not fit its schema: 20 is above the maximum 10"
                ),
                (
                    "/paths/~1pets/get/responses/200/content/application~1json/examples/inline/value",
                    22,
                    "the example does not fit its schema: at `/name`: expected a string, found a number"
                ),
                (
                    "/components/examples/Cat/value",
                    31,
                    "the example does not fit its schema: at `/age`: expected an integer, found a string"
                ),
                (
                    "/components/schemas/Pet/example",
                    40,
                    "the example does not fit its schema: missing required field `name`"
                ),
                (
                    "/components/schemas/Pet/properties/tag/example",
                    39,
                    "the example does not fit its schema: is 7 characters long, longer than the maximum 3"
                ),
            ],
            "the text/plain example is the body's text, and `age: 3` fits"
        );
    }
}
