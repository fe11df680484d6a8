//! AK/SK signing as it arrives on the wire.
//!
//! Each operation is called against a local server with AK/SK credentials;
//! the request the server received (method, path and query exactly as sent,
//! headers, body) is signed again with `auth::sign_parts`, using the signed
//! header list of the received `Authorization` header and the received
//! `X-Sdk-Date`, and the result must be the received `Authorization` byte for
//! byte. Whatever a proxy-free network changes between signing and sending
//! (query re-encoding, a header added or rewritten after signing) shows up
//! here, where `signing_vectors.rs` only sees the request before it is sent.
//!
//! Also: the wire query is exactly the canonical query (sorted, `%20` for a
//! space, `%2B` for '+'), temporary and project credentials send and sign
//! their headers, IAM tokens replace the signature, and nothing prints a
//! secret.

use huaweicloud_tasks::auth::{AccessKeyCredentials, IamTokenCredentials, sign_parts};
use huaweicloud_tasks::{Config, Credentials, Error, ErrorKind, dcs, opengauss, rabbitmq};
use reqwest::Url;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use workspace_tests::operations::{self, Endpoint};
use workspace_tests::wire::{
    INSTANCE, PROJECT, empty_page_server as server, header, only_request, parse_authorization,
    path_and_query, query_pairs, utc, verify_signature,
};
const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";
const SECURITY_TOKEN: &str = "gQpjbi1ub3J0aC00jZ8temporaryTokenValue==";
const IAM_TOKEN: &str = "MIIEhwYJKoZIhvcNAQcCoIIEeDCCBHQCAQExDTALBglghkgBZQMEAgEwggKYBgkqhkiG";
const CREDENTIAL_PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn aksk() -> Credentials {
    Credentials::access_key(AK, SK).unwrap()
}

fn temporary_project_aksk() -> Credentials {
    AccessKeyCredentials::new(AK, SK)
        .unwrap()
        .with_security_token(SECURITY_TOKEN)
        .with_project_id(CREDENTIAL_PROJECT)
        .into()
}

/// The four operations, each called with every argument it takes; `query`
/// is the canonical query the gateway signs, written out by hand.
#[derive(Clone, Copy, Debug)]
enum Op {
    DcsListCenterTask,
    DcsListBackgroundTask,
    RabbitmqListBackgroundTasks,
    OpengaussListTasks,
}

impl Op {
    const ALL: [Op; 4] = [
        Op::DcsListCenterTask,
        Op::DcsListBackgroundTask,
        Op::RabbitmqListBackgroundTasks,
        Op::OpengaussListTasks,
    ];

    fn path(self) -> String {
        match self {
            Op::DcsListCenterTask => format!("/v2/{PROJECT}/tasks"),
            Op::DcsListBackgroundTask | Op::RabbitmqListBackgroundTasks => {
                format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks")
            }
            Op::OpengaussListTasks => format!("/v3/{PROJECT}/tasks"),
        }
    }

