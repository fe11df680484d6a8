//! The generated client against a real HTTP server on loopback (wiremock).
//!
//! For every operation of every service (the operation table of
//! `workspace_tests::operations`): every documented error status comes back
//! as `ErrorKind::Service` with status, code, message, request id and raw
//! body. For the first services' lists, called with every argument: what
//! goes on the wire (method, path, query names and value formats, headers,
//! open-list values the spec does not know), that success bodies in every
//! shape the service sends decode, and that error bodies in the other shapes
//! the gateway uses are read. Every operation's success example is decoded in
//! `decode_every_operation.rs`, and its signed request checked in
//! `signing_wire.rs`.
//!
//! The documented statuses and their examples are read from the specs at test
//! time (through the generator's bundler), so a spec change is tested too.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use huaweicloud_tasks::{Config, Error, ErrorKind, dcs, opengauss, rabbitmq};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

use workspace_tests::operations::{self, Endpoint, Operation};
use workspace_tests::wire::{
    INSTANCE, PROJECT, deref, header, json_response, only_request, pairs, query_pairs, received,
    server_answering, utc,
};

// ---------------------------------------------------------------------------
// Helpers: time values, the mock server, the operations.
// ---------------------------------------------------------------------------

fn utc_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap()
}

/// What every operation sends: JSON accepted, no `api-version` header, no body.
fn assert_common_headers(request: &Request) {
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "api-version"),
        None,
        "the services do not want progenitor's api-version header"
    );
    assert!(request.body.is_empty(), "a GET must not carry a body");
    let agent = header(request, "user-agent").unwrap_or_default();
    assert!(
        agent.starts_with("huaweicloud-tasks-rust/"),
        "user agent {agent:?}"
    );
}

fn anonymous(server: &MockServer) -> Config {
    Config::anonymous().endpoint(server.uri())
}

/// The four operations, for tests that treat them alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The spec's operationId, which is also `Error::operation`.
    fn operation_id(self) -> &'static str {
        match self {
            Op::DcsListCenterTask => "ListCenterTask",
            Op::DcsListBackgroundTask => "ListBackgroundTask",
            Op::RabbitmqListBackgroundTasks => "ListBackgroundTasks",
            Op::OpengaussListTasks => "ListTasks",
        }
    }

    /// Calls the operation with its path parameters only and returns the
    /// decoded body re-encoded as JSON.
    async fn call(self, server: &MockServer) -> Result<Value, Error> {
        let config = anonymous(server);
        let body = match self {
            Op::DcsListCenterTask => {
                let client = dcs::Client::from_config(&config).unwrap();
                let r = client.list_center_task().project_id(PROJECT).call().await?;
                serde_json::to_value(r.into_inner())
            }
            Op::DcsListBackgroundTask => {
                let client = dcs::Client::from_config(&config).unwrap();
                let r = client
                    .list_background_task()
                    .project_id(PROJECT)
                    .instance_id(INSTANCE)
                    .call()
                    .await?;
                serde_json::to_value(r.into_inner())
            }
            Op::RabbitmqListBackgroundTasks => {
                let client = rabbitmq::Client::from_config(&config).unwrap();
                let r = client
                    .list_background_tasks()
                    .project_id(PROJECT)
                    .instance_id(INSTANCE)
                    .call()
                    .await?;
                serde_json::to_value(r.into_inner())
            }
            Op::OpengaussListTasks => {
                let client = opengauss::Client::from_config(&config).unwrap();
                let r = client.list_tasks().project_id(PROJECT).call().await?;
                serde_json::to_value(r.into_inner())
            }
        };
        Ok(body.expect("a decoded response serializes"))
    }
}

// ---------------------------------------------------------------------------
// Helpers: reading the specs.
// ---------------------------------------------------------------------------

/// A documented response of an operation and its JSON example.
#[derive(Debug)]
struct Documented {
    status: u16,
    example: Value,
}

