//! Engine commands: what the toolbar, the right-click menu, the Run dialog and the CLI ask for.
//!
//! A command is a row in the store's queue first and is applied by the store's owner in order,
//! exactly once (its `applied_at` commits with its effect). A command that no longer applies is
//! answered with why, never silently dropped.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One request to the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Being edited / Finished / Paused → Started (resumes from Paused).
    Start,
    /// → Paused: nothing new is activated; work in progress finishes.
    Pause,
    /// Cancels work in progress; runs → Cancelled; workflow → Finished.
    Stop,
    /// Stop, then Start once stopped.
    Restart,
    /// Deletes finished runs, tasks and logs of the workflow and reclaims space.
    PurgeHistory,
    /// Start in simulation mode: activities with side effects are skipped.
    StartSimulation,
    /// Every pending task (waits, holds, retries) of the workflow runs now.
    ExecutePending,
    /// Marks the workflow Finished and its runs Cancelled without waiting.
    UnconditionalStop,
    /// A manual run with these parameters.
    RunNow {
        /// Run parameters.
        #[serde(default)]
        #[ts(type = "Record<string, unknown>")]
        params: serde_json::Value,
        /// Run in simulation mode.
        #[serde(default)]
        simulate: bool,
    },
    /// One pending task runs now (right-click Execute pending task(s) now).
    ExecuteTask {
        /// The task.
        #[ts(type = "number")]
        task_id: i64,
    },
    /// A new run reusing the stored results upstream of an activity.
    RestartFromTask {
        /// The earlier run.
        #[ts(type = "number")]
        run_id: i64,
        /// The activity to execute again from.
        activity_id: String,
    },
    /// Approves a waiting approval.
    Approve {
        /// The approval's task.
        #[ts(type = "number")]
        task_id: i64,
        /// Optional comment.
        #[serde(default)]
        comment: Option<String>,
        /// Who answers.
        #[serde(default)]
        by: Option<String>,
    },
    /// Rejects a waiting approval.
    Reject {
        /// The approval's task.
        #[ts(type = "number")]
        task_id: i64,
        /// Optional comment.
        #[serde(default)]
        comment: Option<String>,
        /// Who answers.
        #[serde(default)]
        by: Option<String>,
    },
    /// A trigger fired (webhook, file, record event): a run through that trigger's branch.
    Fire {
        /// The trigger activity.
        activity_id: String,
        /// What fired.
        trigger: crate::store::Trigger,
        /// Run parameters.
        #[serde(default)]
        #[ts(type = "Record<string, unknown>")]
        params: serde_json::Value,
    },
    /// Cancels one run.
    CancelRun {
        /// The run.
        #[ts(type = "number")]
        run_id: i64,
    },
}

impl Command {
    /// Short name (`run_now`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Pause => "pause",
            Self::Stop => "stop",
            Self::Restart => "restart",
            Self::PurgeHistory => "purge_history",
            Self::StartSimulation => "start_simulation",
            Self::ExecutePending => "execute_pending",
            Self::UnconditionalStop => "unconditional_stop",
            Self::RunNow { .. } => "run_now",
            Self::ExecuteTask { .. } => "execute_task",
            Self::RestartFromTask { .. } => "restart_from_task",
            Self::Approve { .. } => "approve",
            Self::Reject { .. } => "reject",
            Self::Fire { .. } => "fire",
            Self::CancelRun { .. } => "cancel_run",
        }
    }
}
