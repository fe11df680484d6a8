//! `hwc-tasks` as a process, against a local server standing in for the
//! services and against its demo: every output format, failures of one
//! instance reported without losing the others, `wait` through running to
//! success, failure and the deadline, arguments refused before anything is
//! sent, no secret in any output. The modules: `safety` (delete, wait and
//! watch), `exits` (each exit code of the help and its messages, times,
//! regions), `terminal` (the table at fixed widths, colours, a pseudo
//! terminal), `completion` (bash, zsh and fish), `jobs` (scheduled tasks and job stories on the demo), `fleet` (per-service
//! endpoints, several ids at once, profiles), `shape` (--query, --columns,
//! --no-header, --sort, --summary, typos).

mod completion;
mod exits;
mod fleet;
mod jobs;
mod safety;
mod shape;
mod terminal;

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub(crate) const AK: &str = "HPUAEXAMPLEAK0000001";
pub(crate) const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";
pub(crate) const TOKEN: &str = "temporaryTokenValue0123456789==";
pub(crate) const PROJECT: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";

pub(crate) fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).unwrap(), "application/json")
}

pub(crate) async fn run(server: &MockServer, args: &[&str]) -> Output {
    run_env(server, args, &[]).await
}

/// Runs the tool against `server` with credentials, `env` added, and no
/// standard input.
pub(crate) async fn run_env(server: &MockServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut all = vec![
        "--endpoint".to_string(),
        server.uri(),
        "--retries".into(),
        "0".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
            .args(&all)
            .env_clear()
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
            .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .env("TZ", "UTC")
            .envs(env)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("hwc-tasks runs")
    })
    .await
    .expect("joined")
}

pub(crate) fn text(output: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for secret in [SK, TOKEN] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "secret in output"
        );
    }
    (stdout, stderr)
}

