//! Profiles: `--profile NAME` (or `HUAWEICLOUD_SDK_PROFILE`) picks section
//! `[NAME]` of the credentials file the official SDKs read, as `aws
//! --profile` picks one of `~/.aws/credentials`, so one file holds every
//! account or project an engineer works with. A profile named is the only
//! source of credentials (the environment's keys would silently win
//! otherwise); without one, the SDKs' chain runs as before and `[basic]`
//! may still give the default region.

use huaweicloud_tasks::Config;
use huaweicloud_tasks::auth::ProfileFileProvider;

use crate::check;

/// The credentials file's provider for `name`.
fn provider(name: &str) -> ProfileFileProvider {
    ProfileFileProvider::new().section(name)
}

/// A profile that is not in the file, with the closest section suggested.
fn missing(name: &str, error: &dyn std::error::Error) -> String {
    let known = provider(name).section_names().unwrap_or_default();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let hint = check::closest(name, &known)
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    format!("--profile `{name}`: {error}{hint}")
}

/// The region the profile gives, read before anything is sent: the named
/// profile's (its absence is an error), else `[basic]`'s when the file
/// has one (its absence is not).
pub fn region(named: Option<&str>) -> Result<Option<String>, String> {
    match named {
        Some(name) => {
            if name.trim().is_empty() {
                return Err(
                    "--profile is empty; give a section name of the credentials file".into(),
                );
            }
            provider(name).region().map_err(|e| missing(name, &e))
        }
        None => Ok(ProfileFileProvider::new().region().ok().flatten()),
    }
}

/// The configuration with the named profile's credentials (and project).
pub async fn config(name: &str) -> Result<Config, String> {
    Config::from_provider(provider(name))
        .await
        .map_err(|e| missing(name, &e))
}
