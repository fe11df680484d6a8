//! The one error type of the crate.
//!
//! Whatever went wrong (a refused argument, a transport failure, an error
//! status, a body that does not decode), the caller gets an [`Error`] that says
//! which operation failed, how many attempts were made, and, when the service
//! answered, the HTTP status, the error code and message, the `X-Request-Id`
//! and the raw body. `Display` is one line with all of that and is safe to log:
//! it never contains credentials.

use std::fmt;

use bytes::Bytes;

/// What kind of failure an [`Error`] is; match on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument broke a documented constraint; nothing was sent.
    InvalidArgument,
    /// The service answered with an error status.
    Service,
    /// A success response whose body does not decode.
    Decode,
    /// No answer in time.
    Timeout,
    /// The request could not be sent or the answer not read.
    Transport,
    /// The credentials provider had no credentials to sign the request
    /// with (nothing was sent); the error's `source()` is the
    /// [`crate::auth::CredentialsError`].
    Credentials,
    /// The response body is longer than
    /// [`Config::max_response_body`](crate::Config::max_response_body); the
    /// rest of it was not read.
    BodyTooLarge,
}

/// A failed call.
///
/// Boxed inside, so a `Result<T, Error>` stays small on the success path.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    operation: &'static str,
    attempts: u32,
    status: Option<u16>,
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    json_path: Option<String>,
    body: Option<Bytes>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self(Box::new(Inner {
            kind,
            operation,
            attempts: 0,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            json_path: None,
            body: None,
            source: None,
        }))
    }

    /// An error status answered by the service, with its body parsed.
    pub(crate) fn service(
        operation: &'static str,
        status: u16,
        request_id: Option<String>,
        body: Bytes,
    ) -> Self {
        let parsed = crate::error_body::parse(&body);
        let mut e = Self::new(ErrorKind::Service, operation, parsed.message);
        e.0.status = Some(status);
        e.0.code = parsed.code;
        e.0.request_id = request_id;
        e.0.body = Some(body);
        e
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_response(
        mut self,
        status: u16,
        request_id: Option<String>,
        body: Bytes,
    ) -> Self {
        self.0.status = Some(status);
        self.0.request_id = request_id;
        self.0.body = Some(body);
        self
    }

    pub(crate) fn with_status(mut self, status: u16, request_id: Option<String>) -> Self {
        self.0.status = Some(status);
        self.0.request_id = request_id;
        self
    }

    pub(crate) fn with_json_path(mut self, path: String) -> Self {
        self.0.json_path = Some(path);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The operationId of the failed call (`ListCenterTask`).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// How many requests were sent (0 when an argument was refused).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The service's error code (`error_code`, `errorCode` or `code`).
    pub fn error_code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The service's error message, or a description of the failure.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The `X-Request-Id` the gateway gave the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// For [`ErrorKind::Decode`]: the JSON path of the value that did not
    /// decode (`tasks[3].task_count`).
    pub fn json_path(&self) -> Option<&str> {
        self.0.json_path.as_deref()
    }

    /// The raw response body, when there was one.
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// Whether retrying the same call may succeed.
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Timeout | ErrorKind::Transport => true,
            ErrorKind::Service => self.0.status.is_some_and(retryable_status),
            ErrorKind::InvalidArgument
            | ErrorKind::Decode
            | ErrorKind::Credentials
            | ErrorKind::BodyTooLarge => false,
        }
    }
}

/// Whether a status is worth another attempt: throttling and the server
/// errors a gateway answers while a service restarts. One list, for the retry
/// loop and for [`Error::is_retryable`].
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0.kind {
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Service => "service error",
            ErrorKind::Decode => "response does not decode",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "transport error",
            ErrorKind::Credentials => "no credentials",
            ErrorKind::BodyTooLarge => "response body too large",
        };
        write!(f, "{}: {kind}", self.0.operation)?;
        if let Some(status) = self.0.status {
            write!(f, ", status {status}")?;
        }
        if let Some(code) = &self.0.code {
            write!(f, ", error_code {code}")?;
        }
        if let Some(path) = &self.0.json_path {
            write!(f, ", at {path}")?;
        }
        // One line whatever the body held: control characters and runs of
        // white space become one space.
        let message = self
            .0
            .message
            .split(|c: char| c.is_control() || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        write!(f, ": {message}")?;
        if let Some(id) = &self.0.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.0.attempts > 1 {
            write!(f, " after {} attempts", self.0.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("operation", &self.0.operation)
            .field("attempts", &self.0.attempts)
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("request_id", &self.0.request_id)
            .field("json_path", &self.0.json_path)
            .field("body_len", &self.0.body.as_ref().map(Bytes::len))
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
