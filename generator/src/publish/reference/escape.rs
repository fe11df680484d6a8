//! Escaping spec text for the page, and element ids.
//!
//! Everything taken from a spec reaches the page through [`esc`] (the
//! template engine's formatter applies it to every value not deliberately
//! marked safe) or [`text`] (the `text` filter, for prose), so no spec text
//! can add markup of its own.

use std::fmt::Write;

/// An element id: `prefix-` and the name with anything but letters, digits,
/// `-` and `_` replaced (names are unique per kind, so ids are too).
pub fn anchor(prefix: &str, name: &str) -> String {
    let mut out = format!("{prefix}-");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes prose, turning each backquoted span into `code`.
pub fn text(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unpaired backquote: no code spans.
        return esc(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_code_spans_marked() {
        assert_eq!(
            text("a <b> & `c<d>` 'e'"),
            "a &lt;b&gt; &amp; <code>c&lt;d&gt;</code> &#39;e&#39;"
        );
        assert_eq!(text("one ` only"), "one ` only");
        assert_eq!(anchor("schema", "A b/c"), "schema-A_20_b_2f_c");
    }
}
