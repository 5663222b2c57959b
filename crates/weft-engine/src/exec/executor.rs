//! The executor loop, owned by the process that owns the store. It alone writes run state:
//! applies queued commands, fires schedules, ends waits, starts ready tasks and records their
//! outcomes — each step one transaction, events published after commit.

use super::plan::TaskRefs;
use super::plan::{Plan, PlanCache};
use super::progress::{Failure, FailureReport, Followups, Progress};
use super::{owner, Engine};
use crate::activities::{ActivityContext, ActivityError, LogMessage, Outcome, PidReport};
use crate::model::ActivityConfig;
use crate::store::tasks::TaskRef;
use crate::store::{self, runs, tasks, Millis, TaskStatus, Tx, WaitReason, WorkflowState};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const HEARTBEAT_EVERY_MS: Millis = 5_000;

struct Inflight {
    cancel: CancellationToken,
    workflow_id: String,
}

struct Done {
    task_id: i64,
    result: Result<Outcome, ActivityError>,
}

pub(super) struct Executor {
    pub(super) engine: Engine,
    pub(super) plans: PlanCache,
    inflight: HashMap<i64, Inflight>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
    logs_tx: mpsc::UnboundedSender<LogMessage>,
    logs_rx: mpsc::UnboundedReceiver<LogMessage>,
    pids_tx: mpsc::UnboundedSender<PidReport>,
    pids_rx: mpsc::UnboundedReceiver<PidReport>,
    last_heartbeat: Millis,
    pub(super) next_schedule_check: Millis,
    pub(super) next_trigger_scan: Millis,
    pub(super) watcher: Option<notify::RecommendedWatcher>,
    pub(super) watched: Vec<std::path::PathBuf>,
}

