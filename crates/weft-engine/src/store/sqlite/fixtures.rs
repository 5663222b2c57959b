//! Large SQLite fixtures for benchmarks, written with plain SQL in one transaction: a million
//! finished runs cost seconds this way, against minutes through the executor. Not used by the
//! engine.

use crate::model::WorkflowFile;
use crate::store::{Result, Store};
use rusqlite::params;
use std::path::Path;

/// Gives the store file at `path` `count` finished runs spread over 20 workflows (`wf-0` …
/// `wf-19`, each with `body` as revision 1), a minute apart; does nothing when it holds that
/// many runs already.
pub fn fill_finished_runs(path: &Path, count: i64, body: &WorkflowFile) -> Result<()> {
    drop(Store::open(path)?);
    let mut conn = rusqlite::Connection::open(path)?;
    let existing: i64 = conn.query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))?;
    if existing >= count {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM runs", [])?;
    for w in 0..20 {
        let id = format!("wf-{w}");
        tx.execute(
            "INSERT OR IGNORE INTO workflows (id, name, revision, created_at, updated_at) VALUES (?1, ?2, 1, 0, 0)",
            params![id, format!("Workflow {w}")],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO revisions (workflow_id, revision, body, created_at) VALUES (?1, 1, ?2, 0)",
            params![id, body.to_pretty_json()],
        )?;
    }
    const STATUSES: [&str; 8] = [
        "completed",
        "completed",
        "completed",
        "completed",
        "failed",
        "cancelled",
        "completed",
        "rejected",
    ];
    {
        let mut insert = tx.prepare(
            "INSERT INTO runs (workflow_id, revision, status, trigger, params, created_at, started_at, ended_at) VALUES (?1, 1, ?2, ?3, '{}', ?4, ?4, ?5)",
        )?;
        for i in 0..count {
            let at = 1_700_000_000_000 + i * 60_000;
            let trigger = if i % 3 == 0 { "manual" } else { "schedule" };
            insert.execute(params![
                format!("wf-{}", i % 20),
                STATUSES[(i % 8) as usize],
                trigger,
                at,
                at + 1234
            ])?;
        }
    }
    tx.commit()?;
    checkpoint(path)
}

/// Gives the store file at `path` one finished run of `tasks` tasks (workflow `wf-big`, with
/// `body` as revision 1) and returns its id: each task created, run once and ended, several in
/// the same millisecond, each marking the transition to the next. For replay benchmarks and
/// tests of timeline paging.
pub fn fill_large_run(path: &Path, tasks: i64, body: &WorkflowFile) -> Result<i64> {
    drop(Store::open(path)?);
    let mut conn = rusqlite::Connection::open(path)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR IGNORE INTO workflows (id, name, revision, created_at, updated_at) VALUES ('wf-big', 'Big run', 1, 0, 0)",
        [],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO revisions (workflow_id, revision, body, created_at) VALUES ('wf-big', 1, ?1, 0)",
        params![body.to_pretty_json()],
    )?;
    let t0: i64 = 1_700_000_000_000;
    tx.execute(
        "INSERT INTO runs (workflow_id, revision, status, trigger, params, created_at, started_at, ended_at) VALUES ('wf-big', 1, 'completed', 'manual', '{}', ?1, ?1, ?2)",
        params![t0, t0 + tasks / 3 + 10],
    )?;
    let run = tx.last_insert_rowid();
    {
        let mut task = tx.prepare(
            "INSERT INTO tasks (run_id, activity_id, status, attempt, port, record_count, created_at, started_at, ended_at) VALUES (?1, ?2, 'succeeded', 1, 'ok', ?3, ?4, ?4, ?5)",
        )?;
        let mut attempt = tx.prepare(
            "INSERT INTO attempts (task_id, attempt, status, started_at, ended_at) VALUES (?1, 1, 'succeeded', ?2, ?3)",
        )?;
        let mut mark = tx.prepare(
            "INSERT INTO run_edge_marks (run_id, from_activity, port, to_activity, taken, records, at, after_task) VALUES (?1, ?2, 'ok', ?3, 1, ?4, ?5, ?6)",
        )?;
        for i in 0..tasks {
            // Three tasks a millisecond: ties that only the order of kinds and ids breaks.
            let at = t0 + i / 3;
            let activity = format!("a{}", i % 10);
            task.execute(params![run, activity, i, at, at + 1])?;
            let id = tx.last_insert_rowid();
            attempt.execute(params![id, at, at + 1])?;
            mark.execute(params![
                run,
                activity,
                format!("a{}", (i + 1) % 10),
                i,
                at + 1,
                id
            ])?;
        }
    }
    tx.commit()?;
    checkpoint(path)?;
    Ok(run)
}

/// Folds the write-ahead log back into the file, so that copies of it are whole.
pub fn checkpoint(path: &Path) -> Result<()> {
    rusqlite::Connection::open(path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}
