use local_payments::client::{Client, RetryPolicy};
use local_payments::operations::{GetRefundRequest, GetRefundResponse};

async fn refund_amount(id: &str) -> Result<Option<f64>, local_payments::client::Error> {
    let client = Client::builder("http://localhost:1111").retry(RetryPolicy::exponential(3)).build()?;
    match client.get_refund(GetRefundRequest { refund_id: id.into() }).await? {
        GetRefundResponse::Ok(refund) => Ok(Some(refund.amount)),
        GetRefundResponse::NoContent | GetRefundResponse::Default { .. } => Ok(None),
    }
}

fn main() {
    let _future = refund_amount("r-1");
}
