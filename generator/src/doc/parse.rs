//! Reading a whole page: the `METHOD /path` line under `URI`, then the
//! sections that follow it, in English or Chinese. Everything before the URI
//! (navigation, function, calling method) and after the error codes (feedback
//! forms, footers) is ignored.

use std::collections::BTreeSet;

use super::DocError;
use super::describe;
use super::lines::{Column, Line, Table, header_at, lines, read_table};
use super::page::{
    Children, ExampleRequest, ExampleResponse, Field, Page, PageType, ParamLocation, Parameter,
    Response, StatusCode,
};

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// A heading that starts a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    Request,
    Response,
    Status(u16),
    ExampleRequests,
    ExampleResponses,
    StatusCodes,
    Sdk,
    End,
}

fn heading(text: &str) -> Option<Heading> {
    Some(match text {
        "Request Parameters" | "Request Parameter" | "请求参数" => Heading::Request,
        "Response Parameters" | "Response Parameter" | "响应参数" => Heading::Response,
        "Example Requests" | "Example Request" | "请求示例" => Heading::ExampleRequests,
        "Example Responses" | "Example Response" | "响应示例" => Heading::ExampleResponses,
        "Status Codes" | "Status Code" | "状态码" => Heading::StatusCodes,
        "SDK Sample Code" | "SDK代码示例" => Heading::Sdk,
        "Error Codes" | "错误码" => Heading::End,
        _ => {
            let rest = [
                "Status code:",
                "Status Code:",
                "状态码:",
                "状态码：",
                "状态码",
            ]
            .iter()
            .find_map(|p| text.strip_prefix(p))?;
            let code = rest.trim();
            if code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()) {
                return code.parse().ok().map(Heading::Status);
            }
            return None;
        }
    })
}

/// A table caption (`Table 4 ListCenterTasksResp`, `表2 Query参数`): its
/// number and title.
fn caption(text: &str) -> Option<(u32, String)> {
    let rest = text
        .strip_prefix("Table ")
        .or_else(|| text.strip_prefix("表 "))
        .or_else(|| text.strip_prefix("表"))?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let number = digits.parse().ok()?;
    Some((number, rest[digits.len()..].trim().to_string()))
}

/// Whether a line ends a table of the plain rendering.
fn stops(lines: &[Line], i: usize) -> bool {
    let t = &lines[i].text;
    heading(t).is_some() || caption(t).is_some() || header_at(lines, i).is_some()
}

/// A table with where it stands on the page.
#[derive(Debug, Clone)]
struct Placed {
    table: Table,
    caption: Option<(u32, String)>,
    /// 1-based position among all tables of the page.
    ordinal: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Uri,
    Request,
    Response,
    ExampleRequests,
    ExampleResponses,
    StatusCodes,
    Skip,
}

