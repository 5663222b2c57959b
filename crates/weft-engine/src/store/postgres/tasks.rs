//! Tasks, their attempts, log lines, transition states and approvals; claims and leases.

use super::{args, both, json_column, Col, Tx, Q, V};
use crate::store::api::{EventWrites, TaskReads, TaskWrites};
use crate::store::tasks::{
    ActiveTask, EdgeRef, NewApproval, ReadyTask, RoundPoll, RunRef, TaskEnd, TaskRef, TaskState,
    LEASE_MS, LOG_LINES_LIMIT,
};
use crate::store::timeline::{
    entry_from, TimelineCursor, TimelineEntry, TimelineRow, TIMELINE_SQL,
};
use crate::store::{
    ApprovalRecord, AttemptRecord, EdgeRecord, Error, EventBody, LogLine, Millis, Result,
    TaskChange, TaskRecord, TaskStatus, WaitReason,
};
use tokio_postgres::Row;

fn returned_id(row: Option<Row>, what: &'static str) -> Result<i64> {
    row.ok_or_else(|| Error::Corrupt {
        what,
        message: "no id returned".into(),
    })?
    .c(0)
}

impl TaskWrites for Tx<'_> {
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
        self.lock_run(run.id)?;
        let id = returned_id(
            self.q1(
                "INSERT INTO tasks (run_id, activity_id, status, wait_reason, wake_at, created_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                args![run.id, activity_id, status, reason, wake_at, now, (!status.is_active()).then_some(now)],
            )?,
            "task",
        )?;
        self.note_locked(id, run.id);
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

    fn insert_reused_task(
        &mut self,
        run: RunRef<'_>,
        from: &TaskRecord,
        now: Millis,
    ) -> Result<i64> {
        self.lock_run(run.id)?;
        let id = returned_id(
            self.q1(
                "INSERT INTO tasks (run_id, activity_id, status, attempt, port, args, result, record_count, stdout, stderr, reused, created_at, started_at, ended_at)
                 VALUES ($1, $2, 'succeeded', $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $10, $10) RETURNING id",
                args![run.id, &from.activity_id, from.attempt, from.port.as_deref(), from.args.to_string(), from.result.to_string(), from.record_count, &from.stdout, &from.stderr, now],
            )?,
            "task",
        )?;
        self.note_locked(id, run.id);
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

    fn start_attempt(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        args: &serde_json::Value,
        now: Millis,
    ) -> Result<()> {
        self.lock_run(task.run.id)?;
        let worker = self.store.worker.clone();
        // The attempt is leased to this process until its heartbeat stops renewing it.
        self.defer(
            "UPDATE tasks SET status = 'running', wait_reason = NULL, attempt = $2, args = $3, started_at = COALESCE(started_at, $4), wake_at = NULL,
                    lease_owner = $5, lease_until = $4 + $6 WHERE id = $1",
            args![task.id, attempt, args.to_string(), now, worker.as_str(), LEASE_MS],
        );
        self.defer(
            "INSERT INTO attempts (task_id, attempt, status, started_at, worker) VALUES ($1, $2, 'running', $3, $4)
             ON CONFLICT (task_id, attempt) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at, ended_at = NULL, result = NULL,
                 stdout = '', stderr = '', error = NULL, pid = NULL, worker = EXCLUDED.worker",
            args![task.id, attempt, now, worker.as_str()],
        );
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

    fn end_attempt(
        &mut self,
        task_id: i64,
        attempt: u32,
        status: &str,
        end: &TaskEnd<'_>,
        now: Millis,
    ) -> Result<()> {
        self.lock_task(task_id)?;
        self.defer(
            "UPDATE attempts SET status = $3, ended_at = $4, result = $5, stdout = $6, stderr = $7, error = $8 WHERE task_id = $1 AND attempt = $2",
            args![task_id, attempt, status, now, end.result.map(|r| r.to_string()), end.stdout, end.stderr, end.error],
        );
        Ok(())
    }

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
        self.lock_run(task.run.id)?;
        let ended = (!status.is_active()).then_some(now);
        // Leaving Running ends the lease (the owner's name stays, for the record).
        self.defer(
            "UPDATE tasks SET status = $2, wait_reason = $3, wake_at = $4, port = COALESCE($5, port), result = COALESCE($6, result),
                    record_count = COALESCE($7, record_count), stdout = $8, stderr = $9, error = $10, ended_at = $11,
                    lease_until = CASE WHEN $2 = 'running' THEN lease_until ELSE NULL END
             WHERE id = $1",
            args![task.id, status, reason, wake_at, end.port, end.result.map(|r| r.to_string()), end.record_count, end.stdout, end.stderr, end.error, ended],
        );
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

    fn set_task_wake(
        &mut self,
        task_id: i64,
        status: TaskStatus,
        wake_at: Option<Millis>,
    ) -> Result<()> {
        self.lock_task(task_id)?;
        self.q(
            "UPDATE tasks SET status = $2, wake_at = $3, wait_reason = CASE WHEN $2 = 'ready' AND wait_reason = 'hold' THEN NULL ELSE wait_reason END WHERE id = $1",
            args![task_id, status, wake_at],
        )?;
        Ok(())
    }

    fn count_interruption(&mut self, task_id: i64) -> Result<u32> {
        self.lock_task(task_id)?;
        self.q1_found(
            "UPDATE tasks SET interruptions = interruptions + 1 WHERE id = $1 RETURNING interruptions",
            args![task_id],
            "task",
            task_id,
        )?
        .u(0)
    }

    fn set_attempt_pid(&mut self, task_id: i64, attempt: u32, pid: u32) -> Result<()> {
        // Not a change of run state: no run lock, so recording a process id never waits.
        self.q(
            "UPDATE attempts SET pid = $3 WHERE task_id = $1 AND attempt = $2",
            args![task_id, attempt, pid],
        )?;
        Ok(())
    }

    fn append_log(
        &mut self,
        task: TaskRef<'_>,
        attempt: u32,
        level: &str,
        message: &str,
        now: Millis,
    ) -> Result<()> {
        // Counted and written in one statement: the line, the truncation notice once the
        // attempt reached its limit, or nothing after that.
        let Some(written) = self.q1(
            "INSERT INTO task_logs (task_id, attempt, at, level, message)
             SELECT $1, $2, $3, $4, CASE WHEN n = $6 THEN $7 ELSE $5 END
             FROM (SELECT COUNT(*) AS n FROM task_logs WHERE task_id = $1 AND attempt = $2) c
             WHERE n <= $6
             RETURNING message",
            args![
                task.id,
                attempt,
                now,
                level,
                message,
                LOG_LINES_LIMIT,
                "… log truncated: further lines of this attempt are dropped"
            ],
        )?
        else {
            return Ok(());
        };
        let message: String = written.c(0)?;
        self.emit(
            now,
            Some(task.run.workflow_id),
            Some(task.run.id),
            Some(task.id),
            EventBody::Log {
                level: level.to_string(),
                message,
            },
        )
    }

    fn mark_edge(
        &mut self,
        run: RunRef<'_>,
        edge: EdgeRef<'_>,
        taken: Option<Option<i64>>,
        now: Millis,
    ) -> Result<()> {
        self.lock_run(run.id)?;
        let records = taken.flatten();
        self.defer(
            "INSERT INTO run_edges AS e (run_id, from_activity, port, to_activity, taken, dead, records) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (run_id, from_activity, port, to_activity) DO UPDATE SET
               taken = e.taken + EXCLUDED.taken,
               dead = CASE WHEN EXCLUDED.taken > 0 THEN FALSE ELSE EXCLUDED.dead END,
               records = CASE WHEN EXCLUDED.records IS NULL THEN e.records ELSE COALESCE(e.records, 0) + EXCLUDED.records END",
            args![run.id, edge.from, edge.port, edge.to, i64::from(taken.is_some()), taken.is_none(), records],
        );
        // The same mark with its time, kept for the replay (run_edges only adds up).
        self.defer(
            "INSERT INTO run_edge_marks (run_id, from_activity, port, to_activity, taken, records, at, after_task)
             VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(id), 0) FROM tasks WHERE run_id = $1))",
            args![run.id, edge.from, edge.port, edge.to, taken.is_some(), records, now],
        );
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

    fn insert_approval(&mut self, approval: &NewApproval<'_>, now: Millis) -> Result<()> {
        let t = approval.task;
        self.lock_run(t.run.id)?;
        self.q(
            "INSERT INTO approvals (task_id, run_id, workflow_id, activity_id, grp, message, deadline, default_outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (task_id) DO UPDATE SET run_id = EXCLUDED.run_id, workflow_id = EXCLUDED.workflow_id, activity_id = EXCLUDED.activity_id, grp = EXCLUDED.grp,
                 message = EXCLUDED.message, deadline = EXCLUDED.deadline, default_outcome = EXCLUDED.default_outcome, decision = NULL, comment = NULL,
                 decided_by = NULL, decided_at = NULL, created_at = EXCLUDED.created_at",
            args![t.id, t.run.id, t.run.workflow_id, t.activity_id, approval.group, approval.message, approval.deadline, approval.default_outcome, now],
        )?;
        Ok(())
    }

    fn decide_approval(
        &mut self,
        task_id: i64,
        decision: &str,
        comment: Option<&str>,
        by: Option<&str>,
        now: Millis,
    ) -> Result<bool> {
        self.lock_task(task_id)?;
        Ok(self.n(
            "UPDATE approvals SET decision = $2, comment = $3, decided_by = $4, decided_at = $5 WHERE task_id = $1 AND decision IS NULL RETURNING 1",
            args![task_id, decision, comment, by, now],
        )? == 1)
    }

    fn take_over_lapsed(&mut self, now: Millis) -> Result<Vec<(i64, i64)>> {
        let worker = self.store.worker.clone();
        // Both the task and its run are locked (run first in every other transaction too, so no
        // deadlock), skipping those another transaction holds.
        let rows = self.q(
            "UPDATE tasks SET lease_owner = $1, lease_until = $2 + $3
             WHERE id IN (SELECT t.id FROM tasks t JOIN runs r ON r.id = t.run_id
                          WHERE t.status = 'running' AND t.lease_until IS NOT NULL AND t.lease_until < $2
                          ORDER BY t.id LIMIT 100 FOR UPDATE OF t, r SKIP LOCKED)
             RETURNING id, run_id",
            args![worker.as_str(), now, LEASE_MS],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (task_id, run_id): (i64, i64) = (r.c(0)?, r.c(1)?);
            self.note_locked(task_id, run_id);
            out.push((task_id, run_id));
        }
        Ok(out)
    }

    fn renew_leases(&mut self, tasks: &[i64], now: Millis) -> Result<Vec<i64>> {
        if tasks.is_empty() {
            return Ok(Vec::new());
        }
        let worker = self.store.worker.clone();
        self.q(
            "UPDATE tasks SET lease_until = $3 + $4 WHERE id = ANY($1) AND lease_owner = $2 AND status = 'running' RETURNING id",
            &[
                V::IA(tasks.iter().map(|t| Some(*t)).collect()),
                worker.as_str().into(),
                now.into(),
                LEASE_MS.into(),
            ],
        )?
        .iter()
        .map(|r| r.c(0))
        .collect()
    }

    fn release_leases(&mut self) -> Result<()> {
        let worker = self.store.worker.clone();
        self.q(
            "UPDATE tasks SET lease_until = 0 WHERE lease_owner = $1 AND status = 'running' AND lease_until IS NOT NULL",
            args![worker.as_str()],
        )?;
        Ok(())
    }
}

