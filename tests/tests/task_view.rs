//! The task view over every service, against one local server.
//!
//! Every service's tasks come through `huaweicloud_tasks::tasks` in one shape,
//! read by the field names and status meanings its spec declares in
//! `x-hwc-task-view`; failures are tied to their service and instance without
//! hiding the other results. (`wait_for` is tested in `task_wait.rs`.)

use futures::StreamExt;
use huaweicloud_tasks::tasks::{self, Query, Task, TaskStatus};
use huaweicloud_tasks::{ErrorKind, dcs, opengauss, rabbitmq};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};
use workspace_tests::wire::{
    AK, PROJECT, SK, json_response, signed_config as config, utc, verify_signature,
};

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
    assert!(
        huaweicloud_tasks::SERVICES
            .iter()
            .all(|s| s.task_view.is_some()),
        "every service joins the view"
    );
    // The services that keep task lists (the others' jobs are shown by id).
    let all: Vec<&'static huaweicloud_tasks::runtime::Service> = huaweicloud_tasks::SERVICES
        .iter()
        .copied()
        .filter(|s| {
            s.task_view
                .as_ref()
                .is_some_and(|v| v.list_project.is_some() || v.list_instance.is_some())
        })
        .collect();
    assert_eq!(all.len(), 6);
    let all = all.as_slice();

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