/// Every documented response of `op` (from the spec, bundled now), with its
/// example (a response without one fails the test: every documented status
/// must be testable).
fn documented_responses(op: &Operation) -> Vec<Documented> {
    let document = workspace_tests::spec_document(&format!("{}.yaml", op.module));
    let operation = &document["paths"][op.path][op.method.to_lowercase()];
    let label = op.label();
    assert_eq!(
        operation["operationId"].as_str(),
        Some(op.name),
        "{label}: not in its spec at {} {}",
        op.method,
        op.path
    );
    let responses = operation["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{label} has no responses"));
    responses
        .iter()
        .map(|(status, response)| {
            let status: u16 = status
                .parse()
                .unwrap_or_else(|_| panic!("{label}: response key {status}"));
            let response = deref(&document, response);
            let media = &response["content"]["application/json"];
            let example = media
                .get("example")
                .cloned()
                .or_else(|| {
                    media["examples"]
                        .as_object()
                        .and_then(|m| m.values().next())
                        .map(|e| deref(&document, e)["value"].clone())
                })
                .unwrap_or(Value::Null);
            Documented { status, example }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// What goes on the wire.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dcs_list_center_task_request_on_the_wire() {
    let server = server_answering(json_response(200, &json!({"task_count": 0, "tasks": []}))).await;
    let client = dcs::Client::from_config(&anonymous(&server)).unwrap();
    let page = client
        .list_center_task()
        .project_id(PROJECT)
        .offset(0)
        .limit(10)
        .start_time(utc(2020, 6, 9, 16, 0, 0))
        .end_time(utc(2023, 6, 12, 15, 59, 59))
        .call()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.task_count.map(|c| c.get()), Some(0));

    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_eq!(request.url.path(), format!("/v2/{PROJECT}/tasks"));
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("offset", "0"),
            ("limit", "10"),
            ("start_time", "20200609160000"),
            ("end_time", "20230612155959"),
        ])
    );
    assert_eq!(header(&request, "x-language"), None);
}

#[tokio::test]
async fn dcs_list_background_task_sends_start_time_not_begin_time() {
    let server = server_answering(json_response(200, &json!({"task_count": "0"}))).await;
    let client = dcs::Client::from_config(&anonymous(&server)).unwrap();
    client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .offset(20)
        .limit(50)
        .start_time(utc(2020, 6, 9, 16, 0, 0))
        .end_time(utc(2020, 6, 17, 15, 59, 59))
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_eq!(
        request.url.path(),
        format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks")
    );
    let query = query_pairs(&request);
    assert_eq!(
        query,
        pairs(&[
            ("offset", "20"),
            ("limit", "50"),
            ("start_time", "20200609160000"),
            ("end_time", "20200617155959"),
        ])
    );
    assert!(
        !query.iter().any(|(k, _)| k == "begin_time"),
        "DCS instance tasks take start_time; the reference page's begin_time is wrong"
    );
}

#[tokio::test]
async fn rabbitmq_list_background_tasks_sends_start_and_begin_time() {
    let server = server_answering(json_response(200, &json!({"task_count": "0"}))).await;
    let client = rabbitmq::Client::from_config(&anonymous(&server)).unwrap();
    client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(1)
        .limit(10)
        .begin_time(utc(2020, 6, 9, 16, 0, 0))
        .end_time(utc(2020, 6, 17, 15, 59, 59))
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_eq!(
        request.url.path(),
        format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks")
    );
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("start", "1"),
            ("limit", "10"),
            ("begin_time", "20200609160000"),
            ("end_time", "20200617155959"),
        ])
    );
}

#[tokio::test]
async fn opengauss_list_tasks_sends_v3_path_millis_and_x_language() {
    let server = server_answering(json_response(200, &json!({"total_count": 0}))).await;
    let client = opengauss::Client::from_config(&anonymous(&server)).unwrap();
    client
        .list_tasks()
        .project_id(PROJECT)
        .x_language(opengauss::types::ListTasksXLanguage::ZhCn)
        .status(opengauss::types::TaskStatus::Running)
        .name(opengauss::types::TaskName::CreateGaussDbv5Instance)
        .start_time(utc(2022, 8, 5, 0, 0, 0))
        .end_time(utc_millis(1_660_003_200_123))
        .offset(0)
        .limit(10)
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_eq!(
        request.url.path(),
        format!("/v3/{PROJECT}/tasks"),
        "no /opengauss prefix: the service and the SDKs use /v3 directly"
    );
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("status", "Running"),
            ("name", "CreateGaussDBV5Instance"),
            ("start_time", "1659657600000"),
            ("end_time", "1660003200123"),
            ("offset", "0"),
            ("limit", "10"),
        ])
    );
    assert_eq!(header(&request, "x-language"), Some("zh-cn"));
}

