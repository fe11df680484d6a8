//! The mock's scheduled tasks and its job stories, driven through the task
//! view as a consumer would, for every service the generated table gives a
//! scheduled view or a job with sub-jobs: a service whose spec gains one is
//! covered here the day it lands.

use std::time::Duration;

use futures::StreamExt;
use huaweicloud_tasks::mock::{MockCloud, PENDING_PAYMENT};
use huaweicloud_tasks::runtime::{Location, Service};
use huaweicloud_tasks::tasks::{self, Query, Task, TaskKind, TaskStatus, WaitError, WaitOptions};
use huaweicloud_tasks::{Credentials, SERVICES};

const PROJECT: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";
const INSTANCE: &str = "demo-1";

fn credentials() -> Credentials {
    Credentials::access_key("AK", "SK").unwrap()
}

fn scheduled_services() -> Vec<&'static Service> {
    let found: Vec<_> = SERVICES
        .iter()
        .copied()
        .filter(|s| s.scheduled_view.is_some())
        .collect();
    assert!(!found.is_empty(), "no service has a scheduled view");
    found
}

/// Services whose job (shown by id) has sub-jobs.
fn job_services() -> Vec<&'static Service> {
    let found: Vec<_> = SERVICES
        .iter()
        .copied()
        .filter(|s| {
            s.task_view
                .as_ref()
                .is_some_and(|v| v.show.is_some() && v.fields.children.is_some())
        })
        .collect();
    assert!(!found.is_empty(), "no service shows a job with sub-jobs");
    found
}

fn quick(timeout: Duration) -> WaitOptions {
    WaitOptions {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(5),
        timeout,
    }
}

fn job(service: &'static Service, id: &str) -> Task {
    Task::reference(service, None, PROJECT.to_string(), None, id.to_string())
}

/// Every service with scheduled tasks lists the mock's scheduled tasks
/// (only those: each is of the scheduled kind, with the time it is set
/// for), and cancels one with the view's own operation: the request that
/// arrives is that operation's method on a path naming the task.
#[tokio::test]
async fn scheduled_tasks_list_and_cancel_in_every_service_that_has_them() {
    let mock = MockCloud::start(6).await;
    for service in scheduled_services() {
        let view = service.scheduled_view.as_ref().unwrap();
        let mut query = Query::new(&[service], mock.config(credentials()))
            .project(PROJECT)
            .scheduled();
        if view.list_project.is_none() {
            query = query.instance(INSTANCE);
        }
        let listed: Vec<Task> = tasks::list(query)
            .map(|t| t.expect("listed"))
            .collect()
            .await;
        assert_eq!(listed.len(), 6, "{}", service.module);
        for task in &listed {
            assert_eq!(task.kind, TaskKind::Scheduled, "{}", service.module);
            assert!(
                task.id.starts_with("scheduled-"),
                "{}: {}",
                service.module,
                task.id
            );
            assert!(
                task.scheduled_at.is_some(),
                "{}: {}",
                service.module,
                task.id
            );
        }
        // A background listing of the same scope never shows them.
        if let Some(background) = service
            .task_view
            .as_ref()
            .filter(|v| v.list_project.is_some() || v.list_instance.is_some())
        {
            let mut query = Query::new(&[service], mock.config(credentials())).project(PROJECT);
            if background.list_project.is_none() {
                query = query.instance(INSTANCE);
            }
            let others: Vec<Task> = tasks::list(query)
                .map(|t| t.expect("listed"))
                .collect()
                .await;
            assert!(
                others
                    .iter()
                    .all(|t| t.kind == TaskKind::Background && !t.id.starts_with("scheduled-")),
                "{}",
                service.module
            );
        }

        let target = &listed[0];
        let before = mock.received(service.module).await.len();
        tasks::delete(&mock.config(credentials()), service, target)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", service.module));
        let received = mock.received(service.module).await;
        assert_eq!(received.len(), before + 1, "{}", service.module);
        let request = received.last().unwrap();
        let operation = service
            .operations
            .iter()
            .find(|o| Some(o.id) == view.delete)
            .expect("the view's delete operation is in the table");
        assert_eq!(
            request.method.as_str(),
            operation.method,
            "{}",
            service.module
        );
        assert!(
            request.url.path().ends_with(&target.id)
                || request.url.path().contains(&format!("/{}/", target.id)),
            "{}: {} does not name {}",
            service.module,
            request.url.path(),
            target.id
        );
    }
    assert_eq!(mock.unexpected().await, Vec::<String>::new());
}

