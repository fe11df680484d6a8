//! Each exit code the help lists, and the messages that go with them: the
//! tool's flags named, never the library's API; causes of transport errors;
//! the region from the environment; the times people type.

use std::process::{Command, Output, Stdio};

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::{AK, PROJECT, SK, json_response, run, run_env, server, text};

/// The tool with credentials but no --endpoint, and `env` added.
fn bare(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .args(args)
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .env("HOME", "/nonexistent")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("hwc-tasks runs")
}

#[test]
fn the_help_lists_every_exit_code() {
    let help = bare(&["--help"], &[]);
    let stdout = String::from_utf8_lossy(&help.stdout);
    for code in [
        "0  success",
        "1  a request failed",
        "2  bad arguments",
        "3  wait",
        "4  the output",
    ] {
        assert!(stdout.contains(code), "{code}: {stdout}");
    }
    assert!(stdout.contains("HUAWEICLOUD_SDK_REGION"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_one_two_three_four() {
    let server = server().await;
    // 0
    let output = run(&server, &["list", "dcs", "-o", "json"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).1);
    // 1: a request failed, and its cause is named.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    };
    let output = tokio::task::spawn_blocking(move || {
        bare(
            &["--endpoint", &closed, "--retries", "0", "list", "dcs"],
            &[],
        )
    })
    .await
    .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
    // 2: see also `bad_arguments_are_refused_before_anything_is_sent`.
    let output = run(&server, &["list", "nosuch"]).await;
    assert_eq!(output.status.code(), Some(2));
    // 3
    let scripted = crate::scripted(vec!["EXECUTING"]).await;
    let output = run(
        &scripted,
        &[
            "wait",
            "dcs",
            "r-9",
            "--instance-id",
            "i-9",
            "--interval",
            "100ms",
            "--timeout",
            "1s",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output).1);
    // 4: a full output, for a listing and for a completion script; no panic.
    for args in [
        vec!["--demo", "list", "dcs"],
        vec!["completions", "bash"],
        vec!["--help"],
        vec!["--demo", "show", "dcs", "dcs-0002", "-o", "table"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
            .args(&args)
            .env_clear()
            .stdout(full)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write the output"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A closed pipe ends quietly.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .args(["--demo", "list", "dcs", "--all"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn region_problems_exit_2_naming_the_flag() {
    // Arguments, environment, what the message says.
    type Case = (
        Vec<&'static str>,
        Vec<(&'static str, &'static str)>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (vec!["list", "dcs"], vec![], "no region: pass --region"),
        (
            vec!["--region", "", "list", "dcs"],
            vec![],
            "--region is empty",
        ),
        (
            vec!["list", "dcs"],
            vec![("HUAWEICLOUD_SDK_REGION", "")],
            "--region is empty",
        ),
        (
            vec!["--region", "xx-nowhere-1", "list", "dcs"],
            vec![],
            "HUAWEICLOUD_SDK_REGION_DCS_XX_NOWHERE_1",
        ),
        (
            vec!["list", "dcs"],
            vec![("HUAWEICLOUD_SDK_REGION", "xx-nowhere-1")],
            "--region `xx-nowhere-1` is not a region of dcs",
        ),
        (
            vec!["--region", "xx-nowhere-1", "show", "dcs", "t"],
            vec![],
            "/nonexistent/.huaweicloud/regions.yaml",
        ),
        (
            vec!["--endpoint", "ftp://x", "list", "dcs"],
            vec![],
            "--endpoint `ftp://x`",
        ),
        (
            vec!["--endpoint", "not a url", "show", "dcs", "t"],
            vec![],
            "--endpoint",
        ),
        (
            vec![
                "--region",
                "ap-southeast-1",
                "--region",
                "cn-north-4",
                "show",
                "dcs",
                "t",
            ],
            vec![],
            "one region",
        ),
    ];
    for (args, env, says) in cases {
        let output = tokio::task::spawn_blocking({
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            let env: Vec<(String, String)> = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let env: Vec<(&str, &str)> =
                    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                bare(&args, &env)
            }
        })
        .await
        .unwrap();
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?} {env:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("Config::"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn huaweicloud_sdk_region_sets_the_default_region() {
    // The region's endpoint is overridden the official SDKs' way (https
    // only), to a loopback port nothing listens on: the attempt goes there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let endpoint = format!("https://127.0.0.1:{port}");
    let output = tokio::task::spawn_blocking(move || {
        bare(
            &["list", "dcs", "-o", "json", "--retries", "0"],
            &[
                ("HUAWEICLOUD_SDK_REGION", "ap-southeast-1"),
                ("HUAWEICLOUD_SDK_REGION_DCS_AP_SOUTHEAST_1", &endpoint),
            ],
        )
    })
    .await
    .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn times_as_people_type_them() {
    let server = server().await;
    for time in [
        "1.5h",
        "1h30m",
        "1w",
        "24H",
        "2026-12-01",
        "2026-11-01 10:00",
        "2 days ago",
        "90m",
    ] {
        let output = run(&server, &["list", "dcs", "--since", time, "-o", "json"]).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "--since {time}: {stderr}");
    }
    // A date as --until counts its whole day: c-1 (2026-11-30T10:00Z) and
    // c-2 (11-29) are both in --since 2026-11-29 --until 2026-11-30.
    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "--since",
            "2026-11-29",
            "--until",
            "2026-11-30",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "--since",
            "2026-12-02",
            "--until",
            "2026-11-30",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--since") && stderr.contains("after --until"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_service_is_listed_once() {
    let server = server().await;
    let once = run(&server, &["list", "dcs", "-o", "ndjson"]).await;
    let twice = run(
        &server,
        &["list", "dcs", "dcs", "opengauss", "dcs", "-o", "ndjson"],
    )
    .await;
    let thrice = run(&server, &["list", "dcs", "opengauss", "-o", "ndjson"]).await;
    assert_eq!(text(&once).0.lines().count(), 2);
    assert_eq!(text(&twice).0, text(&thrice).0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_windowed_list_says_how_far_back_and_walks_longer_windows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v3.1/{PROJECT}/jobs")))
        .and(query_param("offset", "0"))
        .respond_with(json_response(200, &json!({"total_count": 0, "jobs": []})))
        .mount(&server)
        .await;
    let output = run_env(&server, &["list", "dds", "-o", "json"], &[]).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("dds lists only tasks of the last 30 days"),
        "{stderr}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let output = run(&server, &["list", "dds", "--since", "90d", "-o", "json"]).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("30 days"), "{stderr}");
    let received = server.received_requests().await.unwrap();
    let windows: Vec<(String, String)> = received[1..]
        .iter()
        .map(|r| {
            let q = |n: &str| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v.into_owned())
                    .unwrap()
            };
            (q("start_time"), q("end_time"))
        })
        .collect();
    assert_eq!(windows.len(), 3, "90 days in windows of 30: {windows:?}");
}
