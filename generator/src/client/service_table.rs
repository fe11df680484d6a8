//! The per-service table written beside the generated client: region table,
//! and for each operation its parameters' constraints and its paging.
//!
//! progenitor drops parameter constraints (and would turn some into
//! `NonZeroU32`-like types with opaque errors), so the constraints travel as
//! data and the runtime checks them before any request is sent.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::rules::extensions::{Endpoints, paging_of};
use crate::spec::walk::deref;
use crate::spec::walk::{OperationAt, operations};

/// Tokens for `pub static SERVICE: crate::runtime::Service`.
pub fn generate(module: &str, document: &Value, endpoints: &Endpoints) -> TokenStream {
    let title = document
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or(module);
    let Endpoints {
        sdk_service,
        pattern,
        default_region,
        regions,
        exceptions,
    } = endpoints;
    let exception_regions = exceptions.keys();
    let exception_urls = exceptions.values();
    let ops = operations(document).into_iter().map(|at| {
        let OperationAt {
            method, path, op, ..
        } = at;
        let name = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let id = name.to_snake_case();
        let params = op
            .get("parameters")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .map(|p| param(document, deref(document, p)))
                    .collect()
            })
            .unwrap_or_else(Vec::new);
        let paging = match paging_of(op).ok().flatten() {
            Some(p) => {
                let (offset, limit, items, total, first, max) = (
                    p.offset,
                    p.limit,
                    p.items,
                    p.total,
                    p.first_offset,
                    p.max_page_size,
                );
                quote! {
                    ::std::option::Option::Some(crate::runtime::Paging {
                        offset: #offset, limit: #limit, items: #items, total: #total,
                        first_offset: #first, max_page_size: #max,
                    })
                }
            }
            None => quote! { ::std::option::Option::None },
        };
        quote! {
            crate::runtime::Operation {
                id: #id,
                name: #name,
                method: #method,
                path: #path,
                params: &[#(#params),*],
                paging: #paging,
            }
        }
    });
    quote! {
        /// What the runtime needs to know about this service: its endpoints by
        /// region and, per operation, the parameter constraints checked before
        /// sending and how it pages.
        pub static SERVICE: crate::runtime::Service = crate::runtime::Service {
            module: #module,
            title: #title,
            sdk_service: #sdk_service,
            endpoints: crate::runtime::Endpoints {
                pattern: #pattern,
                default_region: #default_region,
                regions: &[#(#regions),*],
                exceptions: &[#((#exception_regions, #exception_urls)),*],
            },
            operations: &[#(#ops),*],
        };
    }
}

fn param(document: &Value, p: &Value) -> TokenStream {
    let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
    let location = match p.get("in").and_then(Value::as_str).unwrap_or_default() {
        "path" => quote! { crate::runtime::Location::Path },
        "header" => quote! { crate::runtime::Location::Header },
        _ => quote! { crate::runtime::Location::Query },
    };
    let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
    let schema = p
        .get("schema")
        .map(|s| deref(document, s))
        .unwrap_or(&Value::Null);
    let mut rules = Vec::new();
    let min = schema.get("minimum").and_then(Value::as_i64);
    let max = schema.get("maximum").and_then(Value::as_i64);
    if schema.get("type").and_then(Value::as_str) == Some("integer") {
        let min = option_tokens(min);
        let max = option_tokens(max);
        rules.push(quote! { crate::runtime::Rule::Integer { min: #min, max: #max } });
    }
    if let Some(n) = schema.get("minLength").and_then(Value::as_u64) {
        let n = n as usize;
        rules.push(quote! { crate::runtime::Rule::MinLength(#n) });
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        rules.push(quote! { crate::runtime::Rule::Pattern(#pattern) });
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values = values.iter().filter_map(Value::as_str);
        rules.push(quote! { crate::runtime::Rule::OneOf(&[#(#values),*]) });
    }
    quote! {
        crate::runtime::Param {
            name: #name,
            location: #location,
            required: #required,
            rules: &[#(#rules),*],
        }
    }
}

fn option_tokens(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}
