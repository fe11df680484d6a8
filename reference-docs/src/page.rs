//! What a reference page says about one operation.

use serde::Serialize;

pub use generator::model::extensions::DocSource;

/// A type as a page writes it (`String`, `Array of X objects`, `X object`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PageType {
    /// `string`, `integer`, `number` or `boolean`.
    Scalar {
        json: String,
    },
    /// An object, with the name of the table describing it if the page
    /// gives one.
    Object {
        table: Option<String>,
    },
    Array {
        items: Box<PageType>,
    },
}

impl PageType {
    /// Reads a type cell; `None` when the text is not a type.
    pub fn parse(text: &str) -> Option<PageType> {
        let t = text.trim();
        let scalar = |json: &str| {
            Some(PageType::Scalar {
                json: json.to_string(),
            })
        };
        match t.to_ascii_lowercase().as_str() {
            "string" | "strings" | "date" | "datetime" => return scalar("string"),
            "integer" | "integers" | "int" | "int32" | "int64" | "long" | "longs" | "short" => {
                return scalar("integer");
            }
            "number" | "numbers" | "float" | "double" | "bigdecimal" | "decimal" => {
                return scalar("number");
            }
            "boolean" | "booleans" | "bool" => return scalar("boolean"),
            "object" | "objects" | "json" => return Some(PageType::Object { table: None }),
            _ => {}
        }
        if t.starts_with("Map<") || t.starts_with("map<") {
            return Some(PageType::Object { table: None });
        }
        if let Some(rest) = t
            .strip_prefix("Array of ")
            .or_else(|| t.strip_prefix("array of "))
        {
            let items = match rest
                .trim()
                .strip_suffix(" objects")
                .or_else(|| rest.trim().strip_suffix(" object"))
            {
                Some(name) if is_table_name(name) => PageType::Object {
                    table: Some(name.trim().to_string()),
                },
                _ => PageType::parse(rest)?,
            };
            return Some(PageType::Array {
                items: Box::new(items),
            });
        }
        if t.eq_ignore_ascii_case("array") {
            return Some(PageType::Array {
                items: Box::new(PageType::Object { table: None }),
            });
        }
        let name = t.strip_suffix(" object")?;
        is_table_name(name).then(|| PageType::Object {
            table: Some(name.trim().to_string()),
        })
    }

    /// The JSON shape in the words the diff compares (`string`, `array of
    /// object`).
    pub fn shape(&self) -> String {
        match self {
            PageType::Scalar { json } => json.clone(),
            PageType::Object { .. } => "object".into(),
            PageType::Array { items } => format!("array of {}", items.shape()),
        }
    }

    /// The table describing this object, or this array's objects.
    pub fn table(&self) -> Option<&str> {
        match self {
            PageType::Object { table } => table.as_deref(),
            PageType::Array { items } => items.table(),
            PageType::Scalar { .. } => None,
        }
    }

    /// Whether values of this type are objects (or arrays of them).
    pub fn has_fields(&self) -> bool {
        match self {
            PageType::Object { .. } => true,
            PageType::Array { items } => items.has_fields(),
            PageType::Scalar { .. } => false,
        }
    }
}

fn is_table_name(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Body,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Body => "body",
        }
    }
}

/// Inclusive bounds a description states: a value range for numbers, a
/// length range for strings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Bounds {
    pub fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub name: String,
    pub location: ParamLocation,
    /// `None` when the page shows no mandatory mark.
    pub required: Option<bool>,
    pub ty: PageType,
    pub type_text: String,
    pub description: String,
    pub bounds: Bounds,
    pub default: Option<String>,
    /// Values the description enumerates, if it does.
    pub enumeration: Vec<String>,
    /// The regular expression a value must match, where the source states
    /// one (definitions do; pages never).
    pub pattern: Option<String>,
    /// Fields of an object body parameter.
    pub children: Children,
    /// Line of the parameter's row.
    pub line: usize,
}

impl Parameter {
    /// A body parameter as the field of the request body it is.
    pub fn as_field(&self) -> Field {
        Field {
            name: self.name.clone(),
            ty: self.ty.clone(),
            type_text: self.type_text.clone(),
            description: self.description.clone(),
            children: self.children.clone(),
            line: self.line,
        }
    }
}

