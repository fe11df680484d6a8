//! Support for the generated open enums (see `x-hwc-open-enum` in the spec).
//!
//! Each generated open enum has a variant per documented value and an
//! `Unknown` variant holding an [`UnknownValue`]; it decodes any string and
//! encodes back exactly what it decoded.

use std::fmt;

/// A value an open enum does not know, kept exactly as the service sent it.
///
/// It cannot be built from outside the crate, so `Unknown` never holds a value
/// that has its own variant: convert a string with `From<&str>` instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    pub(crate) fn new(value: &str) -> Self {
        Self(value.to_string())
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deserializes any open enum from a string without an intermediate allocation
/// when the input can be borrowed.
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visitor(std::marker::PhantomData))
}
