//! Runs: creation, status changes and the keyset-paged history.

use super::{args, both, json_column, Col, Tx, Q, V};
use crate::store::api::{EventWrites, RunReads, RunWrites, WorkflowReads};
use crate::store::runs::{NewRun, RunHead, RunQueue, RunRow};
use crate::store::tasks::RunRef;
use crate::store::{
    Error, EventBody, Millis, Result, RunDetail, RunFilter, RunPage, RunStatus, RunSummary,
};
use std::collections::HashMap;
use tokio_postgres::Row;

const FINISHED: &str = "status IN ('completed','failed','cancelled','rejected','error')";

impl RunWrites for Tx<'_> {
    fn insert_run(&mut self, run: &NewRun<'_>, now: Millis) -> Result<i64> {
        let started = (run.status == RunStatus::Running).then_some(now);
        let id: i64 = self
            .q1(
                "INSERT INTO runs (workflow_id, revision, status, trigger, trigger_activity, params, simulate, restart_of, restart_from, created_at, started_at, parent_task)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                args![
                    run.workflow_id,
                    run.revision,
                    run.status,
                    run.trigger,
                    run.trigger_activity,
                    run.params.to_string(),
                    run.simulate,
                    run.restart_of,
                    run.restart_from,
                    now,
                    started,
                    run.parent_task
                ],
            )?
            .ok_or_else(|| Error::Corrupt {
                what: "run",
                message: "no id returned".into(),
            })?
            .c(0)?;
        // A new run is this transaction's alone until it commits: nobody waits for the lock.
        self.lock_run(id)?;
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

    fn set_run_status(
        &mut self,
        run: RunRef<'_>,
        status: RunStatus,
        error: Option<&str>,
        now: Millis,
    ) -> Result<()> {
        let (run_id, workflow_id) = (run.id, run.workflow_id);
        self.lock_run(run_id)?;
        self.runs.borrow_mut().forget(run_id);
        let ended = status.is_final().then_some(now);
        let changed = self.n(
            "UPDATE runs SET status = $2,
                started_at = CASE WHEN $2 = 'running' AND started_at IS NULL THEN $3 ELSE started_at END,
                ended_at = COALESCE($4, ended_at),
                error = COALESCE($5, error)
             WHERE id = $1 AND status <> $2 RETURNING 1",
            args![run_id, status, now, ended, error],
        )?;
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

    fn set_run_vars(&mut self, run_id: i64, vars: &serde_json::Value) -> Result<()> {
        self.lock_run(run_id)?;
        self.runs.borrow_mut().forget(run_id);
        self.defer(
            "UPDATE runs SET vars = $2 WHERE id = $1",
            args![run_id, vars.to_string()],
        );
        Ok(())
    }

    fn prune_history(
        &mut self,
        workflow_id: &str,
        keep_runs: Option<u32>,
        older_than: Option<Millis>,
    ) -> Result<usize> {
        let mut doomed: Vec<i64> = Vec::new();
        if let Some(keep) = keep_runs {
            for r in self.q(
                &format!("SELECT id FROM runs WHERE workflow_id = $1 AND {FINISHED} ORDER BY id DESC OFFSET $2"),
                args![workflow_id, keep],
            )? {
                doomed.push(r.c(0)?);
            }
        }
        if let Some(before) = older_than {
            for r in self.q(
                &format!("SELECT id FROM runs WHERE workflow_id = $1 AND {FINISHED} AND COALESCE(ended_at, created_at) < $2"),
                args![workflow_id, before],
            )? {
                doomed.push(r.c(0)?);
            }
        }
        doomed.sort_unstable();
        doomed.dedup();
        if !doomed.is_empty() {
            *self.runs.borrow_mut() = super::RunCache::default();
            let ids = V::IA(doomed.iter().map(|i| Some(*i)).collect());
            self.q(
                "DELETE FROM approvals WHERE run_id = ANY($1)",
                std::slice::from_ref(&ids),
            )?;
            self.q(
                "DELETE FROM events WHERE run_id = ANY($1)",
                std::slice::from_ref(&ids),
            )?;
            self.q(
                "DELETE FROM runs WHERE id = ANY($1)",
                std::slice::from_ref(&ids),
            )?;
        }
        Ok(doomed.len())
    }

    fn purge_finished_runs(&mut self, workflow_id: &str) -> Result<usize> {
        *self.runs.borrow_mut() = super::RunCache::default();
        self.q(
            &format!("DELETE FROM approvals WHERE run_id IN (SELECT id FROM runs WHERE workflow_id = $1 AND {FINISHED})"),
            args![workflow_id],
        )?;
        self.q(
            &format!("DELETE FROM events WHERE run_id IN (SELECT id FROM runs WHERE workflow_id = $1 AND {FINISHED})"),
            args![workflow_id],
        )?;
        self.n(
            &format!("DELETE FROM runs WHERE workflow_id = $1 AND {FINISHED} RETURNING 1"),
            args![workflow_id],
        )
    }
}

