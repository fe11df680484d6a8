use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative count the services send either as a JSON number or as a
/// string of digits (`task_count`: `2` and `"1"` both occur).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Count(pub u64);

impl Count {
    /// The count as an integer.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for Count {
    fn from(value: u64) -> Self {
        Count(value)
    }
}

impl From<Count> for u64 {
    fn from(value: Count) -> Self {
        value.0
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CountVisitor)
    }
}

struct CountVisitor;

const EXPECTED: &str = "a non-negative count as a number or a string of digits";

impl Visitor<'_> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
        Ok(Count(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
        u64::try_from(v)
            .map(Count)
            .map_err(|_| E::custom(format!("negative count {v}, expected {EXPECTED}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
        // `u64::MAX as f64` rounds up to 2^64, which does not fit: exclusive.
        if v.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&v) {
            Ok(Count(v as u64))
        } else {
            Err(E::custom(format!(
                "{v} is not a count, expected {EXPECTED}"
            )))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
        let digits = v.trim();
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            digits
                .parse()
                .map(Count)
                .map_err(|_| E::custom(format!("count {v:?} is too large")))
        } else {
            Err(E::custom(format!(
                "{v:?} is not a count, expected {EXPECTED}"
            )))
        }
    }
}
