//! The structured filter of Query activities and the Contacts view: rules over fields, joined by
//! all / any, compiled to SQL with bound parameters. Unknown fields are errors naming the field.

use rusqlite::types::Value as SqlValue;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// How rules combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every rule holds.
    #[default]
    All,
    /// At least one rule holds.
    Any,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// Equals (case-insensitive for text).
    Eq,
    /// Differs.
    Ne,
    /// Contains (text), or has the tag (tags).
    Contains,
    /// Starts with.
    StartsWith,
    /// Ends with.
    EndsWith,
    /// One of a list.
    In,
    /// Greater than (numbers, times in ms).
    Gt,
    /// Less than.
    Lt,
    /// Empty or absent.
    IsEmpty,
    /// Present and not empty.
    NotEmpty,
}

/// One rule: `field op value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Rule {
    /// `email`, `name`, `phone`, `status`, `tags`, `created_at`, `updated_at` or `custom.NAME`.
    pub field: String,
    /// Comparison.
    pub op: Operator,
    /// Value compared with (a list for `in`; ignored by `is_empty` / `not_empty`).
    #[serde(default)]
    #[ts(type = "unknown")]
    pub value: Value,
}

/// A filter: rules joined by all / any. No rules matches everything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Filter {
    /// How rules combine.
    #[serde(default, rename = "match")]
    pub match_: Match,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A filter that cannot be compiled.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FilterError {
    /// WEFT-C001: no such field.
    #[error("WEFT-C001 rules[{index}]: unknown field {field:?}; fields are email, name, phone, status, tags, created_at, updated_at, custom.NAME")]
    UnknownField {
        /// Rule position.
        index: usize,
        /// Field as written.
        field: String,
    },
    /// WEFT-C002: the value does not suit the operator.
    #[error("WEFT-C002 rules[{index}] ({field}): {message}")]
    BadValue {
        /// Rule position.
        index: usize,
        /// Field.
        field: String,
        /// Why.
        message: String,
    },
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Filter {
    /// Matches everything.
    pub fn all() -> Self {
        Self::default()
    }

    /// The SQL condition and its bound values.
    pub fn to_sql(&self) -> Result<(String, Vec<SqlValue>), FilterError> {
        if self.rules.is_empty() {
            return Ok(("1=1".into(), Vec::new()));
        }
        let mut args: Vec<SqlValue> = Vec::new();
        let mut parts = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
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
                    Operator::Contains | Operator::Eq => format!("EXISTS (SELECT 1 FROM json_each(tags) WHERE value = {} COLLATE NOCASE)", bind(SqlValue::Text(text(&rule.value)))),
                    Operator::Ne => format!("NOT EXISTS (SELECT 1 FROM json_each(tags) WHERE value = {} COLLATE NOCASE)", bind(SqlValue::Text(text(&rule.value)))),
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
        let joiner = match self.match_ {
            Match::All => " AND ",
            Match::Any => " OR ",
        };
        Ok((parts.join(joiner), args))
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
