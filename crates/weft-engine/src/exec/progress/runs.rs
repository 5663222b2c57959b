//! Runs: creation under the concurrency policy, beginning, ending, cancelling; the queue of
//! pending runs; retention.

use super::{has_armed_triggers, Progress, Step};
use crate::model::ConcurrencyPolicy;
use crate::store::runs::{NewRun, RunHead};
use crate::store::tasks::{TaskEnd, TaskRef, TaskState};
use crate::store::{Result, RunStatus, TaskStatus, Trigger, WaitReason, WorkflowState};
use serde_json::Value;

/// A run request.
pub struct RunRequest<'a> {
    /// Workflow.
    pub workflow_id: &'a str,
    /// Revision (the latest when none).
    pub revision: Option<i64>,
    /// What made it.
    pub trigger: Trigger,
    /// The trigger activity that fired.
    pub trigger_activity: Option<&'a str>,
    /// Parameters (already checked against the schema).
    pub params: Value,
    /// Simulation mode.
    pub simulate: bool,
    /// The earlier run this one restarts, and the activity it restarts from (none for a
    /// re-run after an edit, which works out what to reuse from the two revisions).
    pub restart: Option<(i64, Option<&'a str>)>,
    /// The sub-workflow task that asked for this run.
    pub parent_task: Option<i64>,
}

impl Progress<'_, '_> {
    /// Creates a run under the workflow's concurrency policy; `None` when the policy skips it.
    pub fn create_run(&mut self, request: RunRequest<'_>) -> Result<Option<i64>> {
        let run = self.new_run(request)?;
        self.drain()?;
        Ok(run)
    }

    pub(super) fn new_run(&mut self, request: RunRequest<'_>) -> Result<Option<i64>> {
        let revision = match request.revision {
            Some(r) => r,
            None => self.tx.workflow_row(request.workflow_id)?.revision,
        };
        let plan = self.plan(request.workflow_id, revision)?;
        let queue = self.tx.run_queue(request.workflow_id)?;
        let status = match (queue.is_empty(), plan.concurrency) {
            (true, _) | (false, ConcurrencyPolicy::Parallel) => RunStatus::Running,
            (false, ConcurrencyPolicy::Queue) => RunStatus::Pending,
            (false, ConcurrencyPolicy::Skip) => return Ok(None),
        };
        let run_id = self.tx.insert_run(
            &NewRun {
                workflow_id: request.workflow_id,
                revision,
                status,
                trigger: request.trigger,
                trigger_activity: request.trigger_activity,
                params: &request.params,
                simulate: request.simulate,
                restart_of: request.restart.map(|r| r.0),
                restart_from: request.restart.and_then(|r| r.1),
                parent_task: request.parent_task,
            },
            self.now,
        )?;
        if status == RunStatus::Running {
            self.begin(run_id)?;
        }
        Ok(Some(run_id))
    }

