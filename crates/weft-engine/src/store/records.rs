//! Typed rows of the store and the state enums they carry. These cross the bridge to the UI
//! (TypeScript generated with `ts-rs`) and are printed by the CLI with `--json`.

use super::Millis;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$vmeta])* $variant, )* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$( $name::$variant, )*];
            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $text, )* }
            }
            /// Parses the stored text.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $( $text => Some(Self::$variant), )* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

text_enum! {
    /// A workflow's life-cycle state (SPEC §1).
    WorkflowState {
        /// Being designed; triggers not armed.
        BeingEdited = "being_edited",
        /// Triggers armed; firings make runs.
        Started = "started",
        /// No activity is activated until resumed.
        Paused = "paused",
        /// A Stop is under way.
        Stopping = "stopping",
        /// No task in progress, or stopped by an operator.
        Finished = "finished",
    }
}

text_enum! {
    /// A run's status (SPEC §1).
    RunStatus {
        /// Queued, not started yet.
        Pending = "pending",
        /// In progress.
        Running = "running",
        /// Finished successfully.
        Completed = "completed",
        /// A step failed.
        Failed = "failed",
        /// Cancelled by an operator.
        Cancelled = "cancelled",
        /// Waiting until someone approves or rejects a step.
        WaitingForApproval = "waiting_for_approval",
        /// An approval step was rejected.
        Rejected = "rejected",
        /// Ended by an engine error (bad expression, store problem).
        Error = "error",
    }
}

impl RunStatus {
    /// Whether the run has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Cancelled | Self::Rejected | Self::Error
        )
    }
}

text_enum! {
    /// A task's status (ENGINE.md: a state machine with attempts).
    TaskStatus {
        /// Ready to run when its wake time comes (retries wait here).
        Ready = "ready",
        /// An attempt is executing.
        Running = "running",
        /// Waiting: a Wait, an approval, or Enable but do not execute.
        Waiting = "waiting",
        /// Finished; its result is final.
        Succeeded = "succeeded",
        /// Failed after its last attempt.
        Failed = "failed",
        /// Cancelled by a stop.
        Cancelled = "cancelled",
        /// Not executed: simulation, Do not enable, or a branch not taken.
        Skipped = "skipped",
    }
}

impl TaskStatus {
    /// Whether the task still has work to do.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Ready | Self::Running | Self::Waiting)
    }
}

text_enum! {
    /// Why a task waits or was skipped.
    WaitReason {
        /// Enable but do not execute.
        Hold = "hold",
        /// A Wait activity.
        Wait = "wait",
        /// An approval.
        Approval = "approval",
        /// Skipped: simulation mode.
        Simulation = "simulation",
        /// Skipped: Do not enable.
        Disabled = "disabled",
        /// Skipped: the branch was not taken.
        NotTaken = "not_taken",
        /// Skipped: another trigger fired this run.
        OtherTrigger = "other_trigger",
        /// Retrying after a failed attempt.
        Retry = "retry",
        /// Waiting for a called sub-workflow run to end.
        SubWorkflow = "sub_workflow",
        /// A debug run paused at a breakpoint (or after a Step): waits for Continue, Step,
        /// Skip or Stop.
        Breakpoint = "breakpoint",
    }
}

text_enum! {
    /// What an operator may do through a team server's front doors (a token belongs to an
    /// operator). On a private store the local user may do everything.
    Capability {
        /// Read: workflows, runs, logs, approvals, contacts.
        List = "list",
        /// Start, stop and run workflows; debug them.
        Run = "run",
        /// Create, edit, import and delete workflows; breakpoints; contacts.
        Update = "update",
        /// Answer approvals of a group the operator belongs to.
        Approve = "approve",
    }
}

text_enum! {
    /// What made a run.
    Trigger {
        /// Run now, Start, or the CLI.
        Manual = "manual",
        /// A schedule firing.
        Schedule = "schedule",
        /// An HTTP call.
        Webhook = "webhook",
        /// A file arriving.
        File = "file",
        /// A record event in the contacts database.
        Record = "record",
        /// Called by another workflow.
        SubWorkflow = "sub_workflow",
        /// Workflow restart from a task.
        RestartFromTask = "restart_from_task",
        /// A past run re-run on the latest revision, reusing what an edit did not change.
        RerunAfterEdit = "rerun_after_edit",
    }
}

