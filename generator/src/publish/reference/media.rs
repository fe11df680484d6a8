//! Bodies and examples: a media type's schema and the examples shown under
//! it, pretty-printed as JSON.

use serde::Serialize;

use super::types::{TypeView, type_of};
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

/// The media types of a body (its `content`): schema, then the `example`
/// and the named `examples` that have a value.
pub fn media(doc: &Node, content: Option<&Node>) -> Vec<Media> {
    content
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(media_type, media)| {
            let mut examples = Vec::new();
            if let Some(example) = media.get("example") {
                examples.push(Example::new("Example".into(), example));
            }
            for (name, example) in media.get("examples").map(Node::entries).unwrap_or_default() {
                let example = example.deref(doc);
                let label = match example.get("summary").and_then(Node::as_str) {
                    Some(s) => format!("Example {name}: {s}"),
                    None => format!("Example {name}"),
                };
                if let Some(value) = example.get("value") {
                    examples.push(Example::new(label, value));
                }
            }
            Media {
                media_type: media_type.clone(),
                type_of: type_of(media.get("schema").unwrap_or(&Node::Null)),
                examples,
            }
        })
        .collect()
}
