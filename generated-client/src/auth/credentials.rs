//! Credentials for Huawei Cloud API calls, and where to find them.
//!
//! Two kinds exist: an access key pair (AK/SK), used to sign every request
//! with `SDK-HMAC-SHA256`, and an IAM token, sent as-is in `X-Auth-Token`.
//! The secret parts are held as [`SecretString`]s (from the `secrecy`
//! crate: redacted `Debug`, no `Display`, zeroed when dropped) so that logging
//! a [`Credentials`] value (or an error that carries one) can never leak them;
//! [`ExposeSecret::expose_secret`] is the one, greppable, way to read them.
//!
//! Temporary credentials (from the metadata service, see
//! [`crate::auth::metadata`]) also carry the time they expire, so that a
//! cache can fetch new ones before the gateway starts refusing them.

use chrono::{DateTime, Utc};
#[cfg(doc)]
use secrecy::ExposeSecret;
use secrecy::SecretString;

/// Environment variable holding the access key ID, as read by the official SDKs.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable holding the secret access key, as read by the official SDKs.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable holding the project ID sent in `X-Project-Id`.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Environment variable holding the account (domain) ID.
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// Environment variable holding the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Access key ID variable used by Huawei Cloud's documentation samples; read
/// only when [`ENV_AK`] and [`ENV_SK`] are both unset.
pub const ENV_SAMPLE_AK: &str = "CLOUD_SDK_AK";
/// Secret key variable used by Huawei Cloud's documentation samples; read
/// only when [`ENV_AK`] and [`ENV_SK`] are both unset.
pub const ENV_SAMPLE_SK: &str = "CLOUD_SDK_SK";

/// Why credentials could not be built or found.
///
/// No variant carries a secret: the profile file's errors name the file and
/// line but never repeat its text, and the metadata service's name the field
/// that is missing, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Neither variable pair holds an access key pair.
    #[error(
        "no Huawei Cloud credentials found: set {ENV_AK} and {ENV_SK} \
         (or {ENV_SAMPLE_AK} and {ENV_SAMPLE_SK})"
    )]
    NotFound,
    /// One variable of a pair is set (non-empty) but its partner is not.
    #[error("{present} is set but {missing} is not: set both or neither")]
    Incomplete {
        /// The variable that is set.
        present: &'static str,
        /// The variable (or variables) that must be set with it.
        missing: &'static str,
    },
    /// A value that the credentials cannot do without is empty.
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    /// This source holds no credentials, so a chain goes on to the next one.
    /// The text says where the source looked and what it found there
    /// (`profile file /home/u/.huaweicloud/credentials: not found`).
    #[error("{0}")]
    NotLoaded(String),
    /// The profile file exists but cannot be used.
    #[error("profile file {path}{}: {reason}", .line.map(|l| format!(", line {l}")).unwrap_or_default())]
    ProfileFile {
        /// The file.
        path: String,
        /// The line at fault (from 1), when one is.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// The metadata service answered, but not with usable credentials.
    #[error("metadata service {endpoint}: {reason}")]
    Metadata {
        /// The service's base URL.
        endpoint: String,
        /// What is wrong.
        reason: String,
    },
    /// Every source of a chain was tried and none holds credentials; one
    /// entry per source, in the order tried.
    #[error("no Huawei Cloud credentials found: {}", .0.join("; "))]
    NoneInChain(Vec<String>),
}

impl CredentialsError {
    /// Whether the source simply holds no credentials (a chain then tries
    /// the next one), rather than holding broken ones (a chain stops there,
    /// since falling through would hide the mistake).
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, Self::NotFound | Self::NotLoaded(_))
    }
}

/// Access key pair, optionally temporary (with a security token) and
/// optionally bound to a project or an account.
#[derive(Debug, Clone)]
pub struct AccessKeyCredentials {
    access_key: String,
    secret_key: SecretString,
    security_token: Option<SecretString>,
    project_id: Option<String>,
    domain_id: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

impl AccessKeyCredentials {
    /// Builds a permanent access key pair.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::Empty`] when either part is empty: an empty key
    /// can only produce signatures the server rejects.
    pub fn new(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        let access_key = access_key.into();
        let secret_key = secret_key.into();
        if access_key.is_empty() {
            return Err(CredentialsError::Empty("access key"));
        }
        if secret_key.is_empty() {
            return Err(CredentialsError::Empty("secret key"));
        }
        Ok(Self {
            access_key,
            secret_key: SecretString::from(secret_key),
            security_token: None,
            project_id: None,
            domain_id: None,
            expires_at: None,
        })
    }

