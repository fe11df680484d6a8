//! Calling an operation from the service table, with JSON in and out.
//!
//! The task view works across services whose typed clients differ, so it
//! calls operations by their table entry instead of through the typed
//! builders: the same argument checks (`hooks::prepare`), the same signing,
//! retries and deadlines (`hooks::execute`), the same error type, but the
//! success body stays a `serde_json::Value` read by the field names the spec
//! declares.

use serde_json::Value;

use super::call::{from_response, record_scope, transport};
use super::{Context, Location, Operation, Service, hooks};
use crate::error::{Error, ErrorKind};

/// A client for one service, from what [`crate::Config::build`] made for it.
#[derive(Clone, Debug)]
pub(crate) struct RawClient {
    pub(crate) service: &'static Service,
    baseurl: String,
    http: reqwest::Client,
    context: Context,
}

impl RawClient {
    /// A client for `service` at `baseurl`, with what
    /// [`crate::Config::build`] made for it.
    pub(crate) fn new(
        service: &'static Service,
        (baseurl, http, context): (String, reqwest::Client, Context),
    ) -> Self {
        Self {
            service,
            baseurl,
            http,
            context,
        }
    }

    /// The operation named by its builder name (`list_background_task`).
    pub(crate) fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.service.operation(id)
    }

    /// Sends `operation` with these parameter values (by name; path, query or
    /// header as the table says) and returns the JSON body (`Null` when
    /// there is none).
    pub(crate) async fn call(
        &self,
        operation: &'static Operation,
        args: &[(&str, String)],
    ) -> Result<Value, Error> {
        let mut request = self.request(operation, args)?;
        hooks::prepare(self.service, &mut request, operation.id)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, operation.name, e.to_string()))?;
        let send = hooks::execute(
            self.service,
            &self.http,
            &self.context,
            request,
            operation.id,
        );
        // Mapped inside the scope, where a timeout can tell which limit passed.
        let (result, attempts) =
            record_scope(async { send.await.map_err(|e| transport(operation.name, e)) }).await;
        let response = result.map_err(|e| e.with_attempts(attempts))?;
        if !response.status().is_success() {
            return Err(from_response(operation.name, response)
                .await
                .with_attempts(attempts));
        }
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get(super::call::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .bytes()
            .await
            .map_err(|e| transport(operation.name, e).with_attempts(attempts))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&body).map_err(|e| {
            Error::new(ErrorKind::Decode, operation.name, e.to_string())
                .with_json_path(format!("line {} column {}", e.line(), e.column()))
                .with_response(status, request_id, body.clone())
                .with_attempts(attempts)
        })
    }

    fn request(
        &self,
        operation: &'static Operation,
        args: &[(&str, String)],
    ) -> Result<reqwest::Request, Error> {
        let arg = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        let mut path = operation.path.to_string();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for param in operation.params {
            let Some(value) = arg(param.name) else {
                if param.required {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        operation.name,
                        format!("parameter `{}` is required", param.name),
                    ));
                }
                continue;
            };
            match param.location {
                Location::Path => {
                    let encoded =
                        percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string();
                    path = path.replace(&format!("{{{}}}", param.name), &encoded);
                }
                Location::Query => query.push((param.name, value.clone())),
                Location::Header => headers.push((param.name, value.clone())),
            }
        }
        let url = format!("{}{}", self.baseurl.trim_end_matches('/'), path);
        let mut url = url::Url::parse(&url)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, operation.name, e.to_string()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let method = reqwest::Method::from_bytes(operation.method.as_bytes())
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, operation.name, e.to_string()))?;
        let mut request = reqwest::Request::new(method, url);
        request.headers_mut().insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        for (name, value) in headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes());
            let value = reqwest::header::HeaderValue::from_str(&value);
            if let (Ok(name), Ok(value)) = (name, value) {
                request.headers_mut().insert(name, value);
            }
        }
        Ok(request)
    }
}

/// Everything but the unreserved characters is escaped in a path segment.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Reads a field of a JSON object by a dotted name
/// (`instance_info.instance_id`; a number picks an array item, `tasks.0`).
pub(crate) fn field<'v>(value: &'v Value, dotted: &str) -> Option<&'v Value> {
    if dotted.is_empty() {
        return Some(value);
    }
    dotted
        .split('.')
        .try_fold(value, |v, name| match (v, name.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => items.get(i),
            _ => v.get(name),
        })
        .filter(|v| !v.is_null())
}
