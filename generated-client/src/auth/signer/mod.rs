//! The `SDK-HMAC-SHA256` request signer (Huawei Cloud's AK/SK authentication).
//!
//! The API gateway recomputes the signature from the request it receives, so
//! every byte of the canonical request must match what the gateway derives:
//!
//! ```text
//! METHOD \n CANONICAL_URI \n CANONICAL_QUERY \n CANONICAL_HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
//! ```
//!
//! (each part is described in the `canonical` module). [`sign_request`] also sends
//! exactly the canonical query as the query, so the gateway never has to
//! guess how the client encoded it. Like the official SDKs, the signer adds
//! `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for any body whose `Content-Type`
//! is neither JSON nor BSON, and signs that value in place of the body hash.
//!
//! The string to sign is `SDK-HMAC-SHA256\n{X-Sdk-Date}\n{hex SHA-256 of the
//! canonical request}` and the signature its hex HMAC-SHA256 under the
//! secret key. The test vectors in `tests/data/signing/` come from the
//! official Python SDK, `huaweicloudsdkcore`, and pin all of this down.
//!
//! The building blocks ([`canonical_uri`], [`canonical_query`],
//! [`canonical_headers`], [`canonical_request`], [`string_to_sign`],
//! [`authorization`]) are pure; [`sign_parts`] chains them with the SDK's
//! header rules and returns every intermediate string; [`sign_request`]
//! (the `request` module) applies the result to a [`reqwest::Request`].
//! Signing allocates a handful of short strings and takes microseconds.

mod canonical;
mod request;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike as _, NaiveDateTime, Timelike as _, Utc};
use hmac::{Hmac, Mac as _};
use reqwest::header::{AUTHORIZATION, HOST};
use sha2::{Digest as _, Sha256};
use url::Url;

pub use canonical::{
    CanonicalHeaders, canonical_headers, canonical_query, canonical_request, canonical_uri,
    payload_hash,
};
pub use request::sign_request;

use canonical::{lowercase, sort_headers, trim};

/// Name of the signing algorithm, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Header carrying the signing time, `yyyyMMddTHHmmssZ` in UTC.
pub const HEADER_SDK_DATE: &str = "X-Sdk-Date";
/// Header carrying the project ID of project-level credentials.
pub const HEADER_PROJECT_ID: &str = "X-Project-Id";
/// Header carrying the security token of temporary credentials.
pub const HEADER_SECURITY_TOKEN: &str = "X-Security-Token";
/// Header carrying an IAM token (token authentication, no signature).
pub const HEADER_AUTH_TOKEN: &str = "X-Auth-Token";
/// Header whose value replaces the body hash when present.
pub const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
/// Payload hash used for bodies that are not JSON or BSON.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Hex SHA-256 of the empty string: the payload hash of a request without body.
pub const EMPTY_PAYLOAD_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Lower-case spellings, the form in which header names are compared.
const SDK_DATE: &str = "x-sdk-date";
const PROJECT_ID: &str = "x-project-id";
const SECURITY_TOKEN: &str = "x-security-token";
const AUTH_TOKEN: &str = "x-auth-token";
const CONTENT_SHA256: &str = "x-sdk-content-sha256";
const CONTENT_TYPE: &str = "content-type";

/// Why a request could not be signed. No variant carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The URL has no host, so there is no `Host` header to sign.
    #[error("the request URL has no host")]
    MissingHost,
    /// The access key is empty.
    #[error("the access key is empty")]
    EmptyAccessKey,
    /// The secret key is empty.
    #[error("the secret key is empty")]
    EmptySecretKey,
    /// The secret key was refused as an HMAC key (HMAC accepts any length,
    /// so this does not happen in practice).
    #[error("the secret key cannot be used as an HMAC key")]
    InvalidSecretKey,
    /// The date given to [`sign_parts`] is not `yyyyMMddTHHmmssZ`.
    #[error("X-Sdk-Date must be a UTC time like 20240102T030405Z, got {0:?}")]
    InvalidSdkDate(String),
    /// A header occurs more than once; the signature covers one value per
    /// header name, so which one the gateway would check is undefined.
    #[error("header {0} occurs more than once; the signature covers one value per header")]
    DuplicateHeader(String),
    /// A header value is not UTF-8, so it has no canonical text form.
    #[error("the value of header {0} is not valid UTF-8")]
    NonUtf8HeaderValue(String),
    /// A value to be sent in this header (from the credentials or the
    /// signature) is not a valid HTTP header value.
    #[error("the value for header {0} is not a valid HTTP header value")]
    InvalidHeaderValue(&'static str),
    /// The body is a stream, whose hash cannot be known in advance.
    #[error(
        "the request body is a stream and cannot be hashed: buffer it, or send it \
         with a non-JSON Content-Type so that it is signed as UNSIGNED-PAYLOAD"
    )]
    StreamingBody,
}

