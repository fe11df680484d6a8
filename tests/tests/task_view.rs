//! The task view over every service, against one local server.
//!
//! Every service's tasks come through `huaweicloud_tasks::tasks` in one shape,
//! read by the field names and status meanings its spec declares in
//! `x-hwc-task-view`; failures are tied to their service and instance without
//! hiding the other results; `wait_for` follows a task to its end, or to the
//! deadline with the last status seen.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use huaweicloud_tasks::tasks::{self, Query, Task, TaskStatus, WaitError, WaitOptions};
use huaweicloud_tasks::{Config, Credentials, ErrorKind, dcs, opengauss, rabbitmq};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workspace_tests::scripted::{Conn, Scripted, json_ok};
use workspace_tests::wire::{PROJECT, json_response, utc, verify_signature};

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";

fn config(server: &MockServer) -> Config {
    Config::new(Credentials::access_key(AK, SK).expect("credentials"))
        .endpoint(server.uri())
        .retry(huaweicloud_tasks::RetryPolicy::disabled())
}

async fn mount(server: &MockServer, at: &str, query: (&str, &str), body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(at))
        .and(query_param(query.0, query.1))
        .respond_with(json_response(200, &body))
        .mount(server)
        .await;
}

/// The project-wide lists of DCS and openGauss, and the instance lists of
/// DCS and RabbitMQ (same path, told apart by their paging parameters).
async fn family_server() -> MockServer {
    let server = MockServer::start().await;
    mount(
        &server,
        &format!("/v2/{PROJECT}/tasks"),
        ("offset", "0"),
        json!({"task_count": "1", "tasks": [{
            "id": "c-1", "name": "ChangeInstanceSpec", "status": "EXECUTING",
            "user_name": "ops", "created_at": "2026-11-30T10:00:00.000Z",
            "updated_at": "", "job_id": "job-1", "error_code": ""
        }]}),
    )
    .await;
    mount(
        &server,
        &format!("/v3/{PROJECT}/tasks"),
        ("offset", "0"),
        json!({"total_count": 2, "tasks": [
            {"job_id": "g-1", "name": "CreateGaussDBV5Instance", "status": "Completed",
             "process": "100%", "created_at": "2026-11-30T08:15:07+0800",
             "ended_at": "2026-11-30T08:45:07+0800", "fail_reason": null,
             "instance_info": {"instance_id": "gauss-1", "instance_name": "g", "instance_status": "normal"}},
            {"job_id": "g-2", "name": "DeleteGaussDBV5Instance", "status": "Failed",
             "created_at": "2026-11-29T08:15:07+0800", "fail_reason": "quota",
             "instance_info": {"instance_id": "gauss-2"}}
        ]}),
    )
    .await;
    let instance = format!("/v2/{PROJECT}/instances/i-1/tasks");
    mount(
        &server,
        &instance,
        ("offset", "0"),
        json!({"task_count": 1, "tasks": [{
            "id": "d-1", "name": "masterStandbySwapJob", "status": "SUCCESS",
            "created_at": "2026-11-30T09:00:00.000Z", "updated_at": "2026-11-30T09:00:30.000Z"
        }]}),
    )
    .await;
    mount(
        &server,
        &instance,
        ("start", "1"),
        json!({"task_count": "2", "tasks": [
            {"id": "r-1", "name": "bindInstancePublicIp", "status": "CREATED",
             "created_at": "2026-11-30T11:00:00.000Z"},
            {"id": "r-2", "name": "restart", "status": "SOMETHING_NEW",
             "created_at": "2026-11-30T12:00:00.000Z"}
        ]}),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/bad/tasks")))
        .respond_with(json_response(
            500,
            &json!({"error_code": "111500001", "error_msg": "Internal service error."}),
        ))
        .mount(&server)
        .await;
    server
}

async fn collect(query: Query) -> (Vec<Task>, Vec<tasks::TaskError>) {
    let results: Vec<_> = tasks::list(query).collect().await;
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(t) => found.push(t),
            Err(e) => failed.push(e),
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    (found, failed)
}

#[tokio::test]
async fn project_lists_of_every_service_in_one_shape() {
    let server = family_server().await;
    let services = [&dcs::SERVICE, &opengauss::SERVICE, &rabbitmq::SERVICE];
    let (found, failed) = collect(Query::new(&services, config(&server)).project(PROJECT)).await;
    let ids: Vec<(&str, &str, TaskStatus)> = found
        .iter()
        .map(|t| (t.service, t.id.as_str(), t.status))
        .collect();
    assert_eq!(
        ids,
        [
            ("dcs", "c-1", TaskStatus::Running),
            ("opengauss", "g-1", TaskStatus::Succeeded),
            ("opengauss", "g-2", TaskStatus::Failed),
        ]
    );
    let center = &found[0];
    assert_eq!(center.raw_status.as_deref(), Some("EXECUTING"));
    assert_eq!(center.job_id.as_deref(), Some("job-1"));
    assert_eq!(center.error, None, "an empty error code is no error");
    assert_eq!(center.updated_at, None, "an empty time stamp is no time");
    assert_eq!(center.created_at, Some(utc(2026, 11, 30, 10, 0, 0)));
    let gauss = &found[1];
    assert_eq!(gauss.instance_id.as_deref(), Some("gauss-1"));
    assert_eq!(gauss.created_at, Some(utc(2026, 11, 30, 0, 15, 7)));
    assert_eq!(gauss.duration_secs, Some(1800));
    assert_eq!(gauss.progress.as_deref(), Some("100%"));
    assert_eq!(found[2].error.as_deref(), Some("quota"));
    // RabbitMQ has no project-wide list: one clear error, tied to it.
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].service, "rabbitmq");
    assert_eq!(failed[0].source.kind(), ErrorKind::InvalidArgument);
    assert!(
        failed[0].to_string().contains("instance ids"),
        "{}",
        failed[0]
    );
    for request in server.received_requests().await.expect("recorded").iter() {
        verify_signature("task view", request, AK, SK);
    }
}