text_enum! {
    /// Kinds of events sent to listeners after commit.
    EventKind {
        /// A workflow was created, saved, renamed or deleted.
        WorkflowChanged = "workflow_changed",
        /// A workflow's life-cycle state changed.
        WorkflowState = "workflow_state",
        /// A run was created.
        RunCreated = "run_created",
        /// A run's status changed.
        RunStatus = "run_status",
        /// A task was created or changed status.
        TaskChanged = "task_changed",
        /// A transition was taken (payload has the count).
        EdgeTaken = "edge_taken",
        /// A log line was appended.
        Log = "log",
        /// A command was applied or refused.
        CommandApplied = "command_applied",
        /// Runs were purged.
        Purged = "purged",
    }
}

/// One committed change, numbered by a monotonically growing sequence. As JSON:
/// `{seq, at, workflowId, runId, taskId, kind, payload}`, `payload` typed by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Sequence number; ask for everything after the last one seen.
    #[ts(type = "number")]
    pub seq: i64,
    /// When (ms since epoch).
    #[ts(type = "number")]
    pub at: Millis,
    /// Workflow concerned.
    pub workflow_id: Option<String>,
    /// Run concerned.
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// Task concerned.
    #[ts(type = "number | null")]
    pub task_id: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
}

impl Event {
    /// What kind of change.
    pub fn kind(&self) -> EventKind {
        self.body.kind()
    }
}

/// What an event says happened (`kind`, with its `payload`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EventBody {
    /// A workflow was created, saved, renamed or deleted.
    WorkflowChanged(WorkflowChange),
    /// A workflow's life-cycle state changed.
    WorkflowState {
        /// The new state.
        state: WorkflowState,
    },
    /// A run was created.
    RunCreated {
        /// Pending (queued) or Running.
        status: RunStatus,
        /// What made it.
        trigger: Trigger,
        /// The revision it pins.
        #[ts(type = "number")]
        revision: i64,
        /// Simulation mode.
        simulate: bool,
    },
    /// A run's status changed.
    RunStatus {
        /// The new status.
        status: RunStatus,
        /// Why it ended badly, when it did.
        #[serde(default)]
        error: Option<String>,
    },
    /// A task was created or changed status.
    TaskChanged(TaskChange),
    /// A transition was taken (with what went through it).
    EdgeTaken {
        /// Source activity.
        from: String,
        /// Its port.
        port: String,
        /// Target activity.
        to: String,
        /// Records that went through, for data activities.
        #[serde(default)]
        #[ts(type = "number | null")]
        records: Option<i64>,
    },
    /// A log line was appended.
    Log {
        /// `info`, `warn`, `error`.
        level: String,
        /// Text.
        message: String,
    },
    /// A command was applied or refused.
    CommandApplied {
        /// The command.
        #[ts(type = "number")]
        command: i64,
        /// What became of it.
        outcome: crate::command::CommandOutcome,
    },
    /// Finished runs of a workflow were purged.
    Purged {
        /// How many.
        #[ts(type = "number")]
        runs: u64,
    },
}

impl EventBody {
    /// The kind, as stored.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::WorkflowChanged(_) => EventKind::WorkflowChanged,
            Self::WorkflowState { .. } => EventKind::WorkflowState,
            Self::RunCreated { .. } => EventKind::RunCreated,
            Self::RunStatus { .. } => EventKind::RunStatus,
            Self::TaskChanged(_) => EventKind::TaskChanged,
            Self::EdgeTaken { .. } => EventKind::EdgeTaken,
            Self::Log { .. } => EventKind::Log,
            Self::CommandApplied { .. } => EventKind::CommandApplied,
            Self::Purged { .. } => EventKind::Purged,
        }
    }
}

/// A workflow created, saved, renamed or deleted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkflowChange {
    /// Its revision after the change.
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    /// It was renamed to this.
    pub name: Option<String>,
    /// It was deleted.
    pub deleted: bool,
}

/// A task created or changed: its state after the change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskChange {
    /// Its activity.
    pub activity: String,
    /// Its status now.
    pub status: TaskStatus,
    /// Why it waits or was skipped.
    #[serde(default)]
    pub reason: Option<WaitReason>,
    /// The task was created by this change.
    #[serde(default)]
    pub created: bool,
    /// The attempt running, when it started one.
    #[serde(default)]
    pub attempt: Option<u32>,
    /// The port it left by.
    #[serde(default)]
    pub port: Option<String>,
    /// Records it handled.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub record_count: Option<i64>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// Its result was reused from an earlier run.
    #[serde(default)]
    pub reused: bool,
}

