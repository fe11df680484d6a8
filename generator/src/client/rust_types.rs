//! What progenitor (through typify) made of the schemas: the Rust types in
//! the generated `types` module, read back from the syntax tree.
//!
//! Code the generator adds around progenitor's (`paginate()`) reads response
//! fields. Whether a field is an `Option`, which integer type a total got and
//! what a property is called in Rust are typify's decisions (required or not,
//! `format`, `minimum`, keywords, renames), so they are read from the types it
//! wrote rather than guessed from the schema: the added code then compiles
//! for any shape typify accepts.

use proc_macro2::TokenStream;
use quote::quote;

/// The items of progenitor's `types` module.
pub struct Types<'a> {
    items: &'a [syn::Item],
}

/// One field of a generated struct.
pub struct Field {
    /// The field's Rust name.
    pub ident: syn::Ident,
    /// Whether its type is an `Option`.
    pub optional: bool,
    /// The name of the struct inside the `Option` and `Box`, if it is one
    /// of the module's structs.
    pub struct_name: Option<String>,
    /// The name of the element type, if the field is a `Vec` (optional or
    /// not) of one of the module's types.
    pub element: Option<String>,
}

impl<'a> Types<'a> {
    pub fn new(items: &'a [syn::Item]) -> Self {
        Self { items }
    }

    fn find_struct(&self, name: &str) -> Option<&'a syn::ItemStruct> {
        self.items.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
    }

    /// Whether the module declares a type (struct, enum, alias or open enum
    /// invocation) of this name.
    fn declares(&self, name: &str) -> bool {
        self.items.iter().any(|item| match item {
            syn::Item::Struct(s) => s.ident == name,
            syn::Item::Enum(e) => e.ident == name,
            syn::Item::Type(t) => t.ident == name,
            syn::Item::Macro(m) => m.mac.tokens.to_string().contains(&format!("enum {name} ")),
            _ => false,
        })
    }

    /// The field of struct `owner` that carries the JSON property `wire`.
    pub fn field(&self, owner: &str, wire: &str) -> Result<Field, String> {
        let item = self
            .find_struct(owner)
            .ok_or_else(|| format!("no struct `{owner}` among the generated types"))?;
        let syn::Fields::Named(fields) = &item.fields else {
            return Err(format!("`{owner}` is not a struct with named fields"));
        };
        let field = fields
            .named
            .iter()
            .find(|f| wire_name(f).as_deref() == Some(wire))
            .ok_or_else(|| format!("`{owner}` has no field for the property `{wire}`"))?;
        let ident = field
            .ident
            .clone()
            .ok_or_else(|| format!("`{owner}.{wire}` has no name"))?;
        let (optional, inner) = match generic_argument(&field.ty, "Option") {
            Some(inner) => (true, inner),
            None => (false, &field.ty),
        };
        let inner = generic_argument(inner, "Box").unwrap_or(inner);
        let struct_name = last_ident(inner)
            .filter(|name| self.find_struct(&name.to_string()).is_some())
            .map(|name| name.to_string());
        let element = generic_argument(inner, "Vec")
            .and_then(last_ident)
            .filter(|name| self.declares(&name.to_string()))
            .map(|name| name.to_string());
        Ok(Field {
            ident,
            optional,
            struct_name,
            element,
        })
    }

    /// An expression reading the field at `path` below `root` (an
    /// expression of type `&owner`), handed to `leaf` as a reference:
    /// `Option`s on the way are passed through with `and_then`, so the
    /// whole is `Option<_>` of what `leaf` returns when any step is
    /// optional. `leaf` must itself return an `Option`.
    pub fn read_path(
        &self,
        owner: &str,
        path: &[String],
        root: TokenStream,
        leaf: &dyn Fn(TokenStream) -> TokenStream,
    ) -> Result<TokenStream, String> {
        let Some((first, rest)) = path.split_first() else {
            return Ok(leaf(root));
        };
        let field = self.field(owner, first)?;
        let ident = &field.ident;
        if rest.is_empty() {
            return Ok(leaf(quote! { &#root.#ident }));
        }
        let next = field.struct_name.as_deref().ok_or_else(|| {
            format!(
                "`{owner}.{first}` is not an object, so `{}` cannot be inside it",
                rest[0]
            )
        })?;
        if field.optional {
            let inner = self.read_path(next, rest, quote! { value }, leaf)?;
            Ok(quote! { #root.#ident.as_ref().and_then(|value| #inner) })
        } else {
            self.read_path(next, rest, quote! { #root.#ident }, leaf)
        }
    }
}

/// The JSON property a struct field carries: its `#[serde(rename = "..")]`,
/// else its name without a raw-identifier prefix.
fn wire_name(field: &syn::Field) -> Option<String> {
    let mut renamed = None;
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Skip the value of any other `key = value` argument.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed.or_else(|| {
        field
            .ident
            .as_ref()
            .map(|i| i.to_string().trim_start_matches("r#").to_string())
    })
}

/// `T` of a type written `...::Name<T>`.
fn generic_argument<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn last_ident(ty: &syn::Type) -> Option<&syn::Ident> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> syn::File {
        syn::parse_quote! {
            pub struct Page {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub page_info: ::std::option::Option<PageInfo>,
                pub count: i64,
                #[serde(rename = "type")]
                pub type_: ::std::string::String,
                pub jobs: ::std::option::Option<::std::vec::Vec<Job>>,
            }
            pub struct PageInfo {
                #[serde(rename = "nextMarker", default)]
                pub next_marker: ::std::option::Option<::std::string::String>,
                pub inner: ::std::boxed::Box<Inner>,
            }
            pub struct Inner { pub total: u32 }
            pub struct Job { pub id: String }
        }
    }

    #[test]
    fn fields_are_found_by_their_wire_names() {
        let file = types();
        let types = Types::new(&file.items);
        let field = types.field("Page", "type").expect("renamed field");
        assert_eq!(field.ident, "type_");
        assert!(!field.optional);
        let field = types.field("PageInfo", "nextMarker").expect("renamed");
        assert_eq!(field.ident, "next_marker");
        assert!(field.optional);
        let field = types.field("Page", "page_info").expect("plain");
        assert_eq!(field.struct_name.as_deref(), Some("PageInfo"));
        let field = types.field("Page", "jobs").expect("items");
        assert_eq!(field.element.as_deref(), Some("Job"));
        assert!(field.struct_name.is_none());
        assert!(types.field("Page", "next_marker").is_err());
        assert!(types.field("Nope", "x").is_err());
    }

    #[test]
    fn a_path_passes_through_options_and_boxes() {
        let file = types();
        let types = Types::new(&file.items);
        let leaf = |v: TokenStream| quote! { read(#v) };
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let tokens = types
            .read_path(
                "Page",
                &path(&["page_info", "inner", "total"]),
                quote! { page },
                &leaf,
            )
            .expect("path");
        assert_eq!(
            tokens.to_string(),
            quote! { page.page_info.as_ref().and_then(|value| read(&value.inner.total)) }
                .to_string()
        );
        let tokens = types
            .read_path("Page", &path(&["count"]), quote! { page }, &leaf)
            .expect("path");
        assert_eq!(tokens.to_string(), quote! { read(&page.count) }.to_string());
        let error = types
            .read_path("Page", &path(&["count", "x"]), quote! { page }, &leaf)
            .expect_err("not an object");
        assert!(error.contains("not an object"), "{error}");
    }
}
