//! Argument validation before anything is sent.
//!
//! An argument that breaks a documented constraint must come back as
//! `ErrorKind::InvalidArgument`, with a message naming the parameter, the
//! value and what is allowed, and the server must not see a single request.
//! Values at the documented bounds must go through.

use huaweicloud_tasks::{Config, Error, ErrorKind, dcs, opengauss, rabbitmq};
use wiremock::MockServer;

use workspace_tests::wire::{
    INSTANCE, PROJECT, empty_page_server as server, pairs, query_pairs, received, utc,
};

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn config(server: &MockServer) -> Config {
    Config::anonymous().endpoint(server.uri())
}

/// Whether `value` occurs in `text` as a whole token (not as part of a
/// longer number or word), so that the value `0` is not found in `1..=1000`.
fn mentions_token(text: &str, value: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(value).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let starts_number = value.starts_with(|c: char| c.is_ascii_digit() || c == '-');
        before.is_none_or(|c| !(is_word(c) || (starts_number && c == '.')))
            && after.is_none_or(|c| !is_word(c))
    })
}

/// A refused argument: the right kind, nothing sent, and a message that
/// names the parameter, the value and what is allowed.
async fn assert_refused(
    server: &MockServer,
    result: Result<(), Error>,
    operation: &str,
    parameter: &str,
    value: &str,
    allowed: &str,
) {
    let err = result.expect_err("the argument must be refused");
    let context = format!("{operation} {parameter}={value:?}");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{context}: {err}");
    assert_eq!(err.operation(), operation, "{context}");
    assert_eq!(err.attempts(), 0, "{context}: nothing was sent");
    assert_eq!(err.status(), None, "{context}");
    assert_eq!(err.body(), None, "{context}");
    let message = err.message();
    assert!(
        mentions_token(message, parameter),
        "{context}: the message does not name the parameter: {message}"
    );
    assert!(
        mentions_token(message, value),
        "{context}: the message does not name the value: {message}"
    );
    assert!(
        message.contains(allowed),
        "{context}: the message does not say what is allowed ({allowed}): {message}"
    );
    let line = err.to_string();
    assert!(!line.contains('\n'), "{context}: {line:?}");
    assert!(line.contains(parameter), "{context}: {line}");
    let requests = received(server).await;
    assert!(
        requests.is_empty(),
        "{context}: the server received {} request(s): {requests:#?}",
        requests.len()
    );
}

// ---------------------------------------------------------------------------
// Refused arguments.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dcs_task_center_limit_below_1_is_refused() {
    let server = server().await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_center_task()
        .project_id(PROJECT)
        .limit(0)
        .call()
        .await
        .map(drop);
    assert_refused(&server, result, "ListCenterTask", "limit", "0", "1..=1000").await;
}

#[tokio::test]
async fn dcs_task_center_limit_above_1000_is_refused() {
    let server = server().await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_center_task()
        .project_id(PROJECT)
        .limit(1001)
        .call()
        .await
        .map(drop);
    assert_refused(
        &server,
        result,
        "ListCenterTask",
        "limit",
        "1001",
        "1..=1000",
    )
    .await;
}

#[tokio::test]
async fn dcs_negative_offset_is_refused() {
    let server = server().await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_center_task()
        .project_id(PROJECT)
        .offset(-1)
        .call()
        .await
        .map(drop);
    assert_refused(&server, result, "ListCenterTask", "offset", "-1", ">= 0").await;

    let result = client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .offset(-5)
        .call()
        .await
        .map(drop);
    assert_refused(
        &server,
        result,
        "ListBackgroundTask",
        "offset",
        "-5",
        ">= 0",
    )
    .await;
}

#[tokio::test]
async fn opengauss_limit_above_100_is_refused() {
    let server = server().await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_tasks()
        .project_id(PROJECT)
        .limit(101)
        .call()
        .await
        .map(drop);
    assert_refused(&server, result, "ListTasks", "limit", "101", "1..=100").await;
}

#[tokio::test]
async fn opengauss_negative_offset_is_refused() {
    let server = server().await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_tasks()
        .project_id(PROJECT)
        .offset(-1)
        .call()
        .await
        .map(drop);
    assert_refused(
        &server,
        result,
        "ListTasks",
        "offset",
        "-1",
        "0..=2147483647",
    )
    .await;
}