    /// Adds the security token that temporary (STS) credentials need; it is
    /// sent and signed as `X-Security-Token`. An empty token means none.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = non_empty(token.into()).map(SecretString::from);
        self
    }

    /// Binds the credentials to a project; the ID is sent and signed as
    /// `X-Project-Id`. An empty ID means none.
    #[must_use]
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = non_empty(project_id.into());
        self
    }

    /// Records the account (domain) ID, for global services and URL paths.
    /// It is not sent by the signer. An empty ID means none.
    #[must_use]
    pub fn with_domain_id(mut self, domain_id: impl Into<String>) -> Self {
        self.domain_id = non_empty(domain_id.into());
        self
    }

    /// Records when temporary credentials stop being accepted; a cache
    /// fetches new ones before then. Permanent keys have no expiry.
    #[must_use]
    pub fn with_expiry(mut self, expires_at: DateTime<Utc>) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// When the credentials expire, for temporary ones.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }

    /// The access key ID (not secret: it is part of every `Authorization` header).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The secret access key, the HMAC key of every signature.
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// The security token of temporary credentials, if any.
    pub fn security_token(&self) -> Option<&SecretString> {
        self.security_token.as_ref()
    }

    /// The project ID, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The account (domain) ID, if any.
    pub fn domain_id(&self) -> Option<&str> {
        self.domain_id.as_deref()
    }
}

/// An IAM token (from `POST /v3/auth/tokens`), sent in `X-Auth-Token`
/// instead of a signature.
#[derive(Debug, Clone)]
pub struct IamTokenCredentials {
    token: SecretString,
    project_id: Option<String>,
}

impl IamTokenCredentials {
    /// Wraps an IAM token.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::Empty`] when the token is empty.
    pub fn new(token: impl Into<String>) -> Result<Self, CredentialsError> {
        let token = token.into();
        if token.is_empty() {
            return Err(CredentialsError::Empty("IAM token"));
        }
        Ok(Self {
            token: SecretString::from(token),
            project_id: None,
        })
    }

    /// Adds the project ID sent as `X-Project-Id`. An empty ID means none.
    #[must_use]
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = non_empty(project_id.into());
        self
    }

    /// The IAM token.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// The project ID, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }
}

/// How requests are authenticated: signed with an access key pair, or
/// carrying an IAM token.
///
/// `Debug` output never contains the secret key or any token.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Sign each request with `SDK-HMAC-SHA256`.
    AccessKey(AccessKeyCredentials),
    /// Send an IAM token in `X-Auth-Token`.
    IamToken(IamTokenCredentials),
}

impl Credentials {
    /// Shorthand for a permanent access key pair without project or token.
    ///
    /// # Errors
    ///
    /// As [`AccessKeyCredentials::new`].
    pub fn access_key(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        AccessKeyCredentials::new(access_key, secret_key).map(Self::AccessKey)
    }

    /// Shorthand for IAM token credentials without a project.
    ///
    /// # Errors
    ///
    /// As [`IamTokenCredentials::new`].
    pub fn iam_token(token: impl Into<String>) -> Result<Self, CredentialsError> {
        IamTokenCredentials::new(token).map(Self::IamToken)
    }

    /// Reads an access key pair from the process environment, with the
    /// variables (and precedence) described at [`Credentials::from_env_with`].
    ///
    /// # Errors
    ///
    /// As [`Credentials::from_env_with`].
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Reads an access key pair through `lookup`, which maps a variable name
    /// to its value; tests pass a map here instead of touching the process
    /// environment, which is shared by all threads.
    ///
    /// The key pair comes from [`ENV_AK`] and [`ENV_SK`], or, when both of
    /// those are unset, from the documentation samples' [`ENV_SAMPLE_AK`] and
    /// [`ENV_SAMPLE_SK`]. [`ENV_SECURITY_TOKEN`], [`ENV_PROJECT_ID`] and
    /// [`ENV_DOMAIN_ID`] are optional. Empty values count as unset. A pair
    /// with only one half set is an error rather than a reason to fall back
    /// to the other pair, since it is almost certainly a mistake.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotFound`] when no pair is set,
    /// [`CredentialsError::Incomplete`] when a pair (or the security token
    /// without a pair) is half set; both name the variables to set.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialsError>
    where
        F: Fn(&str) -> Option<String>,
    {
        let get = |name: &str| lookup(name).and_then(non_empty);
        let security_token = get(ENV_SECURITY_TOKEN);
        let (access_key, secret_key) = match key_pair(&get, ENV_AK, ENV_SK)? {
            Some(pair) => pair,
            None => match key_pair(&get, ENV_SAMPLE_AK, ENV_SAMPLE_SK)? {
                Some(pair) => pair,
                None if security_token.is_some() => {
                    return Err(CredentialsError::Incomplete {
                        present: ENV_SECURITY_TOKEN,
                        missing: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK",
                    });
                }
                None => return Err(CredentialsError::NotFound),
            },
        };
        let mut credentials = AccessKeyCredentials::new(access_key, secret_key)?;
        credentials.security_token = security_token.map(SecretString::from);
        credentials.project_id = get(ENV_PROJECT_ID);
        credentials.domain_id = get(ENV_DOMAIN_ID);
        Ok(Self::AccessKey(credentials))
    }

