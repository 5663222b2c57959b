//! The event log: every committed change, numbered, so a listener that missed some can catch up.

use super::{Event, Millis, Result};
use rusqlite::{params, Connection};

/// How many events are kept; older ones are pruned (listeners that fell further behind reload).
pub const EVENTS_KEPT: i64 = 200_000;

/// Events after `seq`, in order (at most `limit`).
pub fn events_after(conn: &Connection, seq: i64, limit: u32) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached("SELECT seq, at, kind, workflow_id, run_id, task_id, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![seq, limit], |r| {
        let kind: String = r.get(2)?;
        let payload: String = r.get(6)?;
        Ok(Event {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: super::EventKind::parse(&kind).unwrap_or(super::EventKind::WorkflowChanged),
            workflow_id: r.get(3)?,
            run_id: r.get(4)?,
            task_id: r.get(5)?,
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
