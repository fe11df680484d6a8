//! Temporary credentials from the ECS/BMS metadata service, for code running
//! on a Huawei Cloud server with an agency attached.
//!
//! As the official SDKs do: `PUT /meta-data/latest/api/token` with
//! `X-Metadata-Token-Ttl-Seconds` asks for a session token (a service that
//! answers 404, 405 or 503 has none, and the key is then asked for without
//! one); `GET /openstack/latest/securitykey`, with `X-Metadata-Token` when
//! there is a token, answers `{"credential": {"access", "secret",
//! "securitytoken", "expires_at"}}`. A 401 that is not the service's "no
//! agency" answer means the token went stale: a new one is asked for and the
//! key asked again, once.
//!
//! Off the cloud nothing answers at `169.254.169.254`, so both requests have
//! short timeouts (1 s to connect, 2 s in all by default) and any failure to
//! reach the service, or an answer without credentials, is
//! [`CredentialsError::NotLoaded`]: a chain ends quickly and says what it
//! found. Only an answer that claims to hold credentials but does not is an
//! error of its own ([`CredentialsError::Metadata`]). Requests go straight to
//! the service, never through a proxy, and never follow a redirect.
//!
//! The provider fetches on every call; [`crate::Config::credentials_provider`]
//! puts it behind a cache that asks again shortly before the credentials
//! expire.

use std::fmt;
use std::time::Duration;

// tokio's clock, as for the request timeouts (a test may pause it).
use tokio::time::Instant;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::credentials::{AccessKeyCredentials, Credentials, CredentialsError, ENV_PROJECT_ID};
use super::provider::{EnvLookup, ProvideCredentials, ProvideFuture, process_env};

/// Environment variable overriding the metadata service's base URL.
pub const ENV_METADATA_ENDPOINT: &str = "HUAWEICLOUD_SDK_METADATA_ENDPOINT";
/// The metadata service's base URL on ECS and BMS servers.
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";

const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
const TOKEN_HEADER: &str = "X-Metadata-Token";
const TOKEN_TTL_HEADER: &str = "X-Metadata-Token-Ttl-Seconds";
/// Life asked for a session token (the official SDKs' 6 hours).
const TOKEN_TTL: Duration = Duration::from_secs(6 * 60 * 60);
/// A token is replaced this long before its life ends.
const TOKEN_MARGIN: Duration = Duration::from_secs(10 * 60);
/// A service without tokens is asked again for one after this long.
const NO_TOKEN_RECHECK: Duration = Duration::from_secs(24 * 60 * 60);
/// The service's answer when no agency is attached to the server.
const NO_AGENCY: &str = "Please configure Cloud Service Agency first";
/// Largest answer read: the credentials take a few kilobytes.
const MAX_ANSWER: usize = 64 * 1024;

/// What is known of the session token.
enum TokenState {
    Unknown,
    Token { value: SecretString, until: Instant },
    NoToken { until: Instant },
}

impl TokenState {
    /// A token just received at `now`: held until [`TOKEN_MARGIN`] before
    /// the life asked for ends.
    fn token(value: SecretString, now: Instant) -> Self {
        TokenState::Token {
            value,
            until: now + (TOKEN_TTL - TOKEN_MARGIN),
        }
    }

    /// The service answered at `now` that it gives no tokens: believed for
    /// [`NO_TOKEN_RECHECK`].
    fn no_token(now: Instant) -> Self {
        TokenState::NoToken {
            until: now + NO_TOKEN_RECHECK,
        }
    }

    /// What still holds at `now`: a token (`Some(Some(_))`), that the
    /// service has none (`Some(None)`), or nothing (`None`: ask the service).
    fn held(&self, now: Instant) -> Option<Option<SecretString>> {
        match self {
            TokenState::Token { value, until } if now < *until => Some(Some(value.clone())),
            TokenState::NoToken { until } if now < *until => Some(None),
            _ => None,
        }
    }
}

/// Temporary credentials from the metadata service.
pub struct MetadataProvider {
    endpoint: String,
    connect_timeout: Duration,
    timeout: Duration,
    project_id: Option<String>,
    /// Also serialises fetches by one provider.
    token: tokio::sync::Mutex<TokenState>,
}

impl fmt::Debug for MetadataProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataProvider")
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

