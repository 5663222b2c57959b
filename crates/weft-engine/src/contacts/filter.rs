//! The structured filter of Query activities and the Contacts view: rules over fields, joined by
//! all / any; each store compiles it into its own query language. Unknown fields are errors
//! naming the field.

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

/// A rule's value as text.
pub(crate) fn text(v: &Value) -> String {
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

    /// Checks every rule: known field, a value that suits the operator. The one check behind
    /// validation (WEFT-V009) and behind every store's compilation of the filter.
    pub fn check(&self) -> Result<(), FilterError> {
        for (index, rule) in self.rules.iter().enumerate() {
            let known = BUILT_IN.contains(&rule.field.as_str())
                || rule.field.strip_prefix("custom.").is_some_and(|name| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                });
            if !known {
                return Err(FilterError::UnknownField {
                    index,
                    field: rule.field.clone(),
                });
            }
            let bad = |message: &str| FilterError::BadValue {
                index,
                field: rule.field.clone(),
                message: message.into(),
            };
            let tag_op = matches!(
                rule.op,
                Operator::Contains
                    | Operator::Eq
                    | Operator::Ne
                    | Operator::IsEmpty
                    | Operator::NotEmpty
            );
            if rule.field == "tags" && !tag_op {
                return Err(bad("tags support contains, ne, is_empty and not_empty"));
            }
            if rule.op == Operator::In && !rule.value.is_array() {
                return Err(bad("`in` needs a list of values"));
            }
        }
        Ok(())
    }
}

/// The fields a rule may name besides `custom.NAME`.
const BUILT_IN: &[&str] = &[
    "email",
    "name",
    "phone",
    "status",
    "tags",
    "created_at",
    "updated_at",
];
