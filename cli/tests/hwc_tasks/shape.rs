//! What is printed, beside the format: `--query` (JMESPath) on the demo
//! and refused before anything is sent when it is bad, `--columns`,
//! `--no-header`, `--sort`, `--summary`, and the closest valid value for a
//! typo.

use serde_json::{Value, json};

use crate::fleet::lines;
use crate::{demo, run, server, text};

#[tokio::test(flavor = "multi_thread")]
async fn a_jmespath_query_on_the_demo() {
    let (failed, queried, counted, shown) = tokio::task::spawn_blocking(|| {
        (
            demo(&["list", "dcs", "--all", "--status", "failed", "-o", "ndjson"]),
            demo(&[
                "list",
                "dcs",
                "--all",
                "--query",
                "[?status=='failed'].id",
                "-o",
                "json",
            ]),
            demo(&["list", "dcs", "--all", "--query", "length(@)"]),
            demo(&[
                "show",
                "rabbitmq",
                "t-1",
                "t-2",
                "--instance-id",
                "demo-1",
                "--query",
                "{id: id, status: status}",
                "-o",
                "ndjson",
            ]),
        )
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&failed);
    assert!(failed.status.success(), "{stderr}");
    let expected: Vec<Value> = lines(&stdout).iter().map(|r| r["id"].clone()).collect();
    assert!(!expected.is_empty());
    let (stdout, stderr) = text(&queried);
    assert!(queried.status.success(), "{stderr}");
    let found: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(found, Value::Array(expected), "the query's result, as JSON");
    let (stdout, _) = text(&counted);
    assert_eq!(
        stdout.trim(),
        "120",
        "--limit applies before the query: {stdout}"
    );
    let (stdout, stderr) = text(&shown);
    assert!(shown.status.success(), "{stderr}");
    for row in lines(&stdout) {
        assert_eq!(row.as_object().unwrap().len(), 2, "{row}");
    }

    // A bad expression, or a format that is not JSON: exit 2, nothing sent.
    let server = server().await;
    for (args, says) in [
        (vec!["list", "dcs", "--query", "[?status=="], "--query"),
        (
            vec!["list", "dcs", "--query", "nosuch(@)"],
            "unknown function `nosuch`",
        ),
        (
            vec!["list", "dcs", "--query", "id", "-o", "table"],
            "--query prints JSON",
        ),
    ] {
        let output = run(&server, &args).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn columns_header_sort_and_summary() {
    let server = server().await;
    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "opengauss",
            "-o",
            "csv",
            "--columns",
            "id,status",
            "--no-header",
        ],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["c-1,running", "g-1,succeeded", "c-2,failed"]
    );
    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "opengauss",
            "-o",
            "ndjson",
            "--sort",
            "created_at",
            "--columns",
            "id",
        ],
    )
    .await;
    let (stdout, _) = text(&output);
    assert_eq!(
        stdout, "{\"id\":\"c-2\"}\n{\"id\":\"g-1\"}\n{\"id\":\"c-1\"}\n",
        "oldest first"
    );
    for sort in ["id:desc", "created_at:desc"] {
        let output = run(
            &server,
            &[
                "list",
                "dcs",
                "opengauss",
                "-o",
                "csv",
                "--sort",
                sort,
                "--columns",
                "id",
                "--no-header",
            ],
        )
        .await;
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{sort}: {stderr}");
        let expected = if sort == "id:desc" {
            "g-1\nc-2\nc-1\n"
        } else {
            "c-1\ng-1\nc-2\n"
        };
        assert_eq!(stdout, expected, "{sort}");
    }
    let output = run(
        &server,
        &[
            "list",
            "dcs",
            "opengauss",
            "-o",
            "table",
            "--columns",
            "status,id",
            "--no-header",
        ],
    )
    .await;
    let (stdout, _) = text(&output);
    assert!(stdout.starts_with("running    c-1"), "{stdout}");
    assert!(!stdout.contains("STATUS"), "{stdout}");

    let output = run(
        &server,
        &["list", "dcs", "opengauss", "--summary", "-o", "json"],
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let counts: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        counts,
        json!([
            {"service": "dcs", "status": "running", "count": 1},
            {"service": "dcs", "status": "failed", "count": 1},
            {"service": "opengauss", "status": "succeeded", "count": 1}
        ])
    );
    let output = run(
        &server,
        &["list", "dcs", "opengauss", "--summary", "-o", "table"],
    )
    .await;
    let (stdout, _) = text(&output);
    let table: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        table[0], "SERVICE    RUNNING  SUCCEEDED  FAILED  TOTAL",
        "{stdout}"
    );
    assert_eq!(
        table.last().copied(),
        Some("all              1          1       1      3")
    );

    // Typos: refused before anything is sent, with the closest value.
    let sent = server.received_requests().await.unwrap().len();
    for (args, says) in [
        (
            vec!["list", "dcs", "--columns", "id,stauts"],
            "did you mean `status`?",
        ),
        (
            vec!["list", "dcs", "--columns", "nosuch"],
            "known: service, region",
        ),
        (
            vec!["list", "dcs", "--sort", "craeted_at"],
            "did you mean `created_at`?",
        ),
        (vec!["list", "dsc"], "did you mean `dcs`?"),
        (
            vec!["list", "dcs", "--status", "runing"],
            "did you mean `running`?",
        ),
        (
            vec!["list", "dcs", "--summary", "--columns", "id"],
            "--summary",
        ),
        (vec!["--concurrency", "0", "list", "dcs"], "--concurrency"),
    ] {
        let output = run(&server, &args).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), sent);
}
