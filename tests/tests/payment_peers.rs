//! The real payment-provider specs of `../shared/peer-specs/payments/` on the wire: a client
//! generated from PayPal's orders spec against a loopback server that answers as PayPal does,
//! and Stripe's form encodings through the plan the generated client runs on (Stripe's crate is
//! too large to compile in a test; `specgen corpus` compiles it).
//!
//! These tests need `../shared` beside the checkout; without it they fail, loudly.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use specgen::plan::{BodyEncoding, Plan};
use specgen_runtime::server::axum;
use specgen_runtime::wire;

mod common;

mod paypal {
    specgen_macros::generate!(
        "../../shared/peer-specs/payments/paypal-checkout_orders_v2.json",
        operations = ["orders.create"]
    );
}

use paypal::operations::{OrdersCreateRequest, OrdersCreateResponse};
use paypal::types::OrdersCreateUnprocessableEntityBodyDetailsItem as Detail;

/// A PayPal 422 for an order paid with an expired card, written from the spec's schemas
/// (`error_422` and `422`): the detail carries `field`, `value`, `location` besides its issue.
fn card_expired() -> Value {
    json!({
        "name": "UNPROCESSABLE_ENTITY",
        "message": "The requested action could not be performed, semantically incorrect, or failed business validation.",
        "debug_id": "90957fca61718",
        "details": [{
            "field": "/payment_source/card/expiry",
            "value": "2018-08",
            "location": "body",
            "issue": "CARD_EXPIRED",
            "description": "The card is expired"
        }],
        "links": [{"href": "https://developer.paypal.com/api/rest/reference/orders/v2/errors/#CARD_EXPIRED", "rel": "information_link", "method": "GET"}]
    })
}

/// What the fake PayPal saw of one attempt: its `PayPal-Request-Id` and JSON body.
type Attempt = (Option<String>, Value);

#[tokio::test]
async fn paypal_request_ids_survive_a_retry_and_a_card_expired_detail_decodes() {
    // The fake PayPal: 503 once, then the 422.
    let seen: Arc<Mutex<Vec<Attempt>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/v2/checkout/orders",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let log = log.clone();
                async move {
                    let key = headers
                        .get("paypal-request-id")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let attempt = {
                        let mut log = log.lock().unwrap();
                        log.push((key, body));
                        log.len()
                    };
                    let (status, body) = if attempt == 1 {
                        (503, json!({"name": "SERVICE_UNAVAILABLE"}))
                    } else {
                        (422, card_expired())
                    };
                    axum::response::Response::builder()
                        .status(status)
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body.to_string()))
                        .unwrap()
                }
            },
        ),
    );
    let base = common::serve(app).await;
    let client = paypal::client::Client::builder(&base)
        .with_oauth2("token")
        .retry(paypal::client::RetryPolicy {
            max_attempts: 3,
            initial_backoff: std::time::Duration::from_millis(1),
            max_backoff: std::time::Duration::from_millis(5),
            max_elapsed: std::time::Duration::from_secs(5),
        })
        .build()
        .unwrap();
    let order = json!({"intent": "CAPTURE", "purchase_units": [{"amount": {"currency_code": "USD", "value": "100.00"}}]});
    let request = OrdersCreateRequest {
        pay_pal_request_id: None,
        pay_pal_partner_attribution_id: None,
        pay_pal_client_metadata_id: None,
        prefer: None,
        body: serde_json::from_value(order.clone()).unwrap(),
    };
    let response = client.orders_create(request).await.unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.len(),
        2,
        "a POST with an idempotency key is retried after 503"
    );
    let key = seen[0]
        .0
        .clone()
        .expect("PayPal-Request-Id is sent as the idempotency key");
    assert_eq!(seen[1].0.as_ref(), Some(&key), "the same key on the retry");
    assert_eq!(seen[0].1, order, "the body is sent as given");

    let OrdersCreateResponse::UnprocessableEntity(error) = response else {
        panic!("expected the 422 variant, got {response:?}");
    };
    let details = error.details.as_deref().expect("details");
    let Detail::CardExpired(detail) = &details[0] else {
        panic!(
            "the CARD_EXPIRED detail decodes as CardExpired: {:?}",
            details[0]
        );
    };
    assert_eq!(detail.field.as_deref(), Some("/payment_source/card/expiry"));
    assert_eq!(detail.value.as_deref(), Some("2018-08"));
    assert_eq!(detail.location.as_ref().map(|l| l.as_str()), Some("body"));
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        card_expired(),
        "nothing is dropped"
    );
}

