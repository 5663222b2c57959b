//! Applying a queued command inside the transaction that marks it applied: the command's effect
//! and its outcome commit together or not at all, so a crash can never apply one twice. Every
//! refusal carries a stable code ([`Refusal`]) and says why.

use super::{has_armed_triggers, Progress, RunRequest};
use crate::command::{Command, CommandOutcome, Refusal, Situation};
use crate::model::{ActivityConfig, Role, WorkflowFile};
use crate::store::runs;
use crate::store::workflows::WorkflowRow;
use crate::store::{self, Result, Trigger, WaitReason, WorkflowState};
use crate::store::{EventBody, TaskStatus};
use serde_json::{json, Value};

/// A found row, or the refusal to answer instead.
type Found<T> = std::result::Result<T, CommandOutcome>;

/// Unwraps what was found, or answers the command with the refusal.
macro_rules! or_refuse {
    ($found:expr) => {
        match $found? {
            Ok(value) => value,
            Err(refusal) => return Ok(refusal),
        }
    };
}

fn refuse(code: Refusal, reason: impl Into<String>) -> CommandOutcome {
    CommandOutcome::refused(code, reason)
}

/// The answer to a command that asked for a run: which run, or why none was made.
fn run_made(run: Option<i64>) -> CommandOutcome {
    match run {
        Some(id) => CommandOutcome::made_run(id),
        None => refuse(
            Refusal::Concurrency,
            "a run is in progress and the workflow's concurrency policy is skip",
        ),
    }
}

impl Progress<'_, '_> {
    /// Applies a command and records its outcome, both in this transaction.
    pub fn apply_command(
        &mut self,
        id: i64,
        workflow_id: Option<&str>,
        command: &Command,
    ) -> Result<CommandOutcome> {
        let outcome = self.apply(workflow_id, command)?;
        self.drain()?;
        self.finish_stopped_workflows()?;
        crate::fault::point("apply:before-mark");
        self.tx.mark_command(id, workflow_id, &outcome, self.now)?;
        Ok(outcome)
    }

    /// Answers a command without applying it.
    pub fn answer_command(
        &mut self,
        id: i64,
        workflow_id: Option<&str>,
        outcome: &CommandOutcome,
    ) -> Result<()> {
        self.tx.mark_command(id, workflow_id, outcome, self.now)
    }

    fn workflow(&mut self, id: Option<&str>, command: &Command) -> Result<Found<WorkflowRow>> {
        let Some(id) = id else {
            return Ok(Err(refuse(
                Refusal::NotFound,
                format!("{} needs a workflow", command.name()),
            )));
        };
        match self.tx.workflow_row(id) {
            Ok(row) => Ok(Ok(row)),
            Err(store::Error::NotFound { .. }) => Ok(Err(refuse(
                Refusal::NotFound,
                format!("workflow {id} does not exist"),
            ))),
            Err(e) => Err(e),
        }
    }

    fn run_of(&mut self, run_id: i64) -> Result<Found<runs::RunRow>> {
        match self.tx.run_row(run_id) {
            Ok(run) => Ok(Ok(run)),
            Err(store::Error::NotFound { .. }) => Ok(Err(refuse(
                Refusal::NotFound,
                format!("run {run_id} does not exist"),
            ))),
            Err(e) => Err(e),
        }
    }

    fn task_of(&mut self, task_id: i64) -> Result<Found<store::TaskRecord>> {
        match self.tx.task(task_id) {
            Ok(task) => Ok(Ok(task)),
            Err(store::Error::NotFound { .. }) => Ok(Err(refuse(
                Refusal::NotFound,
                format!("task {task_id} does not exist"),
            ))),
            Err(e) => Err(e),
        }
    }

    /// The parameters of a run of `body`, checked against its schema.
    fn parameters(body: &WorkflowFile, given: &Value) -> Found<Value> {
        crate::params::resolve(&body.parameters, given).map_err(|problems| {
            refuse(
                Refusal::BadParameters,
                format!("bad parameters: {}", problems.join("; ")),
            )
        })
    }

