//! The debugger's memory in PostgreSQL (migration 3): `breakpoints`, one JSON list per
//! workflow, and `debug_runs`, one JSON state per debug run.

use super::{args, both, Col, Tx, Q};
use crate::debug::{Breakpoint, DebugState};
use crate::store::api::{DebugReads, DebugWrites};
use crate::store::stored_json::{from_json_text, to_json_text};
use crate::store::{Millis, Result};

impl DebugWrites for Tx<'_> {
    fn set_breakpoints(
        &mut self,
        workflow_id: &str,
        breakpoints: &[Breakpoint],
        now: Millis,
    ) -> Result<()> {
        let body = to_json_text("breakpoints", &breakpoints)?;
        self.q(
            "INSERT INTO breakpoints (workflow_id, body, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (workflow_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at",
            args![workflow_id, body, now],
        )?;
        Ok(())
    }

    fn set_debug_state(&mut self, run_id: i64, state: &DebugState) -> Result<()> {
        self.lock_run(run_id)?;
        self.runs.borrow_mut().debug.remove(&run_id);
        let text = to_json_text("debug run", state)?;
        self.q(
            "INSERT INTO debug_runs (run_id, state) VALUES ($1, $2)
             ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state",
            args![run_id, text],
        )?;
        Ok(())
    }
}

both!(impl DebugReads {
    fn breakpoints(&self, workflow_id: &str) -> Result<Vec<Breakpoint>> {
        match self.q1(
            "SELECT body FROM breakpoints WHERE workflow_id = $1",
            args![workflow_id],
        )? {
            Some(r) => {
                let text: String = r.c(0)?;
                from_json_text("breakpoints", &text)
            }
            None => Ok(Vec::new()),
        }
    }

    fn debug_state(&self, run_id: i64) -> Result<Option<DebugState>> {
        // Asked at every step of every run: a run this transaction holds is read once.
        self.read_run(run_id, |c| &mut c.debug, || {
            self.q1("SELECT state FROM debug_runs WHERE run_id = $1", args![run_id])?
                .map(|r| {
                    let text: String = r.c(0)?;
                    from_json_text("debug run", &text)
                })
                .transpose()
        })
    }
});
