//! Reading a whole page: the `METHOD /path` line under `URI`, then the
//! sections that follow it, in English or Chinese. Everything before the URI
//! (navigation, function, calling method) and after the error codes (feedback
//! forms, footers) is ignored.

mod examples;
mod tables;

use super::DocError;
use super::lines::{Line, Table, header_at, lines, read_table};
use super::page::{ExampleResponse, Page, Response, StatusCode};
pub(crate) use examples::example_request;
use examples::{json_block, method_line};
use tables::{link, parameters, status_rows};

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
        source: crate::page::DocSource::Page,
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
        operation_id: None,
    })
}

/// The sentences under the `Function` heading, up to the next heading
/// (`URI`, `Constraints`, `Calling Method`...), joined into one paragraph.
fn function_text(lines: &[Line]) -> Option<String> {
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
pub(crate) fn services(text: &str) -> Vec<String> {
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