const SUMMARY_COLUMNS: &str = "r.id, r.workflow_id, COALESCE(w.name, r.workflow_id), r.revision, r.status, r.trigger, r.simulate, r.created_at, r.started_at, r.ended_at, r.restart_of, (SELECT t.run_id FROM tasks t WHERE t.id = r.parent_task)";

fn summary_from(r: &Row) -> Result<RunSummary> {
    Ok(RunSummary {
        id: r.c(0)?,
        workflow_id: r.c(1)?,
        workflow_name: r.c(2)?,
        revision: r.c(3)?,
        status: r.e(4)?,
        trigger: r.e(5)?,
        simulate: r.c(6)?,
        created_at: r.c(7)?,
        started_at: r.c(8)?,
        ended_at: r.c(9)?,
        restart_of: r.c(10)?,
        parent_run: r.c(11)?,
    })
}

/// The WHERE clause of a runs filter (after `WHERE TRUE`) and its arguments.
fn filter_clause(filter: &RunFilter) -> (String, Vec<V>) {
    let mut sql = String::new();
    let mut args: Vec<V> = Vec::new();
    if let Some(w) = &filter.workflow_id {
        args.push(w.clone().into());
        sql.push_str(&format!(" AND r.workflow_id = ${}", args.len()));
    }
    if !filter.statuses.is_empty() {
        args.push(V::TA(
            filter
                .statuses
                .iter()
                .map(|s| Some(s.as_str().to_string()))
                .collect(),
        ));
        sql.push_str(&format!(" AND r.status = ANY(${})", args.len()));
    }
    if let Some(t) = filter.trigger {
        args.push(t.into());
        sql.push_str(&format!(" AND r.trigger = ${}", args.len()));
    }
    if let Some(from) = filter.from {
        args.push(from.into());
        sql.push_str(&format!(" AND r.created_at >= ${}", args.len()));
    }
    if let Some(to) = filter.to {
        args.push(to.into());
        sql.push_str(&format!(" AND r.created_at < ${}", args.len()));
    }
    (sql, args)
}

fn run_summary(c: &impl Q, run_id: i64) -> Result<RunSummary> {
    let row = c.q1_found(
        &format!("SELECT {SUMMARY_COLUMNS} FROM runs r LEFT JOIN workflows w ON w.id = r.workflow_id WHERE r.id = $1"),
        args![run_id],
        "run",
        run_id,
    )?;
    summary_from(&row)
}

const HEAD_COLUMNS: &str = "id, workflow_id, revision, status, trigger, trigger_activity, simulate, restart_of, restart_from, parent_task";

/// A run's debug state (NULL when it is not a debug run), read with the run: the executor asks
/// for both at every step, and this saves a round trip each time.
const DEBUG_STATE: &str = "(SELECT state FROM debug_runs d WHERE d.run_id = runs.id)";

/// Keeps the debug state read with a run (column `i`) where a transaction holding the run keeps
/// what it read (see [`super::RunCache`]).
fn keep_debug_state(q: &impl Q, run_id: i64, row: &Row, i: usize) -> Result<()> {
    let Some(cache) = q.run_cache() else {
        return Ok(());
    };
    let text: Option<String> = row.c(i)?;
    let state = text
        .map(|t| crate::store::stored_json::from_json_text("debug run", &t))
        .transpose()?;
    cache.borrow_mut().debug.entry(run_id).or_insert(state);
    Ok(())
}

fn head_from(r: &Row) -> Result<RunHead> {
    Ok(RunHead {
        id: r.c(0)?,
        workflow_id: r.c(1)?,
        revision: r.c(2)?,
        status: r.e(3)?,
        trigger: r.e(4)?,
        trigger_activity: r.c(5)?,
        simulate: r.c(6)?,
        restart_of: r.c(7)?,
        restart_from: r.c(8)?,
        parent_task: r.c(9)?,
    })
}

const ACTIVE: &str = "status IN ('pending','running','waiting_for_approval')";

