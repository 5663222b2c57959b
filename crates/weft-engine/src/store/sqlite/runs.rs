//! Runs: creation, status changes and the keyset-paged history.

use super::{json_column, HasConn, Tx};
use crate::store::api::{EventWrites, RunReads, RunWrites};
use crate::store::runs::{NewRun, RunHead, RunQueue, RunRow};
use crate::store::tasks::RunRef;
use crate::store::{
    Error, EventBody, Millis, Result, RunDetail, RunFilter, RunPage, RunStatus, RunSummary,
};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

impl RunWrites for Tx<'_> {
    /// Inserts a run and returns its id.
    fn insert_run(&mut self, run: &NewRun<'_>, now: Millis) -> Result<i64> {
        let started = (run.status == RunStatus::Running).then_some(now);
        self.conn().prepare_cached(
            "INSERT INTO runs (workflow_id, revision, status, trigger, trigger_activity, params, simulate, restart_of, restart_from, created_at, started_at, parent_task)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            run.workflow_id, run.revision, run.status, run.trigger, run.trigger_activity,
            run.params.to_string(), run.simulate, run.restart_of, run.restart_from, now, started, run.parent_task
        ])?;
        let id = self.conn().last_insert_rowid();
        self.emit(
            now,
            Some(run.workflow_id),
            Some(id),
            None,
            EventBody::RunCreated {
                status: run.status,
                trigger: run.trigger,
                revision: run.revision,
                simulate: run.simulate,
            },
        )?;
        Ok(id)
    }

    /// Changes a run's status (setting start or end time as it goes).
    fn set_run_status(
        &mut self,
        run: RunRef<'_>,
        status: RunStatus,
        error: Option<&str>,
        now: Millis,
    ) -> Result<()> {
        let (run_id, workflow_id) = (run.id, run.workflow_id);
        let ended = status.is_final().then_some(now);
        let changed = self.conn().prepare_cached(
            "UPDATE runs SET status = ?2,
                started_at = CASE WHEN ?2 = 'running' AND started_at IS NULL THEN ?3 ELSE started_at END,
                ended_at = COALESCE(?4, ended_at),
                error = COALESCE(?5, error)
             WHERE id = ?1 AND status <> ?2",
        )?
        .execute(params![run_id, status, now, ended, error])?;
        if changed > 0 {
            self.emit(
                now,
                Some(workflow_id),
                Some(run_id),
                None,
                EventBody::RunStatus {
                    status,
                    error: error.map(str::to_string),
                },
            )?;
        }
        Ok(())
    }

    fn prune_history(
        &mut self,
        workflow_id: &str,
        keep_runs: Option<u32>,
        older_than: Option<Millis>,
    ) -> Result<usize> {
        prune_history(self.conn(), workflow_id, keep_runs, older_than)
    }

    fn purge_finished_runs(&mut self, workflow_id: &str) -> Result<usize> {
        purge_finished_runs(self.conn(), workflow_id)
    }

    /// Replaces a run's variables.
    fn set_run_vars(&mut self, run_id: i64, vars: &serde_json::Value) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE runs SET vars = ?2 WHERE id = ?1")?
            .execute(params![run_id, vars.to_string()])?;
        Ok(())
    }
}

const SUMMARY_COLUMNS: &str = "r.id, r.workflow_id, COALESCE(w.name, r.workflow_id), r.revision, r.status, r.trigger, r.simulate, r.created_at, r.started_at, r.ended_at, r.restart_of, (SELECT t.run_id FROM tasks t WHERE t.id = r.parent_task)";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<RunSummary> {
    Ok(RunSummary {
        id: r.get(0)?,
        workflow_id: r.get(1)?,
        workflow_name: r.get(2)?,
        revision: r.get(3)?,
        status: r.get(4)?,
        trigger: r.get(5)?,
        simulate: r.get(6)?,
        created_at: r.get(7)?,
        started_at: r.get(8)?,
        ended_at: r.get(9)?,
        restart_of: r.get(10)?,
        parent_run: r.get(11)?,
    })
}

/// The WHERE clause of a runs filter (after `WHERE 1=1`) and its arguments.
fn filter_clause(filter: &RunFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(w) = &filter.workflow_id {
        args.push(w.clone().into());
        sql.push_str(&format!(" AND r.workflow_id = ?{}", args.len()));
    }
    if !filter.statuses.is_empty() {
        let marks: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| {
                args.push(s.as_str().to_string().into());
                format!("?{}", args.len())
            })
            .collect();
        sql.push_str(&format!(" AND r.status IN ({})", marks.join(",")));
    }
    if let Some(t) = filter.trigger {
        args.push(t.as_str().to_string().into());
        sql.push_str(&format!(" AND r.trigger = ?{}", args.len()));
    }
    if let Some(from) = filter.from {
        args.push(from.into());
        sql.push_str(&format!(" AND r.created_at >= ?{}", args.len()));
    }
    if let Some(to) = filter.to {
        args.push(to.into());
        sql.push_str(&format!(" AND r.created_at < ?{}", args.len()));
    }
    (sql, args)
}