    /// The project ID sent as `X-Project-Id`, whatever the kind.
    pub fn project_id(&self) -> Option<&str> {
        match self {
            Self::AccessKey(c) => c.project_id(),
            Self::IamToken(c) => c.project_id(),
        }
    }

    /// When the credentials expire: temporary access keys only (an IAM
    /// token's expiry is not known to the client).
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::AccessKey(c) => c.expires_at(),
            Self::IamToken(_) => None,
        }
    }
}

impl From<AccessKeyCredentials> for Credentials {
    fn from(credentials: AccessKeyCredentials) -> Self {
        Self::AccessKey(credentials)
    }
}

impl From<IamTokenCredentials> for Credentials {
    fn from(credentials: IamTokenCredentials) -> Self {
        Self::IamToken(credentials)
    }
}

/// Looks up one AK/SK variable pair: `Ok(None)` when neither is set, an
/// error naming the missing one when only one is.
fn key_pair(
    get: &impl Fn(&str) -> Option<String>,
    ak_name: &'static str,
    sk_name: &'static str,
) -> Result<Option<(String, String)>, CredentialsError> {
    match (get(ak_name), get(sk_name)) {
        (Some(ak), Some(sk)) => Ok(Some((ak, sk))),
        (Some(_), None) => Err(CredentialsError::Incomplete {
            present: ak_name,
            missing: sk_name,
        }),
        (None, Some(_)) => Err(CredentialsError::Incomplete {
            present: sk_name,
            missing: ak_name,
        }),
        (None, None) => Ok(None),
    }
}

