//! The `SDK-HMAC-SHA256` request signer (Huawei Cloud's AK/SK authentication).
//!
//! The API gateway recomputes the signature from the request it receives, so
//! every byte of the canonical request must match what the gateway derives:
//!
//! ```text
//! METHOD \n CANONICAL_URI \n CANONICAL_QUERY \n CANONICAL_HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
//! ```
//!
//! * `CANONICAL_URI`: the percent-decoded path, each `/`-separated segment
//!   re-encoded keeping only `A-Z a-z 0-9 - _ . ~`, always ending in `/`.
//! * `CANONICAL_QUERY`: the decoded `(key, value)` pairs sorted by key, then
//!   value, each part encoded like a path segment, joined as `k=v&k=v`.
//!   [`sign_request`] also sends exactly this string as the query, so the
//!   gateway never has to guess how the client encoded it.
//! * `CANONICAL_HEADERS`: every header whose name has no `_`, lower-cased,
//!   sorted, values trimmed, one `name:value\n` line each;
//!   `SIGNED_HEADERS` lists the same names joined by `;`.
//! * `PAYLOAD_HASH`: hex SHA-256 of the body, or the value of
//!   `X-Sdk-Content-Sha256` (`UNSIGNED-PAYLOAD`), which the official SDKs add
//!   for any body whose `Content-Type` is neither JSON nor BSON.
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
//! applies the result to a [`reqwest::Request`]. Signing allocates a handful
//! of short strings and takes microseconds.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike as _, NaiveDateTime, Timelike as _, Utc};
use hmac::{Hmac, Mac as _};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HOST, HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest as _, Sha256};
use url::Url;

use super::credentials::{AccessKeyCredentials, Credentials, IamTokenCredentials, Secret};

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

/// Everything but the unreserved characters of RFC 3986 gets `%XX`-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

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

/// The canonical header block and the signed-header list built from the
/// same headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// One `name:value` line per header, each ending in `\n`.
    pub canonical_headers: String,
    /// The same names joined by `;`.
    pub signed_headers: String,
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

/// Canonical form of a URL path (given percent-encoded, as in a URL).
///
/// The path is percent-decoded first (invalid UTF-8 becomes U+FFFD, a `%`
/// not followed by two hex digits stays literal), so that equivalent
/// encodings of one path give one canonical form.
pub fn canonical_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    push_canonical_uri(&mut out, path);
    out
}

/// Canonical query string from decoded `(key, value)` pairs.
///
/// Pairs are sorted by key, then value, on their decoded text (repeated keys
/// are kept), then encoded like path segments: space is `%20`, `+` is `%2B`,
/// `*` is `%2A`, `~` stays. An empty value gives `key=`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    let mut out = String::new();
    push_canonical_query(&mut out, &mut sorted);
    out
}

/// Canonical header block and signed-header list of `headers`.
///
/// Names are lower-cased, names containing `_` are left out (as the SDKs
/// do: such headers are often dropped by proxies), values are trimmed of
/// whitespace.
///
/// # Errors
///
/// [`SignError::DuplicateHeader`] when a name is given twice, in any case.
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(
    headers: &[(N, V)],
) -> Result<CanonicalHeaders, SignError> {
    let mut entries: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.as_ref().contains('_'))
        .map(|(name, value)| (lowercase(name.as_ref()), value.as_ref()))
        .collect();
    sort_headers(&mut entries)?;
    let mut canonical_headers = String::new();
    push_canonical_headers(&mut canonical_headers, &entries);
    Ok(CanonicalHeaders {
        canonical_headers,
        signed_headers: join_signed_headers(&entries),
    })
}

/// Assembles the canonical request from its already canonical parts.
///
/// The method is upper-cased; `headers` comes from [`canonical_headers`].
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &CanonicalHeaders,
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + headers.canonical_headers.len()
            + headers.signed_headers.len()
            + payload_hash.len()
            + 5,
    );
    push_upper(&mut out, method);
    for part in [
        canonical_uri,
        canonical_query,
        &headers.canonical_headers,
        &headers.signed_headers,
        payload_hash,
    ] {
        out.push('\n');
        out.push_str(part);
    }
    out
}

/// Hex SHA-256 of a request body, the payload hash of JSON bodies.
pub fn payload_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
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
    let security_token = credentials.security_token().map(Secret::expose);
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
        credentials.secret_key().expose(),
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
    let token = header_value(HEADER_AUTH_TOKEN, credentials.token().expose(), true)?;
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

/// What is known of the body at signing time.
enum Body<'a> {
    Bytes(&'a [u8]),
    /// A stream: not empty as far as the signer knows, and not hashable.
    Stream,
}

