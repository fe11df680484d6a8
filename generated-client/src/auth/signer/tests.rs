//! Signing as a whole: `sign_parts` and `sign_request` on complete requests.

use super::*;
use crate::auth::credentials::{AccessKeyCredentials, Credentials, IamTokenCredentials};
use chrono::TimeZone as _;
use reqwest::header::{HOST, HeaderValue};

const AK: &str = "HPUAEXAMPLEAK0000000";
const SK: &str = "exampleSecretKey/0123456789abcdef";
const DATE: &str = "20240102T030405Z";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
}

fn get(url: &str) -> reqwest::Request {
    reqwest::Request::new(reqwest::Method::GET, Url::parse(url).unwrap())
}

fn aksk() -> Credentials {
    Credentials::access_key(AK, SK).unwrap()
}

#[test]
fn sdk_date_format() {
    assert_eq!(format_sdk_date(now()), DATE);
    assert!(validate_sdk_date(DATE).is_ok());
    for bad in [
        "",
        "2024-01-02T03:04:05Z",
        "20240102T030405",
        "20240230T030405Z",
        "20240102T250405Z",
        "2024010２T030405Z",
    ] {
        assert_eq!(
            validate_sdk_date(bad),
            Err(SignError::InvalidSdkDate(bad.to_owned()))
        );
    }
}

#[test]
fn pure_functions_compose_like_sign_parts() {
    let url = Url::parse("https://ecs.example.com/v1/p/servers?limit=10&name=a+b").unwrap();
    let parts = sign_parts(
        "get",
        &url,
        &[("Content-Type", "application/json")],
        b"",
        DATE,
        AK,
        SK,
    )
    .unwrap();
    let headers = canonical_headers(&[
        ("Content-Type", "application/json"),
        ("Host", "ecs.example.com"),
        ("X-Sdk-Date", DATE),
    ])
    .unwrap();
    let query = canonical_query(&[("limit", "10"), ("name", "a b")]);
    let request = canonical_request(
        "GET",
        &canonical_uri(url.path()),
        &query,
        &headers,
        &payload_hash(b""),
    );
    assert_eq!(parts.canonical_query, "limit=10&name=a%20b");
    assert_eq!(parts.canonical_request, request);
    assert_eq!(parts.string_to_sign, string_to_sign(DATE, &request));
    assert_eq!(parts.signed_headers, headers.signed_headers);
    assert_eq!(
        parts.authorization,
        authorization(AK, &headers.signed_headers, &parts.signature)
    );
    assert!(parts.authorization.starts_with(
        "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000000, SignedHeaders=content-type;host;x-sdk-date, Signature="
    ));
    assert_eq!(parts.signature.len(), 64);
}

#[test]
fn sign_parts_rejects_bad_input_without_panicking() {
    let url = Url::parse("http://h/").unwrap();
    assert_eq!(
        sign_parts("GET", &url, &[], b"", "now", AK, SK),
        Err(SignError::InvalidSdkDate("now".to_owned()))
    );
    assert_eq!(
        sign_parts("GET", &url, &[], b"", DATE, "", SK),
        Err(SignError::EmptyAccessKey)
    );
    assert_eq!(
        sign_parts("GET", &url, &[], b"", DATE, AK, ""),
        Err(SignError::EmptySecretKey)
    );
    assert_eq!(
        sign_parts(
            "GET",
            &url,
            &[("X-A", "1"), ("x-a", "2")],
            b"",
            DATE,
            AK,
            SK
        ),
        Err(SignError::DuplicateHeader("x-a".to_owned()))
    );
    let no_host = Url::parse("data:text/plain,hi").unwrap();
    assert_eq!(
        sign_parts("GET", &no_host, &[], b"", DATE, AK, SK),
        Err(SignError::MissingHost)
    );
    // With an explicit Host header the URL's host is not needed.
    assert!(sign_parts("GET", &no_host, &[("Host", "h")], b"", DATE, AK, SK).is_ok());
}

#[test]
fn given_date_and_authorization_headers_are_replaced_or_ignored() {
    let url = Url::parse("http://h:8080/x").unwrap();
    let plain = sign_parts("GET", &url, &[], b"", DATE, AK, SK).unwrap();
    let noisy = sign_parts(
        "GET",
        &url,
        &[("X-Sdk-Date", "19990101T000000Z"), ("Authorization", "old")],
        b"",
        DATE,
        AK,
        SK,
    )
    .unwrap();
    assert_eq!(plain, noisy);
    assert!(plain.canonical_request.contains("\nhost:h:8080\n"));
}

#[test]
fn non_json_bodies_are_unsigned_payload() {
    let url = Url::parse("http://h/upload").unwrap();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let parts = sign_parts("POST", &url, &form, b"a=1", DATE, AK, SK).unwrap();
    assert!(parts.canonical_request.ends_with(
        "x-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n\ncontent-type;host;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"
    ));
    // The header is still added for an empty body, whose hash stays the empty hash.
    let parts = sign_parts("POST", &url, &form, b"", DATE, AK, SK).unwrap();
    assert!(parts.canonical_request.ends_with(EMPTY_PAYLOAD_HASH));
    assert!(parts.signed_headers.contains("x-sdk-content-sha256"));
    // JSON (with parameters) and BSON bodies are hashed.
    for ct in ["application/json;charset=UTF-8", "application/bson"] {
        let parts = sign_parts("POST", &url, &[("Content-Type", ct)], b"{}", DATE, AK, SK).unwrap();
        assert!(parts.canonical_request.ends_with(&payload_hash(b"{}")));
        assert!(!parts.signed_headers.contains("x-sdk-content-sha256"));
    }
}

