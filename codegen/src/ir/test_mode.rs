//! `x-test-mode`: documented test inputs and the answers they get (a document's test card
//! numbers, say), so the generated mock rehearses declines as the real API's test mode does.
//!
//! ```yaml
//! x-test-mode:
//!   cases:
//!     - when: {/method/number: '4000000000000002'}   # JSON pointers into the request body
//!       status: 422                                  # a documented status of the operation
//!       example: error_card_declined                 # one of its named examples
//! ```
//!
//! A case matches when every pointer holds the given text (or a number written so); the first
//! matching case answers, after validation passed.

use serde_json::Value;

use super::{Operation, StatusKey, TestCase};

/// The operation's test cases; problems as (pointer below the extension, message).
pub fn resolve(raw: Option<&Value>, op: &Operation) -> (Vec<TestCase>, Vec<(String, String)>) {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let Some(raw) = raw else {
        return (cases, problems);
    };
    let Some(list) = raw.get("cases").and_then(Value::as_array) else {
        problems.push((
            String::new(),
            "`x-test-mode` needs `cases`, a list; it is ignored".to_string(),
        ));
        return (cases, problems);
    };
    for (index, case) in list.iter().enumerate() {
        match test_case(case, op) {
            Ok(case) => cases.push(case),
            Err(message) => problems.push((
                format!("/cases/{index}"),
                format!("{message}; the case is ignored"),
            )),
        }
    }
    (cases, problems)
}

fn test_case(case: &Value, op: &Operation) -> Result<TestCase, String> {
    let when = case
        .get("when")
        .and_then(Value::as_object)
        .filter(|when| !when.is_empty())
        .ok_or("`when` must map JSON pointers to values")?;
    let when = when
        .iter()
        .map(|(pointer, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                other => return Err(format!("`{pointer}` must be text or a number, not {other}")),
            };
            if !pointer.starts_with('/') {
                return Err(format!("`{pointer}` is not a JSON pointer"));
            }
            Ok((pointer.clone(), text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let status = case
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("`status` must be an HTTP status")?;
    let response = op
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Code(status))
        .ok_or_else(|| format!("the operation documents no {status} response"))?;
    let body = response
        .content
        .first()
        .ok_or_else(|| format!("the {status} response has no body"))?;
    let example = match case.get("example") {
        None => body.examples.first(),
        Some(Value::String(name)) => body.examples.iter().find(|e| &e.name == name),
        Some(other) => return Err(format!("`example` must be a name, not {other}")),
    }
    .ok_or_else(|| format!("the {status} response has no such example"))?;
    Ok(TestCase {
        when,
        status,
        media_type: body.media_type.clone(),
        body: example.value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    fn build(cases: &str) -> (crate::ir::Api, Vec<String>) {
        crate::ir::build_for_test(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /charges:\n    post:\n      operationId: charge\n      x-test-mode: {{cases: [{cases}]}}\n      responses:\n        '201': {{description: ok, content: {{application/json: {{examples: {{paid: {{value: {{id: c1}}}}}}}}}}}}\n        '402': {{description: declined, content: {{application/json: {{examples: {{declined: {{value: {{code: card_declined}}}}}}}}}}}}\n"
        ))
    }

    #[test]
    fn cases_name_documented_statuses_and_examples() {
        let (api, warnings) = build(
            "{when: {/card/number: '4000000000000002'}, status: 402, example: declined}, {when: {/amount: 7}, status: 201}",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let cases = &api.operations[0].test_mode;
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].when,
            [("/card/number".to_string(), "4000000000000002".to_string())]
        );
        assert_eq!(
            (cases[0].status, cases[0].body.as_str()),
            (402, r#"{"code":"card_declined"}"#)
        );
        assert_eq!(cases[1].when[0].1, "7");
        assert_eq!(cases[1].body, r#"{"id":"c1"}"#);
    }

    #[test]
    fn cases_that_do_not_fit_warn_at_their_index() {
        let (api, warnings) = build(
            "{when: {/a: x}, status: 404}, {when: {/a: x}, status: 402, example: nope}, {when: {a: x}, status: 402}, {status: 402}",
        );
        assert!(api.operations[0].test_mode.is_empty());
        let expected = [
            "/cases/0 the operation documents no 404 response",
            "/cases/1 the 402 response has no such example",
            "/cases/2 `a` is not a JSON pointer",
            "/cases/3 `when` must map JSON pointers to values",
        ];
        assert_eq!(warnings.len(), expected.len(), "{warnings:?}");
        for (warning, expected) in warnings.iter().zip(expected) {
            let (at, message) = expected.split_once(' ').unwrap();
            assert!(
                warning.starts_with(&format!("/paths/~1charges/post/x-test-mode{at} {message}")),
                "{warning}"
            );
        }
    }
}
