//! The debugger's operations: a workflow's breakpoints (read, replace), and what a debug run is
//! paused at. Starting a debug run and Continue / Step / Skip / Stop are commands
//! ([`Command::DebugRun`](crate::Command::DebugRun), [`Command::Debug`](crate::Command::Debug)),
//! applied once through the queue like every other command.

use crate::debug::{BreakKind, Breakpoint, DebugView, PausedTask};
use crate::exec::{Engine, Error, Result};
use crate::store::{TaskStatus, WaitReason};

impl Engine {
    /// A workflow's breakpoints.
    pub fn breakpoints(&self, workflow_id: &str) -> Result<Vec<Breakpoint>> {
        Ok(self.inner.store.read(|c| {
            c.workflow_row(workflow_id)?;
            c.breakpoints(workflow_id)
        })?)
    }

    /// Replaces a workflow's breakpoints, each checked against its latest revision (the
    /// activity or transition exists, the condition parses): all or none are kept.
    pub fn set_breakpoints(
        &self,
        workflow_id: &str,
        breakpoints: Vec<Breakpoint>,
    ) -> Result<Vec<Breakpoint>> {
        let (_, body) = self.inner.store.read(|c| c.latest_body(workflow_id))?;
        for b in &breakpoints {
            b.check(&body).map_err(Error::BadBreakpoint)?;
        }
        let now = self.now_ms();
        let (_, events) = self
            .inner
            .store
            .write(|tx| tx.set_breakpoints(workflow_id, &breakpoints, now))?;
        self.publish(events);
        Ok(breakpoints)
    }

    /// A run as the debugger shows it: whether it is a debug run, and its tasks paused at a
    /// breakpoint (before they ran, or after they ended).
    pub fn debug_view(&self, run_id: i64) -> Result<DebugView> {
        Ok(self.inner.store.read(|c| {
            let state = c.debug_state(run_id)?;
            let mut paused = Vec::new();
            if let Some(state) = &state {
                for t in c.tasks_of_run(run_id)? {
                    if t.status == TaskStatus::Waiting
                        && t.wait_reason == Some(WaitReason::Breakpoint)
                    {
                        let after = state.held.iter().any(|h| h.task_id == t.id);
                        paused.push(PausedTask {
                            task_id: t.id,
                            activity_id: t.activity_id,
                            at: if after {
                                BreakKind::After
                            } else {
                                BreakKind::Before
                            },
                        });
                    }
                }
            } else {
                c.run_head(run_id)?;
            }
            Ok(DebugView {
                run_id,
                debug: state.is_some(),
                paused,
            })
        })?)
    }
}
