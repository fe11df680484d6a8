//! The public API surface of a generated module, one line per item, for
//! snapshot review: types with their fields and variants, methods with their
//! signatures, trait implementations and statics. Bodies are left out, so the
//! snapshot changes only when what users can call changes. An open enum
//! declared through the runtime's macro is listed as the items it declares.

use quote::ToTokens;

use crate::client::format::{OPEN_ENUM_MACRO, open_enum_declaration};

/// Lists the public surface of generated Rust source.
pub fn surface(source: &str) -> Result<String, String> {
    let file = syn::parse_file(source).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    items(&file.items, "", &mut out);
    Ok(out.join("\n") + "\n")
}

fn items(items: &[syn::Item], prefix: &str, out: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                let name = format!("{prefix}{}::", m.ident);
                out.push(format!("mod {}", name.trim_end_matches("::")));
                if let Some((_, content)) = &m.content {
                    self::items(content, &name, out);
                }
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                out.push(format!("struct {prefix}{}{}", s.ident, tokens(&s.generics)));
                for field in &s.fields {
                    if is_pub(&field.vis) {
                        let name = field
                            .ident
                            .as_ref()
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| "_".into());
                        out.push(format!("    {name}: {}", tokens(&field.ty)));
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                out.push(format!("enum {prefix}{}", e.ident));
                for v in &e.variants {
                    out.push(format!("    {}{}", v.ident, tokens(&v.fields)));
                }
            }
            syn::Item::Impl(i) => {
                let self_ty = tokens(&i.self_ty);
                match &i.trait_ {
                    Some((_, path, _)) => {
                        out.push(format!("impl {} for {prefix}{self_ty}", tokens(path)))
                    }
                    None => {
                        for member in &i.items {
                            match member {
                                syn::ImplItem::Fn(f) if is_pub(&f.vis) => out.push(format!(
                                    "fn {prefix}{self_ty}::{}",
                                    tokens(&f.sig).trim_start_matches("fn ")
                                )),
                                syn::ImplItem::Const(c) if is_pub(&c.vis) => out.push(format!(
                                    "const {prefix}{self_ty}::{}: {}",
                                    c.ident,
                                    tokens(&c.ty)
                                )),
                                _ => {}
                            }
                        }
                    }
                }
            }
            syn::Item::Static(s) if is_pub(&s.vis) => {
                out.push(format!("static {prefix}{}: {}", s.ident, tokens(&s.ty)))
            }
            syn::Item::Use(u) if is_pub(&u.vis) => {
                out.push(format!("use {prefix}{}", tokens(&u.tree)))
            }
            syn::Item::Macro(_) => {
                if let Some(declared) = open_enum_declaration(item) {
                    open_enum(&declared, prefix, out);
                }
            }
            _ => {}
        }
    }
}

/// What one `crate::open_enum::declare!` invocation declares: the enum with
/// a variant per wire value plus `Unknown`, and the members and trait
/// implementations the runtime macro writes for every open enum.
fn open_enum(declared: &syn::ItemEnum, prefix: &str, out: &mut Vec<String>) {
    let name = format!("{prefix}{}", declared.ident);
    out.push(format!("enum {name} ({}!)", OPEN_ENUM_MACRO.join("::")));
    for v in &declared.variants {
        match &v.discriminant {
            Some((_, value)) => out.push(format!("    {} = {}", v.ident, tokens(value))),
            None => out.push(format!("    {}", v.ident)),
        }
    }
    out.push("    Unknown(crate::open_enum::UnknownValue)".into());
    for member in OPEN_ENUM_MEMBERS {
        out.push(member.replace("{}", &name));
    }
}

/// The members and implementations `crate::open_enum::declare!` gives every
/// open enum (`{}` stands for the enum), as this listing prints them.
const OPEN_ENUM_MEMBERS: &[&str] = &[
    "const {}::KNOWN: &'static [&'static str]",
    "fn {}::as_str(&self) -> &str",
    "fn {}::is_unknown(&self) -> bool",
    "impl ::std::convert::From<&str> for {}",
    "impl ::std::convert::From<::std::string::String> for {}",
    "impl ::std::str::FromStr for {}",
    "impl ::std::fmt::Display for {}",
    "impl ::serde::Serialize for {}",
    "impl ::serde::Deserialize<'de> for {}",
];

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Token text with the spaces `to_string` puts around punctuation removed.
fn tokens<T: ToTokens>(t: &T) -> String {
    let mut text = t.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" : ", ": "),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        ("( ", "("),
        (" )", ")"),
        (" (", "("),
        ("[ ", "["),
        (" ]", "]"),
        ("' ", "'"),
    ] {
        text = text.replace(from, to);
    }
    text
}
