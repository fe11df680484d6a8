//! Paging, retries, deadlines, fan-out and tracing, against local servers over
//! real sockets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use workspace_tests::scripted::{Conn, Scripted, head};

use futures::TryStreamExt;
use huaweicloud_tasks::auth::AccessKeyCredentials;
use huaweicloud_tasks::{
    Config, Credentials, ErrorKind, RetryPolicy, dcs, fan_out, opengauss, rabbitmq,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workspace_tests::wire::{header, quick_retries, verify_signature};

const PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";

fn config(server: &MockServer) -> Config {
    Config::anonymous()
        .endpoint(server.uri())
        .retry(quick_retries())
}

/// Serves `total` tasks, sliced by the request's own paging parameters.
struct TaskList {
    total: u64,
    offset_param: &'static str,
    first: u64,
    total_field: &'static str,
    total_as_string: bool,
    with_total: bool,
}

impl Respond for TaskList {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        let offset = query(self.offset_param).unwrap_or(self.first) - self.first;
        let limit = query("limit").unwrap_or(10);
        let end = (offset + limit).min(self.total);
        let tasks: Vec<Value> = (offset..end)
            .map(|i| json!({ "id": format!("task-{i:05}"), "name": "EXTEND", "job_id": format!("job-{i}") }))
            .collect();
        let mut body = json!({ "tasks": tasks });
        if self.with_total {
            body[self.total_field] = if self.total_as_string {
                json!(self.total.to_string())
            } else {
                json!(self.total)
            };
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

fn task_list(total: u64) -> TaskList {
    TaskList {
        total,
        offset_param: "offset",
        first: 0,
        total_field: "task_count",
        total_as_string: true,
        with_total: true,
    }
}

fn assert_all_once(ids: &[String], total: usize) {
    assert_eq!(ids.len(), total);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            id,
            &format!("task-{i:05}"),
            "item {i} out of order or repeated"
        );
    }
}

/// The error of a DCS project list that `config` cannot complete.
async fn list_error(config: &Config) -> huaweicloud_tasks::Error {
    dcs::Client::from_config(config)
        .unwrap()
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn dcs_center_pages_through_2500_tasks() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v2/{PROJECT}/tasks")))
        .respond_with(task_list(2500))
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let ids: Vec<String> = client
        .list_center_task()
        .project_id(PROJECT)
        .paginate()
        .items()
        .map_ok(|t| t.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_all_once(&ids, 2500);
    // Default page size is the documented maximum, 1000: three requests.
    let requests = server.received_requests().await.unwrap();
    let offsets: Vec<String> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        offsets,
        [
            "limit=1000&offset=0",
            "limit=1000&offset=1000",
            "limit=1000&offset=2000"
        ]
    );
}

#[tokio::test]
async fn dcs_instance_pages_with_a_chosen_page_size() {
    let server = MockServer::start().await;
    Mock::given(path_regex(r"^/v2/[^/]+/instances/i-1/tasks$"))
        .respond_with(task_list(2500))
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let pages: Vec<_> = client
        .list_background_task()
        .project_id(PROJECT)
        .instance_id("i-1")
        .paginate()
        .page_size(300)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 9);
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.tasks.unwrap_or_default())
        .map(|t| t.id.unwrap_or_default())
        .collect();
    assert_all_once(&ids, 2500);
}

