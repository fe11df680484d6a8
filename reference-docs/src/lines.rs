//! Reading a page's text as numbered lines and its tables as rows of cells.
//!
//! Reference pages reach us in three renderings of the same tables:
//!
//! - one cell per line, with nothing marking a cell's end (cells separated by
//!   blank lines, as text copied from a browser);
//! - one cell per line ending in ` |`, the rows after a `---|---|` rule (a cell
//!   may run over several lines until one ends in `|`);
//! - Markdown tables, one row per line (`| a | b |`).
//!
//! [`read_table`] recognises a header row in any of them and returns the
//! rows with each cell under its [`Column`].

use super::DocError;

/// One non-empty line of the page, trimmed, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: usize,
    pub text: String,
}

/// The non-empty lines of a page.
pub fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: i + 1,
            text: l.trim().trim_start_matches('\u{feff}').to_string(),
        })
        .filter(|l| !l.text.is_empty())
        .collect()
}

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Mandatory,
    Type,
    Description,
    Code,
    /// A column the reader keeps but does not interpret.
    Other,
}

/// The column a header cell names, if it is a header cell at all.
pub fn column_of(cell: &str) -> Option<Column> {
    let c = cell.trim().trim_matches('*').trim();
    Some(match c {
        "Parameter" | "Name" | "参数" | "参数名" | "名称" => Column::Name,
        "Mandatory" | "Required" | "是否必选" | "必选" => Column::Mandatory,
        "Type" | "参数类型" | "类型" => Column::Type,
        "Description" | "描述" | "说明" => Column::Description,
        "Status Code" | "Status code" | "状态码" => Column::Code,
        "Default" | "Default Value" | "默认值" | "Value Range" | "取值范围" => Column::Other,
        _ => return None,
    })
}

/// One table row: the cells by column, and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub no: usize,
    pub cells: Vec<(Column, String)>,
}

impl Row {
    /// The text of a column, if the row has it.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, t)| t.as_str())
    }
}

/// A table: its columns, rows and the line of its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub no: usize,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// Whether a line is the `---|---|` rule under a header.
pub fn is_rule(text: &str) -> bool {
    let t = text.trim().trim_matches('|');
    !t.is_empty()
        && t.contains('-')
        && t.split('|')
            .all(|c| c.trim().trim_matches(':').chars().all(|ch| ch == '-') && !c.trim().is_empty())
}

/// The content of a cell line of the pipe rendering (`text |`), if it is one.
pub fn pipe_cell(text: &str) -> Option<&str> {
    if text.starts_with('|') && text.len() > 1 {
        return None;
    }
    text.strip_suffix('|').map(str::trim)
}

/// The cells of a Markdown table line (`| a | b |`), if it is one.
pub fn markdown_cells(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('|')?.strip_suffix('|')?;
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    Some(cells)
}

/// The columns of a header starting at `lines[i]`, the rendering, and the
/// index of the first line after the header; `None` when no header starts
/// there.
pub fn header_at(lines: &[Line], i: usize) -> Option<(Vec<Column>, Rendering, usize)> {
    let first = &lines.get(i)?.text;
    if let Some(cells) = markdown_cells(first) {
        let columns: Option<Vec<Column>> = cells.iter().map(|c| column_of(c)).collect();
        let columns = columns?;
        if columns.len() >= 2 && lines.get(i + 1).is_some_and(|l| is_rule(&l.text)) {
            return Some((columns, Rendering::Markdown, i + 2));
        }
        return None;
    }
    if pipe_cell(first).is_some() {
        let mut columns = Vec::new();
        let mut j = i;
        while let Some(cell) = lines.get(j).and_then(|l| pipe_cell(&l.text)) {
            if is_rule(&lines[j].text) {
                break;
            }
            columns.push(column_of(cell)?);
            j += 1;
        }
        if columns.len() >= 2 && lines.get(j).is_some_and(|l| is_rule(&l.text)) {
            return Some((columns, Rendering::Pipe, j + 1));
        }
        return None;
    }
    let mut columns = Vec::new();
    let mut j = i;
    while let Some(column) = lines.get(j).and_then(|l| column_of(&l.text)) {
        columns.push(column);
        j += 1;
    }
    let starts = matches!(columns.first(), Some(Column::Name | Column::Code));
    let described = columns.contains(&Column::Description) || columns.contains(&Column::Type);
    (starts && described && columns.len() >= 2).then_some((columns, Rendering::Plain, j))
}

