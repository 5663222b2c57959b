//! The debugger's memory in SQLite (migration 9): `breakpoints`, one JSON list per workflow,
//! and `debug_runs`, one JSON state per debug run.

use super::{HasConn, Tx};
use crate::debug::{Breakpoint, DebugState};
use crate::store::api::{DebugReads, DebugWrites};
use crate::store::stored_json::{from_json_text, to_json_text};
use crate::store::{Millis, Result};
use rusqlite::{params, OptionalExtension};

impl DebugWrites for Tx<'_> {
    fn set_breakpoints(
        &mut self,
        workflow_id: &str,
        breakpoints: &[Breakpoint],
        now: Millis,
    ) -> Result<()> {
        let body = to_json_text("breakpoints", &breakpoints)?;
        self.conn()
            .prepare_cached(
                "INSERT INTO breakpoints (workflow_id, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (workflow_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            )?
            .execute(params![workflow_id, body, now])?;
        Ok(())
    }

    fn set_debug_state(&mut self, run_id: i64, state: &DebugState) -> Result<()> {
        let text = to_json_text("debug run", state)?;
        self.conn()
            .prepare_cached(
                "INSERT INTO debug_runs (run_id, state) VALUES (?1, ?2)
                 ON CONFLICT (run_id) DO UPDATE SET state = excluded.state",
            )?
            .execute(params![run_id, text])?;
        Ok(())
    }
}

impl<C: HasConn> DebugReads for C {
    fn breakpoints(&self, workflow_id: &str) -> Result<Vec<Breakpoint>> {
        let text: Option<String> = self
            .conn()
            .prepare_cached("SELECT body FROM breakpoints WHERE workflow_id = ?1")?
            .query_row(params![workflow_id], |r| r.get(0))
            .optional()?;
        text.map_or(Ok(Vec::new()), |t| from_json_text("breakpoints", &t))
    }

    fn debug_state(&self, run_id: i64) -> Result<Option<DebugState>> {
        let text: Option<String> = self
            .conn()
            .prepare_cached("SELECT state FROM debug_runs WHERE run_id = ?1")?
            .query_row(params![run_id], |r| r.get(0))
            .optional()?;
        text.map(|t| from_json_text("debug run", &t)).transpose()
    }
}
