//! Applying a signature to a [`reqwest::Request`]: the canonical query as
//! the wire query, and the date, credential, `Host` and `Authorization`
//! headers, or an IAM token.

use chrono::{DateTime, Utc};
use reqwest::header::{AUTHORIZATION, HOST, HeaderMap, HeaderName, HeaderValue};

use super::{
    AUTH_TOKEN, Body, CONTENT_SHA256, HEADER_AUTH_TOKEN, HEADER_PROJECT_ID, HEADER_SDK_DATE,
    HEADER_SECURITY_TOKEN, PROJECT_ID, SDK_DATE, SECURITY_TOKEN, SignError, UNSIGNED_PAYLOAD,
    format_sdk_date, sign_core,
};
use secrecy::ExposeSecret;

use crate::auth::credentials::{AccessKeyCredentials, Credentials, IamTokenCredentials};

/// Authenticates a request in place, signing it at `now` with AK/SK
/// credentials or attaching an IAM token.
///
/// With an access key pair it replaces the URL's query with its canonical
/// form (decoded as form-urlencoded first, so `+` from `serde_urlencoded`
/// means a space), so the query sent is the one signed; sets `X-Project-Id`
/// and `X-Security-Token` when the credentials have them, `X-Sdk-Date`, `Host`
/// (unless already set) and, for non-JSON bodies, `X-Sdk-Content-Sha256`; and
/// finally `Authorization`, replacing any earlier one, so a request can be
/// signed again before a retry. All headers present at that point are
/// signed. With an IAM token it sets `X-Auth-Token` (and `X-Project-Id`) and
/// changes nothing else.
///
/// Secret header values are marked sensitive so that `reqwest` does not
/// print them.
///
/// # Errors
///
/// A repeated or non-UTF-8 header, a streaming body that would have to be
/// hashed, or a credential value that cannot be a header value. The request
/// is then left unchanged.
pub fn sign_request(
    request: &mut reqwest::Request,
    credentials: &Credentials,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    match credentials {
        Credentials::AccessKey(credentials) => sign_with_access_key(request, credentials, now),
        Credentials::IamToken(credentials) => attach_iam_token(request.headers_mut(), credentials),
    }
}

fn sign_with_access_key(
    request: &mut reqwest::Request,
    credentials: &AccessKeyCredentials,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    let sdk_date = format_sdk_date(now);
    let project_id = credentials.project_id();
    let security_token = credentials
        .security_token()
        .map(ExposeSecret::expose_secret);
    let mut overrides = Vec::with_capacity(3);
    overrides.push((SDK_DATE, sdk_date.as_str()));
    if let Some(project_id) = project_id {
        overrides.push((PROJECT_ID, project_id));
    }
    if let Some(token) = security_token {
        overrides.push((SECURITY_TOKEN, token));
    }

    let body = match request.body() {
        None => Body::Bytes(&[]),
        Some(body) => body.as_bytes().map_or(Body::Stream, Body::Bytes),
    };
    let given = request.headers().iter().map(|(name, value)| {
        std::str::from_utf8(value.as_bytes())
            .map(|value| (name.as_str(), value))
            .map_err(|_| SignError::NonUtf8HeaderValue(name.as_str().to_owned()))
    });
    let signed = sign_core(
        request.method().as_str(),
        request.url(),
        given,
        &overrides,
        body,
        &sdk_date,
        credentials.access_key(),
        credentials.secret_key().expose_secret(),
    )?;

    // Build every value before touching the request, so errors leave it as it was.
    let mut new_headers: Vec<(HeaderName, HeaderValue)> = Vec::with_capacity(6);
    new_headers.push((
        HeaderName::from_static(SDK_DATE),
        header_value(HEADER_SDK_DATE, &sdk_date, false)?,
    ));
    if let Some(project_id) = project_id {
        new_headers.push((
            HeaderName::from_static(PROJECT_ID),
            header_value(HEADER_PROJECT_ID, project_id, false)?,
        ));
    }
    if let Some(token) = security_token {
        new_headers.push((
            HeaderName::from_static(SECURITY_TOKEN),
            header_value(HEADER_SECURITY_TOKEN, token, true)?,
        ));
    }
    if let Some(host) = &signed.added_host {
        new_headers.push((HOST, header_value("Host", host, false)?));
    }
    if signed.added_unsigned_payload {
        new_headers.push((
            HeaderName::from_static(CONTENT_SHA256),
            HeaderValue::from_static(UNSIGNED_PAYLOAD),
        ));
    }
    new_headers.push((
        AUTHORIZATION,
        header_value("Authorization", &signed.parts.authorization, true)?,
    ));

    let query = signed.parts.canonical_query;
    let query = (!query.is_empty()).then_some(query.as_str());
    let url = request.url_mut();
    if url.query() != query {
        url.set_query(query);
    }
    let headers = request.headers_mut();
    for (name, value) in new_headers {
        headers.insert(name, value);
    }
    Ok(())
}

fn attach_iam_token(
    headers: &mut HeaderMap,
    credentials: &IamTokenCredentials,
) -> Result<(), SignError> {
    let token = header_value(HEADER_AUTH_TOKEN, credentials.token().expose_secret(), true)?;
    let project_id = credentials
        .project_id()
        .map(|id| header_value(HEADER_PROJECT_ID, id, false))
        .transpose()?;
    headers.insert(HeaderName::from_static(AUTH_TOKEN), token);
    if let Some(project_id) = project_id {
        headers.insert(HeaderName::from_static(PROJECT_ID), project_id);
    }
    Ok(())
}

fn header_value(
    name: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, SignError> {
    let mut value =
        HeaderValue::from_str(value).map_err(|_| SignError::InvalidHeaderValue(name))?;
    value.set_sensitive(sensitive);
    Ok(value)
}
