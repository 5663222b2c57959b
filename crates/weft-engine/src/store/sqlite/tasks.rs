//! Tasks, their attempts, log lines, transition states and approvals.

use super::{json_column, HasConn, Tx};
use crate::store::api::{EventWrites, TaskReads, TaskWrites};
use crate::store::tasks::{
    ActiveTask, EdgeRef, NewApproval, ReadyTask, RoundPoll, RunRef, TaskEnd, TaskRef, TaskState,
    LOG_LINES_LIMIT,
};
use crate::store::timeline::{
    entry_from, TimelineCursor, TimelineEntry, TimelineRow, TIMELINE_SQL,
};
use crate::store::{
    ApprovalRecord, AttemptRecord, EdgeRecord, Error, EventBody, LogLine, Millis, Result,
    TaskChange, TaskRecord, TaskStatus, WaitReason,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

impl TaskWrites for Tx<'_> {
    /// Inserts a task of a run and returns its id.
    fn insert_task(
        &mut self,
        run: RunRef<'_>,
        activity_id: &str,
        state: TaskState,
        now: Millis,
    ) -> Result<i64> {
        let TaskState {
            status,
            reason,
            wake_at,
        } = state;
        self.conn()
            .prepare_cached("INSERT INTO tasks (run_id, activity_id, status, wait_reason, wake_at, created_at, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
            .execute(params![run.id, activity_id, status, reason, wake_at, now, (!status.is_active()).then_some(now)])?;
        let id = self.conn().last_insert_rowid();
        self.emit(
            now,
            Some(run.workflow_id),
            Some(run.id),
            Some(id),
            EventBody::TaskChanged(TaskChange {
                reason,
                created: true,
                ..TaskChange::to(activity_id, status)
            }),
        )?;
        Ok(id)
    }

    /// Copies a finished task of an earlier run into this run (restart from a task).
    fn insert_reused_task(
        &mut self,
        run: RunRef<'_>,
        from: &TaskRecord,
        now: Millis,
    ) -> Result<i64> {
        self.conn()
            .prepare_cached("INSERT INTO tasks (run_id, activity_id, status, attempt, port, args, result, record_count, stdout, stderr, reused, created_at, started_at, ended_at)
                             VALUES (?1, ?2, 'succeeded', ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10, ?10)")?
            .execute(params![run.id, from.activity_id, from.attempt, from.port, from.args.to_string(), from.result.to_string(), from.record_count, from.stdout, from.stderr, now])?;
        let id = self.conn().last_insert_rowid();
        self.emit(
            now,
            Some(run.workflow_id),
            Some(run.id),
            Some(id),
            EventBody::TaskChanged(TaskChange {
                reused: true,
                created: true,
                port: from.port.clone(),
                record_count: from.record_count,
                ..TaskChange::to(&from.activity_id, TaskStatus::Succeeded)
            }),
        )?;
        Ok(id)
    }

    /// Marks a task Running for a new attempt, with the arguments it received.
    fn start_attempt(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        args: &serde_json::Value,
        now: Millis,
    ) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE tasks SET status = 'running', wait_reason = NULL, attempt = ?2, args = ?3, started_at = COALESCE(started_at, ?4), wake_at = NULL WHERE id = ?1")?
            .execute(params![task.id, attempt, args.to_string(), now])?;
        self.conn()
            .prepare_cached("INSERT OR REPLACE INTO attempts (task_id, attempt, status, started_at) VALUES (?1, ?2, 'running', ?3)")?
            .execute(params![task.id, attempt, now])?;
        self.emit(
            now,
            Some(task.run.workflow_id),
            Some(task.run.id),
            Some(task.id),
            EventBody::TaskChanged(TaskChange {
                attempt: Some(attempt),
                ..TaskChange::to(task.activity_id, TaskStatus::Running)
            }),
        )
    }

    /// Closes the current attempt with a status (`succeeded`, `failed`, `cancelled`, `interrupted`).
    fn end_attempt(
        &mut self,
        task_id: i64,
        attempt: u32,
        status: &str,
        end: &TaskEnd<'_>,
        now: Millis,
    ) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE attempts SET status = ?3, ended_at = ?4, result = ?5, stdout = ?6, stderr = ?7, error = ?8 WHERE task_id = ?1 AND attempt = ?2")?
            .execute(params![task_id, attempt, status, now, end.result.map(|r| r.to_string()), end.stdout, end.stderr, end.error])?;
        Ok(())
    }

    /// Sets a task's status (and outcome fields), with its event.
    fn set_task_status(
        &mut self,
        task: TaskRef<'_>,
        state: TaskState,
        end: &TaskEnd<'_>,
        now: Millis,
    ) -> Result<()> {
        let TaskState {
            status,
            reason,
            wake_at,
        } = state;
        let ended = (!status.is_active()).then_some(now);
        self.conn()
            .prepare_cached("UPDATE tasks SET status = ?2, wait_reason = ?3, wake_at = ?4, port = COALESCE(?5, port), result = COALESCE(?6, result),
                             record_count = COALESCE(?7, record_count), stdout = ?8, stderr = ?9, error = ?10, ended_at = ?11 WHERE id = ?1")?
            .execute(params![task.id, status, reason, wake_at, end.port, end.result.map(|r| r.to_string()), end.record_count, end.stdout, end.stderr, end.error, ended])?;
        self.emit(
            now,
            Some(task.run.workflow_id),
            Some(task.run.id),
            Some(task.id),
            EventBody::TaskChanged(TaskChange {
                reason,
                port: end.port.map(str::to_string),
                record_count: end.record_count,
                error: end.error.map(str::to_string),
                ..TaskChange::to(task.activity_id, status)
            }),
        )
    }

    /// Moves a waiting or delayed task's wake time (Execute pending now).
    fn set_task_wake(
        &mut self,
        task_id: i64,
        status: TaskStatus,
        wake_at: Option<Millis>,
    ) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE tasks SET status = ?2, wake_at = ?3, wait_reason = CASE WHEN ?2 = 'ready' AND wait_reason = 'hold' THEN NULL ELSE wait_reason END WHERE id = ?1")?
            .execute(params![task_id, status, wake_at])?;
        Ok(())
    }

    /// Counts an interruption of a task by the engine (kept apart from its retry attempts);
    /// returns how many it has had.
    fn count_interruption(&mut self, task_id: i64) -> Result<u32> {
        Ok(self
            .conn()
            .prepare_cached(
                "UPDATE tasks SET interruptions = interruptions + 1 WHERE id = ?1 RETURNING interruptions",
            )?
            .query_row([task_id], |r| r.get(0))?)
    }

    /// Records the process group an attempt started.
    fn set_attempt_pid(&mut self, task_id: i64, attempt: u32, pid: u32) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE attempts SET pid = ?3 WHERE task_id = ?1 AND attempt = ?2")?
            .execute(params![task_id, attempt, pid])?;
        Ok(())
    }

    /// Appends a log line (bounded per attempt).
    fn append_log(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        level: &str,
        message: &str,
        now: Millis,
    ) -> Result<()> {
        let count: i64 = self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM task_logs WHERE task_id = ?1 AND attempt = ?2")?
            .query_row(params![task.id, attempt], |r| r.get(0))?;
        if count > LOG_LINES_LIMIT {
            return Ok(());
        }
        let message = if count == LOG_LINES_LIMIT {
            "… log truncated: further lines of this attempt are dropped"
        } else {
            message
        };
        self.conn()
            .prepare_cached("INSERT INTO task_logs (task_id, attempt, at, level, message) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![task.id, attempt, now, level, message])?;
        self.emit(
            now,
            Some(task.run.workflow_id),
            Some(task.run.id),
            Some(task.id),
            EventBody::Log {
                level: level.to_string(),
                message: message.to_string(),
            },
        )
    }

    /// Records that a transition was taken (`records` adds to its count) or, with `None`, is dead.
    fn mark_edge(
        &mut self,
        run: RunRef<'_>,
        edge: EdgeRef<'_>,
        taken: Option<Option<i64>>,
        now: Millis,
    ) -> Result<()> {
        let records = taken.flatten();
        self.conn()
            .prepare_cached(
                "INSERT INTO run_edges (run_id, from_activity, port, to_activity, taken, dead, records) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (run_id, from_activity, port, to_activity) DO UPDATE SET
                   taken = taken + excluded.taken,
                   dead = CASE WHEN excluded.taken > 0 THEN 0 ELSE excluded.dead END,
                   records = CASE WHEN excluded.records IS NULL THEN records ELSE COALESCE(records, 0) + excluded.records END",
            )?
            .execute(params![run.id, edge.from, edge.port, edge.to, taken.is_some() as i64, taken.is_none() as i64, records])?;
        // The same mark with its time, kept for the replay (run_edges only adds up).
        self.conn()
            .prepare_cached(
                "INSERT INTO run_edge_marks (run_id, from_activity, port, to_activity, taken, records, at, after_task)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT COALESCE(MAX(id), 0) FROM tasks WHERE run_id = ?1))",
            )?
            .execute(params![run.id, edge.from, edge.port, edge.to, taken.is_some() as i64, records, now])?;
        if taken.is_some() {
            self.emit(
                now,
                Some(run.workflow_id),
                Some(run.id),
                None,
                EventBody::EdgeTaken {
                    from: edge.from.to_string(),
                    port: edge.port.to_string(),
                    to: edge.to.to_string(),
                    records,
                },
            )?;
        }
        Ok(())
    }

    /// Opens an approval for a waiting task.
    fn insert_approval(&mut self, approval: &NewApproval<'_>, now: Millis) -> Result<()> {
        let t = approval.task;
        self.conn().execute(
            "INSERT OR REPLACE INTO approvals (task_id, run_id, workflow_id, activity_id, grp, message, deadline, default_outcome, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![t.id, t.run.id, t.run.workflow_id, t.activity_id, approval.group, approval.message, approval.deadline, approval.default_outcome, now],
        )?;
        Ok(())
    }

    /// Records a decision; false when the approval was already decided (the first answer wins).
    fn decide_approval(
        &mut self,
        task_id: i64,
        decision: &str,
        comment: Option<&str>,
        by: Option<&str>,
        now: Millis,
    ) -> Result<bool> {
        Ok(self.conn().execute(
            "UPDATE approvals SET decision = ?2, comment = ?3, decided_by = ?4, decided_at = ?5 WHERE task_id = ?1 AND decision IS NULL",
            params![task_id, decision, comment, by, now],
        )? == 1)
    }
}

