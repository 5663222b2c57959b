//! The store interface: what the executor, the scheduler and the operations API may ask of a
//! store, as traits per concern — reads ([`WorkflowReads`], [`RunReads`], …) and writes
//! ([`WorkflowWrites`], [`RunWrites`], …) — gathered into [`StoreRead`] (a read connection or a
//! transaction) and [`StoreWrite`] (a transaction). A backend implements them all; nothing
//! outside a backend's own module names its database library. The conformance suite
//! ([`super::conformance`]) checks a backend against this contract.

use super::firings::Firing;
use super::runs::{NewRun, RunHead, RunQueue, RunRow};
use super::tasks::{
    ActiveTask, EdgeRef, NewApproval, ReadyTask, RoundPoll, RunRef, TaskEnd, TaskRef, TaskState,
};
use super::timeline::{TimelineCursor, TimelineEntry};
use super::tokens::{StoredToken, TokenInfo};
use super::workflows::{NameSeries, WorkflowRow};
use super::{
    ApprovalRecord, AttemptRecord, CommandRecord, EdgeRecord, Event, EventBody, LogLine, Millis,
    Result, RunDetail, RunFilter, RunPage, RunStatus, RunSummary, StoreSize, TaskRecord,
    WaitReason, WorkflowState, WorkflowSummary,
};
use crate::command::{Command, CommandOutcome};
use crate::contacts::{Contact, Filter};
use crate::model::WorkflowFile;
use std::collections::HashMap;

/// Workflows and their revisions, read.
pub trait WorkflowReads {
    /// A workflow's row (state, latest revision, flags).
    fn workflow_row(&self, id: &str) -> Result<WorkflowRow>;
    /// Workflows in any of these states.
    fn workflows_in_states(&self, states: &[WorkflowState]) -> Result<Vec<WorkflowRow>>;
    /// One revision's body.
    fn revision_body(&self, id: &str, revision: i64) -> Result<WorkflowFile>;
    /// The latest revision number and body.
    fn latest_body(&self, id: &str) -> Result<(i64, WorkflowFile)>;
    /// Revision numbers and save times, newest first.
    fn revisions(&self, id: &str) -> Result<Vec<super::workflows::RevisionInfo>>;
    /// The id of the workflow with this id or, failing that, this name.
    fn find_workflow_id(&self, id_or_name: &str) -> Result<Option<String>>;
    /// The id of the workflow bearing exactly this name.
    fn workflow_id_by_name(&self, name: &str) -> Result<Option<String>>;
    /// The first name of a series from `base` that no workflow bears.
    fn free_name(&self, base: &str, series: NameSeries) -> Result<String>;
    /// Every workflow's card, by name (commands left empty).
    fn list_workflows(&self) -> Result<Vec<WorkflowSummary>>;
    /// One workflow's card (commands left empty).
    fn workflow_summary(&self, id: &str) -> Result<WorkflowSummary>;
}

