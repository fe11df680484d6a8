//! Tracing: the `huaweicloud.call` and `huaweicloud.attempt` spans name the
//! operation, attempt, status and request id, and never a secret.
//!
//! Alone in its test binary: a subscriber installed for one thread does not
//! reliably see callsites that tests on other threads hit first.

use std::sync::{Arc, Mutex};

use huaweicloud_tasks::{Config, Credentials, dcs};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::wire::quick_retries;

const PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";

/// Answers 503 once, then a one-task page with `X-Request-Id: req-ok`.
async fn serve_503_then_ok() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("X-Request-Id", "req-0")
                .set_body_json(json!({ "error_code": "E503", "error_msg": "try later" })),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-ok")
                .set_body_json(json!({ "task_count": "1", "tasks": [{ "id": "t1" }] })),
        )
        .mount(&server)
        .await;
    server
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_operation_attempt_status_and_request_id_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = serve_503_then_ok().await;
    let credentials = Credentials::AccessKey(
        huaweicloud_tasks::auth::AccessKeyCredentials::new("AKTRACE", "trace-secret-key")
            .unwrap()
            .with_security_token("trace-security-token"),
    );
    let config = Config::new(credentials)
        .endpoint(server.uri())
        .retry(quick_retries());
    let client = dcs::Client::from_config(&config).unwrap();
    client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("huaweicloud.call"), "{text}");
    assert!(
        text.contains("operation=\"ListCenterTask\"") || text.contains("operation=ListCenterTask"),
        "{text}"
    );
    assert!(text.contains("huaweicloud.attempt"), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(
        text.contains("request_id=\"req-ok\"") || text.contains("request_id=req-ok"),
        "{text}"
    );
    assert!(
        !text.contains("trace-secret-key") && !text.contains("trace-security-token"),
        "{text}"
    );
}