impl Default for MetadataProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// One answer of the service: status and (capped) body.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl MetadataProvider {
    /// The service at [`ENV_METADATA_ENDPOINT`] or [`DEFAULT_ENDPOINT`]; the
    /// credentials get the project of `HUAWEICLOUD_SDK_PROJECT_ID` when it is
    /// set (the service knows none).
    pub fn new() -> Self {
        Self::from_lookup(&process_env())
    }

    /// As [`MetadataProvider::new`], reading variables through `lookup`.
    pub fn with_env(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self::from_lookup(&(std::sync::Arc::new(lookup) as EnvLookup))
    }

    pub(crate) fn from_lookup(lookup: &EnvLookup) -> Self {
        let endpoint = lookup(ENV_METADATA_ENDPOINT)
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        Self {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(2),
            project_id: lookup(ENV_PROJECT_ID).filter(|p| !p.is_empty()),
            token: tokio::sync::Mutex::new(TokenState::Unknown),
        }
    }

    /// Another base URL for the service.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_string();
        self
    }

    /// Time allowed for each request to the service, connecting included
    /// (default 2 s; connecting alone gets at most 1 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self.connect_timeout = self.connect_timeout.min(timeout);
        self
    }

    /// The project the credentials are for (sent as `X-Project-Id`).
    #[must_use]
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into()).filter(|p| !p.is_empty());
        self
    }

    /// The service's base URL.
    pub fn endpoint_url(&self) -> &str {
        &self.endpoint
    }

    fn not_loaded(&self, what: impl fmt::Display) -> CredentialsError {
        CredentialsError::NotLoaded(format!("metadata service {}: {what}", self.endpoint))
    }

    fn broken(&self, reason: impl Into<String>) -> CredentialsError {
        CredentialsError::Metadata {
            endpoint: self.endpoint.clone(),
            reason: reason.into(),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if url::Url::parse(&self.endpoint).is_err() {
            return Err(self.broken("not a URL"));
        }
        // The crate's TLS setup, as every client it builds: with the default
        // features reqwest has no crypto provider of its own.
        let http = crate::tls::configure(reqwest::Client::builder())
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(|e| self.broken(format!("cannot build the HTTP client: {e}")))?;
        let mut state = self.token.lock().await;
        let token = self.token(&http, &mut state, false).await?;
        let mut answer = self.security_key(&http, token.as_ref()).await?;
        if answer.status == 401 && !String::from_utf8_lossy(&answer.body).contains(NO_AGENCY) {
            let token = self.token(&http, &mut state, true).await?;
            answer = self.security_key(&http, token.as_ref()).await?;
        }
        drop(state);
        if answer.status != 200 {
            let hint = if answer.status == 404
                || String::from_utf8_lossy(&answer.body).contains(NO_AGENCY)
            {
                " (is an agency attached to the server?)"
            } else {
                ""
            };
            return Err(
                self.not_loaded(format_args!("no credentials, HTTP {}{hint}", answer.status))
            );
        }
        self.credentials(&answer.body)
    }

    /// The session token to send, if the service uses them: the one held
    /// while it lasts, else a new one. `renew` asks for a new one whatever is
    /// held, and then any answer but a token is a failure.
    async fn token(
        &self,
        http: &reqwest::Client,
        state: &mut TokenState,
        renew: bool,
    ) -> Result<Option<SecretString>, CredentialsError> {
        let now = Instant::now();
        if !renew && let Some(held) = state.held(now) {
            return Ok(held);
        }
        let request = http
            .put(format!("{}{TOKEN_PATH}", self.endpoint))
            .header(TOKEN_TTL_HEADER, TOKEN_TTL.as_secs().to_string());
        let answer = self.send(request).await?;
        match answer.status {
            200 => {
                let text = String::from_utf8(answer.body)
                    .map_err(|_| self.broken("the session token is not text"))?;
                let value = SecretString::from(text.trim().to_string());
                *state = TokenState::token(value.clone(), now);
                Ok(Some(value))
            }
            404 | 405 | 503 if !renew => {
                *state = TokenState::no_token(now);
                Ok(None)
            }
            status => Err(self.not_loaded(format_args!("no session token, HTTP {status}"))),
        }
    }

    async fn security_key(
        &self,
        http: &reqwest::Client,
        token: Option<&SecretString>,
    ) -> Result<Answer, CredentialsError> {
        let mut request = http.get(format!("{}{SECURITY_KEY_PATH}", self.endpoint));
        if let Some(token) = token {
            let mut value = reqwest::header::HeaderValue::from_str(token.expose_secret())
                .map_err(|_| self.broken("the session token is not a valid header value"))?;
            value.set_sensitive(true);
            request = request.header(TOKEN_HEADER, value);
        }
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, CredentialsError> {
        let describe = |e: reqwest::Error| {
            if e.is_timeout() {
                return self.not_loaded(format_args!("no answer within {:?}", self.timeout));
            }
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            if e.is_connect() {
                self.not_loaded(format_args!("cannot connect ({cause})"))
            } else {
                self.not_loaded(cause)
            }
        };
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err(self.broken(format!("answer longer than {MAX_ANSWER} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }

    /// The credentials in a security key answer. Errors name the missing
    /// field, never a value.
    fn credentials(&self, body: &[u8]) -> Result<Credentials, CredentialsError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| self.broken(format!("the answer is not JSON ({e})")))?;
        let credential = value
            .get("credential")
            .filter(|c| c.is_object())
            .ok_or_else(|| self.broken("the answer has no `credential` object"))?;
        let field = |name: &str| {
            credential
                .get(name)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    self.broken(format!("`credential.{name}` is missing or not a string"))
                })
        };
        let (access, secret, token) = (field("access")?, field("secret")?, field("securitytoken")?);
        let expires = field("expires_at")?;
        let expires_at = DateTime::parse_from_rfc3339(expires)
            .map_err(|_| self.broken(format!("`credential.expires_at` {expires:?} is not a time")))?
            .with_timezone(&Utc);
        if expires_at <= Utc::now() {
            return Err(self.broken(format!("the credentials expired at {expires_at}")));
        }
        let mut credentials = AccessKeyCredentials::new(access, secret)?
            .with_security_token(token)
            .with_expiry(expires_at);
        if let Some(project) = &self.project_id {
            credentials = credentials.with_project_id(project.clone());
        }
        Ok(Credentials::AccessKey(credentials))
    }
}

impl ProvideCredentials for MetadataProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn no_env() -> MetadataProvider {
        MetadataProvider::with_env(|_| None)
    }

    #[test]
    fn a_token_is_replaced_ten_minutes_before_its_six_hours_end() {
        let now = Instant::now();
        let held = TokenState::token(SecretString::from("t"), now);
        let lasts = Duration::from_secs(6 * 3600 - 10 * 60);
        let before = held.held(now + lasts - Duration::from_secs(1));
        assert_eq!(
            before
                .flatten()
                .map(|t| t.expose_secret().to_string())
                .as_deref(),
            Some("t")
        );
        assert!(held.held(now + lasts).is_none());
        assert!(TokenState::Unknown.held(now).is_none());
    }

    #[test]
    fn a_service_without_tokens_is_asked_again_after_a_day() {
        let now = Instant::now();
        let none = TokenState::no_token(now);
        let day = Duration::from_secs(24 * 3600);
        assert!(matches!(
            none.held(now + day - Duration::from_secs(1)),
            Some(None)
        ));
        assert!(none.held(now + day).is_none());
    }

    #[test]
    fn the_builder_sets_the_project_and_the_endpoint() {
        let provider = no_env().endpoint("http://127.0.0.1:1/").project_id("p1");
        assert_eq!(provider.endpoint_url(), "http://127.0.0.1:1");
        assert_eq!(provider.project_id.as_deref(), Some("p1"));
        assert_eq!(no_env().project_id("").project_id, None);
        assert_eq!(no_env().endpoint_url(), DEFAULT_ENDPOINT);
    }

    /// A security key answer padded with spaces to `size` bytes.
    fn answer_of(size: usize) -> String {
        let expires = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        let json = format!(
            r#"{{"credential":{{"access":"AK","secret":"SK","securitytoken":"ST","expires_at":"{expires}"}}}}"#
        );
        format!("{json}{}", " ".repeat(size - json.len()))
    }

    #[tokio::test]
    async fn a_token_refused_on_renewal_is_a_failure_not_a_service_without_tokens() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_string("tok"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(SECURITY_KEY_PATH))
            .respond_with(ResponseTemplate::new(401).set_body_string("token expired"))
            .mount(&server)
            .await;
        let error = no_env().endpoint(server.uri()).fetch().await.unwrap_err();
        assert!(
            error.to_string().contains("no session token, HTTP 404"),
            "{error}"
        );
        // The token, then the key (401), then a new token (404): no second key.
        let methods: Vec<String> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| r.method.to_string())
            .collect();
        assert_eq!(methods, ["PUT", "GET", "PUT"]);
    }

    #[tokio::test]
    async fn only_a_missing_key_or_agency_gets_the_agency_hint() {
        for (status, body, hinted) in [
            (404, "", true),
            (401, NO_AGENCY, true),
            (500, "", false),
            (403, "forbidden", false),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("PUT"))
                .and(path(TOKEN_PATH))
                .respond_with(ResponseTemplate::new(404))
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(path(SECURITY_KEY_PATH))
                .respond_with(ResponseTemplate::new(status).set_body_string(body))
                .mount(&server)
                .await;
            let error = no_env().endpoint(server.uri()).fetch().await.unwrap_err();
            let text = error.to_string();
            assert!(
                text.contains(&format!("no credentials, HTTP {status}")),
                "{text}"
            );
            assert_eq!(text.contains("is an agency attached"), hinted, "{text}");
            assert!(error.is_not_loaded(), "{text}");
        }
    }

    #[tokio::test]
    async fn an_answer_of_up_to_64_kib_is_read_and_a_longer_one_refused() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let key = |size: usize| {
            Mock::given(method("GET"))
                .and(path(SECURITY_KEY_PATH))
                .respond_with(ResponseTemplate::new(200).set_body_string(answer_of(size)))
        };
        key(64 * 1024).up_to_n_times(1).mount(&server).await;
        key(64 * 1024 + 1).mount(&server).await;
        let provider = no_env().endpoint(server.uri()).project_id("p1");
        let credentials = provider.fetch().await.expect("64 KiB is read");
        let Credentials::AccessKey(ak) = credentials else {
            panic!("access key credentials")
        };
        assert_eq!(ak.project_id(), Some("p1"));
        let error = provider.fetch().await.unwrap_err().to_string();
        assert!(error.contains("answer longer than 65536 bytes"), "{error}");
    }
}
