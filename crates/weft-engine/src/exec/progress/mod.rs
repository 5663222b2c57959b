//! How a run moves forward, as functions over one store transaction: creating runs, activating
//! activities, finishing tasks, taking transitions (and marking the others dead so joins know
//! when to fire), and ending runs. Nothing here touches the world or keeps state of its own.
//!
//! The graph is walked with an explicit work list ([`Step`]), never by recursion: a chain of
//! 100,000 skipped activities costs memory proportional to the chain, not stack. Each public
//! entry point does its own part, then drains the work list before returning, in the order the
//! recursive walk would have taken (a stack: the last pushed step runs first).
//!
//! - [`runs`]: creating, beginning, ending and cancelling runs, retention, queued runs.
//! - [`walk`]: activating activities and leaving them by their ports; joins and dead branches.
//! - [`outcomes`]: recording an attempt's success, failure, interruption or cancellation.
//! - [`waits`]: Wait, Enable but do not execute, and approvals.
//! - [`subworkflows`]: calling another workflow and answering the caller.
//! - [`debug`]: debug runs pausing at breakpoints; Continue, Step, Skip, Stop.

mod commands;
mod debug;
mod outcomes;
mod runs;
mod subworkflows;
mod waits;
mod walk;

pub use outcomes::{FailureReport, MAX_INTERRUPTIONS};
pub use runs::RunRequest;
pub use subworkflows::MAX_DEPTH;

use super::plan::{Plan, PlanCache};
use crate::model::{ActivityConfig, WorkflowFile};
use crate::store::runs::RunHead;
use crate::store::tasks::TaskRef;
use crate::store::{Millis, Result, RunStatus, StoreWrite, TaskRecord};
use std::sync::Arc;

/// Why an attempt did not succeed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The step failed: retry policy, then the `error` output, then the run fails.
    Failed,
    /// The engine stopped while the attempt ran (crash recovery): not the step's failure — it
    /// runs again unless the activity says `on_interrupt: fail`.
    Interrupted,
    /// The configuration cannot work (a template names an undefined value…): retrying would
    /// fail the same way, so the run ends in Error at once.
    Config,
}

impl Failure {
    fn attempt_status(self) -> &'static str {
        match self {
            Self::Failed | Self::Config => "failed",
            Self::Interrupted => "interrupted",
        }
    }
}

/// An approval that started waiting.
#[derive(Debug, Clone)]
pub struct ApprovalOpened {
    /// The workflow.
    pub workflow_id: String,
    /// The approval's task.
    pub task_id: i64,
    /// The operator group asked.
    pub group: String,
    /// What the approver reads.
    pub message: String,
}

/// Side effects the caller must carry out after the transaction commits.
#[derive(Debug, Default)]
pub struct Followups {
    /// Running tasks whose cancellation token must be triggered.
    pub cancel_tasks: Vec<i64>,
    /// Runs that ended (for notifications).
    pub ended_runs: Vec<(i64, RunStatus)>,
    /// Space should be reclaimed (after a purge).
    pub reclaim: bool,
    /// Approvals that started waiting, for a desktop notification and mail to their group.
    pub approvals_waiting: Vec<ApprovalOpened>,
    /// Tasks made Ready that may start now.
    pub ready: bool,
    /// A workflow was started: look at schedules again now.
    pub schedules_changed: bool,
}

impl Followups {
    /// Adds another unit's follow-ups to these.
    pub fn absorb(&mut self, other: Followups) {
        self.cancel_tasks.extend(other.cancel_tasks);
        self.ended_runs.extend(other.ended_runs);
        self.reclaim |= other.reclaim;
        self.approvals_waiting.extend(other.approvals_waiting);
        self.ready |= other.ready;
        self.schedules_changed |= other.schedules_changed;
    }
}

/// One unit of pending progression work.
#[derive(Debug)]
enum Step {
    /// Activate an activity of a run: create its task, or skip it and walk on.
    Activate { run: i64, activity: usize },
    /// Leave an activity by the ports `taken` (with their record counts); the transitions from
    /// the `next`th on are still to be marked.
    Leave {
        run: i64,
        activity: usize,
        taken: Vec<(String, Option<i64>)>,
        next: usize,
    },
    /// A transition into `target` died: skip it when no live transition can reach it.
    EdgeDead { run: i64, target: usize },
    /// A transition into an activity that waits for all its inputs was resolved.
    CheckJoin { run: i64, target: usize },
    /// See whether a run has anything left to do.
    RunDone { run: i64 },
    /// A queued run may begin.
    BeginRun { run: i64 },
    /// A called run ended: answer the task that called it.
    AnswerParent { run: i64, status: RunStatus },
}

/// A transaction plus what progression needs around it.
pub struct Progress<'t, 'c> {
    /// The open transaction.
    pub tx: &'t mut (dyn StoreWrite + 'c),
    /// Now, from the engine clock.
    pub now: Millis,
    /// Parsed workflow revisions.
    pub plans: &'t mut PlanCache,
    /// What to do after commit.
    pub followups: &'t mut Followups,
    steps: Vec<Step>,
}

impl<'t, 'c> Progress<'t, 'c> {
    /// Progression over an open transaction.
    pub fn new(
        tx: &'t mut (dyn StoreWrite + 'c),
        now: Millis,
        plans: &'t mut PlanCache,
        followups: &'t mut Followups,
    ) -> Self {
        Self {
            tx,
            now,
            plans,
            followups,
            steps: Vec::new(),
        }
    }
}

impl Progress<'_, '_> {
    fn plan(&mut self, workflow_id: &str, revision: i64) -> Result<Arc<Plan>> {
        self.plans.get(self.tx.as_read(), workflow_id, revision)
    }

    fn plan_of(&mut self, run: &RunHead) -> Result<Arc<Plan>> {
        self.plan(&run.workflow_id, run.revision)
    }

    fn push(&mut self, step: Step) {
        self.steps.push(step);
    }

    /// Runs the pending steps to the end.
    fn drain(&mut self) -> Result<()> {
        while let Some(step) = self.steps.pop() {
            match step {
                Step::Activate { run, activity } => self.activate(run, activity)?,
                Step::Leave {
                    run,
                    activity,
                    taken,
                    next,
                } => self.leave(run, activity, taken, next)?,
                Step::EdgeDead { run, target } => self.edge_dead(run, target)?,
                Step::CheckJoin { run, target } => self.check_join(run, target)?,
                Step::RunDone { run } => self.run_done(run)?,
                Step::BeginRun { run } => self.begin(run)?,
                Step::AnswerParent { run, status } => self.answer_parent(run, status)?,
            }
        }
        Ok(())
    }
}

/// A task as store changes name it.
fn task_ref<'a>(task: &'a TaskRecord, run: &'a RunHead) -> TaskRef<'a> {
    TaskRef {
        id: task.id,
        run: run.as_ref(),
        activity_id: &task.activity_id,
    }
}

/// Whether a workflow has triggers that keep it Started between runs (schedules).
pub fn has_armed_triggers(body: &WorkflowFile) -> bool {
    body.activities.iter().any(|a| {
        a.mode != crate::model::ExecutionMode::Disabled
            && match &a.config {
                ActivityConfig::ScheduleTrigger(c) => {
                    !matches!(c.schedule, crate::model::ScheduleSpec::OnDemand)
                }
                ActivityConfig::WebhookTrigger(_)
                | ActivityConfig::FileTrigger(_)
                | ActivityConfig::RecordTrigger(_) => true,
                _ => false,
            }
    })
}

fn fmt_ms(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339())
        .unwrap_or_else(|| ms.to_string())
}
