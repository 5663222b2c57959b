//! A contacts [`Filter`] compiled to SQL with bound parameters (never text pasted into the
//! query).

use crate::contacts::filter_text as text;
use crate::contacts::{Filter, FilterError, Match, Operator};
use rusqlite::types::Value as SqlValue;
use serde_json::Value;

/// A filter as an SQL condition over `contacts` and its bound values (`?1`, `?2`…).
pub(super) fn compile(filter: &Filter) -> Result<(String, Vec<SqlValue>), FilterError> {
    filter.check()?;
    if filter.rules.is_empty() {
        return Ok(("1=1".into(), Vec::new()));
    }
    let mut args: Vec<SqlValue> = Vec::new();
    let mut parts = Vec::new();
    for (index, rule) in filter.rules.iter().enumerate() {
        let column = match rule.field.as_str() {
            "email" | "name" | "phone" | "status" | "created_at" | "updated_at" => {
                rule.field.clone()
            }
            "tags" => "tags".into(),
            f if f.starts_with("custom.")
                && f.len() > 7
                && f[7..]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                args.push(SqlValue::Text(format!("$.\"{}\"", &f[7..])));
                format!("json_extract(custom, ?{})", args.len())
            }
            _ => {
                return Err(FilterError::UnknownField {
                    index,
                    field: rule.field.clone(),
                })
            }
        };
        let bad = |message: &str| FilterError::BadValue {
            index,
            field: rule.field.clone(),
            message: message.into(),
        };
        let mut bind = |v: SqlValue| {
            args.push(v);
            format!("?{}", args.len())
        };
        let numeric = matches!(rule.field.as_str(), "created_at" | "updated_at");
        let part = if rule.field == "tags" {
            match rule.op {
                Operator::Contains | Operator::Eq => format!(
                    "EXISTS (SELECT 1 FROM json_each(tags) WHERE value = {} COLLATE NOCASE)",
                    bind(SqlValue::Text(text(&rule.value)))
                ),
                Operator::Ne => format!(
                    "NOT EXISTS (SELECT 1 FROM json_each(tags) WHERE value = {} COLLATE NOCASE)",
                    bind(SqlValue::Text(text(&rule.value)))
                ),
                Operator::IsEmpty => "json_array_length(tags) = 0".into(),
                Operator::NotEmpty => "json_array_length(tags) > 0".into(),
                _ => return Err(bad("tags support contains, ne, is_empty and not_empty")),
            }
        } else {
            let value = |v: &Value| -> SqlValue {
                match v {
                    Value::Number(n) if n.is_i64() => {
                        SqlValue::Integer(n.as_i64().unwrap_or_default())
                    }
                    Value::Number(n) => SqlValue::Real(n.as_f64().unwrap_or_default()),
                    Value::Bool(b) => SqlValue::Integer(*b as i64),
                    other if numeric => text(other)
                        .parse::<i64>()
                        .map(SqlValue::Integer)
                        .unwrap_or(SqlValue::Text(text(other))),
                    other => SqlValue::Text(text(other)),
                }
            };
            match rule.op {
                Operator::Eq => {
                    format!("{column} = {} COLLATE NOCASE", bind(value(&rule.value)))
                }
                Operator::Ne => format!(
                    "({column} IS NULL OR {column} <> {} COLLATE NOCASE)",
                    bind(value(&rule.value))
                ),
                Operator::Contains => format!(
                    "instr(lower({column}), lower({})) > 0",
                    bind(SqlValue::Text(text(&rule.value)))
                ),
                Operator::StartsWith => format!(
                    "lower({column}) LIKE lower({}) || '%' ESCAPE '\\'",
                    bind(SqlValue::Text(escape_like(&text(&rule.value))))
                ),
                Operator::EndsWith => format!(
                    "lower({column}) LIKE '%' || lower({}) ESCAPE '\\'",
                    bind(SqlValue::Text(escape_like(&text(&rule.value))))
                ),
                Operator::Gt => format!("{column} > {}", bind(value(&rule.value))),
                Operator::Lt => format!("{column} < {}", bind(value(&rule.value))),
                Operator::IsEmpty => format!("({column} IS NULL OR {column} = '')"),
                Operator::NotEmpty => format!("({column} IS NOT NULL AND {column} <> '')"),
                Operator::In => {
                    let Value::Array(items) = &rule.value else {
                        return Err(bad("`in` needs a list of values"));
                    };
                    if items.is_empty() {
                        "0".into()
                    } else {
                        let marks: Vec<String> = items.iter().map(|i| bind(value(i))).collect();
                        format!("{column} COLLATE NOCASE IN ({})", marks.join(","))
                    }
                }
            }
        };
        parts.push(format!("({part})"));
    }
    let joiner = match filter.match_ {
        Match::All => " AND ",
        Match::Any => " OR ",
    };
    Ok((parts.join(joiner), args))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Shifts `?N` placeholders by `by` (the condition is embedded after other parameters).
pub(super) fn shift_params(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            match digits.parse::<usize>() {
                Ok(n) => out.push_str(&format!("?{}", n + by)),
                Err(_) => out.push('?'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