    fn canonical_query(self) -> &'static str {
        match self {
            Op::DcsListCenterTask | Op::DcsListBackgroundTask => {
                "end_time=20230612155959&limit=10&offset=0&start_time=20200609160000"
            }
            Op::RabbitmqListBackgroundTasks => {
                "begin_time=20200609160000&end_time=20200617155959&limit=10&start=1"
            }
            Op::OpengaussListTasks => {
                "end_time=1660003200000&limit=10&name=Create%20Instance%2Bx%2A~&offset=0\
                 &start_time=1659657600000&status=Running"
            }
        }
    }

    async fn call(self, config: &Config) -> Result<(), Error> {
        match self {
            Op::DcsListCenterTask => {
                let client = dcs::Client::from_config(config).unwrap();
                client
                    .list_center_task()
                    .project_id(PROJECT)
                    .offset(0)
                    .limit(10)
                    .start_time(utc(2020, 6, 9, 16, 0, 0))
                    .end_time(utc(2023, 6, 12, 15, 59, 59))
                    .call()
                    .await?;
            }
            Op::DcsListBackgroundTask => {
                let client = dcs::Client::from_config(config).unwrap();
                client
                    .list_background_task()
                    .project_id(PROJECT)
                    .instance_id(INSTANCE)
                    .offset(0)
                    .limit(10)
                    .start_time(utc(2020, 6, 9, 16, 0, 0))
                    .end_time(utc(2023, 6, 12, 15, 59, 59))
                    .call()
                    .await?;
            }
            Op::RabbitmqListBackgroundTasks => {
                let client = rabbitmq::Client::from_config(config).unwrap();
                client
                    .list_background_tasks()
                    .project_id(PROJECT)
                    .instance_id(INSTANCE)
                    .start(1)
                    .limit(10)
                    .begin_time(utc(2020, 6, 9, 16, 0, 0))
                    .end_time(utc(2020, 6, 17, 15, 59, 59))
                    .call()
                    .await?;
            }
            Op::OpengaussListTasks => {
                let client = opengauss::Client::from_config(config).unwrap();
                client
                    .list_tasks()
                    .project_id(PROJECT)
                    .x_language(opengauss::types::ListTasksXLanguage::ZhCn)
                    .status(opengauss::types::TaskStatus::Running)
                    // `name` takes any string: space, '+', '*' and '~'
                    // exercise every special case of the query encoding.
                    .name("Create Instance+x*~")
                    .start_time(utc(2022, 8, 5, 0, 0, 0))
                    .end_time(utc(2022, 8, 9, 0, 0, 0))
                    .offset(0)
                    .limit(10)
                    .call()
                    .await?;
            }
        }
        Ok(())
    }

    /// Calls the operation with `credentials` and returns what the server got.
    async fn request_with(self, credentials: Credentials) -> Request {
        let server = server().await;
        let config = Config::new(credentials).endpoint(server.uri());
        self.call(&config)
            .await
            .unwrap_or_else(|e| panic!("{self:?}: {e}"));
        only_request(&server).await
    }
}

/// Neither the secret key nor (outside its own header) a token is on the wire.
fn assert_no_secret_on_the_wire(context: &str, request: &Request) {
    let url = request.url.as_str();
    for secret in [SK, SECURITY_TOKEN, IAM_TOKEN] {
        assert!(!url.contains(secret), "{context}: secret in the URL {url}");
    }
    for (name, value) in &request.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        assert!(
            !value.contains(SK),
            "{context}: secret key in header {name}"
        );
        if name.as_str() != "x-security-token" {
            assert!(
                !value.contains(SECURITY_TOKEN),
                "{context}: token in {name}"
            );
        }
        if name.as_str() != "x-auth-token" {
            assert!(!value.contains(IAM_TOKEN), "{context}: IAM token in {name}");
        }
    }
}

// ---------------------------------------------------------------------------
// AK/SK.
// ---------------------------------------------------------------------------

/// Whether `path` is an instance of the template `template`: the same
/// literal segments, and a non-empty segment for each `{parameter}`.
fn fills(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template.iter().zip(&path).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// Every operation of every service (the table `tests/build.rs` writes from
/// the published documents, required parameters set to their examples):
/// the request that arrives verifies against the official algorithm, with
/// the wire query in canonical order, and carries no secret.
#[tokio::test]
async fn aksk_signature_verifies_on_the_received_request_for_every_operation() {
    let all = operations::all();
    assert!(!all.is_empty());
    for op in all {
        let context = op.label();
        let server = server().await;
        let config = Config::new(aksk()).endpoint(server.uri());
        // Only the request matters here: whatever the answer decodes to.
        let _ = (op.call)(Endpoint::new(&config, op.service(), None)).await;
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), op.method, "{context}");
        assert!(
            fills(op.path, request.url.path()),
            "{context}: {} is not {}",
            request.url.path(),
            op.path
        );
        let auth = verify_signature(&context, &request, AK, SK);
        let keys: Vec<String> = query_pairs(&request).into_iter().map(|(k, _)| k).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            keys, sorted,
            "{context}: the wire query is in canonical order"
        );
        assert_eq!(header(&request, "x-auth-token"), None, "{context}");
        assert_eq!(header(&request, "x-security-token"), None, "{context}");
        if op.path.contains("{project_id}") {
            assert!(
                auth.signed_headers.iter().any(|h| h == "x-project-id"),
                "{context}: the request's project goes in a signed X-Project-Id"
            );
        }
        assert_eq!(header(&request, "api-version"), None, "{context}");
        assert_no_secret_on_the_wire(&context, &request);
    }
}