#[tokio::test]
async fn instance_lists_keep_going_when_one_instance_fails() {
    let server = family_server().await;
    let query = Query::new(&[&dcs::SERVICE, &rabbitmq::SERVICE], config(&server))
        .project(PROJECT)
        .instance("i-1")
        .instance("bad")
        .concurrency(2);
    let (found, failed) = collect(query).await;
    let ids: Vec<(&str, &str, TaskStatus, Option<&str>)> = found
        .iter()
        .map(|t| (t.service, t.id.as_str(), t.status, t.instance_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("dcs", "d-1", TaskStatus::Succeeded, Some("i-1")),
            ("rabbitmq", "r-1", TaskStatus::Pending, Some("i-1")),
            ("rabbitmq", "r-2", TaskStatus::Unknown, Some("i-1")),
        ]
    );
    assert_eq!(found[2].raw_status.as_deref(), Some("SOMETHING_NEW"));
    assert_eq!(found[0].duration_secs, Some(30));
    let mut failures: Vec<(&str, Option<&str>, Option<u16>)> = failed
        .iter()
        .map(|e| (e.service, e.instance_id.as_deref(), e.source.status()))
        .collect();
    failures.sort();
    assert_eq!(
        failures,
        [
            ("dcs", Some("bad"), Some(500)),
            ("rabbitmq", Some("bad"), Some(500))
        ]
    );
    assert!(
        failed[0].to_string().contains("instance bad"),
        "{}",
        failed[0]
    );
}