impl TaskChange {
    /// A change to `status`, nothing else said.
    pub fn to(activity: &str, status: TaskStatus) -> Self {
        Self {
            activity: activity.to_string(),
            status,
            reason: None,
            created: false,
            attempt: None,
            port: None,
            record_count: None,
            error: None,
            reused: false,
        }
    }

    /// Folds a later change of the same task in one transaction into this one: the state is the
    /// later one's; that the task was created, and its attempt, are kept.
    pub fn absorb(&mut self, later: TaskChange) {
        let created = self.created || later.created;
        let attempt = later.attempt.or(self.attempt);
        let reused = self.reused || later.reused;
        *self = TaskChange {
            created,
            attempt,
            reused,
            ..later
        };
    }
}

/// A workflow as listed on its card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Life-cycle state.
    pub state: WorkflowState,
    /// Latest revision.
    #[ts(type = "number")]
    pub revision: i64,
    /// Status of the newest run, if any.
    pub last_run_status: Option<RunStatus>,
    /// Human description of its schedule triggers, if any.
    pub schedule: Option<String>,
    /// Whether the next Start runs in simulation mode.
    pub simulate: bool,
    /// Last save (ms since epoch).
    #[ts(type = "number")]
    pub updated_at: Millis,
    /// Each toolbar command: whether it applies now, and why not (the engine's own rule).
    #[serde(default)]
    pub commands: Vec<crate::command::Availability>,
}

/// A run as listed in the runs history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Workflow id.
    pub workflow_id: String,
    /// Workflow name (at listing time).
    pub workflow_name: String,
    /// Revision the run pinned.
    #[ts(type = "number")]
    pub revision: i64,
    /// Status.
    pub status: RunStatus,
    /// What made it.
    pub trigger: Trigger,
    /// Whether it ran in simulation mode.
    pub simulate: bool,
    /// Created (ms).
    #[ts(type = "number")]
    pub created_at: Millis,
    /// Started (ms).
    #[ts(type = "number | null")]
    pub started_at: Option<Millis>,
    /// Ended (ms).
    #[ts(type = "number | null")]
    pub ended_at: Option<Millis>,
    /// The run this one restarted from, if any.
    #[ts(type = "number | null")]
    pub restart_of: Option<i64>,
    /// The run whose sub-workflow task made this one, if any.
    #[ts(type = "number | null")]
    pub parent_run: Option<i64>,
}

/// A run with its parameters, variables and error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunDetail {
    /// The listed fields.
    #[serde(flatten)]
    pub summary: RunSummary,
    /// Parameters.
    #[ts(type = "Record<string, unknown>")]
    pub params: serde_json::Value,
    /// Variables set so far.
    #[ts(type = "Record<string, unknown>")]
    pub vars: serde_json::Value,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// The activity it restarted from.
    pub restart_from: Option<String>,
    /// The trigger activity that fired it.
    pub trigger_activity: Option<String>,
    /// Percent of activities done (0-100).
    pub progress: u8,
}

/// One task of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskRecord {
    /// Id (also the scheduling order).
    #[ts(type = "number")]
    pub id: i64,
    /// Run.
    #[ts(type = "number")]
    pub run_id: i64,
    /// Activity.
    pub activity_id: String,
    /// Status.
    pub status: TaskStatus,
    /// Why it waits or was skipped.
    pub wait_reason: Option<WaitReason>,
    /// Current attempt (0 before the first).
    pub attempt: u32,
    /// When a wait or retry ends (ms).
    #[ts(type = "number | null")]
    pub wake_at: Option<Millis>,
    /// Output port taken.
    pub port: Option<String>,
    /// Arguments the last attempt received (rendered config).
    #[ts(type = "unknown")]
    pub args: serde_json::Value,
    /// Result JSON.
    #[ts(type = "unknown")]
    pub result: serde_json::Value,
    /// Records handled, for data activities.
    #[ts(type = "number | null")]
    pub record_count: Option<i64>,
    /// Captured standard output (bounded).
    pub stdout: String,
    /// Captured standard error (bounded).
    pub stderr: String,
    /// Error message, if it failed.
    pub error: Option<String>,
    /// Whether the result was reused from an earlier run (restart from a task).
    pub reused: bool,
    /// How many times the engine stopped while this task ran (re-run, not counted as retries).
    pub interruptions: u32,
    /// Created (ms).
    #[ts(type = "number")]
    pub created_at: Millis,
    /// Started (ms).
    #[ts(type = "number | null")]
    pub started_at: Option<Millis>,
    /// Ended (ms).
    #[ts(type = "number | null")]
    pub ended_at: Option<Millis>,
}

