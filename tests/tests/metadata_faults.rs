//! The ECS/BMS metadata service misbehaving, over real sockets: keys that
//! expire while the service is down, and answers that are not credentials.
//! In every case a call either goes out signed with keys that are still
//! valid, or fails as a credentials error that names the metadata service,
//! sends nothing to the API and shows no secret.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use huaweicloud_tasks::auth::MetadataProvider;
use huaweicloud_tasks::{Config, ErrorKind};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workspace_tests::env_table as env;
use workspace_tests::security_key_answer;
use workspace_tests::skip_time;
use workspace_tests::wire::{empty_page_server, list_once, received, verify_signature};

const KEY_PATH: &str = "/openstack/latest/securitykey";
const SECRET: &str = "metadataFaultSecret/0123456789";
const TOKEN: &str = "metadataFaultToken==0123456789";

/// The security key answer for key pair `n`, expiring `millis` from now.
fn security_key(n: usize, millis: i64) -> serde_json::Value {
    security_key_answer(
        &format!("FAULTAK{n}"),
        &format!("{SECRET}{n}"),
        &format!("{TOKEN}{n}"),
        chrono::Duration::milliseconds(millis),
    )
}

/// Hands out one key pair valid for `millis`, then answers 500 with a
/// gateway's HTML page to every later request.
struct OnceThenDown {
    asked: Arc<AtomicUsize>,
    millis: i64,
}

impl Respond for OnceThenDown {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        match self.asked.fetch_add(1, Ordering::SeqCst) {
            0 => ResponseTemplate::new(200).set_body_json(security_key(1, self.millis)),
            _ => ResponseTemplate::new(500)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body>502 Bad Gateway</body></html>"),
        }
    }
}

/// A metadata service without session tokens (the token request gets 404,
/// as on older hosts) whose security key answers come from `respond`.
async fn metadata_service(respond: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(KEY_PATH))
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

fn config(metadata: &str, margin: Duration) -> Config {
    let provider =
        MetadataProvider::with_env(env(&[("HUAWEICLOUD_SDK_METADATA_ENDPOINT", metadata)]))
            .timeout(Duration::from_secs(2));
    Config::anonymous()
        .credentials_provider(provider)
        .credentials_refresh_margin(margin)
}

/// A credentials error naming the metadata service at `endpoint`, with no
/// secret in its text or its `Debug` output.
fn assert_credentials_error(error: &huaweicloud_tasks::Error, endpoint: &str, reason: &str) {
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains(&format!("metadata service {endpoint}")),
        "{shown}"
    );
    assert!(shown.contains(reason), "{reason:?} not in {shown}");
    for secret in [SECRET, TOKEN] {
        assert!(!shown.contains(secret), "secret in {shown}");
    }
}

#[tokio::test]
async fn keys_expiring_while_the_service_is_down_serve_until_they_expire() {
    // One key pair valid for 10 minutes, renewed 5 minutes before it
    // expires; the service fails every request after the first. tokio's
    // clock is moved on between the calls, not waited for.
    let asked = Arc::new(AtomicUsize::new(0));
    let metadata = metadata_service(OnceThenDown {
        asked: asked.clone(),
        millis: 600_000,
    })
    .await;
    let api = empty_page_server().await;
    let config = config(&metadata.uri(), Duration::from_secs(300));

    list_once(&config, &api).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1);

    // Before the margin: the cached keys serve, nothing is asked.
    skip_time(Duration::from_secs(290)).await;
    list_once(&config, &api).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1, "no renewal yet");

    // Inside the margin: the renewal fails, the valid keys serve on.
    skip_time(Duration::from_secs(20)).await;
    list_once(&config, &api).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2, "one renewal tried");

    // Past their expiry: nothing valid is left, and nothing is sent.
    skip_time(Duration::from_secs(300)).await;
    let error = list_once(&config, &api).await.unwrap_err();
    assert_eq!(asked.load(Ordering::SeqCst), 3, "asked again after expiry");
    assert_credentials_error(&error, &metadata.uri(), "HTTP 500");

    let requests = received(&api).await;
    assert_eq!(requests.len(), 3, "no request without valid keys");
    for request in &requests {
        verify_signature("metadata", request, "FAULTAK1", &format!("{SECRET}1"));
    }
}

#[tokio::test]
async fn answers_that_are_not_credentials_are_named_and_nothing_is_sent() {
    let in_a_minute = security_key(1, 60_000);
    let with = |field: &str, value: serde_json::Value| {
        let mut answer = in_a_minute.clone();
        answer["credential"][field] = value;
        ResponseTemplate::new(200).set_body_json(answer)
    };
    let cases = [
        (
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
            "HTTP 503",
        ),
        (
            ResponseTemplate::new(200).set_body_string("<html>not JSON</html>"),
            "not JSON",
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({ "access": "A" })),
            "no `credential` object",
        ),
        (
            with("secret", serde_json::Value::Null),
            "`credential.secret` is missing",
        ),
        (
            with("expires_at", json!("tomorrow")),
            "`credential.expires_at` \"tomorrow\" is not a time",
        ),
        (
            ResponseTemplate::new(200).set_body_json(security_key(1, -1_000)),
            "the credentials expired at",
        ),
        (
            ResponseTemplate::new(200).set_body_string("x".repeat(100_000)),
            "answer longer than",
        ),
    ];
    for (answer, reason) in cases {
        let metadata = metadata_service(answer).await;
        let api = empty_page_server().await;
        let error = list_once(&config(&metadata.uri(), Duration::from_secs(60)), &api)
            .await
            .unwrap_err();
        assert_credentials_error(&error, &metadata.uri(), reason);
        assert!(received(&api).await.is_empty(), "{reason}: a request left");
    }
}

#[tokio::test]
async fn a_connection_reset_mid_answer_is_named_and_nothing_is_sent() {
    // Reads the request, starts a 200 answer, and closes mid-body.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0; 4096];
                let _ = socket.read(&mut buffer).await;
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                          content-length: 400\r\n\r\n{\"credential\": {\"access\": \"A",
                    )
                    .await;
                // Dropped here: the body stops 370 bytes short.
            });
        }
    });
    let api = empty_page_server().await;
    let error = list_once(&config(&endpoint, Duration::from_secs(60)), &api)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    assert!(
        error
            .to_string()
            .contains(&format!("metadata service {endpoint}")),
        "{error}"
    );
    assert!(received(&api).await.is_empty());
}