both!(impl RunReads {
    fn list_runs(&self, filter: &RunFilter, cursor: Option<i64>, limit: u32) -> Result<RunPage> {
        let (clause, mut args) = filter_clause(filter);
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM runs r LEFT JOIN workflows w ON w.id = r.workflow_id WHERE TRUE{clause}");
        if let Some(c) = cursor {
            args.push(c.into());
            sql.push_str(&format!(
                " AND r.id {} ${}",
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
        let mut runs: Vec<RunSummary> = self
            .q(&sql, &args)?
            .iter()
            .map(summary_from)
            .collect::<Result<_>>()?;
        let next = if runs.len() > limit as usize {
            runs.truncate(limit as usize);
            runs.last().map(|r| r.id)
        } else {
            None
        };
        Ok(RunPage { runs, next })
    }

    fn count_runs(&self, filter: &RunFilter) -> Result<u64> {
        let (clause, args) = filter_clause(filter);
        let n: i64 = self
            .q1(&format!("SELECT COUNT(*) FROM runs r WHERE TRUE{clause}"), &args)?
            .map(|r| r.c(0))
            .transpose()?
            .unwrap_or(0);
        Ok(n.max(0) as u64)
    }

    fn run_summary(&self, run_id: i64) -> Result<RunSummary> {
        run_summary(self, run_id)
    }

    fn run_detail(&self, run_id: i64) -> Result<RunDetail> {
        let summary = run_summary(self, run_id)?;
        let row = self.q1_found(
            "SELECT params, vars, error, restart_from, trigger_activity FROM runs WHERE id = $1",
            args![run_id],
            "run",
            run_id,
        )?;
        let (params, vars, error, restart_from, trigger_activity): (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = (row.c(0)?, row.c(1)?, row.c(2)?, row.c(3)?, row.c(4)?);
        let body = self
            .revision_body(&summary.workflow_id, summary.revision)
            .ok();
        let done: i64 = self
            .q1("SELECT COUNT(DISTINCT activity_id) FROM tasks WHERE run_id = $1 AND status IN ('succeeded','failed','skipped','cancelled')", args![run_id])?
            .map(|r| r.c(0))
            .transpose()?
            .unwrap_or(0);
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

    fn run_head(&self, run_id: i64) -> Result<RunHead> {
        self.read_run(run_id, |c| &mut c.heads, || {
            let row = self.q1_found(
                &format!("SELECT {HEAD_COLUMNS}, {DEBUG_STATE} FROM runs WHERE id = $1"),
                args![run_id],
                "run",
                run_id,
            )?;
            keep_debug_state(self, run_id, &row, 10)?;
            head_from(&row)
        })
    }

    fn run_row(&self, run_id: i64) -> Result<RunRow> {
        self.read_run(run_id, |c| &mut c.rows, || {
            let row = self.q1_found(
                &format!("SELECT {HEAD_COLUMNS}, params, vars, {DEBUG_STATE} FROM runs WHERE id = $1"),
                args![run_id],
                "run",
                run_id,
            )?;
            keep_debug_state(self, run_id, &row, 12)?;
            Ok(RunRow {
                head: head_from(&row)?,
                params: json_column("run params", Some(row.c(10)?))?,
                vars: json_column("run vars", Some(row.c(11)?))?,
            })
        })
    }

    fn active_runs(&self, workflow_id: &str) -> Result<Vec<(i64, RunStatus)>> {
        self.q(
            &format!("SELECT id, status FROM runs WHERE workflow_id = $1 AND {ACTIVE} ORDER BY id"),
            args![workflow_id],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.e(1)?)))
        .collect()
    }

    fn run_queue(&self, workflow_id: &str) -> Result<RunQueue> {
        let row = self.q1(
            "SELECT (SELECT MIN(id) FROM runs WHERE workflow_id = $1 AND status = 'pending'), \
                    EXISTS (SELECT 1 FROM runs WHERE workflow_id = $1 AND status IN ('running','waiting_for_approval'))",
            args![workflow_id],
        )?;
        let Some(row) = row else {
            return Ok(RunQueue::default());
        };
        Ok(RunQueue {
            first_pending: row.c(0)?,
            busy: row.c(1)?,
        })
    }

    fn active_child_run(&self, task_id: i64) -> Result<Option<i64>> {
        self.q1(
            &format!("SELECT id FROM runs WHERE parent_task = $1 AND {ACTIVE}"),
            args![task_id],
        )?
        .map(|r| r.c(0))
        .transpose()
    }

    fn active_run_counts(&self) -> Result<HashMap<String, usize>> {
        self.q(
            &format!("SELECT workflow_id, COUNT(*) FROM runs WHERE {ACTIVE} GROUP BY workflow_id"),
            &[],
        )?
        .iter()
        .map(|r| Ok((r.c::<String>(0)?, r.c::<i64>(1)?.max(0) as usize)))
        .collect()
    }

    fn all_active_runs(&self) -> Result<Vec<i64>> {
        self.q(
            "SELECT id FROM runs WHERE status IN ('running','waiting_for_approval') ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| r.c(0))
        .collect()
    }
});
