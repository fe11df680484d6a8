//! Checking the AK/SK signer against vectors made by Huawei Cloud's official
//! Python signer (`huaweicloudsdkcore`), shared by `signing_vectors.rs` (the
//! hand-picked cases of `tests/data/signing/vectors.json`) and
//! `signing_properties.rs` (the random ones of `random_vectors.json`).
//!
//! Each vector is reproduced through the low-level `sign_parts`, comparing
//! every intermediate string, and through `sign_request` on a real
//! `reqwest::Request`, comparing what would be sent; every mismatch of a run
//! is reported at once, as a diff.

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use huaweicloud_tasks::auth::{AccessKeyCredentials, Credentials, sign_parts, sign_request};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde_json::Value;

/// One request signed by the official SDK, and what the SDK computed.
pub struct Vector {
    pub name: String,
    pub method: String,
    pub url: String,
    pub query_pairs: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub ak: String,
    pub sk: String,
    pub sdk_date: String,
    pub project_id: Option<String>,
    pub security_token: Option<String>,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub authorization: String,
    pub wire_query: String,
    pub sdk_headers: Vec<(String, String)>,
}

/// The vectors of `tests/data/signing/<file>`, after checking that the
/// official signer made them.
pub fn load_vectors(file: &str) -> Vec<Vector> {
    let path = format!("{}/data/signing/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let document: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    let generator = document["generator"].as_str().unwrap_or_default();
    assert!(
        generator.contains("huaweicloudsdkcore"),
        "{path} does not say it was made by huaweicloudsdkcore: {generator:?}"
    );
    let vectors = document["vectors"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} has no \"vectors\" array"));
    assert!(!vectors.is_empty(), "{path} has no vectors");
    vectors.iter().map(parse_vector).collect()
}

fn parse_vector(v: &Value) -> Vector {
    let name = text(v, "name", "?");
    let n = name.as_str();
    Vector {
        method: text(v, "method", n),
        url: text(v, "url", n),
        query_pairs: pairs(&v["query_pairs"], n),
        headers: pairs(&v["headers"], n),
        body: text(v, "body", n),
        ak: text(v, "ak", n),
        sk: text(v, "sk", n),
        sdk_date: text(v, "sdk_date", n),
        project_id: v["project_id"].as_str().map(str::to_owned),
        security_token: v["security_token"].as_str().map(str::to_owned),
        canonical_request: text(v, "canonical_request", n),
        string_to_sign: text(v, "string_to_sign", n),
        signed_headers: text(v, "signed_headers", n),
        authorization: text(v, "authorization", n),
        wire_query: text(v, "wire_query", n),
        sdk_headers: v["sdk_headers"]
            .as_object()
            .unwrap_or_else(|| panic!("vector {n}: sdk_headers is not an object"))
            .iter()
            .map(|(k, value)| (k.clone(), value.as_str().unwrap_or_default().to_owned()))
            .collect(),
        name,
    }
}

fn text(v: &Value, key: &str, vector: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector {vector}: field {key} is missing or not a string"))
        .to_owned()
}

fn pairs(v: &Value, vector: &str) -> Vec<(String, String)> {
    v.as_array()
        .unwrap_or_else(|| panic!("vector {vector}: expected an array of pairs"))
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(a), Value::String(b)]) => (a.clone(), b.clone()),
            _ => panic!("vector {vector}: {pair} is not a [string, string] pair"),
        })
        .collect()
}

