//! The per-service table written beside the generated client: the region
//! table and, for each operation, its method, path, idempotency, parameters
//! with their constraints, and paging.
//!
//! progenitor drops parameter constraints (and would turn some into
//! `NonZeroU32`-like types with opaque errors), so the constraints travel as
//! data and the runtime checks them before any request is sent. Paging
//! numbers live here once, as a constant `paginate()` reads too.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Endpoints, Location, NextMarker, Operation, PagingStyle, Param, Rule, Service};

/// Tokens for the paging constants and `pub static SERVICE: crate::runtime::Service`.
pub fn generate(service: &Service) -> TokenStream {
    let module = &service.module;
    let title = &service.title;
    let Endpoints {
        sdk_service,
        pattern,
        default_region,
        regions,
        exceptions,
    } = &service.endpoints;
    let exception_regions = exceptions.keys();
    let exception_urls = exceptions.values();
    let constants = service.operations.iter().filter_map(|op| {
        let paging = op.paging.as_ref()?;
        let constant = paging_const(op);
        let style = paging_style(&paging.style);
        let (limit, items, max) = (&paging.limit, &paging.items, paging.max_page_size);
        let total = match &paging.total {
            Some(total) => {
                let dotted = total.path.dotted();
                quote! { ::std::option::Option::Some(#dotted) }
            }
            None => quote! { ::std::option::Option::None },
        };
        let doc = format!("How `{}` pages.", op.name);
        Some(quote! {
            #[doc = #doc]
            const #constant: crate::runtime::Paging = crate::runtime::Paging {
                style: #style,
                limit: #limit, items: #items, total: #total,
                max_page_size: #max,
            };
        })
    });
    let ops = service.operations.iter().map(operation);
    let background = task_view(service, service.task_view.as_ref(), quote! { Background });
    let scheduled = task_view(
        service,
        service.scheduled_view.as_ref(),
        quote! { Scheduled },
    );
    quote! {
        #(#constants)*

        /// What the runtime needs to know about this service: its endpoints by
        /// region and, per operation, the parameter constraints checked before
        /// sending, whether it may be retried, and how it pages.
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
            task_view: #background,
            scheduled_view: #scheduled,
        };
    }
}