#[tokio::test]
async fn filters_by_status_name_and_time_window() {
    let server = family_server().await;
    let query = Query::new(&[&rabbitmq::SERVICE], config(&server))
        .project(PROJECT)
        .instance("i-1")
        .since(utc(2026, 11, 30, 11, 30, 0));
    let (found, _) = collect(query).await;
    assert_eq!(
        found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["r-2"]
    );
    let query = Query::new(&[&opengauss::SERVICE], config(&server))
        .project(PROJECT)
        .status(TaskStatus::Failed);
    let (found, _) = collect(query).await;
    assert_eq!(
        found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["g-2"]
    );
    let query = Query::new(&[&opengauss::SERVICE], config(&server))
        .project(PROJECT)
        .name("create");
    let (found, _) = collect(query).await;
    assert_eq!(
        found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["g-1"]
    );
}

/// Answers the DCS instance list (DCS instance tasks have no show operation
/// and no job id, so they are followed through the list) with the task in
/// the next status of `script` (the last one repeats).
struct Script {
    statuses: Vec<&'static str>,
    calls: Arc<AtomicUsize>,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[n.min(self.statuses.len() - 1)];
        json_response(
            200,
            &json!({"task_count": "1", "tasks": [{"id": "r-9", "name": "restart", "status": status}]}),
        )
    }
}

async fn scripted(statuses: Vec<&'static str>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/i-9/tasks")))
        .respond_with(Script {
            statuses,
            calls: calls.clone(),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v2/{PROJECT}/instances/i-9/tasks/r-9/progress"
        )))
        .respond_with(json_response(
            200,
            &json!({"progress": "50", "remain_time": 30}),
        ))
        .mount(&server)
        .await;
    (server, calls)
}

fn task(status: TaskStatus) -> Task {
    Task {
        status,
        ..Task::reference(&dcs::SERVICE, None, PROJECT, Some("i-9".into()), "r-9")
    }
}

fn quick(timeout_ms: u64) -> WaitOptions {
    WaitOptions {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
        timeout: Duration::from_millis(timeout_ms),
    }
}

#[tokio::test]
async fn wait_for_follows_a_task_to_success() {
    let (server, calls) = scripted(vec!["EXECUTING", "EXECUTING", "SUCCESS"]).await;
    let mut seen = Vec::new();
    let mut progress = Vec::new();
    let done = tasks::wait_for(
        &config(&server),
        &dcs::SERVICE,
        &task(TaskStatus::Running),
        &quick(5_000),
        |t| {
            seen.push(t.status);
            progress.push(t.progress.clone());
        },
    )
    .await
    .expect("ends");
    assert_eq!(done.status, TaskStatus::Succeeded);
    assert_eq!(
        seen,
        [
            TaskStatus::Running,
            TaskStatus::Running,
            TaskStatus::Succeeded
        ]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        progress,
        [Some("50%".to_string()), Some("50%".to_string()), None],
        "progress of an instance task from the progress operation"
    );
}

#[tokio::test]
async fn wait_for_reports_a_failed_task() {
    let (server, _) = scripted(vec!["EXECUTING", "FAILED"]).await;
    let done = tasks::wait_for(
        &config(&server),
        &dcs::SERVICE,
        &task(TaskStatus::Running),
        &quick(5_000),
        |_| {},
    )
    .await
    .expect("ends");
    assert_eq!(done.status, TaskStatus::Failed);
    assert_eq!(done.raw_status.as_deref(), Some("FAILED"));
}

/// DCS's task list of instance i-9 (task r-9, always `EXECUTING`) and its
/// progress, served in the test's own runtime; the list polls are recorded
/// as times on tokio's clock since the server started.
async fn polled_list() -> (Scripted, Arc<Mutex<Vec<Duration>>>) {
    let polls = Arc::new(Mutex::new(Vec::new()));
    let seen = polls.clone();
    let started = tokio::time::Instant::now();
    let server = Scripted::start(move |mut conn: Conn| {
        let seen = seen.clone();
        async move {
            while let Some(request) = conn.read_request().await {
                let body = if request.request_line.contains("/progress") {
                    json!({"progress": "50", "remain_time": 30})
                } else {
                    seen.lock().unwrap().push(started.elapsed());
                    json!({"task_count": "1", "tasks": [{"id": "r-9", "name": "restart", "status": "EXECUTING"}]})
                };
                conn.write(json_ok("req", body.to_string().as_bytes())).await;
            }
        }
    })
    .await;
    (server, polls)
}

