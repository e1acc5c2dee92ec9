//! The AffiniPay document's own curl examples (seed 004), pasted verbatim into the generated
//! servers: their JSON bodies send amounts and counts as strings (`"amount": "100"`), which
//! the specs accept on the fields marked `x-accept-numeric-string`. Each body goes over HTTP to
//! the generated mock (full validation in front of the documented examples) exactly as the
//! document writes it.

mod common;

use std::path::PathBuf;

use specgen_runtime::auth::{TEST_PASSWORD, TEST_USER};

/// One `curl -X METHOD … URL -d '…'` of the document.
struct Curl {
    line: usize,
    method: String,
    url: String,
    body: String,
}

fn seed_004() -> String {
    let seeds = common::workspace_root().join("../shared/seeds");
    let path: PathBuf = std::fs::read_dir(&seeds)
        .unwrap_or_else(|error| panic!("{}: {error}", seeds.display()))
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("004_")
        })
        .expect("seed 004 (AffiniPay) is in ../shared/seeds");
    std::fs::read_to_string(path).unwrap()
}

/// Every curl command whose body is JSON, with its body (`-d '` up to the closing quote).
fn curls(document: &str) -> Vec<Curl> {
    let lines: Vec<&str> = document.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(start) = line.find("curl ") else {
            continue;
        };
        let words: Vec<&str> = line[start..].split_whitespace().collect();
        let Some(method) = words
            .windows(2)
            .find(|pair| pair[0] == "-X")
            .map(|pair| pair[1].to_string())
        else {
            continue;
        };
        let Some(url) = words.iter().find(|word| word.starts_with("https://")) else {
            continue;
        };
        let Some(data) = line.find("-d '") else {
            continue;
        };
        let mut body = line[data + 4..].to_string();
        let mut next = index + 1;
        while !body.trim_end().ends_with('\'') && next < lines.len() {
            body.push('\n');
            body.push_str(lines[next]);
            next += 1;
        }
        let body = body.trim_end().trim_end_matches('\'').trim().to_string();
        if body.starts_with('{') {
            found.push(Curl {
                line: index + 1,
                method,
                url: url.to_string(),
                body,
            });
        }
    }
    found
}

