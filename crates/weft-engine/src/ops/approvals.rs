//! Approvals: those waiting (across workflows or of one), one by its task, and answering one
//! (a command, applied once; the first answer wins).

use crate::command::Command;
use crate::exec::{Engine, Error, Result};
use crate::store::{self, ApprovalRecord, CommandRecord};
use std::time::Duration;

impl Engine {
    /// Approvals waiting for an answer, oldest first (optionally of one workflow).
    pub fn open_approvals(&self, workflow_id: Option<&str>) -> Result<Vec<ApprovalRecord>> {
        Ok(self.inner.store.read(|c| c.open_approvals(workflow_id))?)
    }

    /// The approval of a task.
    pub fn approval(&self, task_id: i64) -> Result<ApprovalRecord> {
        self.inner
            .store
            .read(|c| c.approval(task_id))?
            .ok_or_else(|| {
                Error::Store(store::Error::NotFound {
                    what: "approval",
                    id: task_id.to_string(),
                })
            })
    }

    /// Approves or rejects a waiting approval, signed `by`, and waits for the outcome (applied,
    /// or refused: already answered, no longer waiting).
    pub async fn answer_approval(
        &self,
        task_id: i64,
        approve: bool,
        comment: Option<String>,
        by: Option<String>,
        timeout: Duration,
    ) -> Result<CommandRecord> {
        let approval = self.approval(task_id)?;
        let command = Command::answer(approve, task_id, comment, by);
        self.submit(Some(&approval.workflow_id), command, timeout)
            .await
    }
}
