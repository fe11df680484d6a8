//! Contract test: the generated client against Prism, a mock server written
//! elsewhere that serves a published document (`published/<service>/openapi.json`),
//! validates every request against it and answers with the document's examples.
//!
//! The tests are ignored by a plain `cargo test`: `.ci/contract-test` starts one
//! Prism mock per service, names each in `PRISM_<MODULE>_URL`, and runs them
//! with `--ignored`. Run without those variables, they fail.
//!
//! For every operation of the operation table (`workspace_tests::operations`,
//! required arguments at their examples), and for the first services' lists
//! with every argument as well: Prism accepts the request (an invalid one gets status 400 and an
//! `sl-violations` header), the response is 200 with the documented
//! `X-Request-Id`, and the example body decodes into the generated model and
//! means the same as the document's example. For every documented error status
//! (selected with Prism's `Prefer: code=<status>` request header, sent through a
//! client built on an HTTP client that adds it), the call fails with that status
//! and the example's error code, message and request id.

use chrono::{TimeZone, Utc};
use huaweicloud_tasks::{Config, Credentials, Error, RetryPolicy, dcs, opengauss, rabbitmq};
use serde_json::Value;

use workspace_tests::operations::{self, Endpoint};
use workspace_tests::wire::{INSTANCE, PROJECT, deref};

/// The URL of a running Prism mock; fails the test when it is not set.
fn prism_url(var: &str) -> String {
    match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
        _ => panic!("{var} is not set: `bash .ci/contract-test` starts Prism and runs this test"),
    }
}

fn config(url: &str) -> Config {
    Config::new(Credentials::access_key("AK", "SK").expect("credentials"))
        .endpoint(url)
        .retry(RetryPolicy::disabled())
}

/// An HTTP client asking Prism for the response with this status.
fn preferring(status: u16) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "prefer",
        reqwest::header::HeaderValue::from_str(&format!("code={status}")).unwrap(),
    );
    workspace_tests::plain_http_builder()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

/// The published document of a service, as Prism serves it.
fn published(service: &str) -> Value {
    let path = format!(
        "{}/../published/{service}/openapi.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("published document"))
        .expect("published JSON")
}

/// A documented response: its example body and `X-Request-Id` example.
struct Documented {
    body: Value,
    request_id: String,
}

fn responses(doc: &Value, path: &str, method: &str) -> Vec<(u16, Documented)> {
    let op = &doc["paths"][path][method];
    let mut out = Vec::new();
    for (code, response) in op["responses"].as_object().expect("responses") {
        let response = deref(doc, response);
        let header = deref(doc, &response["headers"]["X-Request-Id"]);
        out.push((
            code.parse().expect("numeric status"),
            Documented {
                body: response["content"]["application/json"]["example"].clone(),
                request_id: header["schema"]["example"]
                    .as_str()
                    .or_else(|| header["example"].as_str())
                    .expect("X-Request-Id example")
                    .to_string(),
            },
        ));
    }
    out
}

/// Whether a decoded and re-encoded body means the same as the example: the
/// same members (an example's `null` is an absent value), and scalars equal as
/// text (a count documented as `"1"` is re-encoded as `1`).
fn same(decoded: &Value, example: &Value, at: &str) -> Result<(), String> {
    match (decoded, example) {
        (Value::Object(d), Value::Object(e)) => {
            for (k, v) in e {
                let here = format!("{at}/{k}");
                match d.get(k) {
                    None if v.is_null() => {}
                    None => return Err(format!("{here}: missing after decoding")),
                    Some(dv) => same(dv, v, &here)?,
                }
            }
            match d.keys().find(|k| !e.contains_key(*k)) {
                Some(extra) => Err(format!("{at}/{extra}: not in the example")),
                None => Ok(()),
            }
        }
        (Value::Array(d), Value::Array(e)) if d.len() == e.len() => d
            .iter()
            .zip(e)
            .enumerate()
            .try_for_each(|(i, (dv, ev))| same(dv, ev, &format!("{at}/{i}"))),
        (d, e) if d == e || text(d) == text(e) => Ok(()),
        (d, e) => Err(format!("{at}: decoded {d}, documented {e}")),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A call's result as status, headers and the decoded body encoded again.
macro_rules! reencoded {
    ($result:expr) => {
        $result.map(|response| {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = serde_json::to_value(response.into_inner()).expect("re-encode");
            Reply {
                status,
                headers,
                body,
            }
        })
    };
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

/// Checks a successful call: Prism accepted the request and answered 200 with
/// the documented example and request id.
fn assert_accepted(call: &str, result: Result<Reply, Error>, documented: &[(u16, Documented)]) {
    let response = match result {
        Ok(r) => r,
        Err(e) => panic!(
            "{call}: {e} (status {:?}, body {:?}); Prism answers 400 with an \
             `sl-violations` header when the request does not match the document, \
             and its log names the violations",
            e.status(),
            e.body().map(String::from_utf8_lossy)
        ),
    };
    assert_eq!(response.status, 200, "{call}");
    assert!(
        response.headers.get("sl-violations").is_none(),
        "{call}: Prism reports violations: {:?}",
        response.headers.get("sl-violations")
    );
    let (_, ok) = documented
        .iter()
        .find(|(code, _)| *code == 200)
        .expect("a documented 200");
    assert_eq!(
        response
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some(ok.request_id.as_str()),
        "{call}: X-Request-Id"
    );
    if let Err(difference) = same(&response.body, &ok.body, "") {
        panic!("{call}: the example decodes into something else: {difference}");
    }
}

/// Checks a failed call against a documented error response.
fn assert_documented_error<T: std::fmt::Debug>(
    call: &str,
    status: u16,
    result: Result<T, Error>,
    documented: &Documented,
) {
    let error = match result {
        Ok(v) => panic!("{call}: expected status {status}, got success {v:?}"),
        Err(e) => e,
    };
    assert_eq!(error.status(), Some(status), "{call}: {error}");
    assert_eq!(
        error.error_code(),
        documented.body["error_code"].as_str(),
        "{call}: error code ({error})"
    );
    assert_eq!(
        error.message(),
        documented.body["error_msg"].as_str().unwrap_or_default(),
        "{call}: message"
    );
    assert_eq!(
        error.request_id(),
        Some(documented.request_id.as_str()),
        "{call}: request id"
    );
    assert!(
        error.body().is_some_and(|b| !b.is_empty()),
        "{call}: raw body kept"
    );
}

fn since() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 6, 9, 16, 0, 0).single().unwrap()
}

fn until() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 6, 12, 15, 59, 59)
        .single()
        .unwrap()
}

