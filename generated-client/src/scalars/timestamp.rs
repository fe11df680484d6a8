use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as the services send it: `2020-06-17T07:38:42.503Z` (DCS,
/// RabbitMQ, RFC 3339), `2022-08-05T08:15:07+0800` (openGauss, offset without
/// a colon, not RFC 3339) or `2018-08-02 08:12:40.672772389 +0000 UTC` (CCE,
/// as Go prints a time). Each decodes into a real date-time; the original text
/// stays available and is what gets serialized back.
///
/// The published specs only promise a string, and services do send other
/// text (an empty string for a task still running is common), so decoding
/// never fails: text that is not a time keeps its raw form and reports no
/// time ([`Timestamp::to_utc`] is `None`) instead of failing the whole page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    time: Option<DateTime<FixedOffset>>,
    raw: String,
}

/// Text that is not a time stamp in a known shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a time stamp (expected RFC 3339 such as 2020-06-17T07:38:42.503Z, or 2022-08-05T08:15:07+0800)"
)]
pub struct TimestampError(String);

impl Timestamp {
    /// The date-time with the offset the service sent, if the text is one.
    pub fn as_datetime(&self) -> Option<&DateTime<FixedOffset>> {
        self.time.as_ref()
    }

    /// The date-time in UTC, if the text is one.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        self.time.map(|t| t.with_timezone(&Utc))
    }

    /// The text exactly as the service sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

impl Timestamp {
    /// Parses `raw`, keeping it as the original text.
    fn parse(raw: String) -> Result<Self, TimestampError> {
        match parse_time(&raw) {
            Some(time) => Ok(Timestamp {
                time: Some(time),
                raw,
            }),
            None => Err(TimestampError(raw)),
        }
    }

    /// Keeps any text; `to_utc` is `None` when it is not a time.
    fn tolerant(raw: String) -> Self {
        Timestamp {
            time: parse_time(&raw),
            raw,
        }
    }
}

/// Both shapes the services send, read by position (the common case, and
/// several times faster than chrono's format interpreter), with chrono's
/// RFC 3339 and `%z` parsers as the fallback for anything else, and the
/// shape Go prints a time in (`2018-08-02 08:12:40.672772389 +0000 UTC`,
/// CCE's jobs).
fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    fixed_layout(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .ok()
            .or_else(|| go_layout(text))
    })
}

