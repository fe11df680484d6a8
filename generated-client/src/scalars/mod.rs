//! Tolerant scalar types the generated models use (see `x-hwc-scalar`).
//!
//! The reference pages document one JSON type and the services send another
//! (`"1"` and `2` for a count, `"0.125"` and `0.125` for a capacity, two time
//! stamp shapes). These types accept every shape seen, expose one Rust type,
//! and fail with a message naming what was expected when a value is garbage.

mod count;
mod decimal;
mod query_time;
mod timestamp;

pub use count::Count;
pub use decimal::Decimal;
pub use query_time::{CompactTime, EpochMillis};
pub use timestamp::Timestamp;
