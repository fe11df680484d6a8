//! The official SDKs' profile file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, or
//! `~/.huaweicloud/credentials`, an INI file whose `[basic]` section holds
//! the project-level credentials:
//!
//! ```ini
//! [basic]
//! ak = ...
//! sk = ...
//! project_id = ...        ; optional
//! security_token = ...    ; optional, for temporary credentials
//! ```
//!
//! `domain_id` is read too (the official SDKs read it only for the
//! `[global]` section, which this client has no use for; the environment
//! reader takes it as well). [`ProfileFileProvider::section`] reads another
//! section instead, as tools with several accounts or projects in one file
//! do (`hwc-tasks --profile prod`); [`ProfileFileProvider::region`] reads its
//! `region`, which the official SDKs' file does not define and tools may
//! use as a default region. Federated login (`idp_id`, `id_token_file`) is
//! not supported: a section that relies on it is an error rather than a
//! silent fall-through to the next source. A missing file or a file without
//! `[basic]` holds no credentials, and a chain goes on; a file that cannot be
//! read or parsed is an error naming the file and line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::credentials::{AccessKeyCredentials, Credentials, CredentialsError};
use super::ini;
use super::provider::{EnvLookup, ProvideCredentials, ProvideFuture, home_dir, process_env};

/// Environment variable naming the profile file, as read by the official SDKs.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The section holding project-level credentials.
pub const SECTION: &str = "basic";

