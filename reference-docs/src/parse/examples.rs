//! The lines of a page that are not tables: the operation's `METHOD /path`,
//! example request URLs and example bodies in JSON.

use crate::DocError;
use crate::lines::Line;
use crate::page::ExampleRequest;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// `GET /v2/{project_id}/tasks` → method and path.
pub(super) fn method_line(text: &str) -> Option<(String, String)> {
    let (method, path) = text.split_once(' ')?;
    let path = path.trim();
    (METHODS.contains(&method) && path.starts_with('/') && !path.contains(' '))
        .then(|| (method.to_string(), path.to_string()))
}

/// `GET https://{endpoint}/v2/...?a=1` → an example request.
pub(crate) fn example_request(text: &str, no: usize) -> Option<ExampleRequest> {
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
pub(super) fn json_block(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
