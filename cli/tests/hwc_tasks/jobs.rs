//! Scheduled tasks and jobs from the command line, against the demo: a
//! scheduled listing with the time each is set for, a cancel, a service
//! without scheduled tasks refused with the ones that have them, and a job
//! waited for through its sub-jobs to success, to a failure in one of them
//! and to the deadline while it awaits payment.

use serde_json::Value;

use crate::{demo, text};

fn demo_blocking(args: &'static [&'static str]) -> std::process::Output {
    demo(args)
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_tasks_list_with_their_time_and_cancel() {
    let (json, table, cancelled, deleted, refused) = tokio::task::spawn_blocking(|| {
        (
            demo_blocking(&[
                "list",
                "kafka",
                "--scheduled",
                "--instance-id",
                "demo-1",
                "--all",
                "-o",
                "json",
            ]),
            demo_blocking(&["list", "dds", "--scheduled", "-o", "table"]),
            demo_blocking(&[
                "delete",
                "dds",
                "scheduled-dds-0001",
                "--scheduled",
                "--yes",
            ]),
            demo_blocking(&[
                "delete",
                "kafka",
                "scheduled-kafka-0002",
                "--scheduled",
                "--instance-id",
                "demo-1",
                "--yes",
            ]),
            demo_blocking(&["list", "dcs", "--scheduled"]),
        )
    })
    .await
    .unwrap();

    let (stdout, stderr) = text(&json);
    assert!(json.status.success(), "{stderr}");
    let listed: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert!(!listed.is_empty());
    for task in &listed {
        assert!(task["scheduled_at"].is_string(), "{task}");
        assert!(task["id"].as_str().unwrap().starts_with("scheduled-kafka-"));
    }

    let (stdout, stderr) = text(&table);
    assert!(table.status.success(), "{stderr}");
    assert!(
        stdout.lines().next().unwrap().contains("SCHEDULED"),
        "{stdout}"
    );

    let (_, stderr) = text(&cancelled);
    assert!(cancelled.status.success(), "{stderr}");
    assert!(
        stderr.contains("cancelled dds scheduled task scheduled-dds-0001"),
        "{stderr}"
    );
    let (_, stderr) = text(&deleted);
    assert!(deleted.status.success(), "{stderr}");
    assert!(
        stderr.contains("deleted kafka scheduled task scheduled-kafka-0002"),
        "{stderr}"
    );

    let (_, stderr) = text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dcs"), "{stderr}");
    assert!(
        stderr.contains("kafka"),
        "names the services that have them: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_are_waited_for_through_their_sub_jobs() {
    let (ok, failed, payment, shown) = tokio::task::spawn_blocking(|| {
        (
            demo_blocking(&["wait", "ecs", "job-ok-1", "--interval", "10ms"]),
            demo_blocking(&["wait", "evs", "job-fail-1", "--interval", "10ms"]),
            demo_blocking(&[
                "wait",
                "bms",
                "job-payment-1",
                "--interval",
                "10ms",
                "--timeout",
                "1s",
            ]),
            demo_blocking(&["show", "cce", "job-fail-2", "-o", "json"]),
        )
    })
    .await
    .unwrap();

    let (stdout, stderr) = text(&ok);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{stderr}");
    // A line each time a sub-job ends, while the job still runs.
    for done in 1..=2 {
        assert!(
            stderr.contains(&format!("running (sub-jobs {done}/3 succeeded)")),
            "{stderr}"
        );
    }
    let job: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(job["status"], "succeeded");
    let children = job["children"].as_array().expect("the sub-jobs");
    assert_eq!(children.len(), 3, "{stdout}");
    assert!(
        children.iter().all(|c| c["status"] == "succeeded"),
        "{stdout}"
    );

    let (stdout, stderr) = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("sub-job 2 of job-fail-1 failed"), "{all}");
    let job: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(job["status"], "failed");
    assert_eq!(job["children"][1]["id"], "job-fail-1-sub-2", "{stdout}");
    assert_eq!(job["children"][1]["status"], "failed", "{stdout}");

    let (stdout, stderr) = text(&payment);
    assert_eq!(payment.status.code(), Some(3), "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("PENDING_PAYMENT"),
        "{stdout}{stderr}"
    );

    let (stdout, stderr) = text(&shown);
    assert!(shown.status.success(), "{stderr}");
    let job: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(job["id"], "job-fail-2");
    assert_eq!(
        job["children"].as_array().map(Vec::len),
        Some(3),
        "{stdout}"
    );
}

/// Several jobs waited for at once: each that ends printed as it ends, the
/// one still awaiting payment at the deadline told on stderr with its
/// status, and the failure decides the exit (1 over the timeout's 3);
/// without the failure the timeout makes it 3. `show` prints the sub-jobs.
#[tokio::test(flavor = "multi_thread")]
async fn several_jobs_waited_for_at_once() {
    let (mixed, timed_out, table) = tokio::task::spawn_blocking(|| {
        (
            demo_blocking(&[
                "wait",
                "ecs",
                "job-ok-1",
                "job-fail-1",
                "job-payment-1",
                "--interval",
                "10ms",
                "--timeout",
                "5s",
                "-o",
                "ndjson",
            ]),
            demo_blocking(&[
                "wait",
                "ecs",
                "job-ok-2",
                "job-payment-2",
                "--interval",
                "10ms",
                "--timeout",
                "2s",
                "-o",
                "ndjson",
            ]),
            demo_blocking(&["show", "ecs", "job-fail-3"]),
        )
    })
    .await
    .unwrap();

    let (stdout, stderr) = text(&mixed);
    assert_eq!(mixed.status.code(), Some(1), "{stdout}{stderr}");
    let jobs: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect();
    let status = |id: &str| {
        jobs.iter()
            .find(|j| j["id"] == id)
            .map(|j| j["status"].clone())
    };
    assert_eq!(jobs.len(), 2, "every job that ended: {stdout}");
    assert_eq!(status("job-ok-1"), Some("succeeded".into()));
    assert_eq!(status("job-fail-1"), Some("failed".into()));
    let late = stderr
        .lines()
        .find(|l| l.contains("job-payment-1 still"))
        .expect(&stderr);
    assert!(late.contains("PENDING_PAYMENT"), "{late}");

    let (stdout, stderr) = text(&timed_out);
    assert_eq!(timed_out.status.code(), Some(3), "{stdout}{stderr}");

    let (stdout, stderr) = text(&table);
    assert!(table.status.success(), "{stderr}");
    for sub in 1..=3 {
        assert!(
            stdout.contains(&format!("job-fail-3-sub-{sub}")),
            "{stdout}"
        );
    }
}
