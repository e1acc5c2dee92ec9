use local_payments::runtime::{DateTime, Nullable};
use local_payments::types::{AdditionalParams, Payment, PaymentMethod, PaymentRequest, PaymentStatus};

fn main() {
    let request = PaymentRequest {
        amount: 50.0,
        payment_method: PaymentMethod::CreditCard,
        additional_params: Some(AdditionalParams {
            payment: None,
            amount: Some(50.0),
            method: Some(PaymentMethod::CreditCard),
            number: Some("4111111111111111".into()),
            name: Some("John john".into()),
            expiration_month: Some("05".into()),
            expiration_year: Some("2028".into()),
            cvv: Some("321".into()),
        }),
    };
    let debug = format!("{request:?}");
    assert!(!debug.contains("4111111111111111") && !debug.contains("321"));

    let payment: Payment = serde_json::from_str(
        r#"{"payment_id":"p","amount":50.0,"payment_method":"mbway","status":"refunded","settled_at":"2020-04-07T15:01:07.000","settled_amount":null}"#,
    )
    .unwrap();
    assert_eq!(payment.status, PaymentStatus::Unknown("refunded".into()));
    assert!(!payment.status.is_documented());
    assert_eq!(payment.settled_at, Some(DateTime::parse("2020-04-07T15:01:07.000").unwrap()));
    let _tri: Nullable<u8> = Nullable::Null;
    let method: PaymentMethod = "credit_card".parse().unwrap();
    assert_eq!(method.to_string(), "credit_card");
}
