//! Faults on the wire, scripted byte by byte on raw loopback sockets
//! (`workspace_tests::scripted`): connections reset before and after the
//! headers, bodies cut short (by `Content-Length` and mid-chunk), a body
//! longer than its `Content-Length`, answers dripped past the deadline,
//! redirects to another host, invalid UTF-8 and 10,000 levels of nesting.
//!
//! Every failure is checked for its kind, status, attempt count and what it
//! keeps (the raw body and the JSON path of a body that does not decode),
//! and no secret may appear in its `Display` or `Debug`. The reset tests run
//! over every operation of every service (`workspace_tests::operations`), so
//! whether a failed attempt is sent again follows each operation's
//! idempotency in the table.

use std::time::Duration;

use tokio::time::Instant;

use huaweicloud_tasks::auth::AccessKeyCredentials;
use huaweicloud_tasks::{Config, Credentials, Error, ErrorKind, dcs};
use workspace_tests::operations::{self, Endpoint};
use workspace_tests::scripted::{Conn, Scripted, head, json_ok};
use workspace_tests::wire::{PROJECT, quick_retries};

const AK: &str = "HPUAEXAMPLEAK0000009";
const SK: &str = "faultInjectionSecret/0123456789abcdef";
const TOKEN: &str = "faultInjectionSecurityToken+/=0123456789";
const IAM_TOKEN: &str = "MIIFaultInjectionIamTokenValue0123456789";
const REQUEST_ID: &str = "fault-request-0001";
/// A page whose `status` value a cut at [`CUT_IN_STATUS`] bytes splits.
const PAGE: &str = r#"{"task_count": "1", "tasks": [{"id": "t-1", "status": "SUCCESS"}]}"#;
const CUT_IN_STATUS: usize = 58;

fn credentials() -> Credentials {
    AccessKeyCredentials::new(AK, SK)
        .unwrap()
        .with_security_token(TOKEN)
        .into()
}

fn config(server: &Scripted) -> Config {
    Config::new(credentials())
        .endpoint(server.url())
        .retry(quick_retries())
}

async fn list_tasks(config: &Config) -> Result<dcs::types::ListCenterTaskResponse, Error> {
    let client = dcs::Client::from_config(config).expect("client builds");
    let page = client.list_center_task().project_id(PROJECT).call().await?;
    Ok(page.into_inner())
}

/// No secret in what an error shows.
#[track_caller]
fn assert_no_secret(error: &Error) {
    let shown = format!("{error} {error:?}");
    for secret in [SK, TOKEN, IAM_TOKEN] {
        assert!(!shown.contains(secret), "a secret in {shown}");
    }
}

/// A transport failure after `attempts` attempts, one connection each.
#[track_caller]
fn assert_transport(error: &Error, attempts: u32, server: &Scripted) {
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert_eq!(error.status(), None, "{error}");
    assert_eq!(error.body(), None, "{error}");
    assert_eq!(error.attempts(), attempts, "{error}");
    assert_eq!(server.connections(), attempts as usize, "{error}");
    assert_eq!(server.requests().len(), attempts as usize, "{error}");
    assert!(error.is_retryable(), "{error}");
    if attempts > 1 {
        assert!(
            error
                .to_string()
                .contains(&format!("after {attempts} attempts")),
            "{error}"
        );
    }
    assert_no_secret(error);
}

// ---------------------------------------------------------------------------
// Resets, and bodies cut short
// ---------------------------------------------------------------------------

/// Calls every operation against a server whose every connection runs
/// `script`, and expects each to fail in transport after as many attempts as
/// its idempotency allows. Returns the methods seen.
async fn every_operation_fails_in_transport<F, Fut>(
    script: F,
    with_body_only: bool,
) -> Vec<&'static str>
where
    F: Fn(Conn, u16) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut methods = Vec::new();
    for op in operations::all()
        .iter()
        .filter(|op| op.has_body || !with_body_only)
    {
        let status = op.status;
        let server = Scripted::start(move |conn| script(conn, status)).await;
        let endpoint = Endpoint::new(&config(&server), op.service(), None);
        let error = (op.call)(endpoint)
            .await
            .expect_err(&format!("{}: a broken connection is an error", op.label()));
        let attempts = if op.table().idempotent { 3 } else { 1 };
        assert_eq!(error.operation(), op.name);
        assert_transport(&error, attempts, &server);
        for request in server.requests() {
            assert!(
                request.request_line.starts_with(&format!("{} ", op.method)),
                "{}: {}",
                op.label(),
                request.request_line
            );
        }
        methods.push(op.method);
    }
    methods
}

