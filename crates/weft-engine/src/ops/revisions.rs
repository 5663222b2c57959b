//! Revisions of a workflow: the list (when, by which front door, why), the semantic diff of two
//! ([`crate::diff`]), and restoring one as a new revision.

use crate::diff::RevisionDiff;
use crate::exec::{Engine, Result};
use crate::store::workflows::RevisionInfo;
use crate::store::WorkflowSummary;

impl Engine {
    /// The front door this engine was opened by (`desktop`, `weft`, `weft serve`…): what a
    /// revision records as its source.
    pub(crate) fn source(&self) -> &str {
        &self.inner.options.owner_name
    }

    /// A workflow's revisions, newest first.
    pub fn revisions(&self, id: &str) -> Result<Vec<RevisionInfo>> {
        Ok(self.inner.store.read(|c| {
            c.workflow_row(id)?;
            c.revisions(id)
        })?)
    }

    /// What changed from revision `from` to revision `to` of a workflow.
    pub fn diff_revisions(&self, id: &str, from: i64, to: i64) -> Result<RevisionDiff> {
        let (before, after) = self
            .inner
            .store
            .read(|c| Ok((c.revision_body(id, from)?, c.revision_body(id, to)?)))?;
        Ok(RevisionDiff {
            workflow_id: id.to_string(),
            from,
            to,
            diff: crate::diff::diff(&before, &after),
        })
    }

    /// Saves an earlier revision's content as the workflow's new latest revision, noted
    /// "restored from revision N". The workflow keeps its current name: a restore brings back
    /// what the workflow does, and the old name may since belong to another workflow.
    pub fn restore_revision(&self, id: &str, revision: i64) -> Result<WorkflowSummary> {
        let now = self.now_ms();
        let note = format!("restored from revision {revision}");
        let (_, events) = self.inner.store.write(|tx| {
            let mut body = tx.revision_body(id, revision)?;
            let (_, current) = tx.latest_body(id)?;
            body.name = current.name;
            let new = tx.insert_revision(id, &body, now)?;
            tx.set_revision_origin(id, new, self.source(), Some(&note))
        })?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(vec![c.workflow_summary(id)?], c))?
            .remove(0))
    }
}
