//! The event log: every committed change, numbered, so a listener that missed some can catch up.

use super::HasConn;
use crate::store::api::EventReads;
use crate::store::events::EVENTS_KEPT;
use crate::store::{Event, Millis, Result};
use rusqlite::{params, Connection};

/// Events after `seq`, in order (at most `limit`).
pub(super) fn events_after(conn: &Connection, seq: i64, limit: u32) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached("SELECT seq, at, kind, workflow_id, run_id, task_id, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![seq, limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Millis>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, at, kind, workflow_id, run_id, task_id, payload) = row?;
        // A row this build cannot read (written by a newer Weft) keeps its place in the
        // sequence as a workflow change, so that followers move past it.
        let body = super::event_body(&kind, &payload).unwrap_or_else(|e| {
            tracing::warn!("event {seq}: {e}");
            crate::store::EventBody::WorkflowChanged(Default::default())
        });
        out.push(Event {
            seq,
            at,
            workflow_id,
            run_id,
            task_id,
            body,
        });
    }
    Ok(out)
}

/// The newest sequence number.
pub(super) fn last_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// Drops events beyond [`EVENTS_KEPT`].
pub(super) fn prune_events(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?1",
        [EVENTS_KEPT],
    )?)
}

impl<C: HasConn> EventReads for C {
    fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<Event>> {
        events_after(self.conn(), seq, limit)
    }
    fn last_seq(&self) -> Result<i64> {
        last_seq(self.conn())
    }
}