/// Reads one reference page. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Page, DocError> {
    let lines = lines(text);
    let title = lines
        .iter()
        .position(|l| l.text == "Function" || l.text == "功能介绍")
        .and_then(|i| i.checked_sub(1))
        .map(|i| lines[i].text.clone());
    let function = function_text(&lines);
    let Some(uri) = lines.iter().position(|l| l.text == "URI") else {
        return Err(DocError::new(
            file,
            lines.last().map_or(1, |l| l.no),
            "expected a `URI` heading followed by the operation (`GET /v2/{project_id}/tasks`); \
             the page has none",
        ));
    };
    let (method, path) = lines
        .get(uri + 1)
        .and_then(|l| method_line(&l.text))
        .ok_or_else(|| {
            let at = lines.get(uri + 1).unwrap_or(&lines[uri]);
            DocError::new(
                file,
                at.no,
                format!(
                    "expected the operation as `METHOD /path` after the `URI` heading, found `{}`",
                    at.text
                ),
            )
        })?;
    let line = lines[uri + 1].no;

    let mut section = Section::Uri;
    let mut status: Option<u16> = None;
    let mut ordinal = 0u32;
    let mut pending_caption: Option<(u32, String)> = None;
    let mut param_tables: Vec<(Placed, Section)> = Vec::new();
    let mut response_groups: Vec<(Option<u16>, usize, Vec<Placed>)> = Vec::new();
    let mut examples = Vec::new();
    let mut example_responses = Vec::new();
    let mut status_codes: Option<Vec<StatusCode>> = None;
    let mut i = uri + 2;
    while i < lines.len() {
        let l = &lines[i];
        if let Some(h) = heading(&l.text) {
            // In the status code section the header cell repeats the heading.
            let header_here = section == Section::StatusCodes && header_at(&lines, i).is_some();
            if !header_here {
                match h {
                    Heading::Request => section = Section::Request,
                    Heading::Response => {
                        section = Section::Response;
                        status = None;
                    }
                    Heading::Status(code) => {
                        status = Some(code);
                        if section == Section::Response {
                            response_groups.push((Some(code), l.no, Vec::new()));
                        }
                    }
                    Heading::ExampleRequests => section = Section::ExampleRequests,
                    Heading::ExampleResponses => {
                        section = Section::ExampleResponses;
                        status = None;
                    }
                    Heading::StatusCodes => section = Section::StatusCodes,
                    Heading::Sdk => section = Section::Skip,
                    Heading::End => break,
                }
                i += 1;
                continue;
            }
        }
        if let Some(c) = caption(&l.text) {
            pending_caption = Some(c);
            i += 1;
            continue;
        }
        let tabular = matches!(
            section,
            Section::Uri | Section::Request | Section::Response | Section::StatusCodes
        );
        if tabular {
            let Some((table, next)) = read_table(file, &lines, i, &stops)? else {
                i += 1;
                continue;
            };
            ordinal += 1;
            let placed = Placed {
                table,
                caption: pending_caption.take(),
                ordinal,
            };
            match section {
                Section::Uri | Section::Request => param_tables.push((placed, section)),
                Section::Response => {
                    if response_groups.is_empty() {
                        response_groups.push((status, placed.table.no, Vec::new()));
                    }
                    if let Some(group) = response_groups.last_mut() {
                        group.2.push(placed);
                    }
                }
                _ => status_codes = Some(status_rows(file, &placed.table)?),
            }
            i = next;
            continue;
        }
        match section {
            Section::ExampleRequests => {
                let t = l.text.trim_matches(['\'', '"', '`']);
                if let Some(ex) = example_request(t, l.no) {
                    examples.push(ex);
                } else if t.starts_with('{') || t.starts_with('[') {
                    // A request body: read past it.
                    let (_, next) = json_block(file, &lines, i)?;
                    i = next;
                    continue;
                }
            }
            Section::ExampleResponses if l.text.starts_with('{') || l.text.starts_with('[') => {
                let (body, next) = json_block(file, &lines, i)?;
                example_responses.push(ExampleResponse {
                    status,
                    body,
                    line: l.no,
                });
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }

    let all_tables: Vec<&Placed> = param_tables
        .iter()
        .map(|(p, _)| p)
        .chain(response_groups.iter().flat_map(|g| g.2.iter()))
        .collect();
    let params = parameters(file, &path, &param_tables, &all_tables)?;
    let mut responses = Vec::new();
    for (status, no, tables) in &response_groups {
        let fields = if tables.is_empty() {
            Vec::new()
        } else {
            link(file, tables, &all_tables)?
        };
        responses.push(Response {
            status: *status,
            fields,
            line: *no,
        });
    }
    Ok(Page {
        file: file.to_string(),
        title,
        function,
        method,
        path,
        line,
        params,
        responses,
        examples,
        example_responses,
        status_codes,
        services: services(text),
    })
}

/// The sentences under the `Function` heading, up to the next heading
/// (`URI`, `Constraints`, `Calling Method`...), joined into one paragraph.
fn function_text(lines: &[super::lines::Line]) -> Option<String> {
    let start = lines
        .iter()
        .position(|l| l.text == "Function" || l.text == "功能介绍")?;
    let stop = [
        "URI",
        "Constraints",
        "Calling Method",
        "Authorization",
        "调用方法",
        "约束限制",
        "授权信息",
    ];
    let text: Vec<&str> = lines[start + 1..]
        .iter()
        .map(|l| l.text.trim())
        .take_while(|t| !stop.contains(t))
        .filter(|t| !t.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// Service names a page mentions: `com.huaweicloud.sdk.<name>.`,
/// `huaweicloudsdk<name>`, `services/<name>/`, `{<name>_endpoint}` and the
/// first label of an example host (`https://<name>.` or `https://<name>-`).
fn services(text: &str) -> Vec<String> {
    let word = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let mut out = Vec::new();
    for marker in [
        "com.huaweicloud.sdk.",
        "huaweicloudsdk",
        "huaweicloud-sdk-go-v3/services/",
        "https://{",
        "https://",
    ] {
        for (at, _) in text.match_indices(marker) {
            let name = word(&text[at + marker.len()..]);
            let skip = ["core", "endpoint", "test", ""];
            if !skip.contains(&name.as_str()) {
                out.push(name.trim_end_matches("endpoint").to_string());
            }
        }
    }
    for (at, _) in text.match_indices("_endpoint}") {
        let before: String = text[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        out.push(
            before
                .chars()
                .rev()
                .collect::<String>()
                .to_ascii_lowercase(),
        );
    }
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// `GET /v2/{project_id}/tasks` → method and path.
fn method_line(text: &str) -> Option<(String, String)> {
    let (method, path) = text.split_once(' ')?;
    let path = path.trim();
    (METHODS.contains(&method) && path.starts_with('/') && !path.contains(' '))
        .then(|| (method.to_string(), path.to_string()))
}

/// `GET https://{endpoint}/v2/...?a=1` → an example request.
fn example_request(text: &str, no: usize) -> Option<ExampleRequest> {
    let (method, url) = text.split_once(' ')?;
    let url = url.trim();
    if !METHODS.contains(&method) || url.contains(' ') {
        return None;
    }
    let after_scheme = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let path_and_query = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    Some(ExampleRequest {
        method: method.to_string(),
        url: url.to_string(),
        path: path.to_string(),
        query,
        line: no,
    })
}

/// A JSON value starting at `lines[i]`, spanning lines until its brackets
/// close; the value and the index of the line after it.
fn json_block(
    file: &str,
    lines: &[Line],
    i: usize,
) -> Result<(serde_json::Value, usize), DocError> {
    let mut text = String::new();
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escaped = false;
    let mut j = i;
    while let Some(l) = lines.get(j) {
        text.push_str(&l.text);
        text.push('\n');
        j += 1;
        for c in l.text.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            break;
        }
    }
    serde_json::from_str(&text).map(|v| (v, j)).map_err(|e| {
        DocError::new(
            file,
            lines[i].no + e.line().saturating_sub(1),
            format!("expected an example body in JSON here: {e}"),
        )
    })
}

fn status_rows(file: &str, table: &Table) -> Result<Vec<StatusCode>, DocError> {
    if !table.columns.contains(&Column::Code) {
        return Err(DocError::new(
            file,
            table.no,
            "expected the status code table (`Status Code`, `Description`)",
        ));
    }
    Ok(table
        .rows
        .iter()
        .map(|r| StatusCode {
            code: r.get(Column::Code).unwrap_or_default().to_string(),
            description: r.get(Column::Description).unwrap_or_default().to_string(),
            line: r.no,
        })
        .collect())
}

/// The location a parameter table's caption names.
fn caption_location(title: &str) -> Option<ParamLocation> {
    let t = title.to_ascii_lowercase();
    if t.contains("path") || title.contains("路径") {
        Some(ParamLocation::Path)
    } else if t.contains("query") {
        Some(ParamLocation::Query)
    } else if t.contains("header") {
        Some(ParamLocation::Header)
    } else if t.contains("body") {
        Some(ParamLocation::Body)
    } else {
        None
    }
}

fn parameters(
    file: &str,
    path: &str,
    tables: &[(Placed, Section)],
    all: &[&Placed],
) -> Result<Vec<Parameter>, DocError> {
    let mut out = Vec::new();
    let mut index = 0;
    while index < tables.len() {
        let (placed, section) = &tables[index];
        let from_caption = placed
            .caption
            .as_ref()
            .and_then(|(_, t)| caption_location(t));
        let is_body = from_caption == Some(ParamLocation::Body)
            || (from_caption.is_none()
                && *section == Section::Request
                && !placed.table.rows.iter().any(|r| {
                    r.get(Column::Name)
                        .is_some_and(|n| n.contains('-') && n.starts_with(char::is_uppercase))
                }));
        if is_body {
            // The body table and the nested tables after it, up to the next
            // parameter table.
            let mut group = vec![placed.clone()];
            index += 1;
            while let Some((next, _)) = tables.get(index) {
                let located = next.caption.as_ref().and_then(|(_, t)| caption_location(t));
                if located.is_some() {
                    break;
                }
                group.push(next.clone());
                index += 1;
            }
            for field in link(file, &group, all)? {
                let row = group[0].table.rows.iter().find(|r| r.no == field.line);
                out.push(parameter(
                    field.name.clone(),
                    ParamLocation::Body,
                    row.and_then(|r| r.get(Column::Mandatory)),
                    field,
                ));
            }
            continue;
        }
        for row in &placed.table.rows {
            let name = row.get(Column::Name).unwrap_or_default().to_string();
            let location = from_caption.unwrap_or_else(|| {
                if *section == Section::Request {
                    ParamLocation::Header
                } else if path.contains(&format!("{{{name}}}")) {
                    ParamLocation::Path
                } else {
                    ParamLocation::Query
                }
            });
            let field = field_of(file, row)?;
            out.push(parameter(name, location, row.get(Column::Mandatory), field));
        }
        index += 1;
    }
    Ok(out)
}

fn parameter(
    name: String,
    location: ParamLocation,
    mandatory: Option<&str>,
    field: Field,
) -> Parameter {
    Parameter {
        name,
        location,
        required: mandatory.and_then(super::lines::mandatory_of),
        bounds: describe::bounds(&field.description),
        default: describe::default_value(&field.description),
        enumeration: describe::enumeration(&field.description),
        ty: field.ty,
        type_text: field.type_text,
        description: field.description,
        children: field.children,
        line: field.line,
    }
}

fn field_of(file: &str, row: &super::lines::Row) -> Result<Field, DocError> {
    let name = row.get(Column::Name).unwrap_or_default().to_string();
    let type_text = row.get(Column::Type).unwrap_or_default().to_string();
    let Some(ty) = PageType::parse(&type_text) else {
        return Err(DocError::new(
            file,
            row.no,
            format!(
                "expected a type (String, Integer, Array of X objects...) for `{name}`, found `{type_text}`"
            ),
        ));
    };
    Ok(Field {
        name,
        ty,
        type_text,
        description: row.get(Column::Description).unwrap_or_default().to_string(),
        children: Children::None,
        line: row.no,
    })
}

/// A `see Table 4` / `详情请参见表4` reference in a description.
fn table_reference(text: &str) -> Option<u32> {
    for marker in ["Table ", "表"] {
        for (at, _) in text.match_indices(marker) {
            let digits: String = text[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
    }
    None
}

/// Builds the fields of a group of tables: the first is the body, the others
/// describe the objects its fields (and theirs) refer to: by the caption
/// naming them, by an explicit `see Table N`, or else in order of reference.
fn link(file: &str, group: &[Placed], all: &[&Placed]) -> Result<Vec<Field>, DocError> {
    let captioned = group.iter().any(|p| p.caption.is_some());
    let mut claimed: BTreeSet<usize> = BTreeSet::from([0]);
    // (table index in group, row index) → child: Ok(table index) or the
    // reference the page lacks.
    let mut children: Vec<((usize, usize), Result<usize, String>)> = Vec::new();
    let mut queue = vec![0usize];
    let mut head = 0;
    while head < queue.len() {
        let t = queue[head];
        head += 1;
        for (r, row) in group[t].table.rows.iter().enumerate() {
            let field = field_of(file, row)?;
            if !field.ty.has_fields() {
                continue;
            }
            let child = if let Some(n) = table_reference(&field.description) {
                let found = group.iter().position(|p| {
                    p.caption.as_ref().map(|c| c.0) == Some(n)
                        || (p.caption.is_none() && p.ordinal == n)
                });
                let elsewhere = all
                    .iter()
                    .any(|p| p.ordinal == n || p.caption.as_ref().map(|c| c.0) == Some(n));
                match found {
                    Some(k) => Ok(k),
                    None if elsewhere => {
                        return Err(DocError::new(
                            file,
                            row.no,
                            format!(
                                "`{}` refers to table {n}, which describes something else",
                                field.name
                            ),
                        ));
                    }
                    None => Err(format!("Table {n}")),
                }
            } else if let Some(name) = field.ty.table().filter(|_| captioned) {
                match group
                    .iter()
                    .position(|p| p.caption.as_ref().is_some_and(|c| c.1 == name))
                {
                    Some(k) => Ok(k),
                    None => {
                        return Err(DocError::new(
                            file,
                            row.no,
                            format!(
                                "expected a table named `{name}` describing `{}`; the page has none",
                                field.name
                            ),
                        ));
                    }
                }
            } else {
                match (1..group.len()).find(|k| !claimed.contains(k)) {
                    Some(k) => Ok(k),
                    None if field.ty.table().is_none() => Err(String::new()),
                    None => {
                        return Err(DocError::new(
                            file,
                            row.no,
                            format!(
                                "expected a table describing `{}` ({}) after this one",
                                field.name, field.type_text
                            ),
                        ));
                    }
                }
            };
            if let Ok(k) = child
                && claimed.insert(k)
            {
                queue.push(k);
            }
            children.push(((t, r), child));
        }
    }
    if let Some(k) = (0..group.len()).find(|k| !claimed.contains(k)) {
        return Err(DocError::new(
            file,
            group[k].table.no,
            "expected every nested table to describe a field of the tables before it; \
             nothing refers to this one",
        ));
    }
    build(file, group, 0, &children, 0)
}

/// The table (by index in its group) describing the object of a field
/// (table index, row index), or the reference the page lacks.
type Links = [((usize, usize), Result<usize, String>)];

fn build(
    file: &str,
    group: &[Placed],
    t: usize,
    children: &Links,
    depth: usize,
) -> Result<Vec<Field>, DocError> {
    let mut out = Vec::new();
    for (r, row) in group[t].table.rows.iter().enumerate() {
        let mut field = field_of(file, row)?;
        if let Some((_, child)) = children.iter().find(|(at, _)| *at == (t, r)) {
            field.children = match child {
                Ok(k) if depth < 32 => {
                    Children::Fields(build(file, group, *k, children, depth + 1)?)
                }
                Ok(_) => Children::Undescribed("nesting too deep".into()),
                Err(reference) => Children::Undescribed(reference.clone()),
            };
        }
        out.push(field);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_captions() {
        assert_eq!(heading("Status code: 200"), Some(Heading::Status(200)));
        assert_eq!(heading("状态码: 400"), Some(Heading::Status(400)));
        assert_eq!(heading("状态码"), Some(Heading::StatusCodes));
        assert_eq!(heading("请求示例"), Some(Heading::ExampleRequests));
        assert_eq!(
            caption("Table 4 ListCenterTasksResp"),
            Some((4, "ListCenterTasksResp".into()))
        );
        assert_eq!(caption("表2 Query参数"), Some((2, "Query参数".into())));
        assert_eq!(caption("Tables"), None);
    }

    #[test]
    fn example_urls() {
        let ex = example_request("GET https://{endpoint}/v2/p/tasks?start=1&limit=", 3).unwrap();
        assert_eq!(ex.path, "/v2/p/tasks");
        assert_eq!(
            ex.query,
            vec![
                ("start".into(), "1".into()),
                ("limit".into(), String::new())
            ]
        );
        assert_eq!(example_request("GET /v2/p/tasks", 1), None);
    }

    #[test]
    fn a_page_without_a_method_line_says_where() {
        let err = parse("p.txt", "Title\nURI\n\nsomething else\n").unwrap_err();
        assert_eq!(err.line, 4);
        let err = parse("p.txt", "URI\nGET /v1/x\nResponse Parameters\nStatus code: 200\nParameter |\nType |\n---|---|\nitems |\nFoo bar |\n").unwrap_err();
        assert_eq!(err.line, 8);
        assert!(err.message.contains("expected a type"), "{err}");
    }

    #[test]
    fn a_named_table_the_page_lacks_is_an_error() {
        let text = "URI\nGET /v1/x\nResponse Parameters\nStatus code: 200\nTable 1 Response body parameters\nParameter\nType\nDescription\nitems\nArray of Item objects\nThe items.\nExample Requests\n";
        let err = parse("p.txt", text).unwrap_err();
        assert_eq!(err.line, 9);
        assert!(err.message.contains("`Item`"), "{err}");
    }
}
