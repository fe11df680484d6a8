//! Credentials never leave for another host: a redirect is not followed.
//!
//! Huawei Cloud's APIs do not redirect. A `302` from the service to a second
//! local server must end the call with an error naming the status and the
//! `Location`, and the second server must receive nothing, so neither the
//! signature nor a security token nor an IAM token reaches it.

use huaweicloud_tasks::auth::AccessKeyCredentials;
use huaweicloud_tasks::{Config, Credentials, ErrorKind, dcs};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::wire::PROJECT;

async fn redirected(credentials: Credentials) {
    let elsewhere = MockServer::start().await;
    let service = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header(
            "Location",
            format!("{}/v2/{PROJECT}/tasks", elsewhere.uri()),
        ))
        .mount(&service)
        .await;
    let client =
        dcs::Client::from_config(&Config::new(credentials).endpoint(service.uri())).unwrap();
    let error = client
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .expect_err("a redirect is an error");
    assert_eq!(error.kind(), ErrorKind::Service, "{error}");
    assert_eq!(error.status(), Some(302));
    let text = error.to_string();
    assert!(
        text.contains("302") && text.contains(&elsewhere.uri()),
        "{text}"
    );
    assert_eq!(
        error.attempts(),
        1,
        "a redirect is not retried: {}",
        error.attempts()
    );
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other host received a request"
    );
    assert_eq!(service.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn temporary_aksk_credentials_are_not_sent_to_a_redirect_target() {
    let credentials: Credentials = AccessKeyCredentials::new("AK", "SK")
        .unwrap()
        .with_security_token("temporary-token")
        .into();
    redirected(credentials).await;
}

#[tokio::test]
async fn an_iam_token_is_not_sent_to_a_redirect_target() {
    redirected(Credentials::iam_token("iam-token-value").unwrap()).await;
}