/// How a table is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    Plain,
    Pipe,
    Markdown,
}

/// Reads the table whose header starts at `lines[i]`. `stop` says whether a
/// line ends a table of the plain rendering (a heading, a caption). Returns
/// the table and the index of the first line after it.
pub fn read_table(
    file: &str,
    lines: &[Line],
    i: usize,
    stop: &dyn Fn(&[Line], usize) -> bool,
) -> Result<Option<(Table, usize)>, DocError> {
    let Some((columns, rendering, start)) = header_at(lines, i) else {
        return Ok(None);
    };
    let no = lines[i].no;
    let (rows, next) = match rendering {
        Rendering::Markdown => markdown_rows(file, lines, start, &columns)?,
        Rendering::Pipe => pipe_rows(file, lines, start, &columns)?,
        Rendering::Plain => plain_rows(file, lines, start, &columns, stop)?,
    };
    if rows.is_empty() {
        return Err(DocError::new(
            file,
            no,
            "expected at least one row after this table header",
        ));
    }
    Ok(Some((Table { no, columns, rows }, next)))
}

fn markdown_rows(
    file: &str,
    lines: &[Line],
    mut i: usize,
    columns: &[Column],
) -> Result<(Vec<Row>, usize), DocError> {
    let mut rows = Vec::new();
    while let Some(cells) = lines.get(i).and_then(|l| markdown_cells(&l.text)) {
        if header_at(lines, i).is_some() {
            break;
        }
        if cells.len() != columns.len() {
            return Err(DocError::new(
                file,
                lines[i].no,
                format!(
                    "expected a table row of {} cells, found {}",
                    columns.len(),
                    cells.len()
                ),
            ));
        }
        let cells = columns.iter().copied().zip(cells).collect();
        rows.push(Row {
            no: lines[i].no,
            cells,
        });
        i += 1;
    }
    Ok((rows, i))
}

fn pipe_rows(
    file: &str,
    lines: &[Line],
    mut i: usize,
    columns: &[Column],
) -> Result<(Vec<Row>, usize), DocError> {
    let mut rows = Vec::new();
    // A row starts only with a cell line, and not where the next table's
    // header starts.
    while lines.get(i).is_some_and(|l| pipe_cell(&l.text).is_some())
        && header_at(lines, i).is_none()
    {
        let no = lines[i].no;
        let mut cells = Vec::new();
        for column in columns {
            let mut text: Vec<&str> = Vec::new();
            loop {
                let Some(line) = lines.get(i) else {
                    return Err(DocError::new(
                        file,
                        no,
                        format!(
                            "expected {} cells ending in `|` for the row starting here, \
                             the page ended first",
                            columns.len()
                        ),
                    ));
                };
                i += 1;
                if let Some(cell) = pipe_cell(&line.text) {
                    text.push(cell);
                    break;
                }
                text.push(&line.text);
            }
            let joined: Vec<&str> = text.into_iter().filter(|t| !t.is_empty()).collect();
            cells.push((*column, joined.join("\n")));
        }
        rows.push(Row { no, cells });
    }
    Ok((rows, i))
}

/// A parameter or field name.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '$'))
        && !text.ends_with('.')
}

/// A status code cell (`200`, `default`).
pub fn is_code(text: &str) -> bool {
    (text.len() == 3 && text.chars().all(|c| c.is_ascii_digit())) || text == "default"
}

/// A mandatory cell.
pub fn mandatory_of(text: &str) -> Option<bool> {
    match text.trim() {
        "Yes" | "yes" | "是" | "true" => Some(true),
        "No" | "no" | "否" | "false" => Some(false),
        _ => None,
    }
}

/// Whether a cell names a type (`String`, `Array of X objects`...).
pub fn is_type(text: &str) -> bool {
    super::page::PageType::parse(text).is_some()
}

fn plain_row_start(lines: &[Line], j: usize, columns: &[Column]) -> bool {
    let Some(first) = lines.get(j) else {
        return false;
    };
    if columns.first() == Some(&Column::Code) {
        return is_code(&first.text);
    }
    if !is_name(&first.text) {
        return false;
    }
    let at = |k: usize| lines.get(j + k).map(|l| l.text.as_str()).unwrap_or("");
    if !columns.contains(&Column::Type) {
        return true;
    }
    is_type(at(1))
        || (columns.contains(&Column::Mandatory) && mandatory_of(at(1)).is_some() && is_type(at(2)))
}

