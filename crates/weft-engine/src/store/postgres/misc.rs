//! The command queue, the event log, schedule firings, the owner row and sessions, and what
//! event triggers remember.

use super::{args, both, event_body, Col, Tx, Q, V};
use crate::command::{Command, CommandOutcome};
use crate::store::api::{
    CommandReads, CommandWrites, EventReads, EventWrites, FiringReads, FiringWrites, OwnerReads,
    OwnerWrites, SeenFile, TriggerReads, TriggerWrites,
};
use crate::store::firings::Firing;
use crate::store::{CommandRecord, DatabaseFailure, Error, Event, EventBody, Millis, Result};
use tokio_postgres::Row;

impl CommandWrites for Tx<'_> {
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
        self.q1(
            "INSERT INTO commands (workflow_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
            args![workflow_id, body, now],
        )?
        .ok_or_else(|| Error::Corrupt {
            what: "command",
            message: "no id returned".into(),
        })?
        .c(0)
    }

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
        // Several servers may pick the same pending command: the first to mark it wins; the
        // others' transactions (with the effect they made) fail as busy and roll back, and the
        // command is no longer pending when they look again.
        let marked = self.n(
            "UPDATE commands SET applied_at = $2, outcome = $3 WHERE id = $1 AND applied_at IS NULL RETURNING 1",
            args![id, now, text],
        )?;
        if marked == 0 {
            let exists = self
                .q1("SELECT 1 FROM commands WHERE id = $1", args![id])?
                .is_some();
            if exists {
                return Err(Error::Database {
                    message: format!("command {id} was applied by another server"),
                    kind: DatabaseFailure::Busy,
                });
            }
            return Err(Error::NotFound {
                what: "command",
                id: id.to_string(),
            });
        }
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

    fn begin_applying(&mut self, ids: &[i64], session: i64) -> Result<()> {
        // `tries` counts the sessions that began a command and then stopped (a crash while
        // applying it). Several servers look at the same pending commands at once: a command
        // another live session has begun is not counted again — only one of them will apply
        // it (see mark_command), and counting both would set a sound command aside. The rows
        // are locked first, so that the update's own snapshot (a new statement) sees a begin
        // another server committed while this one waited.
        let ids_param = V::IA(ids.iter().map(|i| Some(*i)).collect());
        self.q(
            "SELECT id FROM commands WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            std::slice::from_ref(&ids_param),
        )?;
        self.q(
            "UPDATE commands c SET tries = tries + 1, try_session = $2
             WHERE c.id = ANY($1) AND c.try_session IS DISTINCT FROM $2
               AND NOT EXISTS (
                   SELECT 1 FROM owner_sessions other, owner_sessions me
                   WHERE other.id = c.try_session AND me.id = $2 AND other.ended_at IS NULL
                     AND other.last_seen >= me.last_seen - $3)",
            &[
                ids_param,
                session.into(),
                crate::exec::STALE_AFTER_MS.into(),
            ],
        )?;
        Ok(())
    }

    fn prune_commands(&mut self) -> Result<usize> {
        self.n(
            "DELETE FROM commands WHERE applied_at IS NOT NULL AND id <= (SELECT MAX(id) FROM commands) - $1 RETURNING 1",
            args![crate::store::events::COMMANDS_KEPT],
        )
    }
}

const COMMAND_COLUMNS: &str =
    "id, workflow_id, body, created_at, applied_at, outcome, tries, try_session";

fn command_from(r: &Row) -> Result<CommandRecord> {
    let body: String = r.c(2)?;
    let outcome: Option<String> = r.c(5)?;
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
        id: r.c(0)?,
        workflow_id: r.c(1)?,
        command,
        created_at: r.c(3)?,
        applied_at: r.c(4)?,
        outcome,
        tries: r.u(6)?,
        try_session: r.c(7)?,
    })
}

both!(impl CommandReads {
    fn pending_commands(&self, limit: u32) -> Result<Vec<CommandRecord>> {
        self.q(
            &format!("SELECT {COMMAND_COLUMNS} FROM commands WHERE applied_at IS NULL ORDER BY id LIMIT $1"),
            args![limit],
        )?
        .iter()
        .map(command_from)
        .collect()
    }
    fn command(&self, id: i64) -> Result<CommandRecord> {
        let row = self.q1_found(
            &format!("SELECT {COMMAND_COLUMNS} FROM commands WHERE id = $1"),
            args![id],
            "command",
            id,
        )?;
        command_from(&row)
    }
});

