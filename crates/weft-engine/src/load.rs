//! Loading workflow files with errors that name the JSON path and the problem.
//!
//! Loading is two-staged so that errors are precise: the text is parsed as plain JSON first
//! (syntax errors with line and column), then the format version and each activity's kind are
//! checked, then each activity's `config` is read into its kind's struct (errors such as
//! `activities[3].config.timeout`), and only then the whole file.

use crate::model::{ActivityKind, WorkflowFile, FORMAT_VERSION};
use serde_json::Value;

/// Why a workflow file could not be loaded. Codes are documented in `docs/errors/`.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// WEFT-F001: the text is not JSON.
    #[error("WEFT-F001 not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// WEFT-F002: the file is written by a newer Weft.
    #[error("WEFT-F002 format version {found} is newer than this Weft reads (up to {supported}); update Weft")]
    NewerFormat {
        /// Version in the file.
        found: u64,
        /// Newest version this build reads.
        supported: u32,
    },
    /// WEFT-F003: an activity names a kind this engine does not know.
    #[error(
        "WEFT-F003 {path}: unknown activity kind {kind:?} (activity {id:?}); known kinds: {known}"
    )]
    UnknownKind {
        /// JSON path of the `kind` field.
        path: String,
        /// The activity's id, when it has one.
        id: String,
        /// The kind as written.
        kind: String,
        /// Comma-separated known kinds.
        known: String,
    },
    /// WEFT-F004: a field is missing, has the wrong type or an unknown name.
    #[error("WEFT-F004 {path}: {message}")]
    Field {
        /// JSON path of the offending value (`activities[2].config.url`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// WEFT-F005: the file is larger than [`MAX_FILE_BYTES`]; it was not read.
    #[error(
        "WEFT-F005 the file is {size} bytes; workflow files are limited to {limit} bytes (8 MiB)"
    )]
    TooLarge {
        /// Its size, as far as it was known before refusing it.
        size: u64,
        /// [`MAX_FILE_BYTES`].
        limit: u64,
    },
}

/// The largest workflow file (or text) the loader accepts: 8 MiB. A thousand-activity workflow
/// is well under 1 MiB.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

impl Error {
    /// The stable error code (`WEFT-F003`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "WEFT-F001",
            Self::NewerFormat { .. } => "WEFT-F002",
            Self::UnknownKind { .. } => "WEFT-F003",
            Self::Field { .. } => "WEFT-F004",
            Self::TooLarge { .. } => "WEFT-F005",
        }
    }

    /// The JSON path of the value at fault, when the error names one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::UnknownKind { path, .. } | Self::Field { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The file's problem as a validation diagnostic (code, JSON path, message), so that a
    /// body that does not even load is shown the way every other problem is.
    pub fn to_diagnostic(&self) -> crate::validate::Diagnostic {
        let text = self.to_string();
        // Display is "CODE message": the code travels in its own field.
        let message = text
            .split_once(' ')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(text);
        crate::validate::Diagnostic {
            activity: None,
            path: self.path().map(str::to_string),
            code: self.code().into(),
            message,
            severity: crate::validate::Severity::Error,
        }
    }
}

/// Parses a workflow file from text; text longer than [`MAX_FILE_BYTES`] is refused.
pub fn from_str(text: &str) -> Result<WorkflowFile, Error> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            size: text.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    from_stored_str(text)
}

/// [`from_str`] without the size limit, for revisions already in the store (written before the
/// limit existed, they must stay readable).
pub(crate) fn from_stored_str(text: &str) -> Result<WorkflowFile, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Error::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    from_value(value)
}

