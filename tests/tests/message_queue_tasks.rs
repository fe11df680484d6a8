//! The DMS for Kafka and DMS for RocketMQ background task operations on the
//! wire, through the generated `kafka` and `rocketmq` modules.
//!
//! For each of the eight operations a local server answers with the example
//! response embedded in the spec (read from the bundled spec at test time, so
//! the example the documents publish is the one decoded), and the test checks
//! the decoded values, the method, path and query that arrived, and the
//! AK/SK signature recomputed from the request as received. Then, for both
//! services: a DELETE is retried after a 503 like a GET (deleting is
//! idempotent), and deleting a task that is already gone surfaces the
//! service's 404 with its error code, message and request id, sent once.

use huaweicloud_tasks::{Config, Credentials, ErrorKind, RetryPolicy, kafka, rocketmq};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use workspace_tests::wire::{
    INSTANCE, PROJECT, deref, header, json_response, only_request, pairs, query_pairs, received,
    utc, verify_signature,
};

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";
const REQUEST_ID: &str = "7e1d3b0c9f2a4e58b6c1d0a9f8e7d6c5";

const TASKS: &str = "/v2/{project_id}/instances/{instance_id}/tasks";
const TASK: &str = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}";
const PROGRESS: &str = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}/progress";

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

/// A client configuration that signs with AK/SK and sends to `server`.
fn signed(server: &MockServer) -> Config {
    Config::new(Credentials::access_key(AK, SK).unwrap()).endpoint(server.uri())
}

/// The bundled spec of `file` in `spec/`.
fn spec_document(file: &str) -> Value {
    let spec = workspace_tests::spec_dir().join(file);
    generator::spec::bundle::bundle(&spec)
        .unwrap_or_else(|e| panic!("bundling {}: {e}", spec.display()))
        .document
}

/// The JSON example of response `status` of `verb` `spec_path` in `file`.
fn documented_example(file: &str, spec_path: &str, verb: &str, status: &str) -> Value {
    let document = spec_document(file);
    let response = &document["paths"][spec_path][verb]["responses"][status];
    assert!(
        !response.is_null(),
        "{file}: {verb} {spec_path} documents no {status} response"
    );
    let example = &deref(&document, response)["content"]["application/json"]["example"];
    assert!(
        !example.is_null(),
        "{file}: {verb} {spec_path} {status} has no JSON example"
    );
    example.clone()
}

/// `template` with the request id the gateway adds to every answer.
fn with_request_id(template: ResponseTemplate) -> ResponseTemplate {
    template.insert_header("X-Request-Id", REQUEST_ID)
}

/// A server answering `verb` on `wire_path` with `template`, and anything
/// else with a 404 (so a wrong method or path fails the call).
async fn serving(verb: &str, wire_path: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(wire_path))
        .respond_with(with_request_id(template))
        .mount(&server)
        .await;
    server
}

/// The wire path of an instance's task list.
fn tasks_path() -> String {
    format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks")
}

/// The wire path of one task.
fn task_path(task: &str) -> String {
    format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks/{task}")
}

/// Method, path, query and `Accept` as they arrived, and the signature
/// recomputed from them; the request carries no body.
fn assert_arrived(
    context: &str,
    request: &Request,
    verb: &str,
    wire_path: &str,
    query: &[(&str, &str)],
) {
    assert_eq!(request.method.as_str(), verb, "{context}");
    assert_eq!(request.url.path(), wire_path, "{context}");
    assert_eq!(query_pairs(request), pairs(query), "{context}");
    assert!(request.body.is_empty(), "{context}: no request body");
    // Operations answering JSON ask for it; the DELETE (204, no body) takes any.
    let accept = if verb == "DELETE" {
        "*/*"
    } else {
        "application/json"
    };
    assert_eq!(header(request, "accept"), Some(accept), "{context}");
    verify_signature(context, request, AK, SK);
}

fn millis(at: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(at).unwrap()
}