/// Every operation called with every parameter its document gives an
/// example for, optional ones included (`tests/build.rs` writes the calls):
/// each value arrives where the spec puts it (path segment, query pair,
/// header) exactly as set, and the request still verifies.
#[tokio::test]
async fn every_documented_parameter_arrives_as_set_for_every_operation() {
    let (mut checked, mut optional) = (0, 0);
    for op in operations::all() {
        let context = op.label();
        let server = server().await;
        let config = Config::new(aksk()).endpoint(server.uri());
        let outcome = (op.call_every)(Endpoint::new(&config, op.service(), None)).await;
        if let Err(e) = &outcome {
            // Only an answer that does not decode is acceptable here.
            assert!(
                e.status().is_some(),
                "{context}: refused before sending: {e}"
            );
        }
        let request = only_request(&server).await;
        verify_signature(&context, &request, AK, SK);
        let query = query_pairs(&request);
        let template: Vec<&str> = op.path.split('/').collect();
        let path: Vec<&str> = request.url.path().split('/').collect();
        for (location, name, value) in op.sent {
            let place = format!("{context}: {location} parameter {name}");
            match *location {
                "query" => assert!(
                    query.contains(&(name.to_string(), value.to_string())),
                    "{place}: {value:?} not in {query:?}"
                ),
                "header" => assert_eq!(header(&request, name), Some(*value), "{place}"),
                "path" => {
                    let at = template
                        .iter()
                        .position(|t| *t == format!("{{{name}}}"))
                        .unwrap_or_else(|| panic!("{place}: not in {}", op.path));
                    assert_eq!(path.get(at), Some(value), "{place}");
                }
                other => panic!("{place}: unexpected location {other}"),
            }
            checked += 1;
            let table = op.table();
            if table.params.iter().any(|p| p.name == *name && !p.required) {
                optional += 1;
            }
        }
    }
    // The table reaches every place a parameter travels, optional ones too.
    for location in ["path", "query", "header"] {
        assert!(
            operations::all()
                .iter()
                .any(|op| op.sent.iter().any(|(l, _, _)| *l == location)),
            "no {location} parameter with an example"
        );
    }
    assert!(optional > 0, "{checked} values, none optional");
}

#[tokio::test]
async fn aksk_signature_verifies_for_lists_called_with_every_argument() {
    for op in Op::ALL {
        let context = format!("{op:?}");
        let request = op.request_with(aksk()).await;
        assert_eq!(request.method.as_str(), "GET", "{context}");
        assert_eq!(request.url.path(), op.path(), "{context}");
        let auth = verify_signature(&context, &request, AK, SK);
        assert_eq!(
            request.url.query(),
            Some(op.canonical_query()),
            "{context}: wire query"
        );
        assert_eq!(header(&request, "x-auth-token"), None, "{context}");
        assert_eq!(header(&request, "x-security-token"), None, "{context}");
        assert_eq!(
            header(&request, "x-project-id"),
            Some(PROJECT),
            "{context}: the request's project goes in a signed X-Project-Id"
        );
        assert!(
            auth.signed_headers.iter().any(|h| h == "x-project-id"),
            "{context}"
        );
        assert_eq!(header(&request, "api-version"), None, "{context}");
        assert!(
            auth.signed_headers.iter().any(|h| h == "accept"),
            "{context}: every header present at signing time is signed: {:?}",
            auth.signed_headers
        );
        assert_no_secret_on_the_wire(&context, &request);
    }
}

#[tokio::test]
async fn opengauss_x_language_is_signed() {
    let request = Op::OpengaussListTasks.request_with(aksk()).await;
    let auth = verify_signature("ListTasks", &request, AK, SK);
    assert_eq!(header(&request, "x-language"), Some("zh-cn"));
    assert!(
        auth.signed_headers.iter().any(|h| h == "x-language"),
        "{:?}",
        auth.signed_headers
    );
}

#[tokio::test]
async fn query_with_space_plus_star_and_tilde_is_sent_canonical() {
    let request = Op::OpengaussListTasks.request_with(aksk()).await;
    verify_signature("ListTasks", &request, AK, SK);
    let query = request.url.query().unwrap();
    assert_eq!(query, Op::OpengaussListTasks.canonical_query());
    assert!(
        !query.contains('+'),
        "a '+' in the wire query means a space to some decoders and '+' to others: {query}"
    );
    let name: Vec<String> = request
        .url
        .query_pairs()
        .filter(|(k, _)| k == "name")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(
        name,
        ["Create Instance+x*~"],
        "the server reads the value back"
    );
}

