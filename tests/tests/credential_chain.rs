//! The credential chain: environment, profile file and metadata service in
//! the official SDKs' order, the cache that renews temporary credentials
//! before they expire, and the signed requests they produce, against local
//! servers. Every variable is read through an injected table (never the
//! process environment), and the metadata service is always a local mock:
//! nothing here may reach 169.254.169.254.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use huaweicloud_tasks::auth::{
    Credentials, CredentialsChain, CredentialsError, ExposeSecret, MetadataProvider,
    ProfileFileProvider, ProvideCredentials,
};
use huaweicloud_tasks::{Config, ConfigError, ErrorKind};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workspace_tests::env_table as env;
use workspace_tests::security_key_answer;
use workspace_tests::skip_time;
use workspace_tests::wire::{
    PROJECT, empty_page_server, header as sent_header, list_once, received, verify_signature,
};

const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const KEY_PATH: &str = "/openstack/latest/securitykey";
const PROFILE_SK: &str = "profileSecretKey0123456789abcdef";
const META_SK: &str = "metadataSecretKey/0123456789";
const META_TOKEN: &str = "metadataSecurityToken==abcdef";
const SESSION: &str = "metadata-session-token-xyz";

/// A loopback URL nothing listens on (connections are refused).
async fn closed_endpoint() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn write_profile(dir: &Path, text: &str) -> String {
    let file = dir.join("credentials");
    std::fs::write(&file, text).unwrap();
    file.display().to_string()
}

/// The security key answer, with credentials numbered `n`, expiring in `secs`.
fn security_key(n: usize, secs: i64) -> serde_json::Value {
    security_key_answer(
        &format!("METAAK{n}"),
        &format!("{META_SK}{n}"),
        &format!("{META_TOKEN}{n}"),
        chrono::Duration::seconds(secs),
    )
}

/// Answers the security key request with credentials numbered by how many
/// were asked for so far, each valid for `secs` seconds.
struct Keys {
    served: Arc<AtomicUsize>,
    secs: i64,
    delay: Duration,
}

impl Respond for Keys {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(security_key(n, self.secs))
            .set_delay(self.delay)
    }
}

/// A metadata service that hands out session tokens and numbered keys.
async fn metadata_service(secs: i64, delay: Duration) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let served = Arc::new(AtomicUsize::new(0));
    Mock::given(method("PUT"))
        .and(path(TOKEN_PATH))
        .and(header("x-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string(SESSION))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(KEY_PATH))
        .and(header("x-metadata-token", SESSION))
        .respond_with(Keys {
            served: served.clone(),
            secs,
            delay,
        })
        .mount(&server)
        .await;
    (server, served)
}

fn access_key(credentials: &Credentials) -> &huaweicloud_tasks::auth::AccessKeyCredentials {
    match credentials {
        Credentials::AccessKey(c) => c,
        other => panic!("expected an access key pair, got {other:?}"),
    }
}

#[tokio::test]
async fn the_profile_file_is_read_when_the_environment_has_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join(".huaweicloud");
    std::fs::create_dir(&home).unwrap();
    write_profile(
        &home,
        "# the official SDKs' file\n[global]\nak = OTHER\nsk = other\n\n[basic]\nak = PROFILEAK\nsk = \
         profileSecretKey0123456789abcdef\nproject_id = p-profile\nsecurity_token = tok-profile\n",
    );
    let metadata = closed_endpoint().await;
    let lookup = env(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata),
    ]);
    let credentials = CredentialsChain::default_chain_with_env(lookup)
        .provide_credentials()
        .await
        .unwrap();
    let c = access_key(&credentials);
    assert_eq!(c.access_key(), "PROFILEAK");
    assert_eq!(c.secret_key().expose_secret(), PROFILE_SK);
    assert_eq!(c.project_id(), Some("p-profile"));
    assert_eq!(
        c.security_token().map(ExposeSecret::expose_secret),
        Some("tok-profile")
    );
    assert_eq!(c.expires_at(), None);

    // HUAWEICLOUD_SDK_CREDENTIALS_FILE names another file, and the
    // environment's own pair comes first.
    let other = tempfile::tempdir().unwrap();
    let file = write_profile(other.path(), "[basic]\nAK=FILEAK\nsk : s2\n");
    let from_variable = ProfileFileProvider::with_env(env(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file),
    ]));
    assert_eq!(from_variable.path(), Some(Path::new(&file)));
    let credentials = from_variable.provide_credentials().await.unwrap();
    assert_eq!(access_key(&credentials).access_key(), "FILEAK");

    let chain = CredentialsChain::default_chain_with_env(env(&[
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_SK", "envSecret"),
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata),
    ]));
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(access_key(&credentials).access_key(), "ENVAK");
}

