//! The one error shape every front door answers with: `{ code, message, details }` — the
//! desktop bridge, the HTTP bridge, a script reading the CLI's JSON.
//!
//! Engine errors keep their stable codes (`WEFT-X001`, `WEFT-S003`, `WEFT-F004`…, documented in
//! `docs/errors/`); a front door's own errors use its own codes (`WEFT-D…` for the desktop
//! shell). `details` carries the data that explains the failure (diagnostics, JSON path, missing
//! id) so that the UI can point at it without parsing the message.

use crate::{contacts, crash, exec, links, load, store, templates};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

/// An error as a front door returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// Stable code (`WEFT-X001`).
    pub code: String,
    /// Human explanation, without the code.
    pub message: String,
    /// Structured data about the failure; `null` when there is none.
    #[ts(type = "unknown")]
    pub details: Value,
}

/// Result of a front door's call.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with a code and a message and no details.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            details: Value::Null,
        }
    }

    /// Adds structured details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Removes the leading code the engine puts in its messages (`WEFT-X001 the workflow…`).
fn without_code(code: &str, message: String) -> String {
    match message.strip_prefix(code) {
        Some(rest) => rest.trim_start().to_string(),
        None => message,
    }
}

impl From<store::Error> for ApiError {
    fn from(e: store::Error) -> Self {
        let (code, details) = match &e {
            store::Error::Database { .. } => ("WEFT-S001", Value::Null),
            store::Error::NewerSchema { found, supported } => (
                "WEFT-S002",
                json!({ "found": found, "supported": supported }),
            ),
            store::Error::NotFound { what, id } => ("WEFT-S003", json!({ "what": what, "id": id })),
            store::Error::Corrupt { what, .. } => ("WEFT-S004", json!({ "what": what })),
            store::Error::Open { path, .. } => ("WEFT-S005", json!({ "path": path })),
            store::Error::NotEmpty { table, rows } => {
                ("WEFT-S006", json!({ "table": table, "rows": rows }))
            }
        };
        Self {
            code: code.into(),
            message: without_code(code, e.to_string()),
            details,
        }
    }
}

impl From<load::Error> for ApiError {
    fn from(e: load::Error) -> Self {
        let details = match &e {
            load::Error::Syntax { line, column, .. } => json!({ "line": line, "column": column }),
            load::Error::NewerFormat { found, supported } => {
                json!({ "found": found, "supported": supported })
            }
            load::Error::UnknownKind { path, id, kind, .. } => {
                json!({ "path": path, "activity": id, "kind": kind })
            }
            load::Error::Field { path, .. } => json!({ "path": path }),
            load::Error::TooLarge { size, limit } => json!({ "size": size, "limit": limit }),
        };
        let code = e.code();
        Self {
            code: code.into(),
            message: without_code(code, e.to_string()),
            details,
        }
    }
}

impl From<contacts::ImportError> for ApiError {
    fn from(e: contacts::ImportError) -> Self {
        let details = match &e {
            contacts::ImportError::Store(_) => Value::Null,
            contacts::ImportError::Csv { line, .. } => json!({ "line": line }),
            contacts::ImportError::MissingColumn { column, .. } => json!({ "column": column }),
            contacts::ImportError::DuplicateColumn {
                field,
                first,
                second,
                ..
            } => json!({ "field": field, "columns": [first, second] }),
            contacts::ImportError::TooLarge { size, limit } => {
                json!({ "size": size, "limit": limit })
            }
            contacts::ImportError::Unreadable { path, .. } => json!({ "path": path }),
        };
        if let contacts::ImportError::Store(inner) = e {
            return inner.into();
        }
        let code = e.code();
        Self {
            code: code.into(),
            message: without_code(code, e.to_string()),
            details,
        }
    }
}

impl From<links::Error> for ApiError {
    fn from(e: links::Error) -> Self {
        let code = e.code();
        Self::new(code, without_code(code, e.to_string()))
    }
}

impl From<crash::Error> for ApiError {
    fn from(e: crash::Error) -> Self {
        let details = match &e {
            crash::Error::Io { path, .. } => json!({ "path": path }),
            crash::Error::NotFound(name) => json!({ "name": name }),
        };
        let code = e.code();
        Self {
            code: code.into(),
            message: without_code(code, e.to_string()),
            details,
        }
    }
}

impl From<templates::Error> for ApiError {
    fn from(e: templates::Error) -> Self {
        let details = match &e {
            templates::Error::NotFound(id) => json!({ "id": id }),
            templates::Error::BadFolder(folder) => json!({ "folder": folder }),
            templates::Error::Io { path, .. } => json!({ "path": path }),
        };
        let code = e.code();
        Self {
            code: code.into(),
            message: without_code(code, e.to_string()),
            details,
        }
    }
}

impl From<exec::Error> for ApiError {
    fn from(e: exec::Error) -> Self {
        match e {
            exec::Error::Store(e) => e.into(),
            exec::Error::Load(e) => e.into(),
            exec::Error::Contacts(e) => e.into(),
            exec::Error::Template(e) => e.into(),
            exec::Error::Invalid(diagnostics) => {
                Self::new("WEFT-X001", "the workflow does not validate")
                    .with_details(json!({ "diagnostics": diagnostics }))
            }
            exec::Error::BadParameters(problems) => Self::new(
                "WEFT-R005",
                format!("bad parameters: {}", problems.join("; ")),
            )
            .with_details(json!({ "problems": problems })),
            exec::Error::CommandRefused { code, reason } => {
                Self::new(code.code(), reason).with_details(json!({ "refusal": code }))
            }
            exec::Error::NotAppliedYet { id, waited } => {
                let text = exec::Error::NotAppliedYet { id, waited }.to_string();
                Self::new("WEFT-X005", without_code("WEFT-X005", text))
                    .with_details(json!({ "command": id }))
            }
            exec::Error::StaleRevision { id, base, latest } => {
                let text = exec::Error::StaleRevision {
                    id: id.clone(),
                    base,
                    latest,
                }
                .to_string();
                Self::new("WEFT-X009", without_code("WEFT-X009", text))
                    .with_details(json!({ "id": id, "base": base, "latest": latest }))
            }
            other => {
                let code = other.code();
                Self::new(code, without_code(code, other.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn store_not_found_keeps_its_code_and_the_missing_id() {
        let e: ApiError = store::Error::NotFound {
            what: "workflow",
            id: "nope".into(),
        }
        .into();
        assert_eq!(e.code, "WEFT-S003");
        assert_eq!(e.message, "workflow nope not found");
        assert_eq!(e.details, json!({ "what": "workflow", "id": "nope" }));
    }

    #[test]
    fn contact_import_refusals_keep_their_own_code_and_name_the_columns() {
        let e: ApiError = contacts::ImportError::DuplicateColumn {
            field: "email".into(),
            first: 1,
            first_name: "Email".into(),
            second: 3,
            second_name: "email".into(),
        }
        .into();
        assert_eq!(e.code, "WEFT-C012");
        assert_eq!(e.details, json!({ "field": "email", "columns": [1, 3] }));
        assert!(
            e.message.starts_with("columns 1 (\"Email\") and 3"),
            "{}",
            e.message
        );
    }

    #[test]
    fn load_errors_carry_the_json_path() {
        let e: ApiError = load::Error::Field {
            path: "activities[2].config.url".into(),
            message: "missing".into(),
        }
        .into();
        assert_eq!(e.code, "WEFT-F004");
        assert_eq!(e.details["path"], "activities[2].config.url");
        assert!(!e.message.starts_with("WEFT-"));
    }
}
