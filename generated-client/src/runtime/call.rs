//! Turning progenitor's result into the crate's [`Error`].
//!
//! The generator leaves error responses out of what progenitor sees, so every
//! error status arrives here unread, as `UnexpectedResponse`: its body can then
//! be kept raw and parsed in any of the shapes the services use. A success body
//! that fails to decode is decoded again with `serde_path_to_error` to name the
//! JSON path of the offending value.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::Duration;

use progenitor_client::{Error as ProgenitorError, ResponseValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{Error, ErrorKind};

/// Name of the response header carrying the gateway's request id.
pub const REQUEST_ID: &str = "x-request-id";

/// What the retry loop learns about the call running in this task: progenitor
/// consumes the response before an undecodable body reaches us, so its status
/// and request id are kept here.
#[derive(Default)]
struct CallState {
    attempts: Cell<u32>,
    last_response: RefCell<Option<(u16, Option<String>)>>,
    /// The limit on the time of the latest attempt.
    time_limit: Cell<Option<TimeLimit>>,
}

/// Which limit an attempt's timeout is, so a timeout can say which passed:
/// the call's deadline (`Config::total_timeout`), when less time was left
/// than an attempt may take, or the attempt timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeLimit {
    Deadline(Duration),
    Attempt(Duration),
}

tokio::task_local! {
    static CALL: CallState;
}

/// Called by the retry loop before each attempt.
pub(crate) fn record_attempt(attempt: u32) {
    let _ = CALL.try_with(|c| c.attempts.set(attempt));
}

/// Called by the retry loop before each attempt, with its time limit.
pub(crate) fn record_time_limit(limit: TimeLimit) {
    let _ = CALL.try_with(|c| c.time_limit.set(Some(limit)));
}

/// Called by the retry loop for each response received.
pub(crate) fn record_response(status: u16, request_id: Option<&str>) {
    let _ = CALL.try_with(|c| {
        *c.last_response.borrow_mut() = Some((status, request_id.map(str::to_string)));
    });
}

/// Runs a future inside a fresh call state and returns its output with the
/// number of attempts the retry loop made.
pub(crate) async fn record_scope<T>(future: impl Future<Output = T>) -> (T, u32) {
    CALL.scope(CallState::default(), async move {
        let output = future.await;
        (output, CALL.with(|c| c.attempts.get()))
    })
    .await
}

/// Runs one generated `send()` inside a `huaweicloud.call` span and maps its
/// outcome to the crate's error, with the number of attempts made.
pub async fn run<T, F>(operation: &'static str, send: F) -> Result<ResponseValue<T>, Error>
where
    T: DeserializeOwned,
    F: Future<Output = Result<ResponseValue<T>, ProgenitorError<()>>>,
{
    run_with(operation, send, json_path::<T>).await
}

/// Runs the `send()` of an operation whose success statuses answer a body
/// or none (a DELETE answering 200 with the record, or 204): progenitor
/// hands the body over raw, and it is decoded here, `None` when empty.
#[allow(
    dead_code,
    reason = "called by the generated call() of such operations"
)]
pub async fn run_optional<T, F>(
    operation: &'static str,
    send: F,
) -> Result<ResponseValue<Option<T>>, Error>
where
    T: DeserializeOwned,
    F: Future<Output = Result<ResponseValue<progenitor_client::ByteStream>, ProgenitorError<()>>>,
{
    use futures_util::TryStreamExt;
    // The body is read and decoded inside the call, so that a bad body is
    // reported as progenitor's own decoding failures are (`convert`): the
    // same JSON path or line and column, the attempts, the request id.
    let decoded = async move {
        let value = send.await?;
        let (status, headers) = (value.status(), value.headers().clone());
        let body: Vec<u8> = value
            .into_inner_stream()
            .try_fold(Vec::new(), |mut body, chunk| async move {
                body.extend_from_slice(&chunk);
                Ok(body)
            })
            .await
            .map_err(ProgenitorError::ResponseBodyError)?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(ResponseValue::new(None, status, headers));
        }
        match serde_json::from_slice::<T>(&body) {
            Ok(decoded) => Ok(ResponseValue::new(Some(decoded), status, headers)),
            Err(e) => Err(ProgenitorError::InvalidResponsePayload(body.into(), e)),
        }
    };
    run_with(operation, decoded, json_path::<T>).await
}

/// [`run`], with the function that names the JSON path of an undecodable
/// body.
async fn run_with<T, F>(
    operation: &'static str,
    send: F,
    json_path: fn(&[u8]) -> Option<String>,
) -> Result<ResponseValue<T>, Error>
where
    F: Future<Output = Result<ResponseValue<T>, ProgenitorError<()>>>,
{
    let span = tracing::info_span!(
        "huaweicloud.call",
        operation,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
    );
    let record = span.clone();
    CALL.scope(CallState::default(), async move {
        let result = send.await;
        let attempts = CALL.with(|c| c.attempts.get());
        let last_response = CALL.with(|c| c.last_response.borrow().clone());
        record.record("attempts", attempts);
        match result {
            Ok(value) => {
                record.record("status", value.status().as_u16());
                if let Some(id) = value
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                {
                    record.record("request_id", id);
                }
                Ok(value)
            }
            Err(e) => {
                let error = convert(operation, e, last_response, json_path)
                    .await
                    .with_attempts(attempts);
                if let Some(status) = error.status() {
                    record.record("status", status);
                }
                if let Some(id) = error.request_id() {
                    record.record("request_id", id);
                }
                Err(error)
            }
        }
    })
    .instrument(span)
    .await
}