/// Collects every mismatch, so one run shows all of them.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn check(&mut self, vector: &str, field: &str, expected: &str, actual: &str) {
        if expected != actual {
            self.0.push(describe(vector, field, expected, actual));
        }
    }

    fn fail(&mut self, vector: &str, what: String) {
        self.0.push(format!("vector {vector}: {what}"));
    }

    fn assert_none(self, checked: usize) {
        assert!(
            self.0.is_empty(),
            "{} mismatch(es) against the official signer over {checked} vectors \
             (- expected from the SDK, + computed here):\n\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// A diff-friendly report: where the first difference is, then both
/// strings line by line, escaped, with differing lines marked.
fn describe(vector: &str, field: &str, expected: &str, actual: &str) -> String {
    let at = expected
        .bytes()
        .zip(actual.bytes())
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let line = expected.bytes().take(at).filter(|&b| b == b'\n').count() + 1;
    let mut out = format!(
        "vector {vector}, field {field}: first difference at byte {at} (line {line}); \
         expected {} bytes, got {}\n",
        expected.len(),
        actual.len()
    );
    let expected_lines: Vec<&str> = expected.split('\n').collect();
    let actual_lines: Vec<&str> = actual.split('\n').collect();
    for i in 0..expected_lines.len().max(actual_lines.len()) {
        let e = expected_lines.get(i).copied();
        let a = actual_lines.get(i).copied();
        if e == a {
            let _ = writeln!(out, "    {:>3}   {:?}", i + 1, e.unwrap_or_default());
        } else {
            let _ = writeln!(out, "  - {:>3}   {:?}", i + 1, e.unwrap_or("<none>"));
            let _ = writeln!(out, "  + {:>3}   {:?}", i + 1, a.unwrap_or("<none>"));
        }
    }
    out
}

/// The vector's URL, parsed.
pub fn parse_url(vector: &Vector) -> Url {
    Url::parse(&vector.url).unwrap_or_else(|e| panic!("vector {}: bad url: {e}", vector.name))
}

/// Each vector's URL is what `reqwest`'s query encoding writes for its pairs.
pub fn check_urls(vectors: &[Vector]) {
    let mut mismatches = Mismatches::default();
    for vector in vectors {
        let mut url = parse_url(vector);
        url.set_query(None);
        if !vector.query_pairs.is_empty() {
            // `RequestBuilder::query` serializes into exactly this serializer.
            url.query_pairs_mut().extend_pairs(&vector.query_pairs);
        }
        mismatches.check(&vector.name, "url", &vector.url, url.as_str());
    }
    mismatches.assert_none(vectors.len());
}

/// `sign_parts` reproduces every intermediate string of each vector.
pub fn check_sign_parts(vectors: &[Vector]) {
    let mut mismatches = Mismatches::default();
    for vector in vectors {
        let url = parse_url(vector);
        let mut headers: Vec<(&str, &str)> = vector
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // What the SDK's credentials add before signing.
        if let Some(project_id) = &vector.project_id {
            headers.push(("X-Project-Id", project_id));
        }
        if let Some(token) = &vector.security_token {
            headers.push(("X-Security-Token", token));
        }
        let parts = match sign_parts(
            &vector.method,
            &url,
            &headers,
            vector.body.as_bytes(),
            &vector.sdk_date,
            &vector.ak,
            &vector.sk,
        ) {
            Ok(parts) => parts,
            Err(e) => {
                mismatches.fail(&vector.name, format!("sign_parts failed: {e}"));
                continue;
            }
        };
        let name = vector.name.as_str();
        mismatches.check(
            name,
            "canonical_request",
            &vector.canonical_request,
            &parts.canonical_request,
        );
        mismatches.check(
            name,
            "string_to_sign",
            &vector.string_to_sign,
            &parts.string_to_sign,
        );
        mismatches.check(
            name,
            "signed_headers",
            &vector.signed_headers,
            &parts.signed_headers,
        );
        mismatches.check(
            name,
            "authorization",
            &vector.authorization,
            &parts.authorization,
        );
        mismatches.check(
            name,
            "canonical_query (wire query)",
            &vector.wire_query,
            &parts.canonical_query,
        );
    }
    mismatches.assert_none(vectors.len());
}

/// `sign_request` on a real `reqwest::Request` sends what the SDK sends:
/// the same query and headers, and no other header.
pub fn check_sign_request(vectors: &[Vector]) {
    let mut mismatches = Mismatches::default();
    for vector in vectors {
        let name = vector.name.as_str();
        let method = Method::from_bytes(vector.method.as_bytes())
            .unwrap_or_else(|e| panic!("vector {name}: bad method: {e}"));
        let mut request = reqwest::Request::new(method, parse_url(vector));
        for (header, value) in &vector.headers {
            let header = HeaderName::from_bytes(header.as_bytes())
                .unwrap_or_else(|e| panic!("vector {name}: bad header name {header:?}: {e}"));
            let value = HeaderValue::from_str(value)
                .unwrap_or_else(|e| panic!("vector {name}: bad header value {value:?}: {e}"));
            request.headers_mut().append(header, value);
        }
        if !vector.body.is_empty() {
            *request.body_mut() = Some(vector.body.clone().into());
        }
        let mut credentials = AccessKeyCredentials::new(vector.ak.as_str(), vector.sk.as_str())
            .unwrap_or_else(|e| panic!("vector {name}: {e}"));
        if let Some(project_id) = &vector.project_id {
            credentials = credentials.with_project_id(project_id.as_str());
        }
        if let Some(token) = &vector.security_token {
            credentials = credentials.with_security_token(token.as_str());
        }
        let now = NaiveDateTime::parse_from_str(&vector.sdk_date, "%Y%m%dT%H%M%SZ")
            .unwrap_or_else(|e| panic!("vector {name}: bad sdk_date: {e}"))
            .and_utc();

        if let Err(e) = sign_request(&mut request, &Credentials::from(credentials), now) {
            mismatches.fail(name, format!("sign_request failed: {e}"));
            continue;
        }

        mismatches.check(
            name,
            "query sent",
            &vector.wire_query,
            request.url().query().unwrap_or_default(),
        );
        // Every header the SDK would send, with the same (trimmed) value...
        for (header, expected) in &vector.sdk_headers {
            let actual = request
                .headers()
                .get(header.to_ascii_lowercase().as_str())
                .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
            match actual {
                Some(actual) => {
                    mismatches.check(name, &format!("header {header}"), expected, &actual)
                }
                None => mismatches.fail(name, format!("header {header} is not set")),
            }
        }
        // ...and no other.
        for header in request.headers().keys() {
            if !vector
                .sdk_headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(header.as_str()))
            {
                mismatches.fail(
                    name,
                    format!("header {header} is set but the SDK sends none"),
                );
            }
        }
    }
    mismatches.assert_none(vectors.len());
}
