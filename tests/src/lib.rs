//! Shared paths and wire helpers for the workspace tests.

use std::path::PathBuf;

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

/// Mock servers on loopback and what they received, shared by the tests that
/// watch the generated client on the wire.
pub mod wire {
    use chrono::{DateTime, TimeZone, Utc};
    use serde_json::{Value, json};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
}