#[tokio::test]
async fn a_reset_before_the_headers_is_retried_by_idempotency_for_every_operation() {
    let methods = every_operation_fails_in_transport(
        |mut conn: Conn, _| async move {
            conn.read_request().await;
            conn.reset();
        },
        false,
    )
    .await;
    assert!(
        methods.contains(&"GET") && methods.contains(&"DELETE"),
        "{methods:?}"
    );
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_retried_by_idempotency_for_every_operation() {
    every_operation_fails_in_transport(
        |mut conn: Conn, status| async move {
            conn.read_request().await;
            let reason = format!("{status} OK");
            conn.write(head(
                &reason,
                &[("Content-Type", "application/json")],
                Some(PAGE.len()),
            ))
            .await;
            conn.write(&PAGE[..20]).await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            conn.reset();
        },
        true,
    )
    .await;
}

#[tokio::test]
async fn one_reset_then_an_answer_succeeds_on_the_second_connection() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        if conn.number == 0 {
            conn.write(head("200 OK", &[], Some(PAGE.len()))).await;
            conn.write(&PAGE[..30]).await;
            conn.reset();
        } else {
            conn.write(json_ok(REQUEST_ID, PAGE.as_bytes())).await;
        }
    })
    .await;
    let page = list_tasks(&config(&server))
        .await
        .expect("the retry succeeds");
    assert_eq!(page.tasks.unwrap()[0].id.as_deref(), Some("t-1"));
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_retried_then_reported() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head(
            "200 OK",
            &[("X-Request-Id", REQUEST_ID)],
            Some(PAGE.len() + 100),
        ))
        .await;
        conn.write(PAGE).await;
        conn.close().await;
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_transport(&error, 3, &server);
}

#[tokio::test]
async fn a_chunked_body_cut_mid_chunk_is_retried_then_reported() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head("200 OK", &[("Transfer-Encoding", "chunked")], None))
            .await;
        conn.write(format!("{:x}\r\n{}", PAGE.len(), &PAGE[..25]))
            .await;
        conn.close().await;
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_transport(&error, 3, &server);
}

#[tokio::test]
async fn a_chunked_body_without_its_last_chunk_is_retried_then_reported() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head("200 OK", &[("Transfer-Encoding", "chunked")], None))
            .await;
        conn.write(format!("{:x}\r\n{PAGE}\r\n", PAGE.len())).await;
        conn.close().await;
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_transport(&error, 3, &server);
}

// ---------------------------------------------------------------------------
// A body longer than its Content-Length
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bytes_after_the_content_length_are_never_read_as_the_next_answer() {
    // The first answer is followed by a second, unasked-for response on the
    // same connection. The next call must get its own answer, never that one.
    const SMUGGLED: &str = r#"{"task_count": "1", "tasks": [{"id": "smuggled"}]}"#;
    let server = Scripted::start(|mut conn: Conn| async move {
        let mut first = conn.number == 0;
        while conn.read_request().await.is_some() {
            if first {
                let mut bytes = json_ok(REQUEST_ID, PAGE.as_bytes());
                bytes.extend(json_ok("smuggled", SMUGGLED.as_bytes()));
                conn.write(bytes).await;
                first = false;
            } else {
                let own = PAGE.replace("t-1", "t-2");
                conn.write(json_ok("second", own.as_bytes())).await;
            }
        }
    })
    .await;
    let config = config(&server);
    let client = dcs::Client::from_config(&config).unwrap();
    let first = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap();
    assert_eq!(first.tasks.as_ref().unwrap()[0].id.as_deref(), Some("t-1"));
    // At once: the connection is back in the pool as soon as the first
    // answer is read, with the unasked-for bytes behind it.
    for _ in 0..3 {
        let next = client
            .list_center_task()
            .project_id(PROJECT)
            .call()
            .await
            .unwrap();
        assert_eq!(next.tasks.as_ref().unwrap()[0].id.as_deref(), Some("t-2"));
    }
}

