//! Public API surfaces, one line per item, for snapshot review: types with
//! their fields and variants, functions and methods with their signatures,
//! trait implementations, constants and statics. Bodies are left out, so a
//! snapshot changes only when what users can call changes.
//!
//! [`surface`] lists one generated module (an open enum declared through the
//! runtime's macro is listed as the items it declares); [`crate_surface`]
//! lists the hand-written part of a crate, following its module files.

use quote::ToTokens;

use crate::client::format::{Declared, open_enum_declaration};

/// Lists the public surface of generated Rust source.
pub fn surface(source: &str) -> Result<String, String> {
    let file = syn::parse_file(source).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    items(&file.items, "", &mut out);
    Ok(out.join("\n") + "\n")
}

fn items(items: &[syn::Item], prefix: &str, out: &mut Vec<String>) {
    for item in items {
        self::item(item, prefix, out);
    }
}

/// The lines of one item (and, for an inline public module, of its items).
fn item(item: &syn::Item, prefix: &str, out: &mut Vec<String>) {
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
                let mut fields = v.fields.clone();
                fields.iter_mut().for_each(|f| f.attrs.clear());
                out.push(format!("    {}{}", v.ident, tokens(&fields)));
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
                            syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                                out.push(signature(&format!("{prefix}{self_ty}::"), &f.sig))
                            }
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
        syn::Item::Use(u) if is_pub(&u.vis) => out.push(format!("use {prefix}{}", tokens(&u.tree))),
        syn::Item::Macro(_) => {
            if let Some(declared) = open_enum_declaration(item) {
                open_enum(&declared, prefix, out);
            }
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => out.push(signature(prefix, &f.sig)),
        syn::Item::Const(c) if is_pub(&c.vis) => {
            out.push(format!("const {prefix}{}: {}", c.ident, tokens(&c.ty)))
        }
        syn::Item::Type(t) if is_pub(&t.vis) => out.push(format!(
            "type {prefix}{}{} = {}",
            t.ident,
            tokens(&t.generics),
            tokens(&t.ty)
        )),
        syn::Item::Trait(t) if is_pub(&t.vis) => {
            out.push(format!("trait {prefix}{}{}", t.ident, tokens(&t.generics)));
            for member in &t.items {
                if let syn::TraitItem::Fn(f) = member {
                    out.push(format!("    {}", signature("", &f.sig)));
                }
            }
        }
        _ => {}
    }
}

/// What one `crate::open_enum::declare!` (or `declare_integer!`)
/// invocation declares: the enum with a variant per wire value plus
/// `Unknown`, and the members and trait implementations the runtime macro
/// writes for every open enum.
fn open_enum(declared: &Declared, prefix: &str, out: &mut Vec<String>) {
    let name = format!("{prefix}{}", declared.item.ident);
    out.push(format!("enum {name} ({}!)", declared.macro_path()));
    for v in &declared.item.variants {
        match &v.discriminant {
            Some((_, value)) => out.push(format!("    {} = {}", v.ident, tokens(value))),
            None => out.push(format!("    {}", v.ident)),
        }
    }
    let (unknown, members) = if declared.integer {
        (
            "    Unknown(crate::open_enum::UnknownNumber)",
            OPEN_INTEGER_ENUM_MEMBERS,
        )
    } else {
        (
            "    Unknown(crate::open_enum::UnknownValue)",
            OPEN_ENUM_MEMBERS,
        )
    };
    out.push(unknown.into());
    for member in members {
        out.push(member.replace("{}", &name));
    }
}

/// The members and implementations `crate::open_enum::declare_integer!`
/// gives every open list of integers, as this listing prints them.
const OPEN_INTEGER_ENUM_MEMBERS: &[&str] = &[
    "const {}::KNOWN: &'static [i64]",
    "fn {}::value(&self) -> i64",
    "fn {}::is_unknown(&self) -> bool",
    "impl ::std::convert::From<i64> for {}",
    "impl ::std::str::FromStr for {}",
    "impl ::std::fmt::Display for {}",
    "impl ::serde::Serialize for {}",
    "impl ::serde::Deserialize<'de> for {}",
];

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

