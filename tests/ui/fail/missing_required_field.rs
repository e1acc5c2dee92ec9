use local_payments::types::Refund;

fn main() {
    let _refund = Refund { refund_id: "r".into(), payment_id: "p".into() };
}
