//! Shared paths, wire helpers and the property tests' configuration for the
//! workspace tests.

use std::path::PathBuf;

pub mod operations;
pub mod properties;
pub mod random_spec;
pub mod scratch;
pub mod scripted;
pub mod signing;

/// A plain HTTP client for tests that talk to a local server themselves.
/// With the client crate's default features reqwest has no crypto provider
/// of its own, so the process gets ring's, as an application would (a second
/// install is refused and changes nothing).
pub fn plain_http_client() -> reqwest::Client {
    plain_http_builder().build().expect("an HTTP client")
}

/// The builder of [`plain_http_client`], for tests that set more options.
pub fn plain_http_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// Environment variables as a fixed table, for the client's injectable
/// lookups (`with_env`, `Config::env_lookup`): tests never change the
/// process environment.
pub fn env_table(
    pairs: &[(&str, &str)],
) -> impl Fn(&str) -> Option<String> + Send + Sync + Clone + 'static {
    let map: std::sync::Arc<std::collections::HashMap<String, String>> = std::sync::Arc::new(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    move |name| map.get(name).cloned()
}

/// Moves tokio's clock `by` ahead at once, then lets it run on in real time.
/// For tests on a current-thread runtime that talk to real sockets: a test
/// with the clock paused throughout would see its request timeouts fire
/// whenever the runtime waits for a socket, so the clock is paused only for
/// the jump. Everything the client measures with tokio's clock (cached
/// credentials, deadlines, waits) sees the time pass; nothing waits for it.
pub async fn skip_time(by: std::time::Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The ECS/BMS metadata service's security key answer: temporary
/// credentials expiring `expires_in` from now.
pub fn security_key_answer(
    access: &str,
    secret: &str,
    token: &str,
    expires_in: chrono::Duration,
) -> serde_json::Value {
    let expires =
        (chrono::Utc::now() + expires_in).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    serde_json::json!({ "credential": {
        "access": access,
        "secret": secret,
        "securitytoken": token,
        "expires_at": expires,
    }})
}

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Runs `cargo xtask ARGS...` from the workspace root: exit code, standard
/// output and standard error.
pub fn xtask(args: &[&str]) -> (i32, String, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "-q", "-p", "xtask", "--"])
        .args(args)
        .output()
        .expect("cargo runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The repository's `spec/` directory.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

/// Where the committed generated modules live.
pub fn generated_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated-client/src/generated"
    ))
}

/// Where the committed published documents live.
pub fn published_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../published"))
}

