//! Open enums: known values as variants, anything else kept as sent.
//!
//! progenitor (through typify) makes closed enums, so one unexpected task name
//! would fail a whole page. For every `x-hwc-open-enum` component the generator
//! declares this type itself, in the same `types` module, in the style of the
//! AWS and Google Rust SDKs: a variant per known value plus `Unknown`. The
//! type and its conversions are written by the runtime's
//! `crate::open_enum::declare!` macro; the generator only emits the invocation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::OpenList;

/// One invocation of the runtime's `open_enum::declare!` macro, which writes
/// the type and its conversions: the component's description as the doc, then
/// a variant per known value with its wire spelling.
pub fn generate(name: &str, list: &OpenList) -> TokenStream {
    let description = &list.description;
    let ident = format_ident!("{}", name);
    let names = list.variant_names();
    let variants = names.iter().map(|v| format_ident!("{}", v));
    if list.integer {
        // Values were read from integers, so they parse back.
        let values = list
            .values
            .iter()
            .map(|v| v.parse::<i64>().unwrap_or_default());
        return quote! {
            crate::open_enum::declare_integer! {
                #[doc = #description]
                pub enum #ident {
                    #( #variants = #values, )*
                }
            }
        };
    }
    let values = &list.values;
    quote! {
        crate::open_enum::declare! {
            #[doc = #description]
            pub enum #ident {
                #( #variants = #values, )*
            }
        }
    }
}