/// A task view (of background or of scheduled tasks) as runtime data;
/// operations by their builder names.
fn task_view(
    service: &Service,
    view: Option<&crate::model::extensions::TaskView>,
    kind: TokenStream,
) -> TokenStream {
    let Some(view) = view else {
        return quote! { ::std::option::Option::None };
    };
    let op = |name: &Option<String>| -> TokenStream {
        let id = name.as_ref().and_then(|n| {
            service
                .operations
                .iter()
                .find(|o| o.name == *n)
                .map(|o| o.fn_name.clone())
        });
        match id {
            Some(id) => quote! { ::std::option::Option::Some(#id) },
            None => quote! { ::std::option::Option::None },
        }
    };
    let field = |name: &Option<String>| -> TokenStream {
        match name {
            Some(n) => quote! { ::std::option::Option::Some(#n) },
            None => quote! { ::std::option::Option::None },
        }
    };
    let (list_project, list_instance, show, delete, progress, job) = (
        op(&view.list_project),
        op(&view.list_instance),
        op(&view.show),
        op(&view.delete),
        op(&view.progress),
        op(&view.job),
    );
    let show_item = &view.show_item;
    let window = match &view.window {
        Some(w) => {
            let (since, until) = (&w.since, &w.until);
            let format = match w.format {
                crate::model::extensions::WindowFormat::Compact => quote! { Compact },
                crate::model::extensions::WindowFormat::EpochMillis => quote! { EpochMillis },
                crate::model::extensions::WindowFormat::OffsetSeconds => quote! { OffsetSeconds },
            };
            quote! {
                ::std::option::Option::Some(crate::runtime::TaskWindow {
                    since: #since,
                    until: #until,
                    format: crate::runtime::WindowFormat::#format,
                })
            }
        }
        None => quote! { ::std::option::Option::None },
    };
    let progress_percent = field(&view.progress_percent);
    let job_item = &view.job_item;
    let f = &view.fields;
    let id = &f.id;
    let status = &f.status;
    let scheduled_at = field(&f.scheduled_at);
    let (name, created_at, updated_at, user_name, error, job_id, instance_id, progress_field) = (
        field(&f.name),
        field(&f.created_at),
        field(&f.updated_at),
        field(&f.user_name),
        field(&f.error),
        field(&f.job_id),
        field(&f.instance_id),
        field(&f.progress),
    );
    let (reason, entities, children) = (field(&f.reason), field(&f.entities), field(&f.children));
    let s = &view.statuses;
    let classes = [
        (&s.pending, quote! { Pending }),
        (&s.running, quote! { Running }),
        (&s.succeeded, quote! { Succeeded }),
        (&s.failed, quote! { Failed }),
        (&s.cancelled, quote! { Cancelled }),
    ];
    let statuses = classes.iter().flat_map(|(values, class)| {
        values
            .iter()
            .map(move |v| quote! { (#v, crate::runtime::TaskStatus::#class) })
    });
    quote! {
        ::std::option::Option::Some(crate::runtime::TaskView {
            kind: crate::runtime::TaskKind::#kind,
            list_project: #list_project,
            list_instance: #list_instance,
            show: #show,
            show_item: #show_item,
            delete: #delete,
            progress: #progress,
            progress_percent: #progress_percent,
            job: #job,
            job_item: #job_item,
            window: #window,
            fields: crate::runtime::TaskFields {
                id: #id,
                name: #name,
                status: #status,
                created_at: #created_at,
                updated_at: #updated_at,
                scheduled_at: #scheduled_at,
                user_name: #user_name,
                error: #error,
                job_id: #job_id,
                instance_id: #instance_id,
                progress: #progress_field,
                reason: #reason,
                entities: #entities,
                children: #children,
            },
            statuses: &[#(#statuses),*],
        })
    }
}

fn paging_style(style: &PagingStyle) -> TokenStream {
    match style {
        PagingStyle::Offset { param, first } => {
            quote! { crate::runtime::PageStyle::Offset { param: #param, first: #first } }
        }
        PagingStyle::PageNumber { param, first } => {
            quote! { crate::runtime::PageStyle::PageNumber { param: #param, first: #first } }
        }
        PagingStyle::Marker { param, next } => {
            let next = match next {
                NextMarker::Field(path) => {
                    let dotted = path.dotted();
                    quote! { crate::runtime::NextMarker::Field(#dotted) }
                }
                NextMarker::LastItem(field) => {
                    quote! { crate::runtime::NextMarker::LastItem(#field) }
                }
            };
            quote! { crate::runtime::PageStyle::Marker { param: #param, next: #next } }
        }
    }
}

/// Name of the paging constant of an operation (`LIST_CENTER_TASK_PAGING`).
pub fn paging_const(op: &Operation) -> Ident {
    format_ident!("{}_PAGING", op.fn_name.to_shouty_snake_case())
}

fn operation(op: &Operation) -> TokenStream {
    let (id, name, path, idempotent) = (&op.fn_name, &op.name, &op.path, op.idempotent);
    let method = op.method.as_str();
    let params = op.params.iter().map(param);
    let paging = match &op.paging {
        Some(_) => {
            let constant = paging_const(op);
            quote! { ::std::option::Option::Some(#constant) }
        }
        None => quote! { ::std::option::Option::None },
    };
    quote! {
        crate::runtime::Operation {
            id: #id,
            name: #name,
            method: #method,
            path: #path,
            idempotent: #idempotent,
            params: &[#(#params),*],
            paging: #paging,
        }
    }
}

fn param(p: &Param) -> TokenStream {
    let name = &p.name;
    let location = match p.location {
        Location::Path => quote! { crate::runtime::Location::Path },
        Location::Header => quote! { crate::runtime::Location::Header },
        Location::Query => quote! { crate::runtime::Location::Query },
    };
    let required = p.required;
    let rules = p.rules.iter().filter_map(rule);
    quote! {
        crate::runtime::Param {
            name: #name,
            location: #location,
            required: #required,
            rules: &[#(#rules),*],
        }
    }
}

fn rule(rule: &Rule) -> Option<TokenStream> {
    Some(match rule {
        Rule::Integer { min, max } => {
            let (min, max) = (option_tokens(*min), option_tokens(*max));
            quote! { crate::runtime::Rule::Integer { min: #min, max: #max } }
        }
        Rule::MinLength(n) => {
            let n = usize::try_from(*n).ok()?;
            quote! { crate::runtime::Rule::MinLength(#n) }
        }
        Rule::MaxLength(n) => {
            let n = usize::try_from(*n).ok()?;
            quote! { crate::runtime::Rule::MaxLength(#n) }
        }
        Rule::Pattern(pattern) => quote! { crate::runtime::Rule::Pattern(#pattern) },
        Rule::OneOf(values) => quote! { crate::runtime::Rule::OneOf(&[#(#values),*]) },
    })
}

fn option_tokens(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}
