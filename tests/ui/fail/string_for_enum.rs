use local_payments::types::{PaymentMethod, PaymentRequest};

fn main() {
    let _request = PaymentRequest { amount: 1.0, payment_method: "credit_card", additional_params: None };
    let _ = PaymentMethod::CreditCard;
}
