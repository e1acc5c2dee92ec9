//! Code tables and events as users of the generated crates see them: every documented code has
//! its meaning and facts, ranges classify undocumented codes, documented error bodies decode
//! into documented codes, and every documented event parses into its typed variant.

mod common;

use affinipay_gateway::types::{ErrorResponse, MessageCode};
use gateway::types::{AvsResponseCode, TransactionResponseCode};
use specgen_runtime::serde_json::{self, Value};

#[test]
fn transaction_response_codes_classify_by_documented_range() {
    assert_eq!(TransactionResponseCode::DOCUMENTED.len(), 4);
    let partial = TransactionResponseCode::from(110);
    assert!(partial.is_documented() && partial.is_approval() && !partial.is_decline());
    // 250 is not listed one by one; the document's 200-299 range says it is a decline.
    let undocumented = TransactionResponseCode::from(250);
    assert_eq!(undocumented, TransactionResponseCode::Unknown(250));
    assert!(undocumented.is_decline() && !undocumented.is_gateway_decline());
    assert!(TransactionResponseCode::from(301).is_gateway_decline());
    assert!(TransactionResponseCode::from(499).is_processor_error());
    assert_eq!("110".parse::<TransactionResponseCode>().unwrap(), partial);
    assert_eq!(partial.to_string(), "110");
}

#[test]
fn avs_codes_are_all_documented() {
    assert_eq!(AvsResponseCode::DOCUMENTED.len(), 27);
    for code in AvsResponseCode::DOCUMENTED {
        assert_eq!(&AvsResponseCode::from(code.as_str()), code);
    }
}

#[test]
fn gateway_message_codes_carry_status_level_and_facility() {
    assert_eq!(MessageCode::DOCUMENTED.len(), 73);
    for code in MessageCode::DOCUMENTED {
        assert!(code.level().is_some(), "{code} has no level");
        assert!(code.facility().is_some(), "{code} has no facility");
    }
    assert_eq!(
        MessageCode::from("card_number_invalid").http_status(),
        Some(422)
    );
    assert_eq!(
        MessageCode::from("card_number_invalid").facility(),
        Some("gateway")
    );
    assert_eq!(MessageCode::from("not_authorized").http_status(), Some(401));
    assert_eq!(
        MessageCode::from("resource_exists").http_status(),
        Some(409)
    );
    // The document gives no HTTP status for ACH returns (line 5123 and following).
    assert_eq!(MessageCode::from("ach_not_authorized").http_status(), None);
    assert_eq!(MessageCode::from("brand_new_code").http_status(), None);
}

/// The raw spec, for examples that live in `components.examples`.
fn raw_spec(name: &str) -> Value {
    let root = common::workspace_root();
    specgen::load::load_file(&root.join(name), name)
        .unwrap_or_else(|d| panic!("{d}"))
        .raw
}

#[test]
fn every_documented_error_example_decodes_into_documented_codes() {
    let raw = raw_spec("specs/affinipay-gateway.yaml");
    let names = raw["x-error-examples"]
        .as_array()
        .expect("x-error-examples lists the error examples");
    assert!(names.len() >= 60, "{} error examples", names.len());
    for name in names {
        let name = name.as_str().unwrap();
        let example = &raw["components"]["examples"][name]["value"];
        let body: ErrorResponse =
            serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!body.messages.is_empty(), "{name}");
        for message in &body.messages {
            let code = message
                .code
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: a message without code"));
            assert!(
                code.is_documented(),
                "{name}: `{code}` is not a documented message code"
            );
        }
    }
}

#[test]
fn every_documented_event_parses_into_its_variant() {
    for (spec, from_json) in [
        ("specs/affinipay-gateway.yaml", true),
        ("specs/affinipay-merchant-applications.yaml", false),
    ] {
        let root = common::workspace_root();
        let (api, _) = specgen::load_api(&root.join(spec), spec).unwrap();
        assert!(!api.webhooks.is_empty());
        for webhook in &api.webhooks {
            assert!(
                !webhook.payload.examples.is_empty(),
                "{spec}: {} has no example",
                webhook.name
            );
            for example in &webhook.payload.examples {
                let bytes = serde_json::to_vec(&example.value).unwrap();
                let event_type = if from_json {
                    let event = affinipay_gateway::events::Event::from_json(&bytes)
                        .unwrap_or_else(|e| panic!("{}: {e}", webhook.name));
                    assert!(
                        !matches!(event, affinipay_gateway::events::Event::Unknown { .. }),
                        "{}",
                        webhook.name
                    );
                    event.event_type().to_owned()
                } else {
                    let event = affinipay_merchant_applications::events::Event::parse(
                        &webhook.name,
                        &bytes,
                    )
                    .unwrap();
                    assert!(!matches!(
                        event,
                        affinipay_merchant_applications::events::Event::Unknown { .. }
                    ));
                    event.event_type().to_owned()
                };
                assert_eq!(event_type, webhook.name);
            }
        }
    }
    assert_eq!(
        affinipay_gateway::events::Event::EVENT_TYPES.len()
            + affinipay_merchant_applications::events::Event::EVENT_TYPES.len(),
        22
    );
}

#[test]
fn documented_codes_tell_their_meaning_at_run_time() {
    let expired = MessageCode::from("card_expired");
    let meaning = expired.description().expect("card_expired is described");
    assert!(meaning.contains("expired card"), "{meaning}");
    assert_eq!(MessageCode::from("not_a_code").description(), None);
    // Every documented message code of the affinipay table has its meaning.
    for code in MessageCode::DOCUMENTED {
        assert!(code.description().is_some(), "{code} has no description");
    }
}

#[test]
fn types_are_built_from_their_required_fields_or_by_default() {
    use affinipay_gateway::types::Card;
    // Every field of an AffiniPay card is optional: `Default` and struct update.
    let card = Card {
        exp_month: Some(12),
        ..Card::default()
    };
    assert_eq!(
        serde_json::to_value(&card).unwrap(),
        serde_json::json!({ "exp_month": 12 })
    );
    // Required fields go through `new`; the optional ones start empty.
    let request = local_payments::types::PaymentRequest::new(
        12.5,
        local_payments::types::PaymentMethod::Mbway,
    );
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({ "amount": 12.5, "payment_method": "mbway" })
    );
    // Operation requests likewise: required parameters and body in `new`, the rest `None`.
    let call = local_payments::operations::CreatePaymentRequest::new(request.clone());
    assert_eq!(call.body, request);
    let update = local_payments::operations::UpdatePaymentRequest::new("p-1".into(), request);
    assert_eq!(update.payment_id, "p-1");
}
