//! Huawei Cloud API reference pages as input: reading a page as people copy
//! it ([`parse`]) into what it says about one operation ([`page::Page`]),
//! and comparing that with the spec ([`diff`]).
//!
//! - `lines`: numbered lines and tables in their three renderings;
//! - `describe`: bounds, defaults and enumerations stated in descriptions;
//! - `page`: the parsed page;
//! - `parse`: the sections of a page, English or Chinese;
//! - `explorer`: an API Explorer definition (Swagger 2.0 JSON) read into the
//!   same page model;
//! - `diff`: the differences between a page and the spec's operation, with
//!   the deviations the spec records (`x-hwc-doc-deviation`) acknowledged;
//! - `report`: the comparison laid out for a terminal;
//! - `import`: a page's operation written into the spec (a new file, a new
//!   operation, or the page's differences applied in place);
//! - `sync`: every operation of every spec against the definitions of the
//!   version its spec pins (`x-hwc-source`).

pub mod describe;
pub mod diff;
pub mod explorer;
pub mod import;
pub mod lines;
pub mod page;
pub mod parse;
pub mod report;
pub mod sync;

use std::fmt;

pub use page::Page;
pub use parse::parse;

/// A page that cannot be read: the file, the line and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl DocError {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DocError {}

/// Reads a page file, or an API Explorer definition: a file named `.json`,
/// or whose text is a JSON object, is read as a definition (and refused,
/// naming what was expected, when it is not one); any other as a page.
pub fn read(path: &std::path::Path) -> Result<Page, DocError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| DocError::new(&name, 0, format!("cannot read the page: {e}")))?;
    if explorer::is_json(path, &text) {
        return explorer::read(&name, &text);
    }
    parse(&name, &text)
}