async fn convert(
    operation: &'static str,
    e: ProgenitorError<()>,
    last_response: Option<(u16, Option<String>)>,
    json_path: fn(&[u8]) -> Option<String>,
) -> Error {
    match e {
        ProgenitorError::InvalidRequest(message) => {
            Error::new(ErrorKind::InvalidArgument, operation, message)
        }
        ProgenitorError::CommunicationError(e) | ProgenitorError::ResponseBodyError(e) => {
            transport(operation, e)
        }
        ProgenitorError::InvalidResponsePayload(body, e) => {
            let path = json_path(&body)
                .unwrap_or_else(|| format!("line {} column {}", e.line(), e.column()));
            Error::new(ErrorKind::Decode, operation, e.to_string())
                .with_json_path(path)
                .with_response(
                    last_response.as_ref().map_or(200, |(status, _)| *status),
                    last_response.and_then(|(_, id)| id),
                    body,
                )
                .with_source(e)
        }
        ProgenitorError::UnexpectedResponse(response) => from_response(operation, response).await,
        ProgenitorError::ErrorResponse(value) => Error::new(
            ErrorKind::Service,
            operation,
            format!("error status {}", value.status()),
        ),
        other => Error::new(ErrorKind::Transport, operation, other.to_string()),
    }
}

/// An error status (or an undocumented success status) with its body read.
pub async fn from_response(operation: &'static str, response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match response.bytes().await {
        Ok(body) if status >= 400 => Error::service(operation, status, request_id, body),
        Ok(body) if (300..400).contains(&status) => Error::new(
            ErrorKind::Service,
            operation,
            format!(
                "redirect {status} to {} not followed: the API does not redirect, and \
                 credentials go only to the host they were made for",
                location.as_deref().unwrap_or("(no Location)")
            ),
        )
        .with_response(status, request_id, body),
        Ok(body) => Error::new(
            ErrorKind::Decode,
            operation,
            format!("undocumented status {status}"),
        )
        .with_response(status, request_id, body),
        Err(e) => transport(operation, e),
    }
}

/// A transport failure: a timeout, or any other; or a failure of the
/// runtime that travelled as one (see `runtime::failure`).
pub(crate) fn transport(operation: &'static str, e: reqwest::Error) -> Error {
    if let Some(failure) = super::failure::find(&e) {
        return failure.to_error(operation);
    }
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    // reqwest's text names the stage it was in ("error decoding response
    // body"), which reads like a malformed body: say which limit passed.
    let limit = CALL.try_with(|c| c.time_limit.get()).ok().flatten();
    let message = match limit {
        _ if kind != ErrorKind::Timeout => e.to_string(),
        _ if e.is_connect() => format!("no connection within the connect timeout: {e}"),
        Some(TimeLimit::Deadline(total)) => {
            format!("the call's deadline passed (total timeout {total:?}) before a complete answer")
        }
        Some(TimeLimit::Attempt(limit)) => {
            format!("the attempt timeout ({limit:?}) passed before a complete answer")
        }
        None => e.to_string(),
    };
    Error::new(kind, operation, message).with_source(e)
}

/// The path of the first value in `body` that does not decode as `T`.
pub fn json_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => None,
        Err(e) => Some(e.path().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_is_a_transport_error_not_a_timeout() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let http = crate::tls::configure(reqwest::Client::builder())
            .no_proxy()
            .build()
            .unwrap();
        let e = http
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(e.is_connect() && !e.is_timeout(), "{e}");
        let error = transport("ShowJob", e);
        assert_eq!(error.kind(), ErrorKind::Transport);
        assert!(!error.message().contains("timeout"), "{}", error.message());
    }

    /// A listener whose accept queue is full drops further SYNs, so a
    /// connection to it stays in the connect stage until the timeout.
    #[tokio::test]
    async fn a_connect_stage_timeout_is_named_the_connect_timeout() {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(1).unwrap();
        let address = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        loop {
            let connect = tokio::net::TcpStream::connect(address);
            match tokio::time::timeout(std::time::Duration::from_millis(300), connect).await {
                Ok(stream) => queued.push(stream.unwrap()),
                Err(_) => break,
            }
            assert!(queued.len() < 64, "the accept queue never filled");
        }
        let http = crate::tls::configure(reqwest::Client::builder())
            .no_proxy()
            .connect_timeout(std::time::Duration::from_millis(100))
            .build()
            .unwrap();
        let e = http
            .get(format!("http://{address}/"))
            .send()
            .await
            .unwrap_err();
        assert!(e.is_connect() && e.is_timeout(), "{e}");
        let error = transport("ShowJob", e);
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert!(
            error
                .message()
                .starts_with("no connection within the connect timeout"),
            "{}",
            error.message()
        );
        drop(listener);
    }
}