/// The committed published document of a service (`published/<module>/openapi.json`).
pub fn published_document(module: &str) -> serde_json::Value {
    let file = published_dir().join(module).join("openapi.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// JSON with `null`s dropped and every scalar replaced by its text, so that
/// `2` and `"2"`, `0.125` and `"0.125"` compare equal: the tolerant scalar
/// types decode either shape and re-encode one of them.
pub fn normalized(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    }
}

/// A spec of `spec/` bundled into one document, as the generator reads it.
pub fn spec_document(file: &str) -> serde_json::Value {
    let path = spec_dir().join(file);
    generator::spec::bundle::bundle(&path)
        .unwrap_or_else(|e| panic!("bundling {}: {e}", path.display()))
        .document
}

/// Mock servers on loopback and what they received, shared by the tests that
/// watch the generated client on the wire.
pub mod wire {
    use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
    use huaweicloud_tasks::auth::sign_parts;
    use reqwest::Url;
    use serde_json::{Value, json};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    /// The default retry policy with waits of milliseconds, so tests that
    /// retry stay fast.
    pub fn quick_retries() -> huaweicloud_tasks::RetryPolicy {
        huaweicloud_tasks::RetryPolicy {
            initial_backoff: std::time::Duration::from_millis(5),
            max_backoff: std::time::Duration::from_millis(20),
            ..huaweicloud_tasks::RetryPolicy::default()
        }
    }

    /// The access key pair the wire tests sign with.
    pub const AK: &str = "HPUAEXAMPLEAK0000001";
    pub const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";

    /// A client configuration signing with [`AK`]/[`SK`] for `server`,
    /// without retries, so each answer is seen once.
    pub fn signed_config(server: &MockServer) -> huaweicloud_tasks::Config {
        huaweicloud_tasks::Config::new(
            huaweicloud_tasks::Credentials::access_key(AK, SK).expect("credentials"),
        )
        .endpoint(server.uri())
        .retry(huaweicloud_tasks::RetryPolicy::disabled())
    }

    /// `wait_for` options polling every few milliseconds, giving up after
    /// `timeout_ms`.
    pub fn quick_wait(timeout_ms: u64) -> huaweicloud_tasks::tasks::WaitOptions {
        huaweicloud_tasks::tasks::WaitOptions {
            initial_interval: std::time::Duration::from_millis(10),
            max_interval: std::time::Duration::from_millis(40),
            timeout: std::time::Duration::from_millis(timeout_ms),
        }
    }

    /// Answers 200 with the bodies in turn, then the last one again and
    /// again, counting the calls: a task or job that changes as it is polled.
    pub struct Sequence {
        bodies: Vec<Value>,
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    impl Sequence {
        /// The responder and its count of calls.
        pub fn new(bodies: Vec<Value>) -> (Self, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
            assert!(!bodies.is_empty(), "a sequence answers at least one body");
            let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            (
                Self {
                    bodies,
                    calls: calls.clone(),
                },
                calls,
            )
        }
    }

    impl wiremock::Respond for Sequence {
        fn respond(&self, _: &Request) -> ResponseTemplate {
            let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            json_response(200, &self.bodies[n.min(self.bodies.len() - 1)])
        }
    }

    /// A project id that also fits openGauss's 32-alphanumerics pattern.
    pub const PROJECT: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";
    pub const INSTANCE: &str = "5560df16-cebf-4473-95c4-d1b573c16e79";

    /// A UTC date-time from its parts.
    pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap()
    }

    /// A JSON response with the given status.
    pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
        ResponseTemplate::new(status)
            .set_body_raw(serde_json::to_vec(body).unwrap(), "application/json")
    }

    /// A server answering every request with `template`.
    pub async fn server_answering(template: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;
        server
    }

    /// One DCS `ListCenterTask` call with `config`, sent to `server`.
    pub async fn list_once(
        config: &huaweicloud_tasks::Config,
        server: &MockServer,
    ) -> Result<(), huaweicloud_tasks::Error> {
        let config = config.clone().endpoint(server.uri());
        let client = huaweicloud_tasks::dcs::Client::from_config(&config).expect("a client");
        client
            .list_center_task()
            .project_id(PROJECT)
            .call()
            .await
            .map(|_| ())
    }

    /// A server answering every request with an empty page.
    pub async fn empty_page_server() -> MockServer {
        server_answering(json_response(200, &json!({}))).await
    }

    /// Every request the server received.
    pub async fn received(server: &MockServer) -> Vec<Request> {
        server
            .received_requests()
            .await
            .expect("request recording is enabled")
    }

    /// The one request the server received.
    pub async fn only_request(server: &MockServer) -> Request {
        let mut requests = received(server).await;
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.remove(0)
    }

    /// A header sent once (twice fails the test).
    pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
        let mut values = request.headers.get_all(name).iter();
        let first = values.next()?;
        assert!(values.next().is_none(), "header {name} sent more than once");
        Some(first.to_str().expect("header value is ASCII"))
    }

    /// The decoded query pairs of a request, sorted.
    pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs.sort();
        pairs
    }

    /// Expected query pairs, sorted like [`query_pairs`].
    pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        pairs.sort();
        pairs
    }

    /// Follows local `$ref`s in a bundled or published document.
    pub fn deref<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("non-local $ref {reference} in a bundled document"));
            value = document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"));
        }
        panic!("$ref chain too long");
    }

    /// The parts of a received `Authorization: SDK-HMAC-SHA256 Access=..,
    /// SignedHeaders=.., Signature=..` header.
    #[derive(Debug)]
    pub struct Authorization {
        pub access: String,
        pub signed_headers: Vec<String>,
        pub signature: String,
    }

    pub fn parse_authorization(value: &str) -> Authorization {
        let rest = value
            .strip_prefix("SDK-HMAC-SHA256 ")
            .unwrap_or_else(|| panic!("not an SDK-HMAC-SHA256 authorization: {value:?}"));
        let mut access = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(", ") {
            let (key, v) = part
                .split_once('=')
                .unwrap_or_else(|| panic!("malformed part {part:?} in {value:?}"));
            match key {
                "Access" => access = Some(v.to_owned()),
                "SignedHeaders" => signed_headers = Some(v.split(';').map(str::to_owned).collect()),
                "Signature" => signature = Some(v.to_owned()),
                other => panic!("unexpected part {other:?} in {value:?}"),
            }
        }
        Authorization {
            access: access.expect("Access"),
            signed_headers: signed_headers.expect("SignedHeaders"),
            signature: signature.expect("Signature"),
        }
    }

    /// The received request, signed again from what arrived (with the crate's
    /// signer, itself checked against the official signer's vectors). Returns the parsed
    /// `Authorization` header after checking it.
    pub fn verify_signature(context: &str, request: &Request, ak: &str, sk: &str) -> Authorization {
        let received = header(request, "authorization")
            .unwrap_or_else(|| panic!("{context}: no Authorization header"));
        let auth = parse_authorization(received);
        assert_eq!(auth.access, ak, "{context}");
        assert_eq!(auth.signature.len(), 64, "{context}: hex SHA-256 signature");

        let sdk_date = header(request, "x-sdk-date")
            .unwrap_or_else(|| panic!("{context}: no X-Sdk-Date header"));
        let signed_at = NaiveDateTime::parse_from_str(sdk_date, "%Y%m%dT%H%M%SZ")
            .unwrap_or_else(|e| {
                panic!("{context}: X-Sdk-Date {sdk_date:?} is not yyyyMMddTHHmmssZ: {e}")
            })
            .and_utc();
        let skew = (Utc::now() - signed_at).num_seconds().abs();
        assert!(
            skew < 300,
            "{context}: X-Sdk-Date {sdk_date} is {skew} s from now"
        );

        for required in ["host", "x-sdk-date"] {
            assert!(
                auth.signed_headers.iter().any(|h| h == required),
                "{context}: {required} is not signed: {:?}",
                auth.signed_headers
            );
        }
        let mut sorted = auth.signed_headers.clone();
        sorted.sort();
        assert_eq!(
            sorted, auth.signed_headers,
            "{context}: SignedHeaders sorted"
        );

        let headers: Vec<(&str, &str)> = auth
            .signed_headers
            .iter()
            .map(|name| {
                let value = header(request, name)
                    .unwrap_or_else(|| panic!("{context}: signed header {name} did not arrive"));
                (name.as_str(), value)
            })
            .collect();
        let host = header(request, "host").unwrap();
        // The URL as sent: origin-form path and query, on the Host that arrived.
        let url = Url::parse(&format!("http://{host}{}", path_and_query(request))).unwrap();
        let parts = sign_parts(
            request.method.as_str(),
            &url,
            &headers,
            &request.body,
            sdk_date,
            ak,
            sk,
        )
        .unwrap_or_else(|e| panic!("{context}: sign_parts failed: {e}"));
        assert_eq!(
            parts.signed_headers,
            auth.signed_headers.join(";"),
            "{context}"
        );
        assert_eq!(
            parts.authorization, received,
            "{context}: the signature does not match the request as received.\n\
             canonical request recomputed from the wire:\n{}",
            parts.canonical_request
        );
        assert_eq!(
            request.url.query().unwrap_or_default(),
            parts.canonical_query,
            "{context}: the wire query must be the canonical query"
        );
        auth
    }

    pub fn path_and_query(request: &Request) -> String {
        match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        }
    }
}
