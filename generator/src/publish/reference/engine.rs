//! The template engine that lays the page out.
//!
//! Templates live in `templates/` and are compiled into the binary, so the
//! page needs no files at run time. Every value a template prints goes
//! through [`esc`] unless it is marked safe; the only safe values are the
//! output of the `text` filter (escaped prose with `code` spans), of macros
//! and includes (already rendered by these rules) and the style sheet. An
//! undefined value is an error rather than an empty string, so a misspelt
//! field cannot silently drop part of the page.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, UndefinedBehavior};
use serde::Serialize;

use super::escape::{esc, text};

/// The templates, by the name they are included under.
const TEMPLATES: [(&str, &str); 9] = [
    ("page.html", include_str!("templates/page.html")),
    ("inline.html", include_str!("templates/inline.html")),
    ("endpoints.html", include_str!("templates/endpoints.html")),
    (
        "authentication.html",
        include_str!("templates/authentication.html"),
    ),
    ("operation.html", include_str!("templates/operation.html")),
    ("media.html", include_str!("templates/media.html")),
    ("schema.html", include_str!("templates/schema.html")),
    ("extensions.html", include_str!("templates/extensions.html")),
    ("portal.html", include_str!("templates/portal.html")),
];

/// The style sheet, inlined into the page (no file is loaded).
const CSS: &str = include_str!("templates/style.css");

/// Renders `page.html` with `view` as its context.
pub fn render_page(view: &impl Serialize) -> Result<String, Error> {
    render("page.html", view)
}

/// Renders the template `name` with `view` as its context.
pub fn render(name: &str, view: &impl Serialize) -> Result<String, Error> {
    let env = environment()?;
    env.get_template(name)?.render(view)
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    // A name of our own: minijinja's built-in HTML escaping differs from
    // `esc` (it also escapes `/`), and the page must keep its bytes.
    env.set_auto_escape_callback(|_| AutoEscape::Custom("html"));
    env.set_formatter(|out, _state, value| {
        if value.is_safe() {
            out.write_str(value.as_str().unwrap_or_default())?;
        } else {
            out.write_str(&esc(&value.to_string()))?;
        }
        Ok(())
    });
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags take their own line without leaving blank lines behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("text", |s: &str| Value::from_safe_string(text(s)));
    env.add_global("css", Value::from_safe_string(CSS.to_string()));
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use minijinja::context;

    use super::*;
    use crate::model::Schema;
    use crate::publish::reference::types::type_of;
    use crate::spec::document::Node;

    #[test]
    fn values_are_escaped_like_esc_and_prose_marks_code() {
        let env = environment().expect("templates compile");
        let out = env
            .render_str("{{ s }}|{{ s|text }}", context! { s => "a/'`<b>`\"&" })
            .expect("renders");
        assert_eq!(
            out,
            "a/&#39;`&lt;b&gt;`&quot;&amp;|a/&#39;<code>&lt;b&gt;</code>&quot;&amp;"
        );
    }

    #[test]
    fn an_undefined_value_is_an_error() {
        let env = environment().expect("templates compile");
        assert!(env.render_str("{{ missing }}", ()).is_err());
        assert!(env.render_str("{% if missing %}x{% endif %}", ()).is_err());
    }

    #[test]
    fn types_are_worded_part_by_part() {
        let env = environment().expect("templates compile");
        let render = |schema: serde_json::Value| {
            let view = Value::from_serialize(type_of(&Schema::read(&Node::sorted(&schema), "")));
            env.render_str(
                "{% import 'inline.html' as i %}{{ i.type_of(t) }}",
                context! { t => view },
            )
            .expect("renders")
        };
        assert_eq!(
            render(serde_json::json!({"$ref": "#/components/schemas/A~1<b>"})),
            "<a href=\"#schema-A_2f__3c_b_3e_\">A/&lt;b&gt;</a>"
        );
        assert_eq!(
            render(
                serde_json::json!({"type": "array", "items": {"type": "string",
                "format": "date"}, "nullable": true})
            ),
            "array of string (date), nullable"
        );
        // An empty combination writes nothing, yet a `; ` still separates it
        // from what came before.
        assert_eq!(
            render(
                serde_json::json!({"oneOf": [{"type": "string"}], "anyOf": [],
                "type": "integer"})
            ),
            "string; ; integer"
        );
        assert_eq!(render(serde_json::json!({"oneOf": [], "type": ""})), "any");
    }
}
