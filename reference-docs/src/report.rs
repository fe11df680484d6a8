//! The page comparison for people in a terminal: what needs review first,
//! each with the place to edit on its own line, then what the spec already
//! acknowledges, grouped by the recorded reason so a long list of known
//! deviations reads as a few lines.

use std::collections::BTreeMap;

use super::diff::{Finding, Kind, PageDiff};

/// How text is styled: ANSI colours on a terminal, nothing elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn plain() -> Style {
        Style { color: false }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn warn(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn good(self, text: &str) -> String {
        self.paint("32", text)
    }
}

fn side(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(absent)")
}

/// One open finding: `kind  name: page X, spec Y`, then where to edit.
pub fn open_finding(f: &Finding, style: Style, indent: usize) -> String {
    let pad = " ".repeat(indent);
    if f.kind == Kind::DeviationDrift {
        // A recorded deviation the source no longer gives a reason for: say
        // which one, so it can be removed (or its source re-read).
        let what = match (&f.name, &f.page) {
            (name, _) if !name.is_empty() => format!(" {name}"),
            (_, Some(page)) => format!(" {page}"),
            _ => String::new(),
        };
        return format!(
            "{pad}{} recorded deviation{what} matches nothing: {}\n{pad}{:<19} {}\n",
            style.warn(&format!("{:<19}", f.kind.as_str())),
            f.reason.as_deref().unwrap_or_default(),
            "",
            style.dim(&format!("{}#{}", f.file, f.pointer)),
        );
    }
    format!(
        "{pad}{} {}: page {}, spec {}\n{pad}{:<19} {}\n",
        style.warn(&format!("{:<19}", f.kind.as_str())),
        f.name,
        side(&f.page),
        side(&f.spec),
        "",
        style.dim(&format!("{}#{}", f.file, f.pointer)),
    )
}

/// The heading of the differences left open: `2 differences to review:`.
pub fn to_review(n: usize, style: Style) -> String {
    style.warn(&format!(
        "{n} difference{} to review:",
        if n == 1 { "" } else { "s" }
    ))
}

/// The comparison of one page.
pub fn render(d: &PageDiff, style: Style) -> String {
    let mut out = format!(
        "{} ({}: {} {})\n  {}\n",
        style.bold(&d.operation),
        d.module,
        d.method,
        d.path,
        style.dim(&format!("page {}", d.page))
    );
    if d.findings.is_empty() {
        out.push_str(&format!("  {}\n", style.good("no differences")));
        return out;
    }
    let open: Vec<&Finding> = d.findings.iter().filter(|f| !f.acknowledged).collect();
    if open.is_empty() {
        out.push_str(&format!("  {}\n", style.good("nothing to review")));
    } else {
        out.push_str(&format!("  {}\n", to_review(open.len(), style)));
        for f in open {
            out.push_str(&open_finding(f, style, 4));
        }
    }
    out.push_str(&acknowledged(d, style));
    out
}

/// The acknowledged findings, grouped by the recorded reason, then by kind.
fn acknowledged(d: &PageDiff, style: Style) -> String {
    let known: Vec<&Finding> = d.findings.iter().filter(|f| f.acknowledged).collect();
    if known.is_empty() {
        return String::new();
    }
    let mut by_reason: Vec<(String, BTreeMap<&str, Vec<String>>)> = Vec::new();
    for f in &known {
        let reason = f.reason.clone().unwrap_or_default();
        let at = match by_reason.iter().position(|(r, _)| *r == reason) {
            Some(i) => i,
            None => {
                by_reason.push((reason, BTreeMap::new()));
                by_reason.len() - 1
            }
        };
        let names = by_reason[at].1.entry(f.kind.as_str()).or_default();
        if !names.contains(&f.name) {
            names.push(f.name.clone());
        }
    }
    let mut out = format!(
        "  {}\n",
        style.dim(&format!(
            "{} acknowledged by recorded deviations:",
            known.len()
        ))
    );
    for (reason, kinds) in by_reason {
        out.push_str(&format!("    {}\n", style.dim(&reason)));
        for (kind, names) in kinds {
            out.push_str(&format!("      {kind}: {}\n", names.join(", ")));
        }
    }
    out
}
