//! How a run moves forward, as functions over one store transaction: creating runs, activating
//! activities, finishing tasks, taking transitions (and marking the others dead so joins know
//! when to fire), and ending runs. Nothing here touches the world or keeps state of its own.

use super::bodies::BodyCache;
use crate::model::{
    Activity, ActivityConfig, ActivityKind, ApprovalOutcome, ConcurrencyPolicy, Role, WorkflowFile,
};
use crate::store::runs::{self, NewRun, RunRow};
use crate::store::tasks::{self, TaskEnd};
use crate::store::workflows;
use crate::store::{Millis, Result, RunStatus, TaskStatus, Trigger, Tx, WaitReason, WorkflowState};
use rusqlite::OptionalExtension;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;

/// Why an attempt did not succeed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The step failed: retry policy, then the `error` output, then the run fails.
    Failed,
    /// The engine stopped while the attempt ran (crash recovery): retried like a failure.
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

/// Side effects the caller must carry out after the transaction commits.
#[derive(Debug, Default)]
pub struct Followups {
    /// Running tasks whose cancellation token must be triggered.
    pub cancel_tasks: Vec<i64>,
    /// Runs that ended (for notifications).
    pub ended_runs: Vec<(i64, RunStatus)>,
    /// Space should be reclaimed (after a purge).
    pub reclaim: bool,
    /// Approvals that started waiting: (workflow id, message), for a desktop notification.
    pub approvals_waiting: Vec<(String, String)>,
}

/// A transaction plus what progression needs around it.
pub struct Progress<'t, 'c> {
    /// The open transaction.
    pub tx: &'t mut Tx<'c>,
    /// Now, from the engine clock.
    pub now: Millis,
    /// Parsed workflow revisions.
    pub bodies: &'t mut BodyCache,
    /// What to do after commit.
    pub followups: &'t mut Followups,
}

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
    /// Restart of (run, activity).
    pub restart: Option<(i64, &'a str)>,
    /// The sub-workflow task that asked for this run.
    pub parent_task: Option<i64>,
}

impl Progress<'_, '_> {
    fn body(&mut self, workflow_id: &str, revision: i64) -> Result<Arc<WorkflowFile>> {
        self.bodies.get(self.tx.conn(), workflow_id, revision)
    }

    /// Sets a task's status (and outcome fields), with its event.
    fn mark(
        &mut self,
        task: &crate::store::TaskRecord,
        run: &RunRow,
        status: TaskStatus,
        reason: Option<WaitReason>,
        wake_at: Option<Millis>,
        end: &TaskEnd<'_>,
    ) -> Result<()> {
        self.tx.set_task_status(
            task.id,
            &run.workflow_id,
            run.id,
            &task.activity_id,
            status,
            reason,
            wake_at,
            end,
            self.now,
        )
    }

