//! One process for a fleet: per-service endpoints, several ids waited for
//! or shown at once, a profile chosen by name. (`shape` has what is
//! printed: `--query`, `--columns`, `--no-header`, `--sort`, `--summary`.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::{AK, PROJECT, SK, json_response, run, run_env, server, text};

pub(crate) fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect()
}

/// A server whose DCS project list holds one task, `id`.
async fn one_task_server(id: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/tasks")))
        .respond_with(json_response(
            200,
            &json!({"task_count": "1", "tasks": [
                {"id": id, "name": "Restart", "status": "SUCCESS",
                 "created_at": "2026-12-01T10:00:00.000Z"}
            ]}),
        ))
        .mount(&server)
        .await;
    server
}

/// The tool with credentials and `args` as given (no endpoint added).
async fn bare(args: Vec<String>, env: Vec<(&'static str, String)>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
            .args(&args)
            .env_clear()
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .env("HOME", "/nonexistent")
            .envs(env)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("hwc-tasks runs")
    })
    .await
    .expect("joined")
}

#[tokio::test(flavor = "multi_thread")]
async fn per_service_endpoints_in_one_process() {
    let all = server().await;
    let own = one_task_server("b-1").await;
    let dcs = format!("dcs={}", own.uri());
    // DCS to its own endpoint, openGauss to the one for every service.
    let output = run(
        &all,
        &[
            "--endpoint",
            &dcs,
            "list",
            "dcs",
            "opengauss",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let ids: Vec<String> = lines(&stdout)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["b-1", "g-1"], "{stdout}");
    let to_all = all.received_requests().await.unwrap();
    assert!(
        to_all.iter().all(|r| r.url.path().starts_with("/v3/")),
        "DCS went to its own endpoint only"
    );
    assert_eq!(own.received_requests().await.unwrap().len(), 1);

    // Every service with its own endpoint: several regions do not list a
    // service twice.
    let output = bare(
        vec![
            "--retries".into(),
            "0".into(),
            "--endpoint".into(),
            dcs.clone(),
            "--endpoint".into(),
            format!("opengauss={}", all.uri()),
            "--region".into(),
            "ap-southeast-1,cn-north-4".into(),
            "list".into(),
            "dcs".into(),
            "opengauss".into(),
            "-o".into(),
            "ndjson".into(),
        ],
        vec![],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(lines(&stdout).len(), 2, "{stdout}");

    // Refused before anything is sent, naming the flag.
    let sent = own.received_requests().await.unwrap().len();
    for (args, says) in [
        (
            vec!["--endpoint", "dsc=http://127.0.0.1:9", "list", "dcs"],
            "did you mean `dcs`?",
        ),
        (
            vec!["--endpoint", "dcs=ftp://127.0.0.1:9", "list", "dcs"],
            "--endpoint",
        ),
        (
            vec!["--endpoint", &dcs, "--endpoint", &dcs, "list", "dcs"],
            "given twice",
        ),
    ] {
        let output = run(&own, &args).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(
            stderr.trim().lines().next().map(|l| l.contains(says)),
            Some(true)
        );
    }
    assert_eq!(own.received_requests().await.unwrap().len(), sent);
}

/// Instances given per service (`SERVICE=ID`) in one process, each service
/// on its own endpoint: every instance list goes to its own service and no
/// other, a project-wide service beside them lists its project, and a
/// misdirected instance is refused before anything is sent.
#[tokio::test(flavor = "multi_thread")]
async fn instances_per_service_in_one_process() {
    let dcs = MockServer::start().await;
    let kafka = MockServer::start().await;
    let all = server().await;
    for (server, ids) in [(&dcs, ["d-1", "d-2"]), (&kafka, ["k-1", "k-2"])] {
        for instance in ids {
            Mock::given(method("GET"))
                .and(path(format!("/v2/{PROJECT}/instances/{instance}/tasks")))
                .respond_with(json_response(
                    200,
                    &json!({"task_count": 1, "tasks": [
                        {"id": format!("t-{instance}"), "name": "Restart", "status": "SUCCESS",
                         "created_at": "2026-12-01T10:00:00.000Z"}
                    ]}),
                ))
                .mount(server)
                .await;
        }
    }
    let args: Vec<String> = [
        "--endpoint".to_string(),
        format!("dcs={}", dcs.uri()),
        "--endpoint".into(),
        format!("kafka={}", kafka.uri()),
        "--endpoint".into(),
        all.uri(),
        "list".into(),
        "dcs".into(),
        "kafka".into(),
        "opengauss".into(),
        "--instance-id".into(),
        "dcs=d-1".into(),
        "--instance-id".into(),
        "kafka=k-1".into(),
        "--instance-id".into(),
        "dcs=d-2".into(),
        "--instance-id".into(),
        "kafka=k-2".into(),
        "--all".into(),
        "-o".into(),
        "ndjson".into(),
    ]
    .into();
    let output = bare(args, vec![]).await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let mut seen: Vec<(String, String)> = lines(&stdout)
        .iter()
        .map(|r| {
            (
                r["service"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    let kafka_and_dcs: Vec<(String, String)> = seen
        .iter()
        .filter(|(s, _)| s != "opengauss")
        .cloned()
        .collect();
    assert_eq!(
        kafka_and_dcs,
        [
            ("dcs".into(), "t-d-1".into()),
            ("dcs".into(), "t-d-2".into()),
            ("kafka".into(), "t-k-1".into()),
            ("kafka".into(), "t-k-2".into())
        ],
        "{stdout}"
    );
    assert!(
        seen.iter().any(|(s, _)| s == "opengauss"),
        "the project list: {stdout}"
    );
    let paths = |requests: Vec<Request>| -> Vec<String> {
        let mut p: Vec<String> = requests.iter().map(|r| r.url.path().to_string()).collect();
        p.sort();
        p
    };
    assert_eq!(
        paths(dcs.received_requests().await.unwrap()),
        [
            format!("/v2/{PROJECT}/instances/d-1/tasks"),
            format!("/v2/{PROJECT}/instances/d-2/tasks")
        ]
    );
    assert_eq!(
        paths(kafka.received_requests().await.unwrap()),
        [
            format!("/v2/{PROJECT}/instances/k-1/tasks"),
            format!("/v2/{PROJECT}/instances/k-2/tasks")
        ]
    );
    assert!(
        all.received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.path().starts_with("/v3/")),
        "only openGauss's project list went to the endpoint for every service"
    );

    let sent = all.received_requests().await.unwrap().len();
    for (args, says) in [
        (
            vec!["list", "dcs", "--instance-id", "kafka=k-1"],
            "which is not listed",
        ),
        (
            vec!["list", "dcs", "opengauss", "--instance-id", "opengauss=g-1"],
            "lists only whole projects",
        ),
        (
            vec!["list", "dcs", "--instance-id", "dsc=d-1"],
            "did you mean `dcs`?",
        ),
        (
            vec!["list", "rabbitmq", "dcs", "--instance-id", "dcs=d-1"],
            "rabbitmq keeps tasks per instance",
        ),
    ] {
        let output = run(&all, &args).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(
        all.received_requests().await.unwrap().len(),
        sent,
        "nothing sent"
    );
}

/// The DCS list of instance i-9: `ok-1` succeeded, `bad-1` failed, and
/// `slow-1` running until the list has been asked for `turn` times.
struct Fleet {
    calls: Arc<AtomicUsize>,
    turn: usize,
}

impl Respond for Fleet {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let slow = if n + 1 >= self.turn {
            "SUCCESS"
        } else {
            "EXECUTING"
        };
        json_response(
            200,
            &json!({"task_count": "3", "tasks": [
                {"id": "ok-1", "status": "SUCCESS"},
                {"id": "bad-1", "status": "FAILED", "error_code": "DCS.5000"},
                {"id": "slow-1", "status": slow}
            ]}),
        )
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn several_ids_waited_for_at_once_where_one_fails() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/instances/i-9/tasks")))
        .respond_with(Fleet {
            calls: Arc::new(AtomicUsize::new(0)),
            turn: 6,
        })
        .mount(&server)
        .await;
    let output = run(
        &server,
        &[
            "wait",
            "dcs",
            "ok-1",
            "bad-1",
            "slow-1",
            "--instance-id",
            "i-9",
            "--interval",
            "20ms",
            "--timeout",
            "60",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "one failed: {stderr}");
    let rows = lines(&stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "every task reported: {stdout}");
    assert_eq!(ids[2], "slow-1", "each printed as it ends: {stdout}");
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].clone())
    };
    assert_eq!(status("ok-1"), Some(json!("succeeded")));
    assert_eq!(status("bad-1"), Some(json!("failed")));
    assert_eq!(status("slow-1"), Some(json!("succeeded")));
    for id in ["ok-1", "bad-1", "slow-1"] {
        assert!(stderr.contains(&format!("dcs {id}: ")), "{id}: {stderr}");
    }

    // Every one succeeded: 0. One the service does not know: 1, the
    // others still printed (show, too).
    let output = run(
        &server,
        &[
            "wait",
            "dcs",
            "ok-1",
            "slow-1",
            "--instance-id",
            "i-9",
            "--interval",
            "20ms",
            "-o",
            "ndjson",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).1);
    assert_eq!(lines(&text(&output).0).len(), 2);
    let output = run(
        &server,
        &[
            "show",
            "dcs",
            "ok-1",
            "gone-1",
            "--instance-id",
            "i-9",
            "-o",
            "ndjson",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(lines(&stdout).len(), 1, "{stdout}");
    assert!(stderr.contains("gone-1 not found"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_chosen_by_name() {
    const PROD_AK: &str = "HPUAPRODAK0000000002";
    const PROD_SK: &str = "prodSecretKey/0123456789+abcdefXYZ";
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[basic]\nak = HPUABASICAK000000003\nsk = {PROD_SK}\nregion = cn-nort-4\n\n\
             [prod]\nak = {PROD_AK}\nsk = {PROD_SK}\nproject_id = {PROJECT}\nregion = xx-nowhere-1\n"
        ),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let env = [
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file),
        // The section's project, not the environment's.
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "ffffffffffffffffffffffffffffffff",
        ),
    ];
    let by_flag = run_env(
        &server,
        &["--profile", "prod", "list", "dcs", "-o", "ndjson"],
        &env,
    )
    .await;
    let by_variable = run_env(
        &server,
        &["list", "dcs", "-o", "ndjson"],
        &[env[0], env[1], ("HUAWEICLOUD_SDK_PROFILE", "prod")],
    )
    .await;
    for output in [&by_flag, &by_variable] {
        let (stdout, stderr) = text(output);
        assert!(output.status.success(), "{stderr}");
        assert!(!stdout.contains(PROD_SK) && !stderr.contains(PROD_SK));
        assert_eq!(lines(&stdout).len(), 2, "{stdout}");
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in &received {
        let authorization = request.headers["authorization"].to_str().unwrap();
        assert!(
            authorization.contains(&format!("Access={PROD_AK}")),
            "signed with the section's key: {authorization}"
        );
    }

    // The section's region, where none is given: refused here because it
    // is no region of DCS, before anything is sent.
    let output = bare(
        vec![
            "--profile".into(),
            "prod".into(),
            "list".into(),
            "dcs".into(),
        ],
        vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.to_string())],
    )
    .await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--region `xx-nowhere-1`"), "{stderr}");
    // Without --profile (an empty variable counts as none), [basic] and its
    // region, mistyped here: told the closest region, nothing sent.
    let output = bare(
        vec!["list".into(), "dcs".into()],
        vec![
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.to_string()),
            ("HUAWEICLOUD_SDK_PROFILE", String::new()),
        ],
    )
    .await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--region `cn-nort-4`") && stderr.contains("did you mean `cn-north-4`?"),
        "{stderr}"
    );
    // A profile that is not there: its name, the sections, the closest.
    let output = run_env(&server, &["--profile", "prd", "list", "dcs"], &env).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--profile `prd`")
            && stderr.contains("sections: basic, prod")
            && stderr.contains("did you mean `prod`?"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains(PROD_SK));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A loopback server that answers every request with an empty task list
/// after `delay`, counting the requests it holds at once.
struct Holding {
    url: String,
    served: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
}

async fn holding_server(delay: std::time::Duration) -> Holding {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (served, most_at_once) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let now = Arc::new(AtomicUsize::new(0));
    let (s, m) = (served.clone(), most_at_once.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (served, most, now) = (s.clone(), m.clone(), now.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                loop {
                    head.clear();
                    while !head.ends_with(b"\r\n\r\n") {
                        if stream.read(&mut byte).await.ok() != Some(1) {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(held, Ordering::SeqCst);
                    tokio::time::sleep(delay).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    served.fetch_add(1, Ordering::SeqCst);
                    let body = br#"{"task_count": 0, "tasks": []}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                         X-Request-Id: held\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    if stream.write_all(answer.as_bytes()).await.is_err()
                        || stream.write_all(body).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    Holding {
        url,
        served,
        most_at_once,
    }
}

/// `--concurrency` bounds the requests in flight of the whole process, not
/// of each part of it: four services each listed for its own instances
/// (four listings split four ways) hold at most two requests at once under
/// `--concurrency 2`.
#[tokio::test(flavor = "multi_thread")]
async fn concurrency_bounds_the_whole_process() {
    let server = holding_server(std::time::Duration::from_millis(60)).await;
    let mut args: Vec<String> = vec!["--endpoint".into(), server.url.clone()];
    args.extend(
        [
            "--concurrency",
            "2",
            "list",
            "dcs",
            "kafka",
            "rabbitmq",
            "rocketmq",
        ]
        .map(String::from),
    );
    for service in ["dcs", "kafka", "rabbitmq", "rocketmq"] {
        for n in 1..=3 {
            args.push("--instance-id".into());
            args.push(format!("{service}={service}-{n}"));
        }
    }
    args.extend(["-o", "ndjson"].map(String::from));
    let output = bare(args, vec![]).await;
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(server.served.load(Ordering::SeqCst), 12, "{stderr}");
    assert_eq!(server.most_at_once.load(Ordering::SeqCst), 2, "{stderr}");
}
