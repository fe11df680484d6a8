//! What the generator adds around progenitor's client, read from the model:
//! the `ClientHooks` implementation that routes every request through the
//! hand-written runtime (argument checks, signing, retries by the
//! operation's idempotency), `from_config`, `call()` on every operation
//! builder and `paginate()` on every paged one, and the service table.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Operation, Paging, Service};

/// Every extra item of one service's module.
pub fn generate(service: &Service) -> TokenStream {
    let calls = service.operations.iter().map(operation_call);
    let table = super::service_table::generate(service);
    quote! {
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
                crate::runtime::hooks::execute(&SERVICE, &self.client, &self.inner, request, info.operation_id).await
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

        #table
    }
}

/// `call()` on an operation builder (`send()` with the crate's error type),
/// and `paginate()` when the operation pages.
fn operation_call(op: &Operation) -> TokenStream {
    let name = &op.name;
    let builder = format_ident!("{}", name.to_pascal_case());
    let output = match &op.success.schema {
        Some(schema) => {
            let ty = format_ident!("{}", schema.to_pascal_case());
            quote! { types::#ty }
        }
        None => quote! { () },
    };
    let retries = if op.idempotent {
        "retried on throttling, server errors and connection failures"
    } else {
        "sent once: it is not idempotent, so it is never retried"
    };
    let doc = format!(
        "Sends `{name}` ({retries}) and returns the decoded response, or a \
         [`crate::Error`] carrying the status, error code, request id and raw body."
    );
    let paginate = match (&op.paging, &op.success.schema) {
        (Some(paging), Some(schema)) => paginate(op, paging, schema),
        _ => TokenStream::new(),
    };
    quote! {
        impl<'a> builder::#builder<'a> {
            #[doc = #doc]
            pub async fn call(self) -> ::std::result::Result<ResponseValue<#output>, crate::Error> {
                crate::runtime::call::run(#name, self.send()).await
            }
            #paginate
        }
    }
}

fn paginate(op: &Operation, paging: &Paging, schema: &str) -> TokenStream {
    use heck::ToSnakeCase;
    let name = &op.name;
    let output = format_ident!("{}", schema.to_pascal_case());
    let item = format_ident!("{}", paging.item_schema.to_pascal_case());
    let items = format_ident!("{}", paging.items.to_snake_case());
    let total = format_ident!("{}", paging.total.to_snake_case());
    let offset = format_ident!("{}", paging.offset.to_snake_case());
    let limit = format_ident!("{}", paging.limit.to_snake_case());
    let constant = super::service_table::paging_const(op);
    let doc = format!(
        "Walks every page: `{}`/`{}` advance by the items received, `{}` is the total. \
         Pages hold at most {} items by default.",
        paging.offset, paging.limit, paging.total, paging.max_page_size
    );
    quote! {
        #[doc = #doc]
        pub fn paginate(self) -> crate::runtime::paging::Paginator<'a, types::#output, types::#item> {
            crate::runtime::paging::Paginator::new(
                #name,
                #constant,
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
    }
}
