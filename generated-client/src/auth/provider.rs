//! Credentials obtained when a request is about to be signed, not only once.
//!
//! Temporary credentials (the metadata service's) expire, so a client cannot
//! be built with one fixed value: it asks a [`ProvideCredentials`] for them
//! and keeps the answer in a cache until shortly before it expires (see
//! [`crate::Config::credentials_provider`]). Fixed [`Credentials`] are a
//! provider too, one that never changes its answer. The sources the official
//! SDKs read are [`EnvironmentProvider`], [`crate::auth::profile`] and
//! [`crate::auth::metadata`], tried in that order by
//! [`crate::auth::chain::CredentialsChain::default_chain`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::credentials::{
    Credentials, CredentialsError, ENV_AK, ENV_SAMPLE_AK, ENV_SAMPLE_SK, ENV_SK,
};

/// What [`ProvideCredentials::provide_credentials`] returns: a boxed future,
/// so the trait stays object safe and providers can be chained.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked again whenever the cached ones are about
/// to expire.
///
/// `Debug` must not show secrets (the credential types already redact
/// theirs). A source that holds no credentials answers
/// [`CredentialsError::NotLoaded`] saying where it looked, so a chain can go
/// on and, when every source is empty, say what each one found.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Credentials for the next requests; temporary ones say when they
    /// expire ([`Credentials::expires_at`]).
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Where environment variables are read from: the process environment by
/// default; tests pass a fixed table instead of changing the process's,
/// which every thread shares.
pub(crate) type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment, as an [`EnvLookup`].
pub(crate) fn process_env() -> EnvLookup {
    Arc::new(|name| std::env::var(name).ok())
}

/// The user's home folder as the official SDKs find it (`HOME`, or
/// `USERPROFILE` on Windows), through `lookup`.
pub(crate) fn home_dir(lookup: &EnvLookup) -> Option<std::path::PathBuf> {
    let variable = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    lookup(variable)
        .filter(|home| !home.is_empty())
        .map(std::path::PathBuf::from)
}

/// Credentials from the environment variables the official SDKs read; see
/// [`Credentials::from_env_with`].
#[derive(Clone)]
pub struct EnvironmentProvider {
    lookup: EnvLookup,
}

impl fmt::Debug for EnvironmentProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvironmentProvider")
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvironmentProvider {
    /// Reads the process environment (at each [`provide_credentials`](ProvideCredentials::provide_credentials)).
    pub fn new() -> Self {
        Self {
            lookup: process_env(),
        }
    }

    /// Reads variables through `lookup` instead of the process environment.
    pub fn with_env(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self {
            lookup: Arc::new(lookup),
        }
    }

    pub(crate) fn from_lookup(lookup: EnvLookup) -> Self {
        Self { lookup }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = Credentials::from_env_with(|name| (self.lookup)(name)).map_err(|e| match e {
            CredentialsError::NotFound => CredentialsError::NotLoaded(format!(
                "environment: {ENV_AK} and {ENV_SK} not set (nor {ENV_SAMPLE_AK} and {ENV_SAMPLE_SK})"
            )),
            other => other,
        });
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_environment_provider_reads_through_its_lookup_and_shows_no_value() {
        let provider = EnvironmentProvider::with_env(|name| match name {
            "HUAWEICLOUD_SDK_AK" => Some("AK-FROM-LOOKUP".into()),
            "HUAWEICLOUD_SDK_SK" => Some("SK-FROM-LOOKUP".into()),
            _ => None,
        });
        assert_eq!(format!("{provider:?}"), "EnvironmentProvider");
        let Credentials::AccessKey(ak) = provider.provide_credentials().await.unwrap() else {
            panic!("access key credentials")
        };
        assert_eq!(ak.access_key(), "AK-FROM-LOOKUP");
    }
}
