//! What the generated `ClientHooks` implementation calls for every request.
//!
//! [`prepare`] runs after progenitor built the request and before anything is
//! sent: it drops the `api-version` header progenitor adds (the services do
//! not want it), checks the arguments and puts the query in canonical form. [`execute`] sends the request,
//! retrying as the [`RetryPolicy`](super::retry::RetryPolicy) allows, signing
//! every attempt afresh (the gateway rejects a stale `X-Sdk-Date`), and keeps
//! every attempt, waits included, within the call's total deadline.

use std::time::Duration;

// tokio's clock (the system's monotonic clock, or a test's paused one), so
// the deadline, the attempt timeouts and the waits between attempts all read
// the same time.
use tokio::time::Instant;

use tracing::Instrument;

use super::call::{REQUEST_ID, record_attempt, record_response};
use super::failure::Failure;
use super::retry::{retry_after, retryable_error};
use super::validate::{ArgumentError, check_request};
use super::{Context, Service};
use crate::auth::Credentials;
use crate::error::retryable_status;

/// Checks and normalises a built request. Fails, sending nothing, when an
/// argument breaks a documented constraint.
pub fn prepare(
    service: &Service,
    request: &mut reqwest::Request,
    operation_id: &str,
) -> Result<(), ArgumentError> {
    request.headers_mut().remove("api-version");
    if let Some(operation) = service.operation(operation_id) {
        check_request(operation, request)?;
    }
    canonicalize_query(request.url_mut());
    Ok(())
}

/// Puts the query in the canonical form the gateway signs (sorted, `%20` for
/// a space), whether or not the request is signed, so what is sent does not
/// depend on the credentials.
fn canonicalize_query(url: &mut url::Url) {
    if url.query().is_none() {
        return;
    }
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let canonical = crate::auth::signer::canonical_query(&pairs);
    url.set_query((!canonical.is_empty()).then_some(canonical.as_str()));
}

/// Like the official SDKs, AK/SK requests to a project-scoped operation carry
/// a signed `X-Project-Id`: the credentials' project when they have one (the
/// signer sets it), else the project the request names in its path. Some
/// accounts (several projects in a region, dedicated clouds) are refused
/// without it.
fn add_project_header(
    service: &Service,
    credentials: &Credentials,
    request: &mut reqwest::Request,
    operation_id: &str,
) {
    let Credentials::AccessKey(credentials) = credentials else {
        return;
    };
    if credentials.project_id().is_some() || request.headers().contains_key("x-project-id") {
        return;
    }
    let Some(operation) = service.operation(operation_id) else {
        return;
    };
    let project = super::validate::path_values(operation.path, request.url().path())
        .into_iter()
        .find(|(name, _)| name == "project_id")
        .map(|(_, value)| value);
    if let Some(value) = project.and_then(|p| reqwest::header::HeaderValue::from_str(&p).ok()) {
        request.headers_mut().insert("x-project-id", value);
    }
}

/// Authenticates and sends one request, with retries.
pub async fn execute(
    service: &Service,
    http: &reqwest::Client,
    context: &Context,
    request: reqwest::Request,
    operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    let started = Instant::now();
    let deadline = context.total_timeout().map(|t| started + t);
    let policy = context.retry();
    // Only requests without a streaming body can be sent twice; only
    // idempotent operations may be.
    let idempotent = idempotent(service, operation_id, request.method());
    let mut request = request;
    let mut attempt = 0;
    loop {
        attempt += 1;
        // Keep an unsent copy for the next attempt (none for a streaming
        // body, which is then sent once).
        let next = if idempotent && attempt < policy.max_attempts {
            request.try_clone()
        } else {
            None
        };
        // Queued behind the bound on attempts in flight before the attempt's
        // time starts, so a long queue does not eat the attempt timeout.
        let permit = context.in_flight_permit().await;
        super::call::record_time_limit(time_limit(deadline, context));
        let allowed = remaining(deadline).map_or(context.attempt_timeout(), |r| {
            r.min(context.attempt_timeout())
        });
        *request.timeout_mut() = Some(allowed);
        let outcome = send_once(service, http, context, request, attempt, operation_id).await;
        drop(permit);
        let Some(next) = next else {
            return outcome;
        };
        let wait = match &outcome {
            Ok(response) if retryable_status(response.status().as_u16()) => {
                let asked = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after(v, chrono::Utc::now()));
                match asked {
                    Some(asked) if asked > policy.max_retry_after => return outcome,
                    Some(asked) => asked,
                    None => policy.backoff_after(attempt),
                }
            }
            Err(e) if retryable_error(e) => policy.backoff_after(attempt),
            _ => return outcome,
        };
        if remaining(deadline).is_some_and(|r| r <= wait) {
            // Waiting would cross the deadline: report what we have.
            return outcome;
        }
        tracing::debug!(
            operation = operation_id,
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        drop(outcome);
        tokio::time::sleep(wait).await;
        request = next;
    }
}

