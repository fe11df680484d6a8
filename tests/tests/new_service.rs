//! A new service is YAML plus one command.
//!
//! The workspace is copied to a scratch directory, `tests/data/new_service/sample.yaml`
//! (a paged list, a DELETE of one task by `task_id` answering 204, a POST
//! answering 202, and a GET under `/v3.1/` with a required query parameter) is added as
//! `spec/sample.yaml`, two API Explorer definitions (ECS and CCE, with
//! `#/parameters/...` references and definitions nested five deep) are
//! imported as new services with `cargo xtask doc import`, and `cargo xtask
//! generate` runs there. Then:
//! - only `spec/`, the generated client and the published documents changed;
//! - a small program outside the workspace, using `huaweicloud_tasks::sample`
//!   as any user would, builds and calls the operations against a local
//!   server, which checks what arrived: method, path, query, a signature
//!   recomputed from the wire, the idempotent DELETE retried after a 503 and
//!   the POST sent once.
//!
//! It builds the copied workspace with cargo, in the scratch builds' target
//! directory (`target/scratch`) so it never waits on the build that runs it.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::scratch::{cargo, copy_workspace, files, user_program};
use workspace_tests::wire::{json_response, query_pairs, verify_signature};
use workspace_tests::workspace_root;

/// Method, path and query pairs of a received request.
type Seen = (String, String, Vec<(String, String)>);

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey/0123456789+abcdefXYZ";
const PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";
const INSTANCE: &str = "i-1";