const TASK_COLUMNS: &str = "id, run_id, activity_id, status, wait_reason, attempt, wake_at, port, args, result, record_count, stdout, stderr, error, reused, created_at, started_at, ended_at, interruptions";

fn task_from(r: &Row) -> Result<TaskRecord> {
    Ok(TaskRecord {
        id: r.c(0)?,
        run_id: r.c(1)?,
        activity_id: r.c(2)?,
        status: r.e(3)?,
        wait_reason: r.oe(4)?,
        attempt: r.u(5)?,
        wake_at: r.c(6)?,
        port: r.c(7)?,
        args: json_column("task args", r.c(8)?)?,
        result: json_column("task result", r.c(9)?)?,
        record_count: r.c(10)?,
        stdout: r.c(11)?,
        stderr: r.c(12)?,
        error: r.c(13)?,
        reused: r.c(14)?,
        created_at: r.c(15)?,
        started_at: r.c(16)?,
        ended_at: r.c(17)?,
        interruptions: r.u(18)?,
    })
}

fn log_from(r: &Row) -> Result<LogLine> {
    Ok(LogLine {
        id: r.c(0)?,
        task_id: r.c(1)?,
        activity_id: r.c(2)?,
        attempt: r.u(3)?,
        at: r.c(4)?,
        level: r.c(5)?,
        message: r.c(6)?,
    })
}