/// Workflows and their revisions, written.
pub trait WorkflowWrites {
    /// Creates a workflow with its first revision; returns the revision (1).
    fn insert_workflow(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64>;
    /// Saves a new revision; returns its number.
    fn insert_revision(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64>;
    /// Changes a workflow's life-cycle state.
    fn set_workflow_state(&mut self, id: &str, state: WorkflowState, now: Millis) -> Result<()>;
    /// Sets the simulation flag and the restart-requested flag (those given).
    fn set_workflow_flags(
        &mut self,
        id: &str,
        simulate: Option<bool>,
        restart_requested: Option<bool>,
    ) -> Result<()>;
    /// Renames a workflow (a new revision).
    fn rename_workflow(&mut self, id: &str, name: &str, now: Millis) -> Result<()>;
    /// Deletes a workflow with its history.
    fn delete_workflow(&mut self, id: &str, now: Millis) -> Result<()>;
    /// Records which front door saved a revision, and why.
    fn set_revision_origin(
        &mut self,
        id: &str,
        revision: i64,
        source: &str,
        note: Option<&str>,
    ) -> Result<()>;
}

/// Runs, read.
pub trait RunReads {
    /// A page of the runs history after `cursor` (keyset).
    fn list_runs(&self, filter: &RunFilter, cursor: Option<i64>, limit: u32) -> Result<RunPage>;
    /// How many runs match a filter.
    fn count_runs(&self, filter: &RunFilter) -> Result<u64>;
    /// A run's history row.
    fn run_summary(&self, run_id: i64) -> Result<RunSummary>;
    /// A run with parameters, variables, error and progress.
    fn run_detail(&self, run_id: i64) -> Result<RunDetail>;
    /// What the executor needs about a run (no JSON).
    fn run_head(&self, run_id: i64) -> Result<RunHead>;
    /// A run with its parameters and variables.
    fn run_row(&self, run_id: i64) -> Result<RunRow>;
    /// A workflow's runs not ended, oldest first.
    fn active_runs(&self, workflow_id: &str) -> Result<Vec<(i64, RunStatus)>>;
    /// Where a workflow's run queue stands, without listing its runs.
    fn run_queue(&self, workflow_id: &str) -> Result<RunQueue>;
    /// The run a sub-workflow task called, while active.
    fn active_child_run(&self, task_id: i64) -> Result<Option<i64>>;
    /// How many runs of each workflow have not ended.
    fn active_run_counts(&self) -> Result<HashMap<String, usize>>;
    /// Every run running or waiting, across workflows.
    fn all_active_runs(&self) -> Result<Vec<i64>>;
}

/// Runs, written.
pub trait RunWrites {
    /// Inserts a run; returns its id.
    fn insert_run(&mut self, run: &NewRun<'_>, now: Millis) -> Result<i64>;
    /// Changes a run's status (no event when it does not change).
    fn set_run_status(
        &mut self,
        run: RunRef<'_>,
        status: RunStatus,
        error: Option<&str>,
        now: Millis,
    ) -> Result<()>;
    /// Replaces a run's variables.
    fn set_run_vars(&mut self, run_id: i64, vars: &serde_json::Value) -> Result<()>;
    /// Keeps a workflow's finished runs within a retention policy; returns how many went.
    fn prune_history(
        &mut self,
        workflow_id: &str,
        keep_runs: Option<u32>,
        older_than: Option<Millis>,
    ) -> Result<usize>;
    /// Deletes a workflow's finished runs; returns how many.
    fn purge_finished_runs(&mut self, workflow_id: &str) -> Result<usize>;
}

/// Tasks, attempts, logs, transitions and approvals, read.
pub trait TaskReads {
    /// One task.
    fn task(&self, task_id: i64) -> Result<TaskRecord>;
    /// A run's tasks in scheduling order.
    fn tasks_of_run(&self, run_id: i64) -> Result<Vec<TaskRecord>>;
    /// The latest task of an activity that ended with a result (succeeded or failed).
    fn latest_result(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>>;
    /// The latest succeeded task of an activity.
    fn latest_success(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>>;
    /// Whether a run has a task of an activity.
    fn has_task(&self, run_id: i64, activity_id: &str) -> Result<bool>;
    /// How many tasks of an activity in a run have ended.
    fn ended_count(&self, run_id: i64, activity_id: &str) -> Result<u32>;
    /// A task's attempts, first first.
    fn attempts(&self, task_id: i64) -> Result<Vec<AttemptRecord>>;
    /// A run's log lines, optionally of one activity.
    fn logs(&self, run_id: i64, activity_id: Option<&str>) -> Result<Vec<LogLine>>;
    /// One activity's log lines across a workflow's runs, newest first.
    fn activity_logs(
        &self,
        workflow_id: &str,
        activity_id: &str,
        limit: u32,
    ) -> Result<Vec<LogLine>>;
    /// A run's transitions.
    fn edges(&self, run_id: i64) -> Result<Vec<EdgeRecord>>;
    /// Up to `limit` entries of a run's timeline after `after`, in timeline order
    /// ([`super::timeline`]), each with its cursor.
    fn timeline(
        &self,
        run_id: i64,
        after: TimelineCursor,
        limit: u32,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>>;
    /// The recorded transitions into an activity: (from, port, taken, dead).
    fn incoming_edges(
        &self,
        run_id: i64,
        activity_id: &str,
    ) -> Result<Vec<(String, String, i64, bool)>>;
    /// Ready tasks whose time has come, of runs and workflows that may go on, in id order,
    /// from id `from_id` on (0: all). A plain read: nothing is claimed (see
    /// [`TaskReads::claim_ready_tasks`]).
    fn due_ready_tasks(&self, now: Millis, from_id: i64, limit: u32) -> Result<Vec<ReadyTask>>;
    /// Of the tasks `ids`, the first `limit` (in id order) that are still ready, due and of
    /// runs and workflows that may go on. In a write transaction this is the claim: on a
    /// shared store each one returned is locked with its run until the commit, and those
    /// another transaction holds are skipped (never waited for), so servers asking for the
    /// same tasks split them instead of queueing behind each other.
    fn claim_ready_tasks(&self, ids: &[i64], now: Millis, limit: u32) -> Result<Vec<ReadyTask>>;
    /// Waiting tasks whose time has come: (task, run, reason).
    fn due_waiting_tasks(&self, now: Millis) -> Result<Vec<(i64, i64, WaitReason)>>;
    /// The earliest wake time of a ready or waiting task.
    fn next_wake(&self) -> Result<Option<Millis>>;
    /// Whether commands are pending and a workflow is stopping, and the first wake time of a
    /// waiting task, in one read: a round of the executor asks the rest only when these say so.
    fn round_poll(&self) -> Result<RoundPoll>;
    /// A run's active tasks.
    fn active_tasks_of_run(&self, run_id: i64) -> Result<Vec<ActiveTask>>;
    /// Whether any run of a workflow has a task running.
    fn workflow_has_running_task(&self, workflow_id: &str) -> Result<bool>;
    /// Process groups of attempts still marked running.
    fn running_attempt_pids(&self) -> Result<Vec<u32>>;
    /// Tasks left running: (task, run).
    fn running_tasks(&self) -> Result<Vec<(i64, i64)>>;
    /// Approvals waiting, oldest first (optionally of one workflow).
    fn open_approvals(&self, workflow_id: Option<&str>) -> Result<Vec<ApprovalRecord>>;
    /// One approval.
    fn approval(&self, task_id: i64) -> Result<Option<ApprovalRecord>>;
    /// The outcome an approval takes at its deadline (`approve` or `reject`).
    fn approval_default(&self, task_id: i64) -> Result<Option<String>>;
    /// Whether this process still holds the lease of a task's attempt. On a store several
    /// servers share ([`Backend::shares_work`]) another one may have taken the task over after
    /// the lease lapsed; then this process's outcome is not recorded. A store with one executor
    /// always says yes.
    fn holds_lease(&self, _task_id: i64, _attempt: u32) -> Result<bool> {
        Ok(true)
    }
}

/// Tasks, attempts, logs, transitions and approvals, written.
pub trait TaskWrites {
    /// Inserts a task; returns its id.
    fn insert_task(
        &mut self,
        run: RunRef<'_>,
        activity_id: &str,
        state: TaskState,
        now: Millis,
    ) -> Result<i64>;
    /// Copies a succeeded task of an earlier run (restart from a task).
    fn insert_reused_task(
        &mut self,
        run: RunRef<'_>,
        from: &TaskRecord,
        now: Millis,
    ) -> Result<i64>;
    /// A task starts an attempt.
    fn start_attempt(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        args: &serde_json::Value,
        now: Millis,
    ) -> Result<()>;
    /// Closes an attempt with a status.
    fn end_attempt(
        &mut self,
        task_id: i64,
        attempt: u32,
        status: &str,
        end: &TaskEnd<'_>,
        now: Millis,
    ) -> Result<()>;
    /// Sets a task's status and outcome fields.
    fn set_task_status(
        &mut self,
        task: TaskRef<'_>,
        state: TaskState,
        end: &TaskEnd<'_>,
        now: Millis,
    ) -> Result<()>;
    /// Moves a task's wake time (Execute pending now).
    fn set_task_wake(
        &mut self,
        task_id: i64,
        status: crate::store::TaskStatus,
        wake_at: Option<Millis>,
    ) -> Result<()>;
    /// Counts an interruption by the engine; returns how many the task has had.
    fn count_interruption(&mut self, task_id: i64) -> Result<u32>;
    /// Records an attempt's process group.
    fn set_attempt_pid(&mut self, task_id: i64, attempt: u32, pid: u32) -> Result<()>;
    /// Appends a log line (bounded per attempt).
    fn append_log(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        level: &str,
        message: &str,
        now: Millis,
    ) -> Result<()>;
    /// Marks a transition taken (`Some(records)`) or dead (`None`).
    fn mark_edge(
        &mut self,
        run: RunRef<'_>,
        edge: EdgeRef<'_>,
        taken: Option<Option<i64>>,
        now: Millis,
    ) -> Result<()>;
    /// Opens an approval.
    fn insert_approval(&mut self, approval: &NewApproval<'_>, now: Millis) -> Result<()>;
    /// Records a decision; false when already decided.
    fn decide_approval(
        &mut self,
        task_id: i64,
        decision: &str,
        comment: Option<&str>,
        by: Option<&str>,
        now: Millis,
    ) -> Result<bool>;
    /// Takes over running tasks whose lease lapsed before `now` (their server stopped renewing
    /// it): each is leased to this process and returned as (task, run), for the caller to
    /// interrupt in this transaction. Never returns a task another transaction holds. A store
    /// with one executor has no leases and returns nothing (its owner recovers on start).
    fn take_over_lapsed(&mut self, _now: Millis) -> Result<Vec<(i64, i64)>> {
        Ok(Vec::new())
    }
    /// Renews this process's leases on these tasks (those it runs) until `now` +
    /// [`LEASE_MS`](super::tasks::LEASE_MS); returns those it still holds (the others were
    /// taken over or ended elsewhere).
    fn renew_leases(&mut self, _tasks: &[i64], _now: Millis) -> Result<Vec<i64>> {
        Ok(_tasks.to_vec())
    }
    /// Gives up this process's leases at once (a clean shutdown), so that other servers take
    /// its tasks over without waiting for the leases to lapse.
    fn release_leases(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The command queue, read.
pub trait CommandReads {
    /// Commands not applied yet, in order.
    fn pending_commands(&self, limit: u32) -> Result<Vec<CommandRecord>>;
    /// One command.
    fn command(&self, id: i64) -> Result<CommandRecord>;
}

/// The command queue, written.
pub trait CommandWrites {
    /// Queues a command; returns its id.
    fn enqueue_command(
        &mut self,
        workflow_id: Option<&str>,
        command: &Command,
        now: Millis,
    ) -> Result<i64>;
    /// Marks a command applied with its outcome (with its event).
    fn mark_command(
        &mut self,
        id: i64,
        workflow_id: Option<&str>,
        outcome: &CommandOutcome,
        now: Millis,
    ) -> Result<()>;
    /// Records that an owner session begins applying these commands.
    fn begin_applying(&mut self, ids: &[i64], session: i64) -> Result<()>;
    /// Drops applied commands older than the newest [`COMMANDS_KEPT`](super::events::COMMANDS_KEPT)
    /// (by id); a pending command is never dropped. Returns how many went.
    fn prune_commands(&mut self) -> Result<usize>;
}

/// The numbered event log, read.
pub trait EventReads {
    /// Events after `seq`, in order.
    fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<Event>>;
    /// The newest sequence number (0 when none).
    fn last_seq(&self) -> Result<i64>;
}

/// The event log and the transaction itself, written.
pub trait EventWrites {
    /// Records an event in this transaction; it is published after commit.
    fn emit(
        &mut self,
        at: Millis,
        workflow_id: Option<&str>,
        run_id: Option<i64>,
        task_id: Option<i64>,
        body: EventBody,
    ) -> Result<()>;
    /// Drops events beyond the number kept.
    fn prune_events(&mut self) -> Result<usize>;
}

/// Schedule firings, read.
pub trait FiringReads {
    /// The latest recorded fire time of a schedule trigger.
    fn last_fire_time(&self, workflow_id: &str, activity_id: &str) -> Result<Option<Millis>>;
    /// A workflow's firings, newest first.
    fn firings(&self, workflow_id: &str, limit: u32) -> Result<Vec<Firing>>;
}

/// Schedule firings, written.
pub trait FiringWrites {
    /// Records a fire time; false when it was recorded before (never twice).
    fn record_firing(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        outcome: &str,
    ) -> Result<bool>;
    /// Says what a recorded fire time made.
    fn set_firing_run(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        fire_time: Millis,
        run_id: Option<i64>,
        outcome: &str,
    ) -> Result<()>;
}

/// Access tokens of the HTTP bridge, read ([`crate::ops::tokens`]).
pub trait TokenReads {
    /// Every token, by name.
    fn tokens(&self) -> Result<Vec<TokenInfo>>;
    /// The token whose public id is `id`, with its secret's hash (one indexed look-up).
    fn token_by_id(&self, id: &str) -> Result<Option<StoredToken>>;
    /// Every operator, by name.
    fn operators(&self) -> Result<Vec<super::tokens::Operator>>;
    /// One operator.
    fn operator(&self, name: &str) -> Result<Option<super::tokens::Operator>>;
}

/// Access tokens of the HTTP bridge, written.
pub trait TokenWrites {
    /// Stores a new token; false when a token already bears this name (nothing is written).
    fn insert_token(
        &mut self,
        name: &str,
        id: &str,
        hash: &[u8],
        read_only: bool,
        operator: Option<&str>,
        now: Millis,
    ) -> Result<bool>;
    /// Deletes a token by name; false when there was none. Requests look their token up each
    /// time, so the next one bearing it is refused.
    fn delete_token(&mut self, name: &str) -> Result<bool>;
    /// Stores a new operator; false when one already bears this name (nothing is written).
    fn insert_operator(&mut self, operator: &super::tokens::Operator) -> Result<bool>;
    /// Deletes an operator and every token of theirs; false when there was none.
    fn delete_operator(&mut self, name: &str) -> Result<bool>;
}

/// Who owns the store, and when owners ran.
pub trait OwnerReads {
    /// The owner row: (owner id, pid, heartbeat).
    fn owner_row(&self) -> Result<Option<(String, i64, Millis)>>;
    /// Owner sessions overlapping `[from, to]`: (started, known to run until), oldest first.
    fn sessions_between(&self, from: Millis, to: Millis) -> Result<Vec<(Millis, Millis)>>;
    /// When a session was last seen.
    fn session_last_seen(&self, session: i64) -> Result<Option<Millis>>;
}

/// Who owns the store, written.
pub trait OwnerWrites {
    /// Takes the owner row for `owner`.
    fn set_owner(&mut self, owner: &str, pid: i64, now: Millis) -> Result<()>;
    /// Refreshes `owner`'s heartbeat; false when it no longer holds the row.
    fn owner_heartbeat(&mut self, owner: &str, now: Millis) -> Result<bool>;
    /// Gives the owner row back (when `owner` holds it).
    fn clear_owner(&mut self, owner: &str) -> Result<()>;
    /// Opens an owner session; returns its id.
    fn open_session(&mut self, owner: &str, pid: i64, now: Millis) -> Result<i64>;
    /// Moves a session's last sign of life.
    fn touch_session(&mut self, session: i64, now: Millis) -> Result<()>;
    /// Ends a session at `at` (its last sign of life when `None`).
    fn end_session(&mut self, session: i64, at: Option<Millis>) -> Result<()>;
}

/// Event triggers' memory, read: webhook secrets, contact events and cursors.
pub trait TriggerReads {
    /// A webhook trigger's secret token.
    fn trigger_secret(&self, workflow_id: &str, activity_id: &str) -> Result<Option<String>>;
    /// The last contact event a record trigger has seen.
    fn trigger_cursor(&self, workflow_id: &str, activity_id: &str) -> Result<Option<i64>>;
    /// Contact events after `cursor`: (event id, contact id, status, kind).
    fn contact_events_after(
        &self,
        cursor: i64,
        limit: u32,
    ) -> Result<Vec<(i64, i64, String, String)>>;
}

/// Event triggers' memory, written.
pub trait TriggerWrites {
    /// Gives a webhook trigger its secret, once.
    fn ensure_trigger_secret(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        token: &str,
    ) -> Result<()>;
    /// Starts a record trigger's cursor at the newest contact event (once).
    fn start_trigger_cursor(&mut self, workflow_id: &str, activity_id: &str) -> Result<()>;
    /// Moves a record trigger's cursor.
    fn set_trigger_cursor(&mut self, workflow_id: &str, activity_id: &str, last: i64)
        -> Result<()>;
    /// Records a file seen by a file trigger; false when it was seen before.
    fn record_seen_file(&mut self, seen: &SeenFile<'_>, now: Millis) -> Result<bool>;
    /// Says which run a seen file made.
    fn set_seen_file_run(&mut self, seen: &SeenFile<'_>, run_id: Option<i64>) -> Result<()>;
}

/// A file a file trigger found: unique by (workflow, trigger, path, size, modified).
#[derive(Clone, Copy, Debug)]
pub struct SeenFile<'a> {
    /// Workflow.
    pub workflow_id: &'a str,
    /// The file trigger.
    pub activity_id: &'a str,
    /// Its path.
    pub path: &'a str,
    /// Its size.
    pub size: i64,
    /// Its modification time (ms).
    pub modified: Millis,
}

/// The contacts database, read.
pub trait ContactReads {
    /// One contact.
    fn contact(&self, id: i64) -> Result<Option<Contact>>;
    /// How many contacts.
    fn count_contacts(&self) -> Result<i64>;
    /// A page of contacts matching a filter, by id after `after`.
    fn list_contacts(
        &self,
        filter: &Filter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Contact>>;
    /// These contacts, by id (those that exist).
    fn contacts_by_ids(&self, ids: &[i64]) -> Result<Vec<Contact>>;
    /// The contacts in the union of record sets, by id.
    fn set_members(&self, sets: &[SetRef]) -> Result<Vec<i64>>;
    /// The ports on which a task made a record set (empty ones included), in name order.
    fn task_ports(&self, task_id: i64) -> Result<Vec<String>>;
}

/// A new contact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewContact {
    /// Email (unique).
    pub email: String,
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Status.
    pub status: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Custom fields.
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// When it was created (now when `None`).
    pub created_at: Option<Millis>,
}

/// The contacts database, written.
pub trait ContactWrites {
    /// Inserts a contact; `None` when its email exists.
    fn insert_contact(&mut self, contact: &NewContact, now: Millis) -> Result<Option<i64>>;
    /// Changes a contact's name, status or tags (those given); returns it after.
    fn update_contact(
        &mut self,
        id: i64,
        name: Option<&str>,
        status: Option<&str>,
        tags: Option<&[String]>,
        now: Millis,
    ) -> Result<Option<Contact>>;
    /// Changes the contacts of these record sets together (status, tags added and removed), in
    /// one statement per change however many they are; returns how many contacts the sets hold.
    fn update_contacts_in(
        &mut self,
        sets: &[SetRef],
        change: &BulkChange<'_>,
        now: Millis,
    ) -> Result<i64>;
    /// Replaces a contact's custom fields.
    fn set_contact_custom(
        &mut self,
        id: i64,
        custom: &serde_json::Map<String, serde_json::Value>,
        now: Millis,
    ) -> Result<()>;
}

/// A change made to many contacts at once (Update data).
#[derive(Clone, Copy, Debug, Default)]
pub struct BulkChange<'a> {
    /// New status.
    pub status: Option<&'a str>,
    /// Tags to add.
    pub add_tags: &'a [String],
    /// Tags to remove.
    pub remove_tags: &'a [String],
}

/// A record set: the contacts a task passed on a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetRef {
    /// The task that produced it.
    pub task_id: i64,
    /// The port.
    pub port: String,
}

/// How record sets combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    /// In any input.
    Union,
    /// In every input.
    Intersection,
    /// In the first input and in no other.
    Exclusion,
}

/// How a Split picks its `match` set (the rest goes to `rest`).
#[derive(Clone, Debug, PartialEq)]
pub enum SplitBy<'a> {
    /// Those matching a filter.
    Filter(&'a Filter),
    /// The first `n`, by id.
    First(i64),
    /// The first `percent` %, by id.
    Percent(u8),
}

/// Record sets of data activities, written: each makes the set (task, port).
pub trait RecordSetWrites {
    /// The contacts matching a filter; returns how many.
    fn query_into_set(&mut self, task_id: i64, port: &str, filter: &Filter) -> Result<i64>;
    /// Combines input sets; returns how many.
    fn combine_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        op: SetOp,
        inputs: &[SetRef],
    ) -> Result<i64>;
    /// Splits the union of the inputs into `match` and `rest`; returns both counts.
    fn split_into_sets(
        &mut self,
        task_id: i64,
        inputs: &[SetRef],
        by: &SplitBy<'_>,
    ) -> Result<(i64, i64)>;
    /// Keeps one contact (the lowest id) per value of a field; returns how many.
    fn dedupe_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        inputs: &[SetRef],
        field: &str,
    ) -> Result<i64>;
    /// Puts these contacts in a set.
    fn add_to_set(&mut self, task_id: i64, port: &str, ids: &[i64]) -> Result<()>;
}

/// The debugger's memory, read: breakpoints beside a workflow, the state of a debug run.
pub trait DebugReads {
    /// A workflow's breakpoints (none when never set).
    fn breakpoints(&self, workflow_id: &str) -> Result<Vec<crate::debug::Breakpoint>>;
    /// A debug run's state; `None` when the run is not a debug run.
    fn debug_state(&self, run_id: i64) -> Result<Option<crate::debug::DebugState>>;
}

/// The debugger's memory, written.
pub trait DebugWrites {
    /// Replaces a workflow's breakpoints.
    fn set_breakpoints(
        &mut self,
        workflow_id: &str,
        breakpoints: &[crate::debug::Breakpoint],
        now: Millis,
    ) -> Result<()>;
    /// Makes a run a debug run, or records its new state.
    fn set_debug_state(&mut self, run_id: i64, state: &crate::debug::DebugState) -> Result<()>;
}

/// Everything readable: a read connection or a transaction.
pub trait StoreRead:
    WorkflowReads
    + RunReads
    + TaskReads
    + CommandReads
    + EventReads
    + FiringReads
    + OwnerReads
    + TriggerReads
    + ContactReads
    + TokenReads
    + DebugReads
{
}

impl<T> StoreRead for T where
    T: WorkflowReads
        + RunReads
        + TaskReads
        + CommandReads
        + EventReads
        + FiringReads
        + OwnerReads
        + TriggerReads
        + ContactReads
        + TokenReads
        + DebugReads
{
}

/// A write transaction: everything readable and writable, and units within it.
pub trait StoreWrite:
    StoreRead
    + WorkflowWrites
    + RunWrites
    + TaskWrites
    + CommandWrites
    + EventWrites
    + FiringWrites
    + OwnerWrites
    + TriggerWrites
    + ContactWrites
    + RecordSetWrites
    + TokenWrites
    + DebugWrites
{
    /// Runs `f` as one unit inside this transaction: when it fails, what it wrote (and the
    /// events it recorded) is rolled back and the rest of the transaction goes on.
    fn unit(&mut self, f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>) -> Result<()>;
    /// This transaction as a read view.
    fn as_read(&self) -> &dyn StoreRead;
}

/// A store backend: opens read views and write transactions.
pub trait Backend: Send + Sync {
    /// Runs `f` on a read view of the last commit.
    fn read_with(&self, f: &mut dyn FnMut(&dyn StoreRead) -> Result<()>) -> Result<()>;
    /// Runs `f` in one write transaction and commits it; returns the events it recorded.
    fn write_with(
        &self,
        f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>,
    ) -> Result<Vec<Event>>;
    /// Where the store lives (a file path, a URL without its password).
    fn location(&self) -> String;
    /// The room the store takes.
    fn size(&self) -> Result<StoreSize>;
    /// Gives free space back (after a purge).
    fn reclaim_space(&self) -> Result<()>;
    /// A short marker of this store for the processes its tasks start (see
    /// [`crate::activities::process_tree`]).
    fn marker_source(&self) -> std::path::PathBuf;
    /// Whether several engines execute this store at once, each claiming ready tasks under a
    /// lease (PostgreSQL), instead of one owner at a time (SQLite).
    fn shares_work(&self) -> bool {
        false
    }
    /// Gives the query planner statistics of the tables that have none yet but have grown;
    /// returns the tables analysed (none when every table has statistics, or the backend keeps
    /// its own).
    fn refresh_statistics(&self) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}