// ---------------------------------------------------------------------------
// DMS for Kafka.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn kafka_list_background_tasks_decodes_the_example_and_sends_start_limit_and_times() {
    let example = documented_example("kafka.yaml", TASKS, "get", "200");
    let server = serving("GET", &tasks_path(), json_response(200, &example)).await;
    let client = kafka::Client::from_config(&signed(&server)).unwrap();
    let page = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(1)
        .limit(10)
        .begin_time(utc(2020, 5, 15, 0, 0, 0))
        .end_time(utc(2020, 5, 16, 0, 0, 0))
        .call()
        .await
        .unwrap();

    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(
        page.task_count.map(|c| c.get()),
        Some(4),
        "task_count sent as the string \"4\""
    );
    let tasks = page.tasks.as_deref().unwrap();
    assert_eq!(tasks.len(), 2);

    let running = &tasks[0];
    assert_eq!(
        running.id.as_deref(),
        Some("8abfa7b372160bfd0172165864064079")
    );
    assert_eq!(running.name.as_deref(), Some("modifyAutoTopic"));
    assert_eq!(running.user_name.as_deref(), Some("paas_dms"));
    assert_eq!(
        running.user_id.as_deref(),
        Some("3df5acbc24a54fadb62a043c9000a307")
    );
    assert_eq!(
        running.params.as_deref(),
        Some(r#"{"old_auto_status":true,"new_auto_status":false}"#)
    );
    assert_eq!(running.status, Some(kafka::types::TaskStatus::Executing));
    let created = running.created_at.as_ref().unwrap();
    assert_eq!(
        created.to_utc().unwrap(),
        utc(2020, 5, 15, 3, 19, 51) + chrono::Duration::milliseconds(46)
    );
    assert_eq!(created.raw(), "2020-05-15T03:19:51.046Z");
    assert_eq!(
        running.updated_at.as_ref().and_then(|t| t.to_utc()),
        Some(utc(2020, 5, 15, 3, 19, 51) + chrono::Duration::milliseconds(65))
    );

    let done = &tasks[1];
    assert_eq!(done.name.as_deref(), Some("changeRetentionPolicy"));
    assert_eq!(done.status, Some(kafka::types::TaskStatus::Success));
    assert_eq!(
        done.params.as_deref(),
        Some(r#"{"new_retention_policy":"produce_reject","origin_retention_policy":"time_base"}"#)
    );

    let request = only_request(&server).await;
    assert_arrived(
        "kafka ListBackgroundTasks",
        &request,
        "GET",
        &tasks_path(),
        &[
            ("start", "1"),
            ("limit", "10"),
            ("begin_time", "20200515000000"),
            ("end_time", "20200516000000"),
        ],
    );
    assert_eq!(
        request.url.query(),
        Some("begin_time=20200515000000&end_time=20200516000000&limit=10&start=1"),
        "the wire query is the canonical (sorted) one"
    );
}

#[tokio::test]
async fn kafka_show_background_task_decodes_the_example() {
    let task = "8abfa7b272adc5b40172b73130065ae7";
    let example = documented_example("kafka.yaml", TASK, "get", "200");
    let server = serving("GET", &task_path(task), json_response(200, &example)).await;
    let client = kafka::Client::from_config(&signed(&server)).unwrap();
    let shown = client
        .show_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(shown.task_count.map(|c| c.get()), Some(1));
    let tasks = shown.tasks.as_deref().unwrap();
    assert_eq!(tasks.len(), 1);
    let only = &tasks[0];
    assert_eq!(only.id.as_deref(), Some(task));
    assert_eq!(only.name.as_deref(), Some("bindInstancePublicIp"));
    assert_eq!(only.status, Some(kafka::types::TaskStatus::Success));
    assert_eq!(
        only.params.as_deref(),
        Some(
            r#"{"public_ip_id":"1aea7aed-e7d8-40ea-b3de-6f3ee9d5db9f","public_ip_address":"100.93.2.18","enable_public_ip":true}"#
        )
    );
    assert_eq!(
        only.created_at.as_ref().and_then(|t| t.to_utc()),
        Some(utc(2020, 6, 15, 8, 55, 53) + chrono::Duration::milliseconds(606))
    );
    assert_eq!(
        only.updated_at.as_ref().and_then(|t| t.to_utc()),
        Some(utc(2020, 6, 15, 8, 55, 56) + chrono::Duration::milliseconds(600))
    );

    let request = only_request(&server).await;
    assert_arrived(
        "kafka ShowBackgroundTask",
        &request,
        "GET",
        &task_path(task),
        &[],
    );
}

#[tokio::test]
async fn kafka_show_background_task_progress_decodes_the_example() {
    let task = "8abfa7b372160bfd0172165864064079";
    let example = documented_example("kafka.yaml", PROGRESS, "get", "200");
    let wire_path = format!("{}/progress", task_path(task));
    let server = serving("GET", &wire_path, json_response(200, &example)).await;
    let client = kafka::Client::from_config(&signed(&server)).unwrap();
    let progress = client
        .show_background_task_progress()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(progress.progress_percentage, Some(100));
    assert_eq!(progress.remain_time, Some(0));
    let steps = progress.step_list.as_deref().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].name.as_deref(), Some("pre_check"));
    assert_eq!(steps[0].statue, Some(kafka::types::StepStatus::Completed));
    assert_eq!(steps[0].start_time, Some(1_763_350_067_752));
    assert_eq!(steps[0].end_time, Some(1_763_350_111_208));
    assert_eq!(
        millis(steps[0].start_time.unwrap()),
        utc(2025, 11, 17, 3, 27, 47) + chrono::Duration::milliseconds(752),
        "step times are UNIX milliseconds"
    );
    assert_eq!(steps[1].name.as_deref(), Some("disk_expansion"));
    assert_eq!(steps[1].statue, Some(kafka::types::StepStatus::Completed));
    assert_eq!(steps[1].start_time, Some(1_763_350_111_326));
    assert_eq!(steps[1].end_time, Some(1_763_350_189_383));

    let request = only_request(&server).await;
    assert_arrived(
        "kafka ShowBackgroundTaskProgress",
        &request,
        "GET",
        &wire_path,
        &[],
    );
}