/// Reads a workflow from an already parsed JSON value.
pub fn from_value(mut value: Value) -> Result<WorkflowFile, Error> {
    // A kind without settings may omit `config`; the enum's adjacent tagging wants it present.
    if let Some(Value::Array(activities)) = value.get_mut("activities") {
        for activity in activities.iter_mut().filter_map(Value::as_object_mut) {
            activity
                .entry("config")
                .or_insert_with(|| Value::Object(Default::default()));
        }
    }
    let Some(object) = value.as_object() else {
        return Err(field("", "a workflow file must be a JSON object"));
    };
    match object.get("format") {
        None => {
            return Err(field(
                "format",
                "missing field `format` (the file format version)",
            ))
        }
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(Error::NewerFormat {
                    found: v,
                    supported: FORMAT_VERSION,
                })
            }
            Some(0) | None => return Err(field("format", "must be a positive integer")),
            Some(_) => {}
        },
        Some(_) => return Err(field("format", "must be a positive integer")),
    }
    if let Some(Value::Array(activities)) = object.get("activities") {
        for (index, activity) in activities.iter().enumerate() {
            check_activity(index, activity)?;
        }
    }
    let mut workflow: WorkflowFile = serde_path_to_error::deserialize(value)
        .map_err(|e| field(&e.path().to_string(), &e.inner().to_string()))?;
    for activity in &mut workflow.activities {
        activity.role = Some(activity.kind().role());
    }
    Ok(workflow)
}

/// Reads a file from disk (see [`read_text`]) and parses it.
pub fn from_path(path: &std::path::Path) -> Result<WorkflowFile, crate::Error> {
    Ok(from_str(&read_text(path)?)?)
}

/// Reads a workflow file's text, refusing one larger than [`MAX_FILE_BYTES`] before reading it
/// whole (by its size when the file system knows it, else after reading one byte too many).
pub fn read_text(path: &std::path::Path) -> Result<String, crate::Error> {
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|e| match e {
        Bounded::TooLarge(size) => crate::Error::Load(Error::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        }),
        Bounded::Io(source) => crate::Error::Io {
            path: path.display().to_string(),
            source,
        },
    })?;
    String::from_utf8(bytes).map_err(|e| crate::Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
    })
}

/// Why [`read_bounded`] gave up.
#[derive(Debug)]
pub(crate) enum Bounded {
    /// The file is larger than the limit: its size (or limit + 1 when it could not be known).
    TooLarge(u64),
    /// It could not be read.
    Io(std::io::Error),
}

/// Reads at most `limit` bytes of a file, refusing a larger one without reading it whole.
pub(crate) fn read_bounded(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, Bounded> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(Bounded::Io)?;
    let size = file.metadata().map_err(Bounded::Io)?.len();
    if size > limit {
        return Err(Bounded::TooLarge(size));
    }
    // The size can be unknown (pipes, /proc) or grow meanwhile: never read past the limit.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Bounded::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Bounded::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check_activity(index: usize, activity: &Value) -> Result<(), Error> {
    let at = format!("activities[{index}]");
    let Some(object) = activity.as_object() else {
        return Err(field(&at, "an activity must be a JSON object"));
    };
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind_name = match object.get("kind") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(field(&format!("{at}.kind"), "must be a string")),
        None => {
            return Err(field(
                &format!("{at}.kind"),
                &format!("missing field `kind` (activity {id:?})"),
            ))
        }
    };
    let Some(kind) = ActivityKind::from_name(&kind_name) else {
        let known: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.name()).collect();
        return Err(Error::UnknownKind {
            path: format!("{at}.kind"),
            id,
            kind: kind_name,
            known: known.join(", "),
        });
    };
    if let Some(role) = object.get("role") {
        let expected = serde_json::to_value(kind.role()).unwrap_or(Value::Null);
        if role != &expected {
            return Err(field(
                &format!("{at}.role"),
                &format!("role {role} does not match kind {kind_name:?}, whose role is {expected}"),
            ));
        }
    }
    let config = object
        .get("config")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let tagged = serde_json::json!({"kind": kind_name, "config": config});
    serde_path_to_error::deserialize::<_, crate::model::ActivityConfig>(tagged)
        .map(drop)
        .map_err(|e| {
            let inner = e.path().to_string();
            let path = match inner.strip_prefix("config") {
                Some(rest) => format!("{at}.config{rest}"),
                None => format!("{at}.config"),
            };
            field(
                &path,
                &format!("{} (activity {id:?}, kind {kind_name})", e.inner()),
            )
        })
}

