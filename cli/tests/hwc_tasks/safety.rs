//! What must not go wrong: a delete never goes unasked, every task `list`
//! shows can be shown, waited for and deleted with the ids it printed, a
//! task the service does not know ends a wait, and `watch` sees every task.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{PROJECT, demo, json_response, run, scripted, text};

/// The tool with `input` piped to its standard input.
fn piped(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .args(args)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hwc-tasks runs");
    // The tool may stop before reading: a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().expect("ends")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_piped_answer_is_never_consent() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let uri = server.uri();
    for answer in ["n\n", "y\n", ""] {
        let output = tokio::task::spawn_blocking({
            let uri = uri.clone();
            move || {
                piped(
                    &[
                        "--endpoint",
                        &uri,
                        "--project-id",
                        PROJECT,
                        "delete",
                        "opengauss",
                        "job-1",
                    ],
                    answer,
                )
            }
        })
        .await
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{answer:?}: {stderr}");
        assert!(
            stderr.contains("--yes") && stderr.contains("not a terminal"),
            "{stderr}"
        );
    }
    let output =
        tokio::task::spawn_blocking(|| piped(&["--demo", "delete", "opengauss", "job-1"], "n\n"))
            .await
            .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("deleted"));
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was deleted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_project_wide_task_is_deleted_with_the_center_operation() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/{PROJECT}/tasks/dcs-0002")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let output = run(&server, &["delete", "dcs", "dcs-0002", "--yes"]).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("deleted dcs task dcs-0002"), "{stderr}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].url.path(),
        format!("/v2/{PROJECT}/tasks/dcs-0002")
    );

    // An instance's task goes through the instance operation.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/{PROJECT}/instances/i-1/tasks/t-1")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let output = run(
        &server,
        &["delete", "dcs", "t-1", "--instance-id", "i-1", "-y"],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).1);

    let output = tokio::task::spawn_blocking(|| demo(&["delete", "dcs", "dcs-0002", "--yes"]))
        .await
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_listed_task_can_be_shown_waited_for_and_deleted() {
    let listed = tokio::task::spawn_blocking(|| {
        demo(&[
            "list",
            "dcs",
            "dds",
            "kafka",
            "opengauss",
            "rabbitmq",
            "rocketmq",
            "--all",
            "-o",
            "json",
        ])
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&listed);
    assert!(listed.status.success(), "{stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let mut tried = 0;
    for service in ["dcs", "dds", "kafka", "opengauss", "rabbitmq", "rocketmq"] {
        // A task that has ended, as `list` printed it.
        let row = rows
            .iter()
            .find(|r| r["service"] == service && r["status"] == "succeeded")
            .unwrap_or_else(|| panic!("{service} listed"));
        let id = row["id"].as_str().unwrap().to_string();
        let mut place = vec![service.to_string(), id.clone()];
        if let Some(instance) = row["instance_id"].as_str() {
            place.extend(["--instance-id".to_string(), instance.to_string()]);
        }
        let args = |verb: &str, more: &[&str]| {
            let mut all = vec![verb.to_string()];
            all.extend(place.iter().cloned());
            all.extend(more.iter().map(|s| s.to_string()));
            all
        };
        for (verb, more) in [("show", &["-o", "json"][..]), ("wait", &["-o", "json"][..])] {
            let args = args(verb, more);
            let output = tokio::task::spawn_blocking(move || {
                demo(&args.iter().map(String::as_str).collect::<Vec<_>>())
            })
            .await
            .unwrap();
            let (stdout, stderr) = text(&output);
            assert_eq!(output.status.code(), Some(0), "{verb} {place:?}: {stderr}");
            let shown: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(shown["service"], service);
        }
        let args = args("delete", &["--yes"]);
        let output = tokio::task::spawn_blocking(move || {
            demo(&args.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .await
        .unwrap();
        let (_, stderr) = text(&output);
        if service == "dds" {
            assert_eq!(
                output.status.code(),
                Some(2),
                "no delete operation: {stderr}"
            );
        } else {
            assert_eq!(
                output.status.code(),
                Some(0),
                "delete {service} {id}: {stderr}"
            );
            assert!(
                stderr.contains(&format!("deleted {service} task {id}")),
                "{stderr}"
            );
        }
        tried += 1;
    }
    assert_eq!(tried, 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_for_an_unknown_task_ends_with_1() {
    // Local server: the list of i-9 has r-9 only.
    let server = scripted(vec!["EXECUTING"]).await;
    let started = std::time::Instant::now();
    let output = run(
        &server,
        &[
            "wait",
            "dcs",
            "nope",
            "--instance-id",
            "i-9",
            "--interval",
            "50ms",
        ],
    )
    .await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dcs task nope not found in instance i-9"),
        "{stderr}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "one confirming look"
    );
    assert!(started.elapsed().as_secs() < 20);

    // The demo, with the default interval: not found within seconds, not
    // after the 30-minute deadline.
    let started = std::time::Instant::now();
    let output = tokio::task::spawn_blocking(|| demo(&["wait", "dcs", "nope"]))
        .await
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not found"), "{stderr}");
    assert!(started.elapsed().as_secs() < 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn waits_may_last_hours() {
    for timeout in [
        &["--timeout", "2h"][..],
        &["--timeout-secs", "7200"],
        &["--timeout", "1.5h"],
    ] {
        let mut args = vec!["wait", "dcs", "dcs-0002", "-o", "json"];
        args.extend_from_slice(timeout);
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let output = tokio::task::spawn_blocking(move || {
            demo(&args.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .await
        .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{timeout:?}: {}",
            text(&output).1
        );
    }
}

fn watched(args: &[&str]) -> Vec<Value> {
    let output = demo(args);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{args:?}: {stderr}");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_sees_every_task_of_two_instances_and_honours_the_limit() {
    let (all, limited, default) = tokio::task::spawn_blocking(|| {
        (
            watched(&["watch", "rabbitmq", "--all", "--for", "1", "-o", "ndjson"]),
            watched(&[
                "watch", "rabbitmq", "--limit", "7", "--for", "1", "-o", "ndjson",
            ]),
            watched(&["watch", "rabbitmq", "--for", "1", "-o", "ndjson"]),
        )
    })
    .await
    .unwrap();
    assert_eq!(all.len(), 240, "120 tasks on each demo instance, same ids");
    let instances: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|r| r["instance_id"].as_str().unwrap())
        .collect();
    assert_eq!(instances.len(), 2);
    assert_eq!(limited.len(), 7);
    assert_eq!(default.len(), 50, "the default --limit");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_id_on_two_instances_is_two_tasks() {
    let server = MockServer::start().await;
    for instance in ["i-1", "i-2"] {
        Mock::given(method("GET"))
            .and(path(format!("/v2/{PROJECT}/instances/{instance}/tasks")))
            .respond_with(json_response(
                200,
                &json!({"task_count": "1", "tasks": [
                    {"id": "t-1", "status": "SUCCESS", "created_at": "2026-11-30T10:00:00.000Z"}
                ]}),
            ))
            .mount(&server)
            .await;
    }
    let output = run(
        &server,
        &[
            "watch",
            "rabbitmq",
            "--instance-id",
            "i-1",
            "--instance-id",
            "i-2",
            "--for",
            "1",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}
