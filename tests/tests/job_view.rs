//! Asynchronous jobs in the task view: every service whose task view shows
//! a task by id and keeps no list (the job services) is shown by a job id
//! from its documented example, on a real socket, signed; `wait_for`
//! follows a job through its sub-jobs to success, ends a job that failed in
//! a sub-job with that sub-job's reason, and ends a job that never leaves
//! its first status at the deadline naming that status. Every job service
//! is waited for to success and to failure in its own words, and reads a
//! job with null or empty parts and a status no source lists.
//!
//! Driven by the generated service table: a job service added by a spec is
//! covered here without a change.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::tasks::{self, Task, TaskStatus, WaitError};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};
use workspace_tests::wire::{
    AK, PROJECT, SK, Sequence, quick_wait as quick, received, signed_config as config,
    verify_signature,
};

const JOB: &str = "ff8080814dbd65d7014dbe0d84db0013";

/// The services whose tasks are jobs shown by id, with no list.
fn job_services() -> Vec<&'static Service> {
    huaweicloud_tasks::SERVICES
        .iter()
        .copied()
        .filter(|s| {
            s.task_view.as_ref().is_some_and(|v| {
                v.show.is_some() && v.list_project.is_none() && v.list_instance.is_none()
            })
        })
        .collect()
}

/// The documented 200 example of a service's show operation.
fn show_example(service: &Service) -> Value {
    let view = service.task_view.as_ref().expect("task view");
    let op = service
        .operation(view.show.expect("show"))
        .expect("show operation");
    let spec = workspace_tests::spec_document(&format!("{}.yaml", service.module));
    let response = &spec["paths"][op.path][op.method.to_ascii_lowercase()]["responses"]["200"];
    let response = workspace_tests::wire::deref(&spec, response);
    response["content"]["application/json"]["example"].clone()
}

#[tokio::test]
async fn every_job_service_shows_a_job_by_its_id() {
    let services = job_services();
    assert!(services.len() >= 6, "{services:?}");
    for service in services {
        let module = service.module;
        let example = show_example(service);
        assert!(example.is_object(), "{module}: no example to serve");
        let (shown, server) = show_served(service, example, module).await;
        assert_eq!(shown.service, module);
        assert_ne!(shown.status, TaskStatus::Unknown, "{module}: {shown:?}");
        assert!(shown.raw_status.is_some(), "{module}");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{module}");
        let request = &requests[0];
        let on_wire = format!(
            "{}?{}",
            request.url.path(),
            request.url.query().unwrap_or("")
        );
        assert!(
            on_wire.contains(JOB),
            "{module}: the job id is sent: {on_wire}"
        );
        verify_signature(module, request, AK, SK);
    }
}

/// The job `body` describes, shown by id through a server that answers
/// every GET with it; `label` names the case in a failure.
async fn show_served(service: &'static Service, body: Value, label: &str) -> (Task, MockServer) {
    let (server, _) = scripted(vec![body]).await;
    let reference = Task::reference(service, None, PROJECT, None, JOB);
    let shown = tasks::show(&config(&server), service, &reference)
        .await
        .unwrap_or_else(|e| panic!("{label}: {e}"))
        .unwrap_or_else(|| panic!("{label}: the answer is no task"));
    (shown, server)
}

/// A server answering every GET with the bodies in turn.
async fn scripted(bodies: Vec<Value>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let (answers, calls) = Sequence::new(bodies);
    Mock::given(method("GET"))
        .respond_with(answers)
        .mount(&server)
        .await;
    (server, calls)
}

fn job(status: &str, reason: Value, sub_jobs: Vec<Value>) -> Value {
    json!({
        "job_id": JOB, "job_type": "createServer", "status": status,
        "begin_time": "2026-12-01T10:00:00.000Z", "end_time": "",
        "error_code": null, "fail_reason": reason,
        "entities": {"sub_jobs_total": sub_jobs.len(), "sub_jobs": sub_jobs}
    })
}

fn sub_job(id: &str, status: &str, reason: Value) -> Value {
    json!({
        "job_id": id, "job_type": "createSingleServer", "status": status,
        "begin_time": "2026-12-01T10:00:01.000Z", "end_time": "",
        "error_code": if reason.is_null() { Value::Null } else { json!("Ecs.0013") },
        "fail_reason": reason,
        "entities": {"server_id": format!("server-{id}")}
    })
}