/// The user program: the three new operations, through the public API only.
const PROGRAM: &str = r#"
use huaweicloud_tasks::{Config, Credentials, sample};
use futures::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::var("SAMPLE_ENDPOINT")?;
    let config = Config::new(Credentials::access_key(__AK__, __SK__)?).endpoint(endpoint);
    let client = sample::Client::from_config(&config)?;
    // The services imported from definitions build, take the same config
    // and have their operations.
    let templates = huaweicloud_tasks::ecstemplates::Client::from_config(&config)?;
    let _ = templates.list_launch_template_versions();
    let partitions = huaweicloud_tasks::ccepartitions::Client::from_config(&config)?;
    let _ = partitions.list_partitions();
    let tasks: Vec<_> = client
        .list_sample_tasks()
        .project_id(__PROJECT__)
        .instance_id(__INSTANCE__)
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    println!("listed {}", tasks.len());
    for task in &tasks {
        println!("task {} {}", task.id.as_deref().unwrap_or("?"), task.status.as_ref().map_or("?", |s| s.as_str()));
    }
    let deleted = client
        .delete_sample_task()
        .project_id(__PROJECT__)
        .instance_id(__INSTANCE__)
        .task_id("t-2")
        .call()
        .await?;
    println!("deleted {}", deleted.status().as_u16());
    let cancel = client
        .cancel_sample_task()
        .project_id(__PROJECT__)
        .instance_id(__INSTANCE__)
        .task_id("t-3")
        .call()
        .await;
    match cancel {
        Ok(_) => println!("cancelled"),
        Err(e) => println!("cancel failed {:?} after {} attempt(s)", e.status(), e.attempts()),
    }
    let job = client.show_sample_job().project_id(__PROJECT__).id("job-9").call().await?;
    println!("job {}", job.job.as_ref().and_then(|j| j.status.as_deref()).unwrap_or("?"));
    let refused = client.show_sample_job().project_id(__PROJECT__).id("x".repeat(65)).call().await;
    println!("refused {}", refused.err().map_or("nothing".to_string(), |e| e.to_string()));
    Ok(())
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_new_spec_becomes_a_working_module_with_one_command() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let workspace = scratch.path().join("workspace");
    let root = workspace_root();
    copy_workspace(&root, &workspace);
    let before = files(&workspace);
    std::fs::copy(
        root.join("tests/data/new_service/sample.yaml"),
        workspace.join("spec/sample.yaml"),
    )
    .expect("add the spec");

    let target = root.join(workspace_tests::scratch::TARGET);
    for (definition, module) in [
        (
            "ECS/0.1.20261024/ListLaunchTemplateVersions.json",
            "ecstemplates",
        ),
        ("CCE/0.1.20260918/ListPartitions.json", "ccepartitions"),
    ] {
        let file = root.join("tests/data/doc/definitions").join(definition);
        let server = format!("https://{module}.{{region}}.myhuaweicloud.com");
        cargo(
            &workspace,
            &target,
            &[
                "xtask",
                "doc",
                "import",
                file.to_str().expect("UTF-8"),
                "--service",
                module,
                "--server",
                &server,
                "--region",
                "cn-north-4",
            ],
        );
    }
    cargo(&workspace, &target, &["xtask", "generate"]);

    let after = files(&workspace);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(name, bytes)| before.get(*name) != Some(bytes))
        .map(|(name, _)| name)
        .chain(before.keys().filter(|name| !after.contains_key(*name)))
        .collect();
    for name in &changed {
        assert!(
            name.starts_with("spec/")
                || name.starts_with("generated-client/src/generated/")
                || name.starts_with("published/"),
            "generate changed {name}, outside spec/, generated and published files"
        );
    }
    for expected in [
        "spec/sample.yaml",
        "spec/ecstemplates.yaml",
        "spec/ccepartitions.yaml",
        "generated-client/src/generated/sample.rs",
        "generated-client/src/generated/ecstemplates.rs",
        "generated-client/src/generated/ccepartitions.rs",
        "generated-client/src/generated/mod.rs",
        "published/sample/openapi.yaml",
        "published/sample/reference.html",
    ] {
        assert!(
            changed.iter().any(|c| *c == expected),
            "{expected} was not written; changed: {changed:?}"
        );
    }

    // A program outside the workspace that depends on the crate.
    let program = scratch.path().join("user");
    let source = PROGRAM
        .replace("__AK__", &format!("{AK:?}"))
        .replace("__SK__", &format!("{SK:?}"))
        .replace("__PROJECT__", &format!("{PROJECT:?}"))
        .replace("__INSTANCE__", &format!("{INSTANCE:?}"));
    user_program(&program, &workspace, &source);
    cargo(&program, &target, &["build", "--quiet"]);

    let server = MockServer::start().await;
    let tasks = format!("/v2/{PROJECT}/instances/{INSTANCE}/tasks");
    Mock::given(method("GET"))
        .and(path(tasks.as_str()))
        .and(query_param("offset", "0"))
        .respond_with(json_response(
            200,
            &json!({"total": 3, "tasks": [{"id": "t-1", "status": "SUCCESS"}, {"id": "t-2", "status": "PAUSED"}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(tasks.as_str()))
        .and(query_param("offset", "2"))
        .respond_with(json_response(
            200,
            &json!({"total": "3", "tasks": [{"id": "t-3", "status": "RUNNING"}]}),
        ))
        .mount(&server)
        .await;
    // The DELETE is idempotent: a 503 is retried. The POST is not: sent once.
    Mock::given(method("DELETE"))
        .and(path(format!("{tasks}/t-2")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{tasks}/t-2")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{tasks}/t-3/cancel")))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v3.1/{PROJECT}/jobs")))
        .and(query_param("id", "job-9"))
        .respond_with(json_response(
            200,
            &json!({"job": {"id": "job-9", "status": "Completed"}}),
        ))
        .mount(&server)
        .await;

    let binary = target.join("debug/user");
    let output = Command::new(&binary)
        .env("SAMPLE_ENDPOINT", server.uri())
        .output()
        .expect("the program runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..7],
        [
            "listed 3",
            "task t-1 SUCCESS",
            "task t-2 PAUSED",
            "task t-3 RUNNING",
            "deleted 204",
            "cancel failed Some(503) after 1 attempt(s)",
            "job Completed",
        ],
        "{stdout}"
    );
    assert!(
        lines[7].starts_with("refused ")
            && lines[7].contains("`id`")
            && lines[7].contains("at most 64 character(s)"),
        "{stdout}"
    );

    let received = server.received_requests().await.expect("recorded");
    let seen: Vec<Seen> = received
        .iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.url.path().to_string(),
                query_pairs(r),
            )
        })
        .collect();
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        seen,
        [
            (
                "GET".into(),
                tasks.clone(),
                pairs(&[("limit", "2"), ("offset", "0")])
            ),
            (
                "GET".into(),
                tasks.clone(),
                pairs(&[("limit", "2"), ("offset", "2")])
            ),
            ("DELETE".into(), format!("{tasks}/t-2"), vec![]),
            ("DELETE".into(), format!("{tasks}/t-2"), vec![]),
            ("POST".into(), format!("{tasks}/t-3/cancel"), vec![]),
            (
                "GET".into(),
                format!("/v3.1/{PROJECT}/jobs"),
                pairs(&[("id", "job-9")])
            ),
        ],
        "nothing else was sent: the refused argument never left the program"
    );
    for (i, request) in received.iter().enumerate() {
        verify_signature(&format!("request {i}"), request, AK, SK);
    }
}