    /// Activates the Start activity of a run that may begin.
    pub(super) fn begin(&mut self, run_id: i64) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        self.tx
            .set_run_status(run.as_ref(), RunStatus::Running, None, self.now)?;
        let plan = self.plan_of(&run)?;
        self.push(Step::RunDone { run: run_id });
        if let Some(start) = plan.start() {
            self.push(Step::Activate {
                run: run_id,
                activity: start,
            });
        }
        Ok(())
    }

    /// Ends the run when nothing is left to do.
    pub fn check_run_done(&mut self, run_id: i64) -> Result<()> {
        self.run_done(run_id)?;
        self.drain()
    }

    pub(super) fn run_done(&mut self, run_id: i64) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        if run.status.is_final() || run.status == RunStatus::Pending {
            return Ok(());
        }
        let active = self.tx.active_tasks_of_run(run_id)?;
        if active.is_empty() {
            self.tx
                .set_run_status(run.as_ref(), RunStatus::Completed, None, self.now)?;
            return self.after_run_end(&run.workflow_id, run_id, RunStatus::Completed);
        }
        let waiting_approval = active
            .iter()
            .any(|(_, _, s, r)| *s == TaskStatus::Waiting && *r == Some(WaitReason::Approval));
        let status = if waiting_approval {
            RunStatus::WaitingForApproval
        } else {
            RunStatus::Running
        };
        if status == run.status {
            return Ok(()); // the usual case after a step: nothing to write
        }
        self.tx.set_run_status(run.as_ref(), status, None, self.now)
    }

    /// After a run ended: answer its caller, keep the history within its retention, start the
    /// next queued run, and finish a workflow that has nothing left.
    pub(super) fn after_run_end(
        &mut self,
        workflow_id: &str,
        run_id: i64,
        status: RunStatus,
    ) -> Result<()> {
        self.followups.ended_runs.push((run_id, status));
        self.apply_retention(workflow_id, run_id)?;
        let queue = self.tx.run_queue(workflow_id)?;
        let row = self.tx.workflow_row(workflow_id)?;
        let held = row.state == WorkflowState::Stopping || row.state == WorkflowState::Paused;
        if !held {
            if let (Some(next), false) = (queue.first_pending, queue.busy) {
                self.push(Step::BeginRun { run: next });
            } else if queue.is_empty() && row.state == WorkflowState::Started {
                let plan = self.plan(workflow_id, row.revision)?;
                if !has_armed_triggers(&plan) {
                    self.tx
                        .set_workflow_state(workflow_id, WorkflowState::Finished, self.now)?;
                }
            }
        }
        // Pushed last, so the caller hears of the end before the next queued run begins.
        self.push(Step::AnswerParent {
            run: run_id,
            status,
        });
        Ok(())
    }

    /// Cancels a run now: waiting tasks are cancelled, running ones are signalled.
    pub fn cancel_run(&mut self, run_id: i64, reason: &str) -> Result<()> {
        self.cancel(run_id, reason)?;
        self.drain()
    }

    pub(super) fn cancel(&mut self, run_id: i64, reason: &str) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        if run.status.is_final() {
            return Ok(());
        }
        self.cancel_active_tasks(&run)?;
        self.tx
            .set_run_status(run.as_ref(), RunStatus::Cancelled, Some(reason), self.now)?;
        self.after_run_end(&run.workflow_id, run.id, RunStatus::Cancelled)
    }

    /// Ends a run as Error because of something other than a step (e.g. a missing activity).
    pub(super) fn fail_run(&mut self, run: &RunHead, error: &str) -> Result<()> {
        self.end_run_badly(run, RunStatus::Error, error)
    }

    /// Ends a run Failed or Error and cancels what else it had going.
    pub(super) fn end_run_badly(
        &mut self,
        run: &RunHead,
        status: RunStatus,
        error: &str,
    ) -> Result<()> {
        self.cancel_active_tasks(run)?;
        self.tx
            .set_run_status(run.as_ref(), status, Some(error), self.now)?;
        self.after_run_end(&run.workflow_id, run.id, status)
    }

    /// Cancels a run's active tasks: running ones are signalled after commit, the others end
    /// Cancelled now; runs they called are cancelled too (nesting is bounded, see
    /// [`super::subworkflows`]).
    pub(super) fn cancel_active_tasks(&mut self, run: &RunHead) -> Result<()> {
        for (task_id, activity_id, status, _) in self.tx.active_tasks_of_run(run.id)? {
            if let Some(child) = self.tx.active_child_run(task_id)? {
                self.cancel(child, "its caller was cancelled")?;
            }
            if status == TaskStatus::Running {
                self.followups.cancel_tasks.push(task_id);
            } else {
                let task = TaskRef {
                    id: task_id,
                    run: run.as_ref(),
                    activity_id: &activity_id,
                };
                self.tx.set_task_status(
                    task,
                    TaskState::of(TaskStatus::Cancelled),
                    &TaskEnd::default(),
                    self.now,
                )?;
            }
        }
        Ok(())
    }

    /// Keeps the workflow's history within its retention policy (never the run that just ended).
    fn apply_retention(&mut self, workflow_id: &str, run_id: i64) -> Result<()> {
        let revision = self.tx.run_head(run_id)?.revision;
        let Some(policy) = self.plan(workflow_id, revision)?.history else {
            return Ok(());
        };
        let older_than = policy
            .keep_days
            .map(|d| self.now - i64::from(d) * 86_400_000);
        let deleted =
            self.tx
                .prune_history(workflow_id, policy.keep_runs.map(|k| k.max(1)), older_than)?;
        if deleted > 0 {
            tracing::debug!(workflow = workflow_id, deleted, "history retention");
        }
        Ok(())
    }
}