fn approval_from(r: &Row) -> Result<ApprovalRecord> {
    Ok(ApprovalRecord {
        task_id: r.c(0)?,
        run_id: r.c(1)?,
        workflow_id: r.c(2)?,
        activity_id: r.c(3)?,
        group: r.c(4)?,
        message: r.c(5)?,
        deadline: r.c(6)?,
        decision: r.c(7)?,
        comment: r.c(8)?,
        decided_by: r.c(9)?,
        created_at: r.c(10)?,
    })
}

fn one_task(c: &impl Q, sql: &str, params: &[V]) -> Result<Option<TaskRecord>> {
    c.q1(sql, params)?.map(|r| task_from(&r)).transpose()
}

fn ready_from(r: &Row) -> Result<ReadyTask> {
    Ok(ReadyTask {
        task_id: r.c(0)?,
        run_id: r.c(1)?,
        activity_id: r.c(2)?,
        attempt: r.u(3)?,
        workflow_id: r.c(4)?,
        revision: r.c(5)?,
    })
}

/// Ready tasks: what [`ready_from`] reads, and the conditions for starting one. The wake time
/// is one comparison (not `IS NULL OR …`) so that the ready tasks are walked in id order on
/// `tasks_ready` and the walk stops at the limit.
const READY_SELECT: &str =
    "SELECT t.id, t.run_id, t.activity_id, t.attempt, r.workflow_id, r.revision FROM tasks t
     JOIN runs r ON r.id = t.run_id JOIN workflows w ON w.id = r.workflow_id
     WHERE t.status = 'ready' AND COALESCE(t.wake_at, 0) <= $1
       AND r.status IN ('running','waiting_for_approval') AND w.state NOT IN ('paused','stopping')";

