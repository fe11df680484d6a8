//! The client code: from the model of a service to the generated Rust module.
//!
//! [`transform`] rewrites the document into what progenitor should see,
//! [`progenitor`] runs it and adds our extras ([`open_enum`],
//! [`service_table`]), [`format`] renders the file with its header, and
//! [`surface`] lists the public API for review.

pub mod format;
pub mod open_enum;
pub mod progenitor;
pub mod service_table;
pub mod surface;
pub mod transform;
