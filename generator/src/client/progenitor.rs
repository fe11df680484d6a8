//! Code generation: progenitor for operations and types, plus our extras.
//!
//! progenitor produces the `Client`, its builders and the `types` module from
//! the prepared document. Around it the generator adds, as ordinary items:
//! the open enums (inside `types`, where the replaced names point), the
//! `ClientHooks` implementation that routes every request through the
//! hand-written runtime (argument checks, signing, retries), a `from_config`
//! constructor, and the service table.

use proc_macro2::TokenStream;
use quote::quote;

use crate::client::transform::Prepared;
use crate::rules::extensions::Endpoints;

/// Generates the module for one service as a syntax tree.
pub fn generate(
    module: &str,
    checked: &serde_json::Value,
    prepared: &Prepared,
    endpoints: &Endpoints,
) -> Result<syn::File, String> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(prepared.document.clone()).map_err(|e| e.to_string())?;
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote! { crate::runtime::Context })
        .with_hooks(progenitor::HooksMode::Expected);
    for (name, path) in &prepared.replacements {
        settings.with_replacement(name, path, std::iter::empty());
    }
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("progenitor output: {e}"))?;

    let enums: Vec<TokenStream> = prepared
        .open_enums
        .iter()
        .map(|(name, (description, values))| {
            crate::client::open_enum::generate(name, description, values)
        })
        .collect();
    add_to_types_module(&mut file, quote! { #(#enums)* })?;

    let service = crate::client::service_table::generate(module, checked, endpoints);
    let calls = operation_calls(checked);
    let extras = quote! {
        impl ClientHooks<crate::runtime::Context> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                crate::runtime::hooks::prepare(&SERVICE, request, info.operation_id)
                    .map_err(|e| Error::InvalidRequest(e.to_string()))
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                crate::runtime::hooks::execute(&self.client, &self.inner, request, info.operation_id).await
            }
        }

        impl Client {
            /// Builds a client for this service from a [`crate::Config`]: the
            /// endpoint comes from its region (or explicit endpoint), requests are
            /// authenticated with its credentials.
            pub fn from_config(config: &crate::Config) -> ::std::result::Result<Self, crate::ConfigError> {
                let (baseurl, http, context) = config.build(&SERVICE)?;
                Ok(Self::new_with_client(&baseurl, http, context))
            }
        }

        #(#calls)*

        #service
    };
    let extras: syn::File = syn::parse2(extras).map_err(|e| format!("extras: {e}"))?;
    file.items.extend(extras.items);
    Ok(file)
}

fn add_to_types_module(file: &mut syn::File, items: TokenStream) -> Result<(), String> {
    let extra: syn::File = syn::parse2(items).map_err(|e| format!("open enums: {e}"))?;
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, content)) = &mut m.content
        {
            // Keep progenitor's nested modules (builder, error) last.
            let at = content
                .iter()
                .position(|i| matches!(i, syn::Item::Mod(_)))
                .unwrap_or(content.len());
            content.splice(at..at, extra.items);
            return Ok(());
        }
    }
    Err("progenitor output has no `types` module".into())
}

/// `call()` on each operation builder (`send()` with the crate's error type),
/// and `paginate()` on each operation with `x-hwc-paging`.
fn operation_calls(checked: &serde_json::Value) -> Vec<TokenStream> {
    use heck::ToPascalCase;
    crate::spec::walk::operations(checked)
        .into_iter()
        .filter_map(|crate::spec::walk::OperationAt { op, .. }| {
            let name = op.get("operationId")?.as_str()?;
            let success = crate::rules::success_schema_name(op)?;
            let builder = quote::format_ident!("{}", name.to_pascal_case());
            let output = quote::format_ident!("{}", success.to_pascal_case());
            let doc = format!(
                "Sends `{name}` (with retries) and returns the decoded response, or a \
                 [`crate::Error`] carrying the status, error code, request id and raw body."
            );
            let paginate = crate::rules::extensions::paging_of(op)
                .ok()
                .flatten()
                .and_then(|paging| paginate(checked, name, success, &paging))
                .unwrap_or_default();
            Some(quote! {
                impl<'a> builder::#builder<'a> {
                    #[doc = #doc]
                    pub async fn call(self) -> ::std::result::Result<ResponseValue<types::#output>, crate::Error> {
                        crate::runtime::call::run(#name, self.send()).await
                    }
                    #paginate
                }
            })
        })
        .collect()
}

fn paginate(
    checked: &serde_json::Value,
    operation: &str,
    success: &str,
    paging: &crate::rules::extensions::Paging,
) -> Option<TokenStream> {
    use heck::{ToPascalCase, ToSnakeCase};
    let schema = checked.pointer(&format!("/components/schemas/{success}"))?;
    let item = crate::rules::array_item_schema_name(schema, &paging.items)?;
    let output = quote::format_ident!("{}", success.to_pascal_case());
    let item = quote::format_ident!("{}", item.to_pascal_case());
    let items = quote::format_ident!("{}", paging.items.to_snake_case());
    let total = quote::format_ident!("{}", paging.total.to_snake_case());
    let offset = quote::format_ident!("{}", paging.offset.to_snake_case());
    let limit = quote::format_ident!("{}", paging.limit.to_snake_case());
    let (first, max) = (paging.first_offset, paging.max_page_size);
    let doc = format!(
        "Walks every page: `{}`/`{}` advance by the items received, `{}` is the total. \
         Pages hold at most {max} items by default.",
        paging.offset, paging.limit, paging.total
    );
    Some(quote! {
        #[doc = #doc]
        pub fn paginate(self) -> crate::runtime::paging::Paginator<'a, types::#output, types::#item> {
            crate::runtime::paging::Paginator::new(
                #operation,
                #first,
                #max,
                move |offset: u64, limit: u64| {
                    let request = self.clone().#offset(offset).#limit(limit);
                    async move { request.call().await.map(ResponseValue::into_inner) }
                },
                crate::runtime::paging::PageShape {
                    total: |page: &types::#output| page.#total.map(crate::scalars::Count::get),
                    count: |page: &types::#output| page.#items.as_ref().map_or(0, ::std::vec::Vec::len),
                    items: |page: types::#output| page.#items.unwrap_or_default(),
                },
            )
        }
    })
}