#[test]
fn sign_request_rewrites_query_and_sets_headers() {
    let credentials: Credentials = AccessKeyCredentials::new(AK, SK)
        .unwrap()
        .with_project_id("proj1")
        .with_security_token("tok/en+=")
        .into();
    let mut request = get("https://h.example.com:8443/v1/a%20b?z=1&a=x+y&a=%2A&e");
    request
        .headers_mut()
        .insert("x-custom", HeaderValue::from_static("v"));
    sign_request(&mut request, &credentials, now()).unwrap();

    assert_eq!(request.url().query(), Some("a=%2A&a=x%20y&e=&z=1"));
    let h = request.headers();
    assert_eq!(h["host"], "h.example.com:8443");
    assert_eq!(h["x-sdk-date"], DATE);
    assert_eq!(h["x-project-id"], "proj1");
    assert_eq!(h["x-security-token"], "tok/en+=");
    assert!(h["x-security-token"].is_sensitive());
    assert!(h["authorization"].is_sensitive());

    let given = [
        ("Host", "h.example.com:8443"),
        ("X-Custom", "v"),
        ("X-Project-Id", "proj1"),
        ("X-Security-Token", "tok/en+="),
    ];
    let parts = sign_parts("GET", request.url(), &given, b"", DATE, AK, SK).unwrap();
    assert_eq!(h["authorization"], parts.authorization.as_str());
    assert_eq!(
        parts.signed_headers,
        "host;x-custom;x-project-id;x-sdk-date;x-security-token"
    );

    // Signing again (as before a retry) gives the same request.
    let first = request.headers().clone();
    let first_url = request.url().clone();
    sign_request(&mut request, &credentials, now()).unwrap();
    assert_eq!(request.headers(), &first);
    assert_eq!(request.url(), &first_url);
}

#[test]
fn sign_request_clears_empty_query_and_keeps_given_host() {
    let mut request = get("http://h/x?");
    request
        .headers_mut()
        .insert(HOST, HeaderValue::from_static("proxy.example"));
    sign_request(&mut request, &aksk(), now()).unwrap();
    assert_eq!(request.url().as_str(), "http://h/x");
    assert_eq!(request.headers()["host"], "proxy.example");
    assert_eq!(request.headers().get_all(HOST).iter().count(), 1);
}

#[test]
fn sign_request_errors_leave_request_untouched() {
    let mut request = get("http://h/x?b=1&a=2");
    request
        .headers_mut()
        .append("x-a", HeaderValue::from_static("1"));
    request
        .headers_mut()
        .append("x-a", HeaderValue::from_static("2"));
    let before = request.headers().clone();
    assert_eq!(
        sign_request(&mut request, &aksk(), now()),
        Err(SignError::DuplicateHeader("x-a".to_owned()))
    );
    assert_eq!(request.headers(), &before);
    assert_eq!(request.url().query(), Some("b=1&a=2"));

    let mut request = get("http://h/x");
    request
        .headers_mut()
        .insert("x-b", HeaderValue::from_bytes(b"\xff").unwrap());
    assert_eq!(
        sign_request(&mut request, &aksk(), now()),
        Err(SignError::NonUtf8HeaderValue("x-b".to_owned()))
    );

    let bad_token: Credentials = AccessKeyCredentials::new(AK, SK)
        .unwrap()
        .with_security_token("line\nbreak")
        .into();
    let mut request = get("http://h/x");
    let err = sign_request(&mut request, &bad_token, now()).unwrap_err();
    assert_eq!(err, SignError::InvalidHeaderValue(HEADER_SECURITY_TOKEN));
    assert!(!err.to_string().contains("line"));
    assert!(request.headers().is_empty());
}

#[test]
fn sign_request_hashes_buffered_bodies_and_refuses_json_streams() {
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        Url::parse("http://h/v1/items").unwrap(),
    );
    request
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    *request.body_mut() = Some(reqwest::Body::from(r#"{"a":1}"#));
    sign_request(&mut request, &aksk(), now()).unwrap();
    let parts = sign_parts(
        "POST",
        request.url(),
        &[("Content-Type", "application/json"), ("Host", "h")],
        br#"{"a":1}"#,
        DATE,
        AK,
        SK,
    )
    .unwrap();
    assert!(
        parts
            .canonical_request
            .ends_with(&payload_hash(br#"{"a":1}"#))
    );
    assert_eq!(
        request.headers()["authorization"],
        parts.authorization.as_str()
    );
}

#[test]
fn streams_are_signed_only_as_unsigned_payload() {
    let url = Url::parse("http://h/upload").unwrap();
    let sign = |content_type: &'static str| {
        let given = [Ok(("Content-Type", content_type))].into_iter();
        sign_core("PUT", &url, given, &[], Body::Stream, DATE, AK, SK).map(|s| s.parts)
    };
    assert_eq!(
        sign("application/json").err(),
        Some(SignError::StreamingBody)
    );
    let parts = sign("application/octet-stream").unwrap();
    assert!(parts.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

#[test]
fn iam_token_mode_sets_token_and_project_only() {
    let credentials: Credentials = IamTokenCredentials::new("MIItoken")
        .unwrap()
        .with_project_id("p2")
        .into();
    let mut request = get("http://h/x?b=1+2&a=3");
    sign_request(&mut request, &credentials, now()).unwrap();
    let h = request.headers();
    assert_eq!(h["x-auth-token"], "MIItoken");
    assert!(h["x-auth-token"].is_sensitive());
    assert_eq!(h["x-project-id"], "p2");
    assert!(h.get("authorization").is_none() && h.get("x-sdk-date").is_none());
    assert_eq!(request.url().query(), Some("b=1+2&a=3"));
    assert!(!format!("{request:?}").contains("MIItoken"));
}