/// A signature plus the headers the signer decided to add.
struct Signed {
    parts: SignedParts,
    /// `Host` value, when the request had none.
    added_host: Option<String>,
    /// Whether `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` was added.
    added_unsigned_payload: bool,
}

/// Shared by [`sign_parts`] and [`sign_request`]: `given` are the request's
/// headers, `overrides` (lower-case names) replace given headers of the same
/// name.
#[allow(clippy::too_many_arguments)]
fn sign_core<'a, I>(
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

    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = url.query_pairs().collect();
    let mut canonical_query = String::with_capacity(url.query().map_or(0, str::len) + 8);
    push_canonical_query(&mut canonical_query, &mut pairs);

    let signed_headers = join_signed_headers(&entries);
    let mut canonical_request = String::with_capacity(256 + canonical_query.len());
    push_upper(&mut canonical_request, method);
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, url.path());
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query);
    canonical_request.push('\n');
    push_canonical_headers(&mut canonical_request, &entries);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

    let string_to_sign = string_to_sign(sdk_date, &canonical_request);
    let signature = hmac_sha256_hex(secret_key.as_bytes(), string_to_sign.as_bytes())?;
    let authorization = authorization(access_key, &signed_headers, &signature);
    Ok(Signed {
        parts: SignedParts {
            canonical_query,
            canonical_request,
            string_to_sign,
            signed_headers,
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

fn push_canonical_uri(out: &mut String, path: &str) {
    let start = out.len();
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, UNRESERVED));
    }
    if !out[start..].ends_with('/') {
        out.push('/');
    }
}

fn push_canonical_query<K: AsRef<str>, V: AsRef<str>>(out: &mut String, pairs: &mut [(K, V)]) {
    pairs.sort_unstable_by(|a, b| (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref())));
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(key.as_ref(), UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(value.as_ref(), UNRESERVED));
    }
}