/// Whether a failed attempt may be sent again: as the operation table says,
/// and for an operation it does not list, by the method's semantics (every
/// method but POST and PATCH).
fn idempotent(service: &Service, operation_id: &str, method: &reqwest::Method) -> bool {
    service.operation(operation_id).map_or_else(
        || !matches!(method.as_str(), "POST" | "PATCH"),
        |op| op.idempotent,
    )
}

async fn send_once(
    service: &Service,
    http: &reqwest::Client,
    context: &Context,
    mut request: reqwest::Request,
    attempt: u32,
    operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    // Asked for every attempt: a provider's credentials may have been
    // renewed since the last one (the cache makes this cheap).
    let credentials = match context.current_credentials().await {
        Ok(credentials) => credentials,
        Err(e) => return Err(Failure::Credentials(e).into_reqwest().await),
    };
    record_attempt(attempt);
    if let Some(credentials) = &credentials {
        add_project_header(service, credentials, &mut request, operation_id);
        // Signing only fails on a request that could not be sent anyway
        // (fixed credentials are checked when built); the gateway then
        // answers 401 with its own message.
        if let Err(e) = crate::auth::sign_request(&mut request, credentials, chrono::Utc::now()) {
            tracing::warn!(operation = operation_id, error = %e, "request could not be signed");
        }
    }
    let span = tracing::debug_span!(
        "huaweicloud.attempt",
        operation = operation_id,
        attempt,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    let started = Instant::now();
    let result = async {
        let response = http.execute(request).await?;
        // Read the whole body within the attempt, so a connection that breaks
        // after the headers fails this attempt (and is retried like any
        // transport failure) instead of failing later, outside the loop.
        buffered(response, context.max_response_body()).await
    }
    .instrument(span.clone())
    .await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    match &result {
        Ok(response) => {
            let status = response.status().as_u16();
            let request_id = response
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok());
            span.record("status", status);
            if let Some(id) = request_id {
                span.record("request_id", id);
            }
            record_response(status, request_id);
        }
        Err(e) => {
            let _guard = span.enter();
            tracing::debug!(error = %e, timeout = e.is_timeout(), "attempt failed");
        }
    }
    result
}

/// The response with its body read into memory, up to `limit` bytes: a
/// longer body fails the attempt as soon as the limit is passed (at once
/// when `Content-Length` says so), and the connection is dropped rather than
/// read to its end.
async fn buffered(
    mut response: reqwest::Response,
    limit: u64,
) -> reqwest::Result<reqwest::Response> {
    let too_large =
        |response: &reqwest::Response, content_length: Option<u64>| Failure::BodyTooLarge {
            limit,
            status: response.status().as_u16(),
            request_id: response
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            content_length,
        };
    let declared = response.content_length();
    if let Some(length) = declared.filter(|&n| n > limit) {
        return Err(too_large(&response, Some(length)).into_reqwest().await);
    }
    // Room for what is announced; an unannounced body grows as it comes.
    let capacity = declared.map_or(0, |n| usize::try_from(n).unwrap_or(0));
    let mut body = bytes::BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large(&response, declared).into_reqwest().await);
        }
        body.extend_from_slice(&chunk);
    }
    let mut rebuilt = http::Response::new(body.freeze());
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = response.headers().clone();
    Ok(reqwest::Response::from(rebuilt))
}

