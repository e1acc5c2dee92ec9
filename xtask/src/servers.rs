//! The two servers and two clients the HTTP benchmarks compare, doing the same work on the same
//! route: `POST /api/payments` of the local payments API, decoding a `PaymentRequest` and
//! answering the created `Payment`.

use std::time::{Duration, Instant};

use local_payments::operations::{
    CreatePaymentRequest, CreatePaymentResponse, CreateRefundRequest, CreateRefundResponse,
    DeletePaymentRequest, DeletePaymentResponse, GetPaymentRequest, GetPaymentResponse,
    GetRefundRequest, GetRefundResponse, ListPaymentsRequest, ListPaymentsResponse,
    ListRefundsRequest, ListRefundsResponse, UpdatePaymentRequest, UpdatePaymentResponse,
};
use local_payments::types::{Payment, PaymentRequest, PaymentStatus};

/// The request body every benchmark sends (the spec's own example).
pub fn request_body() -> serde_json::Value {
    serde_json::json!({
        "amount": 50.0,
        "payment_method": "credit_card",
        "additional_params": {
            "amount": 50,
            "method": "credit_card",
            "number": "1234567890123456",
            "name": "John john",
            "expiration_month": "05",
            "expiration_year": "2028",
            "cvv": "321"
        }
    })
}

/// The work both servers do for one request.
fn create(request: PaymentRequest) -> Payment {
    Payment {
        payment_id: "PAY-0001".into(),
        amount: request.amount,
        payment_method: request.payment_method,
        status: PaymentStatus::Success,
        settled_at: None,
        settled_amount: None,
        additional_params: request.additional_params,
    }
}

/// The generated server: `router(api)` with the spec's validation in front of the handler.
#[derive(Clone)]
struct Generated;

impl local_payments::server::Api for Generated {
    async fn create_payment(&self, request: CreatePaymentRequest) -> CreatePaymentResponse {
        CreatePaymentResponse::Ok(create(request.body))
    }
    async fn list_payments(&self, _: ListPaymentsRequest) -> ListPaymentsResponse {
        ListPaymentsResponse::Default { status: 501 }
    }
    async fn get_payment(&self, _: GetPaymentRequest) -> GetPaymentResponse {
        GetPaymentResponse::Default { status: 501 }
    }
    async fn update_payment(&self, _: UpdatePaymentRequest) -> UpdatePaymentResponse {
        UpdatePaymentResponse::Default { status: 501 }
    }
    async fn delete_payment(&self, _: DeletePaymentRequest) -> DeletePaymentResponse {
        DeletePaymentResponse::Default { status: 501 }
    }
    async fn list_refunds(&self, _: ListRefundsRequest) -> ListRefundsResponse {
        ListRefundsResponse::Default { status: 501 }
    }
    async fn create_refund(&self, _: CreateRefundRequest) -> CreateRefundResponse {
        CreateRefundResponse::Default { status: 501 }
    }
    async fn get_refund(&self, _: GetRefundRequest) -> GetRefundResponse {
        GetRefundResponse::Default { status: 501 }
    }
}

/// The hand-written reference: one axum route with serde's `Json` extractor.
async fn handwritten(axum::Json(request): axum::Json<PaymentRequest>) -> axum::Json<Payment> {
    axum::Json(create(request))
}

mod charges {
    specgen_macros::generate!("../tests/specs/idempotency.yaml");
}

/// The idempotency benchmark's server: charges that cost nothing, so the store is what shows.
#[derive(Clone)]
struct Charger;

impl charges::server::Api for Charger {
    async fn create_charge(
        &self,
        request: charges::operations::CreateChargeRequest,
        _: specgen_runtime::auth::Authenticated,
    ) -> charges::operations::CreateChargeResponse {
        charges::operations::CreateChargeResponse::Created(charges::types::Charge {
            id: "ch_1".into(),
            amount: request.body.amount,
        })
    }
    async fn get_charge(
        &self,
        request: charges::operations::GetChargeRequest,
        _: specgen_runtime::auth::Authenticated,
    ) -> charges::operations::GetChargeResponse {
        charges::operations::GetChargeResponse::Ok(charges::types::Charge {
            id: request.id,
            amount: 0,
        })
    }
    async fn create_transfer(
        &self,
        request: charges::operations::CreateTransferRequest,
    ) -> charges::operations::CreateTransferResponse {
        charges::operations::CreateTransferResponse::Created(request.body)
    }
}

/// Serves `kind` (`generated`, `handwritten`, `charges-memory`, `charges-redis URL`) on
/// `127.0.0.1:port` until killed.
pub fn serve(kind: &str, port: u16, extra: Option<&str>) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let app = match (kind, extra) {
        ("charges-memory", _) => charges::server::router_with(
            Charger,
            charges::server::ServerConfig {
                // Every benchmark request is a new key: room for all of them.
                idempotency_store: std::sync::Arc::new(specgen_runtime::server::MemoryStore::new(
                    50_000_000,
                )),
                ..Default::default()
            },
        ),
        ("charges-redis", Some(url)) => {
            let store = runtime
                .block_on(specgen_runtime::server::RedisStore::connect(url))
                .map_err(|e| e.to_string())?;
            charges::server::router_with(
                Charger,
                charges::server::ServerConfig {
                    idempotency_store: std::sync::Arc::new(store),
                    ..Default::default()
                },
            )
        }
        _ => generated_or_handwritten(kind)?,
    };
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

fn generated_or_handwritten(kind: &str) -> Result<axum::Router, String> {
    Ok(match kind {
        "generated" => local_payments::server::router(Generated),
        "handwritten" => {
            axum::Router::new().route("/api/payments", axum::routing::post(handwritten))
        }
        other => {
            return Err(format!(
                "unknown server `{other}` (generated|handwritten|charges-memory|charges-redis URL)"
            ));
        }
    })
}

/// Requests per second of `count` sequential calls through the generated client and through a
/// raw reqwest call, alternating `runs` times; each pair of numbers is one run.
pub fn client_rates(base_url: &str, count: usize, runs: usize) -> Result<Vec<(f64, f64)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let generated = local_payments::client::Client::new(base_url).map_err(|e| e.to_string())?;
        let raw = reqwest::Client::new();
        let url = format!("{base_url}/api/payments");
        let body: PaymentRequest =
            serde_json::from_value(request_body()).map_err(|e| e.to_string())?;
        let rate = |elapsed: Duration| count as f64 / elapsed.as_secs_f64();
        let mut rates = Vec::new();
        // One untimed round of each warms connections and allocator.
        for round in 0..=runs {
            let started = Instant::now();
            for _ in 0..count {
                let request = CreatePaymentRequest { body: body.clone() };
                match generated.create_payment(request).await {
                    Ok(CreatePaymentResponse::Ok(_)) => {}
                    other => return Err(format!("generated client: unexpected {other:?}")),
                }
            }
            let generated_rate = rate(started.elapsed());
            let started = Instant::now();
            for _ in 0..count {
                let response = raw
                    .post(&url)
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("raw reqwest: status {}", response.status()));
                }
                response
                    .json::<Payment>()
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let raw_rate = rate(started.elapsed());
            if round > 0 {
                rates.push((generated_rate, raw_rate));
            }
        }
        Ok(rates)
    })
}