/// `YYYY-MM-DD HH:MM:SS[.fraction] ±HHMM ZONE`, the zone's name after the
/// offset being only a label (the offset decides).
fn go_layout(text: &str) -> Option<DateTime<FixedOffset>> {
    let (time, zone) = text.rsplit_once(' ')?;
    if zone.is_empty() || !zone.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    DateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S%.f %z").ok()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`.
fn fixed_layout(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(digits(0, 4)? as i32, digits(5, 7)?, digits(8, 10)?)?;
    let mut at = 19;
    let mut nanos = 0u32;
    if b[at] == b'.' {
        let start = at + 1;
        at = start;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        let count = at - start;
        if count == 0 || count > 9 {
            return None;
        }
        nanos = digits(start, at)? * 10u32.pow((9 - count) as u32);
    }
    let time = date.and_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    let offset_seconds = match &b[at..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hours, minutes) = match rest {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    let two = |x: u8, y: u8| {
                        (x.is_ascii_digit() && y.is_ascii_digit())
                            .then(|| i32::from(x - b'0') * 10 + i32::from(y - b'0'))
                    };
                    (two(*h1, *h2)?, two(*m1, *m2)?)
                }
                _ => return None,
            };
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    FixedOffset::east_opt(offset_seconds)?
        .from_local_datetime(&time)
        .single()
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s.to_string())
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Timestamp {
            raw: time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            time: Some(time.fixed_offset()),
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
        // A visitor, so the text is parsed where it lies and copied once
        // (into `raw`), or not at all when the deserializer hands over a
        // `String`.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time stamp string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::tolerant(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Timestamp, E> {
                Ok(Timestamp::tolerant(v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fallback(text: &str) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .ok()
    }

    #[test]
    fn go_printed_times_decode() {
        let t: Timestamp = "2018-08-02 08:12:40.672772389 +0000 UTC".parse().unwrap();
        assert_eq!(
            t.to_utc().unwrap().to_rfc3339(),
            "2018-08-02T08:12:40.672772389+00:00"
        );
        let t: Timestamp = "2018-08-02 16:12:40 +0800 CST".parse().unwrap();
        assert_eq!(
            t.to_utc().unwrap().to_rfc3339(),
            "2018-08-02T08:12:40+00:00"
        );
        for bad in [
            "2018-08-02 08:12:40 +0000 utc",
            "2018-08-02 08:12:40 +0000 ",
            "2018-08-02 08:12:40 UTC",
            "04-Jun-2015 18:11:06:586",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_fixed_layout_reads_both_shapes_itself_and_agrees_with_chrono() {
        // Shapes the services send: the fast path must return the value
        // itself (not leave it to the fallback), equal to chrono's reading.
        for text in [
            "2020-06-17T07:38:42.503Z",
            "2020-06-17T07:38:42Z",
            "2022-08-05T08:15:07+0800",
            "2022-08-05T08:15:07+08:00",
            "2022-08-05T08:15:07-05:30",
            "2022-08-05T08:15:07.123456789-0130",
            "2024-02-29T23:59:59Z",
        ] {
            let fast = fixed_layout(text).unwrap_or_else(|| panic!("fast path refused {text}"));
            assert_eq!(Some(fast), fallback(text), "{text}");
        }
        // Not a valid time in that layout: the fast path refuses, and so does
        // chrono, so parsing fails rather than guessing.
        for text in [
            "2023-02-29T23:59:59Z",
            "2022-13-05T08:15:07Z",
            "2022-08-05T24:15:07Z",
            "2022-08-05T08:15:07.Z",
            "2022-08-05T08:15:07+8",
            "yesterday",
        ] {
            assert_eq!(fixed_layout(text), None, "{text}");
            assert_eq!(fallback(text), None, "{text}");
            assert_eq!(parse_time(text), None, "{text}");
        }
        // Another layout chrono reads: the fast path leaves it to the fallback.
        let other = "2022-08-05 08:15:07Z";
        assert_eq!(fixed_layout(other), None);
        assert_eq!(parse_time(other), fallback(other));
        assert!(parse_time(other).is_some());
    }

    #[test]
    fn both_shapes_keep_their_text() {
        let t: Timestamp = "2022-08-05T08:15:07+0800".parse().unwrap();
        assert_eq!(t.raw(), "2022-08-05T08:15:07+0800");
        assert_eq!(
            t.to_utc().map(|t| t.to_rfc3339()).as_deref(),
            Some("2022-08-05T00:15:07+00:00")
        );
        let t: Timestamp = serde_json::from_str("\"2020-06-17T07:38:42.503Z\"").unwrap();
        assert_eq!(
            t.to_utc().map(|t| t.timestamp_millis()),
            Some(1_592_379_522_503)
        );
    }

    #[test]
    fn other_text_decodes_with_no_time_and_is_sent_back_as_it_came() {
        for text in ["", "nope", "yesterday", "0000-00-00 00:00:00"] {
            let json = serde_json::to_string(text).unwrap();
            let t: Timestamp = serde_json::from_str(&json).expect("never fails");
            assert_eq!(t.raw(), text);
            assert_eq!(t.to_utc(), None, "{text:?}");
            assert_eq!(t.as_datetime(), None);
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
        }
        // Parsing text a caller wrote stays strict.
        assert!("nope".parse::<Timestamp>().is_err());
        assert!(
            serde_json::from_str::<Timestamp>("12").is_err(),
            "a number is not a time stamp"
        );
    }
}