#[tokio::test]
async fn a_content_length_that_cuts_the_json_is_a_decode_error_naming_the_path() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head(
            "200 OK",
            &[("X-Request-Id", REQUEST_ID)],
            Some(CUT_IN_STATUS),
        ))
        .await;
        conn.write(PAGE).await;
        conn.hang().await;
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_decode(&error, "tasks[0].status", &PAGE.as_bytes()[..CUT_IN_STATUS]);
    assert!(error.message().contains("EOF"), "{error}");
    assert_eq!(server.connections(), 1);
}

/// A decode error: status 200, one attempt, the JSON path, the raw body and
/// the request id kept, all named in its one line.
#[track_caller]
fn assert_decode(error: &Error, json_path: &str, body: &[u8]) {
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert_eq!(error.status(), Some(200), "{error}");
    assert_eq!(
        error.attempts(),
        1,
        "{error}: a decode error is not retried"
    );
    assert_eq!(error.json_path(), Some(json_path), "{error}");
    assert_eq!(error.body(), Some(body), "{error}: the raw body is kept");
    assert_eq!(error.request_id(), Some(REQUEST_ID), "{error}");
    assert!(!error.is_retryable(), "{error}");
    let shown = error.to_string();
    assert!(shown.contains(&format!("at {json_path}")), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    assert_no_secret(error);
}

// ---------------------------------------------------------------------------
// Slow answers and the deadline
// ---------------------------------------------------------------------------

// These tests run on tokio's paused clock with the scripted server in the
// same runtime: the server's pauses and the client's deadline are timers of
// one clock, so the times are exact and take no real time.

/// Calls with a 600 ms deadline (attempts may take 30 s) against `script`.
async fn against_the_deadline<F, Fut>(script: F) -> (Error, Duration, Scripted)
where
    F: Fn(Conn) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let server = Scripted::start(script).await;
    let config = config(&server)
        .attempt_timeout(Duration::from_secs(30))
        .total_timeout(Some(Duration::from_millis(600)));
    let started = Instant::now();
    let error = list_tasks(&config).await.expect_err("the deadline passes");
    (error, started.elapsed(), server)
}

#[track_caller]
fn assert_deadline(error: &Error, elapsed: Duration) {
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.is_retryable(), "{error}");
    assert_eq!(elapsed, Duration::from_millis(600), "ends at the deadline");
    assert!(error.to_string().contains("deadline"), "{error}");
    assert_no_secret(error);
}

#[tokio::test(start_paused = true)]
async fn a_body_dripped_past_the_deadline_ends_the_call_at_the_deadline() {
    let (error, elapsed, server) = against_the_deadline(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head(
            "200 OK",
            &[("X-Request-Id", REQUEST_ID)],
            Some(PAGE.len()),
        ))
        .await;
        conn.drip(PAGE, Duration::from_millis(40)).await;
    })
    .await;
    assert_deadline(&error, elapsed);
    // No time is left for a second attempt.
    assert_eq!((error.attempts(), server.connections()), (1, 1), "{error}");
}

#[tokio::test(start_paused = true)]
async fn headers_dripped_past_the_deadline_end_the_call_at_the_deadline() {
    let (error, elapsed, server) = against_the_deadline(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.drip(
            json_ok(REQUEST_ID, PAGE.as_bytes()),
            Duration::from_millis(40),
        )
        .await;
    })
    .await;
    assert_deadline(&error, elapsed);
    assert_eq!((error.attempts(), server.connections()), (1, 1), "{error}");
}

#[tokio::test(start_paused = true)]
async fn an_attempt_timeout_is_retried_within_the_deadline() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.write(head("200 OK", &[], Some(PAGE.len()))).await;
        conn.drip(PAGE, Duration::from_millis(40)).await;
    })
    .await;
    let config = config(&server)
        .attempt_timeout(Duration::from_millis(200))
        .total_timeout(Some(Duration::from_secs(10)));
    let started = Instant::now();
    let error = list_tasks(&config).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!((error.attempts(), server.connections()), (3, 3), "{error}");
    // Three attempt timeouts and two waits of at most 20 ms between them.
    assert!(
        elapsed >= Duration::from_millis(600) && elapsed <= Duration::from_millis(640),
        "took {elapsed:?}"
    );
    assert!(error.to_string().contains("attempt timeout"), "{error}");
}