fn remaining(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}

/// Which limit bounds the next attempt: the deadline when less time is left
/// than the attempt timeout (the attempt then gets what is left).
fn time_limit(deadline: Option<Instant>, context: &Context) -> super::call::TimeLimit {
    match (remaining(deadline), context.total_timeout()) {
        (Some(left), Some(total)) if left < context.attempt_timeout() => {
            super::call::TimeLimit::Deadline(total)
        }
        _ => super::call::TimeLimit::Attempt(context.attempt_timeout()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::AccessKeyCredentials;

    /// A service of the table with an operation whose path names the project.
    fn project_operation() -> (&'static Service, &'static super::super::Operation) {
        crate::SERVICES
            .iter()
            .find_map(|s| {
                s.operations
                    .iter()
                    .find(|op| op.path.contains("{project_id}"))
                    .map(|op| (*s, op))
            })
            .expect("an operation under a project")
    }

    /// Unsigned requests (anonymous, IAM token) send the query the signer
    /// would have: sorted, a space as `%20`; none stays none.
    #[test]
    fn the_query_is_sent_in_canonical_form_signed_or_not() {
        let mut url: url::Url = "https://example.com/v1/tasks?limit=10&b=x+y&a=1"
            .parse()
            .unwrap();
        canonicalize_query(&mut url);
        assert_eq!(url.query(), Some("a=1&b=x%20y&limit=10"));
        let mut url: url::Url = "https://example.com/v1/tasks".parse().unwrap();
        canonicalize_query(&mut url);
        assert_eq!(url.query(), None);
    }

    /// The deadline names the limit only when less is left than an attempt
    /// may take; exactly an attempt's time left is still the attempt's limit.
    #[tokio::test(start_paused = true)]
    async fn the_deadline_is_the_limit_only_when_less_than_an_attempt_is_left() {
        use super::super::call::TimeLimit;
        let attempt = Duration::from_secs(10);
        let total = Duration::from_secs(25);
        let context = Context::new(None, Default::default(), attempt, Some(total), 1, None);
        let now = Instant::now();
        assert_eq!(time_limit(None, &context), TimeLimit::Attempt(attempt));
        assert_eq!(
            time_limit(Some(now + attempt), &context),
            TimeLimit::Attempt(attempt)
        );
        assert_eq!(
            time_limit(Some(now + attempt - Duration::from_millis(1)), &context),
            TimeLimit::Deadline(total)
        );
    }

    #[test]
    fn an_operation_the_table_does_not_list_is_retried_by_its_method() {
        let (service, listed) = project_operation();
        for (method, expected) in [
            (reqwest::Method::GET, true),
            (reqwest::Method::PUT, true),
            (reqwest::Method::DELETE, true),
            (reqwest::Method::POST, false),
            (reqwest::Method::PATCH, false),
        ] {
            assert_eq!(
                idempotent(service, "NotInTheTable", &method),
                expected,
                "{method}"
            );
        }
        // A listed operation: the table's word, whatever the method.
        assert_eq!(
            idempotent(service, listed.id, &reqwest::Method::POST),
            listed.idempotent
        );
    }

    #[test]
    fn a_project_header_already_there_is_kept_and_one_is_added_from_the_path() {
        let (service, op) = project_operation();
        let path = op.path.replace("{project_id}", "path-project");
        let path = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let url = format!("https://example.com{path}");
        let credentials: Credentials = AccessKeyCredentials::new("AK", "SK").unwrap().into();

        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        add_project_header(service, &credentials, &mut request, op.id);
        assert_eq!(request.headers()["x-project-id"], "path-project");

        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        request
            .headers_mut()
            .insert("x-project-id", "given-project".parse().unwrap());
        add_project_header(service, &credentials, &mut request, op.id);
        assert_eq!(request.headers()["x-project-id"], "given-project");
    }
}