/// `job-ok...` runs through its three sub-jobs to success: every look
/// shows one more sub-job done, and the job ends succeeded with all three.
#[tokio::test]
async fn a_job_runs_through_its_sub_jobs_to_success_in_every_job_service() {
    let mock = MockCloud::start(1).await;
    let config = mock.config(credentials());
    for service in job_services() {
        let mut seen = Vec::new();
        let done = tasks::wait_for(
            &config,
            service,
            &job(service, "job-ok-1"),
            &quick(Duration::from_secs(30)),
            |t| {
                let finished = t
                    .children
                    .iter()
                    .filter(|c| c.status == TaskStatus::Succeeded)
                    .count();
                seen.push((t.status, finished));
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", service.module));
        assert_eq!(done.status, TaskStatus::Succeeded, "{}", service.module);
        assert_eq!(done.children.len(), 3, "{}", service.module);
        assert!(
            done.children
                .iter()
                .all(|c| c.status == TaskStatus::Succeeded),
            "{}",
            service.module
        );
        assert_eq!(
            seen,
            vec![
                (TaskStatus::Running, 0),
                (TaskStatus::Running, 1),
                (TaskStatus::Running, 2),
                (TaskStatus::Succeeded, 3),
            ],
            "{}",
            service.module
        );
        assert_eq!(done.reason, None, "{}", service.module);
        progress_keeps_the_documented_type(service, &done);
    }
}

/// A story's progress figure has the JSON type of the documented example's,
/// or is a number (a fraction) where the example leaves it out (IMS's
/// `process_percent`, a double in the definition), and is the whole at the
/// end.
fn progress_keeps_the_documented_type(service: &'static Service, done: &Task) {
    let view = service.task_view.as_ref().expect("a task view");
    let (Some(field), Some(show)) = (view.fields.progress, view.show) else {
        return;
    };
    let at = |value: &serde_json::Value, path: &str| {
        path.split('.')
            .filter(|p| !p.is_empty())
            .try_fold(value.clone(), |v, key| v.get(key).cloned())
    };
    let show = service
        .operations
        .iter()
        .find(|op| op.id == show)
        .expect("the show operation")
        .name;
    let example = huaweicloud_tasks::EXAMPLES
        .iter()
        .find(|(module, op, status, _)| *module == service.module && *op == show && *status == 200)
        .and_then(|(_, _, _, body)| body.as_ref())
        .map(|body| serde_json::from_str::<serde_json::Value>(body).expect("JSON"))
        .expect("the show operation's example");
    let documented = at(&example, view.show_item).and_then(|job| at(&job, field));
    let sent = done.raw.as_ref().and_then(|raw| at(raw, field));
    let documented = documented.unwrap_or(serde_json::json!(0.5));
    let Some(sent) = sent else {
        panic!("{}: no {field} in the answer", service.module);
    };
    let kind = |v: &serde_json::Value| (v.is_number(), v.is_string(), v.is_null());
    assert_eq!(
        kind(&sent),
        kind(&documented),
        "{}: {sent} for {documented}",
        service.module
    );
    assert!(
        sent == 1.0 || sent == "100",
        "{}: ends at {sent}",
        service.module
    );
}

/// `job-fail...` fails in its second sub-job; the job gives no reason of
/// its own, so the one reported is that sub-job's.
#[tokio::test]
async fn a_job_that_fails_in_its_second_sub_job_reports_that_reason() {
    let mock = MockCloud::start(1).await;
    let config = mock.config(credentials());
    for service in job_services() {
        let done = tasks::wait_for(
            &config,
            service,
            &job(service, "job-fail-7"),
            &quick(Duration::from_secs(30)),
            |_| {},
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", service.module));
        assert_eq!(done.status, TaskStatus::Failed, "{}", service.module);
        let statuses: Vec<TaskStatus> = done.children.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            vec![
                TaskStatus::Succeeded,
                TaskStatus::Failed,
                TaskStatus::Pending
            ],
            "{}",
            service.module
        );
        assert_eq!(
            done.children[1].id, "job-fail-7-sub-2",
            "{}",
            service.module
        );
        let reason = done.reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("sub-job 2 of job-fail-7 failed"),
            "{}: {reason:?}",
            service.module
        );
    }
}

/// `job-payment...` stays `PENDING_PAYMENT`, a status no source lists: it
/// reads as unknown with the raw word kept, and the wait ends at the
/// deadline with that word in the error.
#[tokio::test]
async fn a_job_waiting_for_payment_ends_at_the_deadline_naming_its_status() {
    let mock = MockCloud::start(1).await;
    let config = mock.config(credentials());
    for service in job_services() {
        let mut looks = 0;
        let error = tasks::wait_for(
            &config,
            service,
            &job(service, "job-payment-3"),
            &quick(Duration::from_millis(200)),
            |t| {
                looks += 1;
                assert_eq!(t.status, TaskStatus::Unknown);
                assert_eq!(t.raw_status.as_deref(), Some(PENDING_PAYMENT));
            },
        )
        .await
        .expect_err("a job awaiting payment never ends");
        assert!(looks >= 1, "{}", service.module);
        match &error {
            WaitError::Deadline { last, .. } => {
                let last = last.as_deref().expect("the last state seen");
                assert_eq!(last.raw_status.as_deref(), Some(PENDING_PAYMENT));
            }
            other => panic!("{}: {other}", service.module),
        }
        assert!(
            error.to_string().contains(PENDING_PAYMENT),
            "{}: {error}",
            service.module
        );
    }
}

/// Any other id is answered with the documented example, as before the
/// stories: the id the request named is not rewritten.
#[tokio::test]
async fn other_job_ids_get_the_documented_example() {
    let mock = MockCloud::start(1).await;
    let config = mock.config(credentials());
    for service in job_services() {
        let shown = tasks::show(&config, service, &job(service, "someone-elses-job"))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", service.module))
            .expect("the example is a job");
        assert_ne!(shown.id, "someone-elses-job", "{}", service.module);
        let show = service
            .operations
            .iter()
            .find(|o| Some(o.id) == service.task_view.as_ref().unwrap().show)
            .unwrap();
        assert!(
            show.params.iter().any(|p| p.location != Location::Header),
            "{}",
            service.module
        );
    }
}
