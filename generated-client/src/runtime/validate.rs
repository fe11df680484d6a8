//! Argument checks before anything is sent.
//!
//! The generated service table carries each parameter's documented
//! constraints; this module reads the values back from the built request
//! (path segments, query pairs, headers) and checks them, so a bad argument is
//! refused with a message naming the parameter, the value and the allowed
//! range, and the server never sees it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::{Location, Operation, Param, Rule};

/// A refused argument.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{parameter}` = {value:?} {problem}")]
pub struct ArgumentError {
    /// The operationId.
    pub operation: &'static str,
    /// The parameter's wire name.
    pub parameter: &'static str,
    /// The value given.
    pub value: String,
    /// What is wrong, including the allowed range or values.
    pub problem: String,
}

/// Checks every constrained parameter of `operation` in a built request.
pub fn check_request(
    operation: &Operation,
    request: &reqwest::Request,
) -> Result<(), ArgumentError> {
    let query: Vec<(Cow<'_, str>, Cow<'_, str>)> = request.url().query_pairs().collect();
    let path_values = path_values(operation.path, request.url().path());
    for param in operation.params {
        let value: Option<Cow<'_, str>> = match param.location {
            Location::Query => query
                .iter()
                .find(|(k, _)| k == param.name)
                .map(|(_, v)| v.clone()),
            Location::Header => request
                .headers()
                .get(param.name)
                .map(|v| String::from_utf8_lossy(v.as_bytes())),
            Location::Path => path_values
                .iter()
                .find(|(name, _)| *name == param.name)
                .map(|(_, v)| Cow::Owned(v.clone())),
        };
        match value {
            Some(value) => check_value(operation, param, &value)?,
            None if param.required => {
                return Err(error(
                    operation,
                    param,
                    "",
                    "is missing; it is required".into(),
                ));
            }
            None => {}
        }
    }
    Ok(())
}

fn check_value(operation: &Operation, param: &Param, value: &str) -> Result<(), ArgumentError> {
    if param.location == Location::Path && value.is_empty() {
        return Err(error(
            operation,
            param,
            value,
            "is empty; it is required".into(),
        ));
    }
    for rule in param.rules {
        let problem = match rule {
            Rule::Integer { min, max } => match value.parse::<i64>() {
                Err(_) => Some("is not an integer".to_string()),
                Ok(n) if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) => {
                    Some(format!("is out of range: allowed {}", range(*min, *max)))
                }
                Ok(_) => None,
            },
            Rule::MinLength(n) if value.chars().count() < *n => {
                Some(format!("is too short: at least {n} character(s)"))
            }
            Rule::MaxLength(n) if value.chars().count() > *n => {
                Some(format!("is too long: at most {n} character(s)"))
            }
            Rule::Pattern(pattern) if !matches(pattern, value) => {
                Some(format!("does not match the pattern {pattern}"))
            }
            Rule::OneOf(values) if !values.contains(&value) => {
                Some(format!("is not allowed: one of {}", values.join(", ")))
            }
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(error(operation, param, value, problem));
        }
    }
    Ok(())
}

fn error(operation: &Operation, param: &Param, value: &str, problem: String) -> ArgumentError {
    ArgumentError {
        operation: operation.name,
        parameter: param.name,
        value: value.to_string(),
        problem,
    }
}

fn range(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => "any integer".into(),
    }
}

/// Pairs the `{name}` segments of a path template with the decoded segments
/// at the end of the request path (the base URL may add a prefix).
pub(crate) fn path_values(template: &str, path: &str) -> Vec<(String, String)> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
    if actual.len() < template.len() {
        return Vec::new();
    }
    let tail = &actual[actual.len() - template.len()..];
    template
        .iter()
        .zip(tail)
        .filter_map(|(t, a)| {
            let name = t.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(a).decode_utf8_lossy();
            Some((name.to_string(), value.into_owned()))
        })
        .collect()
}

/// Compiled patterns, built once per distinct pattern.
static PATTERNS: LazyLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn matches(pattern: &'static str, value: &str) -> bool {
    let mut cache = PATTERNS.lock().unwrap_or_else(|p| p.into_inner());
    let regex = cache
        .entry(pattern)
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok());
    // A pattern that does not compile was already rejected by the generator;
    // never refuse an argument because of it.
    regex.as_ref().is_none_or(|r| r.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: &[Param] = &[
        Param {
            name: "project_id",
            location: Location::Path,
            required: true,
            rules: &[],
        },
        Param {
            name: "name",
            location: Location::Query,
            required: false,
            rules: &[Rule::MinLength(2), Rule::MaxLength(4)],
        },
        Param {
            name: "status",
            location: Location::Query,
            required: false,
            rules: &[Rule::OneOf(&["A", "B"])],
        },
        Param {
            name: "marker",
            location: Location::Query,
            required: false,
            rules: &[],
        },
        Param {
            name: "X-Token",
            location: Location::Header,
            required: true,
            rules: &[],
        },
    ];

    const OPERATION: Operation = Operation {
        id: "list_things",
        name: "ListThings",
        method: "GET",
        path: "/v1/{project_id}/things",
        idempotent: true,
        params: PARAMS,
        paging: None,
    };

    /// Checks a request to `path_and_query`, with the token header unless
    /// `token` is `None`.
    fn check(path_and_query: &str, token: Option<&str>) -> Result<(), ArgumentError> {
        let url = reqwest::Url::parse(&format!("https://svc.example.com{path_and_query}"))
            .expect("a URL");
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        if let Some(token) = token {
            let value = reqwest::header::HeaderValue::from_str(token).expect("a header value");
            request.headers_mut().insert("X-Token", value);
        }
        check_request(&OPERATION, &request)
    }

    fn problem(result: Result<(), ArgumentError>) -> (&'static str, String) {
        let error = result.expect_err("refused");
        (error.parameter, error.problem)
    }

    #[test]
    fn lengths_are_counted_in_characters_within_their_bounds() {
        for name in ["ab", "abcd", "%C3%A9%C3%A9%C3%A9%C3%A9"] {
            assert_eq!(
                check(&format!("/v1/p1/things?name={name}"), Some("t")),
                Ok(()),
                "{name}"
            );
        }
        assert_eq!(
            problem(check("/v1/p1/things?name=a", Some("t"))),
            ("name", "is too short: at least 2 character(s)".into())
        );
        assert_eq!(
            problem(check("/v1/p1/things?name=abcde", Some("t"))),
            ("name", "is too long: at most 4 character(s)".into())
        );
    }

    #[test]
    fn a_listed_value_passes_and_any_other_is_refused_with_the_list() {
        assert_eq!(check("/v1/p1/things?status=B", Some("t")), Ok(()));
        assert_eq!(
            problem(check("/v1/p1/things?status=C", Some("t"))),
            ("status", "is not allowed: one of A, B".into())
        );
    }

    #[test]
    fn a_required_parameter_must_be_there_and_an_optional_one_may_be_empty() {
        assert_eq!(check("/v1/p1/things", Some("t")), Ok(()));
        // An empty query value is a value: only a path segment must not be
        // empty.
        assert_eq!(check("/v1/p1/things?marker=", Some("t")), Ok(()));
        assert_eq!(
            problem(check("/v1/p1/things", None)),
            ("X-Token", "is missing; it is required".into())
        );
        assert_eq!(
            problem(check("/v1//things", Some("t"))),
            ("project_id", "is empty; it is required".into())
        );
    }
}
