//! Workflows as the executor reads them, and how names are made free.

use super::{Millis, WorkflowState};
use crate::model::{ActivityConfig, WorkflowFile};

/// Flags of a workflow the executor reads.
#[derive(Clone, Debug)]
pub struct WorkflowRow {
    /// Id.
    pub id: String,
    /// Life-cycle state.
    pub state: WorkflowState,
    /// Latest revision.
    pub revision: i64,
    /// Start in simulation mode.
    pub simulate: bool,
    /// Restart once stopped.
    pub restart_requested: bool,
    /// When it was last started (interval schedules count from it).
    pub armed_at: Option<Millis>,
}

/// One saved revision of a workflow: when, by which front door, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionInfo {
    /// Its number (1 is the first).
    #[ts(type = "number")]
    pub revision: i64,
    /// When it was saved (ms since the epoch).
    #[ts(type = "number")]
    pub created_at: Millis,
    /// The front door that saved it (`desktop`, `weft`, `weft serve`…); `None` for revisions
    /// saved before this was recorded.
    pub source: Option<String>,
    /// Why, when it was said (`restored from revision 3`).
    pub note: Option<String>,
}

/// How the names offered by [`free_name`] are numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSeries {
    /// "Name", "Name (2)", "Name (3)"…: a new workflow.
    Numbered,
    /// "Name (copy)", "Name (copy 2)"…: a copy of the workflow called "Name".
    Copy,
}

/// Its schedules in words ("every weekday at 08:00 Europe/Paris", "every 15 minutes", "on
/// demand (Run now only)"; see [`crate::schedule::describe`]) — for cards and listings.
pub fn describe_schedule(wf: &WorkflowFile) -> Option<String> {
    let parts: Vec<String> = wf
        .activities
        .iter()
        .filter_map(|a| match &a.config {
            ActivityConfig::ScheduleTrigger(c) => Some(crate::schedule::describe(&c.schedule)),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}
