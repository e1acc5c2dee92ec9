//! Responses documented in several media types (`tests/specs/media.yaml`): the server sends the
//! variant's media type, the client picks the variant by `Content-Type`.

mod common;

use common::serve;
use specgen_runtime::server::axum;

mod media {
    specgen_macros::generate!("specs/media.yaml");
}

use media::client::Client;
use media::operations::{GetReportOkBody, GetReportRequest, GetReportResponse};
use media::types::Report;

/// Answers in the media type named by the report id.
struct Reports;

impl media::server::Api for Reports {
    async fn get_report(&self, request: GetReportRequest) -> GetReportResponse {
        let body = match request.id.as_str() {
            "json" => GetReportOkBody::ApplicationJson(Report {
                id: "json".into(),
                total: 12.5,
            }),
            "csv" => GetReportOkBody::TextCsv("id,total\njson,12.5\n".into()),
            "pdf" => GetReportOkBody::ApplicationPdf(b"%PDF-1.7".to_vec()),
            _ => return GetReportResponse::NotFound,
        };
        GetReportResponse::Ok(body)
    }
}

#[tokio::test]
async fn each_media_type_travels_as_its_own_variant() {
    let base = serve(media::server::router(Reports)).await;
    let client = Client::new(&base).unwrap();
    let get = |id: &str| client.get_report(GetReportRequest { id: id.into() });

    match get("json").await.unwrap() {
        GetReportResponse::Ok(GetReportOkBody::ApplicationJson(report)) => {
            assert_eq!(
                report,
                Report {
                    id: "json".into(),
                    total: 12.5
                }
            )
        }
        other => panic!("expected JSON, got {other:?}"),
    }
    match get("csv").await.unwrap() {
        GetReportResponse::Ok(GetReportOkBody::TextCsv(text)) => {
            assert_eq!(text, "id,total\njson,12.5\n")
        }
        other => panic!("expected CSV, got {other:?}"),
    }
    match get("pdf").await.unwrap() {
        GetReportResponse::Ok(GetReportOkBody::ApplicationPdf(bytes)) => {
            assert_eq!(bytes, b"%PDF-1.7")
        }
        other => panic!("expected PDF, got {other:?}"),
    }
    assert_eq!(get("other").await.unwrap(), GetReportResponse::NotFound);
}

#[tokio::test]
async fn the_server_labels_each_body_with_its_media_type() {
    let base = serve(media::server::router(Reports)).await;
    for (id, media) in [
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ] {
        let response = reqwest::get(format!("{base}/reports/{id}")).await.unwrap();
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with(media), "{id}: {content_type}");
    }
}

#[tokio::test]
async fn an_unnamed_media_type_falls_back_to_the_json_variant() {
    let app = axum::Router::new().route(
        "/reports/{id}",
        axum::routing::get(|| async {
            (
                [("content-type", "application/octet-stream")],
                r#"{"id":"x","total":1}"#,
            )
        }),
    );
    let base = serve(app).await;
    let response = Client::new(&base)
        .unwrap()
        .get_report(GetReportRequest { id: "x".into() })
        .await
        .unwrap();
    assert_eq!(
        response,
        GetReportResponse::Ok(GetReportOkBody::ApplicationJson(Report {
            id: "x".into(),
            total: 1.0
        }))
    );
    assert_eq!(
        response.body_json(),
        Some(serde_json::json!({"id": "x", "total": 1.0}))
    );
}

#[test]
fn body_enum_reports_its_media_type_and_json() {
    let csv = GetReportOkBody::TextCsv("a,b".into());
    assert_eq!(csv.media_type(), "text/csv");
    assert_eq!(csv.to_json(), Some(serde_json::json!("a,b")));
    assert_eq!(GetReportOkBody::ApplicationPdf(vec![1]).to_json(), None);
}