impl Executor {
    pub(super) fn new(engine: Engine) -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let (logs_tx, logs_rx) = mpsc::unbounded_channel();
        let (pids_tx, pids_rx) = mpsc::unbounded_channel();
        Self {
            engine,
            plans: PlanCache::default(),
            inflight: HashMap::new(),
            done_tx,
            done_rx,
            logs_tx,
            logs_rx,
            pids_tx,
            pids_rx,
            last_heartbeat: 0,
            next_schedule_check: 0,
            next_trigger_scan: 0,
            watcher: None,
            watched: Vec::new(),
        }
    }

    fn now(&self) -> Millis {
        self.engine.inner.options.clock.now_ms()
    }

    /// Runs `f` in one transaction with progression helpers, publishes its events, and carries
    /// out the follow-ups (cancel signals, notifications).
    pub(super) fn progress<T>(
        &mut self,
        f: impl FnOnce(&mut Progress<'_, '_>) -> store::Result<T>,
    ) -> store::Result<T> {
        let now = self.now();
        let mut followups = Followups::default();
        let plans = &mut self.plans;
        let (value, events) = self.engine.inner.store.write(|tx: &mut Tx<'_>| {
            let mut p = Progress::new(tx, now, plans, &mut followups);
            f(&mut p)
        })?;
        self.engine.publish(events);
        for task_id in followups.cancel_tasks {
            if let Some(inflight) = self.inflight.get(&task_id) {
                inflight.cancel.cancel();
            }
        }
        if followups.reclaim {
            if let Err(e) = self.engine.inner.store.reclaim_space() {
                tracing::warn!("reclaiming space after purge failed: {e}");
            }
        }
        for (workflow_id, message) in followups.approvals_waiting {
            let title = match self.engine.workflow(&workflow_id) {
                Ok((summary, _)) => format!("{}: approval waiting", summary.name),
                Err(_) => "Approval waiting".into(),
            };
            self.engine.inner.options.notifier.notify(&title, &message);
        }
        for (run_id, status) in followups.ended_runs {
            self.notify_run_end(run_id, status);
        }
        Ok(value)
    }

    fn notify_run_end(&mut self, run_id: i64, status: store::RunStatus) {
        let Ok(run) = self
            .engine
            .inner
            .store
            .read(|c| runs::run_summary(c, run_id))
        else {
            return;
        };
        let Ok(body) = self
            .plans
            .get_read(&self.engine, &run.workflow_id, run.revision)
        else {
            return;
        };
        let wanted = match status {
            store::RunStatus::Completed => body.notify.on_completion,
            store::RunStatus::Failed | store::RunStatus::Error | store::RunStatus::Rejected => {
                body.notify.on_failure
            }
            _ => false,
        };
        if wanted {
            self.engine.inner.options.notifier.notify(
                &format!("{}: run {status}", body.name),
                &format!("Run #{run_id} of {} ended {status}.", body.name),
            );
        }
    }

    pub(super) async fn run(mut self) {
        if let Err(e) = self.recover() {
            tracing::error!("recovery failed: {e}");
        }
        let shutdown = self.engine.inner.shutdown.clone();
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            if let Err(e) = self.tick() {
                tracing::error!("executor step failed: {e}");
            }
            let now = self.now();
            let next_wake = self
                .engine
                .inner
                .store
                .read(tasks::next_wake)
                .ok()
                .flatten();
            let mut deadline = now + self.engine.inner.options.poll_interval.as_millis() as Millis;
            if let Some(w) = next_wake {
                deadline = deadline.min(w.max(now));
            }
            deadline = deadline.min(self.next_schedule_check.max(now));
            if !self.watched.is_empty() {
                deadline = deadline.min(self.next_trigger_scan.max(now));
            }
            let sleep = self.engine.inner.options.clock.sleep_until(deadline);
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                Some(done) = self.done_rx.recv() => {
                    if shutdown.is_cancelled() {
                        // Ended by the shutdown itself: leave it Running for recovery.
                        break;
                    }
                    self.flush_logs();
                    self.finish(done);
                    while let Ok(more) = self.done_rx.try_recv() {
                        if shutdown.is_cancelled() {
                            break;
                        }
                        self.finish(more);
                    }
                }
                Some(first) = self.logs_rx.recv() => self.write_logs(vec![first]),
                Some(report) = self.pids_rx.recv() => {
                    let result = self.engine.inner.store.write(|tx| tx.set_attempt_pid(report.task_id, report.attempt, report.pid));
                    if let Err(e) = result {
                        tracing::warn!("recording pid {} failed: {e}", report.pid);
                    }
                }
                () = self.engine.inner.wake.notified() => {}
                () = sleep => {}
            }
        }
        for inflight in self.inflight.values() {
            inflight.cancel.cancel();
        }
        owner::release(&self.engine);
    }

    fn tick(&mut self) -> store::Result<()> {
        let now = self.now();
        if now - self.last_heartbeat >= HEARTBEAT_EVERY_MS {
            self.last_heartbeat = now;
            let _ = owner::heartbeat(&self.engine);
            let _ = self.engine.inner.store.read(store::events::prune_events);
        }
        self.apply_commands()?;
        if now >= self.next_trigger_scan {
            self.next_trigger_scan = now + 1_000;
            self.scan_event_triggers()?;
        }
        if now >= self.next_schedule_check {
            self.next_schedule_check = self.fire_schedules()?;
        }
        for (task_id, _run, reason) in self
            .engine
            .inner
            .store
            .read(|c| tasks::due_waiting_tasks(c, now))?
        {
            match reason {
                WaitReason::Wait => self.progress(|p| p.finish_wait(task_id))?,
                WaitReason::Approval => {
                    let default = self
                        .engine
                        .inner
                        .store
                        .read(|c| tasks::approval(c, task_id))?;
                    let approve = default
                        .map(|a| a.decision.is_none() && self.default_is_approve(task_id))
                        .unwrap_or(false);
                    self.progress(|p| {
                        p.decide(task_id, approve, Some("deadline passed"), Some("deadline"))
                            .map(drop)
                    })?;
                }
                _ => {}
            }
        }
        self.launch_ready()?;
        Ok(())
    }

    fn default_is_approve(&self, task_id: i64) -> bool {
        self.engine
            .inner
            .store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT default_outcome FROM approvals WHERE task_id = ?1",
                    [task_id],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .map(|d| d == "approve")
            .unwrap_or(false)
    }

    fn launch_ready(&mut self) -> store::Result<()> {
        let capacity = self
            .engine
            .inner
            .options
            .max_parallel_tasks
            .saturating_sub(self.inflight.len());
        if capacity == 0 {
            return Ok(());
        }
        let now = self.now();
        let ready = self
            .engine
            .inner
            .store
            .read(|c| tasks::due_ready_tasks(c, now, capacity as u32))?;
        for task in ready {
            if self.inflight.contains_key(&task.task_id) {
                continue;
            }
            let run = self
                .engine
                .inner
                .store
                .read(|c| runs::run_row(c, task.run_id))?;
            let plan = self
                .plans
                .get_read(&self.engine, &run.workflow_id, run.revision)?;
            let Some(index) = plan.index(&task.activity_id) else {
                continue;
            };
            let activity = plan.at(index).clone();
            let attempt = task.attempt + 1;
            let args = serde_json::to_value(&activity.config).unwrap_or(Value::Null);
            let args = args.get("config").cloned().unwrap_or(Value::Null);
            let (data, iteration) = self.expression_data(&run, &plan, index)?;
            let (wf, run_id, task_id) = (run.workflow_id.clone(), run.id, task.task_id);
            let now = self.now();
            let me = TaskRef {
                id: task_id,
                run: run.as_ref(),
                activity_id: &activity.id,
            };
            let (_, events) = self
                .engine
                .inner
                .store
                .write(|tx| tx.start_attempt(me, attempt, &args, now))?;
            self.engine.publish(events);
            if let ActivityConfig::SubWorkflow(config) = &activity.config {
                // Not run by an activity: the engine makes the called run and waits for it.
                let mut params = serde_json::Map::new();
                let mut failure = None;
                for (name, template) in &config.params {
                    match crate::expr::render(
                        crate::expr::Site {
                            activity: &activity.id,
                            field: "params",
                        },
                        template,
                        &data,
                    ) {
                        Ok(text) => {
                            params.insert(
                                name.clone(),
                                serde_json::from_str(&text).unwrap_or(Value::String(text)),
                            );
                        }
                        Err(e) => failure = Some(e.to_string()),
                    }
                }
                let config = config.clone();
                self.progress(|p| match &failure {
                    Some(message) => {
                        p.fail(task_id, FailureReport::message(message), Failure::Config)
                    }
                    None => p.call_sub_workflow(task_id, &config, Value::Object(params)),
                })?;
                continue;
            }
            let cancel = self.engine.inner.shutdown.child_token();
            self.inflight.insert(
                task_id,
                Inflight {
                    cancel: cancel.clone(),
                    workflow_id: wf.clone(),
                },
            );
            let ctx = ActivityContext {
                workflow_id: wf,
                run_id,
                task_id,
                attempt,
                iteration,
                idempotency_key: format!("weft-{run_id}-{task_id}"),
                cancel: cancel.clone(),
                data,
                outbox: self.engine.inner.options.outbox.clone(),
                logs: self.logs_tx.clone(),
                pids: self.pids_tx.clone(),
                notifier: self.engine.inner.options.notifier.clone(),
                now,
                store: self.engine.inner.store.clone(),
                inputs: if activity.kind().reads_records() {
                    self.input_sets(run_id, &plan, index)?
                } else {
                    Vec::new()
                },
            };
            let runner = self.engine.inner.options.runner.clone();
            let clock = self.engine.inner.options.clock.clone();
            let timeout = activity.timeout.or(plan.timeout);
            let done_tx = self.done_tx.clone();
            let span = tracing::info_span!("task", run = run_id, task = task_id, activity = %activity.id, attempt);
            tokio::spawn(tracing::Instrument::instrument(
                async move {
                    let mut work = std::pin::pin!(runner.run(&activity, ctx));
                    let result = match timeout {
                        None => work.await,
                        Some(limit) => {
                            let deadline =
                                clock.now_ms() + limit.as_duration().as_millis() as Millis;
                            tokio::select! {
                                r = &mut work => r,
                                () = clock.sleep_until(deadline) => {
                                    // Let the activity clean up (kill its process group) before
                                    // reporting the timeout.
                                    cancel.cancel();
                                    let _ = work.await;
                                    Err(ActivityError::failed(format!("timed out after {limit}")))
                                }
                            }
                        }
                    };
                    let _ = done_tx.send(Done { task_id, result });
                },
                span,
            ));
        }
        Ok(())
    }

    /// The record sets arriving at an activity: for each taken incoming transition, the latest
    /// finished task of its source and the port.
    fn input_sets(
        &self,
        run_id: i64,
        plan: &Plan,
        index: usize,
    ) -> store::Result<Vec<crate::activities::data::InputSet>> {
        let activity_id = &plan.at(index).id;
        self.engine.inner.store.read(|c| {
            let edges = tasks::incoming_edges(c, run_id, activity_id)?;
            let mut inputs = Vec::new();
            for t in plan.incoming(index) {
                let taken = edges
                    .iter()
                    .any(|(from, port, n, _)| from == &t.from && port == &t.port && *n > 0);
                if !taken {
                    continue;
                }
                if let Some(source) = tasks::latest_result(c, run_id, &t.from)? {
                    inputs.push(crate::activities::data::InputSet {
                        from: t.from.clone(),
                        task_id: source.id,
                        port: t.port.clone(),
                    });
                }
            }
            Ok(inputs)
        })
    }

    /// `params`, `vars`, `tasks` (the latest result of each activity the expressions name) and
    /// `run`, for templates; and the loop iteration. Reads only what the activity's expressions
    /// refer to, so the cost of a step does not grow with the run.
    fn expression_data(
        &self,
        run: &runs::RunRow,
        plan: &Plan,
        index: usize,
    ) -> store::Result<(Arc<Value>, u32)> {
        let activity = plan.at(index);
        let mut task_map = Map::new();
        let mut iteration = 0u32;
        self.engine.inner.store.read(|c| {
            let mut put = |t: crate::store::TaskRecord| {
                task_map.insert(t.activity_id.clone(), json!({"result": t.result, "status": t.status, "port": t.port, "recordCount": t.record_count, "stdout": t.stdout}));
            };
            match plan.task_refs(index) {
                TaskRefs::Some(names) => {
                    for name in names {
                        if let Some(t) = tasks::latest_result(c, run.id, name)? {
                            put(t);
                        }
                    }
                }
                TaskRefs::All => {
                    for t in tasks::tasks_of_run(c, run.id)? {
                        if matches!(t.status, TaskStatus::Succeeded | TaskStatus::Failed) {
                            put(t);
                        }
                    }
                }
            }
            if matches!(activity.config, ActivityConfig::Loop(_)) {
                iteration = tasks::ended_count(c, run.id, &activity.id)?;
            }
            Ok(())
        })?;
        let data = json!({
            "params": run.params,
            "vars": run.vars,
            "tasks": Value::Object(task_map),
            "run": {"id": run.id, "workflow": run.workflow_id, "workflowName": plan.name, "trigger": run.trigger, "simulate": run.simulate},
        });
        Ok((Arc::new(data), iteration))
    }

    fn finish(&mut self, done: Done) {
        self.inflight.remove(&done.task_id);
        let task_id = done.task_id;
        let result = match done.result {
            Ok(outcome) => self.progress(|p| p.succeed(task_id, &outcome)),
            Err(ActivityError::Failed {
                message,
                result,
                stdout,
                stderr,
            }) => {
                let result = (!result.is_null()).then_some(result);
                self.progress(|p| {
                    let report = FailureReport {
                        message: &message,
                        result: result.as_ref(),
                        stdout: &stdout,
                        stderr: &stderr,
                    };
                    p.fail(task_id, report, Failure::Failed)
                })
            }
            Err(ActivityError::Config(message)) => self
                .progress(|p| p.fail(task_id, FailureReport::message(&message), Failure::Config)),
            Err(ActivityError::Cancelled { stdout, stderr }) => {
                self.progress(|p| p.cancelled(task_id, &stdout, &stderr))
            }
        };
        if let Err(e) = result {
            tracing::error!("recording the end of task {task_id} failed: {e}");
        }
        self.finish_stopping_workflows();
    }

    /// Workflows in Stopping whose last running task has come back become Finished (and start
    /// again when a Restart asked for it).
    pub(super) fn finish_stopping_workflows(&mut self) {
        let Ok(stopping) = self
            .engine
            .inner
            .store
            .read(|c| store::workflows::workflows_in_states(c, &[WorkflowState::Stopping]))
        else {
            return;
        };
        for wf in stopping {
            if self.inflight.values().any(|i| i.workflow_id == wf.id) {
                continue;
            }
            let restart = wf.restart_requested;
            let id = wf.id.clone();
            let result = self.progress(|p| {
                p.tx.set_workflow_state(&id, WorkflowState::Finished, p.now)?;
                p.tx.set_workflow_flags(&id, None, Some(false))?;
                Ok(())
            });
            if let Err(e) = result {
                tracing::error!("finishing the stop of {id} failed: {e}");
            }
            if restart {
                if let Err(e) = self.start_workflow(&id, wf.simulate) {
                    tracing::error!("restarting {id} failed: {e}");
                }
            }
        }
    }

    fn flush_logs(&mut self) {
        let mut batch = Vec::new();
        while let Ok(line) = self.logs_rx.try_recv() {
            batch.push(line);
        }
        if !batch.is_empty() {
            self.write_logs(batch);
        }
    }

    fn write_logs(&mut self, mut batch: Vec<LogMessage>) {
        while let Ok(line) = self.logs_rx.try_recv() {
            batch.push(line);
        }
        let now = self.now();
        let result = self.engine.inner.store.write(|tx| {
            for line in &batch {
                let task = tasks::task(tx.conn(), line.task_id)?;
                let run = runs::run_head(tx.conn(), task.run_id)?;
                let me = TaskRef {
                    id: task.id,
                    run: run.as_ref(),
                    activity_id: &task.activity_id,
                };
                tx.append_log(me, line.attempt, line.level, &line.message, now)?;
            }
            Ok(())
        });
        match result {
            Ok((_, events)) => self.engine.publish(events),
            Err(e) => tracing::warn!("writing log lines failed: {e}"),
        }
    }

    /// After a crash: running tasks are interrupted and follow their retry policy; stopping
    /// workflows finish stopping; runs with nothing left end. Finished tasks are never re-run.
    fn recover(&mut self) -> store::Result<()> {
        // Process groups a crashed owner left behind would otherwise run on, and their retry
        // would run beside them.
        for pid in self.engine.inner.store.read(tasks::running_attempt_pids)? {
            if pid > 1 && pid <= i32::MAX as u32 {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        for (task_id, _run) in self.engine.inner.store.read(tasks::running_tasks)? {
            self.progress(|p| {
                p.fail(
                    task_id,
                    FailureReport::message("interrupted: the engine stopped while this task ran"),
                    Failure::Interrupted,
                )
            })?;
        }
        for wf in self
            .engine
            .inner
            .store
            .read(|c| store::workflows::workflows_in_states(c, &[WorkflowState::Stopping]))?
        {
            let id = wf.id.clone();
            self.progress(|p| {
                for (run_id, _) in runs::active_runs(p.tx.conn(), &id)? {
                    p.cancel_run(run_id, "stopped")?;
                }
                Ok(())
            })?;
        }
        self.finish_stopping_workflows();
        for run_id in self.engine.inner.store.read(runs::all_active_runs)? {
            self.progress(|p| p.check_run_done(run_id))?;
        }
        Ok(())
    }
}

impl PlanCache {
    pub(super) fn get_read(
        &mut self,
        engine: &Engine,
        workflow_id: &str,
        revision: i64,
    ) -> store::Result<Arc<Plan>> {
        let mut out = None;
        engine.inner.store.read(|c| {
            out = Some(self.get(c, workflow_id, revision)?);
            Ok(())
        })?;
        out.ok_or(store::Error::NotFound {
            what: "revision",
            id: workflow_id.to_string(),
        })
    }
}
