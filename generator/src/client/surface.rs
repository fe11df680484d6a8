//! The public API surface of a generated module, one line per item, for
//! snapshot review: types with their fields and variants, methods with their
//! signatures, trait implementations and statics. Bodies are left out, so the
//! snapshot changes only when what users can call changes.

use quote::ToTokens;

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
            _ => {}
        }
    }
}

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
