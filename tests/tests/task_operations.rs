//! The task operations beyond the lists, over a real socket (wiremock).
//!
//! For each of them (DCS `DeleteCenterTask`, `DeleteBackgroundTask`,
//! `ShowBackgroundTaskProgress`, `ShowJobInfo`; RabbitMQ `ShowBackgroundTask`,
//! `DeleteBackgroundTask`; openGauss `ShowJobDetail`, `DeleteJob`; DDS
//! `ListTasks`, `ShowJobDetail`) the server answers with the example the spec
//! embeds (read from the spec at test time), and the test checks the decoded
//! values, the method, path, query and headers that arrived, and the AK/SK
//! signature recomputed from the request as received. A DELETE is retried
//! after a 503 like a GET, and deleting a task that is already gone surfaces
//! the service's 404 with its error code.

use std::time::Duration;

use chrono::{DateTime, Utc};
use huaweicloud_tasks::{
    Config, Credentials, ErrorKind, RetryPolicy, dcs, dds, opengauss, rabbitmq,
};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use workspace_tests::spec_dir;
use workspace_tests::wire::{
    INSTANCE, PROJECT, deref, header, json_response, only_request, pairs, query_pairs, received,
    server_answering, utc, verify_signature,
};

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "example-secret-key-for-task-operations";
const TASK: &str = "8abf6e1e72c12e7c0172c15b508500aa";
const JOB: &str = "5cbb8a90-2253-4cff-8a13-49aa8f31dfb5";

fn signed(server: &MockServer) -> Config {
    Config::new(Credentials::access_key(AK, SK).unwrap())
        .endpoint(server.uri())
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
}

/// The 2xx example of an operation, read from its spec.
fn example(file: &str, path: &str, method: &str) -> (u16, Value) {
    let bundle = generator::spec::bundle::bundle(&spec_dir().join(file)).expect("the spec bundles");
    let document = &bundle.document;
    let op = document
        .pointer(&format!(
            "/paths/{}/{method}",
            path.replace('~', "~0").replace('/', "~1")
        ))
        .unwrap_or_else(|| panic!("{file}: no {method} {path}"));
    let (status, response) = op["responses"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .expect("a success response");
    let example = deref(document, response)
        .pointer("/content/application~1json/example")
        .cloned()
        .unwrap_or(Value::Null);
    (status.parse().unwrap(), example)
}

/// A server answering every request with the operation's own example.
async fn serving_example(file: &str, path: &str, method: &str) -> MockServer {
    let (status, body) = example(file, path, method);
    let template = if body.is_null() {
        ResponseTemplate::new(status)
    } else {
        json_response(status, &body)
    };
    server_answering(template.insert_header("X-Request-Id", "req-example")).await
}

/// Method, path and query as they arrived, a body-less request, and a
/// signature that verifies.
fn check_request(context: &str, request: &Request, verb: &str, path: &str, query: &[(&str, &str)]) {
    assert_eq!(request.method.as_str(), verb, "{context}");
    assert_eq!(request.url.path(), path, "{context}");
    assert_eq!(query_pairs(request), pairs(query), "{context}");
    assert!(request.body.is_empty(), "{context}: no request body");
    assert_eq!(header(request, "api-version"), None, "{context}");
    verify_signature(context, request, AK, SK);
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

// ---------------------------------------------------------------------------
// DCS
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dcs_delete_center_task() {
    let server = serving_example("dcs.yaml", "/v2/{project_id}/tasks/{task_id}", "delete").await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let response = client
        .delete_center_task()
        .project_id(PROJECT)
        .task_id(TASK)
        .call()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let request = only_request(&server).await;
    check_request(
        "DeleteCenterTask",
        &request,
        "DELETE",
        &format!("/v2/{PROJECT}/tasks/{TASK}"),
        &[],
    );
}

#[tokio::test]
async fn dcs_delete_background_task() {
    let path = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}";
    let server = serving_example("dcs.yaml", path, "delete").await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let answer = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(TASK)
        .call()
        .await
        .unwrap()
        .into_inner()
        .expect("a 200 answers the message");
    assert_eq!(answer.message.as_deref(), Some(""));
    let request = only_request(&server).await;
    check_request(
        "DeleteBackgroundTask",
        &request,
        "DELETE",
        &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{TASK}"),
        &[],
    );
}

#[tokio::test]
async fn dcs_show_background_task_progress() {
    let path = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}/progress";
    let server = serving_example("dcs.yaml", path, "get").await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let progress = client
        .show_background_task_progress()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(TASK)
        .call()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(progress.progress, Some(30));
    assert_eq!(progress.remain_time, Some(100));
    let steps = progress.step_details.unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].step_name.as_deref(), Some("前置检查"));
    assert_eq!(steps[0].step_status, Some(dcs::types::StepStatus::Finish));
    assert_eq!(steps[0].error_code.as_deref(), Some("DCS.4064"));
    // The definition's times carry no zone: kept as sent, not guessed.
    let begin = steps[0].begin_time.as_ref().unwrap();
    assert_eq!(begin.raw(), "2022-09-01 11:52:24");
    assert_eq!(begin.to_utc(), None);
    let sub = &steps[0].sub_step_details.as_ref().unwrap()[0];
    assert_eq!(sub.sub_step_name.as_deref(), Some("资源检查"));
    assert_eq!(sub.sub_step_status, Some(dcs::types::StepStatus::Finish));
    assert_eq!(
        steps[1].step_status,
        Some(dcs::types::StepStatus::Executing)
    );
    let details = steps[1].sub_step_details.as_ref().unwrap();
    assert_eq!(details.len(), 2);
    assert!(details[0].detail.as_deref().unwrap().contains("slot_range"));
    let request = only_request(&server).await;
    check_request(
        "ShowBackgroundTaskProgress",
        &request,
        "GET",
        &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{TASK}/progress"),
        &[],
    );
}

