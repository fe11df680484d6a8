//! A page's tables made into parameters, fields and status codes: where each
//! parameter table's rows go (path, query, header, body), and how nested
//! tables attach to the fields that refer to them.

use std::collections::BTreeSet;

use super::{Placed, Section};
use crate::DocError;
use crate::describe;
use crate::lines::{Column, Row, Table, mandatory_of};
use crate::page::{Children, Field, PageType, ParamLocation, Parameter, StatusCode};

pub(super) fn status_rows(file: &str, table: &Table) -> Result<Vec<StatusCode>, DocError> {
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

pub(super) fn parameters(
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
        required: mandatory.and_then(mandatory_of),
        bounds: describe::bounds(&field.description),
        default: describe::default_value(&field.description),
        enumeration: describe::enumeration(&field.description),
        pattern: None,
        ty: field.ty,
        type_text: field.type_text,
        description: field.description,
        children: field.children,
        line: field.line,
    }
}

fn field_of(file: &str, row: &Row) -> Result<Field, DocError> {
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
pub(super) fn link(file: &str, group: &[Placed], all: &[&Placed]) -> Result<Vec<Field>, DocError> {
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
