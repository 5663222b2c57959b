//! Applying queued commands and firing schedules, each in the transaction that records it.

use super::executor::Executor;
use super::progress::{has_armed_triggers, RunRequest};
use crate::command::Command;
use crate::model::{ActivityConfig, ExecutionMode};
use crate::schedule;
use crate::store::{
    self, commands, runs, tasks, Millis, RunStatus, TaskStatus, Trigger, WaitReason, WorkflowState,
};
use rusqlite::{params, OptionalExtension};

/// The answer to a command: applied, or refused with why.
type Answer = Result<String, String>;

/// The answer to a command that asked for a run: which run, or why none was made.
fn run_answer(run: Option<i64>) -> Answer {
    match run {
        Some(id) => Ok(format!("applied: run {id}")),
        None => Err("a run is in progress and the workflow's concurrency policy is skip".into()),
    }
}

impl Executor {
    pub(super) fn apply_commands(&mut self) -> store::Result<()> {
        loop {
            let pending = self
                .engine
                .inner
                .store
                .read(|c| commands::pending_commands(c, 32))?;
            if pending.is_empty() {
                return Ok(());
            }
            for record in pending {
                let wf = record.workflow_id.clone();
                let id = record.id;
                let answer = self.apply(wf.as_deref(), &record.command);
                let outcome = match answer {
                    Ok(text) => text,
                    Err(why) => format!("refused: {why}"),
                };
                let now = self.engine.now_ms();
                let (_, events) = self
                    .engine
                    .inner
                    .store
                    .write(|tx| tx.mark_command(id, wf.as_deref(), &outcome, now))?;
                self.engine.publish(events);
                self.finish_stopping_workflows();
            }
        }
    }

    fn apply(&mut self, workflow_id: Option<&str>, command: &Command) -> Answer {
        let result = self.apply_inner(workflow_id, command);
        match result {
            Ok(answer) => answer,
            Err(e) => Err(e.to_string()),
        }
    }