#[tokio::test]
async fn dcs_show_job_info() {
    let server = serving_example("dcs.yaml", "/v2/{project_id}/jobs/{job_id}", "get").await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let job_id = "ff8080818822bbf70188235afc24141a";
    let job = client
        .show_job_info()
        .project_id(PROJECT)
        .job_id(job_id)
        .call()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(job.job_id.as_deref(), Some(job_id));
    assert_eq!(
        job.job_type,
        Some(dcs::types::JobType::MasterStandbySwapJob)
    );
    assert_eq!(job.status, Some(dcs::types::JobStatus::Success));
    let begin: i64 = job.begin_time.as_deref().unwrap().parse().unwrap();
    let end: i64 = job.end_time.as_deref().unwrap().parse().unwrap();
    assert_eq!(
        millis(end) - millis(begin),
        chrono::Duration::milliseconds(2869)
    );
    assert_eq!(job.fail_reason, None);
    let request = only_request(&server).await;
    check_request(
        "ShowJobInfo",
        &request,
        "GET",
        &format!("/v2/{PROJECT}/jobs/{job_id}"),
        &[],
    );
}

// ---------------------------------------------------------------------------
// RabbitMQ
// ---------------------------------------------------------------------------

const RABBITMQ_TASK_PATH: &str = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}";

#[tokio::test]
async fn rabbitmq_show_background_task() {
    let server = serving_example("rabbitmq.yaml", RABBITMQ_TASK_PATH, "get").await;
    let client = rabbitmq::Client::from_config(&signed(&server)).unwrap();
    let task_id = "ff80808272dcc90f0172df1e490f41b0";
    let answer = client
        .show_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task_id)
        .call()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.task_count.map(|c| c.get()), Some(1));
    let tasks = answer.tasks.unwrap();
    assert_eq!(tasks[0].id.as_deref(), Some(task_id));
    assert_eq!(tasks[0].name.as_deref(), Some("bindInstancePublicIp"));
    assert_eq!(tasks[0].status, Some(rabbitmq::types::TaskStatus::Success));
    assert_eq!(
        tasks[0].created_at.as_ref().unwrap().to_utc().unwrap(),
        utc(2020, 6, 23, 3, 0, 3) + chrono::Duration::milliseconds(471)
    );
    let params: Value = serde_json::from_str(tasks[0].params.as_deref().unwrap()).unwrap();
    assert_eq!(params["enable_public_ip"], json!(true));
    let request = only_request(&server).await;
    check_request(
        "ShowBackgroundTask",
        &request,
        "GET",
        &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{task_id}"),
        &[],
    );
}

#[tokio::test]
async fn rabbitmq_delete_background_task() {
    let server = serving_example("rabbitmq.yaml", RABBITMQ_TASK_PATH, "delete").await;
    let client = rabbitmq::Client::from_config(&signed(&server)).unwrap();
    let response = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(TASK)
        .call()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let request = only_request(&server).await;
    check_request(
        "DeleteBackgroundTask",
        &request,
        "DELETE",
        &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{TASK}"),
        &[],
    );
}

