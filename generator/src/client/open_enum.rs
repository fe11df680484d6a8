//! Open enums: known values as variants, anything else kept as sent.
//!
//! progenitor (through typify) makes closed enums, so one unexpected task name
//! would fail a whole page. For every `x-hwc-open-enum` component the generator
//! writes this type itself, in the same `types` module, in the style of the AWS
//! and Google Rust SDKs: a variant per known value plus `Unknown`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::OpenList;

/// The open enum type and its conversions.
pub fn generate(name: &str, list: &OpenList) -> TokenStream {
    let (description, values) = (&list.description, &list.values);
    let ident = format_ident!("{}", name);
    let variants: Vec<_> = list
        .variant_names()
        .iter()
        .map(|v| format_ident!("{}", v))
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