/// Polls 40 ms apart, then 60, then every 90 ms, for 300 ms.
fn paced() -> WaitOptions {
    WaitOptions {
        initial_interval: Duration::from_millis(40),
        max_interval: Duration::from_millis(90),
        timeout: Duration::from_millis(300),
    }
}

fn scripted_config(server: &Scripted) -> Config {
    Config::new(Credentials::access_key(AK, SK).expect("credentials"))
        .endpoint(server.url())
        .retry(huaweicloud_tasks::RetryPolicy::disabled())
}

// The next two tests run on tokio's paused clock with the server in the same
// runtime: the schedule of the polls is exact, and takes no real time.

#[tokio::test(start_paused = true)]
async fn wait_for_stops_at_the_deadline_with_the_last_status() {
    let (server, polls) = polled_list().await;
    let started = tokio::time::Instant::now();
    let err = tasks::wait_for(
        &scripted_config(&server),
        &dcs::SERVICE,
        &task(TaskStatus::Running),
        &paced(),
        |_| {},
    )
    .await
    .expect_err("never ends");
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(300),
        "the deadline"
    );
    let ms = |at: &[u64]| {
        at.iter()
            .map(|&m| Duration::from_millis(m))
            .collect::<Vec<_>>()
    };
    // Intervals of 40, 60, 90, 90 ms; the next poll would fall after the
    // deadline, so the wait ends at the deadline without it.
    assert_eq!(*polls.lock().unwrap(), ms(&[0, 40, 100, 190, 280]));
    match &err {
        WaitError::Deadline { last, waited, .. } => {
            assert_eq!(last.as_ref().map(|t| t.status), Some(TaskStatus::Running));
            assert_eq!(*waited, Duration::from_millis(300));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("still running after 0.3s"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn wait_for_ends_when_the_service_does_not_know_the_task() {
    // The list of i-9 holds r-9 only: nope is missing on the first poll and
    // on the confirming one an interval later, long before the deadline.
    let (server, polls) = polled_list().await;
    let started = tokio::time::Instant::now();
    let err = tasks::wait_for(
        &scripted_config(&server),
        &dcs::SERVICE,
        &Task::reference(&dcs::SERVICE, None, PROJECT, Some("i-9".into()), "nope"),
        &paced(),
        |_| {},
    )
    .await
    .expect_err("not found");
    assert!(
        matches!(&err, WaitError::NotFound { service: "dcs", id } if id == "nope"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "task nope of dcs not found");
    let polls = polls.lock().unwrap().clone();
    assert_eq!(
        polls,
        [Duration::ZERO, Duration::from_millis(40)],
        "one confirming look"
    );
    assert_eq!(started.elapsed(), Duration::from_millis(40));
}

/// Answers a Kafka show with task k-1 in the next scripted status.
struct ShowScript {
    statuses: Vec<&'static str>,
    calls: Arc<AtomicUsize>,
}

impl Respond for ShowScript {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[n.min(self.statuses.len() - 1)];
        json_response(
            200,
            &json!({"task_count": "1", "tasks": [{"id": "k-1", "name": "kafkaExtend", "status": status}]}),
        )
    }
}

#[tokio::test]
async fn wait_for_uses_the_show_operation_and_reports_progress() {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let task_path = format!("/v2/{PROJECT}/instances/i-k/tasks/k-1");
    Mock::given(method("GET"))
        .and(path(task_path.as_str()))
        .respond_with(ShowScript {
            statuses: vec!["EXECUTING", "SUCCESS"],
            calls: calls.clone(),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{task_path}/progress")))
        .respond_with(json_response(
            200,
            &json!({"progress_percentage": 40, "remain_time": 3, "step_list": []}),
        ))
        .mount(&server)
        .await;
    let start = Task::reference(
        &huaweicloud_tasks::kafka::SERVICE,
        None,
        PROJECT,
        Some("i-k".into()),
        "k-1",
    );
    let mut seen = Vec::new();
    let done = tasks::wait_for(
        &config(&server),
        &huaweicloud_tasks::kafka::SERVICE,
        &start,
        &quick(5_000),
        |t| seen.push((t.status, t.progress.clone())),
    )
    .await
    .expect("ends");
    assert_eq!(done.status, TaskStatus::Succeeded);
    assert_eq!(
        seen,
        [
            (TaskStatus::Running, Some("40%".to_string())),
            (TaskStatus::Succeeded, None)
        ]
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "polled through the show operation"
    );
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert!(paths.iter().all(|p| p.starts_with(&task_path)), "{paths:?}");
}

#[tokio::test]
async fn all_six_services_against_one_server() {
    let server = family_server().await;
    Mock::given(method("GET"))
        .and(path(format!("/v3.1/{PROJECT}/jobs")))
        .and(query_param("offset", "0"))
        .respond_with(json_response(
            200,
            &json!({"total_count": 1, "jobs": [{
                "id": "m-1", "name": "CreateMongoDB", "status": "Running",
                "instance_id": "mongo-1", "progress": "40%",
                "created_at": "2026-11-30T08:00:00+0800", "ended_at": null
            }]}),
        ))
        .mount(&server)
        .await;
    let all = huaweicloud_tasks::SERVICES;
    assert_eq!(all.len(), 6);
    assert!(
        all.iter().all(|s| s.task_view.is_some()),
        "every service joins the view"
    );

    // Project-wide: the services that have such a list answer, the others
    // say they need instance ids.
    let (found, failed) = collect(Query::new(all, config(&server)).project(PROJECT)).await;
    let mut services: Vec<&str> = found.iter().map(|t| t.service).collect();
    services.sort();
    services.dedup();
    assert_eq!(services, ["dcs", "dds", "opengauss"]);
    let dds = found.iter().find(|t| t.service == "dds").unwrap();
    assert_eq!(
        (
            dds.status,
            dds.instance_id.as_deref(),
            dds.progress.as_deref()
        ),
        (TaskStatus::Running, Some("mongo-1"), Some("40%"))
    );
    let mut refused: Vec<&str> = failed.iter().map(|e| e.service).collect();
    refused.sort();
    assert_eq!(refused, ["kafka", "rabbitmq", "rocketmq"]);

    // DDS is asked for its required time window (the last 30 days by default).
    let received = server.received_requests().await.unwrap();
    let jobs = received
        .iter()
        .find(|r| r.url.path().ends_with("/jobs"))
        .expect("DDS was asked");
    let window: Vec<(String, String)> = jobs
        .url
        .query_pairs()
        .filter(|(k, _)| k == "start_time" || k == "end_time")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(window.len(), 2, "{window:?}");
    for (_, value) in &window {
        assert!(value.ends_with("+0000") && value.len() == 24, "{value}");
    }

    // Per instance: the four instance-scoped services answer.
    let (found, failed) = collect(
        Query::new(all, config(&server))
            .project(PROJECT)
            .instance("i-1"),
    )
    .await;
    let mut services: Vec<&str> = found.iter().map(|t| t.service).collect();
    services.sort();
    services.dedup();
    assert_eq!(services, ["dcs", "kafka", "rabbitmq", "rocketmq"]);
    let mut refused: Vec<&str> = failed.iter().map(|e| e.service).collect();
    refused.sort();
    assert_eq!(refused, ["dds", "opengauss"]);
}
