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
//! Credentials come from the same places as in the official SDKs, in the same
//! order ([`CredentialsChain::default_chain`]): explicit values, the
//! environment ([`Credentials::from_env`], [`EnvironmentProvider`]), the
//! profile file ([`profile`]) and the ECS/BMS metadata service
//! ([`metadata`], temporary credentials). A client asks its
//! [`ProvideCredentials`] before each request and caches the answer until
//! shortly before it expires, so the signer always gets current secrets.
//! Secrets are held as [`SecretString`]s, which never print their value, so
//! credentials can be logged and debugged safely; read one with
//! [`ExposeSecret::expose_secret`].

pub(crate) mod cache;
pub mod chain;
pub mod credentials;
mod ini;
pub mod metadata;
pub mod profile;
pub mod provider;
pub mod signer;

pub use chain::CredentialsChain;
pub use credentials::{AccessKeyCredentials, Credentials, CredentialsError, IamTokenCredentials};
pub use metadata::MetadataProvider;
pub use profile::ProfileFileProvider;
pub use provider::{EnvironmentProvider, ProvideCredentials, ProvideFuture};
pub use secrecy::{ExposeSecret, SecretString};
pub use signer::{SignError, SignedParts, sign_parts, sign_request};