#[tokio::test]
async fn wait_for_follows_a_job_through_its_sub_jobs() {
    let running = job(
        "RUNNING",
        Value::Null,
        vec![
            sub_job("s-1", "SUCCESS", Value::Null),
            sub_job("s-2", "RUNNING", Value::Null),
        ],
    );
    let done = job(
        "SUCCESS",
        Value::Null,
        vec![
            sub_job("s-1", "SUCCESS", Value::Null),
            sub_job("s-2", "SUCCESS", Value::Null),
        ],
    );
    let (server, calls) = scripted(vec![running, done]).await;
    let ecs = &huaweicloud_tasks::ecs::SERVICE;
    let reference = Task::reference(ecs, None, PROJECT, None, JOB);
    let mut seen = Vec::new();
    let ended = tasks::wait_for(&config(&server), ecs, &reference, &quick(10_000), |t| {
        seen.push(
            t.children
                .iter()
                .map(|c| c.status)
                .collect::<Vec<TaskStatus>>(),
        )
    })
    .await
    .expect("ends");
    assert_eq!(ended.status, TaskStatus::Succeeded);
    assert_eq!(
        seen,
        [
            vec![TaskStatus::Succeeded, TaskStatus::Running],
            vec![TaskStatus::Succeeded, TaskStatus::Succeeded]
        ]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let tree: Vec<(usize, &str)> = ended
        .tree()
        .into_iter()
        .map(|(d, t)| (d, t.id.as_str()))
        .collect();
    assert_eq!(tree, [(0, JOB), (1, "s-1"), (1, "s-2")]);
    assert_eq!(
        ended.children[1]
            .entities
            .get("server_id")
            .map(String::as_str),
        Some("server-s-2")
    );
}

#[tokio::test]
async fn a_job_that_failed_in_a_sub_job_ends_with_that_reason() {
    let failed = job(
        "FAIL",
        Value::Null,
        vec![
            sub_job("s-1", "SUCCESS", Value::Null),
            sub_job("s-2", "FAIL", json!("The quota of servers is exceeded.")),
        ],
    );
    let (server, _) = scripted(vec![failed]).await;
    let ecs = &huaweicloud_tasks::ecs::SERVICE;
    let reference = Task::reference(ecs, None, PROJECT, None, JOB);
    let ended = tasks::wait_for(&config(&server), ecs, &reference, &quick(10_000), |_| {})
        .await
        .expect("ends");
    assert_eq!(ended.status, TaskStatus::Failed);
    assert_eq!(
        ended.reason.as_deref(),
        Some("The quota of servers is exceeded.")
    );
    assert_eq!(ended.children[1].error.as_deref(), Some("Ecs.0013"));
}

#[tokio::test]
async fn a_job_still_initializing_at_the_deadline_names_its_status() {
    let (server, calls) = scripted(vec![job("INIT", Value::Null, Vec::new())]).await;
    let evs = &huaweicloud_tasks::evs::SERVICE;
    let reference = Task::reference(evs, None, PROJECT, None, JOB);
    let error = tasks::wait_for(&config(&server), evs, &reference, &quick(300), |_| {})
        .await
        .expect_err("never ends");
    assert!(matches!(error, WaitError::Deadline { .. }), "{error}");
    assert!(
        error.to_string().contains("still pending (INIT)"),
        "{error}"
    );
    assert!(calls.load(Ordering::SeqCst) >= 2, "polled more than once");
}

/// `value` with the member at the dotted `path` (from `item`, the dotted
/// place of the job in the body) set to `new`, where its parent exists.
fn set_at(value: &mut Value, item: &str, path: &str, new: Value) {
    let mut keys: Vec<&str> = item.split('.').filter(|k| !k.is_empty()).collect();
    keys.extend(path.split('.'));
    let (last, parents) = keys.split_last().expect("a field");
    let mut at = value;
    for key in parents {
        match at.get_mut(*key) {
            Some(next) if next.is_object() => at = next,
            _ => return,
        }
    }
    at[*last] = new;
}

/// Odd answers every job service may give: sub-jobs and entities `null` or
/// empty, and a status no source lists. The job still reads: its status is
/// `unknown` with the service's word kept, it has no sub-jobs, and nothing
/// panics.
#[tokio::test]
async fn a_job_with_null_or_empty_parts_and_an_unknown_status_still_reads() {
    for service in job_services() {
        let module = service.module;
        let view = service.task_view.as_ref().expect("task view");
        for empty in [Value::Null, json!([])] {
            let mut body = show_example(service);
            set_at(
                &mut body,
                view.show_item,
                view.fields.status,
                json!("PENDING_PAYMENT"),
            );
            for field in [view.fields.children, view.fields.entities]
                .into_iter()
                .flatten()
            {
                set_at(&mut body, view.show_item, field, empty.clone());
            }
            let (shown, _) = show_served(service, body, &format!("{module} with {empty}")).await;
            assert_eq!(shown.status, TaskStatus::Unknown, "{module}: {shown:?}");
            assert_eq!(
                shown.raw_status.as_deref(),
                Some("PENDING_PAYMENT"),
                "{module}"
            );
            assert!(
                shown.children.is_empty(),
                "{module} with {empty}: {shown:?}"
            );
        }
    }
}

/// The documented example of `service`'s show operation with its status set
/// to the service's first word for `status`.
fn example_with_status(service: &Service, status: TaskStatus) -> Value {
    let view = service.task_view.as_ref().expect("task view");
    let (word, _) = view
        .statuses
        .iter()
        .find(|(_, s)| *s == status)
        .unwrap_or_else(|| panic!("{}: no word for {status:?}", service.module));
    let mut body = show_example(service);
    set_at(&mut body, view.show_item, view.fields.status, json!(word));
    body
}

/// `wait_for` on a job of every job service, each in its own vocabulary:
/// running on the first look, succeeded on the second (so a service
/// without sub-jobs, RDS, is followed like the others), and failed.
#[tokio::test]
async fn wait_for_ends_a_job_of_every_job_service_in_its_own_words() {
    for service in job_services() {
        let module = service.module;
        for end in [TaskStatus::Succeeded, TaskStatus::Failed] {
            let bodies = vec![
                example_with_status(service, TaskStatus::Running),
                example_with_status(service, end),
            ];
            let (server, calls) = scripted(bodies).await;
            let reference = Task::reference(service, None, PROJECT, None, JOB);
            let mut seen = Vec::new();
            let ended =
                tasks::wait_for(&config(&server), service, &reference, &quick(10_000), |t| {
                    seen.push(t.status)
                })
                .await
                .unwrap_or_else(|e| panic!("{module}: {e}"));
            assert_eq!(ended.status, end, "{module}");
            assert_eq!(seen, [TaskStatus::Running, end], "{module}");
            assert_eq!(calls.load(Ordering::SeqCst), 2, "{module}");
        }
    }
}
