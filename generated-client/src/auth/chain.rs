//! Trying credential sources in order, as the official SDKs do.
//!
//! [`CredentialsChain::default_chain`] tries the environment, the profile
//! file and the metadata service, the order of the official SDKs' default
//! chain (their OIDC and pod identity sources are not supported). Explicit
//! credentials ([`crate::Config::new`]) need no chain. A source that holds no
//! credentials lets the chain go on; one that holds broken ones (half an
//! access key pair, a malformed profile file) stops it, since falling through
//! to the next source would hide the mistake. When no source holds any, the
//! error lists what each one found.

use std::borrow::Cow;
use std::fmt;

use super::credentials::{Credentials, CredentialsError};
use super::metadata::MetadataProvider;
use super::profile::ProfileFileProvider;
use super::provider::{
    EnvLookup, EnvironmentProvider, ProvideCredentials, ProvideFuture, process_env,
};

/// Credential sources tried in order until one holds credentials.
pub struct CredentialsChain {
    providers: Vec<(Cow<'static, str>, Box<dyn ProvideCredentials>)>,
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.providers.iter().map(|(name, p)| (name, p)))
            .finish()
    }
}

impl CredentialsChain {
    /// A chain whose first source is `provider`; `name` appears in logs.
    pub fn first_try(
        name: impl Into<Cow<'static, str>>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        Self {
            providers: vec![(name.into(), Box::new(provider))],
        }
    }

    /// Adds a source, tried when every earlier one holds no credentials.
    #[must_use]
    pub fn or_else(
        mut self,
        name: impl Into<Cow<'static, str>>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.providers.push((name.into(), Box::new(provider)));
        self
    }

    /// The official SDKs' order: [`EnvironmentProvider`],
    /// [`ProfileFileProvider`], [`MetadataProvider`], all reading the process
    /// environment.
    pub fn default_chain() -> Self {
        Self::default_from(&process_env())
    }

    /// As [`CredentialsChain::default_chain`], with every variable (the
    /// credentials, `HOME`, the profile file and metadata service overrides)
    /// read through `lookup`.
    pub fn default_chain_with_env(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Self::default_from(&(std::sync::Arc::new(lookup) as EnvLookup))
    }

    fn default_from(lookup: &EnvLookup) -> Self {
        Self::first_try(
            "environment",
            EnvironmentProvider::from_lookup(lookup.clone()),
        )
        .or_else("profile file", ProfileFileProvider::from_lookup(lookup))
        .or_else("metadata service", MetadataProvider::from_lookup(lookup))
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.providers.len());
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = %name, "credentials loaded");
                    return Ok(credentials);
                }
                Err(e) if e.is_not_loaded() => {
                    tracing::debug!(source = %name, reason = %e, "no credentials here");
                    tried.push(e.to_string());
                }
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::NoneInChain(tried))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.provide())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_shows_its_sources_in_order_and_no_secret() {
        let chain = CredentialsChain::default_chain_with_env(|name| match name {
            "HUAWEICLOUD_SDK_AK" => Some("AK-SHOWN".into()),
            "HUAWEICLOUD_SDK_SK" => Some("SK-NEVER-SHOWN".into()),
            _ => None,
        });
        let shown = format!("{chain:?}");
        let sources: Vec<usize> = [
            "\"environment\": ",
            "\"profile file\": ",
            "\"metadata service\": ",
        ]
        .iter()
        .map(|name| {
            shown
                .find(name)
                .unwrap_or_else(|| panic!("{name} in {shown}"))
        })
        .collect();
        assert!(sources.is_sorted(), "{shown}");
        assert!(shown.starts_with('{') && shown.ends_with('}'), "{shown}");
        assert!(!shown.contains("SK-NEVER-SHOWN"), "{shown}");
        assert!(
            shown.contains("\"environment\": EnvironmentProvider"),
            "{shown}"
        );
    }
}