#[tokio::test]
async fn kafka_delete_background_task_answers_204_without_a_body() {
    let task = "8abfa7b372160bfd017216560af83e6e";
    let server = serving("DELETE", &task_path(task), ResponseTemplate::new(204)).await;
    let client = kafka::Client::from_config(&signed(&server)).unwrap();
    let deleted = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(
        deleted
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some(REQUEST_ID)
    );

    let request = only_request(&server).await;
    assert_arrived(
        "kafka DeleteBackgroundTask",
        &request,
        "DELETE",
        &task_path(task),
        &[],
    );
}

// ---------------------------------------------------------------------------
// DMS for RocketMQ.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn rocketmq_list_background_tasks_decodes_the_example_and_sends_start_limit_and_times() {
    let example = documented_example("rocketmq.yaml", TASKS, "get", "200");
    let server = serving("GET", &tasks_path(), json_response(200, &example)).await;
    let client = rocketmq::Client::from_config(&signed(&server)).unwrap();
    let page = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .start(1)
        .limit(100)
        .begin_time(utc(2020, 6, 23, 0, 0, 0))
        .end_time(utc(2020, 6, 24, 0, 0, 0))
        .call()
        .await
        .unwrap();

    assert_eq!(page.task_count.map(|c| c.get()), Some(1));
    let tasks = page.tasks.as_deref().unwrap();
    assert_eq!(tasks.len(), 1);
    let only = &tasks[0];
    assert_eq!(only.id.as_deref(), Some("ff80808272dcc90f0172df1e490f41b0"));
    assert_eq!(only.name.as_deref(), Some("bindInstancePublicIp"));
    assert_eq!(only.user_name.as_deref(), Some("dms_test"));
    assert_eq!(
        only.user_id.as_deref(),
        Some("xxxxxxxx93ff484a828144c6xxxxxxxx")
    );
    assert_eq!(only.status, Some(rocketmq::types::TaskStatus::Success));
    assert_eq!(
        only.params.as_deref(),
        Some(
            r#"{"public_ip_id":"06a13350-4305-4338-9f0e-6b322bb1413d","public_ip_address":"xx.xx.xx.xx","enable_public_ip":true}"#
        )
    );
    assert_eq!(
        only.created_at.as_ref().and_then(|t| t.to_utc()),
        Some(utc(2020, 6, 23, 3, 0, 3) + chrono::Duration::milliseconds(471))
    );
    assert_eq!(
        only.updated_at.as_ref().and_then(|t| t.to_utc()),
        Some(utc(2020, 6, 23, 3, 0, 8) + chrono::Duration::milliseconds(130))
    );

    let request = only_request(&server).await;
    assert_arrived(
        "rocketmq ListBackgroundTasks",
        &request,
        "GET",
        &tasks_path(),
        &[
            ("start", "1"),
            ("limit", "100"),
            ("begin_time", "20200623000000"),
            ("end_time", "20200624000000"),
        ],
    );
}