    fn apply_inner(
        &mut self,
        workflow_id: Option<&str>,
        command: &Command,
    ) -> store::Result<Answer> {
        let needs_workflow = !matches!(
            command,
            Command::Approve { .. }
                | Command::Reject { .. }
                | Command::ExecuteTask { .. }
                | Command::CancelRun { .. }
                | Command::RestartFromTask { .. }
        );
        let wf = match workflow_id {
            Some(id) => match self
                .engine
                .inner
                .store
                .read(|c| store::workflows::workflow_row(c, id))
            {
                Ok(row) => Some(row),
                Err(store::Error::NotFound { .. }) => {
                    return Ok(Err(format!("workflow {id} does not exist")))
                }
                Err(e) => return Err(e),
            },
            None if needs_workflow => {
                return Ok(Err(format!("{} needs a workflow", command.name())))
            }
            None => None,
        };
        let applied = || Ok(Ok("applied".to_string()));
        match command {
            Command::Start | Command::StartSimulation => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let simulate = matches!(command, Command::StartSimulation);
                match wf.state {
                    WorkflowState::Started => Ok(Err("the workflow is already started".into())),
                    WorkflowState::Stopping => {
                        Ok(Err("the workflow is stopping; use Restart or wait".into()))
                    }
                    WorkflowState::Paused => {
                        self.progress(|p| {
                            p.tx.set_workflow_state(&wf.id, WorkflowState::Started, p.now)
                        })?;
                        Ok(Ok("applied: resumed".into()))
                    }
                    WorkflowState::BeingEdited | WorkflowState::Finished => {
                        // Say which run a Start made, like Run now does.
                        Ok(Ok(match self.start_workflow(&wf.id, simulate)? {
                            Some(run) => format!("applied: run {run}"),
                            None => "applied".into(),
                        }))
                    }
                }
            }
            Command::Pause => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                if wf.state != WorkflowState::Started {
                    return Ok(Err(format!(
                        "only a started workflow can be paused (it is {})",
                        wf.state
                    )));
                }
                self.progress(|p| {
                    p.tx.set_workflow_state(&wf.id, WorkflowState::Paused, p.now)
                })?;
                applied()
            }
            Command::Stop | Command::Restart => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let restart = matches!(command, Command::Restart);
                if wf.state == WorkflowState::Stopping {
                    return Ok(Err("a stop is already under way".into()));
                }
                let active = self
                    .engine
                    .inner
                    .store
                    .read(|c| runs::active_runs(c, &wf.id))?;
                if !restart
                    && active.is_empty()
                    && matches!(
                        wf.state,
                        WorkflowState::Finished | WorkflowState::BeingEdited
                    )
                {
                    return Ok(Err(format!(
                        "nothing to stop: the workflow is {}",
                        wf.state
                    )));
                }
                let id = wf.id.clone();
                self.progress(|p| {
                    p.tx.set_workflow_state(&id, WorkflowState::Stopping, p.now)?;
                    p.tx.set_workflow_flags(&id, None, Some(restart))?;
                    for (run_id, _) in &active {
                        p.cancel_run(*run_id, if restart { "restarted" } else { "stopped" })?;
                    }
                    Ok(())
                })?;
                applied()
            }
            Command::UnconditionalStop => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let id = wf.id.clone();
                self.progress(|p| {
                    for (run_id, _) in runs::active_runs(p.tx.conn(), &id)? {
                        p.cancel_run(run_id, "unconditional stop")?;
                    }
                    p.tx.set_workflow_state(&id, WorkflowState::Finished, p.now)?;
                    p.tx.set_workflow_flags(&id, None, Some(false))
                })?;
                applied()
            }
            Command::PurgeHistory => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let id = wf.id.clone();
                let purged = self.progress(|p| {
                    let n = runs::purge_finished_runs(p.tx.conn(), &id)?;
                    p.tx.emit(
                        p.now,
                        store::EventKind::Purged,
                        Some(&id),
                        None,
                        None,
                        serde_json::json!({"runs": n}),
                    )?;
                    p.followups.reclaim = true;
                    Ok(n)
                })?;
                Ok(Ok(format!("applied: {purged} run(s) purged")))
            }
            Command::ExecutePending => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let mut count = 0;
                for (run_id, _) in self
                    .engine
                    .inner
                    .store
                    .read(|c| runs::active_runs(c, &wf.id))?
                {
                    for (task_id, _, status, reason) in self
                        .engine
                        .inner
                        .store
                        .read(|c| tasks::active_tasks_of_run(c, run_id))?
                    {
                        if self.execute_task_now(task_id, status, reason)? {
                            count += 1;
                        }
                    }
                }
                Ok(Ok(format!("applied: {count} pending task(s) executed now")))
            }
            Command::ExecuteTask { task_id } => {
                let task = match self.engine.inner.store.read(|c| tasks::task(c, *task_id)) {
                    Ok(t) => t,
                    Err(store::Error::NotFound { .. }) => {
                        return Ok(Err(format!("task {task_id} does not exist")))
                    }
                    Err(e) => return Err(e),
                };
                if self.execute_task_now(task.id, task.status, task.wait_reason)? {
                    applied()
                } else {
                    Ok(Err(format!(
                        "task {task_id} is not pending (it is {})",
                        task.status
                    )))
                }
            }
            Command::RunNow { params, simulate } => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                let body = self.plans.get_read(&self.engine, &wf.id, wf.revision)?;
                let params = match crate::params::resolve(&body.parameters, params) {
                    Ok(p) => p,
                    Err(problems) => {
                        return Ok(Err(format!("bad parameters: {}", problems.join("; "))))
                    }
                };
                if crate::validate::has_errors(&crate::validate::validate(&body)) {
                    return Ok(Err("the workflow does not validate".into()));
                }
                let simulate = *simulate || wf.simulate && wf.state == WorkflowState::Started;
                let id = wf.id.clone();
                let run = self.progress(|p| {
                    p.create_run(RunRequest {
                        workflow_id: &id,
                        revision: Some(wf.revision),
                        trigger: Trigger::Manual,
                        trigger_activity: None,
                        params,
                        simulate,
                        restart: None,
                        parent_task: None,
                    })
                })?;
                Ok(run_answer(run))
            }
            Command::RestartFromTask {
                run_id,
                activity_id,
            } => {
                let old = match self.engine.inner.store.read(|c| runs::run_row(c, *run_id)) {
                    Ok(r) => r,
                    Err(store::Error::NotFound { .. }) => {
                        return Ok(Err(format!("run {run_id} does not exist")))
                    }
                    Err(e) => return Err(e),
                };
                let body = self
                    .plans
                    .get_read(&self.engine, &old.workflow_id, old.revision)?;
                if body.activity(activity_id).is_none() {
                    return Ok(Err(format!(
                        "activity {activity_id} is not in revision {} of the workflow",
                        old.revision
                    )));
                }
                let run = self.progress(|p| {
                    p.create_run(RunRequest {
                        workflow_id: &old.workflow_id,
                        revision: Some(old.revision),
                        trigger: Trigger::RestartFromTask,
                        trigger_activity: old.trigger_activity.as_deref(),
                        params: old.params.clone(),
                        simulate: old.simulate,
                        restart: Some((old.id, activity_id)),
                        parent_task: None,
                    })
                })?;
                Ok(run_answer(run))
            }
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
                let Some(approval) = self
                    .engine
                    .inner
                    .store
                    .read(|c| tasks::approval(c, *task_id))?
                else {
                    return Ok(Err(format!("task {task_id} is not an approval")));
                };
                if let Some(decision) = approval.decision {
                    return Ok(Err(format!(
                        "already answered: {decision} by {}",
                        approval.decided_by.unwrap_or_default()
                    )));
                }
                let task = self.engine.inner.store.read(|c| tasks::task(c, *task_id))?;
                if task.status != TaskStatus::Waiting {
                    return Ok(Err(format!(
                        "the approval is no longer waiting (task is {})",
                        task.status
                    )));
                }
                let decided = self
                    .progress(|p| p.decide(*task_id, approve, comment.as_deref(), by.as_deref()))?;
                if decided {
                    applied()
                } else {
                    Ok(Err("already answered".into()))
                }
            }
            Command::Fire {
                activity_id,
                trigger,
                params,
            } => {
                let wf = wf.ok_or(store::Error::NotFound {
                    what: "workflow",
                    id: String::new(),
                })?;
                if wf.state != WorkflowState::Started {
                    return Ok(Err(format!(
                        "the workflow is {}, not started: its triggers are not armed",
                        wf.state
                    )));
                }
                let body = self.plans.get_read(&self.engine, &wf.id, wf.revision)?;
                match body.activity(activity_id) {
                    Some(a) if a.role() == crate::model::Role::Trigger => {}
                    _ => {
                        return Ok(Err(format!(
                            "{activity_id} is not a trigger of this workflow"
                        )))
                    }
                }
                let params = match crate::params::resolve(&body.parameters, params) {
                    Ok(p) => p,
                    Err(problems) => {
                        return Ok(Err(format!("bad parameters: {}", problems.join("; "))))
                    }
                };
                let id = wf.id.clone();
                let run = self.progress(|p| {
                    p.create_run(RunRequest {
                        workflow_id: &id,
                        revision: Some(wf.revision),
                        trigger: *trigger,
                        trigger_activity: Some(activity_id),
                        params,
                        simulate: wf.simulate,
                        restart: None,
                        parent_task: None,
                    })
                })?;
                Ok(run_answer(run))
            }
            Command::CancelRun { run_id } => {
                let run = match self.engine.inner.store.read(|c| runs::run_row(c, *run_id)) {
                    Ok(r) => r,
                    Err(store::Error::NotFound { .. }) => {
                        return Ok(Err(format!("run {run_id} does not exist")))
                    }
                    Err(e) => return Err(e),
                };
                if run.status.is_final() {
                    return Ok(Err(format!(
                        "run {run_id} has already ended ({})",
                        run.status
                    )));
                }
                self.progress(|p| p.cancel_run(*run_id, "cancelled by an operator"))?;
                applied()
            }
        }
    }

    /// Runs a pending task now: ends a Wait, releases a hold, or skips a retry delay.
    fn execute_task_now(
        &mut self,
        task_id: i64,
        status: TaskStatus,
        reason: Option<WaitReason>,
    ) -> store::Result<bool> {
        match (status, reason) {
            (TaskStatus::Waiting, Some(WaitReason::Wait)) => {
                self.progress(|p| p.finish_wait(task_id))?
            }
            (TaskStatus::Waiting, Some(WaitReason::Hold)) => {
                self.progress(|p| p.release_hold(task_id))?
            }
            (TaskStatus::Ready, _) => {
                let now = self.engine.now_ms();
                self.engine
                    .inner
                    .store
                    .write(|tx| tx.set_task_wake(task_id, TaskStatus::Ready, Some(now)))?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Being edited / Finished → Started: arms schedules, and makes a manual run when nothing
    /// else would ever fire.
    /// Returns the manual run it made, if any.
    pub(super) fn start_workflow(
        &mut self,
        id: &str,
        simulate: bool,
    ) -> store::Result<Option<i64>> {
        let wf = self
            .engine
            .inner
            .store
            .read(|c| store::workflows::workflow_row(c, id))?;
        let body = self.plans.get_read(&self.engine, id, wf.revision)?;
        let armed = has_armed_triggers(&body);
        let params = crate::params::resolve(&body.parameters, &serde_json::Value::Null)
            .unwrap_or_else(|_| serde_json::json!({}));
        let run = self.progress(|p| {
            p.tx.set_workflow_state(id, WorkflowState::Started, p.now)?;
            p.tx.set_workflow_flags(id, Some(simulate), Some(false))?;
            if armed {
                return Ok(None);
            }
            p.create_run(RunRequest {
                workflow_id: id,
                revision: Some(wf.revision),
                trigger: Trigger::Manual,
                trigger_activity: None,
                params,
                simulate,
                restart: None,
                parent_task: None,
            })
        })?;
        self.next_schedule_check = 0;
        self.ensure_webhook_secrets(id, &body)?;
        Ok(run)
    }

    /// Fires due schedule triggers of started workflows. Each firing is a row unique per
    /// (workflow, trigger, time), inserted in the transaction that creates its run, so it can
    /// never fire twice — not even across restarts. Returns when to look again.
    pub(super) fn fire_schedules(&mut self) -> store::Result<Millis> {
        let now = self.engine.now_ms();
        let mut next_check = now + 60_000;
        for wf in self
            .engine
            .inner
            .store
            .read(|c| store::workflows::workflows_in_states(c, &[WorkflowState::Started]))?
        {
            let body = self.plans.get_read(&self.engine, &wf.id, wf.revision)?;
            for activity in &body.activities {
                let ActivityConfig::ScheduleTrigger(config) = &activity.config else {
                    continue;
                };
                if activity.mode == ExecutionMode::Disabled {
                    continue;
                }
                let last: Option<Millis> = self.engine.inner.store.read(|c| {
                    Ok(c.query_row(
                        "SELECT MAX(fire_time) FROM firings WHERE workflow_id = ?1 AND activity_id = ?2",
                        params![wf.id, activity.id],
                        |r| r.get(0),
                    ).optional()?.flatten())
                })?;
                let since = last.or(wf.armed_at).unwrap_or(now);
                let due = schedule::due(&config.schedule, config.missed, since, now);
                if let Some(next) = due.next {
                    next_check = next_check.min(next);
                }
                if due.run.is_empty() && due.missed.is_none() {
                    continue;
                }
                let (wf_id, activity_id, revision, simulate) =
                    (wf.id.clone(), activity.id.clone(), wf.revision, wf.simulate);
                let params = crate::params::resolve(&body.parameters, &serde_json::Value::Null)
                    .unwrap_or_else(|_| serde_json::json!({}));
                self.progress(|p| {
                    if let Some((time, count)) = due.missed {
                        p.tx.conn().execute(
                            "INSERT OR IGNORE INTO firings (workflow_id, activity_id, fire_time, run_id, outcome) VALUES (?1, ?2, ?3, NULL, ?4)",
                            params![wf_id, activity_id, time, format!("missed ({count})")],
                        )?;
                    }
                    for time in &due.run {
                        let inserted = p.tx.conn().execute(
                            "INSERT OR IGNORE INTO firings (workflow_id, activity_id, fire_time, run_id, outcome) VALUES (?1, ?2, ?3, NULL, 'fired')",
                            params![wf_id, activity_id, time],
                        )?;
                        if inserted == 0 {
                            continue; // already fired: never twice
                        }
                        let run = p.create_run(RunRequest { workflow_id: &wf_id, revision: Some(revision), trigger: Trigger::Schedule, trigger_activity: Some(&activity_id), params: params.clone(), simulate, restart: None, parent_task: None })?;
                        p.tx.conn().execute(
                            "UPDATE firings SET run_id = ?4, outcome = ?5 WHERE workflow_id = ?1 AND activity_id = ?2 AND fire_time = ?3",
                            params![wf_id, activity_id, time, run, if run.is_some() { "fired" } else { "skipped (a run was in progress)" }],
                        )?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(next_check)
    }
}

#[allow(dead_code)]
fn _status_is_used(_: RunStatus) {}