#[tokio::test]
async fn temporary_project_credentials_send_and_sign_their_headers() {
    for op in Op::ALL {
        let context = format!("{op:?} with security token and project id");
        let request = op.request_with(temporary_project_aksk()).await;
        let auth = verify_signature(&context, &request, AK, SK);
        assert_eq!(
            header(&request, "x-security-token"),
            Some(SECURITY_TOKEN),
            "{context}"
        );
        assert_eq!(
            header(&request, "x-project-id"),
            Some(CREDENTIAL_PROJECT),
            "{context}"
        );
        for name in ["x-security-token", "x-project-id"] {
            assert!(
                auth.signed_headers.iter().any(|h| h == name),
                "{context}: {name} is not signed: {:?}",
                auth.signed_headers
            );
        }
        assert_eq!(request.url.query(), Some(op.canonical_query()), "{context}");
        assert_no_secret_on_the_wire(&context, &request);
    }
}

#[tokio::test]
async fn verification_fails_on_a_wrong_key_or_an_altered_request() {
    // The checker itself must be able to fail.
    let request = Op::DcsListCenterTask.request_with(aksk()).await;
    verify_signature("original", &request, AK, SK);
    let received = header(&request, "authorization").unwrap().to_owned();
    let auth = parse_authorization(&received);
    let headers: Vec<(&str, &str)> = auth
        .signed_headers
        .iter()
        .map(|n| (n.as_str(), header(&request, n).unwrap()))
        .collect();
    let sdk_date = header(&request, "x-sdk-date").unwrap();
    let host = header(&request, "host").unwrap();

    let url = Url::parse(&format!("http://{host}{}", path_and_query(&request))).unwrap();
    let wrong_key = sign_parts("GET", &url, &headers, b"", sdk_date, AK, "another-secret").unwrap();
    assert_ne!(wrong_key.authorization, received);

    let altered = Url::parse(&format!(
        "http://{host}{}",
        path_and_query(&request).replace("limit=10", "limit=11")
    ))
    .unwrap();
    let altered = sign_parts("GET", &altered, &headers, b"", sdk_date, AK, SK).unwrap();
    assert_ne!(altered.authorization, received);
}

#[tokio::test]
async fn each_request_is_signed_afresh() {
    let server = server().await;
    let config = Config::new(aksk()).endpoint(server.uri());
    let client = dcs::Client::from_config(&config).unwrap();
    for limit in [10, 20] {
        client
            .list_center_task()
            .project_id(PROJECT)
            .limit(limit)
            .call()
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for (i, request) in requests.iter().enumerate() {
        verify_signature(&format!("request {i}"), request, AK, SK);
    }
    assert_ne!(
        header(&requests[0], "authorization"),
        header(&requests[1], "authorization")
    );
}

// ---------------------------------------------------------------------------
// IAM token.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn iam_token_is_sent_instead_of_a_signature() {
    for op in Op::ALL {
        let context = format!("{op:?} with an IAM token");
        let request = op
            .request_with(Credentials::iam_token(IAM_TOKEN).unwrap())
            .await;
        assert_eq!(
            header(&request, "x-auth-token"),
            Some(IAM_TOKEN),
            "{context}"
        );
        assert_eq!(header(&request, "authorization"), None, "{context}");
        assert_eq!(header(&request, "x-sdk-date"), None, "{context}");
        assert_eq!(header(&request, "x-project-id"), None, "{context}");
        assert_eq!(request.url.path(), op.path(), "{context}");
        assert_no_secret_on_the_wire(&context, &request);
    }
}

#[tokio::test]
async fn iam_token_with_project_sends_x_project_id() {
    let credentials: Credentials = IamTokenCredentials::new(IAM_TOKEN)
        .unwrap()
        .with_project_id(CREDENTIAL_PROJECT)
        .into();
    let request = Op::RabbitmqListBackgroundTasks
        .request_with(credentials)
        .await;
    assert_eq!(header(&request, "x-auth-token"), Some(IAM_TOKEN));
    assert_eq!(header(&request, "x-project-id"), Some(CREDENTIAL_PROJECT));
    assert_eq!(header(&request, "authorization"), None);
}

// ---------------------------------------------------------------------------
// Redaction.
// ---------------------------------------------------------------------------