    fn apply(&mut self, workflow_id: Option<&str>, command: &Command) -> Result<CommandOutcome> {
        if let Some(kind) = command.life_cycle() {
            // The same rule the toolbar is drawn from (crate::command::check).
            let wf = or_refuse!(self.workflow(workflow_id, command));
            let plan = self.plan(&wf.id, wf.revision)?;
            let situation = Situation {
                state: wf.state,
                active_runs: self.tx.active_runs(&wf.id)?.len(),
                valid: plan.errors().is_empty(),
            };
            if let Err((code, reason)) = crate::command::check(kind, &situation) {
                let reason = match (code, plan.errors().first()) {
                    (Refusal::Invalid, Some(first)) => {
                        format!("the workflow does not validate: {first}")
                    }
                    _ => reason,
                };
                return Ok(refuse(code, reason));
            }
        }
        match command {
            Command::Start | Command::StartSimulation => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let simulate = matches!(command, Command::StartSimulation);
                if wf.state == WorkflowState::Paused {
                    self.tx
                        .set_workflow_state(&wf.id, WorkflowState::Started, self.now)?;
                    self.followups.ready = true;
                    return Ok(CommandOutcome::applied_with("resumed"));
                }
                Ok(match self.start_workflow(&wf.id, simulate)? {
                    Some(run) => CommandOutcome::made_run(run),
                    None => CommandOutcome::applied(),
                })
            }
            Command::Pause => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                self.tx
                    .set_workflow_state(&wf.id, WorkflowState::Paused, self.now)?;
                Ok(CommandOutcome::applied())
            }
            Command::Stop | Command::Restart => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let restart = matches!(command, Command::Restart);
                let active = self.tx.active_runs(&wf.id)?;
                self.tx
                    .set_workflow_state(&wf.id, WorkflowState::Stopping, self.now)?;
                self.tx.set_workflow_flags(&wf.id, None, Some(restart))?;
                for (run_id, _) in &active {
                    self.cancel(*run_id, if restart { "restarted" } else { "stopped" })?;
                }
                Ok(CommandOutcome::applied())
            }
            Command::UnconditionalStop => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                for (run_id, _) in self.tx.active_runs(&wf.id)? {
                    self.cancel(run_id, "unconditional stop")?;
                }
                self.tx
                    .set_workflow_state(&wf.id, WorkflowState::Finished, self.now)?;
                self.tx.set_workflow_flags(&wf.id, None, Some(false))?;
                Ok(CommandOutcome::applied())
            }
            Command::PurgeHistory => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let purged = self.tx.purge_finished_runs(&wf.id)?;
                self.tx.emit(
                    self.now,
                    Some(&wf.id),
                    None,
                    None,
                    EventBody::Purged {
                        runs: purged as u64,
                    },
                )?;
                self.followups.reclaim = true;
                Ok(CommandOutcome::applied_with(format!(
                    "{purged} run(s) purged"
                )))
            }
            Command::ExecutePending => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let mut count = 0;
                for (run_id, _) in self.tx.active_runs(&wf.id)? {
                    for (task_id, _, status, reason) in self.tx.active_tasks_of_run(run_id)? {
                        if self.execute_task_now(task_id, status, reason)? {
                            count += 1;
                        }
                    }
                }
                Ok(CommandOutcome::applied_with(format!(
                    "{count} pending task(s) executed now"
                )))
            }
            Command::ExecuteTask { task_id } => {
                let task = or_refuse!(self.task_of(*task_id));
                if self.execute_task_now(task.id, task.status, task.wait_reason)? {
                    Ok(CommandOutcome::applied())
                } else {
                    Ok(refuse(
                        Refusal::WrongState,
                        format!("task {task_id} is not pending (it is {})", task.status),
                    ))
                }
            }
            Command::RunNow { params, simulate } => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let plan = self.plan(&wf.id, wf.revision)?;
                let params = match Self::parameters(&plan, params) {
                    Ok(p) => p,
                    Err(refusal) => return Ok(refusal),
                };
                // A Run now while started in simulation mode simulates too.
                let simulate = *simulate || wf.simulate && wf.state == WorkflowState::Started;
                let run = self.new_run(RunRequest {
                    workflow_id: &wf.id,
                    revision: Some(wf.revision),
                    trigger: Trigger::Manual,
                    trigger_activity: None,
                    params,
                    simulate,
                    restart: None,
                    parent_task: None,
                })?;
                Ok(run_made(run))
            }
            Command::RestartFromTask {
                run_id,
                activity_id,
            } => {
                let old = or_refuse!(self.run_of(*run_id));
                let plan = self.plan(&old.workflow_id, old.revision)?;
                if plan.activity(activity_id).is_none() {
                    return Ok(refuse(
                        Refusal::NotFound,
                        format!(
                            "activity {activity_id} is not in revision {} of the workflow",
                            old.revision
                        ),
                    ));
                }
                let run = self.new_run(RunRequest {
                    workflow_id: &old.workflow_id,
                    revision: Some(old.revision),
                    trigger: Trigger::RestartFromTask,
                    trigger_activity: old.trigger_activity.as_deref(),
                    params: old.params.clone(),
                    simulate: old.simulate,
                    restart: Some((old.id, Some(activity_id))),
                    parent_task: None,
                })?;
                Ok(run_made(run))
            }
            Command::RerunAfterEdit { run_id } => {
                let old = or_refuse!(self.run_of(*run_id));
                let latest = self.tx.workflow_row(&old.workflow_id)?.revision;
                let plan = self.plan(&old.workflow_id, latest)?;
                if !plan.errors().is_empty() {
                    return Ok(refuse(
                        Refusal::Invalid,
                        format!(
                            "revision {latest} of the workflow has errors: {}",
                            plan.errors()[0].message
                        ),
                    ));
                }
                if let Some(trigger) = old.trigger_activity.as_deref() {
                    if plan.activity(trigger).is_none() {
                        return Ok(refuse(
                            Refusal::NotFound,
                            format!("the run's trigger {trigger} is no longer in the workflow"),
                        ));
                    }
                }
                let params = match crate::params::resolve(&plan.parameters, &old.params) {
                    Ok(p) => p,
                    Err(e) => {
                        return Ok(refuse(
                            Refusal::BadParameters,
                            format!(
                                "the run's parameters no longer fit the workflow: {}",
                                e.join("; ")
                            ),
                        ))
                    }
                };
                let run = self.new_run(RunRequest {
                    workflow_id: &old.workflow_id,
                    revision: Some(latest),
                    trigger: Trigger::RerunAfterEdit,
                    trigger_activity: old.trigger_activity.as_deref(),
                    params,
                    simulate: old.simulate,
                    restart: Some((old.id, None)),
                    parent_task: None,
                })?;
                Ok(run_made(run))
            }
            Command::SetVariables { run_id, vars } => self.set_debug_variables(*run_id, vars),
            Command::Approve {
                task_id,
                comment,
                by,
            }
            | Command::Reject {
                task_id,
                comment,
                by,
            } => {
                let approve = matches!(command, Command::Approve { .. });
                let Some(approval) = self.tx.approval(*task_id)? else {
                    return Ok(refuse(
                        Refusal::NotFound,
                        format!("task {task_id} is not an approval"),
                    ));
                };
                if let Some(decision) = approval.decision {
                    return Ok(refuse(
                        Refusal::AlreadyAnswered,
                        format!(
                            "already answered: {decision} by {}",
                            approval.decided_by.unwrap_or_default()
                        ),
                    ));
                }
                let task = or_refuse!(self.task_of(*task_id));
                if task.status != TaskStatus::Waiting {
                    return Ok(refuse(
                        Refusal::WrongState,
                        format!(
                            "the approval is no longer waiting (task is {})",
                            task.status
                        ),
                    ));
                }
                if self.decide(*task_id, approve, comment.as_deref(), by.as_deref())? {
                    Ok(CommandOutcome::applied())
                } else {
                    Ok(refuse(Refusal::AlreadyAnswered, "already answered"))
                }
            }
            Command::Fire {
                activity_id,
                trigger,
                params,
            } => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                if wf.state != WorkflowState::Started {
                    return Ok(refuse(
                        Refusal::WrongState,
                        format!(
                            "the workflow is {}, not started: its triggers are not armed",
                            wf.state
                        ),
                    ));
                }
                let plan = self.plan(&wf.id, wf.revision)?;
                match plan.activity(activity_id) {
                    Some(a) if a.role() == Role::Trigger => {}
                    _ => {
                        return Ok(refuse(
                            Refusal::NotFound,
                            format!("{activity_id} is not a trigger of this workflow"),
                        ))
                    }
                }
                let params = match Self::parameters(&plan, params) {
                    Ok(p) => p,
                    Err(refusal) => return Ok(refusal),
                };
                let run = self.new_run(RunRequest {
                    workflow_id: &wf.id,
                    revision: Some(wf.revision),
                    trigger: *trigger,
                    trigger_activity: Some(activity_id),
                    params,
                    simulate: wf.simulate,
                    restart: None,
                    parent_task: None,
                })?;
                Ok(run_made(run))
            }
            Command::DebugRun { params, simulate } => {
                let wf = or_refuse!(self.workflow(workflow_id, command));
                let plan = self.plan(&wf.id, wf.revision)?;
                if let Some(first) = plan.errors().first() {
                    return Ok(refuse(
                        Refusal::Invalid,
                        format!("the workflow does not validate: {first}"),
                    ));
                }
                let params = match Self::parameters(&plan, params) {
                    Ok(p) => p,
                    Err(refusal) => return Ok(refusal),
                };
                let run = self.new_run(RunRequest {
                    workflow_id: &wf.id,
                    revision: Some(wf.revision),
                    trigger: Trigger::Manual,
                    trigger_activity: None,
                    params,
                    simulate: *simulate,
                    restart: None,
                    parent_task: None,
                })?;
                // Before the steps new_run queued are drained: its first activity already
                // meets the breakpoints.
                if let Some(run) = run {
                    self.make_debug_run(run)?;
                }
                Ok(run_made(run))
            }
            Command::Debug {
                run_id,
                task_id,
                action,
            } => self.apply_debug(*run_id, *task_id, *action),
            Command::CancelRun { run_id } => {
                let run = or_refuse!(self.run_of(*run_id));
                if run.status.is_final() {
                    return Ok(refuse(
                        Refusal::WrongState,
                        format!("run {run_id} has already ended ({})", run.status),
                    ));
                }
                self.cancel(*run_id, "cancelled by an operator")?;
                Ok(CommandOutcome::applied())
            }
        }
    }

    /// Runs a pending task now: ends a Wait, releases a hold, or skips a retry delay.
    fn execute_task_now(
        &mut self,
        task_id: i64,
        status: TaskStatus,
        reason: Option<WaitReason>,
    ) -> Result<bool> {
        match (status, reason) {
            (TaskStatus::Waiting, Some(WaitReason::Wait)) => self.finish_wait(task_id)?,
            (TaskStatus::Waiting, Some(WaitReason::Hold)) => self.release_hold(task_id)?,
            (TaskStatus::Ready, _) => {
                self.tx
                    .set_task_wake(task_id, TaskStatus::Ready, Some(self.now))?;
                self.followups.ready = true;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Being edited / Finished → Started: arms schedules and webhooks, and makes a manual run
    /// when nothing else would ever fire. Returns the manual run it made, if any.
    pub fn start_workflow(&mut self, id: &str, simulate: bool) -> Result<Option<i64>> {
        let wf = self.tx.workflow_row(id)?;
        let plan = self.plan(id, wf.revision)?;
        self.tx
            .set_workflow_state(id, WorkflowState::Started, self.now)?;
        self.tx
            .set_workflow_flags(id, Some(simulate), Some(false))?;
        self.followups.schedules_changed = true;
        for activity in &plan.activities {
            if matches!(activity.config, ActivityConfig::WebhookTrigger(_)) {
                let token = format!(
                    "{}{}",
                    uuid::Uuid::new_v4().simple(),
                    uuid::Uuid::new_v4().simple()
                );
                self.tx.ensure_trigger_secret(id, &activity.id, &token)?;
            }
        }
        if has_armed_triggers(&plan) {
            return Ok(None);
        }
        let params =
            crate::params::resolve(&plan.parameters, &Value::Null).unwrap_or_else(|_| json!({}));
        self.new_run(RunRequest {
            workflow_id: id,
            revision: Some(wf.revision),
            trigger: Trigger::Manual,
            trigger_activity: None,
            params,
            simulate,
            restart: None,
            parent_task: None,
        })
    }

    /// Workflows in Stopping whose runs have no task running any more become Finished (and
    /// start again when a Restart asked for it).
    pub fn finish_stopped_workflows(&mut self) -> Result<()> {
        for wf in self.tx.workflows_in_states(&[WorkflowState::Stopping])? {
            if self.tx.workflow_has_running_task(&wf.id)? {
                continue;
            }
            self.tx
                .set_workflow_state(&wf.id, WorkflowState::Finished, self.now)?;
            self.tx.set_workflow_flags(&wf.id, None, Some(false))?;
            if wf.restart_requested {
                let plan = self.plan(&wf.id, wf.revision)?;
                if plan.errors().is_empty() {
                    self.start_workflow(&wf.id, wf.simulate)?;
                }
            }
        }
        self.drain()
    }
}