pub(crate) async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/tasks")))
        .respond_with(json_response(
            200,
            &json!({"task_count": "2", "tasks": [
                {"id": "c-1", "name": "ChangeInstanceSpec", "status": "EXECUTING",
                 "created_at": "2026-11-30T10:00:00.000Z", "user_name": "ops"},
                {"id": "c-2", "name": "BindEip, \"quoted\"", "status": "FAILED",
                 "created_at": "2026-11-29T10:00:00.000Z", "error_code": "DCS.4000"}
            ]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v3/{PROJECT}/tasks")))
        .respond_with(json_response(
            200,
            &json!({"total_count": 1, "tasks": [
                {"job_id": "g-1", "name": "CreateGaussDBV5Instance", "status": "Completed",
                 "created_at": "2026-11-30T12:15:07+0800", "ended_at": "2026-11-30T12:45:07+0800"}
            ]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/good/tasks")))
        .and(query_param("start", "1"))
        .respond_with(json_response(
            200,
            &json!({"task_count": "1", "tasks": [
                {"id": "r-1", "name": "restart", "status": "SUCCESS", "created_at": "2026-11-28T10:00:00.000Z"}
            ]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/bad/tasks")))
        .respond_with(
            json_response(
                404,
                &json!({"error_code": "DMS.00400001", "error_msg": "The instance does not exist."}),
            )
            .insert_header("X-Request-Id", "req-404-abc"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn list_merges_services_newest_first_in_every_format() {
    let server = server().await;
    let output = run(&server, &["list", "dcs", "opengauss", "--output", "ndjson"]).await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let rows: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c-1", "g-1", "c-2"], "newest first");
    assert_eq!(rows[0]["status"], "running");
    assert_eq!(rows[0]["raw_status"], "EXECUTING");
    assert_eq!(rows[1]["duration_secs"], 1800);
    assert_eq!(rows[2]["error"], "DCS.4000");
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 16, "{keys:?}");
    assert_eq!(rows[0]["job_id"], Value::Null);

    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "opengauss",
            "--output",
            "json",
            "--limit",
            "2",
        ],
    )
    .await;
    let (stdout, _) = text(&output);
    let array: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        array.as_array().unwrap().len(),
        2,
        "--limit keeps the newest"
    );

    let output = run(
        &server,
        &["list", "dcs", "--output", "csv", "--status", "failed"],
    )
    .await;
    let (stdout, _) = text(&output);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("service,region,project_id,instance_id,id,name,status"));
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[1].contains("\"BindEip, \"\"quoted\"\"\""), "{stdout}");

    let output = run(&server, &["list", "dcs", "--output", "table"]).await;
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("STATUS") && stdout.contains("running") && stdout.contains("c-1"),
        "{stdout}"
    );
    assert!(stdout.contains("CREATED (UTC)"), "the time zone: {stdout}");
    assert!(
        !stdout.contains("\u{1b}["),
        "no colours when not on a terminal"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_failing_instance_does_not_hide_the_others() {
    let server = server().await;
    let output = run(
        &server,
        &[
            "list",
            "rabbitmq",
            "--instance-id",
            "good",
            "--instance-id",
            "bad",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("\"r-1\""));
    let line = stderr
        .lines()
        .find(|l| l.contains("instance bad"))
        .expect(&stderr);
    assert!(
        line.contains("404") && line.contains("DMS.00400001") && line.contains("req-404-abc"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_are_refused_before_anything_is_sent() {
    let server = server().await;
    for (args, says) in [
        (vec!["list", "nosuch"], "unknown service `nosuch`; known:"),
        (vec!["list", "ecs"], "ecs has no task list"),
        (vec!["list", "dcs", "--since", "yesterday"], "--since"),
        (vec!["list", "rabbitmq"], "pass --instance-id"),
        (vec!["list", "dcs", "--limit", "-1"], "1..=100000"),
        (vec!["list", "dcs", "--limit", "0"], "--limit"),
        (
            vec!["list", "dcs", "--since", "1h", "--until", "2h"],
            "after --until",
        ),
        (vec!["list", "dds", "--since", "1900-01-01"], "before 1970"),
        (
            vec!["list", "dcs", "--instance-id", ""],
            "--instance-id is empty",
        ),
        (
            vec!["--project-id", "", "list", "dcs"],
            "--project-id is empty",
        ),
        (vec!["show", "dcs", ""], "the task id is empty"),
        (vec!["show", "rabbitmq", "t-1"], "pass --instance-id"),
        (vec!["wait", "kafka", "t-1"], "pass --instance-id"),
        (
            vec!["delete", "rabbitmq", "t-1", "--yes"],
            "pass --instance-id",
        ),
        (vec!["delete", "dds", "t-1", "--yes"], "cannot delete"),
        (
            vec!["wait", "dcs", "t-1", "--timeout", "8d"],
            "from 1s to 7d",
        ),
    ] {
        let output = run(&server, &args).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        for library in ["Config::", "parameter `", "polling"] {
            assert!(!stderr.contains(library), "{args:?}: {stderr}");
        }
    }
    let received = server.received_requests().await.unwrap();
    assert!(received.is_empty(), "sent {} request(s)", received.len());
}

/// The DCS list of instance i-9 (DCS instance tasks are followed through
/// their list), with task r-9 in the next scripted status.
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
            &json!({"task_count": "1", "tasks": [{"id": "r-9", "status": status}]}),
        )
    }
}

pub(crate) async fn scripted(statuses: Vec<&'static str>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/i-9/tasks")))
        .respond_with(Script {
            statuses,
            calls: Arc::new(AtomicUsize::new(0)),
        })
        .mount(&server)
        .await;
    server
}

async fn wait(statuses: Vec<&'static str>, timeout: &str) -> (Option<i32>, String, String) {
    let server = scripted(statuses).await;
    let output = run(
        &server,
        &[
            "wait",
            "dcs",
            "r-9",
            "--instance-id",
            "i-9",
            "--interval",
            "20ms",
            "--timeout-secs",
            timeout,
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    (output.status.code(), stdout, stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_exits_by_how_the_task_ended() {
    let (code, stdout, stderr) = wait(vec!["EXECUTING", "EXECUTING", "SUCCESS"], "30").await;
    assert_eq!(code, Some(0), "{stderr}");
    // One line per change, not per look: its time, and how long so far
    // rounded for people.
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("dcs r-9: running, after "), "{stderr}");
    assert!(lines[1].contains("dcs r-9: succeeded, after "), "{stderr}");
    for line in &lines {
        let (clock, _) = line.split_once(' ').unwrap();
        assert!(
            chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S").is_ok(),
            "{line}"
        );
        let took = line.rsplit(' ').next().unwrap();
        let secs = took.strip_suffix('s').unwrap();
        assert!(secs.len() <= 4 && secs.contains('.'), "one decimal: {line}");
    }
    let done: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(done["status"], "succeeded", "{stdout}");
    assert_eq!(done["item"]["id"], "r-9", "the item as sent: {stdout}");

    let (code, _, stderr) = wait(vec!["EXECUTING", "FAILED"], "30").await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("failed"), "{stderr}");

    let (code, _, stderr) = wait(vec!["EXECUTING"], "1").await;
    assert_eq!(code, Some(3), "{stderr}");
    // At least the timeout: how much later a loaded machine gets there is
    // not the tool's doing.
    let waited = stderr
        .split("still running (EXECUTING) after ")
        .nth(1)
        .and_then(|rest| rest.split_once('s'))
        .and_then(|(secs, _)| secs.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no waited time in {stderr}"));
    assert!(waited >= 1.0, "{stderr}");
    assert_eq!(stderr.matches("r-9: running").count(), 1, "{stderr}");
}

/// Without credentials, and with every way out but the loopback mock led to
/// a listener of the test: HTTP and HTTPS proxies for every other host, and
/// the metadata service. The listener must see no connection.
#[tokio::test(flavor = "multi_thread")]
async fn demo_needs_no_credentials_and_reaches_nothing_but_its_mock() {
    let trap = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trap_url = format!("http://{}", trap.local_addr().unwrap());
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = reached.clone();
    let trapping = tokio::spawn(async move {
        while let Ok((socket, _)) = trap.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let output = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hwc-tasks"));
        command.env_clear();
        for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
            command.env(name, &trap_url);
            command.env(name.to_lowercase(), &trap_url);
        }
        command
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &trap_url)
            .args([
                "--demo",
                "list",
                "dcs",
                "rabbitmq",
                "opengauss",
                "-o",
                "json",
                "--all",
            ])
            .output()
            .expect("hwc-tasks runs")
    })
    .await
    .unwrap();
    trapping.abort();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "a connection left the mock"
    );
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(
        rows.len(),
        480,
        "120 generated tasks per list; RabbitMQ on two demo instances"
    );
    let rabbitmq: Vec<&Value> = rows.iter().filter(|r| r["service"] == "rabbitmq").collect();
    assert_eq!(rabbitmq.len(), 240);
    assert!(rabbitmq.iter().all(|r| {
        r["instance_id"]
            .as_str()
            .unwrap()
            .starts_with("demo-instance-")
    }));
    for status in ["running", "succeeded", "failed"] {
        assert!(rows.iter().any(|r| r["status"] == status), "{status}");
    }
    let created: Vec<&str> = rows
        .iter()
        .map(|r| r["created_at"].as_str().unwrap())
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "newest first");
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_new_tasks_and_status_changes() {
    let server = scripted(vec!["EXECUTING", "EXECUTING", "SUCCESS"]).await;
    let output = run(
        &server,
        &[
            "watch",
            "dcs",
            "--instance-id",
            "i-9",
            "--interval",
            "1",
            "--for",
            "4s",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let statuses: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        statuses,
        ["running", "succeeded"],
        "one line when new, one on the change"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_walks_every_page() {
    let server = MockServer::start().await;
    let page = |from: usize, to: usize| {
        let tasks: Vec<Value> = (from..to)
            .map(|i| json!({"id": format!("t-{i:03}"), "status": "SUCCESS", "created_at": "2026-11-30T10:00:00.000Z"}))
            .collect();
        json_response(200, &json!({"task_count": "150", "tasks": tasks}))
    };
    for (start, body) in [("1", page(0, 100)), ("101", page(100, 150))] {
        Mock::given(method("GET"))
            .and(path(format!("/v2/{PROJECT}/instances/i-1/tasks")))
            .and(query_param("start", start))
            .and(query_param("limit", "100"))
            .respond_with(body)
            .mount(&server)
            .await;
    }
    let output = run(
        &server,
        &[
            "list",
            "rabbitmq",
            "--instance-id",
            "i-1",
            "--all",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 150);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "two pages"
    );
}

pub(crate) fn demo(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .arg("--demo")
        .args(args)
        .env_clear()
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("hwc-tasks runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn show_and_delete_against_the_demo() {
    let (shown, deleted, gone) = tokio::task::spawn_blocking(|| {
        (
            demo(&[
                "show",
                "rabbitmq",
                "t-1",
                "--instance-id",
                "demo-1",
                "-o",
                "json",
            ]),
            demo(&["delete", "opengauss", "job-1", "job-2", "--yes"]),
            demo(&["delete", "dds", "job-1", "--yes"]),
        )
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&shown);
    assert!(shown.status.success(), "{stderr}");
    let shown: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(shown["service"], "rabbitmq");
    assert_eq!(shown["status"], "succeeded");
    assert!(
        shown["item"]["params"].is_string(),
        "the item as sent: {stdout}"
    );
    let (_, stderr) = text(&deleted);
    assert!(deleted.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("deleted opengauss task").count(),
        2,
        "{stderr}"
    );
    let (_, stderr) = text(&gone);
    assert_eq!(
        gone.status.code(),
        Some(2),
        "dds has no delete operation: {stderr}"
    );
    assert!(stderr.contains("cannot delete"), "{stderr}");
}