fn field(path: &str, message: &str) -> Error {
    let path = if path.is_empty() || path == "." {
        "(root)".to_string()
    } else {
        path.to_string()
    };
    Error::Field {
        path,
        message: message.to_string(),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> Value {
        serde_json::to_value(WorkflowFile::new_blank("t")).expect("serialises")
    }

    #[test]
    fn blank_workflow_round_trips() {
        let wf = WorkflowFile::new_blank("t");
        let back = from_str(&wf.to_pretty_json()).expect("loads");
        assert_eq!(wf, back);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let err = from_str("{\n  \"format\": 1,\n  oops\n}").unwrap_err();
        assert!(matches!(err, Error::Syntax { line: 3, .. }), "{err}");
    }

    #[test]
    fn newer_format_is_refused() {
        let mut v = blank();
        v["format"] = 99.into();
        assert_eq!(
            from_value(v).unwrap_err(),
            Error::NewerFormat {
                found: 99,
                supported: FORMAT_VERSION
            }
        );
    }

    #[test]
    fn unknown_kind_names_the_path_and_the_activity() {
        let mut v = blank();
        v["activities"][1]["kind"] = "teleport".into();
        let err = from_value(v).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.code(), "WEFT-F003");
        assert!(
            text.contains("activities[1].kind")
                && text.contains("teleport")
                && text.contains("\"finish\""),
            "{text}"
        );
    }

    #[test]
    fn wrong_config_type_names_the_config_field() {
        let mut v = blank();
        v["activities"][1] =
            serde_json::json!({"id": "c", "kind": "run_command", "config": {"command": 42}});
        let text = from_value(v).unwrap_err().to_string();
        assert!(text.contains("activities[1].config.command"), "{text}");
        assert!(text.contains("invalid type"), "{text}");
    }

    #[test]
    fn missing_field_is_named() {
        let mut v = blank();
        v["activities"][1] = serde_json::json!({"id": "c", "kind": "http_request", "config": {}});
        let text = from_value(v).unwrap_err().to_string();
        assert!(
            text.contains("activities[1].config") && text.contains("missing field `url`"),
            "{text}"
        );
    }

    #[test]
    fn bad_duration_is_explained() {
        let mut v = blank();
        v["activities"][1] =
            serde_json::json!({"id": "w", "kind": "wait", "config": {"duration": "soon"}});
        let text = from_value(v).unwrap_err().to_string();
        assert!(
            text.contains("activities[1].config.duration") && text.contains("invalid duration"),
            "{text}"
        );
    }

    #[test]
    fn top_level_wrong_type_is_named() {
        let mut v = blank();
        v["concurrency"] = "sometimes".into();
        let text = from_value(v).unwrap_err().to_string();
        assert!(text.contains("concurrency"), "{text}");
    }

    #[test]
    fn text_over_the_size_limit_is_refused_before_parsing() {
        let mut text = serde_json::to_string(&blank()).expect("serialises");
        text.push_str(&" ".repeat(MAX_FILE_BYTES as usize));
        let err = from_str(&text).unwrap_err();
        assert_eq!(err.code(), "WEFT-F005");
        // Right at the limit still loads.
        text.truncate(MAX_FILE_BYTES as usize);
        assert_eq!(from_str(&text).expect("loads").name, "t");
    }

    #[test]
    fn a_huge_file_is_refused_by_its_size_without_being_read() {
        let dir = std::env::temp_dir().join(format!("weft-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("huge.weft.json");
        // Sparse: 64 GiB that would take minutes (and the memory) to read.
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(64 << 30).expect("sparse file");
        let started = std::time::Instant::now();
        let err = from_path(&path).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(
            matches!(err, crate::Error::Load(Error::TooLarge { size, .. }) if size == 64 << 30),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn mismatched_role_is_refused() {
        let mut v = blank();
        v["activities"][0]["role"] = "action".into();
        let text = from_value(v).unwrap_err().to_string();
        assert!(text.contains("activities[0].role"), "{text}");
    }
}
