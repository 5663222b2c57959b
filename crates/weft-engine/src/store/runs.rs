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

/// Where a workflow's run queue stands: what its concurrency policy and the start of the next
/// queued run need, read as two index lookups instead of the list of every run not ended (which
/// made each run's start and end cost as much as the runs queued behind it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunQueue {
    /// The oldest run waiting for its turn (Pending).
    pub first_pending: Option<i64>,
    /// Some run is Running or Waiting for approval.
    pub busy: bool,
}

impl RunQueue {
    /// No run of the workflow is pending, running or waiting.
    pub fn is_empty(&self) -> bool {
        self.first_pending.is_none() && !self.busy
    }
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
