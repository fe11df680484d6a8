//! The canonical form of a request: the text the gateway recomputes and the
//! signature covers.
//!
//! ```text
//! METHOD \n CANONICAL_URI \n CANONICAL_QUERY \n CANONICAL_HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
//! ```
//!
//! * `CANONICAL_URI`: the percent-decoded path, each `/`-separated segment
//!   re-encoded keeping only `A-Z a-z 0-9 - _ . ~`, always ending in `/`.
//! * `CANONICAL_QUERY`: the decoded `(key, value)` pairs sorted by key, then
//!   value, each part encoded like a path segment, joined as `k=v&k=v`.
//! * `CANONICAL_HEADERS`: every header whose name has no `_`, lower-cased,
//!   sorted, values trimmed, one `name:value\n` line each;
//!   `SIGNED_HEADERS` lists the same names joined by `;`.
//! * `PAYLOAD_HASH`: hex SHA-256 of the body, or the value of
//!   `X-Sdk-Content-Sha256` (`UNSIGNED-PAYLOAD`).
//!
//! Everything here is pure text processing; which headers are signed and
//! which payload hash applies is decided by the signer.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest as _, Sha256};

use super::SignError;

/// Everything but the unreserved characters of RFC 3986 gets `%XX`-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The canonical header block and the signed-header list built from the
/// same headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// One `name:value` line per header, each ending in `\n`.
    pub canonical_headers: String,
    /// The same names joined by `;`.
    pub signed_headers: String,
}

impl CanonicalHeaders {
    /// Both strings of headers already lower-cased, filtered and sorted by
    /// name (see [`sort_headers`]).
    pub(super) fn from_sorted(entries: &[(Cow<'_, str>, &str)]) -> Self {
        let mut canonical_headers = String::new();
        push_canonical_headers(&mut canonical_headers, entries);
        Self {
            canonical_headers,
            signed_headers: join_signed_headers(entries),
        }
    }
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
    Ok(CanonicalHeaders::from_sorted(&entries))
}

/// Assembles the canonical request from its already canonical parts: the one
/// place its layout is written, used by [`sign_parts`](super::sign_parts) and
/// [`sign_request`](super::sign_request) as by anyone rebuilding it.
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
pub(super) fn sort_headers(entries: &mut [(Cow<'_, str>, &str)]) -> Result<(), SignError> {
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
pub(super) fn lowercase(name: &str) -> Cow<'_, str> {
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
pub(super) fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "20240102T030405Z";

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
    fn python_compatible_trim() {
        assert_eq!(
            trim("\u{1c}\u{1d}\u{1e}\u{1f} \t\u{3000}x y\u{85}\u{a0}"),
            "x y"
        );
        assert_eq!(trim("\u{200b}x"), "\u{200b}x");
    }
}