// ---------------------------------------------------------------------------
// openGauss
// ---------------------------------------------------------------------------

#[tokio::test]
async fn opengauss_show_job_detail() {
    let server = serving_example("opengauss.yaml", "/v3/{project_id}/jobs", "get").await;
    let client = opengauss::Client::from_config(&signed(&server)).unwrap();
    let answer = client
        .show_job_detail()
        .project_id(PROJECT)
        .id(JOB)
        .call()
        .await
        .unwrap()
        .into_inner();
    let job = answer.job.unwrap();
    assert_eq!(job.id.as_deref(), Some(JOB));
    assert_eq!(
        job.name,
        Some(opengauss::types::TaskName::CreateGaussDbv5Instance)
    );
    assert_eq!(job.status, Some(opengauss::types::TaskStatus::Completed));
    // 2021-07-12T09:22:04+0000: an offset without a colon.
    assert_eq!(
        job.created.unwrap().to_utc().unwrap(),
        utc(2021, 7, 12, 9, 22, 4)
    );
    assert_eq!(
        job.ended.unwrap().to_utc().unwrap(),
        utc(2021, 7, 12, 10, 10, 13)
    );
    assert_eq!(job.progress.as_deref(), Some(""));
    let instance = job.instance.unwrap();
    assert_eq!(instance.name.as_deref(), Some("gauss-c1a3"));
    assert_eq!(job.fail_reason, None);
    let request = only_request(&server).await;
    check_request(
        "ShowJobDetail",
        &request,
        "GET",
        &format!("/v3/{PROJECT}/jobs"),
        &[("id", JOB)],
    );
    assert_eq!(
        header(&request, "x-language"),
        None,
        "the official SDKs send no X-Language for ShowJobDetail"
    );
}

#[tokio::test]
async fn opengauss_delete_job_sends_x_language() {
    let server =
        serving_example("opengauss.yaml", "/v3/{project_id}/jobs/{job_id}", "delete").await;
    let client = opengauss::Client::from_config(&signed(&server)).unwrap();
    let job_id = "6b00c41d-d54f-4bcb-80da-566ccedc2b5d";
    let response = client
        .delete_job()
        .project_id(PROJECT)
        .job_id(job_id)
        .x_language(opengauss::types::DeleteJobXLanguage::ZhCn)
        .call()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let request = only_request(&server).await;
    check_request(
        "DeleteJob",
        &request,
        "DELETE",
        &format!("/v3/{PROJECT}/jobs/{job_id}"),
        &[],
    );
    assert_eq!(header(&request, "x-language"), Some("zh-cn"));
    let auth = verify_signature("DeleteJob", &request, AK, SK);
    assert!(
        auth.signed_headers.iter().any(|h| h == "x-language"),
        "X-Language is signed: {:?}",
        auth.signed_headers
    );
}

// ---------------------------------------------------------------------------
// DDS
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dds_list_tasks() {
    let server = serving_example("dds.yaml", "/v3.1/{project_id}/jobs", "get").await;
    let client = dds::Client::from_config(&signed(&server)).unwrap();
    let page = client
        .list_tasks()
        .project_id(PROJECT)
        .start_time("2021-07-12T09:00:00+0800")
        .end_time("2021-07-14T09:00:00+0800")
        .status(dds::types::TaskStatus::Completed)
        .name(dds::types::TaskName::CreateMongoDb)
        .offset(0)
        .limit(10)
        .call()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.total_count.map(|c| c.get()), Some(1));
    let jobs = page.jobs.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].name.as_ref().map(|n| n.as_str()),
        Some("RestartReplicaSetInstance")
    );
    assert_eq!(
        jobs[0].instance_name.as_deref(),
        Some("dds-6be2-fwyrestore")
    );
    assert_eq!(jobs[0].status, Some(dds::types::TaskStatus::Completed));
    assert_eq!(
        jobs[0].created_at.as_ref().unwrap().to_utc().unwrap(),
        utc(2022, 9, 5, 6, 24, 14)
    );
    assert_eq!(
        jobs[0].ended_at.as_ref().unwrap().to_utc().unwrap(),
        utc(2022, 9, 5, 6, 25, 43)
    );
    assert_eq!(jobs[0].progress.as_deref(), Some(""));
    let request = only_request(&server).await;
    check_request(
        "ListTasks",
        &request,
        "GET",
        &format!("/v3.1/{PROJECT}/jobs"),
        &[
            ("start_time", "2021-07-12T09:00:00+0800"),
            ("end_time", "2021-07-14T09:00:00+0800"),
            ("status", "Completed"),
            ("name", "CreateMongoDB"),
            ("offset", "0"),
            ("limit", "10"),
        ],
    );
}

