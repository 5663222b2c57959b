//! The one expression language of Weft: MiniJinja, for templated strings (`Hello {{ params.name }}`)
//! and conditions (`params.count > 10`), over `params`, `vars`, `tasks` and `run`.
//!
//! Undefined names are errors (strict mode), so a typo fails the task with a message that names
//! the activity and the field instead of silently rendering an empty string.

use minijinja::{Environment, UndefinedBehavior};
use serde_json::Value;
use std::sync::OnceLock;

/// An expression or template that does not parse or does not evaluate.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[error("WEFT-E001 {activity}.{field}: {message}")]
pub struct Error {
    /// Activity id.
    pub activity: String,
    /// Config field holding the expression.
    pub field: String,
    /// What went wrong, as MiniJinja says it.
    pub message: String,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env
    })
}

/// Where an expression sits, for error messages.
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    /// Activity id.
    pub activity: &'a str,
    /// Config field.
    pub field: &'a str,
}

impl Site<'_> {
    fn error(&self, e: impl std::fmt::Display) -> Error {
        Error {
            activity: self.activity.into(),
            field: self.field.into(),
            message: e.to_string(),
        }
    }
}

/// Renders a template against a context (a JSON object).
pub fn render(site: Site<'_>, template: &str, context: &Value) -> Result<String, Error> {
    if !template.contains("{{") && !template.contains("{%") {
        return Ok(template.to_string());
    }
    env()
        .render_str(template, context)
        .map_err(|e| site.error(describe(&e, template)))
}

/// Evaluates a condition to a boolean (truthiness as in Jinja).
pub fn evaluate_bool(site: Site<'_>, expression: &str, context: &Value) -> Result<bool, Error> {
    let compiled = env()
        .compile_expression(expression)
        .map_err(|e| site.error(describe(&e, expression)))?;
    let value = compiled
        .eval(context)
        .map_err(|e| site.error(describe(&e, expression)))?;
    Ok(value.is_true())
}

/// Checks a template's syntax without evaluating it.
pub fn check_template(site: Site<'_>, template: &str) -> Result<(), Error> {
    env()
        .template_from_str(template)
        .map(drop)
        .map_err(|e| site.error(describe(&e, template)))
}

/// Checks an expression's syntax without evaluating it.
pub fn check_expression(site: Site<'_>, expression: &str) -> Result<(), Error> {
    env()
        .compile_expression(expression)
        .map(drop)
        .map_err(|e| site.error(describe(&e, expression)))
}

/// The activities whose results a template or condition reads as `tasks.ID` or `tasks["ID"]`;
/// `None` when it uses `tasks` in any other way (`tasks[name]`, `{% for t in tasks %}`), so the
/// caller provides every task. Reads the text, not the syntax tree: mentions inside string
/// literals only add names, never hide one, so the answer is always a superset of what is read.
pub fn referenced_tasks(text: &str) -> Option<Vec<String>> {
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("tasks") {
        let start = from + found;
        let end = start + "tasks".len();
        from = end;
        let attribute = start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'.');
        if attribute || end < bytes.len() && is_ident(bytes[end]) {
            continue; // part of another name (`subtasks`, `tasks2`) or an attribute (`x.tasks`)
        }
        let mut i = end;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'.') => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let name_start = i;
                while i < bytes.len() && is_ident(bytes[i]) {
                    i += 1;
                }
                if i == name_start {
                    return None;
                }
                names.push(text[name_start..i].to_string());
            }
            Some(b'[') => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let quote = match bytes.get(i) {
                    Some(q @ (b'"' | b'\'')) => *q,
                    _ => return None,
                };
                let name_start = i + 1;
                let name_end = name_start + text[name_start..].find(quote as char)?;
                let name = &text[name_start..name_end];
                if name.contains('\\') {
                    return None;
                }
                let mut j = name_end + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) != Some(&b']') {
                    return None;
                }
                names.push(name.to_string());
            }
            _ => return None,
        }
    }
    Some(names)
}

/// MiniJinja's message, with the part of the source it points at (`contact.nickname`).
fn describe(e: &minijinja::Error, source: &str) -> String {
    let mut text = e
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| e.kind().to_string());
    let snippet = e
        .range()
        .and_then(|r| source.get(r))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if e.kind() == minijinja::ErrorKind::UndefinedError {
        text = match snippet {
            Some(name) => format!("undefined value `{name}` (known roots: params, vars, tasks, run, and contact in per-record templates)"),
            None => format!("{text} (known roots: params, vars, tasks, run)"),
        };
    } else if let Some(near) = snippet {
        text = format!("{text} (near `{near}`)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SITE: Site<'static> = Site {
        activity: "a1",
        field: "url",
    };

    #[test]
    fn renders_parameters() {
        let ctx = json!({"params": {"name": "Ada"}});
        assert_eq!(
            render(SITE, "Hi {{ params.name }}", &ctx).unwrap(),
            "Hi Ada"
        );
    }

    #[test]
    fn undefined_name_names_activity_and_field() {
        let err = render(SITE, "{{ params.nope }}", &json!({"params": {}})).unwrap_err();
        assert_eq!(err.activity, "a1");
        assert!(err.to_string().contains("a1.url"), "{err}");
    }

    #[test]
    fn conditions_evaluate() {
        let ctx = json!({"params": {"n": 12}});
        assert!(evaluate_bool(SITE, "params.n > 10", &ctx).unwrap());
        assert!(!evaluate_bool(SITE, "params.n > 20", &ctx).unwrap());
    }

    #[test]
    fn syntax_errors_are_caught_before_running() {
        assert!(check_expression(SITE, "params.n >").is_err());
        assert!(check_template(SITE, "{{ unclosed").is_err());
    }

    #[test]
    fn task_references_are_read_from_the_text() {
        assert_eq!(
            referenced_tasks("{{ tasks.q.recordCount }} and {{ tasks[\"send-mail\"].result }}"),
            Some(vec!["q".to_string(), "send-mail".to_string()])
        );
        assert_eq!(referenced_tasks("subtasks and params.tasks2"), Some(vec![]));
        assert_eq!(referenced_tasks("{{ tasks[params.which] }}"), None);
        assert_eq!(
            referenced_tasks("{% for k in tasks %}{{ k }}{% endfor %}"),
            None
        );
        assert_eq!(referenced_tasks("{{ tasks }}"), None);
    }
}