#[tokio::test]
async fn rocketmq_list_background_tasks_sends_a_limit_no_source_bounds() {
    // Neither the reference page nor the definition bounds `limit`; the
    // service decides (paging itself asks for at most 100).
    let example = documented_example("rocketmq.yaml", TASKS, "get", "200");
    let server = serving("GET", &tasks_path(), json_response(200, &example)).await;
    let client = rocketmq::Client::from_config(&signed(&server)).unwrap();
    client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .limit(101)
        .call()
        .await
        .expect("sent");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let limit = requests[0]
        .url
        .query_pairs()
        .find(|(k, _)| k == "limit")
        .map(|(_, v)| v.into_owned());
    assert_eq!(limit.as_deref(), Some("101"));
}

#[tokio::test]
async fn rocketmq_show_background_task_decodes_the_example() {
    let task = "ff80808272dcc90f0172df1e490f41b0";
    let example = documented_example("rocketmq.yaml", TASK, "get", "200");
    let server = serving("GET", &task_path(task), json_response(200, &example)).await;
    let client = rocketmq::Client::from_config(&signed(&server)).unwrap();
    let shown = client
        .show_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(shown.task_count.map(|c| c.get()), Some(1));
    let tasks = shown.tasks.as_deref().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].id.as_deref(), Some(task));
    assert_eq!(tasks[0].name.as_deref(), Some("bindInstancePublicIp"));
    assert_eq!(tasks[0].status, Some(rocketmq::types::TaskStatus::Success));
    assert_eq!(
        tasks[0].created_at.as_ref().map(|t| t.raw()),
        Some("2020-06-23T03:00:03.471Z")
    );

    let request = only_request(&server).await;
    assert_arrived(
        "rocketmq ShowBackgroundTask",
        &request,
        "GET",
        &task_path(task),
        &[],
    );
}

#[tokio::test]
async fn rocketmq_show_background_task_progress_decodes_the_example_with_null_times() {
    let task = "ff80808272dcc90f0172df1e490f41b0";
    let example = documented_example("rocketmq.yaml", PROGRESS, "get", "200");
    let wire_path = format!("{}/progress", task_path(task));
    let server = serving("GET", &wire_path, json_response(200, &example)).await;
    let client = rocketmq::Client::from_config(&signed(&server)).unwrap();
    let progress = client
        .show_background_task_progress()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(progress.progress_percentage, Some(40));
    assert_eq!(progress.remain_time, Some(1124));
    let steps = progress.step_list.as_deref().unwrap();
    assert_eq!(steps.len(), 3);

    assert_eq!(steps[0].name.as_deref(), Some("pre_check"));
    assert_eq!(
        steps[0].statue,
        Some(rocketmq::types::StepStatus::Completed)
    );
    assert_eq!(steps[0].start_time, Some(1_765_307_538_503));
    assert_eq!(steps[0].end_time, Some(1_765_307_543_133));

    assert_eq!(steps[1].name.as_deref(), Some("rolling_scaling"));
    assert_eq!(
        steps[1].statue,
        Some(rocketmq::types::StepStatus::InProgress)
    );
    assert_eq!(steps[1].start_time, Some(1_765_307_543_286));
    assert_eq!(
        steps[1].end_time, None,
        "a running step has a null end_time"
    );
    assert_eq!(
        millis(steps[1].start_time.unwrap()),
        utc(2025, 12, 9, 19, 12, 23) + chrono::Duration::milliseconds(286)
    );

    assert_eq!(steps[2].name.as_deref(), Some("resume_operation"));
    assert_eq!(steps[2].statue, Some(rocketmq::types::StepStatus::Waiting));
    assert_eq!(steps[2].start_time, None);
    assert_eq!(steps[2].end_time, None);

    let request = only_request(&server).await;
    assert_arrived(
        "rocketmq ShowBackgroundTaskProgress",
        &request,
        "GET",
        &wire_path,
        &[],
    );
}

#[tokio::test]
async fn rocketmq_delete_background_task_answers_204_without_a_body() {
    let task = "ff80808272dcc90f0172df1e490f41b0";
    let server = serving("DELETE", &task_path(task), ResponseTemplate::new(204)).await;
    let client = rocketmq::Client::from_config(&signed(&server)).unwrap();
    let deleted = client
        .delete_background_task()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .task_id(task)
        .call()
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);

    let request = only_request(&server).await;
    assert_arrived(
        "rocketmq DeleteBackgroundTask",
        &request,
        "DELETE",
        &task_path(task),
        &[],
    );
}

