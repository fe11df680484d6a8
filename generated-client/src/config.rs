//! Building a client: credentials, endpoint and HTTP settings.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::cache::{CredentialsCache, CredentialsSource, DEFAULT_REFRESH_MARGIN};
use crate::auth::provider::{EnvLookup, process_env};
use crate::auth::{Credentials, CredentialsChain, CredentialsError, ProvideCredentials};
use crate::runtime::endpoint::{self, EndpointError};
use crate::runtime::retry::RetryPolicy;
use crate::runtime::{Context, Service};

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error(
        "no region or endpoint given for {service}: set one with Config::region or Config::endpoint"
    )]
    NoEndpoint { service: &'static str },
    #[error(
        "unknown region `{region}` for {service} (known: {known}); pass an explicit endpoint, \
         set {variable} or add the region to the regions file"
    )]
    UnknownRegion {
        service: &'static str,
        region: String,
        known: String,
        variable: String,
    },
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint { endpoint: String, reason: String },
    /// The regions file (`HUAWEICLOUD_SDK_REGIONS_FILE` or
    /// `~/.huaweicloud/regions.yaml`) cannot be read or used.
    #[error("regions file {path}: {reason}")]
    RegionsFile { path: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Settings shared by the clients of every service.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use huaweicloud_tasks::{Config, Credentials, dcs};
/// let config = Config::new(Credentials::from_env()?).region("ap-southeast-1");
/// let client = dcs::Client::from_config(&config)?;
/// # Ok(()) }
/// ```
///
/// Clones share the credentials cache, so every client built from one
/// configuration refreshes provided credentials once for all.
#[derive(Clone)]
pub struct Config {
    credentials: Option<CredentialsSource>,
    /// The project of the provided credentials, when known at load time.
    provided_project: Option<String>,
    refresh_margin: Duration,
    region: Option<String>,
    endpoint: Option<String>,
    /// Endpoints of single services (by module name), before `endpoint`.
    service_endpoints: std::collections::BTreeMap<String, String>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_body: u64,
    env: EnvLookup,
    /// The HTTP client every service built from this configuration (and its
    /// clones) shares, made on the first build: one pool of connections per
    /// process, so a listing over many services reuses connections to a
    /// shared endpoint. A setting the HTTP client uses starts a new one.
    http: Arc<std::sync::OnceLock<reqwest::Client>>,
    /// The bound on attempts in flight and its permits, shared like `http`.
    in_flight: Option<(usize, Arc<tokio::sync::Semaphore>)>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("service_endpoints", &self.service_endpoints)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("max_in_flight", &self.in_flight.as_ref().map(|(n, _)| n))
            .finish()
    }
}

impl Config {
    /// The default of [`Config::max_response_body`]: 16 MiB. The largest
    /// page the services send (a thousand task-center tasks) is about half a
    /// megabyte, so this is some thirty times that, room for tasks with long
    /// parameters, while a broken or hostile endpoint can make a listing
    /// that runs many calls at once hold only that much per call.
    pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 16 * 1024 * 1024;

