//! Typed, signed client for Huawei Cloud's task-listing APIs.
//!
//! One module per service, generated from the hand-written OpenAPI specs in
//! the repository's `spec/` directory; [`SERVICES`] lists every service's
//! table. The modules and their operations (builder methods):
//!
#![doc = include_str!("generated/services.md")]
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

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod config;
mod error;
mod error_body;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod open_enum;
pub mod runtime;
pub mod scalars;
pub mod tasks;
mod tls;

pub use auth::Credentials;
pub use config::{Config, ConfigError};
pub use error::{Error, ErrorKind};
pub use runtime::fan_out::fan_out;
pub use runtime::paging::Paginator;
pub use runtime::retry::RetryPolicy;
pub use runtime::validate::ArgumentError;

// The generated modules and their index: never edit these files; run
// `cargo xtask generate`. A new spec becomes a module here without a hand edit.
#[rustfmt::skip]
#[path = "generated/mod.rs"]
mod generated;
pub use generated::*;

/// The README's examples, compiled as doctests so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