both!(impl EventReads {
    fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<Event>> {
        let rows = self.q(
            "SELECT seq, at, kind, workflow_id, run_id, task_id, payload FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
            args![seq, limit],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let seq: i64 = r.c(0)?;
            let kind: String = r.c(2)?;
            let payload: String = r.c(6)?;
            // A row this build cannot read keeps its place in the sequence.
            let body = event_body(&kind, &payload).unwrap_or_else(|e| {
                tracing::warn!("event {seq}: {e}");
                EventBody::WorkflowChanged(Default::default())
            });
            out.push(Event {
                seq,
                at: r.c(1)?,
                workflow_id: r.c(3)?,
                run_id: r.c(4)?,
                task_id: r.c(5)?,
                body,
            });
        }
        Ok(out)
    }
    fn last_seq(&self) -> Result<i64> {
        // The counter, not MAX(seq): numbers are never reused, even after a prune.
        self.q1("SELECT last FROM event_counter WHERE id = 1", &[])?
            .map(|r| r.c(0))
            .transpose()
            .map(|n| n.unwrap_or(0))
    }
});

impl FiringWrites for Tx<'_> {
    fn record_firing(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        outcome: &str,
    ) -> Result<bool> {
        // The unique (schedule, fire time): a server inserting the same fire time at once waits
        // for the first one's commit, then inserts nothing.
        Ok(self.n(
            "INSERT INTO firings (workflow_id, activity_id, fire_time, run_id, outcome) VALUES ($1, $2, $3, NULL, $4)
             ON CONFLICT (workflow_id, activity_id, fire_time) DO NOTHING RETURNING 1",
            args![workflow_id, activity_id, fire_time, outcome],
        )? == 1)
    }

    fn set_firing_run(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        run_id: Option<i64>,
        outcome: &str,
    ) -> Result<()> {
        self.q(
            "UPDATE firings SET run_id = $4, outcome = $5 WHERE workflow_id = $1 AND activity_id = $2 AND fire_time = $3",
            args![workflow_id, activity_id, fire_time, run_id, outcome],
        )?;
        Ok(())
    }
}

both!(impl FiringReads {
    fn last_fire_time(&self, workflow_id: &str, activity_id: &str) -> Result<Option<Millis>> {
        Ok(self
            .q1(
                "SELECT MAX(fire_time) FROM firings WHERE workflow_id = $1 AND activity_id = $2",
                args![workflow_id, activity_id],
            )?
            .map(|r| r.c::<Option<i64>>(0))
            .transpose()?
            .flatten())
    }
    fn firings(&self, workflow_id: &str, limit: u32) -> Result<Vec<Firing>> {
        self.q(
            "SELECT activity_id, fire_time, run_id, outcome FROM firings WHERE workflow_id = $1 ORDER BY fire_time DESC LIMIT $2",
            args![workflow_id, limit],
        )?
        .iter()
        .map(|r| {
            Ok(Firing {
                activity_id: r.c(0)?,
                fire_time: r.c(1)?,
                run_id: r.c(2)?,
                outcome: r.c(3)?,
            })
        })
        .collect()
    }
});

both!(impl OwnerReads {
    fn owner_row(&self) -> Result<Option<(String, i64, Millis)>> {
        self.q1("SELECT owner, pid, heartbeat FROM owner WHERE id = 1", &[])?
            .map(|r| Ok((r.c(0)?, r.c(1)?, r.c(2)?)))
            .transpose()
    }
    fn sessions_between(&self, from: Millis, to: Millis) -> Result<Vec<(Millis, Millis)>> {
        self.q(
            "SELECT started_at, COALESCE(ended_at, last_seen) FROM owner_sessions
             WHERE started_at <= $2 AND COALESCE(ended_at, last_seen) >= $1 ORDER BY started_at",
            args![from, to],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.c(1)?)))
        .collect()
    }
    fn session_last_seen(&self, session: i64) -> Result<Option<Millis>> {
        self.q1(
            "SELECT last_seen FROM owner_sessions WHERE id = $1",
            args![session],
        )?
        .map(|r| r.c(0))
        .transpose()
    }
});

