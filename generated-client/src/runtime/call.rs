//! Turning progenitor's result into the crate's [`Error`].
//!
//! The generator leaves error responses out of what progenitor sees, so every
//! error status arrives here unread, as `UnexpectedResponse`: its body can then
//! be kept raw and parsed in any of the shapes the services use. A success body
//! that fails to decode is decoded again with `serde_path_to_error` to name the
//! JSON path of the offending value.

use progenitor_client::{Error as ProgenitorError, ResponseValue};
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind};

/// Name of the response header carrying the gateway's request id.
pub const REQUEST_ID: &str = "x-request-id";

/// Maps the outcome of one generated `send()`.
pub async fn finish<T: DeserializeOwned>(
    operation: &'static str,
    result: Result<ResponseValue<T>, ProgenitorError<()>>,
) -> Result<ResponseValue<T>, Error> {
    match result {
        Ok(value) => Ok(value),
        Err(e) => Err(convert::<T>(operation, e).await),
    }
}

async fn convert<T: DeserializeOwned>(operation: &'static str, e: ProgenitorError<()>) -> Error {
    match e {
        ProgenitorError::InvalidRequest(message) => {
            Error::new(ErrorKind::InvalidArgument, operation, message)
        }
        ProgenitorError::CommunicationError(e) | ProgenitorError::ResponseBodyError(e) => {
            transport(operation, e).with_attempts(1)
        }
        ProgenitorError::InvalidResponsePayload(body, e) => {
            let path = json_path::<T>(&body)
                .unwrap_or_else(|| format!("line {} column {}", e.line(), e.column()));
            Error::new(ErrorKind::Decode, operation, e.to_string())
                .with_json_path(path)
                .with_response(200, None, body)
                .with_source(e)
                .with_attempts(1)
        }
        ProgenitorError::UnexpectedResponse(response) => from_response(operation, response).await,
        ProgenitorError::ErrorResponse(value) => Error::new(
            ErrorKind::Service,
            operation,
            format!("error status {}", value.status()),
        )
        .with_attempts(1),
        other => Error::new(ErrorKind::Transport, operation, other.to_string()).with_attempts(1),
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
    match response.bytes().await {
        Ok(body) if status >= 400 => {
            Error::service(operation, status, request_id, body).with_attempts(1)
        }
        Ok(body) => Error::new(
            ErrorKind::Decode,
            operation,
            format!("undocumented status {status}"),
        )
        .with_response(status, request_id, body)
        .with_attempts(1),
        Err(e) => transport(operation, e).with_attempts(1),
    }
}

fn transport(operation: &'static str, e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    Error::new(kind, operation, e.to_string()).with_source(e)
}

/// The path of the first value in `body` that does not decode as `T`.
pub fn json_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => None,
        Err(e) => Some(e.path().to_string()),
    }
}
