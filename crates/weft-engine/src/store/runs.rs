//! Runs as the executor reads and makes them.

use super::{RunStatus, Trigger};

/// What a new run needs.
#[derive(Clone, Debug)]
pub struct NewRun<'a> {
    /// Workflow.
    pub workflow_id: &'a str,
    /// Revision it pins.
    pub revision: i64,
    /// Initial status (Pending when queued, Running otherwise).
    pub status: RunStatus,
    /// What made it.
    pub trigger: Trigger,
    /// The trigger activity that fired, if any.
    pub trigger_activity: Option<&'a str>,
    /// Parameters.
    pub params: &'a serde_json::Value,
    /// Simulation mode.
    pub simulate: bool,
    /// Earlier run this one restarts.
    pub restart_of: Option<i64>,
    /// Activity to restart from.
    pub restart_from: Option<&'a str>,
    /// The sub-workflow task of another run that made this one.
    pub parent_task: Option<i64>,
}

/// What the executor needs about a run to walk its graph (no JSON to parse).
#[derive(Clone, Debug)]
pub struct RunHead {
    /// Id.
    pub id: i64,
    /// Workflow.
    pub workflow_id: String,
    /// Pinned revision.
    pub revision: i64,
    /// Status.
    pub status: RunStatus,
    /// Trigger.
    pub trigger: Trigger,
    /// Trigger activity.
    pub trigger_activity: Option<String>,
    /// Simulation mode.
    pub simulate: bool,
    /// Restarted run.
    pub restart_of: Option<i64>,
    /// Restart activity.
    pub restart_from: Option<String>,
    /// The sub-workflow task that made this run, if any.
    pub parent_task: Option<i64>,
}

impl RunHead {
    /// The run as events and task changes name it.
    pub fn as_ref(&self) -> super::tasks::RunRef<'_> {
        super::tasks::RunRef {
            id: self.id,
            workflow_id: &self.workflow_id,
        }
    }
}

/// A run with its parameters and variables (dereferences to its [`RunHead`]).
#[derive(Clone, Debug)]
pub struct RunRow {
    /// The run.
    pub head: RunHead,
    /// Parameters.
    pub params: serde_json::Value,
    /// Variables.
    pub vars: serde_json::Value,
}

impl std::ops::Deref for RunRow {
    type Target = RunHead;
    fn deref(&self) -> &RunHead {
        &self.head
    }
}
