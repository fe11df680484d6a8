//! Open enums: known values as variants, anything else kept as sent.
//!
//! progenitor (through typify) makes closed enums, so one unexpected task name
//! would fail a whole page. For every `x-hwc-open-enum` component the generator
//! writes this type itself, in the same `types` module, in the style of the AWS
//! and Google Rust SDKs: a variant per known value plus `Unknown`.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Variant name for a wire value (`masterStandbySwapJob` → `MasterStandbySwapJob`,
/// `EXTEND` → `Extend`, `ha_rw_split` → `HaRwSplit`).
pub fn variant_name(value: &str) -> String {
    let lowered = if value.chars().any(|c| c.is_ascii_lowercase()) {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    };
    let name = lowered.to_pascal_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("V{name}")
    } else {
        name
    }
}

/// Checks that the values give distinct, usable variant names.
pub fn check_values(values: &[String]) -> Result<(), String> {
    let mut seen = std::collections::BTreeMap::new();
    for value in values {
        let name = variant_name(value);
        if name == "Unknown" {
            return Err(format!(
                "value `{value}` would clash with the Unknown variant"
            ));
        }
        if let Some(other) = seen.insert(name.clone(), value) {
            return Err(format!(
                "values `{other}` and `{value}` both become the variant `{name}`"
            ));
        }
    }
    Ok(())
}

/// The open enum type and its conversions.
pub fn generate(name: &str, description: &str, values: &[String]) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants: Vec<_> = values
        .iter()
        .map(|v| format_ident!("{}", variant_name(v)))
        .collect();
    let docs: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    let doc = format!(
        "{description}\n\nOpen list: a value this version does not know decodes into \
         [`{name}::Unknown`] and is sent back unchanged."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #( #[doc = #docs] #variants, )*
            /// A value this version of the client does not know, kept as sent.
            Unknown(crate::open_enum::UnknownValue),
        }

        impl #ident {
            /// The values this version knows, as sent on the wire.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(crate::open_enum::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::open_enum::deserialize(deserializer)
            }
        }
    }
}
