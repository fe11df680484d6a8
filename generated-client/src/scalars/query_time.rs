//! Query-time arguments: callers pass a real date-time, the client formats it
//! the way each endpoint wants.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time argument sent as `yyyyMMddHHmmss` in UTC (DCS and RabbitMQ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompactTime(pub DateTime<Utc>);

/// A time argument sent as UNIX milliseconds in a string (openGauss).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpochMillis(pub DateTime<Utc>);

/// Text that is not a time argument.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a time (expected RFC 3339 such as 2020-06-09T16:00:00Z)")]
pub struct TimeArgError(String);

const COMPACT: &str = "%Y%m%d%H%M%S";

macro_rules! time_argument {
    ($ty:ident) => {
        impl From<DateTime<Utc>> for $ty {
            fn from(time: DateTime<Utc>) -> Self {
                $ty(time)
            }
        }

        impl From<DateTime<FixedOffset>> for $ty {
            fn from(time: DateTime<FixedOffset>) -> Self {
                $ty(time.with_timezone(&Utc))
            }
        }

        /// Parses RFC 3339 text (any offset; converted to UTC).
        impl TryFrom<&str> for $ty {
            type Error = TimeArgError;
            fn try_from(text: &str) -> Result<Self, TimeArgError> {
                DateTime::parse_from_rfc3339(text.trim())
                    .map(Self::from)
                    .map_err(|_| TimeArgError(text.to_string()))
            }
        }

        impl $ty {
            /// The time in UTC.
            pub fn to_utc(self) -> DateTime<Utc> {
                self.0
            }
        }
    };
}

time_argument!(CompactTime);
time_argument!(EpochMillis);

impl fmt::Display for CompactTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(COMPACT))
    }
}

impl fmt::Display for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.timestamp_millis())
    }
}

impl Serialize for CompactTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for EpochMillis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CompactTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        NaiveDateTime::parse_from_str(&text, COMPACT)
            .map(|t| CompactTime(Utc.from_utc_datetime(&t)))
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not yyyyMMddHHmmss")))
    }
}

impl<'de> Deserialize<'de> for EpochMillis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_millis)
            .map(EpochMillis)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not UNIX milliseconds")))
    }
}