/// One attempt of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptRecord {
    /// Task.
    #[ts(type = "number")]
    pub task_id: i64,
    /// Attempt number from 1.
    pub attempt: u32,
    /// `running`, `succeeded`, `failed`, `cancelled` or `interrupted`.
    pub status: String,
    /// Started (ms).
    #[ts(type = "number")]
    pub started_at: Millis,
    /// Ended (ms).
    #[ts(type = "number | null")]
    pub ended_at: Option<Millis>,
    /// Result of this attempt.
    #[ts(type = "unknown")]
    pub result: serde_json::Value,
    /// Output of this attempt.
    pub stdout: String,
    /// Errors of this attempt.
    pub stderr: String,
    /// Why it failed.
    pub error: Option<String>,
}

/// A log line of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// Id (order).
    #[ts(type = "number")]
    pub id: i64,
    /// Task.
    #[ts(type = "number")]
    pub task_id: i64,
    /// Activity of the task.
    pub activity_id: String,
    /// Attempt.
    pub attempt: u32,
    /// When (ms).
    #[ts(type = "number")]
    pub at: Millis,
    /// `info`, `warn` or `error`.
    pub level: String,
    /// Text.
    pub message: String,
}

/// A transition's state in a run (`574 - Ok` on the canvas).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EdgeRecord {
    /// Source activity.
    pub from: String,
    /// Port.
    pub port: String,
    /// Target activity.
    pub to: String,
    /// Times taken.
    #[ts(type = "number")]
    pub taken: i64,
    /// Whether the branch was not taken.
    pub dead: bool,
    /// Records that went through, for data activities.
    #[ts(type = "number | null")]
    pub records: Option<i64>,
}

/// An approval, waiting or decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRecord {
    /// Task waiting.
    #[ts(type = "number")]
    pub task_id: i64,
    /// Run.
    #[ts(type = "number")]
    pub run_id: i64,
    /// Workflow.
    pub workflow_id: String,
    /// Activity.
    pub activity_id: String,
    /// Operator group.
    pub group: String,
    /// Rendered message.
    pub message: String,
    /// Deadline (ms).
    #[ts(type = "number | null")]
    pub deadline: Option<Millis>,
    /// `approve` or `reject` once decided.
    pub decision: Option<String>,
    /// Comment with the decision.
    pub comment: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// Created (ms).
    #[ts(type = "number")]
    pub created_at: Millis,
}

/// A queued command and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandRecord {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Workflow.
    pub workflow_id: Option<String>,
    /// The command.
    pub command: crate::command::Command,
    /// Queued (ms).
    #[ts(type = "number")]
    pub created_at: Millis,
    /// Applied (ms).
    #[ts(type = "number | null")]
    pub applied_at: Option<Millis>,
    /// Applied (with the run it made) or refused (with a code and why); none while pending.
    pub outcome: Option<crate::command::CommandOutcome>,
    /// How many owner sessions began applying it (a command whose application stopped the
    /// engine twice is set aside).
    pub tries: u32,
    /// The owner session that last began applying it.
    #[ts(type = "number | null")]
    pub try_session: Option<i64>,
}

impl CommandRecord {
    /// Whether an owner session other than `session` began applying it and never finished:
    /// that session stopped while applying it.
    pub fn begun_elsewhere(&self, session: i64) -> bool {
        self.tries > 0 && self.try_session != Some(session)
    }
}

/// Filter of the runs history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RunFilter {
    /// Only this workflow.
    pub workflow_id: Option<String>,
    /// Only these statuses.
    pub statuses: Vec<RunStatus>,
    /// Only this trigger.
    pub trigger: Option<Trigger>,
    /// Created at or after (ms).
    #[ts(type = "number | null")]
    pub from: Option<Millis>,
    /// Created before (ms).
    #[ts(type = "number | null")]
    pub to: Option<Millis>,
    /// Oldest first instead of newest first.
    pub ascending: bool,
}

/// One page of runs; pass `next` back as the cursor for the following page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunPage {
    /// The runs.
    pub runs: Vec<RunSummary>,
    /// Cursor for the next page (a run id), none at the end.
    #[ts(type = "number | null")]
    pub next: Option<i64>,
}