#[tokio::test]
async fn a_broken_profile_file_stops_the_chain_naming_file_and_line_but_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (metadata, served) = metadata_service(3600, Duration::ZERO).await;
    let cases = [
        (
            format!("[basic]\nak = AKID\nsk = {PROFILE_SK}\n{PROFILE_SK} without a separator\n"),
            4,
            "expected `[section]` or `key = value`",
        ),
        (
            format!("[basic]\nak = AKID\n\nsk = {PROFILE_SK}\nsk = {PROFILE_SK}\n"),
            5,
            "already set on line 4",
        ),
        (
            format!("sk = {PROFILE_SK}\n[basic]\n"),
            1,
            "before any [section]",
        ),
        (
            format!("[basic]\nsk = {PROFILE_SK}\n"),
            2,
            "`sk` is set in [basic] but `ak` is not",
        ),
        (
            "[basic]\nidp_id = idp\nid_token_file = /t\n".to_string(),
            2,
            "not supported",
        ),
    ];
    for (text, line, reason) in cases {
        let file = write_profile(dir.path(), &text);
        let chain = CredentialsChain::default_chain_with_env(env(&[
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.uri()),
        ]));
        let error = chain.provide_credentials().await.unwrap_err();
        let CredentialsError::ProfileFile { path, line: at, .. } = &error else {
            panic!("expected a profile file error for {text:?}, got {error:?}");
        };
        assert_eq!(
            (path.as_str(), *at),
            (file.as_str(), Some(line)),
            "{text:?}"
        );
        let shown = format!("{error} {error:?}");
        assert!(
            shown.contains(&file) && shown.contains(&format!("line {line}")),
            "{shown}"
        );
        assert!(shown.contains(reason), "{shown}");
        assert!(!shown.contains(PROFILE_SK), "{shown}");
        // Through a configuration too.
        let config_error = Config::from_provider(CredentialsChain::default_chain_with_env(env(&[
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.uri()),
        ])))
        .await
        .unwrap_err();
        assert!(matches!(
            config_error,
            ConfigError::Credentials(CredentialsError::ProfileFile { .. })
        ));
        assert!(!config_error.to_string().contains(PROFILE_SK));
    }
    // The chain stopped at the file: the metadata service was never asked.
    assert_eq!(served.load(Ordering::SeqCst), 0);
    assert!(received(&metadata).await.is_empty());

    // A file that is not UTF-8 names its line.
    let file = dir.path().join("binary");
    std::fs::write(&file, b"[basic]\nak = \xff\xfe\n").unwrap();
    let error = ProfileFileProvider::at(&file)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(error, CredentialsError::ProfileFile { line: Some(2), .. }),
        "{error:?}"
    );
}

/// A section other than [basic], chosen by name (`hwc-tasks --profile`),
/// with its own project and region; a missing one names the others.
#[tokio::test]
async fn a_section_chosen_by_name_with_its_region() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[basic]\nak = BASICAK\nsk = {PROFILE_SK}\n\n[prod]\nak = PRODAK\nsk = {PROFILE_SK}\n\
             project_id = p-prod\nregion = ap-southeast-3\n"
        ),
    )
    .unwrap();
    let prod = ProfileFileProvider::at(&file).section("prod");
    assert_eq!(prod.section_name(), "prod");
    let credentials = prod.provide_credentials().await.unwrap();
    assert_eq!(access_key(&credentials).access_key(), "PRODAK");
    assert_eq!(credentials.project_id(), Some("p-prod"));
    assert_eq!(prod.region().unwrap().as_deref(), Some("ap-southeast-3"));
    let basic = ProfileFileProvider::at(&file);
    assert_eq!(basic.region().unwrap(), None);
    assert_eq!(basic.section_names().unwrap(), ["basic", "prod"]);
    let missing = ProfileFileProvider::at(&file)
        .section("dev")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(missing.is_not_loaded(), "{missing:?}");
    let message = missing.to_string();
    assert!(
        message.contains("no [dev] section (sections: basic, prod)"),
        "{message}"
    );
    assert!(!message.contains(PROFILE_SK) && !format!("{prod:?}").contains(PROFILE_SK));
}

