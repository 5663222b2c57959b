//! Tasks as the store holds them: how a task is named in a change ([`TaskRef`]), where it stands
//! ([`TaskState`]), how it ends ([`TaskEnd`]), and the bounds on what it keeps.

use super::{Millis, TaskStatus, WaitReason};

/// Bound on captured stdout / stderr per task; longer output is cut with a visible marker.
pub const OUTPUT_LIMIT: usize = 256 * 1024;

/// Bound on log lines per task attempt.
pub const LOG_LINES_LIMIT: i64 = 2_000;

/// How a task ends.
#[derive(Clone, Debug, Default)]
pub struct TaskEnd<'a> {
    /// Output port taken (successes).
    pub port: Option<&'a str>,
    /// Result JSON.
    pub result: Option<&'a serde_json::Value>,
    /// Records handled.
    pub record_count: Option<i64>,
    /// Captured output.
    pub stdout: &'a str,
    /// Captured errors.
    pub stderr: &'a str,
    /// Error message.
    pub error: Option<&'a str>,
}

/// Which run a change is about, with the workflow its events name.
#[derive(Clone, Copy, Debug)]
pub struct RunRef<'a> {
    /// Run id.
    pub id: i64,
    /// Its workflow.
    pub workflow_id: &'a str,
}

/// Which task a change is about, with what its events name.
#[derive(Clone, Copy, Debug)]
pub struct TaskRef<'a> {
    /// Task id.
    pub id: i64,
    /// Its run.
    pub run: RunRef<'a>,
    /// Its activity.
    pub activity_id: &'a str,
}

/// Where a task stands: its status, why it waits (or was skipped), and when it wakes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskState {
    /// Status.
    pub status: TaskStatus,
    /// Why it waits or was skipped.
    pub reason: Option<WaitReason>,
    /// When a wait or retry delay ends.
    pub wake_at: Option<Millis>,
}

impl TaskState {
    /// A status with no reason and no wake time.
    pub fn of(status: TaskStatus) -> Self {
        Self {
            status,
            reason: None,
            wake_at: None,
        }
    }

    /// A status with a reason (skipped, waiting).
    pub fn because(status: TaskStatus, reason: WaitReason) -> Self {
        Self {
            status,
            reason: Some(reason),
            wake_at: None,
        }
    }

    /// The same, waking at a time.
    pub fn until(self, wake_at: Option<Millis>) -> Self {
        Self { wake_at, ..self }
    }
}

/// A transition of a run: from an activity's port to another activity.
#[derive(Clone, Copy, Debug)]
pub struct EdgeRef<'a> {
    /// Source activity.
    pub from: &'a str,
    /// Its output port.
    pub port: &'a str,
    /// Target activity.
    pub to: &'a str,
}

/// How long a running task's lease lasts on a store several servers share: its server renews
/// it with each heartbeat; once it lapses another server takes the task over (interrupted, then
/// run again or failed by its `on_interrupt` rule).
pub const LEASE_MS: Millis = 10_000;

/// An approval opening for a waiting task.
#[derive(Clone, Copy, Debug)]
pub struct NewApproval<'a> {
    /// The waiting task.
    pub task: TaskRef<'a>,
    /// Operator group that may answer.
    pub group: &'a str,
    /// Rendered message.
    pub message: &'a str,
    /// When the default outcome applies.
    pub deadline: Option<Millis>,
    /// `approve` or `reject`.
    pub default_outcome: &'a str,
}

/// What a round of the executor has to look at, read in one statement (see
/// [`TaskReads::round_poll`](super::api::TaskReads::round_poll)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundPoll {
    /// Commands wait to be applied.
    pub commands_pending: bool,
    /// A workflow is stopping (it finishes once none of its tasks runs).
    pub workflows_stopping: bool,
    /// The earliest wake time of a waiting task (a Wait, an approval's deadline).
    pub first_waiting_wake: Option<Millis>,
}

/// A ready task the executor may start.
#[derive(Clone, Debug)]
pub struct ReadyTask {
    /// Task.
    pub task_id: i64,
    /// Run.
    pub run_id: i64,
    /// Activity.
    pub activity_id: String,
    /// Attempts made so far.
    pub attempt: u32,
    /// The run's workflow.
    pub workflow_id: String,
    /// The run's revision of it (with the activity id: which activity, before any other read).
    pub revision: i64,
}

/// An active task: (task id, activity id, status, wait reason).
pub type ActiveTask = (i64, String, TaskStatus, Option<WaitReason>);

/// Cuts output to [`OUTPUT_LIMIT`] bytes (on a char boundary) with a visible marker.
pub fn bound_output(text: &str) -> String {
    if text.len() <= OUTPUT_LIMIT {
        return text.to_string();
    }
    let mut cut = OUTPUT_LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}\n… output truncated: {} more bytes not kept",
        &text[..cut],
        text.len() - cut
    )
}