const TASK_COLUMNS: &str = "id, run_id, activity_id, status, wait_reason, attempt, wake_at, port, args, result, record_count, stdout, stderr, error, reused, created_at, started_at, ended_at, interruptions";

fn task_from_row(r: &Row<'_>) -> rusqlite::Result<(TaskRecord, Option<String>, Option<String>)> {
    Ok((
        TaskRecord {
            id: r.get(0)?,
            run_id: r.get(1)?,
            activity_id: r.get(2)?,
            status: r.get(3)?,
            wait_reason: r.get(4)?,
            attempt: r.get(5)?,
            wake_at: r.get(6)?,
            port: r.get(7)?,
            args: serde_json::Value::Null,
            result: serde_json::Value::Null,
            record_count: r.get(10)?,
            stdout: r.get(11)?,
            stderr: r.get(12)?,
            error: r.get(13)?,
            reused: r.get(14)?,
            created_at: r.get(15)?,
            started_at: r.get(16)?,
            ended_at: r.get(17)?,
            interruptions: r.get(18)?,
        },
        r.get(8)?,
        r.get(9)?,
    ))
}

fn finish_task(row: (TaskRecord, Option<String>, Option<String>)) -> Result<TaskRecord> {
    let (mut task, args, result) = row;
    task.args = json_column("task args", args)?;
    task.result = json_column("task result", result)?;
    Ok(task)
}

