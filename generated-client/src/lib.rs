//! Typed, signed client for Huawei Cloud's task-listing APIs.
//!
//! One module per service, generated from the hand-written OpenAPI specs in
//! the repository's `spec/` directory:
//! - [`dcs`]: Distributed Cache Service task center (`ListCenterTask`) and an
//!   instance's background tasks (`ListBackgroundTask`);
//! - [`rabbitmq`]: DMS for RabbitMQ instance tasks (`ListBackgroundTasks`);
//! - [`opengauss`]: GaussDB (for openGauss) task center (`ListTasks`).
//!
//! Everything else is the hand-written runtime the generated code runs on:
//! credentials and signing ([`auth`]), configuration ([`Config`]), tolerant
//! value types ([`scalars`], open enums) and the request hooks ([`runtime`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use huaweicloud_tasks::{Config, dcs};
//! let client = dcs::Client::from_config(&Config::from_env()?.region("ap-southeast-1"))?;
//! let page = client
//!     .list_center_task()
//!     .project_id("a4d31cb63d724fdc8ec96e3a41e47f71")
//!     .limit(100)
//!     .send()
//!     .await?;
//! for task in page.tasks.iter().flatten() {
//!     println!("{:?} {:?}", task.name, task.status);
//! }
//! # Ok(()) }
//! ```

pub mod auth;
mod config;
mod error;
mod error_body;
pub mod open_enum;
pub mod runtime;
pub mod scalars;

pub use auth::Credentials;
pub use config::{Config, ConfigError};
pub use error::{Error, ErrorKind};
pub use runtime::fan_out::fan_out;
pub use runtime::paging::Paginator;
pub use runtime::retry::RetryPolicy;
pub use runtime::validate::ArgumentError;

// Generated modules: never edit these files; run `cargo xtask generate`.
#[allow(clippy::all, clippy::pedantic, unused_imports, missing_docs)]
#[rustfmt::skip]
#[path = "generated/dcs.rs"]
pub mod dcs;
#[allow(clippy::all, clippy::pedantic, unused_imports, missing_docs)]
#[rustfmt::skip]
#[path = "generated/opengauss.rs"]
pub mod opengauss;
#[allow(clippy::all, clippy::pedantic, unused_imports, missing_docs)]
#[rustfmt::skip]
#[path = "generated/rabbitmq.rs"]
pub mod rabbitmq;

/// The README's examples, compiled as doctests so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
