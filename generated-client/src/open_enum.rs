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

/// A number an open list of integers does not know, kept as the service
/// sent it.
///
/// Like [`UnknownValue`], it cannot be built from outside the crate, so
/// `Unknown` never holds a number that has its own variant: convert with
/// `From<i64>` instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownNumber(i64);

impl UnknownNumber {
    #[allow(dead_code, reason = "called by generated open lists of integers")]
    pub(crate) fn new(value: i64) -> Self {
        Self(value)
    }

    /// The number as sent.
    pub fn value(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for UnknownNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Deserializes an open list of integers from a number, or from a string
/// holding one (some services quote their codes).
#[allow(dead_code, reason = "called by generated open lists of integers")]
pub(crate) fn deserialize_integer<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<i64>,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: From<i64>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer, or a string holding one")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
            Ok(T::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
            i64::try_from(v)
                .map(T::from)
                .map_err(|_| E::custom(format!("{v} is out of range")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            v.trim()
                .parse::<i64>()
                .map(T::from)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
        }
    }
    deserializer.deserialize_any(Visitor(std::marker::PhantomData))
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

/// Declares an open enum: a variant per known wire value, an `Unknown`
/// variant for anything else, and its conversions (`KNOWN`, `as_str`,
/// `is_unknown`, `From<&str>`, `From<String>`, `FromStr`, `Display`,
/// `Serialize`, `Deserialize`). Generated code invokes it once per
/// `x-hwc-open-enum` component:
///
/// ```text
/// crate::open_enum::declare! {
///     #[doc = "Task status."]
///     pub enum TaskStatus {
///         Success = "SUCCESS",
///         Failed = "FAILED",
///     }
/// }
/// ```
///
/// Each variant is documented with its wire value; the type's doc gets a
/// paragraph saying the list is open.
macro_rules! declare {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[doc = ""]
        #[doc = concat!(
            "Open list: a value this version does not know decodes into [`",
            stringify!($name),
            "::Unknown`] and is sent back unchanged."
        )]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", $value, "`")]
                $variant,
            )*
            /// A value this version of the client does not know, kept as sent.
            Unknown($crate::open_enum::UnknownValue),
        }

        impl $name {
            /// The values this version knows, as sent on the wire.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown($crate::open_enum::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::open_enum::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use declare;

/// Declares an open list of integers (status codes `0`, `1`, `2`...): a
/// variant per known number, an `Unknown` variant for any other, and its
/// conversions (`KNOWN`, `value`, `is_unknown`, `From<i64>`, `FromStr`,
/// `Display`, `Serialize`, `Deserialize`, which also takes a number written
/// as a string). Generated code invokes it once per open list of integers:
///
/// ```text
/// crate::open_enum::declare_integer! {
///     #[doc = "Job status code."]
///     pub enum StatusCode {
///         V0 = 0,
///         V1 = 1,
///     }
/// }
/// ```
#[allow(unused_macros, reason = "invoked by generated open lists of integers")]
macro_rules! declare_integer {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[doc = ""]
        #[doc = concat!(
            "Open list: a number this version does not know decodes into [`",
            stringify!($name),
            "::Unknown`] and is sent back unchanged."
        )]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", stringify!($value), "`")]
                $variant,
            )*
            /// A number this version of the client does not know, kept as sent.
            Unknown($crate::open_enum::UnknownNumber),
        }

        impl $name {
            /// The numbers this version knows.
            pub const KNOWN: &'static [i64] = &[$($value),*];

            /// The number as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.value(),
                }
            }

            /// Whether this is a number this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown($crate::open_enum::UnknownNumber::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.trim().parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::open_enum::deserialize_integer(deserializer)
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "invoked by generated modules with open lists of integers"
)]
pub(crate) use declare_integer;

#[cfg(test)]
mod tests {
    super::declare! {
        #[doc = "A test list."]
        pub enum Colour {
            Red = "RED",
            DarkBlue = "dark_blue",
        }
    }

    super::declare_integer! {
        #[doc = "A test list of codes."]
        pub enum Code {
            V0 = 0,
            V2 = 2,
        }
    }

    #[test]
    fn known_and_unknown_numbers_round_trip() {
        assert_eq!(Code::KNOWN, &[0, 2]);
        assert_eq!(Code::from(2), Code::V2);
        let other = Code::from(7);
        assert!(other.is_unknown() && !Code::V0.is_unknown());
        assert_eq!((other.value(), other.to_string()), (7, "7".to_string()));
        assert_eq!("2".parse::<Code>().ok(), Some(Code::V2));
        assert!("two".parse::<Code>().is_err());
        assert_eq!(serde_json::to_string(&Code::V2).ok().as_deref(), Some("2"));
        let decoded: Result<Vec<Code>, _> = serde_json::from_str(r#"[0, 7, "2"]"#);
        assert_eq!(decoded.ok(), Some(vec![Code::V0, other, Code::V2]));
        assert!(serde_json::from_str::<Code>(r#""x""#).is_err());
        assert!(serde_json::from_str::<Code>("18446744073709551615").is_err());
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        assert_eq!(Colour::KNOWN, &["RED", "dark_blue"]);
        assert_eq!(Colour::from("RED"), Colour::Red);
        assert_eq!(Colour::from(String::from("dark_blue")), Colour::DarkBlue);
        let other: Colour = "green".parse().unwrap_or(Colour::Red);
        assert!(other.is_unknown() && !Colour::Red.is_unknown());
        assert_eq!(other.as_str(), "green");
        assert_eq!(other.to_string(), "green");
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).ok().as_deref(),
            Some("\"dark_blue\"")
        );
        let decoded: Result<Vec<Colour>, _> = serde_json::from_str(r#"["RED","green"]"#);
        assert_eq!(decoded.ok(), Some(vec![Colour::Red, other]));
    }
}