both!(impl TaskReads {
    fn task(&self, task_id: i64) -> Result<TaskRecord> {
        self.lock_task(task_id)?;
        one_task(
            self,
            &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1"),
            args![task_id],
        )?
        .ok_or_else(|| Error::NotFound {
            what: "task",
            id: task_id.to_string(),
        })
    }
    fn tasks_of_run(&self, run_id: i64) -> Result<Vec<TaskRecord>> {
        self.lock_run(run_id)?;
        self.q(
            &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = $1 ORDER BY id"),
            args![run_id],
        )?
        .iter()
        .map(task_from)
        .collect()
    }
    fn latest_result(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>> {
        self.lock_run(run_id)?;
        one_task(
            self,
            &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = $1 AND activity_id = $2 AND status IN ('succeeded','failed') ORDER BY id DESC LIMIT 1"),
            args![run_id, activity_id],
        )
    }
    fn latest_success(&self, run_id: i64, activity_id: &str) -> Result<Option<TaskRecord>> {
        self.lock_run(run_id)?;
        one_task(
            self,
            &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = $1 AND activity_id = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1"),
            args![run_id, activity_id],
        )
    }
    fn has_task(&self, run_id: i64, activity_id: &str) -> Result<bool> {
        self.lock_run(run_id)?;
        Ok(self
            .q1(
                "SELECT 1 FROM tasks WHERE run_id = $1 AND activity_id = $2 LIMIT 1",
                args![run_id, activity_id],
            )?
            .is_some())
    }
    fn ended_count(&self, run_id: i64, activity_id: &str) -> Result<u32> {
        self.lock_run(run_id)?;
        let n: i64 = self
            .q1(
                "SELECT COUNT(*) FROM tasks WHERE run_id = $1 AND activity_id = $2 AND status NOT IN ('ready','running','waiting')",
                args![run_id, activity_id],
            )?
            .map(|r| r.c(0))
            .transpose()?
            .unwrap_or(0);
        Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
    }
    fn attempts(&self, task_id: i64) -> Result<Vec<AttemptRecord>> {
        self.q(
            "SELECT task_id, attempt, status, started_at, ended_at, result, stdout, stderr, error FROM attempts WHERE task_id = $1 ORDER BY attempt",
            args![task_id],
        )?
        .iter()
        .map(|r| {
            Ok(AttemptRecord {
                task_id: r.c(0)?,
                attempt: r.u(1)?,
                status: r.c(2)?,
                started_at: r.c(3)?,
                ended_at: r.c(4)?,
                result: json_column("attempt result", r.c(5)?)?,
                stdout: r.c(6)?,
                stderr: r.c(7)?,
                error: r.c(8)?,
            })
        })
        .collect()
    }
    fn logs(&self, run_id: i64, activity_id: Option<&str>) -> Result<Vec<LogLine>> {
        self.q(
            "SELECT l.id, l.task_id, t.activity_id, l.attempt, l.at, l.level, l.message FROM task_logs l JOIN tasks t ON t.id = l.task_id
             WHERE t.run_id = $1 AND ($2::text IS NULL OR t.activity_id = $2) ORDER BY l.id",
            args![run_id, activity_id],
        )?
        .iter()
        .map(log_from)
        .collect()
    }
    fn activity_logs(
        &self,
        workflow_id: &str,
        activity_id: &str,
        limit: u32,
    ) -> Result<Vec<LogLine>> {
        self.q(
            "SELECT l.id, l.task_id, t.activity_id, l.attempt, l.at, l.level, l.message FROM task_logs l JOIN tasks t ON t.id = l.task_id JOIN runs r ON r.id = t.run_id
             WHERE r.workflow_id = $1 AND t.activity_id = $2 ORDER BY l.id DESC LIMIT $3",
            args![workflow_id, activity_id, limit],
        )?
        .iter()
        .map(log_from)
        .collect()
    }
    fn edges(&self, run_id: i64) -> Result<Vec<EdgeRecord>> {
        self.lock_run(run_id)?;
        self.q(
            "SELECT from_activity, port, to_activity, taken, dead, records FROM run_edges WHERE run_id = $1",
            args![run_id],
        )?
        .iter()
        .map(|r| {
            Ok(EdgeRecord {
                from: r.c(0)?,
                port: r.c(1)?,
                to: r.c(2)?,
                taken: r.c(3)?,
                dead: r.c(4)?,
                records: r.c(5)?,
            })
        })
        .collect()
    }
    fn timeline(
        &self,
        run_id: i64,
        after: TimelineCursor,
        limit: u32,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        self.q(
            TIMELINE_SQL,
            args![run_id, after.at, after.grp, after.rank, after.id, after.sub, i64::from(limit)],
        )?
        .iter()
        .map(|r| {
            entry_from(TimelineRow {
                at: r.c(0)?,
                grp: r.c(1)?,
                rank: r.c(2)?,
                id: r.c(3)?,
                sub: r.c(4)?,
                activity: r.c(5)?,
                target: r.c(6)?,
                port: r.c(7)?,
                status: r.c(8)?,
                wait_reason: r.c(9)?,
                records: r.c(10)?,
                stderr_head: r.c(11)?,
            })
        })
        .collect()
    }
    fn incoming_edges(
        &self,
        run_id: i64,
        activity_id: &str,
    ) -> Result<Vec<(String, String, i64, bool)>> {
        self.lock_run(run_id)?;
        self.q(
            "SELECT from_activity, port, taken, dead FROM run_edges WHERE run_id = $1 AND to_activity = $2",
            args![run_id, activity_id],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.c(1)?, r.c(2)?, r.c(3)?)))
        .collect()
    }
    fn due_ready_tasks(&self, now: Millis, from_id: i64, limit: u32) -> Result<Vec<ReadyTask>> {
        self.q(
            &format!("{READY_SELECT} AND t.id >= $3 ORDER BY t.id LIMIT $2"),
            args![now, limit, from_id],
        )?
            .iter()
            .map(ready_from)
            .collect()
    }
    fn claim_ready_tasks(&self, ids: &[i64], now: Millis, limit: u32) -> Result<Vec<ReadyTask>> {
        if ids.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let params = [
            V::from(now),
            V::from(limit),
            V::IA(ids.iter().map(|i| Some(*i)).collect()),
        ];
        let select = format!("{READY_SELECT} AND t.id = ANY($3) ORDER BY t.id LIMIT $2");
        if !self.writing() {
            return self.q(&select, &params)?.iter().map(ready_from).collect();
        }
        // The claim: the tasks and their runs stay locked until the commit, which records their
        // attempts; other servers skip them instead of waiting.
        let rows = self.q(&format!("{select} FOR UPDATE OF t, r SKIP LOCKED"), &params)?;
        let ready: Vec<ReadyTask> = rows.iter().map(ready_from).collect::<Result<_>>()?;
        for task in &ready {
            self.note_claimed(task.task_id, task.run_id);
        }
        Ok(ready)
    }
    fn due_waiting_tasks(&self, now: Millis) -> Result<Vec<(i64, i64, WaitReason)>> {
        self.q(
            "SELECT t.id, t.run_id, t.wait_reason FROM tasks t
             JOIN runs r ON r.id = t.run_id JOIN workflows w ON w.id = r.workflow_id
             WHERE t.status = 'waiting' AND t.wake_at <= $1 AND w.state NOT IN ('paused','stopping')
             ORDER BY t.wake_at, t.id",
            args![now],
        )?
        .iter()
        .filter_map(|r| {
            // A waiting task without a reason has nothing to end.
            match (r.c::<i64>(0), r.c::<i64>(1), r.oe::<WaitReason>(2)) {
                (Ok(t), Ok(run), Ok(Some(reason))) => Some(Ok((t, run, reason))),
                (Ok(_), Ok(_), Ok(None)) => None,
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Some(Err(e)),
            }
        })
        .collect()
    }
    fn next_wake(&self) -> Result<Option<Millis>> {
        let row = self.q1(
            "SELECT LEAST((SELECT MIN(wake_at) FROM tasks WHERE status = 'ready'), (SELECT MIN(wake_at) FROM tasks WHERE status = 'waiting'))",
            &[],
        )?;
        Ok(row.map(|r| r.c::<Option<i64>>(0)).transpose()?.flatten())
    }
    fn round_poll(&self) -> Result<RoundPoll> {
        let row = self.q1(
            "SELECT EXISTS (SELECT 1 FROM commands WHERE applied_at IS NULL),
                    EXISTS (SELECT 1 FROM workflows WHERE state = 'stopping'),
                    (SELECT MIN(wake_at) FROM tasks WHERE status = 'waiting')",
            &[],
        )?;
        Ok(match row {
            Some(r) => RoundPoll {
                commands_pending: r.c(0)?,
                workflows_stopping: r.c(1)?,
                first_waiting_wake: r.c(2)?,
            },
            None => RoundPoll::default(),
        })
    }
    fn active_tasks_of_run(&self, run_id: i64) -> Result<Vec<ActiveTask>> {
        self.lock_run(run_id)?;
        self.q(
            "SELECT id, activity_id, status, wait_reason FROM tasks WHERE run_id = $1 AND status IN ('ready','running','waiting') ORDER BY id",
            args![run_id],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.c(1)?, r.e(2)?, r.oe(3)?)))
        .collect()
    }
    fn workflow_has_running_task(&self, workflow_id: &str) -> Result<bool> {
        Ok(self
            .q1(
                "SELECT 1 FROM tasks t JOIN runs r ON r.id = t.run_id WHERE t.status = 'running' AND r.workflow_id = $1 LIMIT 1",
                args![workflow_id],
            )?
            .is_some())
    }
    fn running_attempt_pids(&self) -> Result<Vec<u32>> {
        self.q(
            "SELECT pid FROM attempts WHERE status = 'running' AND pid IS NOT NULL",
            &[],
        )?
        .iter()
        .map(|r| r.u(0))
        .collect()
    }
    fn running_tasks(&self) -> Result<Vec<(i64, i64)>> {
        self.q(
            "SELECT id, run_id FROM tasks WHERE status = 'running' ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.c(0)?, r.c(1)?)))
        .collect()
    }
    fn open_approvals(&self, workflow_id: Option<&str>) -> Result<Vec<ApprovalRecord>> {
        self.q(
            "SELECT a.task_id, a.run_id, a.workflow_id, a.activity_id, a.grp, a.message, a.deadline, a.decision, a.comment, a.decided_by, a.created_at
             FROM approvals a JOIN tasks t ON t.id = a.task_id WHERE a.decision IS NULL AND t.status = 'waiting' AND ($1::text IS NULL OR a.workflow_id = $1) ORDER BY a.task_id",
            args![workflow_id],
        )?
        .iter()
        .map(approval_from)
        .collect()
    }
    fn approval(&self, task_id: i64) -> Result<Option<ApprovalRecord>> {
        self.lock_task(task_id)?;
        self.q1(
            "SELECT task_id, run_id, workflow_id, activity_id, grp, message, deadline, decision, comment, decided_by, created_at FROM approvals WHERE task_id = $1",
            args![task_id],
        )?
        .map(|r| approval_from(&r))
        .transpose()
    }
    fn approval_default(&self, task_id: i64) -> Result<Option<String>> {
        self.q1(
            "SELECT default_outcome FROM approvals WHERE task_id = $1",
            args![task_id],
        )?
        .map(|r| r.c(0))
        .transpose()
    }
    fn holds_lease(&self, task_id: i64, attempt: u32) -> Result<bool> {
        let check = (
            "SELECT 1 FROM tasks WHERE id = $1 AND attempt = $2 AND lease_owner = $3",
            args![task_id, attempt, self.worker()],
        );
        // The run's lock and the check sent together: PostgreSQL runs the check once the lock
        // is held, with a snapshot taken then, so it sees the last committed lease.
        let leased = match self.lock_task_and(task_id, check)? {
            Some(rows) => !rows.is_empty(),
            None => self.q1(check.0, check.1)?.is_some(),
        };
        Ok(leased)
    }
});