/// Credentials from the profile file, read again at every
/// [`provide_credentials`](ProvideCredentials::provide_credentials).
#[derive(Clone, Debug)]
pub struct ProfileFileProvider {
    /// The file, or why there is none to read (no home folder).
    path: Result<PathBuf, String>,
    /// The section read ([`SECTION`] unless chosen).
    section: String,
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProfileFileProvider {
    /// The file the process environment names, else the default one in the
    /// home folder.
    pub fn new() -> Self {
        Self::from_lookup(&process_env())
    }

    /// As [`ProfileFileProvider::new`], reading variables (including `HOME`)
    /// through `lookup`.
    pub fn with_env(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self::from_lookup(&(std::sync::Arc::new(lookup) as EnvLookup))
    }

    /// Reads this file.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Ok(path.into()),
            section: SECTION.to_string(),
        }
    }

    /// Reads section `[name]` instead of `[basic]`.
    pub fn section(mut self, name: impl Into<String>) -> Self {
        self.section = name.into();
        self
    }

    /// The section this provider reads.
    pub fn section_name(&self) -> &str {
        &self.section
    }

    /// The names of the file's sections, in the order of the file (not
    /// secret: to list or suggest them). A missing file is
    /// [`CredentialsError::NotLoaded`].
    pub fn section_names(&self) -> Result<Vec<String>, CredentialsError> {
        let (_, sections) = self.sections()?;
        let mut named: Vec<(usize, String)> = sections
            .iter()
            .map(|(name, section)| (section.line, name.clone()))
            .collect();
        named.sort();
        Ok(named.into_iter().map(|(_, name)| name).collect())
    }

    /// The section's `region`, when it gives one. A missing file or section
    /// is [`CredentialsError::NotLoaded`], as for the credentials.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        let (shown, sections) = self.sections()?;
        let section = self.chosen(&shown, &sections)?;
        Ok(section.get("region").map(|(_, v)| v.to_string()))
    }

    pub(crate) fn from_lookup(lookup: &EnvLookup) -> Self {
        let path = match lookup(ENV_CREDENTIALS_FILE).filter(|p| !p.is_empty()) {
            Some(path) => Ok(PathBuf::from(path)),
            None => home_dir(lookup)
                .map(|home| home.join(".huaweicloud").join("credentials"))
                .ok_or_else(|| {
                    format!("profile file: {ENV_CREDENTIALS_FILE} not set and no home folder")
                }),
        };
        Self {
            path,
            section: SECTION.to_string(),
        }
    }

    /// The file this provider reads, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref().ok()
    }

    /// The file's name as shown in errors, and its sections.
    fn sections(&self) -> Result<(String, BTreeMap<String, ini::Section>), CredentialsError> {
        let path = self
            .path
            .as_ref()
            .map_err(|reason| CredentialsError::NotLoaded(reason.clone()))?;
        let shown = path.display().to_string();
        let error = |line: Option<usize>, reason: String| CredentialsError::ProfileFile {
            path: shown.clone(),
            line,
            reason,
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::NotLoaded(format!(
                    "profile file {shown}: not found"
                )));
            }
            Err(e) => return Err(error(None, format!("cannot be read: {e}"))),
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            error(Some(line), "not UTF-8 text".into())
        })?;
        let sections = ini::parse(&text).map_err(|e| error(Some(e.line), e.reason))?;
        Ok((shown, sections))
    }

    /// The chosen section, or why it is not there (naming the others).
    fn chosen<'a>(
        &self,
        shown: &str,
        sections: &'a BTreeMap<String, ini::Section>,
    ) -> Result<&'a ini::Section, CredentialsError> {
        sections.get(&self.section).ok_or_else(|| {
            let mut names: Vec<(&usize, &String)> =
                sections.iter().map(|(n, s)| (&s.line, n)).collect();
            names.sort();
            let names: Vec<&str> = names.into_iter().map(|(_, n)| n.as_str()).collect();
            CredentialsError::NotLoaded(format!(
                "profile file {shown}: no [{}] section (sections: {})",
                self.section,
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let (shown, sections) = self.sections()?;
        let section = self.chosen(&shown, &sections)?;
        let error = |line: Option<usize>, reason: String| CredentialsError::ProfileFile {
            path: shown.clone(),
            line,
            reason,
        };
        let name = &self.section;
        let ak = section.get("ak");
        let sk = section.get("sk");
        let (ak, sk) = match (ak, sk) {
            (Some((_, ak)), Some((_, sk))) => (ak, sk),
            (Some((line, _)), None) | (None, Some((line, _))) => {
                let (present, missing) = if ak.is_some() {
                    ("ak", "sk")
                } else {
                    ("sk", "ak")
                };
                return Err(error(
                    Some(line),
                    format!("`{present}` is set in [{name}] but `{missing}` is not: set both"),
                ));
            }
            (None, None) => {
                if let Some((line, _)) = section.get("idp_id").or(section.get("id_token_file")) {
                    return Err(error(
                        Some(line),
                        "federated login (idp_id, id_token_file) is not supported: set ak and sk"
                            .into(),
                    ));
                }
                if let Some((line, _)) = section.get("security_token") {
                    return Err(error(
                        Some(line),
                        "`security_token` is set but `ak` and `sk` are not".into(),
                    ));
                }
                return Err(CredentialsError::NotLoaded(format!(
                    "profile file {shown}: no ak and sk in [{name}]"
                )));
            }
        };
        let mut credentials = AccessKeyCredentials::new(ak, sk)?;
        let value = |key: &str| section.get(key).map(|(_, v)| v.to_string());
        if let Some(token) = value("security_token") {
            credentials = credentials.with_security_token(token);
        }
        if let Some(project) = value("project_id") {
            credentials = credentials.with_project_id(project);
        }
        if let Some(domain) = value("domain_id") {
            credentials = credentials.with_domain_id(domain);
        }
        Ok(Credentials::AccessKey(credentials))
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        // A small local file: read in place rather than on a blocking thread.
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_that_exists_but_cannot_be_read_is_an_error_not_an_absence() {
        let dir = std::env::temp_dir();
        // A directory where the file should be: it is there, and unreadable.
        let error = ProfileFileProvider::at(&dir)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!error.is_not_loaded(), "{error}");
        assert!(error.to_string().contains("cannot be read"), "{error}");
        let missing = ProfileFileProvider::at(dir.join(format!("hwc-none-{}", std::process::id())))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(missing.is_not_loaded(), "{missing}");
    }
}