#[tokio::test]
async fn rabbitmq_pages_with_one_based_start() {
    let server = MockServer::start().await;
    let list = TaskList {
        offset_param: "start",
        first: 1,
        ..task_list(2500)
    };
    Mock::given(path_regex(r"^/v2/[^/]+/instances/mq-1/tasks$"))
        .respond_with(list)
        .mount(&server)
        .await;
    let client = rabbitmq::Client::from_config(&config(&server)).unwrap();
    let ids: Vec<String> = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id("mq-1")
        .paginate()
        .items()
        .map_ok(|t| t.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_all_once(&ids, 2500);
    let first = &server.received_requests().await.unwrap()[0];
    assert_eq!(first.url.query(), Some("limit=100&start=1"));
}

#[tokio::test]
async fn opengauss_pages_with_a_numeric_total() {
    let server = MockServer::start().await;
    let list = TaskList {
        total_field: "total_count",
        total_as_string: false,
        ..task_list(2500)
    };
    Mock::given(path(format!("/v3/{PROJECT}/tasks")))
        .respond_with(list)
        .mount(&server)
        .await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    let ids: Vec<String> = client
        .list_tasks()
        .project_id(PROJECT)
        .paginate()
        .items()
        .map_ok(|t| t.job_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 2500);
    assert_eq!(ids[2499], "job-2499");
    assert_eq!(server.received_requests().await.unwrap().len(), 25);
}

#[tokio::test]
async fn without_a_total_paging_stops_on_a_short_page() {
    let server = MockServer::start().await;
    let list = TaskList {
        with_total: false,
        ..task_list(250)
    };
    Mock::given(path(format!("/v2/{PROJECT}/tasks")))
        .respond_with(list)
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let items: Vec<_> = client
        .list_center_task()
        .project_id(PROJECT)
        .paginate()
        .page_size(100)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 250);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_page_size_above_the_maximum_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = opengauss::Client::from_config(&config(&server)).unwrap();
    let e = client
        .list_tasks()
        .project_id(PROJECT)
        .paginate()
        .page_size(101)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.to_string()
            .contains("page size 101 is out of range: allowed 1..=100"),
        "{e}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Answers with the given statuses in turn, then 200.
struct Sequence {
    statuses: Vec<(u16, Option<&'static str>)>,
    seen: Arc<Mutex<usize>>,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        let n = *seen;
        *seen += 1;
        match self.statuses.get(n) {
            Some((status, retry_after)) => {
                let mut t = ResponseTemplate::new(*status)
                    .insert_header("X-Request-Id", format!("req-{n}").as_str())
                    .set_body_json(
                        json!({ "error_code": format!("E{status}"), "error_msg": "try later" }),
                    );
                if let Some(after) = retry_after {
                    t = t.insert_header("Retry-After", *after);
                }
                t
            }
            None => ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-ok")
                .set_body_json(json!({ "task_count": "1", "tasks": [{ "id": "t1" }] })),
        }
    }
}

async fn serve_sequence(statuses: Vec<(u16, Option<&'static str>)>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Sequence {
            statuses,
            seen: Arc::default(),
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn service_unavailable_twice_then_success_takes_three_attempts() {
    let server = serve_sequence(vec![(503, None), (503, None)]).await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let page = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap();
    assert_eq!(page.tasks.as_ref().unwrap()[0].id.as_deref(), Some("t1"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retries_give_up_after_the_last_attempt_keeping_status_body_and_request_id() {
    let server = serve_sequence(vec![(503, None), (502, None), (503, None), (503, None)]).await;
    let e = list_error(&config(&server)).await;
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.attempts(), 3);
    assert_eq!(e.request_id(), Some("req-2"));
    assert_eq!(e.error_code(), Some("E503"));
    assert!(e.body().is_some_and(|b| b.starts_with(b"{")));
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn too_many_requests_honours_retry_after_and_signs_each_attempt_afresh() {
    // The gateway refuses a stale X-Sdk-Date, so a retry must not resend the
    // first attempt's signature. Retry-After: 1 puts the attempts in
    // different seconds, so their X-Sdk-Date values must differ.
    let server = serve_sequence(vec![(429, Some("1"))]).await;
    let credentials: Credentials = AccessKeyCredentials::new("AKEXAMPLE", "example-secret")
        .unwrap()
        .with_security_token("example-security-token")
        .with_project_id(PROJECT)
        .into();
    let config = Config::new(credentials)
        .endpoint(server.uri())
        .retry(quick_retries());
    let client = dcs::Client::from_config(&config).unwrap();
    let started = Instant::now();
    client
        .list_center_task()
        .project_id(PROJECT)
        .limit(10)
        .call()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for (i, request) in requests.iter().enumerate() {
        let context = format!("attempt {}", i + 1);
        verify_signature(&context, request, "AKEXAMPLE", "example-secret");
        assert_eq!(request.url.query(), Some("limit=10"), "{context}");
        assert_eq!(
            header(request, "x-security-token"),
            Some("example-security-token"),
            "{context}"
        );
    }
    let first = header(&requests[0], "x-sdk-date").unwrap();
    let second = header(&requests[1], "x-sdk-date").unwrap();
    assert!(second > first, "X-Sdk-Date {first} then {second}");
    assert_ne!(
        header(&requests[0], "authorization"),
        header(&requests[1], "authorization")
    );
}

/// Answers 503 once with `Retry-After` as an HTTP date two seconds ahead,
/// then 200.
struct RetryAfterDate {
    seen: AtomicUsize,
}

impl Respond for RetryAfterDate {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, Ordering::SeqCst) == 0 {
            let at = chrono::Utc::now() + chrono::Duration::seconds(2);
            ResponseTemplate::new(503).insert_header(
                "Retry-After",
                at.format("%a, %d %b %Y %H:%M:%S GMT").to_string().as_str(),
            )
        } else {
            ResponseTemplate::new(200).set_body_json(json!({ "task_count": "0", "tasks": [] }))
        }
    }
}

#[tokio::test]
async fn a_retry_after_http_date_is_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(RetryAfterDate {
            seen: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let started = Instant::now();
    client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    // The date has whole seconds, so the wait is more than one second (the
    // quick policy's own backoff is at most 20 ms). Only the lower bound is
    // asserted: how long a loaded machine adds is not the client's.
    assert!(elapsed >= Duration::from_millis(950), "waited {elapsed:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A server in the test's own runtime that answers every request with
/// `status`, `Retry-After: retry_after` and an error body.
async fn refusing(status: &'static str, retry_after: &'static str) -> Scripted {
    Scripted::start(move |mut conn: Conn| async move {
        while conn.read_request().await.is_some() {
            let body = r#"{"error_code": "E503", "error_msg": "try later"}"#;
            let head = head(
                status,
                &[
                    ("Content-Type", "application/json"),
                    ("X-Request-Id", "req-0"),
                    ("Retry-After", retry_after),
                ],
                Some(body.len()),
            );
            conn.write(format!("{head}{body}")).await;
        }
    })
    .await
}

// The next three tests run on tokio's paused clock, with the server in the
// same runtime: a wait of the client would show on the clock exactly, and
// none takes real time.

#[tokio::test(start_paused = true)]
async fn a_wait_that_would_cross_the_deadline_returns_what_the_call_has() {
    // Retry-After: 5 is below the cap, but the call has 1 s in all: the
    // client returns the 503 at once instead of sleeping past its deadline.
    let server = refusing("503 Service Unavailable", "5").await;
    let config = Config::anonymous()
        .endpoint(server.url())
        .retry(quick_retries())
        .total_timeout(Some(Duration::from_secs(1)));
    let client = dcs::Client::from_config(&config).unwrap();
    let started = tokio::time::Instant::now();
    let e = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO, "no wait at all");
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert_eq!(
        (e.status(), e.attempts(), e.request_id()),
        (Some(503), 1, Some("req-0"))
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_body_cut_after_the_headers_is_retried_like_a_connection_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The first connection answers headers and half a body, then closes; the
    // second answers in full.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let body = r#"{"task_count": "1", "tasks": [{"id": "t-1", "status": "SUCCESS"}]}"#;
    let serving = tokio::spawn(async move {
        for n in 0..2 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = vec![0u8; 8192];
            let _ = socket.read(&mut request).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let sent = if n == 0 { &body[..20] } else { body };
            let _ = socket.write_all(format!("{head}{sent}").as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    let config = Config::anonymous()
        .endpoint(format!("http://{address}"))
        .retry(quick_retries());
    let client = dcs::Client::from_config(&config).unwrap();
    let page = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .expect("the second attempt reads the whole body");
    serving.abort();
    assert_eq!(page.tasks.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn connection_failures_are_retried_and_counted() {
    // A server that accepts each connection and closes it unanswered.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let closing = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let config = Config::anonymous()
        .endpoint(format!("http://{address}"))
        .retry(quick_retries());
    let e = list_error(&config).await;
    closing.abort();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(e.attempts(), 3, "{e}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    assert!(e.is_retryable());

    // A port nobody listens on: the connection is refused, three times.
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let config = Config::anonymous()
        .endpoint(format!("http://{refused}"))
        .retry(quick_retries());
    let e = list_error(&config).await;
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(e.attempts(), 3, "{e}");
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let server = refusing("429 Too Many Requests", "3600").await;
    // No total timeout: the cap alone decides, not the deadline.
    let config = Config::anonymous()
        .endpoint(server.url())
        .total_timeout(None)
        .retry(quick_retries());
    let client = dcs::Client::from_config(&config).unwrap();
    let started = tokio::time::Instant::now();
    let e = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO, "no wait at all");
    assert_eq!(
        (e.status(), e.attempts(), e.request_id()),
        (Some(429), 1, Some("req-0"))
    );
    assert_eq!(server.requests().len(), 1);
}

/// A `Retry-After` of exactly the cap is still waited for (real time, one
/// second; only the count of attempts is asserted).
#[tokio::test]
async fn a_retry_after_at_the_cap_is_waited_for() {
    let server = refusing("429 Too Many Requests", "1").await;
    let config = Config::anonymous()
        .endpoint(server.url())
        .total_timeout(None)
        .retry(huaweicloud_tasks::RetryPolicy {
            max_attempts: 2,
            max_retry_after: Duration::from_secs(1),
            ..quick_retries()
        });
    let e = list_error(&config).await;
    assert_eq!((e.status(), e.attempts()), (Some(429), 2), "{e}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn bad_request_is_not_retried_and_carries_code_message_and_request_id() {
    let server = serve_sequence(vec![(400, None), (400, None)]).await;
    let e = list_error(&config(&server)).await;
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.error_code(), Some("E400"));
    assert_eq!(e.message(), "try later");
    assert_eq!(e.request_id(), Some("req-0"));
    assert_eq!(e.attempts(), 1);
    assert!(!e.is_retryable());
    assert_eq!(
        e.to_string(),
        "ListCenterTask: service error, status 400, error_code E400: try later (request id req-0)"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = serve_sequence(vec![(503, None)]).await;
    let config = config(&server).retry(RetryPolicy::disabled());
    let e = list_error(&config).await;
    assert_eq!((e.status(), e.attempts()), (Some(503), 1));
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_trips_the_deadline() {
    let server = Scripted::start(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.hang().await;
    })
    .await;
    let config = Config::anonymous()
        .endpoint(server.url())
        .retry(quick_retries())
        .attempt_timeout(Duration::from_secs(30))
        .total_timeout(Some(Duration::from_millis(600)));
    let client = dcs::Client::from_config(&config).unwrap();
    let started = tokio::time::Instant::now();
    let e = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(600),
        "the deadline"
    );
    assert_eq!((e.attempts(), server.requests().len()), (1, 1), "{e}");
}

#[tokio::test]
async fn fan_out_keeps_each_instance_result() {
    let server = MockServer::start().await;
    Mock::given(path_regex(r"^/v2/[^/]+/instances/bad/tasks$"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("X-Request-Id", "req-404")
                .set_body_json(
                    json!({ "error_code": "DCS.4040", "error_msg": "no such instance" }),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(path_regex(r"^/v2/[^/]+/instances/[^/]+/tasks$"))
        .respond_with(task_list(3))
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&config(&server)).unwrap();
    let instances = ["a", "b", "bad", "c", "d"];
    let results = fan_out(instances, 2, |id| {
        let client = &client;
        async move {
            client
                .list_background_task()
                .project_id(PROJECT)
                .instance_id(id)
                .paginate()
                .items()
                .try_collect::<Vec<_>>()
                .await
        }
    })
    .await;
    let keys: Vec<&str> = results.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, instances);
    for (id, result) in &results {
        match *id {
            "bad" => {
                let e = result.as_ref().unwrap_err();
                assert_eq!(
                    (e.status(), e.error_code(), e.request_id()),
                    (Some(404), Some("DCS.4040"), Some("req-404"))
                );
            }
            _ => assert_eq!(result.as_ref().unwrap().len(), 3, "instance {id}"),
        }
    }
}

#[tokio::test]
async fn fan_out_keeps_at_most_the_bound_in_flight_and_reaches_it() {
    for bound in [1, 4] {
        let in_flight = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let results = fan_out(0..20u32, bound, |key| {
            let (in_flight, peak) = (&in_flight, &peak);
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, String>(key * 2)
            }
        })
        .await;
        assert_eq!(peak.load(Ordering::SeqCst), bound, "bound {bound}");
        let expected: Vec<(u32, Result<u32, String>)> = (0..20).map(|k| (k, Ok(k * 2))).collect();
        assert_eq!(results, expected, "bound {bound}");
    }
}