/// Prism really validates: a request outside the document is answered 400
/// with its violations (sent without the client, which would refuse it).
async fn assert_prism_rejects(url: &str, path_and_query: &str) {
    let response = workspace_tests::plain_http_builder()
        .build()
        .expect("HTTP client")
        .get(format!("{url}{path_and_query}"))
        .header(
            "authorization",
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0",
        )
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(response.status().as_u16(), 400, "{path_and_query}");
    assert!(
        response.headers().get("sl-violations").is_some(),
        "{path_and_query}: Prism names the violations"
    );
}

/// Every operation of every service (the operation table, required
/// arguments at their documented examples) against its service's Prism:
/// accepted, its documented success example decoded to the same meaning,
/// and each documented error status read with its code, message and
/// request id.
#[tokio::test]
#[ignore = "needs Prism: run by .ci/contract-test"]
async fn every_operation_against_prism() {
    let all = operations::all();
    assert!(!all.is_empty());
    for op in all {
        let label = op.label();
        let url = prism_url(&format!("PRISM_{}_URL", op.module.to_uppercase()));
        let documented = responses(&published(op.module), op.path, &op.method.to_lowercase());
        let endpoint = |http| Endpoint::new(&config(&url), op.service(), http);
        let value = (op.call)(endpoint(None)).await.unwrap_or_else(|e| {
            panic!(
                "{label}: {e} (status {:?}, body {:?}); Prism answers 400 with an \
                 `sl-violations` header when the request does not match the document",
                e.status(),
                e.body().map(String::from_utf8_lossy)
            )
        });
        let (_, ok) = documented
            .iter()
            .find(|(code, _)| *code == op.status)
            .unwrap_or_else(|| panic!("{label}: no documented {}", op.status));
        if op.has_body
            && let Err(difference) = same(&value, &ok.body, "")
        {
            panic!("{label}: the example decodes into something else: {difference}");
        }
        for (status, error) in documented.iter().filter(|(code, _)| *code >= 400) {
            let result = (op.call)(endpoint(Some(preferring(*status)))).await;
            assert_documented_error(&format!("{label} {status}"), *status, result, error);
        }
    }
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/contract-test"]
async fn dcs_operations_against_prism() {
    let url = prism_url("PRISM_DCS_URL");
    let doc = published("dcs");
    let client = dcs::Client::from_config(&config(&url)).expect("client");
    let center = responses(&doc, "/v2/{project_id}/tasks", "get");
    let instance = responses(
        &doc,
        "/v2/{project_id}/instances/{instance_id}/tasks",
        "get",
    );

    let result = client.list_center_task().project_id(PROJECT).call().await;
    assert_accepted(
        "ListCenterTask (required only)",
        reencoded!(result),
        &center,
    );
    let result = client
        .list_center_task()
        .project_id(PROJECT)
        .offset(0)
        .limit(10)
        .start_time(since())
        .end_time(until())
        .call()
        .await;
    assert_accepted(
        "ListCenterTask (every argument)",
        reencoded!(result),
        &center,
    );

    let result = client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .call()
        .await;
    assert_accepted(
        "ListBackgroundTask (required only)",
        reencoded!(result),
        &instance,
    );
    let result = client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .offset(0)
        .limit(10)
        .start_time(since())
        .end_time(until())
        .call()
        .await;
    assert_accepted(
        "ListBackgroundTask (every argument)",
        reencoded!(result),
        &instance,
    );

    let (base, _, context) = config(&url).build(&dcs::SERVICE).expect("config");
    for (status, documented) in center.iter().filter(|(s, _)| *s >= 400) {
        let client = dcs::Client::new_with_client(&base, preferring(*status), context.clone());
        let result = client.list_center_task().project_id(PROJECT).call().await;
        assert_documented_error("ListCenterTask", *status, result, documented);
    }
    for (status, documented) in instance.iter().filter(|(s, _)| *s >= 400) {
        let client = dcs::Client::new_with_client(&base, preferring(*status), context.clone());
        let result = client
            .list_background_task()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .call()
            .await;
        assert_documented_error("ListBackgroundTask", *status, result, documented);
    }

    assert_prism_rejects(&url, &format!("/v2/{PROJECT}/tasks?limit=5000")).await;
    assert_prism_rejects(&url, &format!("/v2/{PROJECT}/tasks?start_time=2020-06-09")).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/contract-test"]
async fn rabbitmq_operations_against_prism() {
    let url = prism_url("PRISM_RABBITMQ_URL");
    let doc = published("rabbitmq");
    let client = rabbitmq::Client::from_config(&config(&url)).expect("client");
    let tasks = responses(
        &doc,
        "/v2/{project_id}/instances/{instance_id}/tasks",
        "get",
    );

    let result = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .call()
        .await;
    assert_accepted(
        "ListBackgroundTasks (required only)",
        reencoded!(result),
        &tasks,
    );
    let result = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(1)
        .limit(10)
        .begin_time(since())
        .end_time(until())
        .call()
        .await;
    assert_accepted(
        "ListBackgroundTasks (every argument)",
        reencoded!(result),
        &tasks,
    );

    let (base, _, context) = config(&url).build(&rabbitmq::SERVICE).expect("config");
    for (status, documented) in tasks.iter().filter(|(s, _)| *s >= 400) {
        let client = rabbitmq::Client::new_with_client(&base, preferring(*status), context.clone());
        let result = client
            .list_background_tasks()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .call()
            .await;
        assert_documented_error("ListBackgroundTasks", *status, result, documented);
    }

    assert_prism_rejects(
        &url,
        &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks?begin_time=yesterday"),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/contract-test"]
async fn opengauss_operations_against_prism() {
    let url = prism_url("PRISM_OPENGAUSS_URL");
    let doc = published("opengauss");
    let client = opengauss::Client::from_config(&config(&url)).expect("client");
    let tasks = responses(&doc, "/v3/{project_id}/tasks", "get");

    let result = client.list_tasks().project_id(PROJECT).call().await;
    assert_accepted("ListTasks (required only)", reencoded!(result), &tasks);
    let result = client
        .list_tasks()
        .project_id(PROJECT)
        .x_language(opengauss::types::ListTasksXLanguage::EnUs)
        .status(opengauss::types::TaskStatus::Running)
        .name(opengauss::types::TaskName::CreateGaussDbv5Instance)
        .start_time(since())
        .end_time(until())
        .offset(0)
        .limit(10)
        .call()
        .await;
    assert_accepted("ListTasks (every argument)", reencoded!(result), &tasks);
    // An open list: a value the client does not know is still sent as is.
    let result = client
        .list_tasks()
        .project_id(PROJECT)
        .status(opengauss::types::TaskStatus::from("Paused".to_string()))
        .call()
        .await;
    assert_accepted(
        "ListTasks (unknown status value)",
        reencoded!(result),
        &tasks,
    );

    let (base, _, context) = config(&url).build(&opengauss::SERVICE).expect("config");
    for (status, documented) in tasks.iter().filter(|(s, _)| *s >= 400) {
        let client =
            opengauss::Client::new_with_client(&base, preferring(*status), context.clone());
        let result = client.list_tasks().project_id(PROJECT).call().await;
        assert_documented_error("ListTasks", *status, result, documented);
    }

    assert_prism_rejects(&url, &format!("/v3/{PROJECT}/tasks?start_time=yesterday")).await;
    assert_prism_rejects(&url, &format!("/v3/{PROJECT}/tasks?limit=101")).await;
}
