//! Schedule firings: one row per (workflow, trigger, fire time), unique, inserted in the
//! transaction that makes its run — a fire time can never fire twice.

use super::{HasConn, Tx};
use crate::store::api::{FiringReads, FiringWrites};
use crate::store::firings::Firing;
use crate::store::{Millis, Result};
use rusqlite::{params, Connection, OptionalExtension};

impl FiringWrites for Tx<'_> {
    /// Records a fire time; false when it was recorded before (it never fires twice).
    fn record_firing(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        outcome: &str,
    ) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("INSERT OR IGNORE INTO firings (workflow_id, activity_id, fire_time, run_id, outcome) VALUES (?1, ?2, ?3, NULL, ?4)")?
            .execute(params![workflow_id, activity_id, fire_time, outcome])?
            == 1)
    }

    /// Says what a recorded fire time made: a run, or why none.
    fn set_firing_run(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        run_id: Option<i64>,
        outcome: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE firings SET run_id = ?4, outcome = ?5 WHERE workflow_id = ?1 AND activity_id = ?2 AND fire_time = ?3")?
            .execute(params![workflow_id, activity_id, fire_time, run_id, outcome])?;
        Ok(())
    }
}

/// The latest recorded fire time of a schedule trigger: where the next one is counted from.
pub(super) fn last_fire_time(
    conn: &Connection,
    workflow_id: &str,
    activity_id: &str,
) -> Result<Option<Millis>> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(fire_time) FROM firings WHERE workflow_id = ?1 AND activity_id = ?2",
        )?
        .query_row(params![workflow_id, activity_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// A workflow's firings, newest first.
pub(super) fn firings(conn: &Connection, workflow_id: &str, limit: u32) -> Result<Vec<Firing>> {
    let mut stmt = conn.prepare_cached(
        "SELECT activity_id, fire_time, run_id, outcome FROM firings WHERE workflow_id = ?1 ORDER BY fire_time DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![workflow_id, limit], |r| {
        Ok(Firing {
            activity_id: r.get(0)?,
            fire_time: r.get(1)?,
            run_id: r.get(2)?,
            outcome: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl<C: HasConn> FiringReads for C {
    fn last_fire_time(&self, workflow_id: &str, activity_id: &str) -> Result<Option<Millis>> {
        last_fire_time(self.conn(), workflow_id, activity_id)
    }
    fn firings(&self, workflow_id: &str, limit: u32) -> Result<Vec<Firing>> {
        firings(self.conn(), workflow_id, limit)
    }
}
