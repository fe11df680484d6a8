//! `hwc-tasks` finds credentials as the official SDKs do: with nothing in
//! the environment, from the profile file (the request on the wire is
//! signed with its keys); with nothing anywhere, it stops with one line per
//! source saying what each found, having sent no request to the services.

use std::process::Output;

use serde_json::json;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "HPUAPROFILEAK0000001";
const SK: &str = "profileSecretKey/0123456789+abcdefXYZ";
const PROJECT: &str = "b5e42dc74e835b0f9fd07f4b52f58a82";

/// Runs the tool with an empty environment plus `env`, against `server`.
async fn run(server: &MockServer, env: Vec<(&'static str, String)>) -> Output {
    let endpoint = server.uri();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
            .args([
                "--endpoint",
                &endpoint,
                "--retries",
                "0",
                "list",
                "dcs",
                "-o",
                "json",
            ])
            .env_clear()
            .envs(env)
            .output()
            .expect("hwc-tasks runs")
    })
    .await
    .expect("joined")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PROJECT}/tasks")))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "task_count": 1,
            "tasks": [{"id": "p-1", "name": "ChangeInstanceSpec", "status": "SUCCESS",
                       "created_at": "2026-11-30T10:00:00.000Z"}]
        })))
        .mount(&server)
        .await;
    server
}

/// A loopback port nothing listens on: the metadata step fails at once.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_file_gives_credentials_and_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n"),
    )
    .expect("profile");
    let server = server().await;
    let output = run(
        &server,
        vec![
            (
                "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                file.display().to_string(),
            ),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", closed_port()),
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("p-1"), "{stdout}");
    assert!(!stdout.contains(SK) && !stderr.contains(SK));
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 1);
    let auth = received[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(auth.contains(&format!("Access={AK}")), "{auth}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_credentials_every_source_says_what_it_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = server().await;
    let output = run(
        &server,
        vec![
            (
                "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                dir.path().join("missing").display().to_string(),
            ),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", closed_port()),
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for source in ["environment", "profile file", "metadata service"] {
        assert!(stderr.contains(source), "{source} in {stderr}");
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    let received = server.received_requests().await.expect("recorded");
    assert!(
        received.is_empty(),
        "a request went out without credentials"
    );
}