/// One page of the runs history, newest first by default. Keyset-paged on the run id, so every
/// page costs what the first one does, whatever the store holds.
pub(super) fn list_runs(
    conn: &Connection,
    filter: &RunFilter,
    cursor: Option<i64>,
    limit: u32,
) -> Result<RunPage> {
    let (clause, mut args) = filter_clause(filter);
    let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM runs r LEFT JOIN workflows w ON w.id = r.workflow_id WHERE 1=1{clause}");
    if let Some(c) = cursor {
        args.push(c.into());
        sql.push_str(&format!(
            " AND r.id {} ?{}",
            if filter.ascending { ">" } else { "<" },
            args.len()
        ));
    }
    let limit = limit.clamp(1, 1000);
    sql.push_str(&format!(
        " ORDER BY r.id {} LIMIT {}",
        if filter.ascending { "ASC" } else { "DESC" },
        limit + 1
    ));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut runs: Vec<RunSummary> = stmt
        .query_map(params_from_iter(args), summary_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let next = if runs.len() > limit as usize {
        runs.truncate(limit as usize);
        runs.last().map(|r| r.id)
    } else {
        None
    };
    Ok(RunPage { runs, next })
}

/// How many runs match a filter.
pub(super) fn count_runs(conn: &Connection, filter: &RunFilter) -> Result<u64> {
    let (clause, args) = filter_clause(filter);
    let sql = format!("SELECT COUNT(*) FROM runs r WHERE 1=1{clause}");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(args), |r| r.get(0))?)
}

/// A run's header.
pub(super) fn run_summary(conn: &Connection, run_id: i64) -> Result<RunSummary> {
    conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM runs r LEFT JOIN workflows w ON w.id = r.workflow_id WHERE r.id = ?1"))?
        .query_row([run_id], summary_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "run", id: run_id.to_string() })
}