#[tokio::test]
async fn metadata_credentials_with_a_session_token() {
    let (server, served) = metadata_service(3600, Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let chain = CredentialsChain::default_chain_with_env(env(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &server.uri()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p-meta"),
    ]));
    let credentials = chain.provide_credentials().await.unwrap();
    let c = access_key(&credentials);
    assert_eq!(c.access_key(), "METAAK1");
    assert_eq!(c.secret_key().expose_secret(), format!("{META_SK}1"));
    assert_eq!(
        c.security_token().map(ExposeSecret::expose_secret),
        Some(format!("{META_TOKEN}1").as_str())
    );
    assert_eq!(c.project_id(), Some("p-meta"));
    let left = c.expires_at().expect("temporary credentials expire") - Utc::now();
    assert!((3590..=3600).contains(&left.num_seconds()), "{left}");
    assert_eq!(served.load(Ordering::SeqCst), 1);

    // The provider keeps its session token: a second fetch asks only for the key.
    let provider =
        MetadataProvider::with_env(env(&[("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &server.uri())]));
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    let requests = received(&server).await;
    let puts = requests
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .count();
    assert_eq!((puts, requests.len()), (2, 5), "{requests:#?}");
}

#[tokio::test]
async fn metadata_without_session_tokens_is_asked_without_one() {
    for status in [404, 405] {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(KEY_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(security_key(7, 600)))
            .mount(&server)
            .await;
        let provider = MetadataProvider::with_env(env(&[])).endpoint(server.uri());
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(access_key(&credentials).access_key(), "METAAK7");
        // Known to have no tokens: not asked again.
        provider.provide_credentials().await.unwrap();
        let requests = received(&server).await;
        let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["PUT", "GET", "GET"], "status {status}");
        for request in requests.iter().filter(|r| r.method.as_str() == "GET") {
            assert!(
                sent_header(request, "x-metadata-token").is_none(),
                "status {status}"
            );
        }
    }
}

#[tokio::test]
async fn a_stale_session_token_is_renewed_once() {
    let server = MockServer::start().await;
    let tokens = Arc::new(AtomicUsize::new(0));
    struct Token(Arc<AtomicUsize>);
    impl Respond for Token {
        fn respond(&self, _: &Request) -> ResponseTemplate {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_string(format!("session-{n}"))
        }
    }
    Mock::given(method("PUT"))
        .and(path(TOKEN_PATH))
        .respond_with(Token(tokens.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(KEY_PATH))
        .and(header("x-metadata-token", "session-1"))
        .respond_with(ResponseTemplate::new(401).set_body_string("token expired"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(KEY_PATH))
        .and(header("x-metadata-token", "session-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(security_key(2, 600)))
        .mount(&server)
        .await;
    let provider = MetadataProvider::with_env(env(&[])).endpoint(server.uri());
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(access_key(&credentials).access_key(), "METAAK2");
    assert_eq!(tokens.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_empty_chain_says_what_each_source_found() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = closed_endpoint().await;
    let lookup = env(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata),
    ]);
    let error = CredentialsChain::default_chain_with_env(lookup.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    let CredentialsError::NoneInChain(tried) = &error else {
        panic!("expected every source tried, got {error:?}");
    };
    assert_eq!(tried.len(), 3, "{tried:?}");
    let profile = dir.path().join(".huaweicloud").join("credentials");
    let message = error.to_string();
    for expected in [
        "no Huawei Cloud credentials found: environment: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK not set".to_string(),
        format!("; profile file {}: not found; ", profile.display()),
        format!("metadata service {metadata}: cannot connect"),
    ] {
        assert!(message.contains(&expected), "{expected:?} not in {message}");
    }
    assert!(message.to_lowercase().contains("refused"), "{message}");

    // A metadata service that answers, but has no credentials for this
    // server, and an empty profile section, are reported the same way.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string(SESSION))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string("Please configure Cloud Service Agency first"),
        )
        .mount(&server)
        .await;
    let file = write_profile(dir.path(), "[basic]\nproject_id = p\n");
    let error = Config::from_provider(CredentialsChain::default_chain_with_env(env(&[
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &server.uri()),
    ])))
    .await
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&format!("profile file {file}: no ak and sk in [basic]")),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "metadata service {}: no credentials, HTTP 404 (is an agency attached",
            server.uri()
        )),
        "{message}"
    );
}

#[tokio::test]
async fn a_call_without_credentials_fails_clearly_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = closed_endpoint().await;
    let api = empty_page_server().await;
    let config = Config::anonymous()
        .credentials_provider(CredentialsChain::default_chain_with_env(env(&[
            ("HOME", dir.path().to_str().unwrap()),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata),
        ])))
        .retry(workspace_tests::wire::quick_retries());
    let error = list_once(&config, &api).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert_eq!(error.attempts(), 0);
    assert!(!error.is_retryable());
    assert!(
        error.to_string().contains("ListCenterTask: no credentials"),
        "{error}"
    );
    assert!(error.to_string().contains("profile file"), "{error}");
    let source = std::error::Error::source(&error).expect("the credentials error");
    assert!(
        source.downcast_ref::<CredentialsError>().is_some(),
        "{source:?}"
    );
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn requests_are_signed_with_metadata_credentials_renewed_before_they_expire() {
    // Each key is valid for an hour; with a 30 minute margin it is renewed
    // 30 minutes after it arrived. tokio's clock is moved on, not waited for.
    let (metadata, served) = metadata_service(3600, Duration::ZERO).await;
    let api = empty_page_server().await;
    let provider = MetadataProvider::with_env(env(&[(
        "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
        &metadata.uri(),
    )]));
    let config = Config::anonymous()
        .credentials_provider(provider)
        .credentials_refresh_margin(Duration::from_secs(1800));

    list_once(&config, &api).await.unwrap();
    skip_time(Duration::from_secs(1790)).await;
    list_once(&config, &api).await.unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 1, "cached between calls");
    skip_time(Duration::from_secs(11)).await;
    list_once(&config, &api).await.unwrap();
    assert_eq!(
        served.load(Ordering::SeqCst),
        2,
        "renewed inside the margin"
    );

    let requests = received(&api).await;
    assert_eq!(requests.len(), 3);
    for (request, n) in requests.iter().zip([1, 1, 2]) {
        let auth = verify_signature(
            "metadata",
            request,
            &format!("METAAK{n}"),
            &format!("{META_SK}{n}"),
        );
        assert_eq!(
            sent_header(request, "x-security-token"),
            Some(format!("{META_TOKEN}{n}").as_str())
        );
        assert!(auth.signed_headers.iter().any(|h| h == "x-security-token"));
        // The project comes from the path, as for any access key pair.
        assert_eq!(sent_header(request, "x-project-id"), Some(PROJECT));
    }
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    const CALLS: usize = 16;
    // A slow metadata service, so the calls really overlap; keys renewed 30
    // minutes after they arrive (tokio's clock is moved on, not waited for).
    let (metadata, served) = metadata_service(3600, Duration::from_millis(300)).await;
    let api = empty_page_server().await;
    let config = Config::anonymous()
        .credentials_provider(MetadataProvider::with_env(env(&[(
            "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
            &metadata.uri(),
        )])))
        .credentials_refresh_margin(Duration::from_secs(1800));
    // Clients built from clones of one configuration share its cache.
    let run_all = || {
        futures::future::join_all((0..CALLS).map(|_| {
            let config = config.clone();
            let api = &api;
            async move { list_once(&config, api).await }
        }))
    };
    for result in run_all().await {
        result.unwrap();
    }
    assert_eq!(served.load(Ordering::SeqCst), 1, "first load");
    skip_time(Duration::from_secs(1801)).await;
    for result in run_all().await {
        result.unwrap();
    }
    assert_eq!(
        served.load(Ordering::SeqCst),
        2,
        "one refresh for {CALLS} calls"
    );
    let tokens: Vec<String> = received(&api)
        .await
        .iter()
        .map(|r| sent_header(r, "x-security-token").unwrap().to_string())
        .collect();
    assert_eq!(tokens.len(), 2 * CALLS);
    assert!(
        tokens[..CALLS]
            .iter()
            .all(|t| *t == format!("{META_TOKEN}1"))
    );
    assert!(
        tokens[CALLS..]
            .iter()
            .all(|t| *t == format!("{META_TOKEN}2"))
    );
}

