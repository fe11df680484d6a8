//! What the generator adds around progenitor's client, read from the model:
//! the `ClientHooks` implementation that routes every request through the
//! hand-written runtime (argument checks, signing, retries by the
//! operation's idempotency), `from_config`, `call()` on every operation
//! builder and `paginate()` on every paged one, and the service table.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_types::Types;
use crate::error::{SpecError, pointer_join};
use crate::model::{NextMarker, Operation, Paging, PagingStyle, Service};

/// Every extra item of one service's module. `types` is progenitor's
/// `types` module, read for the fields `paginate()` reads.
pub fn generate(service: &Service, types: &Types<'_>) -> Result<TokenStream, SpecError> {
    let calls = service
        .operations
        .iter()
        .map(|op| operation_call(service, op, types))
        .collect::<Result<Vec<_>, _>>()?;
    let table = super::service_table::generate(service);
    Ok(quote! {
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
    })
}

/// `call()` on an operation builder (`send()` with the crate's error type),
/// and `paginate()` when the operation pages.
fn operation_call(
    service: &Service,
    op: &Operation,
    types: &Types<'_>,
) -> Result<TokenStream, SpecError> {
    let name = &op.name;
    let builder = format_ident!("{}", name.to_pascal_case());
    let (output, run) = match &op.success.schema {
        Some(schema) if op.success.body_optional => {
            let ty = format_ident!("{}", schema.to_pascal_case());
            (
                quote! { ::std::option::Option<types::#ty> },
                quote! { run_optional },
            )
        }
        Some(schema) => {
            let ty = format_ident!("{}", schema.to_pascal_case());
            (quote! { types::#ty }, quote! { run })
        }
        None => (quote! { () }, quote! { run }),
    };
    let retries = if op.idempotent {
        "retried on throttling, server errors and connection failures"
    } else {
        "sent once: it is not idempotent, so it is never retried"
    };
    let returns = if op.success.body_optional {
        "the decoded response (`None` for a status that answers no body)"
    } else {
        "the decoded response"
    };
    let doc = format!(
        "Sends `{name}` ({retries}) and returns {returns}, or a \
         [`crate::Error`] carrying the status, error code, request id and raw body."
    );
    let paginate = match (&op.paging, &op.success.schema) {
        (Some(paging), Some(schema)) => paginate(op, paging, schema, types).map_err(|message| {
            SpecError::new(
                &service.file,
                pointer_join(&op.pointer, "x-hwc-paging"),
                format!("paginate() cannot be generated: {message}"),
            )
        })?,
        _ => TokenStream::new(),
    };
    Ok(quote! {
        impl<'a> builder::#builder<'a> {
            #[doc = #doc]
            pub async fn call(self) -> ::std::result::Result<ResponseValue<#output>, crate::Error> {
                crate::runtime::call::#run(#name, self.send()).await
            }
            #paginate
        }
    })
}

fn paginate(
    op: &Operation,
    paging: &Paging,
    schema: &str,
    types: &Types<'_>,
) -> Result<TokenStream, String> {
    let name = &op.name;
    let page_type = schema.to_pascal_case();
    let output = format_ident!("{}", page_type);
    let items = types.field(&page_type, &paging.items)?;
    let element = items.element.as_deref().ok_or_else(|| {
        format!(
            "`{page_type}.{}` is not a list of a generated type",
            paging.items
        )
    })?;
    let item = format_ident!("{}", element);
    let items = items.ident;
    let constant = super::service_table::paging_const(op);
    let argument = |param: &str, value: TokenStream| -> Result<TokenStream, String> {
        let p = op
            .params
            .iter()
            .find(|p| p.name == param)
            .ok_or_else(|| format!("no parameter `{param}`"))?;
        let setter = format_ident!("{}", crate::model::names::rust_name(param));
        Ok(match p.json_type.as_str() {
            "string" => quote! { .#setter(#value.to_string()) },
            _ => quote! { .#setter(#value) },
        })
    };
    let limit = argument(&paging.limit, quote! { limit })?;
    let request = match &paging.style {
        PagingStyle::Offset { param, .. } | PagingStyle::PageNumber { param, .. } => {
            let position = argument(param, quote! { position.number() })?;
            quote! { let request = self.clone() #limit #position; }
        }
        PagingStyle::Marker { param, .. } => {
            let marker = argument(param, quote! { marker })?;
            quote! {
                let request = self.clone() #limit;
                let request = match position.marker() {
                    ::std::option::Option::Some(marker) => request #marker,
                    ::std::option::Option::None => request,
                };
            }
        }
    };
    let total = match &paging.total {
        Some(total) => {
            let read = types.read_path(&page_type, &total.path.0, quote! { page }, &|v| {
                quote! { crate::runtime::paging::TotalField::total(#v) }
            })?;
            quote! { |page: &types::#output| #read }
        }
        None => quote! { |_: &types::#output| ::std::option::Option::None },
    };
    let next_marker = match &paging.style {
        PagingStyle::Marker {
            next: NextMarker::Field(path),
            ..
        } => {
            let read = types.read_path(&page_type, &path.0, quote! { page }, &|v| {
                quote! { crate::runtime::paging::MarkerField::marker(#v) }
            })?;
            quote! { |page: &types::#output| #read }
        }
        PagingStyle::Marker {
            next: NextMarker::LastItem(field),
            ..
        } => {
            let read = types.read_path(
                element,
                std::slice::from_ref(field),
                quote! { item },
                &|v| {
                    quote! { crate::runtime::paging::MarkerField::marker(#v) }
                },
            )?;
            quote! {
                |page: &types::#output| crate::runtime::paging::ItemsField::last(&page.#items)
                    .and_then(|item| #read)
            }
        }
        _ => quote! { |_: &types::#output| ::std::option::Option::None },
    };
    let doc = format!(
        "Walks every page ({}). Pages hold at most {} items by default.",
        walk_phrase(paging),
        paging.max_page_size
    );
    Ok(quote! {
        #[doc = #doc]
        pub fn paginate(self) -> crate::runtime::paging::Paginator<'a, types::#output, types::#item> {
            crate::runtime::paging::Paginator::new(
                #name,
                #constant,
                move |position: crate::runtime::paging::Position, limit: u64| {
                    #request
                    async move { request.call().await.map(ResponseValue::into_inner) }
                },
                crate::runtime::paging::PageShape {
                    total: #total,
                    count: |page: &types::#output| crate::runtime::paging::ItemsField::count(&page.#items),
                    next_marker: #next_marker,
                    items: |page: types::#output| crate::runtime::paging::ItemsField::into_items(page.#items),
                },
            )
        }
    })
}

/// How `paginate()`'s doc describes the walk.
fn walk_phrase(paging: &Paging) -> String {
    let total = match &paging.total {
        Some(total) => format!("`{}` is the total", total.path.dotted()),
        None => "a short page is the last".to_string(),
    };
    match &paging.style {
        PagingStyle::Offset { param, .. } => format!(
            "`{param}`/`{}` advance by the items received, {total}",
            paging.limit
        ),
        PagingStyle::PageNumber { param, .. } => {
            format!(
                "`{param}` advances by one page of `{}`, {total}",
                paging.limit
            )
        }
        PagingStyle::Marker { param, next } => {
            let from = match next {
                NextMarker::Field(path) => format!("`{}`", path.dotted()),
                NextMarker::LastItem(field) => format!("the last item's `{field}`"),
            };
            format!("`{param}` is set to {from} until there is none")
        }
    }
}
