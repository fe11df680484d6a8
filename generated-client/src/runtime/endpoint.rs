//! Choosing the endpoint of a service: an explicit URL, the official SDKs'
//! `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` override, their regions file
//! (`super::regions_file`), or the region table generated from the spec, in
//! the SDKs' order. SERVICE is the service table's `sdk_service`.

use super::{Service, regions_file};
use crate::auth::provider::EnvLookup;

/// Why no endpoint could be chosen for a region. `crate::Config` turns it
/// into a `ConfigError` naming the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EndpointError {
    /// The region is not in the table and no override variable is set.
    UnknownRegion {
        /// The region ids the table knows, joined by `, `.
        known: String,
        /// The override variable that would have been read.
        variable: String,
    },
    /// The override variable holds a value that is not a usable URL.
    InvalidEndpoint { endpoint: String, reason: String },
    /// The regions file cannot be read or used.
    RegionsFile { path: String, reason: String },
}

/// The environment variable the official SDKs read to override one region's
/// endpoint, for example `HUAWEICLOUD_SDK_REGION_DCS_AP_SOUTHEAST_1`.
pub(crate) fn override_variable(service: &Service, region: &str) -> String {
    format!(
        "HUAWEICLOUD_SDK_REGION_{}_{}",
        service.sdk_service,
        region.replace('-', "_").to_ascii_uppercase()
    )
}

/// The endpoint of `service` in `region`: the override variable (its first
/// comma-separated entry) wins, then the regions file, then the region
/// table. An unknown region is an error listing the known ones.
pub(crate) fn resolve(
    service: &Service,
    region: &str,
    lookup: &EnvLookup,
) -> Result<String, EndpointError> {
    let variable = override_variable(service, region);
    let overridden = lookup(&variable);
    if let Some(first) = overridden
        .as_deref()
        .and_then(|v| v.split(',').map(str::trim).find(|s| !s.is_empty()))
    {
        return check_url(first, false).map_err(|reason| EndpointError::InvalidEndpoint {
            endpoint: first.to_string(),
            reason: format!("{reason} (from {variable})"),
        });
    }
    if let Some(path) = regions_file::path(lookup) {
        let shown = path.display().to_string();
        let file_error = |reason: String| EndpointError::RegionsFile {
            path: shown.clone(),
            reason,
        };
        if let Some(endpoint) =
            regions_file::endpoint(&path, service.sdk_service, region).map_err(file_error)?
        {
            return check_url(&endpoint, false).map_err(|reason| {
                file_error(format!(
                    "{} region {region}: endpoint `{endpoint}`: {reason}",
                    service.sdk_service
                ))
            });
        }
    }
    let table = &service.endpoints;
    if let Some((_, url)) = table.exceptions.iter().find(|(r, _)| *r == region) {
        return Ok((*url).to_string());
    }
    if table.regions.contains(&region) {
        return Ok(table.pattern.replace("{region}", region));
    }
    Err(EndpointError::UnknownRegion {
        known: table.regions.join(", "),
        variable,
    })
}

/// Validates an endpoint URL and strips a trailing '/'. Plain `http` is
/// accepted only when `allow_http` (an endpoint the caller gave explicitly,
/// for local testing).
pub(crate) fn check_url(endpoint: &str, allow_http: bool) -> Result<String, String> {
    let url = url::Url::parse(endpoint).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err("plain http is accepted only as an explicit endpoint".into()),
        other => return Err(format!("unsupported scheme `{other}`")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the URL must not have a query or fragment".into());
    }
    Ok(endpoint.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn a_query_or_a_fragment_alone_is_refused() {
        for url in [
            "https://dcs.example.com/?a=1",
            "https://dcs.example.com/#part",
        ] {
            let refusal = check_url(url, false).unwrap_err();
            assert!(refusal.contains("query or fragment"), "{url}: {refusal}");
        }
        assert_eq!(
            check_url("https://dcs.example.com/", false).unwrap(),
            "https://dcs.example.com"
        );
    }
}