#[tokio::test]
async fn opengauss_time_before_1970_is_refused() {
    // Milliseconds before the epoch are negative, which the pattern refuses.
    let server = server().await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    let result = client
        .list_tasks()
        .project_id(PROJECT)
        .start_time(utc(1969, 12, 31, 0, 0, 0))
        .call()
        .await
        .map(drop);
    assert_refused(
        &server,
        result,
        "ListTasks",
        "start_time",
        "-86400000",
        "^[0-9]{1,13}$",
    )
    .await;
}

#[tokio::test]
async fn values_no_source_constrains_are_sent_as_given() {
    // No page, definition or SDK bounds RabbitMQ's `start` and `limit` or
    // says what shape an openGauss project or job id has: the service decides.
    let server = server().await;
    let rabbit = rabbitmq::Client::from_config(&config(&server)).unwrap();
    rabbit
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(0)
        .limit(0)
        .call()
        .await
        .expect("sent");
    let gauss = opengauss::Client::from_config(&config(&server)).unwrap();
    let odd = "a4d31cb6-3d72-4fdc-8ec9-6e3a41e4";
    gauss
        .list_tasks()
        .project_id(odd)
        .call()
        .await
        .expect("sent");
    // Nor that an openGauss job id is a UUID (the spec once required one).
    let job = "JOB-20261201-0001";
    let _ = gauss
        .show_job_detail()
        .project_id(PROJECT)
        .id(job)
        .call()
        .await;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let query = query_pairs(&requests[0]);
    assert!(query.contains(&("start".into(), "0".into())), "{query:?}");
    assert!(query.contains(&("limit".into(), "0".into())), "{query:?}");
    assert!(requests[1].url.path().contains(odd), "{}", requests[1].url);
    let query = query_pairs(&requests[2]);
    assert!(query.contains(&("id".into(), job.into())), "{query:?}");
}

#[tokio::test]
async fn empty_path_parameters_are_refused() {
    let server = server().await;
    let dcs = dcs::Client::from_config(&config(&server)).unwrap();
    let err = dcs
        .list_center_task()
        .project_id("")
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.message().contains("project_id"), "{}", err.message());

    let rabbit = rabbitmq::Client::from_config(&config(&server)).unwrap();
    let err = rabbit
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id("")
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.message().contains("instance_id"), "{}", err.message());
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_missing_required_argument_is_refused() {
    let server = server().await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let err = client
        .list_center_task()
        .limit(10)
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(err.operation(), "ListCenterTask");
    assert!(err.message().contains("project_id"), "{}", err.message());
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------
// Values at the bounds go through.
// ---------------------------------------------------------------------------

/// The decoded query pairs of the one request received, sorted.
async fn sent_query(server: &MockServer) -> Vec<(String, String)> {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "{requests:#?}");
    query_pairs(&requests[0])
}

#[tokio::test]
async fn dcs_task_center_limits_at_the_bounds_are_sent() {
    for limit in [1, 1000] {
        let server = server().await;
        let client = dcs::Client::from_config(&config(&server)).unwrap();
        client
            .list_center_task()
            .project_id(PROJECT)
            .offset(0)
            .limit(limit)
            .call()
            .await
            .unwrap_or_else(|e| panic!("limit {limit}: {e}"));
        let limit = limit.to_string();
        assert_eq!(
            sent_query(&server).await,
            pairs(&[("offset", "0"), ("limit", &limit)])
        );
    }
}

#[tokio::test]
async fn opengauss_bounds_are_sent() {
    let server = server().await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    client
        .list_tasks()
        .project_id("0611f1bd8b00d5d32f17c017f15b599F")
        .limit(100)
        .offset(i32::MAX)
        .start_time(utc(1970, 1, 1, 0, 0, 0))
        .call()
        .await
        .unwrap();
    assert_eq!(
        sent_query(&server).await,
        pairs(&[
            ("limit", "100"),
            ("offset", "2147483647"),
            ("start_time", "0")
        ])
    );
}

#[tokio::test]
async fn rabbitmq_first_task_is_start_1() {
    let server = server().await;
    let client = rabbitmq::Client::from_config(&config(&server)).unwrap();
    client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(1)
        .limit(1)
        .call()
        .await
        .unwrap();
    assert_eq!(
        sent_query(&server).await,
        pairs(&[("start", "1"), ("limit", "1")])
    );
}
