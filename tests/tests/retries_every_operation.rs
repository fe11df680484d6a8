//! A 503 answered to every operation of every service (the operation table,
//! `workspace_tests::operations`): an operation the table marks idempotent
//! (every GET, and every DELETE or cancel, which ends in the same state when
//! sent twice) is sent again and succeeds with the documented answer, each
//! attempt signed; any other is sent once and fails with the 503.

use huaweicloud_tasks::{Credentials, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::operations::{self, Endpoint};
use workspace_tests::wire::{AK, SK, json_response, quick_retries, received, verify_signature};

/// The documented success answer of `op`.
fn documented(op: &operations::Operation) -> ResponseTemplate {
    let template = match op.example() {
        Some(body) => json_response(op.status, &body),
        None => ResponseTemplate::new(op.status),
    };
    template.insert_header("X-Request-Id", "second-attempt")
}

#[tokio::test]
async fn a_503_is_retried_exactly_where_the_operation_is_idempotent() {
    let mut retried = 0;
    for op in operations::all() {
        let context = op.label();
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                json_response(
                    503,
                    &serde_json::json!({"error_code": "APIGW.0503", "error_msg": "Service unavailable."}),
                )
                .insert_header("X-Request-Id", "first-attempt"),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(documented(op))
            .mount(&server)
            .await;
        let config = huaweicloud_tasks::Config::new(Credentials::access_key(AK, SK).unwrap())
            .endpoint(server.uri())
            .retry(RetryPolicy {
                max_attempts: 3,
                ..quick_retries()
            });
        let outcome = (op.call)(Endpoint::new(&config, op.service(), None)).await;
        let requests = received(&server).await;
        if op.table().idempotent {
            retried += 1;
            outcome.unwrap_or_else(|e| panic!("{context}: {e}"));
            assert_eq!(requests.len(), 2, "{context}: sent again once");
            for request in &requests {
                verify_signature(&context, request, AK, SK);
            }
        } else {
            let error = outcome.expect_err(&context);
            assert_eq!(error.status(), Some(503), "{context}");
            assert_eq!(error.attempts(), 1, "{context}");
            assert_eq!(requests.len(), 1, "{context}: sent once");
        }
    }
    assert!(retried > 0, "no idempotent operation");
}