fn plain_rows(
    file: &str,
    lines: &[Line],
    mut i: usize,
    columns: &[Column],
    stop: &dyn Fn(&[Line], usize) -> bool,
) -> Result<(Vec<Row>, usize), DocError> {
    let mut rows = Vec::new();
    if i < lines.len() && !stop(lines, i) && !plain_row_start(lines, i, columns) {
        let expected = if columns.first() == Some(&Column::Code) {
            "a status code"
        } else {
            "a name followed by a type"
        };
        return Err(DocError::new(
            file,
            lines[i].no,
            format!(
                "expected a table row ({expected}), found `{}`",
                lines[i].text
            ),
        ));
    }
    while i < lines.len() && !stop(lines, i) && plain_row_start(lines, i, columns) {
        let no = lines[i].no;
        let mut cells = vec![(columns[0], lines[i].text.clone())];
        i += 1;
        for column in &columns[1..] {
            match column {
                Column::Mandatory => {
                    // Some renderings drop the mark (an icon) altogether.
                    if let Some(l) = lines.get(i).filter(|l| mandatory_of(&l.text).is_some()) {
                        cells.push((*column, l.text.clone()));
                        i += 1;
                    }
                }
                Column::Type => {
                    if let Some(l) = lines.get(i) {
                        cells.push((*column, l.text.clone()));
                        i += 1;
                    }
                }
                Column::Description => {
                    let mut text = Vec::new();
                    while i < lines.len() && !stop(lines, i) && !plain_row_start(lines, i, columns)
                    {
                        text.push(lines[i].text.clone());
                        i += 1;
                    }
                    cells.push((*column, text.join("\n")));
                }
                _ => {}
            }
        }
        rows.push(Row { no, cells });
    }
    Ok((rows, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_split_and_unescape() {
        assert_eq!(
            markdown_cells("| a | b \\| c |"),
            Some(vec!["a".to_string(), "b | c".to_string()])
        );
        assert_eq!(markdown_cells("a |"), None);
    }

    #[test]
    fn rules_and_cells() {
        assert!(is_rule("---|---|---|"));
        assert!(is_rule("|---|:---|"));
        assert!(!is_rule("Parameter |"));
        assert_eq!(pipe_cell("offset |"), Some("offset"));
        assert_eq!(pipe_cell("|"), Some(""));
        assert_eq!(pipe_cell("offset"), None);
    }

    #[test]
    fn all_three_renderings_give_the_same_rows() {
        let plain = "Parameter\n\nMandatory\n\nType\n\nDescription\n\noffset\n\nNo\n\nInteger\n\nOffset.\n\nMore.\n\nlimit\n\nNo\n\nInteger\n\nPage size.\n\nEnd";
        let pipe = "Parameter |\nMandatory |\nType |\nDescription |\n---|---|---|---|\noffset |\nNo |\nInteger |\nOffset.\nMore. |\nlimit |\nNo |\nInteger |\nPage size. |\nEnd";
        let md = "| Parameter | Mandatory | Type | Description |\n|---|---|---|---|\n| offset | No | Integer | Offset.<br>More. |\n| limit | No | Integer | Page size. |\nEnd";
        let stop = |l: &[Line], i: usize| l[i].text == "End";
        let read = |t: &str| {
            let ls = lines(t);
            let (table, next) = read_table("t", &ls, 0, &stop).unwrap().unwrap();
            assert_eq!(ls[next].text, "End");
            table
                .rows
                .iter()
                .map(|r| {
                    (
                        r.get(Column::Name).unwrap().to_string(),
                        r.get(Column::Type).unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let expected = vec![
            ("offset".to_string(), "Integer".to_string()),
            ("limit".to_string(), "Integer".to_string()),
        ];
        assert_eq!(read(plain), expected);
        assert_eq!(read(pipe), expected);
        assert_eq!(read(md), expected);
    }

    #[test]
    fn an_unfinished_row_names_its_line() {
        let ls = lines("Parameter |\nType |\n---|---|\noffset |\nInteger");
        let err = read_table("p.txt", &ls, 0, &|_, _| false).unwrap_err();
        assert_eq!(err.line, 4);
    }
}
