//! The executor loop, owned by the process that owns the store. It alone writes run state:
//! applies queued commands, fires schedules, ends waits, starts ready tasks and records their
//! outcomes. Each round groups its work into few transactions — every command, every finished
//! task is one unit (a savepoint) of a shared transaction — and publishes events after commit.

use super::owner::{self, HEARTBEAT_EVERY_MS, LEASE_RENEW_EVERY_MS};
use super::plan::{Plan, PlanCache, TaskRefs};
use super::progress::{Failure, FailureReport, Followups, Progress};
use super::Engine;
use crate::activities::{
    process_tree, ActivityContext, ActivityError, LogMessage, Outcome, PidReport,
};
use crate::command::{CommandOutcome, Refusal};
use crate::model::ActivityConfig;
use crate::store::tasks::TaskRef;
use crate::store::{self, tasks, Millis, StoreRead, StoreWrite, TaskStatus, WaitReason};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long to leave the command queue alone after another process held the database.
const BUSY_BACKOFF_MS: Millis = 250;
/// How many instant steps one round records before it lets commands and finished tasks in.
const INSTANT_STEPS_PER_ROUND: usize = 1_000;
/// How long a log line may wait for the transaction that records its attempt's outcome before
/// it is written alone: an activity's lines and its end then cost one commit, not one each.
const LOG_DELAY_MS: Millis = 100;
/// How often a server of a fleet reads the ready queue from its start rather than from the
/// first ready task it last saw (see [`Executor::ready_floor`]).
const FULL_READY_SCAN_EVERY_MS: Millis = 500;

struct Inflight {
    cancel: CancellationToken,
}

/// A command submitted by this process to its own executor, answered with its record once the
/// transaction that recorded and applied it has committed.
pub(crate) struct Submission {
    pub workflow_id: Option<String>,
    pub command: crate::command::Command,
    pub reply: tokio::sync::oneshot::Sender<store::CommandRecord>,
}

struct Done {
    task_id: i64,
    attempt: u32,
    result: Result<Outcome, ActivityError>,
}

/// How often a server of a shared store looks for tasks whose lease lapsed.
const TAKE_OVER_EVERY_MS: Millis = 1_000;
/// For how long after it starts a server of a shared store looks for grown tables without
/// planner statistics every [`STATISTICS_EARLY_EVERY_MS`] (then at each lease renewal): a fresh
/// database's first seconds are when plans made for empty tables cost most (see
/// [`crate::store::Store::refresh_statistics`]).
const STATISTICS_EARLY_MS: Millis = 60_000;
const STATISTICS_EARLY_EVERY_MS: Millis = 500;

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
    inbox: mpsc::UnboundedReceiver<Submission>,
    /// This owner session (see [`owner`]).
    pub(super) session: i64,
    /// When this session began: fire times from then on fell while an owner ran.
    pub(super) session_started: Millis,
    last_heartbeat: Millis,
    commands_retry_at: Millis,
    pub(super) next_schedule_check: Millis,
    pub(super) next_trigger_scan: Millis,
    pub(super) watcher: Option<notify::RecommendedWatcher>,
    pub(super) watched: Vec<std::path::PathBuf>,
    /// Several servers execute this store (PostgreSQL): tasks are leased, none is owned.
    shared: bool,
    next_take_over: Millis,
    /// When this server started, and when it next looks for tables without statistics.
    started: Millis,
    next_statistics_check: Millis,
    /// Finished attempts whose outcome met a busy store: recorded in a later round.
    unrecorded: Vec<Done>,
    /// Log lines not written yet: they go with the next outcome's transaction, or on their own
    /// at `logs_due` (see [`LOG_DELAY_MS`]).
    pending_logs: Vec<LogMessage>,
    logs_due: Option<Millis>,
    /// Shared store: the lowest id of the ready tasks the last read of the queue found. The
    /// queue is read from there: on PostgreSQL the ready-task index keeps an entry for every
    /// task that was ready until a vacuum, and reading from the first id walked all of them
    /// (2-18 ms a read, growing with every step, in the fleet benchmark). A task ready again
    /// below it (a retry, a takeover, a resumed workflow's) is found by the read from the start
    /// that comes every [`FULL_READY_SCAN_EVERY_MS`], or at once when this server made it so
    /// (a failed attempt, a takeover, a command) or a wake time has come.
    ready_floor: i64,
    next_full_ready_scan: Millis,
    /// The first wake time of a waiting or delayed task, as last read.
    next_wake: Option<Millis>,
}

/// One transaction of a round: work is added unit by unit, each in its own savepoint, so a
/// unit that fails leaves the others in.
pub(super) struct Units<'t, 'c> {
    tx: &'t mut (dyn StoreWrite + 'c),
    now: Millis,
    plans: &'t mut PlanCache,
    followups: &'t mut Followups,
}

impl Units<'_, '_> {
    /// Runs one unit of progression; on failure its writes, events and follow-ups are dropped.
    pub(super) fn unit<R>(
        &mut self,
        f: impl FnOnce(&mut Progress<'_, '_>) -> store::Result<R>,
    ) -> store::Result<R> {
        let mut mine = Followups::default();
        let (now, plans) = (self.now, &mut *self.plans);
        let result = store::unit(&mut *self.tx, |tx| {
            let mut p = Progress::new(tx, now, plans, &mut mine);
            f(&mut p)
        });
        if result.is_ok() {
            self.followups.absorb(mine);
        }
        result
    }

