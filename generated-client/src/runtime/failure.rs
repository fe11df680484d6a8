//! Failures of the runtime itself (no credentials, a body over the limit)
//! that must pass through progenitor's `exec` hook, whose only error type is
//! `reqwest::Error`.
//!
//! `reqwest::Error` cannot be built outside `reqwest`, but reading a body
//! that fails gives one whose source is the body's error. So a [`Failure`]
//! travels as such an error, [`find`] gets it back from the source chain, and
//! `call::transport` turns it into the crate's own [`Error`] kind, with the
//! status and request id it carries. The retry loop never retries one.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;

use crate::auth::CredentialsError;
use crate::error::{Error, ErrorKind};

/// What went wrong, with what the caller needs to act on it.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum Failure {
    /// The credentials provider had none to give.
    #[error("{0}")]
    Credentials(CredentialsError),
    /// The response body is longer than `Config::max_response_body`.
    #[error(
        "the response body is larger than the limit of {limit} bytes{}; the rest was not read \
         (raise the limit with Config::max_response_body)",
        .content_length.map(|n| format!(" (Content-Length {n})")).unwrap_or_default()
    )]
    BodyTooLarge {
        limit: u64,
        status: u16,
        request_id: Option<String>,
        content_length: Option<u64>,
    },
}

impl Failure {
    /// The crate's error for this failure of `operation`.
    pub(crate) fn to_error(&self, operation: &'static str) -> Error {
        match self {
            Self::Credentials(e) => Error::new(ErrorKind::Credentials, operation, self.to_string())
                .with_source(e.clone()),
            Self::BodyTooLarge {
                status, request_id, ..
            } => Error::new(ErrorKind::BodyTooLarge, operation, self.to_string())
                .with_status(*status, request_id.clone()),
        }
    }

    /// The failure as a `reqwest::Error` (see the module documentation).
    pub(crate) async fn into_reqwest(self) -> reqwest::Error {
        let body = reqwest::Body::wrap(Failing(self));
        let mut response = reqwest::Response::from(http::Response::new(body));
        // The body fails on its first poll, and on every later one.
        loop {
            if let Err(e) = response.chunk().await {
                return e;
            }
        }
    }
}

/// The failure carried by `error`, if it is one.
pub(crate) fn find(error: &reqwest::Error) -> Option<&Failure> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(failure) = e.downcast_ref::<Failure>() {
            return Some(failure);
        }
        source = e.source();
    }
    None
}

/// A body whose every read fails with the failure.
struct Failing(Failure);

impl http_body::Body for Failing {
    type Data = Bytes;
    type Error = Failure;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Failure>>> {
        Poll::Ready(Some(Err(self.0.clone())))
    }
}