impl OwnerWrites for Tx<'_> {
    fn set_owner(&mut self, owner: &str, pid: i64, now: Millis) -> Result<()> {
        self.q(
            "INSERT INTO owner (id, owner, pid, heartbeat) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET owner = $1, pid = $2, heartbeat = $3",
            args![owner, pid, now],
        )?;
        Ok(())
    }
    fn owner_heartbeat(&mut self, owner: &str, now: Millis) -> Result<bool> {
        Ok(self.n(
            "UPDATE owner SET heartbeat = $2 WHERE id = 1 AND owner = $1 RETURNING 1",
            args![owner, now],
        )? == 1)
    }
    fn clear_owner(&mut self, owner: &str) -> Result<()> {
        self.q(
            "DELETE FROM owner WHERE id = 1 AND owner = $1",
            args![owner],
        )?;
        Ok(())
    }
    fn open_session(&mut self, owner: &str, pid: i64, now: Millis) -> Result<i64> {
        self.q1(
            "INSERT INTO owner_sessions (owner, pid, started_at, last_seen) VALUES ($1, $2, $3, $3) RETURNING id",
            args![owner, pid, now],
        )?
        .ok_or_else(|| Error::Corrupt {
            what: "owner session",
            message: "no id returned".into(),
        })?
        .c(0)
    }
    fn touch_session(&mut self, session: i64, now: Millis) -> Result<()> {
        self.q(
            "UPDATE owner_sessions SET last_seen = GREATEST(last_seen, $2) WHERE id = $1",
            args![session, now],
        )?;
        Ok(())
    }
    fn end_session(&mut self, session: i64, at: Option<Millis>) -> Result<()> {
        self.q(
            "UPDATE owner_sessions SET last_seen = GREATEST(last_seen, COALESCE($2, last_seen)), ended_at = COALESCE($2, last_seen) WHERE id = $1",
            args![session, at],
        )?;
        Ok(())
    }
}

both!(impl TriggerReads {
    fn trigger_secret(&self, workflow_id: &str, activity_id: &str) -> Result<Option<String>> {
        self.q1(
            "SELECT token FROM trigger_secrets WHERE workflow_id = $1 AND activity_id = $2",
            args![workflow_id, activity_id],
        )?
        .map(|r| r.c(0))
        .transpose()
    }
    fn trigger_cursor(&self, workflow_id: &str, activity_id: &str) -> Result<Option<i64>> {
        self.q1(
            "SELECT last_event FROM trigger_cursors WHERE workflow_id = $1 AND activity_id = $2",
            args![workflow_id, activity_id],
        )?
        .map(|r| r.c(0))
        .transpose()
    }
    fn contact_events_after(
        &self,
        cursor: i64,
        limit: u32,
    ) -> Result<Vec<(i64, i64, String, String)>> {
        self.q(
            "SELECT id, contact_id, status, kind FROM contact_events WHERE id > $1 ORDER BY id LIMIT $2",
            args![cursor, limit],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.c(1)?, r.c(2)?, r.c(3)?)))
        .collect()
    }
});

impl TriggerWrites for Tx<'_> {
    fn ensure_trigger_secret(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        token: &str,
    ) -> Result<()> {
        self.q(
            "INSERT INTO trigger_secrets (workflow_id, activity_id, token) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            args![workflow_id, activity_id, token],
        )?;
        Ok(())
    }
    fn start_trigger_cursor(&mut self, workflow_id: &str, activity_id: &str) -> Result<()> {
        self.q(
            "INSERT INTO trigger_cursors (workflow_id, activity_id, last_event) VALUES ($1, $2, (SELECT COALESCE(MAX(id), 0) FROM contact_events)) ON CONFLICT DO NOTHING",
            args![workflow_id, activity_id],
        )?;
        Ok(())
    }
    fn set_trigger_cursor(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        last: i64,
    ) -> Result<()> {
        self.q(
            "UPDATE trigger_cursors SET last_event = $3 WHERE workflow_id = $1 AND activity_id = $2",
            args![workflow_id, activity_id, last],
        )?;
        Ok(())
    }
    fn record_seen_file(&mut self, seen: &SeenFile<'_>, now: Millis) -> Result<bool> {
        Ok(self.n(
            "INSERT INTO seen_files (workflow_id, activity_id, path, size, modified, seen_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
            args![seen.workflow_id, seen.activity_id, seen.path, seen.size, seen.modified, now],
        )? == 1)
    }
    fn set_seen_file_run(&mut self, seen: &SeenFile<'_>, run_id: Option<i64>) -> Result<()> {
        self.q(
            "UPDATE seen_files SET run_id = $1 WHERE workflow_id = $2 AND activity_id = $3 AND path = $4 AND size = $5 AND modified = $6",
            args![run_id, seen.workflow_id, seen.activity_id, seen.path, seen.size, seen.modified],
        )?;
        Ok(())
    }
}
