//! The table for people: fitted to 80 and 160 columns (COLUMNS, as a
//! terminal of that width) with no wrapped row, columns shown when they say
//! something, the time zone, `-o wide`, colours as --color, NO_COLOR and
//! TERM say, and what happens on a real (pseudo) terminal: an empty result
//! said, `delete` asking, `watch` printing table rows.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::{AK, PROJECT, SK, json_response, run_env, server, text};

fn demo_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .arg("--demo")
        .args(args)
        .env_clear()
        .env("TZ", "UTC")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("hwc-tasks runs")
}

const SIX: [&str; 6] = ["dcs", "dds", "kafka", "opengauss", "rabbitmq", "rocketmq"];

/// Every line fits `width`, and there is one line per task plus the header.
fn fits(stdout: &str, width: usize, rows: usize) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), rows + 1, "no wrapped rows:\n{stdout}");
    for line in &lines {
        assert!(
            line.chars().count() <= width,
            "{} > {width}: {line}",
            line.chars().count()
        );
    }
    assert!(lines[0].starts_with("SERVICE"), "{stdout}");
    for line in &lines[1..] {
        let service = line.split_whitespace().next().unwrap();
        assert!(
            SIX.contains(&service),
            "a row starts with its service: {line}"
        );
        // The id is whole: `list` ids are what show, wait and delete take.
        assert!(
            line.split_whitespace()
                .any(|w| w.starts_with(service) && w.len() == service.len() + 5),
            "whole id in {line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_fits_80_and_160_columns() {
    for width in [80usize, 160] {
        let output = tokio::task::spawn_blocking(move || {
            let columns = width.to_string();
            let mut args = vec!["list"];
            args.extend(SIX);
            args.extend(["--limit", "40", "-o", "table"]);
            demo_env(&args, &[("COLUMNS", &columns)])
        })
        .await
        .unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        fits(&stdout, width, 40);
        let header = stdout.lines().next().unwrap();
        assert!(
            header.contains("STATUS") && header.contains("NAME"),
            "{header}"
        );
        if width == 160 {
            assert!(
                header.contains("CREATED (UTC)") && header.contains("USER"),
                "{header}"
            );
        } else {
            assert!(
                header.contains("AGE") && !header.contains("USER"),
                "{header}"
            );
        }
        assert!(!header.contains("ERROR"), "no task has an error: {header}");
        assert!(
            !header.contains("REGION") && !header.contains("PROJECT"),
            "{header}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_long_names_regions_and_projects() {
    let server = server().await;
    let other = "b0000000000000000000000000000002";
    Mock::given(method("GET"))
        .and(path(format!("/v2/{other}/tasks")))
        .respond_with(json_response(
            200,
            &json!({"task_count": "1", "tasks": [
                {"id": "o-1", "name": "A".repeat(90) + " and a very long user", "status": "SUCCESS",
                 "created_at": "2026-11-30T09:00:00.000Z", "user_name": "u".repeat(60)}
            ]}),
        ))
        .mount(&server)
        .await;
    let env = [("COLUMNS", "80")];
    let output = run_env(&server, &["list", "dcs", "-o", "table"], &env).await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let header = stdout.lines().next().unwrap();
    assert!(
        header.contains("ERROR"),
        "c-2 failed with DCS.4000: {stdout}"
    );
    let failed = stdout.lines().find(|l| l.contains("c-2")).unwrap();
    assert!(
        failed.contains("failed") && failed.contains("DCS.4000"),
        "{failed}"
    );
    assert!(
        failed.find("failed").unwrap() < failed.find("DCS.4000").unwrap(),
        "the error beside the status: {failed}"
    );

    let output = run_env(
        &server,
        &[
            "--project-id",
            PROJECT,
            "--project-id",
            other,
            "list",
            "dcs",
            "-o",
            "table",
        ],
        &env,
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    fits_plain(&stdout, 80, 4);
    assert!(
        stdout.lines().next().unwrap().contains("PROJECT"),
        "{stdout}"
    );
    let long = stdout.lines().find(|l| l.contains("o-1")).unwrap();
    assert!(long.contains('…'), "cut with an ellipsis: {long}");

    // Two regions (the demo answers for each).
    let output = tokio::task::spawn_blocking(|| {
        demo_env(
            &[
                "--region",
                "ap-southeast-1,cn-north-4",
                "list",
                "dcs",
                "--limit",
                "4",
                "-o",
                "table",
            ],
            &[("COLUMNS", "160")],
        )
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.lines().next().unwrap().contains("REGION"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ap-southeast-1") && stdout.contains("cn-north-4"),
        "{stdout}"
    );
    fits_plain(&stdout, 160, 5);

    let output = run_env(&server, &["list", "dcs", "-o", "wide"], &env).await;
    let (stdout, _) = text(&output);
    let header = stdout.lines().next().unwrap();
    for column in [
        "REGION", "PROJECT", "PROGRESS", "UPDATED", "JOB", "USER", "ERROR",
    ] {
        assert!(header.contains(column), "{column}: {header}");
    }
}

fn fits_plain(stdout: &str, width: usize, lines: usize) {
    assert_eq!(stdout.lines().count(), lines, "{stdout}");
    for line in stdout.lines() {
        assert!(line.chars().count() <= width, "{line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_time_zone_is_printed() {
    let output = tokio::task::spawn_blocking(|| {
        demo_env(
            &["list", "dcs", "--limit", "1", "-o", "table"],
            &[("TZ", "XST-8")],
        )
    })
    .await
    .unwrap();
    let (stdout, _) = text(&output);
    assert!(stdout.contains("CREATED (UTC+08:00)"), "{stdout}");
    let output = tokio::task::spawn_blocking(|| {
        demo_env(
            &["show", "dcs", "dcs-0002", "-o", "table"],
            &[("TZ", "XST-8")],
        )
    })
    .await
    .unwrap();
    let (stdout, _) = text(&output);
    assert!(stdout.contains("+08:00"), "{stdout}");
    for field in [
        "Job ID:",
        "Progress:",
        "Status:   succeeded (SUCCESS)",
        "details:",
        "old_capacity:",
    ] {
        assert!(stdout.contains(field), "{field}: {stdout}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn colours_follow_the_flag() {
    let output = tokio::task::spawn_blocking(|| {
        (
            demo_env(
                &[
                    "list", "dcs", "--limit", "3", "-o", "table", "--color", "always",
                ],
                &[],
            ),
            demo_env(
                &[
                    "list", "dcs", "--limit", "3", "-o", "table", "--color", "never",
                ],
                &[],
            ),
            demo_env(&["list", "dcs", "--limit", "3", "-o", "table"], &[]),
        )
    })
    .await
    .unwrap();
    assert!(text(&output.0).0.contains("\u{1b}["), "always");
    assert!(!text(&output.1).0.contains("\u{1b}["), "never");
    assert!(
        !text(&output.2).0.contains("\u{1b}["),
        "auto, not a terminal"
    );
}

/// The tool on a pseudo terminal (util-linux `script`), with `input` typed
/// and `env`; what it wrote to the terminal (stderr kept apart), and its
/// stderr. `None` where `script` is missing.
fn on_terminal(args: &[&str], input: &str, env: &[(&str, &str)]) -> Option<(String, String, i32)> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("stderr");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_hwc-tasks"));
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    line.push_str(&format!(" 2>{}", quote(&errors.display().to_string())));
    let mut child = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("TZ", "UTC")
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).replace('\r', "");
    let stderr = std::fs::read_to_string(&errors).unwrap_or_default();
    Some((stdout, stderr, output.status.code().unwrap_or(-1)))
}

macro_rules! or_skip {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => {
                eprintln!("skipped: util-linux `script` is not installed (no pseudo terminal)");
                return;
            }
        }
    };
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal() {
    let (stdout, _, code) = or_skip!(on_terminal(
        &["--demo", "list", "dcs", "--limit", "2"],
        "",
        &[("COLUMNS", "100")]
    ));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("SERVICE") && stdout.contains("\u{1b}["),
        "a coloured table: {stdout:?}"
    );
    for (env, what) in [
        (("TERM", "dumb"), "TERM=dumb"),
        (("NO_COLOR", "1"), "NO_COLOR"),
    ] {
        let (stdout, _, _) = or_skip!(on_terminal(
            &["--demo", "list", "dcs", "--limit", "2"],
            "",
            &[env, ("COLUMNS", "100")]
        ));
        assert!(
            stdout.contains("SERVICE") && !stdout.contains("\u{1b}["),
            "{what}: {stdout:?}"
        );
    }
    let (stdout, _, _) = or_skip!(on_terminal(
        &["--demo", "list", "dcs", "--limit", "2", "--color", "never"],
        "",
        &[("COLUMNS", "100")]
    ));
    assert!(!stdout.contains("\u{1b}["), "{stdout:?}");

    let (_, stderr, code) = or_skip!(on_terminal(
        &["--demo", "list", "dcs", "--status", "cancelled"],
        "",
        &[]
    ));
    assert_eq!(code, 0);
    assert!(stderr.contains("No tasks found"), "{stderr}");

    // watch: a header once, then one row per task, with the time seen.
    let (stdout, _, code) = or_skip!(on_terminal(
        &[
            "--demo",
            "watch",
            "rabbitmq",
            "--limit",
            "3",
            "--for",
            "1",
            "--interval",
            "10"
        ],
        "",
        &[("COLUMNS", "120")]
    ));
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].starts_with("SEEN"), "{stdout}");
    assert!(
        lines[1..].iter().all(|l| l.contains("rabbitmq")),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_asks_on_a_terminal() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v3/{PROJECT}/jobs/job-1")))
        .respond_with(json_response(200, &json!({})))
        .mount(&server)
        .await;
    let uri = server.uri();
    let args = [
        "--endpoint",
        uri.as_str(),
        "--project-id",
        PROJECT,
        "delete",
        "opengauss",
        "job-1",
    ];
    let creds = [("HUAWEICLOUD_SDK_AK", AK), ("HUAWEICLOUD_SDK_SK", SK)];
    let (_, stderr, code) = or_skip!(on_terminal(&args, "n\n", &creds));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[y/N]") && stderr.contains("nothing deleted"),
        "{stderr}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    let (_, stderr, code) = or_skip!(on_terminal(&args, "y\n", &creds));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("deleted opengauss task job-1"), "{stderr}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