#[tokio::test]
async fn unknown_open_enum_values_are_sent_as_given() {
    // The lists are open: a value the spec does not know yet (a new status,
    // a new task name) is still sent, exactly as the caller wrote it. Only
    // openGauss takes open lists as query parameters.
    let server = server_answering(json_response(200, &json!({"total_count": 0}))).await;
    let client = opengauss::Client::from_config(&anonymous(&server)).unwrap();
    let status = opengauss::types::TaskStatus::from("Paused".to_string());
    let name = opengauss::types::TaskName::from("RestartGaussDBV5Instance");
    assert!(status.is_unknown() && name.is_unknown());
    client
        .list_tasks()
        .project_id(PROJECT)
        .status(status)
        .name(name)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[("status", "Paused"), ("name", "RestartGaussDBV5Instance")])
    );
}

#[tokio::test]
async fn opengauss_x_language_en_us_is_sent_as_such() {
    let server = server_answering(json_response(200, &json!({"total_count": 0}))).await;
    let client = opengauss::Client::from_config(&anonymous(&server)).unwrap();
    client
        .list_tasks()
        .project_id(PROJECT)
        .x_language(opengauss::types::ListTasksXLanguage::EnUs)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-language"), Some("en-us"));
}

#[tokio::test]
async fn time_arguments_with_an_offset_are_sent_in_utc() {
    let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
    let local = beijing
        .with_ymd_and_hms(2020, 6, 10, 0, 0, 0)
        .single()
        .unwrap();

    let server = server_answering(json_response(200, &json!({}))).await;
    let dcs = dcs::Client::from_config(&anonymous(&server)).unwrap();
    dcs.list_center_task()
        .project_id(PROJECT)
        .start_time(local)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[("start_time", "20200609160000")])
    );

    let server = server_answering(json_response(200, &json!({}))).await;
    let gauss = opengauss::Client::from_config(&anonymous(&server)).unwrap();
    gauss
        .list_tasks()
        .project_id(PROJECT)
        .end_time(local)
        .call()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[("end_time", "1591718400000")])
    );
}

#[tokio::test]
async fn omitted_arguments_are_not_sent() {
    for op in Op::ALL {
        let server = server_answering(json_response(200, &json!({}))).await;
        op.call(&server)
            .await
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        let request = only_request(&server).await;
        assert_common_headers(&request);
        assert_eq!(request.url.query(), None, "{op:?} sent {}", request.url);
        assert_eq!(header(&request, "x-language"), None, "{op:?}");
        assert_eq!(header(&request, "authorization"), None, "{op:?}");
        assert_eq!(header(&request, "x-auth-token"), None, "{op:?}");
    }
}

// ---------------------------------------------------------------------------
// Success bodies (the specs' examples are decoded in decode_corpus.rs).
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dcs_tolerates_every_shape_the_service_sends() {
    let body = json!({
        "task_count": "1",
        "unknown_top_level_key": {"ignored": true},
        "tasks": [{
            "id": "t1",
            "name": "dcsImportJob",
            "status": "CANCELLED",
            "details": {
                "old_capacity": "0.125",
                "new_capacity": 1024,
                "old_cache_mode": "ha",
                "new_cache_mode": "ha_rw_split_v2",
                "old_replica_num": 2,
                "new_replica_num": 3,
                "enable_public_ip": false,
                "enable_ssl": true,
                "rename_commands": ["flushall", "keys"],
                "updated_config_length": 7,
                "something_new": [1, 2]
            },
            "created_at": "2023-06-17T08:18:06.597Z",
            "updated_at": null,
            "error_code": null,
            "enable_show": false
        }]
    });
    let server = server_answering(json_response(200, &body)).await;
    let client = dcs::Client::from_config(&anonymous(&server)).unwrap();
    let page = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap()
        .into_inner();

    assert_eq!(page.task_count.map(|c| c.get()), Some(1));
    let task = &page.tasks.as_deref().unwrap()[0];
    let name = task.name.as_ref().unwrap();
    assert!(name.is_unknown(), "{name:?}");
    assert_eq!(
        name.as_str(),
        "dcsImportJob",
        "unknown task names are kept as sent"
    );
    let status = task.status.as_ref().unwrap();
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "CANCELLED");
    assert_eq!(task.updated_at, None);
    assert_eq!(task.error_code, None);
    let details = task.details.as_ref().unwrap();
    assert_eq!(
        details.old_capacity.as_ref().map(|d| d.as_str()),
        Some("0.125")
    );
    assert_eq!(
        details.new_capacity.as_ref().map(|d| d.as_str()),
        Some("1024")
    );
    assert_eq!(details.old_cache_mode, Some(dcs::types::CacheMode::Ha));
    assert_eq!(
        details.new_cache_mode.as_ref().map(|m| m.as_str()),
        Some("ha_rw_split_v2")
    );
    assert_eq!(
        (details.old_replica_num, details.new_replica_num),
        (Some(2), Some(3))
    );
    assert_eq!(
        (details.enable_public_ip, details.enable_ssl),
        (Some(false), Some(true))
    );
    assert_eq!(
        details.rename_commands.as_deref(),
        Some(&["flushall".to_owned(), "keys".to_owned()][..])
    );
    assert_eq!(details.updated_config_length, Some(7));
}

