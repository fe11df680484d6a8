//! Building a client: credentials, endpoint and HTTP settings.

use std::fmt;
use std::time::Duration;

use crate::auth::{Credentials, CredentialsError};
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
        "unknown region `{region}` for {service} (known: {known}); pass an explicit endpoint or set {variable}"
    )]
    UnknownRegion {
        service: &'static str,
        region: String,
        known: String,
        variable: String,
    },
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint { endpoint: String, reason: String },
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
#[derive(Clone)]
pub struct Config {
    credentials: Option<Credentials>,
    region: Option<String>,
    endpoint: Option<String>,
    /// Endpoints of single services (by module name), before `endpoint`.
    service_endpoints: std::collections::BTreeMap<String, String>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
    env: fn(&str) -> Option<String>,
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
            .finish()
    }
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Config {
    /// A configuration that authenticates with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials: Some(credentials),
            ..Self::anonymous()
        }
    }

    /// A configuration that sends requests unauthenticated (for local mock
    /// servers; Huawei Cloud rejects such requests).
    pub fn anonymous() -> Self {
        Self {
            credentials: None,
            region: None,
            endpoint: None,
            service_endpoints: std::collections::BTreeMap::new(),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
            total_timeout: Some(Duration::from_secs(120)),
            retry: RetryPolicy::default(),
            env: process_env,
        }
    }

    /// Credentials from the environment the official SDKs read; see
    /// [`Credentials::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self::new(Credentials::from_env()?))
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

    /// The credentials, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
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
        // Huawei Cloud's APIs do not redirect; following one would send the
        // credential headers to whatever host it names. A 3xx is an error.
        let http = crate::tls::configure(reqwest::Client::builder())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!(
                "huaweicloud-tasks-rust/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()?;
        let context = Context::new(
            self.credentials.clone(),
            self.retry.clone(),
            self.attempt_timeout,
            self.total_timeout,
        );
        Ok((baseurl, http, context))
    }

    /// Where region override variables are read from (the process
    /// environment by default); tests pass a fixed table here.
    pub fn env_lookup(mut self, env: fn(&str) -> Option<String>) -> Self {
        self.env = env;
        self
    }
}