// ---------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_host_is_an_error_and_no_credential_leaves_the_signed_host() {
    for credentials in [credentials(), Credentials::iam_token(IAM_TOKEN).unwrap()] {
        for status in [
            "301 Moved Permanently",
            "302 Found",
            "303 See Other",
            "307 Temporary Redirect",
            "308 Permanent Redirect",
        ] {
            let elsewhere = Scripted::start(|mut conn: Conn| async move {
                conn.read_request().await;
                conn.write(json_ok(REQUEST_ID, PAGE.as_bytes())).await;
            })
            .await;
            let location = format!("{}/v2/{PROJECT}/tasks?from=redirect", elsewhere.url());
            let target = location.clone();
            let service = Scripted::start(move |mut conn: Conn| {
                let location = target.clone();
                async move {
                    conn.read_request().await;
                    let headers = [
                        ("Location", location.as_str()),
                        ("X-Request-Id", REQUEST_ID),
                    ];
                    conn.write(head(status, &headers, Some(0))).await;
                }
            })
            .await;
            let config = Config::new(credentials.clone())
                .endpoint(service.url())
                .retry(quick_retries());
            let error = list_tasks(&config)
                .await
                .expect_err("a redirect is an error");
            let code: u16 = status[..3].parse().unwrap();
            let context = format!("{status} with {credentials:?}");
            assert_eq!(error.kind(), ErrorKind::Service, "{context}: {error}");
            assert_eq!(error.status(), Some(code), "{context}");
            assert_eq!(error.attempts(), 1, "{context}: a redirect is not retried");
            assert_eq!(error.request_id(), Some(REQUEST_ID), "{context}");
            assert_eq!(error.body(), Some(&b""[..]), "{context}");
            let shown = error.to_string();
            assert!(
                shown.contains(&status[..3]) && shown.contains(&location),
                "{shown}"
            );
            assert_no_secret(&error);

            assert_eq!(
                elsewhere.connections(),
                0,
                "{context}: the other host was reached"
            );
            let requests = service.requests();
            assert_eq!(requests.len(), 1, "{context}");
            let sent = &requests[0];
            assert_eq!(
                sent.header("host"),
                Some(service.authority().as_str()),
                "{context}"
            );
            let authenticated =
                sent.header("authorization").is_some() || sent.header("x-auth-token").is_some();
            assert!(
                authenticated,
                "{context}: the signed host got the credentials"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Bodies the decoder must refuse clearly
// ---------------------------------------------------------------------------

/// Serves `body` once with status 200 and decodes it.
async fn decode(body: Vec<u8>) -> (Result<dcs::types::ListCenterTaskResponse, Error>, Vec<u8>) {
    let served = body.clone();
    let server = Scripted::start(move |mut conn: Conn| {
        let body = served.clone();
        async move {
            conn.read_request().await;
            conn.write(json_ok(REQUEST_ID, &body)).await;
        }
    })
    .await;
    (list_tasks(&config(&server)).await, body)
}

#[tokio::test]
async fn invalid_utf8_in_a_json_string_names_its_path_and_keeps_the_bytes() {
    let mut body = br#"{"task_count": "1", "tasks": [{"id": "t-"#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, b'"']);
    body.extend_from_slice(br#", "status": "SUCCESS"}]}"#);
    let (result, body) = decode(body).await;
    let error = result.expect_err("invalid UTF-8 does not decode");
    assert_decode(&error, "tasks[0].id", &body);
    assert!(error.message().contains("invalid unicode"), "{error}");
}

#[tokio::test]
async fn invalid_utf8_in_an_error_body_keeps_the_bytes() {
    let mut body = br#"{"error_code": "DCS.4000", "error_msg": "bad "#.to_vec();
    body.extend_from_slice(&[0xc3, 0x28, b'"', b'}']);
    let served = body.clone();
    let server = Scripted::start(move |mut conn: Conn| {
        let body = served.clone();
        async move {
            conn.read_request().await;
            let headers = [("X-Request-Id", REQUEST_ID)];
            conn.write(head("400 Bad Request", &headers, Some(body.len())))
                .await;
            conn.write(body).await;
        }
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service, "{error}");
    assert_eq!(
        (error.status(), error.attempts()),
        (Some(400), 1),
        "{error}"
    );
    assert_eq!(error.body(), Some(&body[..]));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert!(!error.to_string().contains('\n'), "{error}");
}

/// `depth` levels of `open`, then as many `close`.
fn nested(depth: usize, open: &str, close: &str) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

/// 10,000 levels of `{"x": ` around `inner`.
fn deep_objects(inner: &str) -> String {
    format!(
        "{}{inner}{}",
        r#"{"x": "#.repeat(10_000),
        "}".repeat(10_000)
    )
}

#[tokio::test]
async fn ten_thousand_levels_of_nesting_decode_or_fail_clearly_never_overflow_the_stack() {
    let arrays = nested(10_000, "[", "]");
    // Where the model has no field the value is skipped (serde_json does so
    // without recursion): the page decodes.
    for (case, body) in [
        (
            "an unknown field",
            format!(r#"{{"task_count": "2", "tasks": [], "extra": {arrays}}}"#),
        ),
        (
            "a task's unknown field",
            format!(
                r#"{{"task_count": "2", "tasks": [{{"x": {}}}]}}"#,
                deep_objects("1")
            ),
        ),
    ] {
        let (result, _) = decode(body.into_bytes()).await;
        let page = result.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(page.task_count.map(|c| c.get()), Some(2), "{case}");
    }
    // Where the model expects a value, the first level already does not fit.
    for (case, body, path) in [
        // serde reads a struct from an array by position: the first item is
        // the first field, `task_count`.
        ("an array for the page", arrays.clone(), "[0]"),
        (
            "arrays for a count",
            format!(r#"{{"task_count": {arrays}}}"#),
            "task_count",
        ),
        (
            "arrays for a task",
            format!(r#"{{"tasks": {arrays}}}"#),
            "tasks[0][0]",
        ),
        (
            "objects for a status",
            format!(r#"{{"tasks": [{{"status": {}}}]}}"#, deep_objects("1")),
            "tasks[0].status",
        ),
        (
            "objects for details",
            format!(
                r#"{{"tasks": [{{"details": {{"old_capacity": {}}}}}]}}"#,
                deep_objects("1")
            ),
            "tasks[0].details.old_capacity",
        ),
    ] {
        let (result, body) = decode(body.into_bytes()).await;
        let error = result.expect_err(case);
        assert_decode(&error, path, &body);
        assert!(error.message().contains("invalid type"), "{case}: {error}");
        assert!(error.to_string().len() < 300, "{case}: {error}");
    }
}

#[tokio::test]
async fn ten_thousand_levels_of_nesting_stop_the_task_view_at_the_recursion_limit() {
    use futures::StreamExt;
    // The task view reads pages as JSON values, which recurse: serde_json's
    // limit of 128 levels stops it with a decode error, not a stack overflow.
    let body = format!(
        r#"{{"task_count": "1", "tasks": [{{"id": "t-1", "extra": {}}}]}}"#,
        nested(10_000, "[", "]")
    );
    let (served, length) = (body.clone(), body.len());
    let server = Scripted::start(move |mut conn: Conn| {
        let body = served.clone();
        async move {
            conn.read_request().await;
            conn.write(json_ok(REQUEST_ID, body.as_bytes())).await;
        }
    })
    .await;
    let query =
        huaweicloud_tasks::tasks::Query::new(&[&dcs::SERVICE], config(&server)).project(PROJECT);
    let results: Vec<_> = huaweicloud_tasks::tasks::list(query).collect().await;
    assert_eq!(results.len(), 1, "{results:?}");
    let error = &results[0]
        .as_ref()
        .expect_err("the page does not decode")
        .source;
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert_eq!(
        (error.status(), error.attempts()),
        (Some(200), 1),
        "{error}"
    );
    assert_eq!(error.body().map(<[u8]>::len), Some(length));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert!(error.message().contains("recursion limit"), "{error}");
    assert!(
        error
            .json_path()
            .is_some_and(|p| p.starts_with("line 1 column")),
        "{error}"
    );
}

#[tokio::test]
async fn ten_thousand_levels_of_nesting_in_an_error_body_are_kept_raw() {
    let body = nested(10_000, "[", "]");
    let server = Scripted::start(move |mut conn: Conn| {
        let body = body.clone();
        async move {
            conn.read_request().await;
            conn.write(head("500 Internal Server Error", &[], Some(body.len())))
                .await;
            conn.write(body).await;
        }
    })
    .await;
    let error = list_tasks(&config(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service, "{error}");
    assert_eq!(
        (error.status(), error.attempts()),
        (Some(500), 3),
        "{error}"
    );
    assert_eq!(error.body().map(<[u8]>::len), Some(20_000));
    assert!(error.to_string().len() < 1000, "{error}");
}