/// The path of a document URL on the gateway host. One URL writes `…//schedule` (line 1119);
/// the spec's path has one slash (its x-doc-note), and so does the request here.
fn gateway_path(url: &str) -> Option<String> {
    let path = url.strip_prefix("https://api.chargeio.com")?;
    Some(path.replace("//", "/"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_curl_bodies_with_string_amounts_are_accepted_verbatim() {
    let document = seed_004();
    let base = common::serve(affinipay_gateway::server::mock_router()).await;
    let http = reqwest::Client::new();
    let mut string_numbers = 0;
    let mut failures = Vec::new();
    for curl in curls(&document) {
        let Some(path) = gateway_path(&curl.url) else {
            continue;
        };
        // Other examples of the document are not all JSON (a trailing comma at line 728); every
        // body that sends an amount must be.
        let body: serde_json::Value = match serde_json::from_str(&curl.body) {
            Ok(body) => body,
            Err(error) if curl.body.contains("\"amount\"") => {
                panic!("line {}: not JSON: {error}", curl.line)
            }
            Err(_) => continue,
        };
        if !sends_a_numeric_string(&body) {
            continue;
        }
        string_numbers += 1;
        let method = reqwest::Method::from_bytes(curl.method.as_bytes()).unwrap();
        let response = http
            .request(method, format!("{base}{path}"))
            .basic_auth(TEST_USER, Some(TEST_PASSWORD))
            .header("content-type", "application/json")
            .body(curl.body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            failures.push(format!(
                "line {}: {} {path} -> {status}: {text}",
                curl.line, curl.method
            ));
        }
    }
    // 19 request examples send `"amount": "…"` (one also `"interval_delay": "1"`).
    assert_eq!(string_numbers, 19, "curl bodies with numeric strings");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// True when `"amount"` or `"interval_delay"` anywhere in `value` is a string.
fn sends_a_numeric_string(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => map.iter().any(|(key, member)| {
            (matches!(key.as_str(), "amount" | "interval_delay") && member.is_string())
                || sends_a_numeric_string(member)
        }),
        serde_json::Value::Array(items) => items.iter().any(sends_a_numeric_string),
        _ => false,
    }
}

#[tokio::test]
async fn a_string_that_is_not_the_number_is_still_rejected_with_422() {
    let base = common::serve(affinipay_gateway::server::mock_router()).await;
    let http = reqwest::Client::new();
    for amount in ["\"one hundred\"", "\"100.5\"", "\"\"", "\"1e2\"", "true"] {
        let body = format!(
            r#"{{"amount": {amount}, "method": "wKgFnjz8GamBPP0HTv0ABQ", "account_id": "8IO47jzCEeOfvhLxg70sog"}}"#
        );
        let response = http
            .post(format!("{base}/v1/charges"))
            .basic_auth(TEST_USER, Some(TEST_PASSWORD))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "amount {amount}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert!(
            problem.to_string().contains("/amount"),
            "the error names the field: {problem}"
        );
    }
}

#[test]
fn typed_requests_read_the_string_and_write_a_number() {
    use affinipay_gateway::types::ChargeRequest;
    let request: ChargeRequest = serde_json::from_str(
        r#"{"amount": "39088", "method": "wKgFnjz8GamBPP0HTv0ABQ", "account_id": "8IO47jzCEeOfvhLxg70sog"}"#,
    )
    .unwrap();
    assert_eq!(request.amount, 39088);
    let written = serde_json::to_value(&request).unwrap();
    assert_eq!(written["amount"], serde_json::json!(39088));
    // Numbers still read as numbers; a missing required amount is still an error.
    let from_number: ChargeRequest =
        serde_json::from_str(r#"{"amount": 100, "method": "x"}"#).unwrap();
    assert_eq!(from_number.amount, 100);
    assert!(serde_json::from_str::<ChargeRequest>(r#"{"method": "x"}"#).is_err());
}

#[test]
fn optional_numeric_string_fields_keep_absent_and_null() {
    use affinipay_gateway::types::RefundRequest;
    let absent: RefundRequest = serde_json::from_str("{}").unwrap();
    assert_eq!(absent.amount, None);
    let text: RefundRequest = serde_json::from_str(r#"{"amount": "20"}"#).unwrap();
    assert_eq!(text.amount, Some(20));
    assert_eq!(serde_json::to_string(&text).unwrap(), r#"{"amount":20}"#);
}

/// `text` with raw line breaks inside JSON strings written as `\n`: the merchant application
/// example's signature string spans 78 physical lines (lines 188–265), which JSON forbids; the
/// spec's x-doc-note records exactly this repair and nothing else.
fn escape_raw_newlines_in_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match c {
            '\n' if in_string => out.push_str("\\n"),
            '"' if !escaped => {
                in_string = !in_string;
                out.push(c);
            }
            _ => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

#[tokio::test]
async fn the_merchant_application_example_with_string_numbers_is_accepted() {
    let document = seed_004();
    let lines: Vec<&str> = document.lines().collect();
    let curl = lines
        .iter()
        .position(|line| {
            line.starts_with("curl")
                && line.contains("https://api.affinipay.com/merchant-applications")
        })
        .expect("the merchant application curl (line 149)");
    let end = curl
        + lines[curl..]
            .iter()
            .position(|line| line.starts_with("Example response"))
            .unwrap();
    let body = escape_raw_newlines_in_strings(&lines[curl + 1..end].join("\n"));
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let application = &value["merchant_application"];
    assert_eq!(application["industry_code"], "9311");
    assert_eq!(application["owner_years_in_residence"], "2");

    let base = common::serve(affinipay_merchant_applications::server::mock_router()).await;
    let response = reqwest::Client::new()
        .post(format!("{base}/merchant-applications"))
        .bearer_auth(specgen_runtime::auth::TEST_TOKEN)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");

    use affinipay_merchant_applications::types::CreateMerchantApplicationRequest;
    let typed: CreateMerchantApplicationRequest = serde_json::from_value(value).unwrap();
    assert_eq!(typed.merchant_application.industry_code, 9311);
    assert_eq!(typed.merchant_application.owner_years_in_residence, 2);
}

/// The rows of the document's table that starts after the line `heading` and ends at the next
/// line starting with `until`.
fn table<'d>(document: &'d str, heading: &str, until: &str) -> Vec<&'d str> {
    document
        .lines()
        .skip_while(|line| line.trim() != heading)
        .skip(1)
        .take_while(|line| !line.starts_with(until))
        .map(str::trim)
        .filter(|line| line.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

/// A table row split into its leading digits and the rest (`4000000000000002card_declined`).
fn digits_and_rest(row: &str) -> (&str, &str) {
    let end = row.find(|c: char| !c.is_ascii_digit()).unwrap_or(row.len());
    row.split_at(end)
}

/// The document's card and bank charge bodies (lines 834 and 947), as its curl commands send
/// them.
fn charge_bodies(document: &str) -> (serde_json::Value, serde_json::Value) {
    let bodies: Vec<serde_json::Value> = curls(document)
        .into_iter()
        .filter(|curl| curl.url == "https://api.chargeio.com/v1/charges")
        .filter_map(|curl| serde_json::from_str(&curl.body).ok())
        .collect();
    let of_type = |kind: &str| {
        bodies
            .iter()
            .find(|body| body["method"]["type"] == kind)
            .cloned()
            .unwrap()
    };
    (of_type("card"), of_type("bank"))
}

async fn charge(base: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/charges"))
        .basic_auth(TEST_USER, Some(TEST_PASSWORD))
        .json(body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_answers_the_documents_test_cards_and_bank_accounts_as_test_mode_does() {
    let document = seed_004();
    let (card, bank) = charge_bodies(&document);
    let base = common::serve(affinipay_gateway::server::mock_router()).await;
    let with_number = |number: &str| {
        let mut body = card.clone();
        body["method"]["number"] = number.into();
        body
    };
    let code_of = |body: &serde_json::Value| body["messages"][0]["code"].clone();

    let succeeding = table(&document, "Card NumberCard Type", "Failure scenarios");
    let failing = table(&document, "Card NumberError Code", "CVV and AVS");
    let checks = table(
        &document,
        "Card NumberCVV/AVS Response",
        "Test Bank Account",
    );
    let accounts = table(
        &document,
        "Routing NumberAccount NumberError Code",
        "System Status",
    );
    assert_eq!(
        (
            succeeding.len(),
            failing.len(),
            checks.len(),
            accounts.len()
        ),
        (13, 8, 7, 10),
        "the document's test tables"
    );
    for row in succeeding.iter().chain(&checks) {
        let (number, _) = digits_and_rest(row);
        let (status, body) = charge(&base, &with_number(number)).await;
        assert_eq!(status, 200, "{row}: {body}");
        assert_eq!(body["type"], "CHARGE", "{row}");
    }
    for row in &failing {
        let (number, code) = digits_and_rest(row);
        let (status, body) = charge(&base, &with_number(number)).await;
        assert_eq!(
            (status, code_of(&body)),
            (422, code.into()),
            "{row}: {body}"
        );
    }
    for row in &accounts {
        let (routing, rest) = row.split_at(9);
        let (account, code) = match rest.strip_prefix("Any") {
            Some(code) => ("1100000002", code),
            None => digits_and_rest(rest),
        };
        let mut body = bank.clone();
        body["method"]["routing_number"] = routing.into();
        body["method"]["account_number"] = account.into();
        let (status, answer) = charge(&base, &body).await;
        assert_eq!(
            (status, code_of(&answer)),
            (422, code.into()),
            "{row}: {answer}"
        );
    }
    // Test routing numbers with other account numbers succeed (line 573), as does the
    // document's own bank charge.
    let (status, _) = charge(&base, &bank).await;
    assert_eq!(status, 200);
    // Test inputs never bypass validation: a failure card in an invalid request is a 422 about
    // the request, not the card's documented error.
    let mut invalid = with_number("4000000000000002");
    invalid["amount"] = "lots".into();
    let (status, body) = charge(&base, &invalid).await;
    assert_eq!(status, 422);
    assert_ne!(code_of(&body), "card_declined", "{body}");
}

#[tokio::test]
async fn the_mocks_refusals_use_the_documents_own_codes() {
    let base = common::serve(affinipay_gateway::server::mock_router()).await;
    let http = reqwest::Client::new();
    // No credentials: 401 with the documented `not_authorized` (lines 4315-4323), not the
    // first code of the table.
    let response = http
        .get(format!("{base}/v1/charges/holds"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["messages"][0]["code"], "not_authorized", "{body}");
}

#[tokio::test]
async fn x_mock_status_answers_a_documented_status_that_has_no_example() {
    let base = common::serve(affinipay_gateway::server::mock_router()).await;
    // GET /v1/merchant documents 404 (the shared error response) without an example of its own:
    // the mock answers the smallest body of the documented error shape.
    let response = reqwest::Client::new()
        .get(format!("{base}/v1/merchant"))
        .basic_auth(TEST_USER, Some(TEST_PASSWORD))
        .header("x-mock-status", "404")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["messages"].is_array(), "{body}");
}