/// A response (or request body) field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub ty: PageType,
    pub type_text: String,
    pub description: String,
    pub children: Children,
    pub line: usize,
}

/// What a page says about the fields of an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Children {
    /// Not an object.
    None,
    /// The table describing the object.
    Fields(Vec<Field>),
    /// The page refers to a table it does not contain (`see Table 4`).
    Undescribed(String),
}

/// The fields of one response status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// `None` when the page lists response fields under no status heading.
    pub status: Option<u16>,
    pub fields: Vec<Field>,
    pub line: usize,
}

/// An example request line (`GET https://{endpoint}/v2/...?limit=10`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExampleRequest {
    pub method: String,
    pub url: String,
    /// The URL's path, without scheme, host and query.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub line: usize,
}

/// An example response body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleResponse {
    pub status: Option<u16>,
    pub body: serde_json::Value,
    pub line: usize,
}

/// A row of the status code table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCode {
    pub code: String,
    pub description: String,
    pub line: usize,
}

/// One reference page, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The file the page was read from.
    pub file: String,
    /// What kind of source the file is: deviations recorded for one kind
    /// are not checked against the other.
    pub source: DocSource,
    pub title: Option<String>,
    /// What the page's `Function` section says the operation does.
    pub function: Option<String>,
    /// Upper-case method (`GET`).
    pub method: String,
    /// Path template (`/v2/{project_id}/tasks`).
    pub path: String,
    /// Line of the `METHOD /path` line.
    pub line: usize,
    pub params: Vec<Parameter>,
    pub responses: Vec<Response>,
    pub examples: Vec<ExampleRequest>,
    pub example_responses: Vec<ExampleResponse>,
    /// The status code table; `None` when the page has none (it may refer
    /// to a general list instead).
    pub status_codes: Option<Vec<StatusCode>>,
    /// Service names the page mentions anywhere (its SDK packages, its
    /// endpoint placeholders such as `{dcs_endpoint}`, its example hosts),
    /// lower-case: they tell services with the same path apart.
    pub services: Vec<String>,
    /// The operation's name as the source gives it (a definition's
    /// `operationId`); pages give none.
    pub operation_id: Option<String>,
}

/// Whether a status code is a client or server error (4xx, 5xx).
pub fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

impl Page {
    /// Whether the page lists any error status. One that lists none (most
    /// API Explorer definitions list only the success) says nothing about
    /// errors, so the spec's error statuses are not compared with it.
    pub fn lists_errors(&self) -> bool {
        self.statuses().iter().any(|c| is_error_status(c))
    }

    /// The page's parameter of this name, if any.
    pub fn param(&self, name: &str) -> Option<&Parameter> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The request body's fields: the body parameters, as fields.
    pub fn body_fields(&self) -> Vec<Field> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Body)
            .map(Parameter::as_field)
            .collect()
    }

    /// Every status the page documents: the status table's codes, else the
    /// statuses of its response sections.
    pub fn statuses(&self) -> Vec<String> {
        let mut codes: Vec<String> = match &self.status_codes {
            Some(table) => table.iter().map(|s| s.code.clone()).collect(),
            None => Vec::new(),
        };
        for r in &self.responses {
            if let Some(s) = r.status {
                codes.push(s.to_string());
            }
        }
        codes.sort();
        codes.dedup();
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse() {
        assert_eq!(
            PageType::parse("String").map(|t| t.shape()),
            Some("string".into())
        );
        let t = PageType::parse("Array of ListCenterTasksResp objects").unwrap();
        assert_eq!(t.shape(), "array of object");
        assert_eq!(t.table(), Some("ListCenterTasksResp"));
        assert_eq!(
            PageType::parse("DetailsBody object").unwrap().table(),
            Some("DetailsBody")
        );
        assert_eq!(
            PageType::parse("Array of strings").unwrap().shape(),
            "array of string"
        );
        assert_eq!(PageType::parse("Array of objects").unwrap().table(), None);
        assert_eq!(PageType::parse("Task status."), None);
        assert_eq!(PageType::parse("Yes"), None);
    }
}