#[tokio::test]
async fn no_secret_in_debug_or_error_text() {
    let (metadata, _) = metadata_service(3600, Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_provider(CredentialsChain::default_chain_with_env(env(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.uri()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p-meta"),
    ])))
    .await
    .unwrap();
    assert_eq!(config.project_id(), Some("p-meta"));
    assert!(config.credentials().is_none(), "provided, not fixed");
    let api = empty_page_server().await;
    list_once(&config, &api).await.unwrap();
    let provider = MetadataProvider::with_env(env(&[])).endpoint(metadata.uri());
    provider.provide_credentials().await.unwrap();
    let debug = format!("{config:?} {config:#?} {provider:?}");
    for secret in [
        format!("{META_SK}1"),
        format!("{META_TOKEN}1"),
        SESSION.to_string(),
    ] {
        assert!(!debug.contains(&secret), "{secret} in {debug}");
    }
    assert!(
        debug.contains("MetadataProvider") && debug.contains(&metadata.uri()),
        "{debug}"
    );

    // An answer that holds secrets but is incomplete: the error names the
    // field, not the values.
    let broken = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&broken)
        .await;
    Mock::given(method("GET"))
        .and(path(KEY_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "credential": {
                "access": "AK", "secret": META_SK, "securitytoken": META_TOKEN,
            }})),
        )
        .mount(&broken)
        .await;
    let error = MetadataProvider::with_env(env(&[]))
        .endpoint(broken.uri())
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        matches!(error, CredentialsError::Metadata { .. }),
        "{shown}"
    );
    assert!(shown.contains("credential.expires_at"), "{shown}");
    assert!(
        !shown.contains(META_SK) && !shown.contains(META_TOKEN),
        "{shown}"
    );

    // The same through a call.
    let config = Config::anonymous()
        .credentials_provider(MetadataProvider::with_env(env(&[])).endpoint(broken.uri()));
    let error = list_once(&config, &api).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert_eq!(error.kind(), ErrorKind::Credentials, "{shown}");
    assert!(
        !shown.contains(META_SK) && !shown.contains(META_TOKEN),
        "{shown}"
    );
}