/// A run with parameters, variables and progress.
pub(super) fn run_detail(conn: &Connection, run_id: i64) -> Result<RunDetail> {
    let summary = run_summary(conn, run_id)?;
    let (params, vars, error, restart_from, trigger_activity): (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = conn
        .prepare_cached(
            "SELECT params, vars, error, restart_from, trigger_activity FROM runs WHERE id = ?1",
        )?
        .query_row([run_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    let body = super::workflows::revision_body(conn, &summary.workflow_id, summary.revision).ok();
    let done: i64 = conn
        .prepare_cached("SELECT COUNT(DISTINCT activity_id) FROM tasks WHERE run_id = ?1 AND status IN ('succeeded','failed','skipped','cancelled')")?
        .query_row([run_id], |r| r.get(0))?;
    let total = body.map(|b| b.activities.len() as i64).unwrap_or(0).max(1);
    let progress = if summary.status.is_final() {
        100
    } else {
        ((done * 100) / total).clamp(0, 99) as u8
    };
    Ok(RunDetail {
        summary,
        params: json_column("run params", Some(params))?,
        vars: json_column("run vars", Some(vars))?,
        error,
        restart_from,
        trigger_activity,
        progress,
    })
}

const HEAD_COLUMNS: &str = "id, workflow_id, revision, status, trigger, trigger_activity, simulate, restart_of, restart_from, parent_task";

fn head_from_row(r: &Row<'_>) -> rusqlite::Result<RunHead> {
    Ok(RunHead {
        id: r.get(0)?,
        workflow_id: r.get(1)?,
        revision: r.get(2)?,
        status: r.get(3)?,
        trigger: r.get(4)?,
        trigger_activity: r.get(5)?,
        simulate: r.get(6)?,
        restart_of: r.get(7)?,
        restart_from: r.get(8)?,
        parent_task: r.get(9)?,
    })
}

/// Reads a run's head.
pub(super) fn run_head(conn: &Connection, run_id: i64) -> Result<RunHead> {
    conn.prepare_cached(&format!("SELECT {HEAD_COLUMNS} FROM runs WHERE id = ?1"))?
        .query_row([run_id], head_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "run",
            id: run_id.to_string(),
        })
}

/// Reads a run for the executor, with its parameters and variables.
pub(super) fn run_row(conn: &Connection, run_id: i64) -> Result<RunRow> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {HEAD_COLUMNS}, params, vars FROM runs WHERE id = ?1"
        ))?
        .query_row([run_id], |r| {
            Ok((
                head_from_row(r)?,
                r.get::<_, String>(10)?,
                r.get::<_, String>(11)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "run",
            id: run_id.to_string(),
        })?;
    let (head, params, vars) = row;
    Ok(RunRow {
        head,
        params: json_column("run params", Some(params))?,
        vars: json_column("run vars", Some(vars))?,
    })
}

/// Ids of a workflow's runs that have not ended, oldest first.
pub(super) fn active_runs(conn: &Connection, workflow_id: &str) -> Result<Vec<(i64, RunStatus)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, status FROM runs WHERE workflow_id = ?1 AND status IN ('pending','running','waiting_for_approval') ORDER BY id",
    )?;
    let rows = stmt.query_map([workflow_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A workflow's oldest pending run and whether one is under way (two lookups in
/// `runs_by_workflow_status`).
pub(super) fn run_queue(conn: &Connection, workflow_id: &str) -> Result<RunQueue> {
    let mut stmt = conn.prepare_cached(
        "SELECT (SELECT MIN(id) FROM runs WHERE workflow_id = ?1 AND status = 'pending'), \
                EXISTS (SELECT 1 FROM runs WHERE workflow_id = ?1 AND status IN ('running','waiting_for_approval'))",
    )?;
    Ok(stmt.query_row([workflow_id], |r| {
        Ok(RunQueue {
            first_pending: r.get(0)?,
            busy: r.get(1)?,
        })
    })?)
}

/// The run a sub-workflow task called, while it is still active.
pub(super) fn active_child_run(conn: &Connection, task_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM runs WHERE parent_task = ?1 AND status IN ('pending','running','waiting_for_approval')")?
        .query_row([task_id], |r| r.get(0))
        .optional()?)
}

/// How many runs of each workflow have not ended.
pub(super) fn active_run_counts(
    conn: &Connection,
) -> Result<std::collections::HashMap<String, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT workflow_id, COUNT(*) FROM runs WHERE status IN ('pending','running','waiting_for_approval') GROUP BY workflow_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every run not ended, across workflows (for recovery).
pub(super) fn all_active_runs(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM runs WHERE status IN ('running','waiting_for_approval') ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applies a retention policy to a workflow's finished runs; returns how many were deleted.
pub(super) fn prune_history(
    conn: &Connection,
    workflow_id: &str,
    keep_runs: Option<u32>,
    older_than: Option<Millis>,
) -> Result<usize> {
    let finished = "status IN ('completed','failed','cancelled','rejected','error')";
    let mut doomed: Vec<i64> = Vec::new();
    if let Some(keep) = keep_runs {
        let mut stmt = conn.prepare_cached(&format!("SELECT id FROM runs WHERE workflow_id = ?1 AND {finished} ORDER BY id DESC LIMIT -1 OFFSET ?2"))?;
        doomed.extend(
            stmt.query_map(params![workflow_id, keep], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    if let Some(before) = older_than {
        let mut stmt = conn.prepare_cached(&format!("SELECT id FROM runs WHERE workflow_id = ?1 AND {finished} AND COALESCE(ended_at, created_at) < ?2"))?;
        doomed.extend(
            stmt.query_map(params![workflow_id, before], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    doomed.sort_unstable();
    doomed.dedup();
    for id in &doomed {
        conn.execute("DELETE FROM approvals WHERE run_id = ?1", [id])?;
        conn.execute("DELETE FROM events WHERE run_id = ?1", [id])?;
        conn.execute("DELETE FROM runs WHERE id = ?1", [id])?;
    }
    Ok(doomed.len())
}

/// Deletes a workflow's finished runs and everything they own; returns how many.
pub(super) fn purge_finished_runs(conn: &Connection, workflow_id: &str) -> Result<usize> {
    conn.execute(
        "DELETE FROM approvals WHERE run_id IN (SELECT id FROM runs WHERE workflow_id = ?1 AND status IN ('completed','failed','cancelled','rejected','error'))",
        [workflow_id],
    )?;
    conn.execute(
        "DELETE FROM events WHERE run_id IN (SELECT id FROM runs WHERE workflow_id = ?1 AND status IN ('completed','failed','cancelled','rejected','error'))",
        [workflow_id],
    )?;
    Ok(conn.execute(
        "DELETE FROM runs WHERE workflow_id = ?1 AND status IN ('completed','failed','cancelled','rejected','error')",
        [workflow_id],
    )?)
}

impl<C: HasConn> RunReads for C {
    fn list_runs(&self, filter: &RunFilter, cursor: Option<i64>, limit: u32) -> Result<RunPage> {
        list_runs(self.conn(), filter, cursor, limit)
    }
    fn count_runs(&self, filter: &RunFilter) -> Result<u64> {
        count_runs(self.conn(), filter)
    }
    fn run_summary(&self, run_id: i64) -> Result<RunSummary> {
        run_summary(self.conn(), run_id)
    }
    fn run_detail(&self, run_id: i64) -> Result<RunDetail> {
        run_detail(self.conn(), run_id)
    }
    fn run_head(&self, run_id: i64) -> Result<RunHead> {
        run_head(self.conn(), run_id)
    }
    fn run_row(&self, run_id: i64) -> Result<RunRow> {
        run_row(self.conn(), run_id)
    }
    fn active_runs(&self, workflow_id: &str) -> Result<Vec<(i64, RunStatus)>> {
        active_runs(self.conn(), workflow_id)
    }
    fn run_queue(&self, workflow_id: &str) -> Result<RunQueue> {
        run_queue(self.conn(), workflow_id)
    }
    fn active_child_run(&self, task_id: i64) -> Result<Option<i64>> {
        active_child_run(self.conn(), task_id)
    }
    fn active_run_counts(&self) -> Result<std::collections::HashMap<String, usize>> {
        active_run_counts(self.conn())
    }
    fn all_active_runs(&self) -> Result<Vec<i64>> {
        all_active_runs(self.conn())
    }
}
