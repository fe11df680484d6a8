//! Bodies and examples: a media type's schema and the examples shown under
//! it, pretty-printed as JSON.

use serde::Serialize;

use super::types::{TypeView, type_of_optional};
use crate::model;
use crate::spec::document::Node;

/// One media type of a request or response body.
#[derive(Serialize)]
pub struct Media {
    media_type: String,
    type_of: TypeView,
    examples: Vec<Example>,
}

/// An example block: its label and the value as pretty JSON.
#[derive(Serialize)]
pub struct Example {
    label: String,
    json: String,
}

impl Example {
    pub fn new(label: String, value: &Node) -> Self {
        Example {
            label,
            json: value.to_json_pretty(),
        }
    }
}

/// The media types of a body: schema, then the `example` and the named
/// `examples` that have a value.
pub fn media(media: &[model::Media]) -> Vec<Media> {
    media
        .iter()
        .map(|m| Media {
            media_type: m.media_type.clone(),
            type_of: type_of_optional(m.schema.as_ref()),
            examples: m
                .examples
                .iter()
                .map(|e| {
                    let label = match (&e.name, &e.summary) {
                        (None, _) => "Example".to_string(),
                        (Some(name), Some(s)) => format!("Example {name}: {s}"),
                        (Some(name), None) => format!("Example {name}"),
                    };
                    Example::new(label, &e.value)
                })
                .collect(),
        })
        .collect()
}
