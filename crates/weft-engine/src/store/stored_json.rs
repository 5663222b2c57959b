//! JSON as both backends store it: an event's payload beside its kind, and JSON text columns.
//! Database-independent, so that SQLite and PostgreSQL read and write the same text.

use super::{Error, EventBody, Result};

/// The `payload` of an event body, as stored beside its kind.
pub(crate) fn payload_text(body: &EventBody) -> Result<String> {
    let value = serde_json::to_value(body).map_err(|e| Error::Corrupt {
        what: "event",
        message: e.to_string(),
    })?;
    Ok(value
        .get("payload")
        .map(|p| p.to_string())
        .unwrap_or_else(|| "{}".into()))
}

/// An event body from its stored kind and payload.
pub(crate) fn event_body(kind: &str, payload: &str) -> Result<EventBody> {
    let payload: serde_json::Value = serde_json::from_str(payload).map_err(|e| Error::Corrupt {
        what: "event",
        message: e.to_string(),
    })?;
    serde_json::from_value(serde_json::json!({"kind": kind, "payload": payload})).map_err(|e| {
        Error::Corrupt {
            what: "event",
            message: format!("{kind}: {e}"),
        }
    })
}

/// A nullable JSON text column as a value (NULL → `null`).
pub(crate) fn json_column(what: &'static str, text: Option<String>) -> Result<serde_json::Value> {
    match text {
        None => Ok(serde_json::Value::Null),
        Some(t) => serde_json::from_str(&t).map_err(|e| Error::Corrupt {
            what,
            message: e.to_string(),
        }),
    }
}

/// A value as the JSON text a column stores (`what` names it in the error).
pub(crate) fn to_json_text<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt {
        what,
        message: e.to_string(),
    })
}

/// A value read back from a JSON text column (`what` names it in the error).
pub(crate) fn from_json_text<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt {
        what,
        message: e.to_string(),
    })
}
