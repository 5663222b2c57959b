//! The event log: every committed change, numbered, so a listener that missed some can catch up.

use super::{Event, Millis, Result};
use rusqlite::{params, Connection};

/// How many events are kept; older ones are pruned (listeners that fell further behind reload).
pub const EVENTS_KEPT: i64 = 200_000;

/// Events after `seq`, in order (at most `limit`).
pub fn events_after(conn: &Connection, seq: i64, limit: u32) -> Result<Vec<Event>> {
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
            super::EventBody::WorkflowChanged(Default::default())
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
pub fn last_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// Drops events beyond [`EVENTS_KEPT`].
pub fn prune_events(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?1",
        [EVENTS_KEPT],
    )?)
}

/// Milliseconds now, from the system clock (for rows written outside the engine's clock).
pub fn wall_now() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
