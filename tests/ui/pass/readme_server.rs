use std::future::{Future, pending, ready};
use local_payments::operations::*;
use local_payments::types::Refund;

struct Refunds;
impl local_payments::server::Api for Refunds {
    fn get_refund(&self, request: GetRefundRequest) -> impl Future<Output = GetRefundResponse> + Send {
        ready(GetRefundResponse::Ok(Refund { refund_id: request.refund_id, payment_id: "p-1".into(), amount: 20.0 }))
    }
    fn list_payments(&self, _request: ListPaymentsRequest) -> impl Future<Output = ListPaymentsResponse> + Send {
        pending()
    }
    fn create_payment(&self, _request: CreatePaymentRequest) -> impl Future<Output = CreatePaymentResponse> + Send {
        pending()
    }
    fn get_payment(&self, _request: GetPaymentRequest) -> impl Future<Output = GetPaymentResponse> + Send {
        pending()
    }
    fn update_payment(&self, _request: UpdatePaymentRequest) -> impl Future<Output = UpdatePaymentResponse> + Send {
        pending()
    }
    fn delete_payment(&self, _request: DeletePaymentRequest) -> impl Future<Output = DeletePaymentResponse> + Send {
        pending()
    }
    fn list_refunds(&self, _request: ListRefundsRequest) -> impl Future<Output = ListRefundsResponse> + Send {
        pending()
    }
    fn create_refund(&self, _request: CreateRefundRequest) -> impl Future<Output = CreateRefundResponse> + Send {
        pending()
    }
}

fn main() {
    let _router = local_payments::server::router(Refunds);
}
