//! The mock a consumer of `huaweicloud-tasks` tests against (feature
//! `mock`), used as such a consumer would: typed clients and the task view
//! pointed at it, examples by default, chosen answers where asked, and what
//! arrived to check afterwards.

use futures::StreamExt;
use huaweicloud_tasks::mock::MockCloud;
use huaweicloud_tasks::tasks::{self, Query, TaskStatus};
use huaweicloud_tasks::{Config, Credentials, ErrorKind, dcs, rabbitmq};
use serde_json::json;

const PROJECT: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";

fn credentials() -> Credentials {
    Credentials::access_key("AK", "SK").unwrap()
}

#[tokio::test]
async fn examples_by_default_and_chosen_answers_where_asked() {
    let mock = MockCloud::start(5).await;
    let config = mock.config(credentials());
    let client = dcs::Client::from_config(&config).unwrap();
    let page = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap();
    assert_eq!(page.tasks.as_ref().map(Vec::len), Some(5));

    mock.answer(
        &rabbitmq::SERVICE,
        "ListBackgroundTasks",
        &[("instance_id", "gone")],
        404,
        json!({"error_code": "DMS.00400001", "error_msg": "The instance does not exist."}),
    )
    .await
    .unwrap();
    let client = rabbitmq::Client::from_config(&config).unwrap();
    let error = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id("gone")
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.error_code(), Some("DMS.00400001"));
    let ok = client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id("other")
        .call()
        .await
        .unwrap();
    assert_eq!(ok.tasks.as_ref().map(Vec::len), Some(5));

    let received = mock.received("rabbitmq").await;
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|r| r.headers.contains_key("authorization"))
    );
}

/// The task view lists the mock's generated tasks of a project, all of
/// them once, with their statuses read; a status filter keeps exactly the
/// tasks of that status.
#[tokio::test]
async fn the_task_view_lists_and_filters_the_mocks_tasks() {
    let mock = MockCloud::start(30).await;
    let list = |query: Query| async move {
        tasks::list(query)
            .map(|t| t.expect("listed"))
            .collect::<Vec<_>>()
            .await
    };
    let query = || Query::new(&[&dcs::SERVICE], mock.config(credentials())).project(PROJECT);
    let all = list(query()).await;
    assert_eq!(all.len(), 30, "every generated task once");
    assert!(
        all.iter()
            .all(|t| t.service == "dcs" && t.project_id == PROJECT)
    );
    let ids: std::collections::BTreeSet<&str> = all.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 30, "no task twice");
    let running: Vec<&str> = all
        .iter()
        .filter(|t| t.status == TaskStatus::Running)
        .map(|t| t.id.as_str())
        .collect();
    assert!(
        !running.is_empty() && running.len() < all.len(),
        "the mock's statuses vary"
    );

    let found = list(query().status(TaskStatus::Running)).await;
    let found: Vec<&str> = found.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(found, running);
}

#[tokio::test]
async fn unsigned_requests_are_refused_like_the_gateway_does() {
    let mock = MockCloud::start(1).await;
    let config = Config::anonymous().service_endpoint("dcs", mock.server("dcs").unwrap().uri());
    let client = dcs::Client::from_config(&config).unwrap();
    let error = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.error_code(), Some("APIGW.0301"));
}

#[tokio::test]
async fn calls_the_spec_does_not_allow_are_reported() {
    let mock = MockCloud::start(2).await;
    let client = rabbitmq::Client::from_config(&mock.config(credentials())).unwrap();
    client
        .list_background_tasks()
        .project_id(PROJECT)
        .instance_id("i-1")
        .limit(10)
        .call()
        .await
        .unwrap();
    assert_eq!(
        mock.unexpected().await,
        Vec::<String>::new(),
        "the client's own call is fine"
    );

    // Calls the generated client would refuse to make, sent by hand.
    let base = mock.server("rabbitmq").unwrap().uri();
    // huaweicloud-tasks configures TLS for its own clients only: reqwest has
    // no crypto provider of its own, so a program that builds reqwest clients
    // itself installs one (once per process; a second try is refused).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    for url in [
        format!("{base}/v2/{PROJECT}/instances/i-1/tasks?begin_time=yesterday"),
        format!("{base}/v2/{PROJECT}/nothing-here"),
    ] {
        let _ = http
            .get(url)
            .header(
                "Authorization",
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=00",
            )
            .send()
            .await
            .unwrap();
    }
    let _ = http
        .get(format!("{base}/v2/{PROJECT}/instances/i-1/tasks"))
        .send()
        .await
        .unwrap();
    let found = mock.unexpected().await;
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].contains("`begin_time`") && found[0].contains("yesterday"),
        "{}",
        found[0]
    );
    assert!(found[1].contains("no operation"), "{}", found[1]);
    assert!(found[2].contains("no credentials"), "{}", found[2]);
}
