//! The `list_tasks` example as a user runs it: a real process, real sockets,
//! credentials from the environment.

use std::path::PathBuf;
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";

/// `cargo test` builds the package's examples next to its test binaries.
fn example() -> PathBuf {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("list_tasks{}", std::env::consts::EXE_SUFFIX))
}

async fn run(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(example())
            .args(&args)
            .env_clear()
            .env("HUAWEICLOUD_SDK_AK", "AKCLIEXAMPLE")
            .env("HUAWEICLOUD_SDK_SK", "cli-secret-key")
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .output()
            .expect("run list_tasks")
    })
    .await
    .expect("join")
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Serves `total` tasks, sliced by `offset` and `limit`.
struct Tasks(u64);

impl Respond for Tasks {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let get = |name: &str, default: u64| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(default)
        };
        let (offset, limit) = (get("offset", 0), get("limit", 10));
        let tasks: Vec<Value> = (offset..(offset + limit).min(self.0))
            .map(|i| json!({ "id": format!("t{i}"), "name": "EXTEND", "created_at": "2023-06-17T08:18:06.597Z" }))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({ "task_count": self.0.to_string(), "tasks": tasks }))
    }
}

#[tokio::test]
async fn prints_one_json_object_per_task_and_nothing_else() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/tasks")))
        .and(header_exists("authorization"))
        .respond_with(Tasks(8))
        .mount(&server)
        .await;
    let out = run(&["dcs-center", "--endpoint", &server.uri(), "--limit", "5"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One page of `--limit` tasks out of the 8 the server has.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let limits: Vec<String> = requests[0]
        .url
        .query_pairs()
        .filter(|(k, _)| k == "limit")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(limits, ["5"], "{}", requests[0].url);
    let printed = lines(&out.stdout);
    assert_eq!(printed.len(), 5);
    let first: Value = serde_json::from_str(&printed[0]).unwrap();
    assert_eq!(first["id"], "t0");
    assert_eq!(first["created_at"], "2023-06-17T08:18:06.597Z");
}

#[tokio::test]
async fn all_walks_every_page_once() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v2/{PROJECT}/tasks")))
        .respond_with(Tasks(25))
        .mount(&server)
        .await;
    let out = run(&[
        "dcs-center",
        "--endpoint",
        &server.uri(),
        "--all",
        "--page-size",
        "10",
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = (0..25).map(|i| format!("t{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_service_error_is_one_line_with_status_code_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Request-Id", "req-cli-1")
                .set_body_json(
                    json!({ "error_code": "DMS.00400002", "error_msg": "Invalid instance" }),
                ),
        )
        .mount(&server)
        .await;
    let out = run(&[
        "rabbitmq",
        "--instance-id",
        "mq-1",
        "--endpoint",
        &server.uri(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = lines(&out.stderr);
    assert_eq!(
        err,
        [
            "error: ListBackgroundTasks: service error, status 400, error_code DMS.00400002: Invalid instance (request id req-cli-1)"
        ]
    );
}

#[tokio::test]
async fn a_bad_argument_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Tasks(1))
        .mount(&server)
        .await;
    let out = run(&[
        "opengauss",
        "--endpoint",
        &server.uri(),
        "--limit",
        "500",
        "--start-time",
        "2022-08-05T00:00:00+08:00",
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("`limit` = \"500\" is out of range: allowed 1..=100"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn several_instances_report_each_failure_and_print_the_rest() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v2/{PROJECT}/instances/gone/tasks")))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({ "error_code": "DCS.4040", "error_msg": "no such instance" }),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(Tasks(2))
        .mount(&server)
        .await;
    let out = run(&[
        "dcs-instance",
        "--endpoint",
        &server.uri(),
        "--instance-id",
        "a",
        "--instance-id",
        "gone",
        "--instance-id",
        "b",
        "--all",
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out.stdout).len(), 4);
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].starts_with("error: instance gone: ListBackgroundTask: service error, status 404"),
        "{err:?}"
    );
}

#[tokio::test]
async fn missing_credentials_name_the_variables() {
    let out = tokio::task::spawn_blocking(|| {
        std::process::Command::new(example())
            .args([
                "dcs-center",
                "--project-id",
                PROJECT,
                "--region",
                "ap-southeast-1",
            ])
            .env_clear()
            .output()
            .expect("run list_tasks")
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("HUAWEICLOUD_SDK_AK") && err.contains("HUAWEICLOUD_SDK_SK"),
        "{err}"
    );
}