    /// Writes log lines, as one unit. Named from the line itself: reading the task would lock
    /// its run, and a log line changes nothing of the run's state.
    fn write_logs(&mut self, lines: &[LogMessage]) -> store::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let now = self.now;
        store::unit(&mut *self.tx, |tx| {
            for line in lines {
                let me = TaskRef {
                    id: line.task_id,
                    run: store::tasks::RunRef {
                        id: line.run_id,
                        workflow_id: &line.workflow_id,
                    },
                    activity_id: &line.activity_id,
                };
                tx.append_log(me, line.attempt, line.level, &line.message, now)?;
            }
            Ok(())
        })
    }

    /// The transaction as a read view, for reads outside progression.
    pub(super) fn reads(&self) -> &dyn StoreRead {
        self.tx.as_read()
    }

    /// Whether a ready task's activity takes a slot (see [`crate::activities::takes_slot`]),
    /// from its revision alone; `None` when the activity is not in its revision.
    fn takes_slot(&mut self, task: &tasks::ReadyTask) -> store::Result<Option<bool>> {
        let plan = self
            .plans
            .get(self.tx.as_read(), &task.workflow_id, task.revision)?;
        Ok(plan
            .index(&task.activity_id)
            .map(|index| crate::activities::takes_slot(&plan.at(index).config)))
    }

    /// Reads what a ready task needs to start (inside the transaction, so it sees what this
    /// round already recorded). `None` when its activity is not in its revision.
    fn prepare(&mut self, task: &tasks::ReadyTask) -> store::Result<Option<Launch>> {
        let conn = self.tx.as_read();
        let run = conn.run_row(task.run_id)?;
        let plan = self.plans.get(conn, &run.workflow_id, run.revision)?;
        let Some(index) = plan.index(&task.activity_id) else {
            return Ok(None);
        };
        let (data, iteration) = expression_data(conn, &run, &plan, index)?;
        let inputs = if plan.at(index).kind().reads_records() {
            input_sets(conn, run.id, &plan, index)?
        } else {
            Vec::new()
        };
        Ok(Some(Launch {
            task_id: task.task_id,
            attempt: task.attempt + 1,
            run,
            plan,
            index,
            data,
            iteration,
            inputs,
        }))
    }
}

/// Records an attempt's outcome: success, failure (retry, `error` port, or the run fails),
/// configuration error, or cancellation.
fn record_outcome(
    p: &mut Progress<'_, '_>,
    task_id: i64,
    result: &Result<Outcome, ActivityError>,
) -> store::Result<()> {
    match result {
        Ok(outcome) => p.succeed(task_id, outcome),
        Err(ActivityError::Failed {
            message,
            result,
            stdout,
            stderr,
        }) => {
            let report = FailureReport {
                message,
                result: (!result.is_null()).then_some(result),
                stdout,
                stderr,
            };
            p.fail(task_id, report, Failure::Failed)
        }
        Err(ActivityError::Config(message)) => {
            p.fail(task_id, FailureReport::message(message), Failure::Config)
        }
        Err(ActivityError::Cancelled { stdout, stderr }) => p.cancelled(task_id, stdout, stderr),
    }
}

