//! The command queue: rows inserted by any process, applied once by the owner.

use super::{CommandRecord, Error, EventKind, Millis, Result, Tx};
use crate::command::Command;
use rusqlite::{params, Connection, OptionalExtension};

impl Tx<'_> {
    /// Queues a command and returns its id.
    pub fn enqueue_command(
        &mut self,
        workflow_id: Option<&str>,
        command: &Command,
        now: Millis,
    ) -> Result<i64> {
        let body = serde_json::to_string(command).map_err(|e| Error::Corrupt {
            what: "command",
            message: e.to_string(),
        })?;
        self.conn().execute(
            "INSERT INTO commands (workflow_id, body, created_at) VALUES (?1, ?2, ?3)",
            params![workflow_id, body, now],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Marks a command applied with its outcome (`applied` or why not), in the transaction that
    /// carries its effect.
    pub fn mark_command(
        &mut self,
        id: i64,
        workflow_id: Option<&str>,
        outcome: &str,
        now: Millis,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE commands SET applied_at = ?2, outcome = ?3 WHERE id = ?1",
            params![id, now, outcome],
        )?;
        self.emit(
            now,
            EventKind::CommandApplied,
            workflow_id,
            None,
            None,
            serde_json::json!({"command": id, "id": id, "outcome": outcome}),
        )
    }
}

fn record(
    id: i64,
    workflow_id: Option<String>,
    body: String,
    created_at: Millis,
    applied_at: Option<Millis>,
    outcome: Option<String>,
) -> Result<CommandRecord> {
    let command = serde_json::from_str(&body).map_err(|e| Error::Corrupt {
        what: "command",
        message: e.to_string(),
    })?;
    Ok(CommandRecord {
        id,
        workflow_id,
        command,
        created_at,
        applied_at,
        outcome,
    })
}

/// Commands not applied yet, in order.
pub fn pending_commands(conn: &Connection, limit: u32) -> Result<Vec<CommandRecord>> {
    let mut stmt = conn.prepare_cached("SELECT id, workflow_id, body, created_at, applied_at, outcome FROM commands WHERE applied_at IS NULL ORDER BY id LIMIT ?1")?;
    let rows = stmt.query_map([limit], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    rows.map(|r| {
        let (a, b, c, d, e, f) = r?;
        record(a, b, c, d, e, f)
    })
    .collect()
}

/// One command.
pub fn command(conn: &Connection, id: i64) -> Result<CommandRecord> {
    let (a, b, c, d, e, f) = conn
        .prepare_cached("SELECT id, workflow_id, body, created_at, applied_at, outcome FROM commands WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "command", id: id.to_string() })?;
    record(a, b, c, d, e, f)
}

/// Whether a stop is queued or under way for a workflow (so Stop can be disabled).
pub fn has_pending_command(conn: &Connection, workflow_id: &str, name: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM commands WHERE applied_at IS NULL AND workflow_id = ?1",
    )?;
    let bodies = stmt.query_map([workflow_id], |r| r.get::<_, String>(0))?;
    for body in bodies {
        if body?.contains(&format!("\"type\":\"{name}\"")) {
            return Ok(true);
        }
    }
    Ok(false)
}
