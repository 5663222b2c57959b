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

/// Folds the write-ahead log back into the file, so that copies of it are whole.
pub fn checkpoint(path: &Path) -> Result<()> {
    rusqlite::Connection::open(path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}
