//! `--query`: a JMESPath expression over the JSON output, as `aws --query`
//! and KooCLI's `--cli-query` take, through the `jmespath` crate (the
//! JMESPath project's own Rust implementation). An expression is checked
//! when the command line is read, so a bad one stops the tool (exit 2)
//! before any request: its syntax, the functions it calls and its slices.

use std::io::Write;

use jmespath::ast::Ast;
use serde_json::Value;

/// Checks an expression: it parses, every function it calls exists, no
/// slice steps by zero. The error is one line, with the column.
pub fn parse(text: &str) -> Result<String, String> {
    let expression = jmespath::compile(text).map_err(|e| one_line(&e))?;
    check(expression.as_ast())?;
    Ok(text.to_string())
}

fn one_line(error: &jmespath::JmespathError) -> String {
    format!("{} (column {})", error.reason, error.column)
}

/// What only running the expression would otherwise find.
fn check(ast: &Ast) -> Result<(), String> {
    match ast {
        Ast::Function { name, args, .. } => {
            if jmespath::DEFAULT_RUNTIME.get_function(name).is_none() {
                return Err(format!("unknown function `{name}`"));
            }
            args.iter().try_for_each(check)
        }
        Ast::Slice { step: 0, .. } => Err("a slice cannot step by 0".into()),
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => check(lhs).and_then(|()| check(rhs)),
        Ast::Condition {
            predicate, then, ..
        } => check(predicate).and_then(|()| check(then)),
        Ast::Expref { ast, .. } => check(ast),
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
            check(node)
        }
        Ast::MultiList { elements, .. } => elements.iter().try_for_each(check),
        Ast::MultiHash { elements, .. } => elements.iter().try_for_each(|kv| check(&kv.value)),
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => Ok(()),
    }
}

/// The expression's result over `document`; a failure (a function given
/// the wrong type) is one line.
pub fn apply(expression: &str, document: &Value) -> Result<Value, String> {
    let compiled = jmespath::compile(expression).map_err(|e| one_line(&e))?;
    let found = compiled.search(document).map_err(|e| one_line(&e))?;
    serde_json::to_value(&*found).map_err(|e| e.to_string())
}

/// Writes a result: indented, or on one line.
pub fn print(out: &mut dyn Write, result: &Value, pretty: bool) -> std::io::Result<()> {
    if pretty {
        writeln!(out, "{result:#}")
    } else {
        writeln!(out, "{result}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_expressions_are_refused_when_read() {
        assert!(parse("[?status=='failed'].id").is_ok());
        assert!(parse("length(@)").is_ok());
        let syntax = parse("[?status==").unwrap_err();
        assert!(!syntax.contains('\n'), "{syntax}");
        assert!(
            parse("nosuch(@)")
                .unwrap_err()
                .contains("unknown function `nosuch`")
        );
        assert!(parse("sort_by(@, &nosuch(id))").is_err());
        assert!(parse("[::0]").is_err());
    }

    #[test]
    fn a_query_filters_and_projects() {
        let rows = serde_json::json!([
            {"id": "a", "status": "failed"},
            {"id": "b", "status": "running"}
        ]);
        let found = apply("[?status=='failed'].id", &rows).unwrap();
        assert_eq!(found, serde_json::json!(["a"]));
        assert_eq!(apply("length(@)", &rows).unwrap(), serde_json::json!(2));
    }
}