/// Sorts lower-cased headers by name and rejects repeated names.
fn sort_headers(entries: &mut [(Cow<'_, str>, &str)]) -> Result<(), SignError> {
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let duplicate = entries.windows(2).find_map(|pair| match pair {
        [(a, _), (b, _)] if a == b => Some(a.clone().into_owned()),
        _ => None,
    });
    duplicate.map_or(Ok(()), |name| Err(SignError::DuplicateHeader(name)))
}

/// `name:value` lines joined by `\n`, plus a final `\n` (so an empty list
/// gives `"\n"`, as in the SDKs).
fn push_canonical_headers(out: &mut String, entries: &[(Cow<'_, str>, &str)]) {
    for (i, (name, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(name);
        out.push(':');
        out.push_str(trim(value));
    }
    out.push('\n');
}

fn join_signed_headers(entries: &[(Cow<'_, str>, &str)]) -> String {
    let mut out = String::with_capacity(entries.iter().map(|(n, _)| n.len() + 1).sum());
    for (i, (name, _)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out
}

fn push_upper(out: &mut String, method: &str) {
    out.extend(method.chars().map(|c| c.to_ascii_uppercase()));
}

/// Lower-cases a header name, borrowing when it already is lower case.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        Cow::Owned(name.to_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Trims whitespace as Python's `str.strip()` does: Unicode whitespace plus
/// the separators U+001C..U+001F, which Rust's `trim` keeps.
fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::{AccessKeyCredentials, IamTokenCredentials};
    use chrono::TimeZone as _;

    const AK: &str = "HPUAEXAMPLEAK0000000";
    const SK: &str = "exampleSecretKey/0123456789abcdef";
    const DATE: &str = "20240102T030405Z";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
    }

    fn get(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, Url::parse(url).unwrap())
    }

    fn aksk() -> Credentials {
        Credentials::access_key(AK, SK).unwrap()
    }

    #[test]
    fn sdk_date_format() {
        assert_eq!(format_sdk_date(now()), DATE);
        assert!(validate_sdk_date(DATE).is_ok());
        for bad in [
            "",
            "2024-01-02T03:04:05Z",
            "20240102T030405",
            "20240230T030405Z",
            "20240102T250405Z",
            "2024010２T030405Z",
        ] {
            assert_eq!(
                validate_sdk_date(bad),
                Err(SignError::InvalidSdkDate(bad.to_owned()))
            );
        }
    }

    #[test]
    fn uri_segments_are_decoded_then_strictly_encoded() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/v1/projects"), "/v1/projects/");
        assert_eq!(canonical_uri("/v1/a%20b/"), "/v1/a%20b/");
        assert_eq!(canonical_uri("/v1/a b"), "/v1/a%20b/");
        assert_eq!(canonical_uri("/v1/%E4%BD%A0"), "/v1/%E4%BD%A0/");
        assert_eq!(canonical_uri("/v1/你"), "/v1/%E4%BD%A0/");
        assert_eq!(canonical_uri("/v1/50%25"), "/v1/50%25/");
        // A lone '%' is literal, and gets encoded.
        assert_eq!(canonical_uri("/v1/50%"), "/v1/50%25/");
        assert_eq!(canonical_uri("/v1/%zz"), "/v1/%25zz/");
        assert_eq!(canonical_uri("/a-b_c.d~e"), "/a-b_c.d~e/");
        assert_eq!(canonical_uri("/a+b*c(d)!'e"), "/a%2Bb%2Ac%28d%29%21%27e/");
        // An encoded slash splits segments after decoding, as in the SDKs.
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        // Invalid UTF-8 decodes to U+FFFD, as Python's unquote does.
        assert_eq!(canonical_uri("/%FF"), "/%EF%BF%BD/");
        assert_eq!(canonical_uri("//x//"), "//x//");
    }

    #[test]
    fn query_sorts_decoded_pairs_and_encodes_strictly() {
        let pairs = [
            ("b", "2"),
            ("a", "z"),
            ("a", "b c"),
            ("a", ""),
            ("plus", "1+1"),
            ("star", "*"),
            ("tilde", "~"),
            ("uni", "é"),
            ("k y", "v"),
        ];
        assert_eq!(
            canonical_query(&pairs),
            "a=&a=b%20c&a=z&b=2&k%20y=v&plus=1%2B1&star=%2A&tilde=~&uni=%C3%A9"
        );
        let empty: [(&str, &str); 0] = [];
        assert_eq!(canonical_query(&empty), "");
        // Sorting is on decoded text: ' ' (0x20) sorts before '-' and '~'.
        assert_eq!(
            canonical_query(&[("a~", "1"), ("a-", "1"), ("a ", "1")]),
            "a%20=1&a-=1&a~=1"
        );
    }

    #[test]
    fn headers_are_lowercased_trimmed_sorted_and_filtered() {
        let h = canonical_headers(&[
            ("X-Sdk-Date", DATE),
            ("Host", " example.com\t"),
            ("X_Ignored", "x"),
            ("Content-Type", "application/json"),
            ("X-Odd", "\u{1f} v \u{a0}"),
        ])
        .unwrap();
        assert_eq!(
            h.canonical_headers,
            "content-type:application/json\nhost:example.com\nx-odd:v\nx-sdk-date:20240102T030405Z\n"
        );
        assert_eq!(h.signed_headers, "content-type;host;x-odd;x-sdk-date");
        let empty: [(&str, &str); 0] = [];
        assert_eq!(canonical_headers(&empty).unwrap().canonical_headers, "\n");
        assert_eq!(
            canonical_headers(&[("A", "1"), ("a", "2")]),
            Err(SignError::DuplicateHeader("a".to_owned()))
        );
    }

    #[test]
    fn pure_functions_compose_like_sign_parts() {
        let url = Url::parse("https://ecs.example.com/v1/p/servers?limit=10&name=a+b").unwrap();
        let parts = sign_parts(
            "get",
            &url,
            &[("Content-Type", "application/json")],
            b"",
            DATE,
            AK,
            SK,
        )
        .unwrap();
        let headers = canonical_headers(&[
            ("Content-Type", "application/json"),
            ("Host", "ecs.example.com"),
            ("X-Sdk-Date", DATE),
        ])
        .unwrap();
        let query = canonical_query(&[("limit", "10"), ("name", "a b")]);
        let request = canonical_request(
            "GET",
            &canonical_uri(url.path()),
            &query,
            &headers,
            &payload_hash(b""),
        );
        assert_eq!(parts.canonical_query, "limit=10&name=a%20b");
        assert_eq!(parts.canonical_request, request);
        assert_eq!(parts.string_to_sign, string_to_sign(DATE, &request));
        assert_eq!(parts.signed_headers, headers.signed_headers);
        assert_eq!(
            parts.authorization,
            authorization(AK, &headers.signed_headers, &parts.signature)
        );
        assert!(parts.authorization.starts_with(
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000000, SignedHeaders=content-type;host;x-sdk-date, Signature="
        ));
        assert_eq!(parts.signature.len(), 64);
    }

    #[test]
    fn sign_parts_rejects_bad_input_without_panicking() {
        let url = Url::parse("http://h/").unwrap();
        assert_eq!(
            sign_parts("GET", &url, &[], b"", "now", AK, SK),
            Err(SignError::InvalidSdkDate("now".to_owned()))
        );
        assert_eq!(
            sign_parts("GET", &url, &[], b"", DATE, "", SK),
            Err(SignError::EmptyAccessKey)
        );
        assert_eq!(
            sign_parts("GET", &url, &[], b"", DATE, AK, ""),
            Err(SignError::EmptySecretKey)
        );
        assert_eq!(
            sign_parts(
                "GET",
                &url,
                &[("X-A", "1"), ("x-a", "2")],
                b"",
                DATE,
                AK,
                SK
            ),
            Err(SignError::DuplicateHeader("x-a".to_owned()))
        );
        let no_host = Url::parse("data:text/plain,hi").unwrap();
        assert_eq!(
            sign_parts("GET", &no_host, &[], b"", DATE, AK, SK),
            Err(SignError::MissingHost)
        );
        // With an explicit Host header the URL's host is not needed.
        assert!(sign_parts("GET", &no_host, &[("Host", "h")], b"", DATE, AK, SK).is_ok());
    }

    #[test]
    fn given_date_and_authorization_headers_are_replaced_or_ignored() {
        let url = Url::parse("http://h:8080/x").unwrap();
        let plain = sign_parts("GET", &url, &[], b"", DATE, AK, SK).unwrap();
        let noisy = sign_parts(
            "GET",
            &url,
            &[("X-Sdk-Date", "19990101T000000Z"), ("Authorization", "old")],
            b"",
            DATE,
            AK,
            SK,
        )
        .unwrap();
        assert_eq!(plain, noisy);
        assert!(plain.canonical_request.contains("\nhost:h:8080\n"));
    }

    #[test]
    fn non_json_bodies_are_unsigned_payload() {
        let url = Url::parse("http://h/upload").unwrap();
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        let parts = sign_parts("POST", &url, &form, b"a=1", DATE, AK, SK).unwrap();
        assert!(parts.canonical_request.ends_with(
            "x-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n\ncontent-type;host;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"
        ));
        // The header is still added for an empty body, whose hash stays the empty hash.
        let parts = sign_parts("POST", &url, &form, b"", DATE, AK, SK).unwrap();
        assert!(parts.canonical_request.ends_with(EMPTY_PAYLOAD_HASH));
        assert!(parts.signed_headers.contains("x-sdk-content-sha256"));
        // JSON (with parameters) and BSON bodies are hashed.
        for ct in ["application/json;charset=UTF-8", "application/bson"] {
            let parts =
                sign_parts("POST", &url, &[("Content-Type", ct)], b"{}", DATE, AK, SK).unwrap();
            assert!(parts.canonical_request.ends_with(&payload_hash(b"{}")));
            assert!(!parts.signed_headers.contains("x-sdk-content-sha256"));
        }
    }

    #[test]
    fn sign_request_rewrites_query_and_sets_headers() {
        let credentials: Credentials = AccessKeyCredentials::new(AK, SK)
            .unwrap()
            .with_project_id("proj1")
            .with_security_token("tok/en+=")
            .into();
        let mut request = get("https://h.example.com:8443/v1/a%20b?z=1&a=x+y&a=%2A&e");
        request
            .headers_mut()
            .insert("x-custom", HeaderValue::from_static("v"));
        sign_request(&mut request, &credentials, now()).unwrap();

        assert_eq!(request.url().query(), Some("a=%2A&a=x%20y&e=&z=1"));
        let h = request.headers();
        assert_eq!(h["host"], "h.example.com:8443");
        assert_eq!(h["x-sdk-date"], DATE);
        assert_eq!(h["x-project-id"], "proj1");
        assert_eq!(h["x-security-token"], "tok/en+=");
        assert!(h["x-security-token"].is_sensitive());
        assert!(h["authorization"].is_sensitive());

        let given = [
            ("Host", "h.example.com:8443"),
            ("X-Custom", "v"),
            ("X-Project-Id", "proj1"),
            ("X-Security-Token", "tok/en+="),
        ];
        let parts = sign_parts("GET", request.url(), &given, b"", DATE, AK, SK).unwrap();
        assert_eq!(h["authorization"], parts.authorization.as_str());
        assert_eq!(
            parts.signed_headers,
            "host;x-custom;x-project-id;x-sdk-date;x-security-token"
        );

        // Signing again (as before a retry) gives the same request.
        let first = request.headers().clone();
        let first_url = request.url().clone();
        sign_request(&mut request, &credentials, now()).unwrap();
        assert_eq!(request.headers(), &first);
        assert_eq!(request.url(), &first_url);
    }

    #[test]
    fn sign_request_clears_empty_query_and_keeps_given_host() {
        let mut request = get("http://h/x?");
        request
            .headers_mut()
            .insert(HOST, HeaderValue::from_static("proxy.example"));
        sign_request(&mut request, &aksk(), now()).unwrap();
        assert_eq!(request.url().as_str(), "http://h/x");
        assert_eq!(request.headers()["host"], "proxy.example");
        assert_eq!(request.headers().get_all(HOST).iter().count(), 1);
    }

    #[test]
    fn sign_request_errors_leave_request_untouched() {
        let mut request = get("http://h/x?b=1&a=2");
        request
            .headers_mut()
            .append("x-a", HeaderValue::from_static("1"));
        request
            .headers_mut()
            .append("x-a", HeaderValue::from_static("2"));
        let before = request.headers().clone();
        assert_eq!(
            sign_request(&mut request, &aksk(), now()),
            Err(SignError::DuplicateHeader("x-a".to_owned()))
        );
        assert_eq!(request.headers(), &before);
        assert_eq!(request.url().query(), Some("b=1&a=2"));

        let mut request = get("http://h/x");
        request
            .headers_mut()
            .insert("x-b", HeaderValue::from_bytes(b"\xff").unwrap());
        assert_eq!(
            sign_request(&mut request, &aksk(), now()),
            Err(SignError::NonUtf8HeaderValue("x-b".to_owned()))
        );

        let bad_token: Credentials = AccessKeyCredentials::new(AK, SK)
            .unwrap()
            .with_security_token("line\nbreak")
            .into();
        let mut request = get("http://h/x");
        let err = sign_request(&mut request, &bad_token, now()).unwrap_err();
        assert_eq!(err, SignError::InvalidHeaderValue(HEADER_SECURITY_TOKEN));
        assert!(!err.to_string().contains("line"));
        assert!(request.headers().is_empty());
    }

    #[test]
    fn sign_request_hashes_buffered_bodies_and_refuses_json_streams() {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            Url::parse("http://h/v1/items").unwrap(),
        );
        request
            .headers_mut()
            .insert("content-type", HeaderValue::from_static("application/json"));
        *request.body_mut() = Some(reqwest::Body::from(r#"{"a":1}"#));
        sign_request(&mut request, &aksk(), now()).unwrap();
        let parts = sign_parts(
            "POST",
            request.url(),
            &[("Content-Type", "application/json"), ("Host", "h")],
            br#"{"a":1}"#,
            DATE,
            AK,
            SK,
        )
        .unwrap();
        assert!(
            parts
                .canonical_request
                .ends_with(&payload_hash(br#"{"a":1}"#))
        );
        assert_eq!(
            request.headers()["authorization"],
            parts.authorization.as_str()
        );
    }

    #[test]
    fn streams_are_signed_only_as_unsigned_payload() {
        let url = Url::parse("http://h/upload").unwrap();
        let sign = |content_type: &'static str| {
            let given = [Ok(("Content-Type", content_type))].into_iter();
            sign_core("PUT", &url, given, &[], Body::Stream, DATE, AK, SK).map(|s| s.parts)
        };
        assert_eq!(
            sign("application/json").err(),
            Some(SignError::StreamingBody)
        );
        let parts = sign("application/octet-stream").unwrap();
        assert!(parts.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    }

    #[test]
    fn iam_token_mode_sets_token_and_project_only() {
        let credentials: Credentials = IamTokenCredentials::new("MIItoken")
            .unwrap()
            .with_project_id("p2")
            .into();
        let mut request = get("http://h/x?b=1+2&a=3");
        sign_request(&mut request, &credentials, now()).unwrap();
        let h = request.headers();
        assert_eq!(h["x-auth-token"], "MIItoken");
        assert!(h["x-auth-token"].is_sensitive());
        assert_eq!(h["x-project-id"], "p2");
        assert!(h.get("authorization").is_none() && h.get("x-sdk-date").is_none());
        assert_eq!(request.url().query(), Some("b=1+2&a=3"));
        assert!(!format!("{request:?}").contains("MIItoken"));
    }

    #[test]
    fn python_compatible_trim() {
        assert_eq!(
            trim("\u{1c}\u{1d}\u{1e}\u{1f} \t\u{3000}x y\u{85}\u{a0}"),
            "x y"
        );
        assert_eq!(trim("\u{200b}x"), "\u{200b}x");
    }
}