/// Every intermediate and final string of one signature, as computed by
/// [`sign_parts`]; test vectors compare them field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParts {
    /// The query string that must be sent (and that was signed), without `?`.
    pub canonical_query: String,
    /// The canonical request whose hash is signed.
    pub canonical_request: String,
    /// `SDK-HMAC-SHA256\n{date}\n{hash of canonical_request}`.
    pub string_to_sign: String,
    /// Lower-case names of the signed headers, joined by `;`.
    pub signed_headers: String,
    /// Hex HMAC-SHA256 of `string_to_sign` under the secret key.
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

/// Formats a time as the `X-Sdk-Date` value, `yyyyMMddTHHmmssZ` in UTC.
pub fn format_sdk_date(time: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(16);
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    );
    out
}

/// The string to sign: algorithm, `X-Sdk-Date` and hex SHA-256 of the
/// canonical request, one per line.
pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    let hash = Sha256::digest(canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + sdk_date.len() + 66);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(sdk_date);
    out.push('\n');
    out.push_str(&hex::encode(hash));
    out
}

/// The `Authorization` header value.
pub fn authorization(access_key: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// Signs the parts of a request and returns every intermediate string.
///
/// This is [`sign_request`] without `reqwest`: `headers` are the headers the
/// request will carry (`Authorization` is ignored, `X-Sdk-Date` is replaced
/// by `sdk_date`). Like the official SDKs, it adds `Host` from the URL
/// (with a non-default port) unless given, and `X-Sdk-Content-Sha256:
/// UNSIGNED-PAYLOAD` when `Content-Type` is set but is neither JSON nor
/// BSON. The query is taken from `url`, form-urlencoded (`+` is a space).
/// Credential headers (`X-Project-Id`, `X-Security-Token`) are not added:
/// pass them in `headers`.
///
/// # Errors
///
/// An empty key, a malformed `sdk_date`, a repeated header name, or a URL
/// without host when no `Host` header is given.
pub fn sign_parts(
    method: &str,
    url: &Url,
    headers: &[(&str, &str)],
    body: &[u8],
    sdk_date: &str,
    access_key: &str,
    secret_key: &str,
) -> Result<SignedParts, SignError> {
    validate_sdk_date(sdk_date)?;
    let given = headers.iter().map(|&(name, value)| Ok((name, value)));
    sign_core(
        method,
        url,
        given,
        &[(SDK_DATE, sdk_date)],
        Body::Bytes(body),
        sdk_date,
        access_key,
        secret_key,
    )
    .map(|signed| signed.parts)
}

/// What is known of the body at signing time.
pub(super) enum Body<'a> {
    Bytes(&'a [u8]),
    /// A stream: not empty as far as the signer knows, and not hashable.
    Stream,
}

/// A signature plus the headers the signer decided to add.
pub(super) struct Signed {
    pub(super) parts: SignedParts,
    /// `Host` value, when the request had none.
    pub(super) added_host: Option<String>,
    /// Whether `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` was added.
    pub(super) added_unsigned_payload: bool,
}

/// Shared by [`sign_parts`] and [`sign_request`]: signs through
/// [`canonical_request`]; `given` are the request's
/// headers, `overrides` (lower-case names) replace given headers of the same
/// name.
#[allow(clippy::too_many_arguments)]
pub(super) fn sign_core<'a, I>(
    method: &str,
    url: &Url,
    given: I,
    overrides: &[(&'static str, &'a str)],
    body: Body<'_>,
    sdk_date: &str,
    access_key: &str,
    secret_key: &str,
) -> Result<Signed, SignError>
where
    I: Iterator<Item = Result<(&'a str, &'a str), SignError>>,
{
    if access_key.is_empty() {
        return Err(SignError::EmptyAccessKey);
    }
    if secret_key.is_empty() {
        return Err(SignError::EmptySecretKey);
    }

    // Declared before `entries`, which may borrow it.
    let host_value: String;
    let mut entries: Vec<(Cow<'_, str>, &str)> = Vec::with_capacity(16);
    let mut content_type: Option<&str> = None;
    let mut has_host = false;
    for header in given {
        let (name, value) = header?;
        let name = lowercase(name);
        if name == AUTHORIZATION.as_str() || overrides.iter().any(|(o, _)| name == *o) {
            continue;
        }
        if name == CONTENT_TYPE {
            content_type = Some(value);
        }
        has_host |= name == HOST.as_str();
        if !name.contains('_') {
            entries.push((name, value));
        }
    }
    entries.extend(
        overrides
            .iter()
            .map(|&(name, value)| (Cow::Borrowed(name), value)),
    );

    // The SDKs do not hash bodies other than JSON and BSON (forms, files...):
    // they send and sign UNSIGNED-PAYLOAD in place of the body hash.
    let added_unsigned_payload = content_type.is_some_and(|ct| {
        !ct.is_empty() && !ct.starts_with("application/json") && !ct.starts_with("application/bson")
    });
    if added_unsigned_payload {
        entries.retain(|(name, _)| name != CONTENT_SHA256);
        entries.push((Cow::Borrowed(CONTENT_SHA256), UNSIGNED_PAYLOAD));
    }

    let added_host = if has_host {
        None
    } else {
        host_value = host_header(url)?;
        entries.push((Cow::Borrowed(HOST.as_str()), &host_value));
        Some(host_value.clone())
    };

    sort_headers(&mut entries)?;

    let hashed_body;
    let payload_hash = match body {
        Body::Bytes([]) => EMPTY_PAYLOAD_HASH,
        body => match entries.iter().find(|(name, _)| name == CONTENT_SHA256) {
            Some((_, value)) => trim(value),
            None => match body {
                Body::Bytes(bytes) => {
                    hashed_body = payload_hash(bytes);
                    &hashed_body
                }
                Body::Stream => return Err(SignError::StreamingBody),
            },
        },
    };

    let pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = url.query_pairs().collect();
    let query = canonical_query(&pairs);
    let headers = CanonicalHeaders::from_sorted(&entries);
    let canonical_request = canonical_request(
        method,
        &canonical_uri(url.path()),
        &query,
        &headers,
        payload_hash,
    );
    let string_to_sign = string_to_sign(sdk_date, &canonical_request);
    let signature = hmac_sha256_hex(secret_key.as_bytes(), string_to_sign.as_bytes())?;
    let authorization = authorization(access_key, &headers.signed_headers, &signature);
    Ok(Signed {
        parts: SignedParts {
            canonical_query: query,
            canonical_request,
            string_to_sign,
            signed_headers: headers.signed_headers,
            signature,
            authorization,
        },
        added_host,
        added_unsigned_payload,
    })
}

fn hmac_sha256_hex(key: &[u8], data: &[u8]) -> Result<String, SignError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| SignError::InvalidSecretKey)?;
    mac.update(data);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// `Host` header value for a URL: the host, plus the port unless it is the
/// scheme's default (which `url` already leaves out).
fn host_header(url: &Url) -> Result<String, SignError> {
    let host = url.host_str().ok_or(SignError::MissingHost)?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Accepts exactly `yyyyMMddTHHmmssZ` with a real calendar date and time,
/// because the string to sign must repeat the header byte for byte.
fn validate_sdk_date(sdk_date: &str) -> Result<(), SignError> {
    let bytes = sdk_date.as_bytes();
    let shape_ok = bytes.len() == 16
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if shape_ok && NaiveDateTime::parse_from_str(sdk_date, "%Y%m%dT%H%M%SZ").is_ok() {
        Ok(())
    } else {
        Err(SignError::InvalidSdkDate(sdk_date.to_owned()))
    }
}