fn assert_redacted(what: &str, text: &str) {
    for secret in [SK, SECURITY_TOKEN, IAM_TOKEN] {
        assert!(
            !text.contains(secret),
            "{what} prints a secret ({secret}): {text}"
        );
    }
}

#[tokio::test]
async fn debug_output_never_contains_secrets() {
    let iam: Credentials = IamTokenCredentials::new(IAM_TOKEN)
        .unwrap()
        .with_project_id(CREDENTIAL_PROJECT)
        .into();
    for credentials in [aksk(), temporary_project_aksk(), iam] {
        let config = Config::new(credentials.clone()).endpoint("http://127.0.0.1:9");
        assert_redacted("Credentials", &format!("{credentials:?} {credentials:#?}"));
        assert_redacted("Config", &format!("{config:?} {config:#?}"));
        let dcs = dcs::Client::from_config(&config).unwrap();
        let rabbit = rabbitmq::Client::from_config(&config).unwrap();
        let gauss = opengauss::Client::from_config(&config).unwrap();
        assert_redacted("dcs::Client", &format!("{dcs:?} {dcs:#?}"));
        assert_redacted("rabbitmq::Client", &format!("{rabbit:?}"));
        assert_redacted("opengauss::Client", &format!("{gauss:?}"));
        let builder = dcs.list_center_task().project_id(PROJECT);
        assert_redacted("a request builder", &format!("{builder:?}"));
    }
    // The Debug output still says something useful.
    let debug = format!("{:?}", Config::new(temporary_project_aksk()));
    assert!(debug.contains(AK), "{debug}");
    assert!(debug.contains(CREDENTIAL_PROJECT), "{debug}");
}

#[tokio::test]
async fn errors_of_signed_calls_never_contain_secrets() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(
                    br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}"#
                        .to_vec(),
                    "application/json",
                )
                .insert_header("X-Request-Id", "req-401"),
        )
        .mount(&server)
        .await;
    let config = Config::new(temporary_project_aksk()).endpoint(server.uri());
    let client = dcs::Client::from_config(&config).unwrap();
    let err = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.request_id(), Some("req-401"));
    assert_redacted("Error", &format!("{err} {err:?}"));

    // A transport failure (nothing listening) carries reqwest's error text.
    let closed = Config::new(temporary_project_aksk()).endpoint("http://127.0.0.1:9");
    let client = dcs::Client::from_config(&closed).unwrap();
    let err = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{err}"
    );
    let mut chain = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert_redacted("transport Error and its sources", &chain);
}

// ---------------------------------------------------------------------------
// Paths and queries that need encoding.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn non_ascii_query_value_is_sent_canonical_and_verifies() {
    let server = server().await;
    let config = Config::new(aksk()).endpoint(server.uri());
    let client = opengauss::Client::from_config(&config).unwrap();
    client
        .list_tasks()
        .project_id(PROJECT)
        .name("创建实例 x")
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    verify_signature("non-ASCII name", &request, AK, SK);
    assert_eq!(
        request.url.query(),
        Some("name=%E5%88%9B%E5%BB%BA%E5%AE%9E%E4%BE%8B%20x")
    );
}

#[tokio::test]
async fn path_parameter_needing_encoding_verifies() {
    let instance = "inst 1+2:é";
    let server = server().await;
    let config = Config::new(aksk()).endpoint(server.uri());
    let client = dcs::Client::from_config(&config).unwrap();
    client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id(instance)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    verify_signature("instance id with special characters", &request, AK, SK);
    let segments: Vec<String> = request
        .url
        .path_segments()
        .unwrap()
        .map(percent_decode)
        .collect();
    assert_eq!(segments, ["v2", PROJECT, "instances", instance, "tasks"]);
}

#[tokio::test]
async fn endpoint_with_a_path_prefix_is_signed_with_the_full_path() {
    let server = server().await;
    let config =
        Config::new(temporary_project_aksk()).endpoint(format!("{}/gateway/", server.uri()));
    let client = dcs::Client::from_config(&config).unwrap();
    client
        .list_center_task()
        .project_id(PROJECT)
        .limit(5)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), format!("/gateway/v2/{PROJECT}/tasks"));
    verify_signature("endpoint with a path prefix", &request, AK, SK);
}

/// Decodes `%XX` escapes (UTF-8).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("the path is UTF-8")
}
