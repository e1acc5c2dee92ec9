//! `allOf` keeps every member's fields (both parts of PayPal-shaped 422 bodies define `details`)
//! and untagged unions decode as the alternative the value fits best
//! (`tests/specs/composition.yaml`).

use serde_json::json;

mod composition {
    specgen_macros::generate!("specs/composition.yaml");
}

use composition::types::{
    BankMethod, CaptureOrderUnprocessableEntityBody,
    CaptureOrderUnprocessableEntityBodyDetailsItem as Detail, Payment,
};

#[test]
fn both_definitions_of_details_are_merged_and_the_issue_picks_the_variant() {
    let body = json!({
        "name": "UNPROCESSABLE_ENTITY",
        "debug_id": "b1c2",
        "details": [{
            "field": "/payment_source/card/expiry",
            "value": "2020-01",
            "location": "body",
            "issue": "CARD_EXPIRED",
            "description": "The card is expired"
        }]
    });
    let parsed: CaptureOrderUnprocessableEntityBody =
        serde_json::from_value(body.clone()).expect("decodes");
    let details = parsed.details.as_deref().expect("details");
    let Detail::CardExpired(detail) = &details[0] else {
        panic!("a CARD_EXPIRED detail decodes as CardExpired: {details:?}");
    };
    assert_eq!(detail.field.as_deref(), Some("/payment_source/card/expiry"));
    assert_eq!(detail.value.as_deref(), Some("2020-01"));
    assert_eq!(detail.location.as_ref().map(|l| l.as_str()), Some("body"));
    assert_eq!(serde_json::to_value(&parsed).unwrap(), body, "round trip");
}

#[test]
fn untagged_alternatives_are_chosen_by_fit_not_by_order() {
    // Both objects deserialize either way (same required `id`); the documented `method` value
    // and the declared `routing` field say which one it is.
    let bank: Payment =
        serde_json::from_value(json!({"id": "p1", "method": "bank", "routing": "011000015"}))
            .unwrap();
    let Payment::BankPayment(bank) = bank else {
        panic!("chose {bank:?}");
    };
    assert_eq!(bank.method, Some(BankMethod::Bank));
    // `CardPayment` would take this too (its `method` enum keeps unknown values), and re-encode
    // it exactly: "the first that reproduces the input" picked the wrong one.
    let bank: Payment = serde_json::from_value(json!({"id": "p1", "method": "bank"})).unwrap();
    assert!(matches!(bank, Payment::BankPayment(_)), "{bank:?}");
    let card: Payment = serde_json::from_value(json!({"id": "p2", "last4": "4242"})).unwrap();
    assert!(matches!(card, Payment::CardPayment(_)), "{card:?}");
    let id: Payment = serde_json::from_value(json!("p3")).unwrap();
    assert_eq!(id, Payment::Id("p3".into()));
    // An id or one of two objects with an `id`: the id either way.
    assert_eq!(
        (id.id(), card.id(), bank.id()),
        (Some("p3"), Some("p2"), Some("p1"))
    );
    // A tie (only `id`) goes to the first alternative in document order.
    let tie: Payment = serde_json::from_value(json!({"id": "p4"})).unwrap();
    assert!(matches!(tie, Payment::CardPayment(_)), "{tie:?}");
}
