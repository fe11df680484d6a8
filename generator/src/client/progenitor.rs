//! Running progenitor on the prepared document and adding our items.
//!
//! progenitor produces the `Client`, its builders and the `types` module. The
//! open enums go inside `types` (where the replaced names point); the rest of
//! [`super::extras`] and the service table go beside them. Nothing here
//! patches progenitor's output text: it is configured through its settings
//! (builder interface, inner type, hooks, type replacements), and one item is
//! pruned from the tree: the struct builders (`types::builder`) that the
//! builder interface turns on in typify, in a service where no operation
//! takes a body (a body is built through them): every type has public fields
//! (and `Default` where no field is required), so a struct literal builds
//! any value; and they were some 40% of the generated lines, compiled by
//! every consumer.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::Types;
use super::transform::Prepared;
use crate::error::SpecError;
use crate::model::Service;

/// Why a module could not be generated.
#[derive(Debug)]
pub enum Failure {
    /// A place in the spec the generated code cannot express.
    Spec(SpecError),
    /// progenitor (or our items around it) failed.
    Tool(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Tool(message)
    }
}

/// Generates the module for one service as a syntax tree.
pub fn generate(service: &Service, prepared: &Prepared) -> Result<syn::File, Failure> {
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
    // progenitor asserts on some shapes rather than returning an error; the
    // model refuses the shapes known to do so, and anything else it panics
    // on is reported, never a crash of the generator.
    let generated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&spec)
    }));
    let tokens = match generated {
        Ok(result) => result.map_err(|e| format!("progenitor: {e}"))?,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            return Err(Failure::Tool(format!(
                "progenitor cannot generate this document: {message}"
            )));
        }
    };
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("progenitor output: {e}"))?;

    let enums: Vec<TokenStream> = service
        .open_enums
        .iter()
        .chain(service.implicit_enums.values().map(|e| (&e.name, &e.list)))
        .map(|(name, list)| super::open_enum::generate(name, list))
        .collect();
    add_to_types_module(&mut file, quote! { #(#enums)* })?;
    mark_non_exhaustive(types_module(&mut file)?);
    // Request bodies are built through progenitor's struct builders.
    if service
        .operations
        .iter()
        .all(|op| op.request_body.is_none())
    {
        drop_struct_builders(&mut file)?;
    }

    let extras = super::extras::generate(service, &Types::new(types_module(&mut file)?))
        .map_err(Failure::Spec)?;
    let extras: syn::File = syn::parse2(extras).map_err(|e| format!("extras: {e}"))?;
    file.items.extend(extras.items);
    Ok(file)
}

/// The items of progenitor's `types` module.
fn types_module(file: &mut syn::File) -> Result<&mut Vec<syn::Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "progenitor output has no `types` module".into())
}

fn add_to_types_module(file: &mut syn::File, items: TokenStream) -> Result<(), String> {
    let extra: syn::File = syn::parse2(items).map_err(|e| format!("open enums: {e}"))?;
    let content = types_module(file)?;
    // Keep progenitor's nested modules (builder, error) last.
    let at = content
        .iter()
        .position(|i| matches!(i, syn::Item::Mod(_)))
        .unwrap_or(content.len());
    content.splice(at..at, extra.items);
    Ok(())
}

/// Marks every struct with named fields `#[non_exhaustive]`, as the open
/// enums already are. A field added to a schema is a compatible spec change
/// (`cargo xtask diff`); without the attribute it would break every caller
/// that builds the struct with a literal, and cargo-semver-checks would
/// rightly call it a major change of the crate. Callers build such a value
/// with its builder (`types::X::builder()`, which an operation's `body`
/// takes as it is), or from `Default` where the struct has one.
fn mark_non_exhaustive(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Struct(s) = item
            && matches!(s.fields, syn::Fields::Named(_))
            && matches!(s.vis, syn::Visibility::Public(_))
            && !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
        {
            s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
}

/// Removes `types::builder` and the `fn builder()` constructors that point
/// into it.
fn drop_struct_builders(file: &mut syn::File) -> Result<(), String> {
    types_module(file)?.retain(|item| match item {
        syn::Item::Mod(m) => m.ident != "builder",
        syn::Item::Impl(i) => !(i.trait_.is_none() && i.items.iter().all(is_builder_fn)),
        _ => true,
    });
    Ok(())
}

fn is_builder_fn(item: &syn::ImplItem) -> bool {
    matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "builder" && f.sig.inputs.is_empty())
}