fn stripe() -> specgen::ir::Api {
    let path = common::workspace_root().join("../shared/peer-specs/payments/stripe-spec3.yaml");
    assert!(
        path.is_file(),
        "{} is missing: these tests need ../shared beside the checkout",
        path.display()
    );
    specgen::load_api(&path, "stripe-spec3.yaml")
        .unwrap_or_else(|d| panic!("{d}"))
        .0
}

/// The runtime form-field table the generated client passes for an operation's form body.
fn form_fields<'p>(plan: &'p Plan<'_>, operation: &str) -> Vec<wire::form::FormField<'p>> {
    let op = plan
        .operations
        .iter()
        .find(|op| op.op.id == operation)
        .unwrap_or_else(|| panic!("no operation {operation}"));
    let body = op.body.as_ref().expect("a body");
    let BodyEncoding::Form(fields) = &body.media[0].encoding else {
        panic!("{operation} has no form body");
    };
    fields
        .iter()
        .map(|f| wire::form::FormField {
            name: &f.name,
            codec: f.codec,
            json: f.json,
        })
        .collect()
}

#[test]
fn stripe_payment_intents_and_charges_use_stripes_bracket_encoding() {
    let api = stripe();
    let plan = specgen::plan::plan(&api, specgen::plan::Gating::Features);
    let validator = specgen::validate::Validator::new(&api);

    // POST /v1/payment_intents: as its generated client serializes the body (properties in
    // the schema's order), then encodes it with the plan's form-field table.
    let fields = form_fields(&plan, "PostPaymentIntents");
    let body = json!({
        "amount": 2000,
        "currency": "usd",
        "expand": ["latest_charge"],
        "metadata": {"order_id": "6735"},
        "payment_method_types": ["card"],
        "shipping": {"address": {"city": "San Francisco", "line1": "510 Townsend St"}, "name": "Jenny Rosen"}
    });
    let encoded = wire::form::encode(&body, &fields).unwrap();
    assert_eq!(
        encoded,
        "amount=2000&currency=usd&expand[0]=latest_charge&metadata[order_id]=6735\
         &payment_method_types[0]=card&shipping[address][city]=San%20Francisco\
         &shipping[address][line1]=510%20Townsend%20St&shipping[name]=Jenny%20Rosen"
    );
    // The generated server reads the same bytes back to the same value, valid for the schema.
    let op = plan
        .operations
        .iter()
        .find(|op| op.op.id == "PostPaymentIntents")
        .unwrap();
    let body_ty = &op.body.as_ref().unwrap().media[0].body.ty;
    let shape = specgen::validate::expr_shape(body_ty);
    let decoded = wire::form::decode(encoded.as_bytes(), &fields, &shape, &|name| {
        validator.shape_of(name)
    })
    .unwrap();
    assert_eq!(decoded, body);
    assert_eq!(validator.validate(body_ty, &decoded), []);

    // GET /v1/charges?expand[]: deepObject arrays are indexed, never comma-joined.
    let charges = plan
        .operations
        .iter()
        .find(|op| op.op.id == "GetCharges")
        .unwrap();
    let expand = charges
        .params
        .iter()
        .find(|p| p.param.name == "expand")
        .expect("an expand parameter");
    let mut query = String::new();
    wire::encode_query(
        &mut query,
        "expand",
        &json!(["data.customer", "data.invoice"]),
        expand.codec,
    );
    assert_eq!(query, "expand[0]=data.customer&expand[1]=data.invoice");
    let shape = specgen::validate::expr_shape(&expand.param.ty);
    let mut parsed = wire::Query::parse(&query).unwrap();
    let back = parsed
        .take("expand", expand.codec, &shape, &|name| {
            validator.shape_of(name)
        })
        .unwrap();
    assert_eq!(back, Some(json!(["data.customer", "data.invoice"])));
}
