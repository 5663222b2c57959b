//! Runs and what they hold: the history (keyset pages), one run, its tasks, their attempts, log
//! lines, transition counts, and the schedule firings of a workflow.

use crate::exec::{Engine, Result};
use crate::store::timeline::{TimelineCursor, TimelinePage};
use crate::store::{
    self, AttemptRecord, EdgeRecord, LogLine, RunDetail, RunFilter, RunPage, RunSummary, TaskRecord,
};

/// The most a page of the runs history holds.
pub const MAX_PAGE: u32 = 1_000;

/// The most a page of a run's timeline holds.
pub const MAX_TIMELINE_PAGE: u32 = 5_000;

impl Engine {
    /// A page of the runs history: newest first (oldest first with `filter.ascending`), after
    /// the run `cursor` — the `next` of the previous page. Keyset-paged: the thousandth page
    /// costs what the first does.
    pub fn list_runs(
        &self,
        filter: &RunFilter,
        cursor: Option<i64>,
        limit: u32,
    ) -> Result<RunPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        Ok(self
            .inner
            .store
            .read(|c| c.list_runs(filter, cursor, limit))?)
    }

    /// How many runs match a filter (the cursor and order are ignored).
    pub fn count_runs(&self, filter: &RunFilter) -> Result<u64> {
        Ok(self.inner.store.read(|c| c.count_runs(filter))?)
    }

    /// A run's row as the history lists it.
    pub fn run_summary(&self, run_id: i64) -> Result<RunSummary> {
        Ok(self.inner.store.read(|c| c.run_summary(run_id))?)
    }

    /// A run with its parameters, variables, error and progress.
    pub fn run(&self, run_id: i64) -> Result<RunDetail> {
        Ok(self.inner.store.read(|c| c.run_detail(run_id))?)
    }

    /// A run's tasks, in the order they were scheduled.
    pub fn run_tasks(&self, run_id: i64) -> Result<Vec<TaskRecord>> {
        Ok(self.inner.store.read(|c| c.tasks_of_run(run_id))?)
    }

    /// One task.
    pub fn task(&self, task_id: i64) -> Result<TaskRecord> {
        Ok(self.inner.store.read(|c| c.task(task_id))?)
    }

    /// A task's attempts, first first.
    pub fn task_attempts(&self, task_id: i64) -> Result<Vec<AttemptRecord>> {
        Ok(self.inner.store.read(|c| c.attempts(task_id))?)
    }

    /// A run's log lines, optionally of one activity, in order.
    pub fn run_logs(&self, run_id: i64, activity_id: Option<&str>) -> Result<Vec<LogLine>> {
        Ok(self.inner.store.read(|c| c.logs(run_id, activity_id))?)
    }

    /// One activity's log lines across the runs of its workflow (Display logs), newest first.
    pub fn activity_logs(
        &self,
        workflow_id: &str,
        activity_id: &str,
        limit: u32,
    ) -> Result<Vec<LogLine>> {
        Ok(self
            .inner
            .store
            .read(|c| c.activity_logs(workflow_id, activity_id, limit.clamp(1, 10_000)))?)
    }

    /// What went through each transition of a run (`574 - Ok`).
    pub fn run_edges(&self, run_id: i64) -> Result<Vec<EdgeRecord>> {
        Ok(self.inner.store.read(|c| c.edges(run_id))?)
    }

    /// A page of a run's timeline ([`store::timeline`]): up to `limit` entries (at most
    /// [`MAX_TIMELINE_PAGE`]) after `after` (the previous page's `next`; none for the first), in
    /// time order with ties in a fixed order, so that reading page by page gives the same
    /// sequence as reading it at once. Built from what is kept with the run (tasks, attempts,
    /// transition marks), not from the events, which are pruned.
    pub fn run_timeline(
        &self,
        run_id: i64,
        after: Option<TimelineCursor>,
        limit: u32,
    ) -> Result<TimelinePage> {
        let limit = limit.clamp(1, MAX_TIMELINE_PAGE);
        let after = after.unwrap_or(TimelineCursor::START);
        Ok(self.inner.store.read(|c| {
            let run = c.run_summary(run_id)?;
            let rows = c.timeline(run_id, after, limit)?;
            let next = if rows.len() == limit as usize {
                rows.last().map(|(cursor, _)| *cursor)
            } else {
                None
            };
            Ok(TimelinePage {
                run,
                entries: rows.into_iter().map(|(_, e)| e).collect(),
                next,
            })
        })?)
    }

    /// The schedule firings of a workflow, newest first: each fire time with the run it made, or
    /// why it made none (`missed (3)`, `skipped (a run was in progress)`).
    pub fn firings(&self, workflow_id: &str, limit: u32) -> Result<Vec<store::firings::Firing>> {
        Ok(self
            .inner
            .store
            .read(|c| c.firings(workflow_id, limit.clamp(1, 10_000)))?)
    }
}
