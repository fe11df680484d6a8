//! Authentication for Huawei Cloud API requests.
//!
//! Huawei Cloud accepts two schemes, both handled here so the rest of the
//! client only calls [`sign_request`] on each outgoing request:
//!
//! * **AK/SK signing** (`SDK-HMAC-SHA256`): an HMAC over a canonical form of
//!   the request. It must agree byte for byte with what the API gateway
//!   recomputes, so the algorithm follows the official SDKs exactly and is
//!   checked against vectors produced by the official Python signer
//!   (`tests/data/signing/vectors.json`).
//! * **IAM token**: a token from IAM sent in `X-Auth-Token`, no signature.
//!
//! [`Credentials::from_env`] reads the same environment variables as the
//! official SDKs. Secrets are held as [`SecretString`]s, which never print
//! their value, so credentials can be logged and debugged safely; read one
//! with [`ExposeSecret::expose_secret`].

pub mod credentials;
pub mod signer;

pub use credentials::{AccessKeyCredentials, Credentials, CredentialsError, IamTokenCredentials};
pub use secrecy::{ExposeSecret, SecretString};
pub use signer::{SignError, SignedParts, sign_parts, sign_request};
