//! The INI dialect of the official SDKs' profile file, as Python's
//! `configparser` reads it: `[section]` headers, `key = value` or
//! `key: value` lines (keys case-insensitive, values trimmed and taken
//! verbatim, so `#` after a value is part of it), whole-line comments starting
//! with `#` or `;`, and no key or section given twice.
//!
//! The file holds secrets, so an error says which line is wrong and why but
//! never repeats the line.

use std::collections::BTreeMap;

/// One section: its header's line and its keys (lower case) with the line
/// and value of each.
#[derive(Default)]
pub(crate) struct Section {
    pub(crate) line: usize,
    pub(crate) keys: BTreeMap<String, (usize, String)>,
}

impl Section {
    /// The value of `key`, when set and not empty, with its line.
    pub(crate) fn get(&self, key: &str) -> Option<(usize, &str)> {
        self.keys
            .get(key)
            .filter(|(_, value)| !value.is_empty())
            .map(|(line, value)| (*line, value.as_str()))
    }
}

/// A line the parser refused (from 1) and why.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct IniError {
    pub(crate) line: usize,
    pub(crate) reason: String,
}

/// Every section of `text` by name.
pub(crate) fn parse(text: &str) -> Result<BTreeMap<String, Section>, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let fail = |reason: String| IniError { line, reason };
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| fail("a section header must end with `]`".into()))?
                .trim();
            if name.is_empty() {
                return Err(fail("the section name is empty".into()));
            }
            if let Some(earlier) = sections.get(name) {
                return Err(fail(format!(
                    "section [{name}] is already defined on line {}",
                    earlier.line
                )));
            }
            sections.insert(
                name.to_string(),
                Section {
                    line,
                    keys: BTreeMap::new(),
                },
            );
            current = Some(name.to_string());
            continue;
        }
        let Some(split) = trimmed.find(['=', ':']) else {
            return Err(fail("expected `[section]` or `key = value`".into()));
        };
        let key = trimmed[..split].trim().to_ascii_lowercase();
        let value = trimmed[split + 1..].trim();
        if key.is_empty() {
            return Err(fail("a value without a key".into()));
        }
        let Some(section) = current.as_ref().and_then(|name| sections.get_mut(name)) else {
            return Err(fail(format!("`{key}` comes before any [section] header")));
        };
        if let Some((earlier, _)) = section.keys.get(&key) {
            return Err(fail(format!("`{key}` is already set on line {earlier}")));
        }
        section.keys.insert(key, (line, value.to_string()));
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_and_comments() {
        let text =
            "\u{feff}# comment\n[basic]\nAK = AKID\nsk: s=k#1 \n; note\n\n[global]\ndomain_id=d\n";
        let sections = parse(text).unwrap();
        let basic = &sections["basic"];
        assert_eq!(basic.line, 2);
        assert_eq!(basic.get("ak"), Some((3, "AKID")));
        assert_eq!(basic.get("sk"), Some((4, "s=k#1")));
        assert_eq!(sections["global"].get("domain_id"), Some((8, "d")));
    }

    #[test]
    fn errors_name_the_line_but_never_repeat_it() {
        let secret = "supersecretvalue";
        for (text, line, reason) in [
            (format!("[basic]\n{secret}\n"), 2, "expected"),
            (
                format!("ak = {secret}\n[basic]\n"),
                1,
                "before any [section]",
            ),
            (
                format!("[basic]\nsk={secret}\nsk={secret}\n"),
                3,
                "already set on line 2",
            ),
            (
                "[basic]\n[basic]\n".to_string(),
                2,
                "already defined on line 1",
            ),
            (format!("[basic\nsk={secret}\n"), 1, "must end with"),
            (format!("[basic]\n = {secret}\n"), 2, "without a key"),
        ] {
            let error = parse(&text).err().expect(&text);
            assert_eq!(error.line, line, "{text}");
            assert!(error.reason.contains(reason), "{}", error.reason);
            assert!(!error.reason.contains(secret), "{}", error.reason);
        }
    }
}
