use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal the services send either as a string (`"0.125"`) or as a JSON
/// number (`0.125`), kept as its exact decimal text.
///
/// A string keeps its text as sent. A JSON number keeps its value exactly for
/// up to 15 significant digits, written as the shortest text that reads back as
/// the same number: `0.125` stays `0.125` (never `0.12499...`), while `12.50`
/// and `1.0`, the same numbers as `12.5` and `1`, are written that way (JSON
/// gives no meaning to a number's trailing zeros).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal(String);

/// A string that is not a decimal number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a decimal number")]
pub struct DecimalError(String);

impl Decimal {
    /// The exact decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as the nearest `f64` (may round; use [`Decimal::as_str`] for
    /// the exact value).
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

impl FromStr for Decimal {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        if is_decimal(text) {
            Ok(Decimal(text.to_string()))
        } else {
            Err(DecimalError(s.to_string()))
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a string holding one")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("{v} is not a decimal number")));
        }
        // `Display` for f64 writes the shortest text that reads back as `v`,
        // without an exponent.
        Ok(Decimal(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.parse().map_err(E::custom)
    }
}