/// A function signature with its path: `async fn a::b(..) -> T`.
fn signature(path: &str, sig: &syn::Signature) -> String {
    let text = tokens(sig);
    match text.split_once("fn ") {
        Some((qualifiers, rest)) => format!("{qualifiers}fn {path}{rest}"),
        None => text,
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

/// The public API of a hand-written crate, one line per item (fields and
/// variants indented under their type), blocks sorted: everything a user can
/// reach from the crate root, read from `src/lib.rs` through every module
/// file. Modules mounted from elsewhere with `#[path]` (generated code) and
/// test-only items are left out. An item of a private module is listed (under
/// the path where it is written) only when a public module re-exports it;
/// `pub use` lines show where it is re-exported.
pub fn crate_surface(src: &std::path::Path) -> Result<String, String> {
    let mut modules = Vec::new();
    load_module(&src.join("lib.rs"), src, Vec::new(), true, &mut modules)?;

    // What public modules re-export from the crate's own modules.
    let mut reexported: std::collections::BTreeSet<(Vec<String>, String)> = Default::default();
    for module in modules.iter().filter(|m| m.public) {
        for item in &module.items {
            if let syn::Item::Use(u) = item
                && is_pub(&u.vis)
            {
                let mut paths = Vec::new();
                use_paths(&u.tree, &mut Vec::new(), &mut paths);
                for mut path in paths {
                    let Some(name) = path.pop() else { continue };
                    reexported.insert((resolve(&module.path, &path), name));
                }
            }
        }
    }

    let mut blocks: Vec<String> = Vec::new();
    for module in &modules {
        let prefix: String = module.path.iter().map(|m| format!("{m}::")).collect();
        let shown = |name: &str| {
            module.public
                || [name, "*"]
                    .iter()
                    .any(|n| reexported.contains(&(module.path.clone(), n.to_string())))
        };
        let mut lines = Vec::new();
        let mut types = std::collections::BTreeSet::new();
        for item in &module.items {
            let name = match item {
                syn::Item::Struct(s) => Some(&s.ident),
                syn::Item::Enum(e) => Some(&e.ident),
                syn::Item::Fn(f) => Some(&f.sig.ident),
                syn::Item::Const(c) => Some(&c.ident),
                syn::Item::Static(s) => Some(&s.ident),
                syn::Item::Type(t) => Some(&t.ident),
                syn::Item::Trait(t) => Some(&t.ident),
                _ => None,
            };
            match (item, name) {
                (syn::Item::Mod(_) | syn::Item::Impl(_) | syn::Item::Macro(_), _) => {}
                (syn::Item::Use(u), _) if module.public && is_pub(&u.vis) => {
                    let at = match module.path.is_empty() {
                        true => "the crate root".to_string(),
                        false => module.path.join("::"),
                    };
                    lines.push(format!("use {} (in {at})", tokens(&u.tree)));
                }
                (_, Some(name)) if shown(&name.to_string()) => {
                    if matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_)) {
                        types.insert(name.to_string());
                    }
                    self::item(item, &prefix, &mut lines);
                }
                _ => {}
            }
        }
        // Implementations of the listed types, wherever in the module they are.
        for item in &module.items {
            if let syn::Item::Impl(i) = item
                && let syn::Type::Path(ty) = &*i.self_ty
                && ty
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| types.contains(&s.ident.to_string()))
            {
                self::item(item, &prefix, &mut lines);
            }
        }
        // A block is an unindented line with the indented lines under it.
        for line in lines {
            match blocks.last_mut() {
                Some(block) if line.starts_with(' ') => {
                    block.push('\n');
                    block.push_str(&line);
                }
                _ => blocks.push(line),
            }
        }
    }
    blocks.sort();
    blocks.dedup();
    Ok(blocks.join("\n") + "\n")
}

/// One parsed module file of a hand-written crate.
struct ModuleFile {
    /// Module path from the crate root (empty for the root).
    path: Vec<String>,
    /// Whether it is reachable from outside: declared `pub`, as are all its
    /// parents.
    public: bool,
    items: Vec<syn::Item>,
}

/// Parses a module file and, recursively, the files of the modules it
/// declares (`dir` is where their files live).
fn load_module(
    file: &std::path::Path,
    dir: &std::path::Path,
    path: Vec<String>,
    public: bool,
    out: &mut Vec<ModuleFile>,
) -> Result<(), String> {
    let source = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let parsed = syn::parse_file(&source).map_err(|e| format!("{}: {e}", file.display()))?;
    let items: Vec<syn::Item> = parsed
        .items
        .into_iter()
        .filter(|item| !test_only(item))
        .collect();
    for item in &items {
        let syn::Item::Mod(m) = item else { continue };
        let mounted_elsewhere = m.attrs.iter().any(|a| a.path().is_ident("path"));
        if m.content.is_some() || mounted_elsewhere {
            continue;
        }
        let name = m.ident.to_string();
        let flat = dir.join(format!("{name}.rs"));
        let (child_file, child_dir) = if flat.exists() {
            (flat, dir.join(&name))
        } else {
            (dir.join(&name).join("mod.rs"), dir.join(&name))
        };
        let mut child_path = path.clone();
        child_path.push(name);
        load_module(
            &child_file,
            &child_dir,
            child_path,
            public && is_pub(&m.vis),
            out,
        )?;
    }
    out.push(ModuleFile {
        path,
        public,
        items,
    });
    Ok(())
}

/// Whether an item exists only for tests (`#[cfg(test)]`, `#[cfg(doctest)]`).
fn test_only(item: &syn::Item) -> bool {
    let attrs: &[syn::Attribute] = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Struct(s) => &s.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Use(u) => &u.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|cfg| cfg == "test" || cfg == "doctest")
    })
}

/// Every path a `use` tree names, each ending with the imported name
/// (`*` for a glob).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.clone(), vec![n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.clone(), vec![r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push([prefix.clone(), vec!["*".to_string()]].concat()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

/// The module a `use` path (without its last name) points to, from the
/// module `at`: `crate::`, `self::` and `super::` are followed; any other
/// path is taken as relative (an outside crate then matches no module).
fn resolve(at: &[String], path: &[String]) -> Vec<String> {
    let mut resolved = at.to_vec();
    for (i, segment) in path.iter().enumerate() {
        match segment.as_str() {
            "crate" if i == 0 => resolved.clear(),
            "self" => {}
            "super" => {
                resolved.pop();
            }
            other => resolved.push(other.to_string()),
        }
    }
    resolved
}
