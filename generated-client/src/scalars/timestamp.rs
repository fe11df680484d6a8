use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as the services send it: `2020-06-17T07:38:42.503Z` (DCS,
/// RabbitMQ, RFC 3339) or `2022-08-05T08:15:07+0800` (openGauss, offset without
/// a colon, not RFC 3339). Both decode into a real date-time; the original text
/// stays available and is what gets serialized back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    time: DateTime<FixedOffset>,
    raw: String,
}

/// Text that is not a time stamp in a known shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a time stamp (expected RFC 3339 such as 2020-06-17T07:38:42.503Z, or 2022-08-05T08:15:07+0800)"
)]
pub struct TimestampError(String);

impl Timestamp {
    /// The date-time with the offset the service sent.
    pub fn as_datetime(&self) -> &DateTime<FixedOffset> {
        &self.time
    }

    /// The date-time in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.time.with_timezone(&Utc)
    }

    /// The text exactly as the service sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .map(|time| Timestamp {
                time,
                raw: s.to_string(),
            })
            .map_err(|_| TimestampError(s.to_string()))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Timestamp {
            raw: time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            time: time.fixed_offset(),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