/// One task.
pub(super) fn task(conn: &Connection, task_id: i64) -> Result<TaskRecord> {
    let row = conn
        .prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"))?
        .query_row([task_id], task_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "task",
            id: task_id.to_string(),
        })?;
    finish_task(row)
}

/// A run's tasks in scheduling order.
pub(super) fn tasks_of_run(conn: &Connection, run_id: i64) -> Result<Vec<TaskRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([run_id], task_from_row)?;
    rows.map(|r| finish_task(r?)).collect()
}

/// The latest task of an activity in a run that ended with a result (succeeded or failed), if
/// any: what `tasks.ID` reads in expressions and where a record set comes from.
pub(super) fn latest_result(
    conn: &Connection,
    run_id: i64,
    activity_id: &str,
) -> Result<Option<TaskRecord>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = ?1 AND activity_id = ?2 AND status IN ('succeeded','failed') ORDER BY id DESC LIMIT 1"
        ))?
        .query_row(params![run_id, activity_id], task_from_row)
        .optional()?;
    row.map(finish_task).transpose()
}

/// The latest succeeded task of an activity in a run (reused by a restart).
pub(super) fn latest_success(
    conn: &Connection,
    run_id: i64,
    activity_id: &str,
) -> Result<Option<TaskRecord>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = ?1 AND activity_id = ?2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1"
        ))?
        .query_row(params![run_id, activity_id], task_from_row)
        .optional()?;
    row.map(finish_task).transpose()
}

