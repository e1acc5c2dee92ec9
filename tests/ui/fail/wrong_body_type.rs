use std::future::{Future, pending};
use local_payments::operations::*;
use local_payments::server::Api;
use local_payments::types::*;

struct Shop;

impl Api for Shop {
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
    fn get_refund(&self, _request: GetRefundRequest) -> impl Future<Output = GetRefundResponse> + Send {
        // A refund operation answering with a payment request body.
        std::future::ready(GetRefundResponse::Ok(PaymentRequest { amount: 1.0, payment_method: PaymentMethod::Mbway, additional_params: None }))
    }
}

fn main() {
    let _ = local_payments::server::router(Shop);
}
