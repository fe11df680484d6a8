//! Formatting: prettyplease plus the header that marks a file as generated.

use crate::checked::GENERATED_MARK;

/// Renders a generated module as Rust source with its header.
///
/// prettyplease prints a macro invocation's tokens as they come, so the
/// open enum declarations (`crate::open_enum::declare! { .. }`) are printed
/// here instead: their body is an ordinary enum item, laid out one variant
/// per line.
pub fn render(file: &syn::File, spec_name: &str) -> String {
    let mut file = file.clone();
    let mut blocks = Vec::new();
    take_open_enums(&mut file.items, &mut blocks);
    let mut body = prettyplease::unparse(&file);
    for (marker, block) in blocks.iter().enumerate() {
        let marker = format!("struct {}{marker};", MARKER);
        body = body
            .lines()
            .map(|line| match line.strip_suffix(marker.as_str()) {
                Some(indent) if indent.trim().is_empty() => indented(block, indent),
                _ => format!("{line}\n"),
            })
            .collect();
    }
    format!("{}{body}", header(spec_name))
}

/// The path generated code uses for the runtime's open enum macro.
pub const OPEN_ENUM_MACRO: [&str; 3] = ["crate", "open_enum", "declare"];

/// The path of its twin for open lists of integers.
pub const OPEN_INTEGER_ENUM_MACRO: [&str; 3] = ["crate", "open_enum", "declare_integer"];

/// An open enum declaration found in the generated code.
pub struct Declared {
    /// The enum the macro's body spells.
    pub item: syn::ItemEnum,
    /// Whether it lists integers (`declare_integer!`) rather than strings.
    pub integer: bool,
}

impl Declared {
    /// The macro's path, `crate::open_enum::declare`.
    pub fn macro_path(&self) -> String {
        if self.integer {
            OPEN_INTEGER_ENUM_MACRO.join("::")
        } else {
            OPEN_ENUM_MACRO.join("::")
        }
    }
}

/// Prefix of the placeholder items that stand for open enum declarations
/// while prettyplease runs.
const MARKER: &str = "OpenEnumDeclaration";

/// The enum an item declares through an open enum macro, if it is such an
/// invocation.
pub fn open_enum_declaration(item: &syn::Item) -> Option<Declared> {
    let syn::Item::Macro(m) = item else {
        return None;
    };
    let path: Vec<String> = m
        .mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let integer = path == OPEN_INTEGER_ENUM_MACRO;
    if path != OPEN_ENUM_MACRO && !integer {
        return None;
    }
    let item = syn::parse2(m.mac.tokens.clone()).ok()?;
    Some(Declared { item, integer })
}

/// Replaces every open enum invocation with a marker item and keeps its
/// rendered text.
fn take_open_enums(items: &mut [syn::Item], blocks: &mut Vec<String>) {
    for item in items {
        if let Some(declared) = open_enum_declaration(item) {
            let inner = prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![syn::Item::Enum(declared.item.clone())],
            });
            blocks.push(format!(
                "{}! {{\n{}}}\n",
                declared.macro_path(),
                indented(&inner, "    ")
            ));
            let marker = quote::format_ident!("{}{}", MARKER, blocks.len() - 1);
            *item = syn::parse_quote! { struct #marker; };
        } else if let syn::Item::Mod(m) = item
            && let Some((_, content)) = &mut m.content
        {
            take_open_enums(content, blocks);
        }
    }
}

/// `text` with `indent` before every non-empty line.
fn indented(text: &str, indent: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_string()
            } else {
                format!("{indent}{line}\n")
            }
        })
        .collect()
}

/// The first lines of every generated file.
pub fn header(spec_name: &str) -> String {
    format!(
        "{GENERATED_MARK} from {spec_name}.\n\
         // Do not edit: change the spec or the generator, then regenerate.\n\n"
    )
}
