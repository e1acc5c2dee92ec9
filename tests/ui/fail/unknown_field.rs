use local_payments::types::RefundRequest;

fn main() {
    let _request = RefundRequest { payment_id: "p".into(), amount: 1.0, currency: "EUR".into() };
}