    /// A configuration that authenticates with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials: Some(CredentialsSource::Fixed(Arc::new(credentials))),
            ..Self::anonymous()
        }
    }

    /// A configuration that sends requests unauthenticated (for local mock
    /// servers; Huawei Cloud rejects such requests).
    pub fn anonymous() -> Self {
        Self {
            credentials: None,
            provided_project: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            region: None,
            endpoint: None,
            service_endpoints: std::collections::BTreeMap::new(),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
            total_timeout: Some(Duration::from_secs(120)),
            retry: RetryPolicy::default(),
            max_response_body: Self::DEFAULT_MAX_RESPONSE_BODY,
            env: process_env(),
            http: Arc::default(),
            in_flight: None,
        }
    }

    /// Credentials from the environment the official SDKs read; see
    /// [`Credentials::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self::new(Credentials::from_env()?))
    }

    /// Credentials from the official SDKs' default chain
    /// ([`CredentialsChain::default_chain`]: the environment, the profile
    /// file, the ECS/BMS metadata service), looked up now so a configuration
    /// without any fails here, with what each source found. Temporary
    /// credentials are renewed before they expire.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use huaweicloud_tasks::{Config, dcs};
    /// let config = Config::from_default_chain().await?.region("ap-southeast-1");
    /// let client = dcs::Client::from_config(&config)?;
    /// # Ok(()) }
    /// ```
    pub async fn from_default_chain() -> Result<Self, ConfigError> {
        Self::from_provider(CredentialsChain::default_chain()).await
    }

    /// Credentials from `provider`, asked now (so a provider without any
    /// fails here) and again whenever they near their expiry.
    pub async fn from_provider(
        provider: impl ProvideCredentials + 'static,
    ) -> Result<Self, ConfigError> {
        let mut config = Self::anonymous().credentials_provider(provider);
        if let Some(source) = &config.credentials {
            let credentials = source.get().await?;
            config.provided_project = credentials.project_id().map(str::to_string);
        }
        Ok(config)
    }

    /// Authenticates with credentials from `provider`, asked before the
    /// first request and again whenever they are within
    /// [`Config::credentials_refresh_margin`] of expiring. Concurrent
    /// requests of every client built from this configuration share one
    /// cache and one refresh. A provider with no credentials fails the
    /// request with [`crate::ErrorKind::Credentials`], nothing sent.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let cache = CredentialsCache::new(Arc::new(provider), self.refresh_margin);
        self.credentials = Some(CredentialsSource::Provided(cache));
        self.provided_project = None;
        self
    }

    /// How long before they expire provided credentials are renewed
    /// (default 40 minutes, as the official SDKs). Setting it empties the
    /// credentials cache.
    pub fn credentials_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        if let Some(CredentialsSource::Provided(cache)) = &self.credentials {
            self.credentials = Some(CredentialsSource::Provided(cache.with_margin(margin)));
        }
        self
    }

    /// The region (`ap-southeast-1`) whose endpoint to use.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint URL for one service (by module name, `dcs`),
    /// overriding [`Config::endpoint`] and the region table for it; `http://`
    /// is accepted, for local testing.
    pub fn service_endpoint(
        mut self,
        module: impl Into<String>,
        endpoint: impl Into<String>,
    ) -> Self {
        self.service_endpoints
            .insert(module.into(), endpoint.into());
        self
    }

    /// An explicit endpoint URL, overriding the region table. `http://` is
    /// accepted here only, for local testing.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self.http = Arc::default();
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body
    /// (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, retries and waits included (default
    /// 120 s; `None` for no bound beyond the attempts' own).
    pub fn total_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// When to retry ([`RetryPolicy::default`]: up to 3 attempts;
    /// [`RetryPolicy::disabled`]: one).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body read, in bytes (default
    /// [`Config::DEFAULT_MAX_RESPONSE_BODY`]). A longer body fails the call
    /// with [`crate::ErrorKind::BodyTooLarge`] as soon as the limit is passed
    /// (at once when `Content-Length` announces it), without reading the
    /// rest, and is not retried.
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// At most `n` attempts in flight at once (at least 1), over every
    /// service built from this configuration and its clones: one bound for
    /// a process that lists or follows many services, instances and
    /// regions at once, however its work is split. An attempt waits for its
    /// turn before its attempt timeout starts. No bound by default.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        let n = n.max(1);
        self.in_flight = Some((n, Arc::new(tokio::sync::Semaphore::new(n))));
        self
    }

    /// The credentials, when they are fixed (`None` when anonymous or when
    /// they come from a provider).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref().and_then(CredentialsSource::fixed)
    }

    /// The project requests default to: the fixed credentials' project, or
    /// the one the provider's credentials had when the configuration was
    /// loaded ([`Config::from_default_chain`], [`Config::from_provider`]).
    pub fn project_id(&self) -> Option<&str> {
        match self.credentials() {
            Some(credentials) => credentials.project_id(),
            None => self.provided_project.as_deref(),
        }
    }

    /// The endpoint this configuration selects for `service`.
    pub fn resolve_endpoint(&self, service: &Service) -> Result<String, ConfigError> {
        if let Some(endpoint) = self
            .service_endpoints
            .get(service.module)
            .or(self.endpoint.as_ref())
        {
            return endpoint::check_url(endpoint, true).map_err(|reason| {
                ConfigError::InvalidEndpoint {
                    endpoint: endpoint.clone(),
                    reason,
                }
            });
        }
        match &self.region {
            Some(region) => {
                endpoint::resolve(service, region, &self.env).map_err(|error| match error {
                    EndpointError::UnknownRegion { known, variable } => {
                        ConfigError::UnknownRegion {
                            service: service.module,
                            region: region.clone(),
                            known,
                            variable,
                        }
                    }
                    EndpointError::InvalidEndpoint { endpoint, reason } => {
                        ConfigError::InvalidEndpoint { endpoint, reason }
                    }
                    EndpointError::RegionsFile { path, reason } => {
                        ConfigError::RegionsFile { path, reason }
                    }
                })
            }
            None => Err(ConfigError::NoEndpoint {
                service: service.module,
            }),
        }
    }

    /// Everything a generated `Client` needs: base URL, HTTP client, context.
    pub fn build(
        &self,
        service: &Service,
    ) -> Result<(String, reqwest::Client, Context), ConfigError> {
        let baseurl = self.resolve_endpoint(service)?;
        let http = match self.http.get() {
            Some(http) => http.clone(),
            None => {
                let made = self.http_client()?;
                // Two first builds at once: both clients work, the first kept is shared.
                self.http.get_or_init(|| made).clone()
            }
        };
        let context = Context::new(
            self.credentials.clone(),
            self.retry.clone(),
            self.attempt_timeout,
            self.total_timeout,
            self.max_response_body,
            self.in_flight.as_ref().map(|(_, permits)| permits.clone()),
        );
        Ok((baseurl, http, context))
    }

    fn http_client(&self) -> Result<reqwest::Client, reqwest::Error> {
        // Huawei Cloud's APIs do not redirect; following one would send the
        // credential headers to whatever host it names. A 3xx is an error.
        crate::tls::configure(reqwest::Client::builder())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!(
                "huaweicloud-tasks-rust/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
    }

    /// Where region override variables, the regions file's variable and
    /// `HOME` are read from (the process environment by default); tests
    /// pass a fixed table here.
    pub fn env_lookup(
        mut self,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Arc::new(env);
        self
    }
}