#[tokio::test]
async fn dds_list_tasks_refuses_a_page_over_100_before_sending() {
    let server = serving_example("dds.yaml", "/v3.1/{project_id}/jobs", "get").await;
    let client = dds::Client::from_config(&signed(&server)).unwrap();
    let error = client
        .list_tasks()
        .project_id(PROJECT)
        .start_time("2021-07-12T09:00:00+0800")
        .end_time("2021-07-14T09:00:00+0800")
        .limit(101)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(received(&server).await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn dds_show_job_detail() {
    let server = serving_example("dds.yaml", "/v3/{project_id}/jobs", "get").await;
    let client = dds::Client::from_config(&signed(&server)).unwrap();
    let id = "f85104b5-4a9c-4e0f-9505-fc5409d8f7ae";
    let job = client
        .show_job_detail()
        .project_id(PROJECT)
        .id(id)
        .call()
        .await
        .unwrap()
        .into_inner()
        .job
        .unwrap();
    assert_eq!(job.id.as_deref(), Some(id));
    assert_eq!(job.name.as_deref(), Some("Create_MongoDB"));
    assert_eq!(job.status, Some(dds::types::TaskStatus::Completed));
    assert_eq!(
        job.created.unwrap().to_utc().unwrap(),
        utc(2021, 7, 12, 9, 22, 4)
    );
    assert_eq!(job.progress.as_deref(), Some("100%"));
    assert_eq!(job.fail_reason, None);
    assert_eq!(
        job.instance.unwrap().id.as_deref(),
        Some("d87f5b33049144ec95f0cab0a5f22cfbin02")
    );
    let request = only_request(&server).await;
    check_request(
        "ShowJobDetail",
        &request,
        "GET",
        &format!("/v3/{PROJECT}/jobs"),
        &[("id", id)],
    );
}

#[tokio::test]
async fn dcs_delete_background_task_answered_204_without_a_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204).insert_header("X-Request-Id", "req-204"))
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let answer = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(TASK)
        .call()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 204);
    assert!(answer.into_inner().is_none());
}

// ---------------------------------------------------------------------------
// DELETE semantics: retried like a GET, a gone task is the service's 404.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_is_retried_after_a_503_and_each_attempt_is_signed() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            json_response(
                503,
                &json!({ "error_code": "DCS.5030", "error_msg": "busy" }),
            )
            .insert_header("X-Request-Id", "req-busy"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(json_response(200, &json!({ "message": "" })))
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let answer = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(TASK)
        .call()
        .await
        .unwrap()
        .into_inner()
        .expect("a 200 answers the message");
    assert_eq!(answer.message.as_deref(), Some(""));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "one retry after the 503");
    for (i, request) in requests.iter().enumerate() {
        check_request(
            &format!("attempt {}", i + 1),
            request,
            "DELETE",
            &format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{TASK}"),
            &[],
        );
    }
}

#[tokio::test]
async fn deleting_a_gone_task_again_is_the_services_404() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(json_response(200, &json!({ "message": "" })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(
            json_response(
                404,
                &json!({
                    "error_code": "111400014",
                    "error_msg": "The background task does not exist.",
                    "error_ext_msg": null
                }),
            )
            .insert_header("X-Request-Id", "req-gone"),
        )
        .mount(&server)
        .await;
    let client = dcs::Client::from_config(&signed(&server)).unwrap();
    let delete = || {
        client
            .delete_background_task()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .task_id(TASK)
            .call()
    };
    delete().await.expect("the first deletion succeeds");
    let error = delete().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.error_code(), Some("111400014"));
    assert_eq!(error.message(), "The background task does not exist.");
    assert_eq!(error.request_id(), Some("req-gone"));
    assert_eq!(error.operation(), "DeleteBackgroundTask");
    assert_eq!(error.attempts(), 1, "a 404 is not retried");
    assert_eq!(received(&server).await.len(), 2);
}
