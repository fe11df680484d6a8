//! Open enums: known values as variants, anything else kept as sent.
//!
//! progenitor (through typify) makes closed enums, so one unexpected task name
//! would fail a whole page. For every `x-hwc-open-enum` component the generator
//! declares this type itself, in the same `types` module, in the style of the
//! AWS and Google Rust SDKs: a variant per known value plus `Unknown`. The
//! type and its conversions are written by the runtime's
//! `crate::open_enum::declare!` macro; the generator only emits the invocation.

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

/// One invocation of the runtime's `open_enum::declare!` macro, which writes
/// the type and its conversions: the component's description as the doc, then
/// a variant per known value with its wire spelling.
pub fn generate(name: &str, description: &str, values: &[String]) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants = values.iter().map(|v| format_ident!("{}", variant_name(v)));
    quote! {
        crate::open_enum::declare! {
            #[doc = #description]
            pub enum #ident {
                #( #variants = #values, )*
            }
        }
    }
}