    /// Creates a run under the workflow's concurrency policy; `None` when the policy skips it.
    pub fn create_run(&mut self, request: RunRequest<'_>) -> Result<Option<i64>> {
        let revision = match request.revision {
            Some(r) => r,
            None => workflows::workflow_row(self.tx.conn(), request.workflow_id)?.revision,
        };
        let body = self.body(request.workflow_id, revision)?;
        let active = runs::active_runs(self.tx.conn(), request.workflow_id)?;
        let status = match (active.is_empty(), body.concurrency) {
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
                restart_from: request.restart.map(|r| r.1),
                parent_task: request.parent_task,
            },
            self.now,
        )?;
        if status == RunStatus::Running {
            self.begin_run(run_id)?;
        }
        Ok(Some(run_id))
    }

    /// Activates the Start activity of a run that may begin.
    pub fn begin_run(&mut self, run_id: i64) -> Result<()> {
        let run = runs::run_row(self.tx.conn(), run_id)?;
        self.tx
            .set_run_status(run_id, &run.workflow_id, RunStatus::Running, None, self.now)?;
        let body = self.body(&run.workflow_id, run.revision)?;
        if let Some(start) = body.activities.iter().find(|a| a.role() == Role::Start) {
            self.activate(&run, &body, start)?;
        }
        self.check_run_done(run_id)
    }

    fn activate(&mut self, run: &RunRow, body: &WorkflowFile, activity: &Activity) -> Result<()> {
        let (wf, now) = (run.workflow_id.as_str(), self.now);
        if let Some(reused) = self.reusable(run, body, activity)? {
            self.tx.insert_reused_task(run.id, wf, &reused, now)?;
            let taken: Vec<(&str, Option<i64>)> = reused
                .port
                .as_deref()
                .map(|p| (p, reused.record_count))
                .into_iter()
                .collect();
            return self.propagate(run, body, activity, &taken);
        }
        let skip = if activity.mode == crate::model::ExecutionMode::Disabled {
            Some(WaitReason::Disabled)
        } else if activity.role() == Role::Trigger && !trigger_applies(run, activity) {
            Some(WaitReason::OtherTrigger)
        } else if run.simulate && activity.config.has_side_effects() {
            Some(WaitReason::Simulation)
        } else {
            None
        };
        if let Some(reason) = skip {
            self.tx.insert_task(
                run.id,
                wf,
                &activity.id,
                TaskStatus::Skipped,
                Some(reason),
                None,
                now,
            )?;
            return self.propagate(run, body, activity, &[]);
        }
        if activity.mode == crate::model::ExecutionMode::Hold {
            self.tx.insert_task(
                run.id,
                wf,
                &activity.id,
                TaskStatus::Waiting,
                Some(WaitReason::Hold),
                None,
                now,
            )?;
            return Ok(());
        }
        let task_id =
            self.tx
                .insert_task(run.id, wf, &activity.id, TaskStatus::Ready, None, None, now)?;
        self.enter(run, activity, task_id)
    }

    /// Puts a task that may proceed into its working state: Wait and Approval wait, the rest run.
    fn enter(&mut self, run: &RunRow, activity: &Activity, task_id: i64) -> Result<()> {
        let (wf, now) = (run.workflow_id.as_str(), self.now);
        match &activity.config {
            ActivityConfig::Wait(c) => {
                let wake = match (&c.duration, &c.until) {
                    (Some(d), _) => now.saturating_add(d.as_duration().as_millis() as i64),
                    (None, Some(until)) => chrono::DateTime::parse_from_rfc3339(until)
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(now),
                    (None, None) => now,
                };
                self.tx.set_task_status(
                    task_id,
                    wf,
                    run.id,
                    &activity.id,
                    TaskStatus::Waiting,
                    Some(WaitReason::Wait),
                    Some(wake),
                    &TaskEnd::default(),
                    now,
                )?;
                self.tx.append_log(
                    task_id,
                    wf,
                    run.id,
                    0,
                    "info",
                    &format!("waiting until {}", fmt_ms(wake)),
                    now,
                )
            }
            ActivityConfig::Approval(c) => {
                let deadline = c
                    .deadline
                    .map(|d| now.saturating_add(d.as_duration().as_millis() as i64));
                let data = json!({"params": run.params, "vars": run.vars, "run": {"id": run.id, "workflow": wf}});
                let message = crate::expr::render(
                    crate::expr::Site {
                        activity: &activity.id,
                        field: "message",
                    },
                    &c.message,
                    &data,
                )
                .unwrap_or_else(|e| {
                    format!(
                        "{} (message could not be rendered: {})",
                        c.message, e.message
                    )
                });
                let default = match c.default_outcome {
                    ApprovalOutcome::Approve => "approve",
                    ApprovalOutcome::Reject => "reject",
                };
                self.tx.set_task_status(
                    task_id,
                    wf,
                    run.id,
                    &activity.id,
                    TaskStatus::Waiting,
                    Some(WaitReason::Approval),
                    deadline,
                    &TaskEnd::default(),
                    now,
                )?;
                self.followups
                    .approvals_waiting
                    .push((wf.to_string(), message.clone()));
                self.tx.insert_approval(
                    task_id,
                    run.id,
                    wf,
                    &activity.id,
                    &c.group,
                    &message,
                    deadline,
                    default,
                    now,
                )?;
                self.tx
                    .set_run_status(run.id, wf, RunStatus::WaitingForApproval, None, now)
            }
            _ => {
                self.tx.set_task_wake(task_id, TaskStatus::Ready, None)?;
                Ok(())
            }
        }
    }

    /// A stored result of the restarted run, for an activity strictly upstream of the restart point.
    fn reusable(
        &mut self,
        run: &RunRow,
        body: &WorkflowFile,
        activity: &Activity,
    ) -> Result<Option<crate::store::TaskRecord>> {
        let (Some(old_run), Some(from)) = (run.restart_of, run.restart_from.as_deref()) else {
            return Ok(None);
        };
        if activity.id == from || !upstream_of(body, from).contains(activity.id.as_str()) {
            return Ok(None);
        }
        Ok(tasks::tasks_of_run(self.tx.conn(), old_run)?
            .into_iter()
            .rfind(|t| t.activity_id == activity.id && t.status == TaskStatus::Succeeded))
    }

    /// Leaves an activity by `port` (None: every output is dead).
    fn propagate(
        &mut self,
        run: &RunRow,
        body: &WorkflowFile,
        activity: &Activity,
        taken: &[(&str, Option<i64>)],
    ) -> Result<()> {
        let looping_again =
            activity.kind() == ActivityKind::Loop && taken.iter().any(|(p, _)| *p == "again");
        for t in body.transitions.iter().filter(|t| t.from == activity.id) {
            let Some(target) = body.activity(&t.to) else {
                continue;
            };
            if let Some((_, records)) = taken.iter().find(|(p, _)| *p == t.port) {
                self.tx.mark_edge(
                    run.id,
                    &run.workflow_id,
                    &t.from,
                    &t.port,
                    &t.to,
                    true,
                    *records,
                    self.now,
                )?;
                if target.kind().waits_for_all_inputs() {
                    self.check_join(run, body, target)?;
                } else {
                    self.activate(run, body, target)?;
                }
            } else if !looping_again {
                self.tx.mark_edge(
                    run.id,
                    &run.workflow_id,
                    &t.from,
                    &t.port,
                    &t.to,
                    false,
                    None,
                    self.now,
                )?;
                self.on_edge_dead(run, body, target)?;
            }
        }
        Ok(())
    }

    fn incoming_state(
        &mut self,
        run: &RunRow,
        body: &WorkflowFile,
        target: &Activity,
    ) -> Result<(bool, bool)> {
        let recorded = tasks::incoming_edges(self.tx.conn(), run.id, &target.id)?;
        let expected = body
            .transitions
            .iter()
            .filter(|t| t.to == target.id)
            .count();
        let resolved = recorded.len() >= expected;
        let any_taken = recorded.iter().any(|(_, _, taken, _)| *taken > 0);
        Ok((resolved, any_taken))
    }

    fn on_edge_dead(&mut self, run: &RunRow, body: &WorkflowFile, target: &Activity) -> Result<()> {
        let (resolved, any_taken) = self.incoming_state(run, body, target)?;
        if !resolved {
            return Ok(());
        }
        if target.kind().waits_for_all_inputs() && any_taken {
            return self.check_join(run, body, target);
        }
        if !any_taken {
            self.tx.insert_task(
                run.id,
                &run.workflow_id,
                &target.id,
                TaskStatus::Skipped,
                Some(WaitReason::NotTaken),
                None,
                self.now,
            )?;
            self.propagate(run, body, target, &[])?;
        }
        Ok(())
    }

    fn check_join(&mut self, run: &RunRow, body: &WorkflowFile, join: &Activity) -> Result<()> {
        let (resolved, any_taken) = self.incoming_state(run, body, join)?;
        let exists = tasks::tasks_of_run(self.tx.conn(), run.id)?
            .iter()
            .any(|t| t.activity_id == join.id);
        if resolved && any_taken && !exists {
            self.activate(run, body, join)?;
        }
        Ok(())
    }

    /// Records a successful attempt and moves on.
    pub fn succeed(&mut self, task_id: i64, outcome: &crate::activities::Outcome) -> Result<()> {
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let end = TaskEnd {
            port: Some(&outcome.port),
            result: Some(&outcome.result),
            record_count: outcome.record_count,
            stdout: &outcome.stdout,
            stderr: &outcome.stderr,
            error: None,
        };
        self.tx
            .end_attempt(task_id, task.attempt, "succeeded", &end, self.now)?;
        if run.status.is_final()
            || task.status != TaskStatus::Running && task.status != TaskStatus::Waiting
        {
            // The run was cancelled meanwhile: keep the result, move nothing.
            self.mark(&task, &run, TaskStatus::Cancelled, None, None, &end)?;
            return Ok(());
        }
        self.mark(&task, &run, TaskStatus::Succeeded, None, None, &end)?;
        if let Some(vars) = &outcome.vars {
            let mut all = run.vars.clone();
            if !all.is_object() {
                all = json!({});
            }
            if let Some(map) = all.as_object_mut() {
                map.extend(vars.clone());
            }
            self.tx.set_run_vars(run.id, &all)?;
        }
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let body = self.body(&run.workflow_id, run.revision)?;
        if let Some(activity) = body.activity(&task.activity_id) {
            let mut taken = vec![(outcome.port.as_str(), outcome.record_count)];
            taken.extend(outcome.extra_ports.iter().map(|(p, n)| (p.as_str(), *n)));
            self.propagate(&run, &body, activity, &taken)?;
        }
        self.check_run_done(run.id)
    }

    /// Records a failed attempt: retry, leave by `error`, or fail the run.
    pub fn fail(
        &mut self,
        task_id: i64,
        message: &str,
        result: Option<&Value>,
        stdout: &str,
        stderr: &str,
        failure: Failure,
    ) -> Result<()> {
        let attempt_status = failure.attempt_status();
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let end = TaskEnd {
            port: None,
            result,
            record_count: None,
            stdout,
            stderr,
            error: Some(message),
        };
        self.tx
            .end_attempt(task_id, task.attempt, attempt_status, &end, self.now)?;
        let (wf, now) = (run.workflow_id.clone(), self.now);
        if run.status.is_final() {
            return self.tx.set_task_status(
                task_id,
                &wf,
                run.id,
                &task.activity_id,
                TaskStatus::Cancelled,
                None,
                None,
                &end,
                now,
            );
        }
        let body = self.body(&run.workflow_id, run.revision)?;
        let Some(activity) = body.activity(&task.activity_id) else {
            return self.fail_run(
                &run,
                Some(task_id),
                &format!("activity {} is not in the workflow", task.activity_id),
            );
        };
        let policy = activity.retry.unwrap_or(body.retry);
        self.tx.append_log(
            task_id,
            &wf,
            run.id,
            task.attempt,
            "error",
            &format!("attempt {} failed: {message}", task.attempt),
            now,
        )?;
        if task.attempt < policy.max_attempts && failure != Failure::Config {
            let delay = policy.delay_before(task.attempt + 1).as_millis() as i64;
            self.tx.set_task_status(
                task_id,
                &wf,
                run.id,
                &task.activity_id,
                TaskStatus::Ready,
                Some(WaitReason::Retry),
                Some(now + delay),
                &end,
                now,
            )?;
            return self.tx.append_log(
                task_id,
                &wf,
                run.id,
                task.attempt,
                "info",
                &format!(
                    "retrying in {} (attempt {} of {})",
                    humantime::format_duration(std::time::Duration::from_millis(delay as u64)),
                    task.attempt + 1,
                    policy.max_attempts
                ),
                now,
            );
        }
        let handled = failure != Failure::Config
            && body
                .transitions
                .iter()
                .any(|t| t.from == activity.id && t.port == "error");
        let failed_end = TaskEnd {
            port: handled.then_some("error"),
            ..end
        };
        self.tx.set_task_status(
            task_id,
            &wf,
            run.id,
            &task.activity_id,
            TaskStatus::Failed,
            None,
            None,
            &failed_end,
            now,
        )?;
        if handled {
            self.propagate(&run, &body, activity, &[("error", None)])?;
            return self.check_run_done(run.id);
        }
        let message = format!("{} failed: {message}", activity.display_name());
        if failure == Failure::Config {
            return self.end_run_badly(&run, RunStatus::Error, &message);
        }
        self.end_run_badly(&run, RunStatus::Failed, &message)
    }

    /// Ends a run as Failed because of something other than a step (e.g. a missing activity).
    pub fn fail_run(&mut self, run: &RunRow, _task: Option<i64>, error: &str) -> Result<()> {
        self.end_run_badly(run, RunStatus::Error, error)
    }

    /// Ends a run Failed or Error and cancels what else it had going.
    fn end_run_badly(&mut self, run: &RunRow, status: RunStatus, error: &str) -> Result<()> {
        self.cancel_active_tasks(run)?;
        self.tx
            .set_run_status(run.id, &run.workflow_id, status, Some(error), self.now)?;
        self.after_run_end(&run.workflow_id, run.id, status)
    }

    fn cancel_active_tasks(&mut self, run: &RunRow) -> Result<()> {
        for (task_id, activity_id, status, _) in tasks::active_tasks_of_run(self.tx.conn(), run.id)?
        {
            if let Some(child) = self.tx.conn().query_row("SELECT id FROM runs WHERE parent_task = ?1 AND status IN ('pending','running','waiting_for_approval')", [task_id], |r| r.get::<_, i64>(0)).optional()? {
                self.cancel_run(child, "its caller was cancelled")?;
            }
            if status == TaskStatus::Running {
                self.followups.cancel_tasks.push(task_id);
            } else {
                self.tx.set_task_status(
                    task_id,
                    &run.workflow_id,
                    run.id,
                    &activity_id,
                    TaskStatus::Cancelled,
                    None,
                    None,
                    &TaskEnd::default(),
                    self.now,
                )?;
            }
        }
        Ok(())
    }

    /// Cancels a run now: waiting tasks are cancelled, running ones are signalled.
    pub fn cancel_run(&mut self, run_id: i64, reason: &str) -> Result<()> {
        let run = runs::run_row(self.tx.conn(), run_id)?;
        if run.status.is_final() {
            return Ok(());
        }
        self.cancel_active_tasks(&run)?;
        self.tx.set_run_status(
            run.id,
            &run.workflow_id,
            RunStatus::Cancelled,
            Some(reason),
            self.now,
        )?;
        self.after_run_end(&run.workflow_id, run.id, RunStatus::Cancelled)
    }

    /// A running task came back cancelled.
    pub fn cancelled(&mut self, task_id: i64, stdout: &str, stderr: &str) -> Result<()> {
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let end = TaskEnd {
            stdout,
            stderr,
            error: Some("cancelled"),
            ..TaskEnd::default()
        };
        self.tx
            .end_attempt(task_id, task.attempt, "cancelled", &end, self.now)?;
        self.mark(&task, &run, TaskStatus::Cancelled, None, None, &end)?;
        if !run.status.is_final() {
            self.cancel_run(run.id, "a task was cancelled")?;
        }
        Ok(())
    }

    /// Ends the run when nothing is left to do.
    pub fn check_run_done(&mut self, run_id: i64) -> Result<()> {
        let run = runs::run_row(self.tx.conn(), run_id)?;
        if run.status.is_final() || run.status == RunStatus::Pending {
            return Ok(());
        }
        let active = tasks::active_tasks_of_run(self.tx.conn(), run_id)?;
        if active.is_empty() {
            self.tx.set_run_status(
                run_id,
                &run.workflow_id,
                RunStatus::Completed,
                None,
                self.now,
            )?;
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
        self.tx
            .set_run_status(run_id, &run.workflow_id, status, None, self.now)
    }

    /// After a run ended: start the next queued run, and finish a workflow that has nothing left.
    pub fn after_run_end(
        &mut self,
        workflow_id: &str,
        run_id: i64,
        status: RunStatus,
    ) -> Result<()> {
        self.followups.ended_runs.push((run_id, status));
        self.answer_parent(run_id, status)?;
        self.apply_retention(workflow_id, run_id)?;
        let active = runs::active_runs(self.tx.conn(), workflow_id)?;
        let row = workflows::workflow_row(self.tx.conn(), workflow_id)?;
        if row.state == WorkflowState::Stopping || row.state == WorkflowState::Paused {
            return Ok(());
        }
        if let Some((next, _)) = active.iter().find(|(_, s)| *s == RunStatus::Pending) {
            if !active
                .iter()
                .any(|(_, s)| matches!(s, RunStatus::Running | RunStatus::WaitingForApproval))
            {
                return self.begin_run(*next);
            }
        }
        if active.is_empty() && row.state == WorkflowState::Started {
            let body = self.body(workflow_id, row.revision)?;
            if !has_armed_triggers(&body) {
                self.tx
                    .set_workflow_state(workflow_id, WorkflowState::Finished, self.now)?;
            }
        }
        Ok(())
    }

    /// Calls a sub-workflow for a task that has just started its attempt: creates the called run
    /// (linked to the task) and waits for it, or continues at once when the call does not wait.
    pub fn call_sub_workflow(
        &mut self,
        task_id: i64,
        config: &crate::model::SubWorkflowConfig,
        params: Value,
    ) -> Result<()> {
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let target: Option<String> = self
            .tx
            .conn()
            .query_row(
                "SELECT id FROM workflows WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                [&config.workflow],
                |r| r.get(0),
            )
            .optional()?;
        let Some(target) = target else {
            return self.fail(
                task_id,
                &format!("no workflow {:?} to call", config.workflow),
                None,
                "",
                "",
                Failure::Config,
            );
        };
        let mut depth = 0;
        let mut parent = run.parent_task;
        while let Some(t) = parent {
            depth += 1;
            if depth > 8 {
                return self.fail(
                    task_id,
                    "sub-workflows are nested more than 8 deep (a workflow calling itself?)",
                    None,
                    "",
                    "",
                    Failure::Config,
                );
            }
            let parent_run = tasks::task(self.tx.conn(), t)?.run_id;
            parent = runs::run_row(self.tx.conn(), parent_run)?.parent_task;
        }
        let child_body = workflows::latest_body(self.tx.conn(), &target)?.1;
        let params = match crate::params::resolve(&child_body.parameters, &params) {
            Ok(p) => p,
            Err(problems) => {
                return self.fail(
                    task_id,
                    &format!("parameters of {}: {}", child_body.name, problems.join("; ")),
                    None,
                    "",
                    "",
                    Failure::Config,
                )
            }
        };
        let child = self.create_run(RunRequest {
            workflow_id: &target,
            revision: None,
            trigger: Trigger::SubWorkflow,
            trigger_activity: None,
            params,
            simulate: run.simulate,
            restart: None,
            parent_task: Some(task_id),
        })?;
        let Some(child) = child else {
            return self.fail(
                task_id,
                &format!(
                    "{} is running and its concurrency policy is skip",
                    child_body.name
                ),
                None,
                "",
                "",
                Failure::Failed,
            );
        };
        self.tx.append_log(
            task_id,
            &run.workflow_id,
            run.id,
            task.attempt,
            "info",
            &format!("called {} as run {child}", child_body.name),
            self.now,
        )?;
        if !config.wait {
            let outcome = crate::activities::Outcome::ok(json!({"run": child, "workflow": target}));
            return self.succeed(task_id, &outcome);
        }
        self.mark(
            &task,
            &run,
            TaskStatus::Waiting,
            Some(WaitReason::SubWorkflow),
            None,
            &TaskEnd::default(),
        )?;
        // The called run may already have ended (an empty workflow).
        let status = runs::run_row(self.tx.conn(), child)?.status;
        if status.is_final() {
            self.answer_parent(child, status)?;
        }
        Ok(())
    }

    /// Keeps the workflow's history within its retention policy (never the run that just ended).
    fn apply_retention(&mut self, workflow_id: &str, run_id: i64) -> Result<()> {
        let revision = runs::run_row(self.tx.conn(), run_id)?.revision;
        let Some(policy) = self.body(workflow_id, revision)?.history else {
            return Ok(());
        };
        let older_than = policy
            .keep_days
            .map(|d| self.now - i64::from(d) * 86_400_000);
        let deleted = runs::prune_history(
            self.tx.conn(),
            workflow_id,
            policy.keep_runs.map(|k| k.max(1)),
            older_than,
        )?;
        if deleted > 0 {
            tracing::debug!(workflow = workflow_id, deleted, "history retention");
        }
        Ok(())
    }

    /// When a called run ends, its caller's task succeeds with its variables, or fails.
    fn answer_parent(&mut self, run_id: i64, status: RunStatus) -> Result<()> {
        let child = runs::run_row(self.tx.conn(), run_id)?;
        let Some(parent_task) = child.parent_task else {
            return Ok(());
        };
        let task = tasks::task(self.tx.conn(), parent_task)?;
        if task.status != TaskStatus::Waiting || task.wait_reason != Some(WaitReason::SubWorkflow) {
            return Ok(());
        }
        let parent_run = runs::run_row(self.tx.conn(), task.run_id)?;
        self.tx.set_task_status(
            parent_task,
            &parent_run.workflow_id,
            parent_run.id,
            &task.activity_id,
            TaskStatus::Running,
            None,
            None,
            &TaskEnd::default(),
            self.now,
        )?;
        if status == RunStatus::Completed {
            let outcome = crate::activities::Outcome::ok(
                json!({"run": run_id, "status": status, "vars": child.vars, "params": child.params}),
            );
            self.succeed(parent_task, &outcome)
        } else {
            self.fail(
                parent_task,
                &format!("the called run {run_id} ended {status}"),
                Some(&json!({"run": run_id, "status": status})),
                "",
                "",
                Failure::Failed,
            )
        }
    }

    /// A Wait's time came, or Execute now was asked for it.
    pub fn finish_wait(&mut self, task_id: i64) -> Result<()> {
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        self.mark(
            &task,
            &run,
            TaskStatus::Running,
            None,
            None,
            &TaskEnd::default(),
        )?;
        let outcome = crate::activities::Outcome::ok(json!({"waitedUntil": self.now}));
        self.succeed(task_id, &outcome)
    }

    /// Releases a task held by Enable but do not execute.
    pub fn release_hold(&mut self, task_id: i64) -> Result<()> {
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let body = self.body(&run.workflow_id, run.revision)?;
        let Some(activity) = body.activity(&task.activity_id) else {
            return Ok(());
        };
        self.tx.set_task_wake(task_id, TaskStatus::Ready, None)?;
        self.enter(&run, activity, task_id)
    }

    /// Answers an approval. Returns false when it was already answered (the first answer wins).
    pub fn decide(
        &mut self,
        task_id: i64,
        approve: bool,
        comment: Option<&str>,
        by: Option<&str>,
    ) -> Result<bool> {
        let decision = if approve { "approve" } else { "reject" };
        if !self
            .tx
            .decide_approval(task_id, decision, comment, by, self.now)?
        {
            return Ok(false);
        }
        let task = tasks::task(self.tx.conn(), task_id)?;
        let run = runs::run_row(self.tx.conn(), task.run_id)?;
        let port = if approve { "approved" } else { "rejected" };
        let body = self.body(&run.workflow_id, run.revision)?;
        let line = format!(
            "{} by {}{}",
            if approve { "approved" } else { "rejected" },
            by.unwrap_or("an operator"),
            comment.map(|c| format!(": {c}")).unwrap_or_default()
        );
        self.tx.append_log(
            task_id,
            &run.workflow_id,
            run.id,
            task.attempt,
            "info",
            &line,
            self.now,
        )?;
        let outcome = crate::activities::Outcome {
            port: port.into(),
            result: json!({"decision": decision, "comment": comment, "by": by}),
            ..Default::default()
        };
        let rejected_unhandled = !approve
            && !body
                .transitions
                .iter()
                .any(|t| t.from == task.activity_id && t.port == "rejected");
        self.mark(
            &task,
            &run,
            TaskStatus::Running,
            None,
            None,
            &TaskEnd::default(),
        )?;
        if rejected_unhandled {
            let end = TaskEnd {
                port: Some(port),
                result: Some(&outcome.result),
                ..TaskEnd::default()
            };
            self.mark(&task, &run, TaskStatus::Succeeded, None, None, &end)?;
            self.cancel_active_tasks(&run)?;
            self.tx.set_run_status(
                run.id,
                &run.workflow_id,
                RunStatus::Rejected,
                comment.or(Some("rejected")),
                self.now,
            )?;
            self.after_run_end(&run.workflow_id, run.id, RunStatus::Rejected)?;
            return Ok(true);
        }
        self.succeed(task_id, &outcome)?;
        Ok(true)
    }
}

fn trigger_applies(run: &RunRow, activity: &Activity) -> bool {
    // A firing activates its own trigger's branch; Run now (no trigger activity) activates every
    // trigger, as if each had fired.
    match &run.trigger_activity {
        Some(fired) => fired == &activity.id,
        None => true,
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

/// Activities from which `target` can be reached (its strict ancestors).
pub fn upstream_of<'a>(body: &'a WorkflowFile, target: &str) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    let mut stack = vec![target];
    while let Some(id) = stack.pop() {
        for t in body.transitions.iter().filter(|t| t.to == id) {
            if seen.insert(t.from.as_str()) {
                stack.push(t.from.as_str());
            }
        }
    }
    seen.remove(target);
    seen
}

fn fmt_ms(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339())
        .unwrap_or_else(|| ms.to_string())
}