#[tokio::test]
async fn the_session_token_header_is_sent_only_to_the_metadata_service() {
    let (metadata, _) = metadata_service(3600, Duration::ZERO).await;
    let api = empty_page_server().await;
    let config = Config::anonymous()
        .credentials_provider(MetadataProvider::with_env(env(&[])).endpoint(metadata.uri()));
    list_once(&config, &api).await.unwrap();
    let request = &received(&api).await[0];
    assert!(sent_header(request, "x-metadata-token").is_none());
    // And the metadata service never sees the API's credentials.
    for request in received(&metadata).await {
        assert!(sent_header(&request, "authorization").is_none());
        assert!(sent_header(&request, "x-security-token").is_none());
    }
}

/// On tokio's paused clock: the wait for the silent service is exactly the
/// timeout, and takes no real time.
#[tokio::test(start_paused = true)]
async fn a_metadata_service_that_never_answers_ends_the_chain_at_its_timeout() {
    // Accepts connections and says nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let started = tokio::time::Instant::now();
    let error = MetadataProvider::with_env(env(&[]))
        .endpoint(endpoint.clone())
        .timeout(Duration::from_millis(300))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_millis(300));
    assert_eq!(
        error,
        CredentialsError::NotLoaded(format!(
            "metadata service {endpoint}: no answer within 300ms"
        ))
    );
}

/// A generated client's context tells which fixed credentials it signs with,
/// and none for a provider's, which are asked for before each request.
#[tokio::test]
async fn a_client_context_shows_its_fixed_credentials_only() {
    use huaweicloud_tasks::dcs::{Client, ClientInfo};
    let fixed = Credentials::AccessKey(
        huaweicloud_tasks::auth::AccessKeyCredentials::new("AK-CONTEXT", "SK")
            .unwrap()
            .with_project_id("p-context"),
    );
    let config = Config::new(fixed).endpoint("http://127.0.0.1:9");
    let client = Client::from_config(&config).unwrap();
    let seen = client.inner().credentials().expect("fixed credentials");
    assert_eq!(seen.project_id(), Some("p-context"));
    let anonymous =
        Client::from_config(&Config::anonymous().endpoint("http://127.0.0.1:9")).unwrap();
    assert!(anonymous.inner().credentials().is_none());
}
