//! The command queue: rows inserted by any process, applied once by the owner.

use super::{HasConn, Tx};
use crate::command::{Command, CommandOutcome};
use crate::store::api::{CommandReads, CommandWrites, EventWrites};
use crate::store::{CommandRecord, Error, EventBody, Millis, Result};
use rusqlite::{params, Connection, OptionalExtension};

impl CommandWrites for Tx<'_> {
    /// Queues a command and returns its id.
    fn enqueue_command(
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

    /// Marks a command applied (or refused) with its outcome, in the transaction that carries
    /// its effect: both commit together or neither does.
    fn mark_command(
        &mut self,
        id: i64,
        workflow_id: Option<&str>,
        outcome: &CommandOutcome,
        now: Millis,
    ) -> Result<()> {
        let text = serde_json::to_string(outcome).map_err(|e| Error::Corrupt {
            what: "command outcome",
            message: e.to_string(),
        })?;
        self.conn()
            .prepare_cached("UPDATE commands SET applied_at = ?2, outcome = ?3 WHERE id = ?1")?
            .execute(params![id, now, text])?;
        self.emit(
            now,
            workflow_id,
            None,
            None,
            EventBody::CommandApplied {
                command: id,
                outcome: outcome.clone(),
            },
        )
    }

    /// Records that owner session `session` begins applying these commands (committed before
    /// it applies them): `tries` counts the sessions that began a command, so a command whose
    /// application stopped the process is recognised by the next owner.
    fn begin_applying(&mut self, ids: &[i64], session: i64) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "UPDATE commands SET tries = tries + 1, try_session = ?2 WHERE id = ?1 AND try_session IS NOT ?2",
        )?;
        for id in ids {
            stmt.execute(params![id, session])?;
        }
        Ok(())
    }

    fn prune_commands(&mut self) -> Result<usize> {
        Ok(self.conn().execute(
            "DELETE FROM commands WHERE applied_at IS NOT NULL AND id <= (SELECT MAX(id) FROM commands) - ?1",
            [crate::store::events::COMMANDS_KEPT],
        )?)
    }
}

const COMMAND_COLUMNS: &str =
    "id, workflow_id, body, created_at, applied_at, outcome, tries, try_session";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<CommandRecord>> {
    let (id, workflow_id, body, created_at, applied_at, outcome): (
        i64,
        Option<String>,
        String,
        Millis,
        Option<Millis>,
        Option<String>,
    ) = (
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    );
    let (tries, try_session): (u32, Option<i64>) = (r.get(6)?, r.get(7)?);
    let parse = || -> Result<CommandRecord> {
        let command = serde_json::from_str(&body).map_err(|e| Error::Corrupt {
            what: "command",
            message: e.to_string(),
        })?;
        let outcome = outcome
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| Error::Corrupt {
                what: "command outcome",
                message: e.to_string(),
            })?;
        Ok(CommandRecord {
            id,
            workflow_id,
            command,
            created_at,
            applied_at,
            outcome,
            tries,
            try_session,
        })
    };
    Ok(parse())
}

/// Commands not applied yet, in order.
pub(super) fn pending_commands(conn: &Connection, limit: u32) -> Result<Vec<CommandRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COMMAND_COLUMNS} FROM commands WHERE applied_at IS NULL ORDER BY id LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], record)?;
    rows.map(|r| r?).collect()
}

/// One command.
pub(super) fn command(conn: &Connection, id: i64) -> Result<CommandRecord> {
    conn.prepare_cached(&format!(
        "SELECT {COMMAND_COLUMNS} FROM commands WHERE id = ?1"
    ))?
    .query_row([id], record)
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "command",
        id: id.to_string(),
    })?
}

impl<C: HasConn> CommandReads for C {
    fn pending_commands(&self, limit: u32) -> Result<Vec<CommandRecord>> {
        pending_commands(self.conn(), limit)
    }
    fn command(&self, id: i64) -> Result<CommandRecord> {
        command(self.conn(), id)
    }
}