// ---------------------------------------------------------------------------
// DELETE: retried like a GET; a task already gone is the service's 404.
// ---------------------------------------------------------------------------

/// Both behaviours for one service module and its spec file.
macro_rules! delete_behaviour {
    ($name:ident, $module:ident, $spec:literal) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn delete_is_retried_after_a_503_and_each_attempt_is_signed() {
                let task = "8abfa7b372160bfd017216560af83e6e";
                let server = MockServer::start().await;
                Mock::given(method("DELETE"))
                    .and(path(task_path(task)))
                    .respond_with(with_request_id(json_response(
                        503,
                        &serde_json::json!({
                            "error_code": "APIGW.0503",
                            "error_msg": "Service unavailable."
                        }),
                    )))
                    .up_to_n_times(1)
                    .mount(&server)
                    .await;
                Mock::given(method("DELETE"))
                    .and(path(task_path(task)))
                    .respond_with(with_request_id(ResponseTemplate::new(204)))
                    .mount(&server)
                    .await;
                let config = signed(&server).retry(RetryPolicy {
                    initial_backoff: std::time::Duration::from_millis(10),
                    ..RetryPolicy::default().with_max_attempts(3)
                });
                let client = $module::Client::from_config(&config).unwrap();
                let deleted = client
                    .delete_background_task()
                    .project_id(PROJECT)
                    .instance_id(INSTANCE)
                    .task_id(task)
                    .call()
                    .await
                    .unwrap();
                assert_eq!(deleted.status().as_u16(), 204);

                let requests = received(&server).await;
                assert_eq!(requests.len(), 2, "the 503 is retried once: {requests:#?}");
                for (i, request) in requests.iter().enumerate() {
                    assert_arrived(
                        &format!("{} attempt {}", $spec, i + 1),
                        request,
                        "DELETE",
                        &task_path(task),
                        &[],
                    );
                }
            }

            #[tokio::test]
            async fn deleting_a_task_already_gone_is_the_services_404() {
                let task = "8abfa7b372160bfd017216560af83e6e";
                let gone = documented_example($spec, TASK, "delete", "404");
                let server = MockServer::start().await;
                Mock::given(method("DELETE"))
                    .and(path(task_path(task)))
                    .respond_with(with_request_id(ResponseTemplate::new(204)))
                    .up_to_n_times(1)
                    .mount(&server)
                    .await;
                Mock::given(method("DELETE"))
                    .and(path(task_path(task)))
                    .respond_with(with_request_id(json_response(404, &gone)))
                    .mount(&server)
                    .await;
                let client = $module::Client::from_config(&signed(&server)).unwrap();
                let delete = || {
                    client
                        .delete_background_task()
                        .project_id(PROJECT)
                        .instance_id(INSTANCE)
                        .task_id(task)
                        .call()
                };

                assert_eq!(delete().await.unwrap().status().as_u16(), 204);
                let error = delete().await.unwrap_err();
                assert_eq!(error.kind(), ErrorKind::Service, "{error}");
                assert_eq!(error.status(), Some(404));
                assert_eq!(error.error_code(), gone["error_code"].as_str());
                assert_eq!(error.message(), gone["error_msg"].as_str().unwrap());
                assert_eq!(error.request_id(), Some(REQUEST_ID));
                assert_eq!(error.operation(), "DeleteBackgroundTask");
                assert_eq!(error.attempts(), 1, "a 404 is not retried");
                assert!(!error.is_retryable());
                let body: Value = serde_json::from_slice(error.body().unwrap()).unwrap();
                assert_eq!(body, gone, "the raw body is kept");

                let requests = received(&server).await;
                assert_eq!(requests.len(), 2, "one request per call");
                for (i, request) in requests.iter().enumerate() {
                    assert_arrived(
                        &format!("{} delete {}", $spec, i + 1),
                        request,
                        "DELETE",
                        &task_path(task),
                        &[],
                    );
                }
            }
        }
    };
}

delete_behaviour!(kafka_delete, kafka, "kafka.yaml");
delete_behaviour!(rocketmq_delete, rocketmq, "rocketmq.yaml");