/// `None` for an empty string: the SDKs treat empty settings as unset.
fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    const SK: &str = "exampleSecretKey/0123456789abcdef";
    const TOKEN: &str = "temporaryTokenValue==";

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn aksk(credentials: Credentials) -> AccessKeyCredentials {
        match credentials {
            Credentials::AccessKey(c) => c,
            Credentials::IamToken(_) => panic!("expected access key credentials"),
        }
    }

    #[test]
    fn secret_is_redacted_in_debug() {
        let secret = SecretString::from(SK);
        let debug = format!("{secret:?} {secret:#?}");
        assert!(!debug.contains(SK) && debug.contains("REDACTED"), "{debug}");
        assert_eq!(secret.expose_secret(), SK);
    }

    #[test]
    fn credentials_debug_hides_secret_key_and_tokens() {
        let credentials: Credentials = AccessKeyCredentials::new("AKID", SK)
            .unwrap()
            .with_security_token(TOKEN)
            .with_project_id("proj")
            .into();
        let debug = format!("{credentials:?} {credentials:#?}");
        assert!(!debug.contains(SK), "{debug}");
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(debug.contains("AKID") && debug.contains("proj"), "{debug}");

        let token = Credentials::from(IamTokenCredentials::new(TOKEN).unwrap());
        let debug = format!("{token:?}");
        assert!(!debug.contains(TOKEN), "{debug}");
    }

    #[test]
    fn reads_all_official_variables() {
        let c = aksk(
            Credentials::from_env_with(env(&[
                (ENV_AK, "AK1"),
                (ENV_SK, SK),
                (ENV_SECURITY_TOKEN, TOKEN),
                (ENV_PROJECT_ID, "p1"),
                (ENV_DOMAIN_ID, "d1"),
                (ENV_SAMPLE_AK, "ignored"),
                (ENV_SAMPLE_SK, "ignored"),
            ]))
            .unwrap(),
        );
        assert_eq!(c.access_key(), "AK1");
        assert_eq!(c.secret_key().expose_secret(), SK);
        assert_eq!(
            c.security_token().map(ExposeSecret::expose_secret),
            Some(TOKEN)
        );
        assert_eq!(c.project_id(), Some("p1"));
        assert_eq!(c.domain_id(), Some("d1"));
    }

    #[test]
    fn falls_back_to_documentation_sample_variables() {
        let c = aksk(
            Credentials::from_env_with(env(&[
                (ENV_SAMPLE_AK, "AK2"),
                (ENV_SAMPLE_SK, SK),
                (ENV_AK, ""),
            ]))
            .unwrap(),
        );
        assert_eq!(c.access_key(), "AK2");
        assert_eq!(c.project_id(), None);
        assert!(c.security_token().is_none());

        // The official project variable goes with the samples' pair too.
        let c = Credentials::from_env_with(env(&[
            (ENV_SAMPLE_AK, "AK2"),
            (ENV_SAMPLE_SK, SK),
            (ENV_PROJECT_ID, "p2"),
        ]))
        .unwrap();
        assert_eq!(c.project_id(), Some("p2"));
    }

    #[test]
    fn missing_credentials_name_the_variables() {
        let err = Credentials::from_env_with(env(&[(ENV_PROJECT_ID, "p")])).unwrap_err();
        assert_eq!(err, CredentialsError::NotFound);
        let msg = err.to_string();
        for name in [ENV_AK, ENV_SK, ENV_SAMPLE_AK, ENV_SAMPLE_SK] {
            assert!(msg.contains(name), "{msg}");
        }
    }

    #[test]
    fn half_set_pairs_are_errors() {
        let err = Credentials::from_env_with(env(&[(ENV_AK, "AK")])).unwrap_err();
        assert_eq!(
            err,
            CredentialsError::Incomplete {
                present: ENV_AK,
                missing: ENV_SK
            }
        );
        assert!(err.to_string().contains(ENV_SK));

        // A half-set official pair does not silently fall back to the samples' pair.
        let err = Credentials::from_env_with(env(&[
            (ENV_SK, SK),
            (ENV_SAMPLE_AK, "AK"),
            (ENV_SAMPLE_SK, SK),
        ]))
        .unwrap_err();
        assert_eq!(
            err,
            CredentialsError::Incomplete {
                present: ENV_SK,
                missing: ENV_AK
            }
        );
        assert!(!err.to_string().contains(SK));

        let err = Credentials::from_env_with(env(&[(ENV_SAMPLE_SK, SK)])).unwrap_err();
        assert_eq!(
            err,
            CredentialsError::Incomplete {
                present: ENV_SAMPLE_SK,
                missing: ENV_SAMPLE_AK
            }
        );

        let err = Credentials::from_env_with(env(&[(ENV_SECURITY_TOKEN, TOKEN)])).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(ENV_SECURITY_TOKEN) && msg.contains(ENV_AK),
            "{msg}"
        );
        assert!(!msg.contains(TOKEN), "{msg}");
    }

    #[test]
    fn empty_values_count_as_unset() {
        let err = Credentials::from_env_with(env(&[(ENV_AK, "AK"), (ENV_SK, "")])).unwrap_err();
        assert!(matches!(err, CredentialsError::Incomplete { .. }));

        let c = aksk(
            Credentials::from_env_with(env(&[
                (ENV_AK, "AK"),
                (ENV_SK, SK),
                (ENV_SECURITY_TOKEN, ""),
                (ENV_PROJECT_ID, ""),
            ]))
            .unwrap(),
        );
        assert!(c.security_token().is_none());
        assert!(c.project_id().is_none());

        assert_eq!(
            Credentials::access_key("", SK).unwrap_err(),
            CredentialsError::Empty("access key")
        );
        assert_eq!(
            Credentials::access_key("AK", "").unwrap_err(),
            CredentialsError::Empty("secret key")
        );
        assert_eq!(
            Credentials::iam_token("").unwrap_err(),
            CredentialsError::Empty("IAM token")
        );
        let c = AccessKeyCredentials::new("AK", SK)
            .unwrap()
            .with_project_id("")
            .with_security_token("")
            .with_domain_id("");
        assert!(c.project_id().is_none() && c.security_token().is_none());
        assert!(c.domain_id().is_none());
    }

    #[test]
    fn project_id_is_available_for_both_kinds() {
        let token = Credentials::from(
            IamTokenCredentials::new(TOKEN)
                .unwrap()
                .with_project_id("p9"),
        );
        assert_eq!(token.project_id(), Some("p9"));
        let aksk = Credentials::access_key("AK", SK).unwrap();
        assert_eq!(aksk.project_id(), None);
    }
}