#[tokio::test]
async fn an_undocumented_success_status_is_not_taken_for_a_page() {
    let server = server_answering(json_response(202, &json!({"task_count": 1}))).await;
    let err = Op::DcsListCenterTask.call(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(err.status(), Some(202));
    assert!(err.message().contains("202"), "{}", err.message());
}

// ---------------------------------------------------------------------------
// Error statuses and error bodies.
// ---------------------------------------------------------------------------

/// Checks everything a caller reads from a service error.
#[allow(clippy::too_many_arguments)]
fn assert_service_error(
    context: &str,
    err: &Error,
    operation: &str,
    status: u16,
    code: Option<&str>,
    message: &str,
    request_id: Option<&str>,
    body: &[u8],
    sent: usize,
) {
    assert_eq!(err.kind(), ErrorKind::Service, "{context}: {err}");
    assert_eq!(err.operation(), operation, "{context}");
    assert_eq!(err.status(), Some(status), "{context}");
    assert_eq!(err.error_code(), code, "{context}");
    assert_eq!(err.message(), message, "{context}");
    assert_eq!(err.request_id(), request_id, "{context}");
    assert_eq!(err.body(), Some(body), "{context}: raw body kept");
    // Retries (of 429 and 5xx only) are allowed; the count must be the truth.
    assert!(sent >= 1, "{context}: nothing reached the server");
    assert_eq!(
        err.attempts() as usize,
        sent,
        "{context}: attempts vs requests received"
    );
    if !matches!(status, 429 | 500..=599) {
        assert_eq!(sent, 1, "{context}: a client error must not be retried");
    }
    let line = err.to_string();
    assert!(
        !line.contains('\n') && !line.contains('\r'),
        "{context}: Display must be one line: {line:?}"
    );
    assert!(line.contains(operation), "{context}: {line}");
    assert!(line.contains(&status.to_string()), "{context}: {line}");
    if let Some(code) = code {
        assert!(line.contains(code), "{context}: {line}");
    }
    if let Some(id) = request_id {
        assert!(line.contains(id), "{context}: {line}");
    }
}

/// Every documented error status of every operation of every service (the
/// operation table), its example served with it: a service error with the
/// status, code, message and request id, and the raw body kept.
#[tokio::test]
async fn every_documented_error_status_is_a_service_error() {
    let mut checked = 0;
    for op in operations::all() {
        let errors: Vec<Documented> = documented_responses(op)
            .into_iter()
            .filter(|d| d.status >= 400)
            .collect();
        assert!(
            !errors.is_empty(),
            "{} documents no error status",
            op.label()
        );
        for documented in errors {
            let context = format!("{} status {}", op.label(), documented.status);
            assert!(
                documented.example.is_object(),
                "{context}: no application/json example"
            );
            let request_id = format!("req-{}-{}", op.name, documented.status);
            let body = serde_json::to_vec(&documented.example).unwrap();
            let server = server_answering(
                ResponseTemplate::new(documented.status)
                    .set_body_raw(body.clone(), "application/json")
                    .insert_header("X-Request-Id", request_id.as_str()),
            )
            .await;
            let config = anonymous(&server).retry(workspace_tests::wire::quick_retries());
            let err = (op.call)(Endpoint::new(&config, op.service(), None))
                .await
                .expect_err(&context);
            assert_service_error(
                &context,
                &err,
                op.name,
                documented.status,
                documented.example["error_code"].as_str(),
                documented.example["error_msg"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{context}: the example has no error_msg")),
                Some(&request_id),
                &body,
                received(&server).await.len(),
            );
            checked += 1;
        }
    }
    // Sanity: the specs document more than one error status per operation.
    assert!(checked >= 2 * operations::all().len(), "{checked}");
}

/// One error response the gateway or a service may send, and what the caller
/// must read from it.
struct ErrorCase {
    status: u16,
    body: &'static str,
    content_type: &'static str,
    request_id: Option<&'static str>,
    code: Option<&'static str>,
    message: &'static str,
}

const ERROR_CASES: &[ErrorCase] = &[
    ErrorCase {
        status: 401,
        body: r#"{"errorCode":"APIGW.0301","errorMsg":"Incorrect IAM authentication information: verify aksk signature fail"}"#,
        content_type: "application/json",
        request_id: Some("req-camel"),
        code: Some("APIGW.0301"),
        message: "Incorrect IAM authentication information: verify aksk signature fail",
    },
    ErrorCase {
        status: 404,
        body: r#"{"code":"DMS.10240404","message":"The instance does not exist."}"#,
        content_type: "application/json",
        request_id: Some("req-code-message"),
        code: Some("DMS.10240404"),
        message: "The instance does not exist.",
    },
    ErrorCase {
        status: 400,
        body: r#"{"code":400,"message":"limit is invalid"}"#,
        content_type: "application/json",
        request_id: Some("req-numeric-code"),
        code: Some("400"),
        message: "limit is invalid",
    },
    ErrorCase {
        status: 403,
        body: r#"{"error":{"code":"APIGW.0302","message":"The IAM user is forbidden in the current project."},"request_id":"x"}"#,
        content_type: "application/json",
        request_id: Some("req-nested"),
        code: Some("APIGW.0302"),
        message: "The IAM user is forbidden in the current project.",
    },
    ErrorCase {
        status: 429,
        body: r#"{"error":{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached."}}"#,
        content_type: "application/json",
        request_id: Some("req-nested-snake"),
        code: Some("APIGW.0308"),
        message: "The throttling threshold has been reached.",
    },
    ErrorCase {
        status: 403,
        body: r#"{"error_code":"APIGW.0302","error_msg":"Forbidden.","encoded_authorization_message":"vbnm1234"}"#,
        content_type: "application/json",
        request_id: Some("req-encoded"),
        code: Some("APIGW.0302"),
        message: "Forbidden.",
    },
    ErrorCase {
        status: 400,
        body: r#"{"error_code":"DCS.4001","error_msg":"first pair wins","code":"other","message":"other"}"#,
        content_type: "application/json",
        request_id: Some("req-precedence"),
        code: Some("DCS.4001"),
        message: "first pair wins",
    },
    ErrorCase {
        status: 400,
        body: r#"{"code":"TOP","message":"top level wins","error":{"error_code":"NESTED","error_msg":"nested"}}"#,
        content_type: "application/json",
        request_id: Some("req-top-first"),
        code: Some("TOP"),
        message: "top level wins",
    },
    ErrorCase {
        status: 502,
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>\n",
        content_type: "text/html",
        request_id: Some("req-html"),
        code: None,
        message: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    },
    ErrorCase {
        status: 503,
        body: "Service Unavailable\r\ntry again later",
        content_type: "text/plain",
        request_id: None,
        code: None,
        message: "Service Unavailable\r\ntry again later",
    },
    ErrorCase {
        status: 500,
        body: r#"{"unexpected":"shape"}"#,
        content_type: "application/json",
        request_id: Some("req-unknown-shape"),
        code: None,
        message: r#"{"unexpected":"shape"}"#,
    },
];

#[tokio::test]
async fn error_bodies_in_every_shape_are_read() {
    for (i, case) in ERROR_CASES.iter().enumerate() {
        // Spread the cases over the four operations.
        let op = Op::ALL[i % Op::ALL.len()];
        let mut template = ResponseTemplate::new(case.status)
            .set_body_raw(case.body.as_bytes().to_vec(), case.content_type);
        if let Some(id) = case.request_id {
            template = template.insert_header("X-Request-Id", id);
        }
        let server = server_answering(template).await;
        let err = op.call(&server).await.unwrap_err();
        assert_service_error(
            &format!("{op:?} with body {}", case.body),
            &err,
            op.operation_id(),
            case.status,
            case.code,
            case.message,
            case.request_id,
            case.body.as_bytes(),
            received(&server).await.len(),
        );
    }
}

#[tokio::test]
async fn retryable_statuses_are_flagged() {
    for (status, retryable) in [
        (400, false),
        (401, false),
        (404, false),
        (429, true),
        (500, true),
        (503, true),
    ] {
        let server = server_answering(json_response(
            status,
            &json!({"error_code": "E", "error_msg": "m"}),
        ))
        .await;
        let err = Op::RabbitmqListBackgroundTasks
            .call(&server)
            .await
            .unwrap_err();
        assert_eq!(err.is_retryable(), retryable, "status {status}: {err}");
    }
}
