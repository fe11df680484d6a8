//! `tasks::wait_for` against local servers: a task followed to its end
//! through the list or the show operation, with progress; to the deadline
//! with the last status seen; or to a task the service does not know.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use huaweicloud_tasks::tasks::{self, Task, TaskStatus, WaitError, WaitOptions};
use huaweicloud_tasks::{Config, Credentials, dcs};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};
use workspace_tests::scripted::{Conn, Scripted, json_ok};
use workspace_tests::wire::{
    AK, PROJECT, SK, Sequence, json_response, quick_wait as quick, signed_config as config,
};

/// Pages of one task item, `id` and `name`, in each of `statuses` in turn
/// (the last one repeats).
fn task_pages(id: &str, name: &str, statuses: &[&str]) -> (Sequence, Arc<AtomicUsize>) {
    Sequence::new(
        statuses
            .iter()
            .map(|status| {
                json!({"task_count": "1", "tasks": [{"id": id, "name": name, "status": status}]})
            })
            .collect(),
    )
}

/// Answers the DCS instance list (DCS instance tasks have no show operation
/// and no job id, so they are followed through the list) with the task in
/// the next status of `statuses` (the last one repeats).
async fn scripted(statuses: Vec<&'static str>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let (answers, calls) = task_pages("r-9", "restart", &statuses);
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/i-9/tasks")))
        .respond_with(answers)
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
    // The raw TCP server has no wiremock URI, so not `signed_config`.
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
        err.to_string()
            .contains("still running (EXECUTING) after 0.3s"),
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

#[tokio::test]
async fn wait_for_uses_the_show_operation_and_reports_progress() {
    let server = MockServer::start().await;
    // A Kafka show answering task k-1 in each status in turn.
    let (answers, calls) = task_pages("k-1", "kafkaExtend", &["EXECUTING", "SUCCESS"]);
    let task_path = format!("/v2/{PROJECT}/instances/i-k/tasks/k-1");
    Mock::given(method("GET"))
        .and(path(task_path.as_str()))
        .respond_with(answers)
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