/// Whether a run has a task of an activity (a join that already fired).
pub(super) fn has_task(conn: &Connection, run_id: i64, activity_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tasks WHERE run_id = ?1 AND activity_id = ?2 LIMIT 1")?
        .query_row(params![run_id, activity_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How many tasks of an activity in a run have ended (a loop's iteration number).
pub(super) fn ended_count(conn: &Connection, run_id: i64, activity_id: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM tasks WHERE run_id = ?1 AND activity_id = ?2 AND status NOT IN ('ready','running','waiting')")?
        .query_row(params![run_id, activity_id], |r| r.get(0))?)
}

/// A task's attempts, first first.
pub(super) fn attempts(conn: &Connection, task_id: i64) -> Result<Vec<AttemptRecord>> {
    let mut stmt = conn.prepare_cached("SELECT task_id, attempt, status, started_at, ended_at, result, stdout, stderr, error FROM attempts WHERE task_id = ?1 ORDER BY attempt")?;
    let rows = stmt.query_map([task_id], |r| {
        Ok((
            AttemptRecord {
                task_id: r.get(0)?,
                attempt: r.get(1)?,
                status: r.get(2)?,
                started_at: r.get(3)?,
                ended_at: r.get(4)?,
                result: serde_json::Value::Null,
                stdout: r.get(6)?,
                stderr: r.get(7)?,
                error: r.get(8)?,
            },
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    rows.map(|r| {
        let (mut a, result) = r?;
        a.result = json_column("attempt result", result)?;
        Ok(a)
    })
    .collect()
}

fn log_from_row(r: &Row<'_>) -> rusqlite::Result<LogLine> {
    Ok(LogLine {
        id: r.get(0)?,
        task_id: r.get(1)?,
        activity_id: r.get(2)?,
        attempt: r.get(3)?,
        at: r.get(4)?,
        level: r.get(5)?,
        message: r.get(6)?,
    })
}

/// Log lines of a run, optionally of one activity, in order.
pub(super) fn logs(
    conn: &Connection,
    run_id: i64,
    activity_id: Option<&str>,
) -> Result<Vec<LogLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.task_id, t.activity_id, l.attempt, l.at, l.level, l.message FROM task_logs l JOIN tasks t ON t.id = l.task_id
         WHERE t.run_id = ?1 AND (?2 IS NULL OR t.activity_id = ?2) ORDER BY l.id",
    )?;
    let rows = stmt.query_map(params![run_id, activity_id], log_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Log lines of one activity across every run of a workflow (Display logs), newest runs first.
pub(super) fn activity_logs(
    conn: &Connection,
    workflow_id: &str,
    activity_id: &str,
    limit: u32,
) -> Result<Vec<LogLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.task_id, t.activity_id, l.attempt, l.at, l.level, l.message FROM task_logs l JOIN tasks t ON t.id = l.task_id JOIN runs r ON r.id = t.run_id
         WHERE r.workflow_id = ?1 AND t.activity_id = ?2 ORDER BY l.id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![workflow_id, activity_id, limit], log_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Transition states of a run.
pub(super) fn edges(conn: &Connection, run_id: i64) -> Result<Vec<EdgeRecord>> {
    let mut stmt = conn.prepare_cached("SELECT from_activity, port, to_activity, taken, dead, records FROM run_edges WHERE run_id = ?1")?;
    let rows = stmt.query_map([run_id], |r| {
        Ok(EdgeRecord {
            from: r.get(0)?,
            port: r.get(1)?,
            to: r.get(2)?,
            taken: r.get(3)?,
            dead: r.get(4)?,
            records: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A page of a run's timeline ([`crate::store::timeline`]).
pub(super) fn timeline(
    conn: &Connection,
    run_id: i64,
    after: TimelineCursor,
    limit: u32,
) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
    let sql = TIMELINE_SQL.replace('$', "?");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![run_id, after.at, after.grp, after.rank, after.id, after.sub, limit],
        |r| {
            Ok(TimelineRow {
                at: r.get(0)?,
                grp: r.get(1)?,
                rank: r.get(2)?,
                id: r.get(3)?,
                sub: r.get(4)?,
                activity: r.get(5)?,
                target: r.get(6)?,
                port: r.get(7)?,
                status: r.get(8)?,
                wait_reason: r.get(9)?,
                records: r.get(10)?,
                stderr_head: r.get(11)?,
            })
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(entry_from(row?)?);
    }
    Ok(out)
}

/// States of the edges into an activity: (from, port, taken, dead) for those recorded.
pub(super) fn incoming_edges(
    conn: &Connection,
    run_id: i64,
    to: &str,
) -> Result<Vec<(String, String, i64, bool)>> {
    let mut stmt = conn.prepare_cached("SELECT from_activity, port, taken, dead FROM run_edges WHERE run_id = ?1 AND to_activity = ?2")?;
    let rows = stmt.query_map(params![run_id, to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ready tasks whose time has come, of running runs of workflows that are not paused.
pub(super) fn due_ready_tasks(
    conn: &Connection,
    now: Millis,
    from_id: i64,
    limit: u32,
) -> Result<Vec<ReadyTask>> {
    // Driven by the partial index `tasks_ready` (only ready tasks; CROSS JOIN keeps the tasks
    // the outer loop), never by the runs: a running run's finished tasks are not looked at.
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.run_id, t.activity_id, t.attempt, r.workflow_id, r.revision
         FROM tasks t CROSS JOIN runs r ON r.id = t.run_id
         WHERE t.status = 'ready' AND (t.wake_at IS NULL OR t.wake_at <= ?1) AND t.id >= ?3
           AND r.status IN ('running','waiting_for_approval')
           AND EXISTS (SELECT 1 FROM workflows w WHERE w.id = r.workflow_id AND w.state NOT IN ('paused','stopping'))
         ORDER BY t.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit, from_id], ready_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Of the tasks `ids`, the first `limit` still ready and due, of runs that may go on. The
/// write transaction holds the whole database, so reading them is claiming them.
pub(super) fn claim_ready_tasks(
    conn: &Connection,
    ids: &[i64],
    now: Millis,
    limit: u32,
) -> Result<Vec<ReadyTask>> {
    if ids.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(ids).map_err(|e| Error::Corrupt {
        what: "task ids",
        message: e.to_string(),
    })?;
    let mut stmt = conn.prepare_cached(
        // Driven by the ids asked (CROSS JOIN keeps json_each the outer loop): walking the
        // tasks in id order and testing each against the list would read every task of a long
        // run at every claim.
        "SELECT t.id, t.run_id, t.activity_id, t.attempt, r.workflow_id, r.revision
         FROM json_each(?3) AS asked CROSS JOIN tasks t ON t.id = asked.value
         JOIN runs r ON r.id = t.run_id
         WHERE t.status = 'ready' AND (t.wake_at IS NULL OR t.wake_at <= ?1)
           AND r.status IN ('running','waiting_for_approval')
           AND EXISTS (SELECT 1 FROM workflows w WHERE w.id = r.workflow_id AND w.state NOT IN ('paused','stopping'))
         ORDER BY t.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit, ids], ready_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn ready_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReadyTask> {
    Ok(ReadyTask {
        task_id: r.get(0)?,
        run_id: r.get(1)?,
        activity_id: r.get(2)?,
        attempt: r.get(3)?,
        workflow_id: r.get(4)?,
        revision: r.get(5)?,
    })
}

/// Waiting tasks (waits, approval deadlines) whose time has come: (task, run, reason).
pub(super) fn due_waiting_tasks(
    conn: &Connection,
    now: Millis,
) -> Result<Vec<(i64, i64, WaitReason)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.run_id, t.wait_reason FROM tasks t
         WHERE t.status = 'waiting' AND t.wake_at <= ?1
           AND EXISTS (SELECT 1 FROM runs r JOIN workflows w ON w.id = r.workflow_id
                       WHERE r.id = t.run_id AND w.state NOT IN ('paused','stopping'))
         ORDER BY t.wake_at, t.id",
    )?;
    let rows = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The earliest wake time of any ready or waiting task, to sleep until then.
pub(super) fn next_wake(conn: &Connection) -> Result<Option<Millis>> {
    let ready: Option<Millis> = conn
        .prepare_cached("SELECT MIN(wake_at) FROM tasks WHERE status = 'ready'")?
        .query_row([], |r| r.get(0))?;
    let waiting: Option<Millis> = conn
        .prepare_cached("SELECT MIN(wake_at) FROM tasks WHERE status = 'waiting'")?
        .query_row([], |r| r.get(0))?;
    Ok(match (ready, waiting) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// See [`TaskReads::round_poll`].
pub(super) fn round_poll(conn: &Connection) -> Result<RoundPoll> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM commands WHERE applied_at IS NULL),
                    EXISTS (SELECT 1 FROM workflows WHERE state = 'stopping'),
                    (SELECT MIN(wake_at) FROM tasks WHERE status = 'waiting')",
        )?
        .query_row([], |r| {
            Ok(RoundPoll {
                commands_pending: r.get(0)?,
                workflows_stopping: r.get(1)?,
                first_waiting_wake: r.get(2)?,
            })
        })?)
}

/// Tasks of a run that are still active.
pub(super) fn active_tasks_of_run(conn: &Connection, run_id: i64) -> Result<Vec<ActiveTask>> {
    // Served by the partial index `tasks_active_by_run`: the cost is the active tasks', not the run's.
    let mut stmt = conn.prepare_cached("SELECT id, activity_id, status, wait_reason FROM tasks WHERE run_id = ?1 AND status IN ('ready','running','waiting') ORDER BY id")?;
    let rows = stmt.query_map([run_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether any run of a workflow has a task running (a stop is complete when none has).
pub(super) fn workflow_has_running_task(conn: &Connection, workflow_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM tasks t JOIN runs r ON r.id = t.run_id WHERE t.status = 'running' AND r.workflow_id = ?1 LIMIT 1",
        )?
        .query_row([workflow_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Process groups of attempts still marked running (for recovery after a kill).
pub(super) fn running_attempt_pids(conn: &Connection) -> Result<Vec<u32>> {
    let mut stmt = conn
        .prepare_cached("SELECT pid FROM attempts WHERE status = 'running' AND pid IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every task left Running (for recovery after a kill).
pub(super) fn running_tasks(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, run_id FROM tasks WHERE status = 'running' ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Approvals still waiting, oldest first (optionally of one workflow).
pub(super) fn open_approvals(
    conn: &Connection,
    workflow_id: Option<&str>,
) -> Result<Vec<ApprovalRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.task_id, a.run_id, a.workflow_id, a.activity_id, a.grp, a.message, a.deadline, a.decision, a.comment, a.decided_by, a.created_at
         FROM approvals a JOIN tasks t ON t.id = a.task_id WHERE a.decision IS NULL AND t.status = 'waiting' AND (?1 IS NULL OR a.workflow_id = ?1) ORDER BY a.task_id",
    )?;
    let rows = stmt.query_map([workflow_id], approval_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One approval.
pub(super) fn approval(conn: &Connection, task_id: i64) -> Result<Option<ApprovalRecord>> {
    Ok(conn
        .prepare_cached("SELECT task_id, run_id, workflow_id, activity_id, grp, message, deadline, decision, comment, decided_by, created_at FROM approvals WHERE task_id = ?1")?
        .query_row([task_id], approval_from_row)
        .optional()?)
}

/// The outcome an approval takes when its deadline passes (`approve` or `reject`).
pub(super) fn approval_default(conn: &Connection, task_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT default_outcome FROM approvals WHERE task_id = ?1")?
        .query_row([task_id], |r| r.get(0))
        .optional()?)
}

fn approval_from_row(r: &Row<'_>) -> rusqlite::Result<ApprovalRecord> {
    Ok(ApprovalRecord {
        task_id: r.get(0)?,
        run_id: r.get(1)?,
        workflow_id: r.get(2)?,
        activity_id: r.get(3)?,
        group: r.get(4)?,
        message: r.get(5)?,
        deadline: r.get(6)?,
        decision: r.get(7)?,
        comment: r.get(8)?,
        decided_by: r.get(9)?,
        created_at: r.get(10)?,
    })
}

impl<C: HasConn> TaskReads for C {
    fn task(&self, task_id: i64) -> Result<TaskRecord> {
        task(self.conn(), task_id)
    }
    fn tasks_of_run(&self, run_id: i64) -> Result<Vec<TaskRecord>> {
        tasks_of_run(self.conn(), run_id)
    }
    fn latest_result(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>> {
        latest_result(self.conn(), run_id, activity_id)
    }
    fn latest_success(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>> {
        latest_success(self.conn(), run_id, activity_id)
    }
    fn has_task(&self, run_id: i64, activity_id: &str) -> Result<bool> {
        has_task(self.conn(), run_id, activity_id)
    }
    fn ended_count(&self, run_id: i64, activity_id: &str) -> Result<u32> {
        ended_count(self.conn(), run_id, activity_id)
    }
    fn attempts(&self, task_id: i64) -> Result<Vec<AttemptRecord>> {
        attempts(self.conn(), task_id)
    }
    fn logs(&self, run_id: i64, activity_id: Option<&str>) -> Result<Vec<LogLine>> {
        logs(self.conn(), run_id, activity_id)
    }
    fn activity_logs(
        &self,
        workflow_id: &str,
        activity_id: &str,
        limit: u32,
    ) -> Result<Vec<LogLine>> {
        activity_logs(self.conn(), workflow_id, activity_id, limit)
    }
    fn edges(&self, run_id: i64) -> Result<Vec<EdgeRecord>> {
        edges(self.conn(), run_id)
    }
    fn timeline(
        &self,
        run_id: i64,
        after: TimelineCursor,
        limit: u32,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        timeline(self.conn(), run_id, after, limit)
    }
    fn incoming_edges(
        &self,
        run_id: i64,
        activity_id: &str,
    ) -> Result<Vec<(String, String, i64, bool)>> {
        incoming_edges(self.conn(), run_id, activity_id)
    }
    fn due_ready_tasks(&self, now: Millis, from_id: i64, limit: u32) -> Result<Vec<ReadyTask>> {
        due_ready_tasks(self.conn(), now, from_id, limit)
    }
    fn claim_ready_tasks(&self, ids: &[i64], now: Millis, limit: u32) -> Result<Vec<ReadyTask>> {
        claim_ready_tasks(self.conn(), ids, now, limit)
    }
    fn due_waiting_tasks(&self, now: Millis) -> Result<Vec<(i64, i64, WaitReason)>> {
        due_waiting_tasks(self.conn(), now)
    }
    fn next_wake(&self) -> Result<Option<Millis>> {
        next_wake(self.conn())
    }
    fn round_poll(&self) -> Result<RoundPoll> {
        round_poll(self.conn())
    }
    fn active_tasks_of_run(&self, run_id: i64) -> Result<Vec<ActiveTask>> {
        active_tasks_of_run(self.conn(), run_id)
    }
    fn workflow_has_running_task(&self, workflow_id: &str) -> Result<bool> {
        workflow_has_running_task(self.conn(), workflow_id)
    }
    fn running_attempt_pids(&self) -> Result<Vec<u32>> {
        running_attempt_pids(self.conn())
    }
    fn running_tasks(&self) -> Result<Vec<(i64, i64)>> {
        running_tasks(self.conn())
    }
    fn open_approvals(&self, workflow_id: Option<&str>) -> Result<Vec<ApprovalRecord>> {
        open_approvals(self.conn(), workflow_id)
    }
    fn approval(&self, task_id: i64) -> Result<Option<ApprovalRecord>> {
        approval(self.conn(), task_id)
    }
    fn approval_default(&self, task_id: i64) -> Result<Option<String>> {
        approval_default(self.conn(), task_id)
    }
}