impl Executor {
    pub(super) fn new(
        engine: Engine,
        session: i64,
        inbox: mpsc::UnboundedReceiver<Submission>,
    ) -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let (logs_tx, logs_rx) = mpsc::unbounded_channel();
        let (pids_tx, pids_rx) = mpsc::unbounded_channel();
        let now = engine.now_ms();
        let shared = engine.inner.store.shares_work();
        Self {
            shared,
            next_take_over: 0,
            started: now,
            next_statistics_check: 0,
            unrecorded: Vec::new(),
            pending_logs: Vec::new(),
            logs_due: None,
            ready_floor: 0,
            next_full_ready_scan: 0,
            next_wake: None,
            engine,
            plans: PlanCache::default(),
            inflight: HashMap::new(),
            done_tx,
            done_rx,
            logs_tx,
            logs_rx,
            pids_tx,
            pids_rx,
            inbox,
            session,
            session_started: now,
            last_heartbeat: now,
            commands_retry_at: 0,
            next_schedule_check: 0,
            next_trigger_scan: 0,
            watcher: None,
            watched: Vec::new(),
        }
    }

    fn now(&self) -> Millis {
        self.engine.inner.options.clock.now_ms()
    }

    fn draining(&self) -> bool {
        self.engine.inner.draining.load(Ordering::SeqCst)
    }

    /// Runs `f` in one transaction as a single unit of progression, publishes its events, and
    /// carries out the follow-ups. A failure rolls the whole transaction back.
    pub(super) fn progress<T>(
        &mut self,
        f: impl FnOnce(&mut Progress<'_, '_>) -> store::Result<T>,
    ) -> store::Result<T> {
        self.transaction(|u| u.unit(f))
    }

    /// Runs `f` in one transaction made of units, publishes the events of those that held, and
    /// carries out their follow-ups.
    pub(super) fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Units<'_, '_>) -> store::Result<T>,
    ) -> store::Result<T> {
        let now = self.now();
        let mut followups = Followups::default();
        let plans = &mut self.plans;
        let (value, events) = self.engine.inner.store.write(|tx| {
            let mut units = Units {
                tx,
                now,
                plans,
                followups: &mut followups,
            };
            f(&mut units)
        })?;
        self.engine.publish(events);
        self.carry_out(followups);
        Ok(value)
    }

    fn carry_out(&mut self, followups: Followups) {
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
        if followups.schedules_changed {
            self.next_schedule_check = 0;
        }
        for opened in followups.approvals_waiting {
            let title = match self.engine.workflow(&opened.workflow_id) {
                Ok((summary, _)) => format!("{}: approval waiting", summary.name),
                Err(_) => "Approval waiting".into(),
            };
            self.engine
                .inner
                .options
                .notifier
                .notify(&title, &opened.message);
            super::approval_mail::send(&self.engine, &opened, &title);
        }
        for (run_id, status) in followups.ended_runs {
            self.notify_run_end(run_id, status);
        }
    }

    fn notify_run_end(&mut self, run_id: i64, status: store::RunStatus) {
        let Ok(run) = self.engine.inner.store.read(|c| c.run_summary(run_id)) else {
            return;
        };
        let Ok(plan) = self
            .plans
            .get_read(&self.engine, &run.workflow_id, run.revision)
        else {
            return;
        };
        let wanted = match status {
            store::RunStatus::Completed => plan.notify.on_completion,
            store::RunStatus::Failed | store::RunStatus::Error | store::RunStatus::Rejected => {
                plan.notify.on_failure
            }
            _ => false,
        };
        if wanted {
            self.engine.inner.options.notifier.notify(
                &format!("{}: run {status}", plan.name),
                &format!("Run #{run_id} of {} ended {status}.", plan.name),
            );
        }
    }

    pub(super) async fn run(mut self) {
        // Orphans of our commands' children come to us, so Stop can find and kill them.
        process_tree::become_subreaper();
        if let Err(e) = self.recover() {
            tracing::error!("recovery failed: {e}");
        }
        let shutdown = self.engine.inner.shutdown.clone();
        let mut lost = false;
        // Whether what woke the loop can have brought work (an outcome, a submission, a wake-up,
        // the deadline); log lines and process ids do not, so after them the loop sleeps again
        // until the deadline it had, instead of a round of reads for nothing (a chatty activity
        // made one round per line). Rounds still come at that deadline, so heartbeats and
        // leases never wait for a quiet moment.
        let mut work = true;
        let mut deadline: Millis = 0;
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            if self.draining() && self.inflight.is_empty() {
                // Handing over: nothing of ours is running; the next owner goes on from here.
                self.flush_logs();
                break;
            }
            if self.logs_due.is_some_and(|due| self.now() >= due) {
                self.flush_logs();
            }
            if work || self.now() >= deadline {
                match self.round() {
                    Ok(true) => {}
                    Ok(false) => {
                        lost = true;
                        break;
                    }
                    Err(e) => tracing::error!("executor step failed: {e}"),
                }
                deadline = self.next_deadline();
            }
            work = true;
            let wake_at = self.logs_due.map_or(deadline, |due| deadline.min(due));
            let sleep = self.engine.inner.options.clock.sleep_until(wake_at);
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                Some(done) = self.done_rx.recv() => {
                    if shutdown.is_cancelled() {
                        // Ended by the shutdown itself: leave it Running for recovery.
                        break;
                    }
                    let mut batch = vec![done];
                    while let Ok(more) = self.done_rx.try_recv() {
                        batch.push(more);
                    }
                    // Their log lines go with their outcomes, in one transaction.
                    self.take_logs(Vec::new());
                    self.finish(batch);
                }
                Some(first) = self.logs_rx.recv() => {
                    self.take_logs(vec![first]);
                    work = false;
                }
                Some(first) = self.pids_rx.recv() => {
                    self.record_pids(first);
                    work = false;
                }
                Some(first) = self.inbox.recv() => self.apply_submissions(first),
                () = self.engine.inner.wake.notified() => {}
                () = sleep => {}
            }
        }
        for inflight in self.inflight.values() {
            inflight.cancel.cancel();
        }
        if !lost {
            self.flush_logs();
        }
        if lost {
            tracing::error!("another process took this store over: this one stops executing");
        } else {
            owner::release(&self.engine, self.session);
        }
        self.engine.inner.owner.store(false, Ordering::SeqCst);
    }

    /// When the next round is due without anything waking the loop: the poll interval, the
    /// first waiting or delayed task, the next schedule check, the next trigger scan.
    fn next_deadline(&mut self) -> Millis {
        let now = self.now();
        let next_wake = self
            .engine
            .inner
            .store
            .read(|r| r.next_wake())
            .ok()
            .flatten();
        self.next_wake = next_wake;
        let mut deadline = now + self.engine.inner.options.poll_interval.as_millis() as Millis;
        if let Some(w) = next_wake {
            deadline = deadline.min(w.max(now));
        }
        deadline = deadline.min(self.next_schedule_check.max(now));
        if !self.watched.is_empty() {
            deadline = deadline.min(self.next_trigger_scan.max(now));
        }
        deadline
    }

    /// One round of work. `Ok(false)` when this process no longer owns the store.
    fn round(&mut self) -> store::Result<bool> {
        let now = self.now();
        let beat = if self.shared {
            LEASE_RENEW_EVERY_MS
        } else {
            HEARTBEAT_EVERY_MS
        };
        if now - self.last_heartbeat >= beat {
            self.last_heartbeat = now;
            match owner::heartbeat(&self.engine, self.session) {
                Ok(Some(session)) => {
                    if session != self.session {
                        // A stall long enough to count as down time: a new session begins.
                        self.session = session;
                        self.session_started = now;
                    }
                }
                Ok(None) => return Ok(false),
                Err(e) => tracing::warn!("heartbeat failed: {e}"),
            }
            if self.shared {
                self.renew_leases(now);
            }
            let _ = self
                .engine
                .inner
                .store
                .write(|tx| tx.prune_events().and_then(|_| tx.prune_commands()));
        }
        if self.shared && now >= self.next_statistics_check {
            let every = if now - self.started < STATISTICS_EARLY_MS {
                STATISTICS_EARLY_EVERY_MS
            } else {
                LEASE_RENEW_EVERY_MS
            };
            self.next_statistics_check = now + every;
            match self.engine.inner.store.refresh_statistics() {
                Ok(tables) if !tables.is_empty() => {
                    tracing::info!("planner statistics made for {}", tables.join(", "));
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("refreshing planner statistics failed: {e}"),
            }
        }
        if self.shared && now >= self.next_take_over {
            self.next_take_over = now + TAKE_OVER_EVERY_MS;
            self.take_over_lapsed()?;
        }
        if !self.unrecorded.is_empty() {
            let batch = std::mem::take(&mut self.unrecorded);
            self.finish(batch);
        }
        if let Ok(first) = self.inbox.try_recv() {
            self.apply_submissions(first);
        }
        // One read says which of the round's other reads are needed (a read that fails counts
        // as "all of them").
        let poll = self
            .engine
            .inner
            .store
            .read(|r| r.round_poll())
            .unwrap_or_else(|e| {
                tracing::warn!("reading what the round has to do failed: {e}");
                store::tasks::RoundPoll {
                    commands_pending: true,
                    workflows_stopping: true,
                    first_waiting_wake: Some(0),
                }
            });
        if poll.commands_pending {
            self.apply_commands()?;
        }
        if !self.draining() {
            if now >= self.next_trigger_scan {
                self.next_trigger_scan = now + 1_000;
                self.scan_event_triggers()?;
            }
            if now >= self.next_schedule_check {
                self.next_schedule_check = self.fire_schedules()?;
            }
        }
        if poll.first_waiting_wake.is_some_and(|wake| wake <= now) {
            self.end_due_waits()?;
        }
        if poll.workflows_stopping {
            // A stopping workflow whose last task ended (here or on another server) finishes.
            self.transaction(|u| u.unit(|p| p.finish_stopped_workflows()))?;
        }
        if !self.draining() {
            self.launch_ready()?;
        }
        Ok(true)
    }

    /// Applies queued commands in order, each with its outcome in one transaction. A command
    /// whose application was begun by an owner session that then stopped is applied alone (so a
    /// crash is blamed on it only); one begun by two such sessions is set aside, refused with
    /// WEFT-R007, so that a store can always be opened.
    fn apply_commands(&mut self) -> store::Result<()> {
        if self.now() < self.commands_retry_at {
            return Ok(());
        }
        loop {
            let pending = self.engine.inner.store.read(|c| c.pending_commands(64))?;
            let Some(first) = pending.first() else {
                return Ok(());
            };
            let session = self.session;
            let batch: Vec<_> = if first.begun_elsewhere(session) {
                pending.into_iter().take(1).collect()
            } else {
                pending
                    .into_iter()
                    .take_while(|c| !c.begun_elsewhere(session))
                    .collect()
            };
            let ids: Vec<i64> = batch.iter().map(|c| c.id).collect();
            let result = self
                .engine
                .inner
                .store
                .write(|tx| tx.begin_applying(&ids, session))
                .and_then(|_| {
                    self.transaction(|u| {
                        for record in &batch {
                            let wf = record.workflow_id.as_deref();
                            if record.tries >= 2 && record.try_session != Some(session) {
                                let outcome = CommandOutcome::refused(
                                    Refusal::SetAside,
                                    format!("applying this {} stopped the engine twice; it was set aside so that the store can run (see the engine's log)", record.command.name()),
                                );
                                u.unit(|p| p.answer_command(record.id, wf, &outcome))?;
                                continue;
                            }
                            match u.unit(|p| p.apply_command(record.id, wf, &record.command)) {
                                Ok(_) => {}
                                Err(e) if e.is_busy() => return Err(e),
                                Err(e) => {
                                    tracing::error!("applying command {} failed: {e}", record.id);
                                    let outcome = CommandOutcome::refused(
                                        Refusal::StoreFailed,
                                        e.to_string(),
                                    );
                                    u.unit(|p| p.answer_command(record.id, wf, &outcome))?;
                                }
                            }
                        }
                        Ok(())
                    })
                });
            // A command can make tasks ready again at their old ids (resume, restart).
            self.next_full_ready_scan = 0;
            match result {
                Ok(()) => {
                    crate::fault::point("apply:after-commit");
                    self.engine.inner.commands_answered(&ids);
                }
                Err(e) if e.is_busy() => {
                    // Another process holds the database for now: try again shortly, unchanged.
                    self.commands_retry_at = self.now() + BUSY_BACKOFF_MS;
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records and applies the commands this process submitted, each with its outcome in one
    /// unit of one transaction, then answers the submitters.
    fn apply_submissions(&mut self, first: Submission) {
        let mut batch = vec![first];
        while let Ok(more) = self.inbox.try_recv() {
            batch.push(more);
        }
        self.next_full_ready_scan = 0;
        let result = self.transaction(|u| {
            let mut records = Vec::with_capacity(batch.len());
            for s in &batch {
                let wf = s.workflow_id.as_deref();
                let applied = u.unit(|p| {
                    let id = p.tx.enqueue_command(wf, &s.command, p.now)?;
                    let outcome = p.apply_command(id, wf, &s.command)?;
                    Ok(store::CommandRecord {
                        id,
                        workflow_id: s.workflow_id.clone(),
                        command: s.command.clone(),
                        created_at: p.now,
                        applied_at: Some(p.now),
                        outcome: Some(outcome),
                        tries: 0,
                        try_session: None,
                    })
                });
                records.push(applied.map_err(|e| {
                    tracing::error!("applying a submitted {} failed: {e}", s.command.name());
                }));
            }
            Ok(records)
        });
        match result {
            Ok(records) => {
                for (submission, record) in batch.into_iter().zip(records) {
                    if let Ok(record) = record {
                        let _ = submission.reply.send(record);
                    }
                }
            }
            Err(e) => tracing::error!("applying {} submitted command(s) failed: {e}", batch.len()),
        }
    }

    /// Waits (Wait activities, approval deadlines) whose time has come end, in one transaction.
    fn end_due_waits(&mut self) -> store::Result<()> {
        let now = self.now();
        let due = self.engine.inner.store.read(|c| c.due_waiting_tasks(now))?;
        if due.is_empty() {
            return Ok(());
        }
        self.transaction(|u| {
            for (task_id, _run, reason) in due {
                let result = match reason {
                    WaitReason::Wait => u.unit(|p| {
                        // Read again inside the transaction: another server may have ended
                        // this wait since the list was read.
                        let task = p.tx.task(task_id)?;
                        if task.status != TaskStatus::Waiting
                            || task.wake_at.is_some_and(|w| w > now)
                        {
                            return Ok(());
                        }
                        p.finish_wait(task_id)
                    }),
                    WaitReason::Approval => u.unit(|p| p.apply_deadline(task_id).map(drop)),
                    _ => Ok(()),
                };
                if let Err(e) = result {
                    tracing::error!("ending the wait of task {task_id} failed: {e}");
                }
            }
            Ok(())
        })
    }

    /// Starts ready tasks, all in one transaction. Instant activities (see
    /// [`crate::activities::instant`]) are recorded at once, in the same transaction, and what
    /// they make ready is taken up too (up to [`INSTANT_STEPS_PER_ROUND`]); the others are
    /// started as tasks once the transaction commits.
    fn launch_ready(&mut self) -> store::Result<()> {
        let capacity = self
            .engine
            .inner
            .options
            .max_parallel_tasks
            .saturating_sub(self.inflight.len());
        let now = self.now();
        let running: HashSet<i64> = self.inflight.keys().copied().collect();
        let shared = self.shared;
        // From the start when a task's wake time has come (a delayed retry is ready again at
        // its old id), or another reason to look below the floor was noted.
        let full_scan =
            !shared || now >= self.next_full_ready_scan || self.next_wake.is_some_and(|w| w <= now);
        let from_id = if full_scan { 0 } else { self.ready_floor };
        // The lowest ready task id seen by this round's first read of the queue.
        let mut lowest: Option<i64> = None;
        let started = self.transaction(|u| {
            let mut started: Vec<Launch> = Vec::new();
            let mut budget = INSTANT_STEPS_PER_ROUND;
            // Ready tasks left for a later round (no slot free, claimed by another server, or
            // not startable): not looked at again in this one.
            let mut passed: HashSet<i64> = HashSet::new();
            loop {
                let room = capacity.saturating_sub(started.len());
                // Instant tasks take no slot: look at more than the room.
                let limit = (room + 64 + passed.len()) as u32;
                let candidates = u.reads().due_ready_tasks(now, from_id, limit)?;
                if lowest.is_none() {
                    lowest = candidates.first().map(|t| t.task_id);
                }
                // A full page may have more ready tasks behind it.
                let more_behind = candidates.len() == limit as usize;
                let (mut instants, mut slotted) = (Vec::new(), Vec::new());
                for task in candidates {
                    if running.contains(&task.task_id)
                        || passed.contains(&task.task_id)
                        || started.iter().any(|l| l.task_id == task.task_id)
                    {
                        continue;
                    }
                    match u.takes_slot(&task) {
                        Ok(Some(true)) => slotted.push(task),
                        Ok(Some(false)) => instants.push(task),
                        Ok(None) => {
                            passed.insert(task.task_id);
                        }
                        Err(e) => {
                            tracing::error!("reading task {}'s activity failed: {e}", task.task_id);
                            passed.insert(task.task_id);
                        }
                    }
                }
                // Take only what this round starts: every instant one, and as many of the
                // others as there are free slots.
                let mut claimed = if shared {
                    // Claimed, so the rest stay free for other servers (those another server
                    // holds are skipped and the next ones taken).
                    let ids = |tasks: &[tasks::ReadyTask]| -> Vec<i64> {
                        tasks.iter().map(|t| t.task_id).collect()
                    };
                    let mut claimed =
                        u.reads()
                            .claim_ready_tasks(&ids(&instants), now, instants.len() as u32)?;
                    if room > 0 {
                        let more = u
                            .reads()
                            .claim_ready_tasks(&ids(&slotted), now, room as u32)?;
                        claimed.extend(more);
                    }
                    claimed
                } else {
                    // This process owns the store and its transaction holds it: what it just
                    // read is its own.
                    let mut claimed = instants.clone();
                    claimed.extend(slotted.iter().take(room).cloned());
                    claimed
                };
                let taken: HashSet<i64> = claimed.iter().map(|t| t.task_id).collect();
                // Instant tasks another server claimed first: look further down the queue
                // instead of waiting for the next round, or every server would ask for the
                // same head of the queue and all but one would find nothing.
                for task in instants.iter().chain(&slotted) {
                    if !taken.contains(&task.task_id) {
                        passed.insert(task.task_id);
                    }
                }
                let slot_claims = slotted
                    .iter()
                    .filter(|t| taken.contains(&t.task_id))
                    .count();
                let lost = instants.iter().any(|t| !taken.contains(&t.task_id))
                    || (room > slot_claims && slot_claims < slotted.len());
                claimed.sort_by_key(|t| t.task_id);
                let mut progressed = false;
                for task in claimed {
                    let launch = match u.prepare(&task) {
                        Ok(Some(launch)) => launch,
                        Ok(None) => continue,
                        Err(e) => {
                            tracing::error!("preparing task {} failed: {e}", task.task_id);
                            continue;
                        }
                    };
                    let activity = launch.plan.at(launch.index);
                    let input = crate::activities::InstantInput {
                        data: &launch.data,
                        iteration: launch.iteration,
                        now,
                    };
                    let instant = crate::activities::instant(activity, input);
                    let sub_workflow = matches!(activity.config, ActivityConfig::SubWorkflow(_));
                    if instant.is_none() && !sub_workflow && started.len() >= capacity {
                        passed.insert(task.task_id);
                        continue; // no slot free: it stays ready for a later round
                    }
                    let args = serde_json::to_value(&activity.config).unwrap_or(Value::Null);
                    let args = args.get("config").cloned().unwrap_or(Value::Null);
                    let me = TaskRef {
                        id: launch.task_id,
                        run: launch.run.as_ref(),
                        activity_id: &activity.id,
                    };
                    let result = u.unit(|p| {
                        p.tx.start_attempt(me, launch.attempt, &args, p.now)?;
                        if let Some(outcome) = &instant {
                            record_outcome(p, launch.task_id, outcome)?;
                            return Ok(false);
                        }
                        if let ActivityConfig::SubWorkflow(config) = &activity.config {
                            // Not run by an activity: the engine makes the called run and waits.
                            match sub_workflow_params(&activity.id, config, &launch.data) {
                                Ok(params) => {
                                    p.call_sub_workflow(launch.task_id, config, params)?
                                }
                                Err(message) => p.fail(
                                    launch.task_id,
                                    FailureReport::message(&message),
                                    Failure::Config,
                                )?,
                            }
                            return Ok(false);
                        }
                        Ok(true)
                    });
                    match result {
                        Ok(true) => started.push(launch),
                        Ok(false) => {
                            progressed = true;
                            budget = budget.saturating_sub(1);
                        }
                        Err(e) => tracing::error!("starting task {} failed: {e}", launch.task_id),
                    }
                    if budget == 0 {
                        break;
                    }
                }
                if budget == 0 || !(progressed || (lost && more_behind)) {
                    break;
                }
            }
            if budget < INSTANT_STEPS_PER_ROUND {
                u.unit(|p| p.finish_stopped_workflows())?;
            }
            Ok((started, budget == 0))
        })?;
        let (started, more) = started;
        if shared {
            if full_scan {
                self.next_full_ready_scan = now + FULL_READY_SCAN_EVERY_MS;
            }
            if let Some(lowest) = lowest {
                self.ready_floor = lowest;
            }
        }
        if more {
            // More instant work is waiting: come back at once, after commands and outcomes.
            self.engine.inner.wake.notify_one();
        }
        for launch in started {
            self.spawn(launch, now);
        }
        Ok(())
    }

    fn spawn(&mut self, launch: Launch, now: Millis) {
        let Launch {
            task_id,
            attempt,
            run,
            plan,
            index,
            data,
            iteration,
            inputs,
        } = launch;
        let activity = plan.at(index).clone();
        let cancel = self.engine.inner.shutdown.child_token();
        self.inflight.insert(
            task_id,
            Inflight {
                cancel: cancel.clone(),
            },
        );
        let ctx = ActivityContext {
            workflow_id: run.workflow_id.clone(),
            run_id: run.id,
            task_id,
            activity_id: activity.id.clone(),
            attempt,
            iteration,
            idempotency_key: format!("weft-{}-{task_id}", run.id),
            cancel: cancel.clone(),
            data,
            outbox: self.engine.inner.options.outbox.clone(),
            logs: self.logs_tx.clone(),
            pids: self.pids_tx.clone(),
            notifier: self.engine.inner.options.notifier.clone(),
            now,
            clock: self.engine.inner.options.clock.clone(),
            store: self.engine.inner.store.clone(),
            inputs,
        };
        let runner = self.engine.inner.options.runner.clone();
        let clock = self.engine.inner.options.clock.clone();
        let timeout = activity.timeout.or(plan.timeout);
        let done_tx = self.done_tx.clone();
        let span = tracing::info_span!("task", run = run.id, task = task_id, activity = %activity.id, attempt);
        tokio::spawn(tracing::Instrument::instrument(
            async move {
                let mut work = std::pin::pin!(runner.run(&activity, ctx));
                let result = match timeout {
                    None => work.await,
                    Some(limit) => {
                        let deadline = clock.now_ms() + limit.as_duration().as_millis() as Millis;
                        tokio::select! {
                            r = &mut work => r,
                            () = clock.sleep_until(deadline) => {
                                // Let the activity clean up (kill its processes) before
                                // reporting the timeout.
                                cancel.cancel();
                                let _ = work.await;
                                Err(ActivityError::failed(format!("timed out after {limit}")))
                            }
                        }
                    }
                };
                let _ = done_tx.send(Done {
                    task_id,
                    attempt,
                    result,
                });
            },
            span,
        ));
    }

    /// Records the outcomes of finished attempts, each a unit of one transaction.
    fn finish(&mut self, batch: Vec<Done>) {
        crate::fault::point("task:after-effect");
        for done in &batch {
            self.inflight.remove(&done.task_id);
        }
        if batch.iter().any(|d| d.result.is_err()) {
            // A failed attempt may be ready again (a retry) at its old id.
            self.next_full_ready_scan = 0;
        }
        let mut again = Vec::new();
        let lines = self.taken_logs();
        let result = self.transaction(|u| {
            again.clear();
            if let Err(e) = u.write_logs(&lines) {
                tracing::warn!("writing {} log line(s) failed: {e}", lines.len());
            }
            for (index, done) in batch.iter().enumerate() {
                let (task_id, attempt) = (done.task_id, done.attempt);
                let recorded = u.unit(|p| {
                    // On a shared store another server may have taken the task over after this
                    // one's lease lapsed: then its outcome is theirs to record, not this one.
                    if !p.tx.holds_lease(task_id, attempt)? {
                        return Ok(false);
                    }
                    record_outcome(p, task_id, &done.result)?;
                    Ok(true)
                });
                match recorded {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        "task {task_id}: attempt {attempt} was taken over by another server; its outcome here is dropped"
                    ),
                    // Another transaction held the run: recorded in a later round, not lost.
                    Err(e) if e.is_busy() => again.push(index),
                    Err(e) => tracing::error!("recording the end of task {task_id} failed: {e}"),
                }
            }
            // A workflow stopping once this was its last task is finished by the round that
            // follows (see `RoundPoll::workflows_stopping`).
            Ok(())
        });
        match result {
            Ok(()) => {
                let mut batch: Vec<Option<Done>> = batch.into_iter().map(Some).collect();
                self.unrecorded
                    .extend(again.into_iter().filter_map(|i| batch[i].take()));
            }
            Err(e) if e.is_busy() => {
                tracing::warn!(
                    "recording the end of {} task(s) met a busy store: later",
                    batch.len()
                );
                self.unrecorded.extend(batch);
                self.keep_logs(lines);
            }
            Err(e) => {
                tracing::error!("recording the end of {} task(s) failed: {e}", batch.len());
            }
        }
    }

    /// Renews the leases of the tasks this server runs (shared store). A task whose lease is
    /// no longer this server's (taken over after a stall, or stopped by a command another
    /// server applied) is cancelled here: its outcome would not be recorded anyway.
    fn renew_leases(&mut self, now: Millis) {
        let mine: Vec<i64> = self.inflight.keys().copied().collect();
        if mine.is_empty() {
            return;
        }
        match self
            .engine
            .inner
            .store
            .write(|tx| tx.renew_leases(&mine, now))
        {
            Ok((held, _)) => {
                for task_id in mine.iter().filter(|t| !held.contains(t)) {
                    if let Some(inflight) = self.inflight.get(task_id) {
                        tracing::warn!(
                            "task {task_id} is no longer this server's: cancelling it here"
                        );
                        inflight.cancel.cancel();
                    }
                }
            }
            Err(e) => tracing::warn!("renewing {} lease(s) failed: {e}", mine.len()),
        }
    }

    /// Takes over the tasks of servers that stopped renewing their leases (shared store): each
    /// is interrupted here — run again, or failed by its `on_interrupt: fail` rule and the
    /// interruption limit — exactly as recovery after a crash does for a single owner.
    fn take_over_lapsed(&mut self) -> store::Result<()> {
        let now = self.now();
        let mut full_again = false;
        let result = self.transaction(|u| {
            let lapsed = u.tx.take_over_lapsed(now)?;
            // Ready again at their old ids: the next read of the queue starts from the top.
            full_again = !lapsed.is_empty();
            for (task_id, run_id) in lapsed {
                tracing::warn!(
                    "task {task_id} of run {run_id}: its server's lease lapsed; taken over here"
                );
                let report = FailureReport::message(
                    "interrupted: the server running this task stopped (its lease lapsed)",
                );
                if let Err(e) = u.unit(|p| p.fail(task_id, report, Failure::Interrupted)) {
                    tracing::error!("taking over task {task_id} failed: {e}");
                }
            }
            Ok(())
        });
        if full_again {
            self.next_full_ready_scan = 0;
        }
        result
    }

    /// Keeps log lines (with those waiting in the channel) for the next transaction that
    /// records outcomes; at the latest they are written [`LOG_DELAY_MS`] after the first.
    fn take_logs(&mut self, mut lines: Vec<LogMessage>) {
        while let Ok(line) = self.logs_rx.try_recv() {
            lines.push(line);
        }
        if lines.is_empty() {
            return;
        }
        if self.pending_logs.is_empty() {
            self.logs_due = Some(self.now() + LOG_DELAY_MS);
        }
        self.pending_logs.extend(lines);
    }

    /// Writes the log lines kept so far, in a transaction of their own.
    fn flush_logs(&mut self) {
        self.take_logs(Vec::new());
        if self.pending_logs.is_empty() {
            return;
        }
        let lines = self.taken_logs();
        match self.transaction(|u| u.write_logs(&lines)) {
            Ok(()) => {}
            Err(e) if e.is_busy() => self.keep_logs(lines),
            Err(e) => tracing::warn!("writing {} log line(s) failed: {e}", lines.len()),
        }
    }

    /// Puts back log lines a transaction could not write, before any kept since.
    fn keep_logs(&mut self, mut lines: Vec<LogMessage>) {
        if lines.is_empty() {
            return;
        }
        lines.append(&mut self.pending_logs);
        self.pending_logs = lines;
        self.logs_due = Some(self.now() + LOG_DELAY_MS);
    }

    /// The log lines kept so far, handed to a transaction that writes them.
    fn taken_logs(&mut self) -> Vec<LogMessage> {
        self.logs_due = None;
        std::mem::take(&mut self.pending_logs)
    }

    fn record_pids(&mut self, first: PidReport) {
        let mut reports = vec![first];
        while let Ok(more) = self.pids_rx.try_recv() {
            reports.push(more);
        }
        let result = self.engine.inner.store.write(|tx| {
            for r in &reports {
                tx.set_attempt_pid(r.task_id, r.attempt, r.pid)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            tracing::warn!("recording {} process id(s) failed: {e}", reports.len());
        }
    }

    /// After a crash: what the previous owner's attempts left running is killed; running tasks
    /// are interrupted (run again, or failed when they say `on_interrupt: fail`); stopping
    /// workflows finish stopping; runs with nothing left end. Finished tasks are never re-run.
    fn recover(&mut self) -> store::Result<()> {
        if self.shared {
            // Other servers are running their tasks and processes: nothing here is a leftover.
            // A stopped server's tasks are taken over when their leases lapse (each round).
            return self.transaction(|u| {
                u.unit(|p| p.finish_stopped_workflows())?;
                for run_id in u.reads().all_active_runs()? {
                    u.unit(|p| p.check_run_done(run_id))?;
                }
                Ok(())
            });
        }
        // Process groups a crashed owner left behind would otherwise run on, and their re-run
        // would run beside them.
        for pid in self.engine.inner.store.read(|r| r.running_attempt_pids())? {
            if pid > 1 && pid <= i32::MAX as u32 {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        // And whatever left those groups (setsid, double fork) but still carries this store's
        // marker: nothing of this process runs yet, so every marked process is a leftover.
        let store_marker = process_tree::store_marker(&self.engine.inner.store.path());
        let killed = process_tree::kill_marked(&store_marker);
        if killed > 0 {
            tracing::warn!("killed {killed} process(es) a previous owner's tasks left running");
        }
        let running = self.engine.inner.store.read(|r| r.running_tasks())?;
        self.transaction(|u| {
            for (task_id, _run) in running {
                let report =
                    FailureReport::message("interrupted: the engine stopped while this task ran");
                if let Err(e) = u.unit(|p| p.fail(task_id, report, Failure::Interrupted)) {
                    tracing::error!("recovering task {task_id} failed: {e}");
                }
            }
            let stopping = u
                .reads()
                .workflows_in_states(&[store::WorkflowState::Stopping])?;
            for wf in stopping {
                u.unit(|p| {
                    for (run_id, _) in p.tx.active_runs(&wf.id)? {
                        p.cancel_run(run_id, "stopped")?;
                    }
                    Ok(())
                })?;
            }
            u.unit(|p| p.finish_stopped_workflows())?;
            for run_id in u.reads().all_active_runs()? {
                u.unit(|p| p.check_run_done(run_id))?;
            }
            Ok(())
        })
    }
}

/// What a ready task needs to start, read before the transaction that starts it.
struct Launch {
    task_id: i64,
    attempt: u32,
    run: store::runs::RunRow,
    plan: Arc<Plan>,
    index: usize,
    data: Arc<Value>,
    iteration: u32,
    inputs: Vec<crate::activities::data::InputSet>,
}

/// The record sets arriving at an activity: for each taken incoming transition, the latest
/// finished task of its source and the port.
pub(crate) fn input_sets(
    conn: &dyn StoreRead,
    run_id: i64,
    plan: &Plan,
    index: usize,
) -> store::Result<Vec<crate::activities::data::InputSet>> {
    let activity_id = &plan.at(index).id;
    let edges = conn.incoming_edges(run_id, activity_id)?;
    let mut inputs = Vec::new();
    for t in plan.incoming(index) {
        let taken = edges
            .iter()
            .any(|(from, port, n, _)| from == &t.from && port == &t.port && *n > 0);
        if !taken {
            continue;
        }
        if let Some(source) = conn.latest_result(run_id, &t.from)? {
            inputs.push(crate::activities::data::InputSet {
                from: t.from.clone(),
                task_id: source.id,
                port: t.port.clone(),
            });
        }
    }
    Ok(inputs)
}

/// `params`, `vars`, `tasks` (the latest result of each activity the expressions name) and
/// `run`, for templates; and the loop iteration. Reads only what the activity's expressions
/// refer to, so the cost of a step does not grow with the run.
fn expression_data(
    conn: &dyn StoreRead,
    run: &store::runs::RunRow,
    plan: &Plan,
    index: usize,
) -> store::Result<(Arc<Value>, u32)> {
    let activity = plan.at(index);
    let mut task_map = Map::new();
    let mut put = |t: crate::store::TaskRecord| {
        task_map.insert(t.activity_id.clone(), json!({"result": t.result, "status": t.status, "port": t.port, "recordCount": t.record_count, "stdout": t.stdout}));
    };
    match plan.task_refs(index) {
        TaskRefs::Some(names) => {
            for name in names {
                if let Some(t) = conn.latest_result(run.id, name)? {
                    put(t);
                }
            }
        }
        TaskRefs::All => {
            for t in conn.tasks_of_run(run.id)? {
                if matches!(t.status, TaskStatus::Succeeded | TaskStatus::Failed) {
                    put(t);
                }
            }
        }
    }
    let iteration = if matches!(activity.config, ActivityConfig::Loop(_)) {
        conn.ended_count(run.id, &activity.id)?
    } else {
        0
    };
    let data = json!({
        "params": run.params,
        "vars": run.vars,
        "tasks": Value::Object(task_map),
        "run": {"id": run.id, "workflow": run.workflow_id, "workflowName": plan.name, "trigger": run.trigger, "simulate": run.simulate},
    });
    Ok((Arc::new(data), iteration))
}

/// The parameters a sub-workflow call passes, rendered from its templates.
fn sub_workflow_params(
    activity_id: &str,
    config: &crate::model::SubWorkflowConfig,
    data: &Value,
) -> Result<Value, String> {
    let mut params = serde_json::Map::new();
    for (name, template) in &config.params {
        let text = crate::expr::render(
            crate::expr::Site {
                activity: activity_id,
                field: "params",
            },
            template,
            data,
        )
        .map_err(|e| e.to_string())?;
        params.insert(
            name.clone(),
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        );
    }
    Ok(Value::Object(params))
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
