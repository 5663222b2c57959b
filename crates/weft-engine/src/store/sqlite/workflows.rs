//! Workflows and their revisions: every save is a new revision; runs pin one.

use super::{HasConn, Tx};
use crate::model::WorkflowFile;
use crate::store::api::{EventWrites, WorkflowReads, WorkflowWrites};
use crate::store::workflows::{describe_schedule, NameSeries, RevisionInfo, WorkflowRow};
use crate::store::{
    Error, EventBody, Millis, Result, RunStatus, WorkflowChange, WorkflowState, WorkflowSummary,
};
use rusqlite::{params, Connection, OptionalExtension};

impl WorkflowWrites for Tx<'_> {
    /// Creates a workflow with its first revision.
    fn insert_workflow(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO workflows (id, name, state, revision, created_at, updated_at) VALUES (?1, ?2, 'being_edited', 1, ?3, ?3)",
            params![id, body.name, now],
        )?;
        self.conn().execute(
            "INSERT INTO revisions (workflow_id, revision, body, created_at) VALUES (?1, 1, ?2, ?3)",
            params![id, body.to_pretty_json(), now],
        )?;
        self.emit(
            now,
            Some(id),
            None,
            None,
            EventBody::WorkflowChanged(WorkflowChange {
                revision: Some(1),
                ..WorkflowChange::default()
            }),
        )?;
        Ok(1)
    }

    /// Saves a new revision and returns its number.
    fn insert_revision(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64> {
        let revision: i64 = self
            .conn()
            .query_row("SELECT revision FROM workflows WHERE id = ?1", [id], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "workflow",
                id: id.into(),
            })?
            + 1;
        self.conn().execute(
            "INSERT INTO revisions (workflow_id, revision, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, revision, body.to_pretty_json(), now],
        )?;
        self.conn().execute(
            "UPDATE workflows SET revision = ?2, name = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, revision, body.name, now],
        )?;
        self.emit(
            now,
            Some(id),
            None,
            None,
            EventBody::WorkflowChanged(WorkflowChange {
                revision: Some(revision),
                ..WorkflowChange::default()
            }),
        )?;
        Ok(revision)
    }

    /// Changes a workflow's life-cycle state.
    fn set_workflow_state(&mut self, id: &str, state: WorkflowState, now: Millis) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE workflows SET state = ?2, updated_at = updated_at, armed_at = CASE WHEN ?2 = 'started' AND state <> 'paused' THEN ?3 ELSE armed_at END WHERE id = ?1 AND state <> ?2",
            params![id, state, now],
        )?;
        if changed > 0 {
            self.emit(
                now,
                Some(id),
                None,
                None,
                EventBody::WorkflowState { state },
            )?;
        }
        Ok(())
    }

    /// Sets the simulation flag and the restart-requested flag.
    fn set_workflow_flags(
        &mut self,
        id: &str,
        simulate: Option<bool>,
        restart_requested: Option<bool>,
    ) -> Result<()> {
        if let Some(s) = simulate {
            self.conn().execute(
                "UPDATE workflows SET simulate = ?2 WHERE id = ?1",
                params![id, s],
            )?;
        }
        if let Some(r) = restart_requested {
            self.conn().execute(
                "UPDATE workflows SET restart_requested = ?2 WHERE id = ?1",
                params![id, r],
            )?;
        }
        Ok(())
    }

    /// Renames a workflow (the next revision carries the name too).
    fn rename_workflow(&mut self, id: &str, name: &str, now: Millis) -> Result<()> {
        let body = latest_body(self.conn(), id)?.1;
        let mut body = body;
        body.name = name.to_string();
        self.insert_revision(id, &body, now)?;
        Ok(())
    }

    /// Deletes a workflow with all its revisions, runs, tasks and logs.
    fn delete_workflow(&mut self, id: &str, now: Millis) -> Result<()> {
        let c = self.conn();
        c.execute("DELETE FROM runs WHERE workflow_id = ?1", [id])?;
        c.execute("DELETE FROM firings WHERE workflow_id = ?1", [id])?;
        c.execute("DELETE FROM approvals WHERE workflow_id = ?1", [id])?;
        let n = c.execute("DELETE FROM workflows WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "workflow",
                id: id.into(),
            });
        }
        self.emit(
            now,
            Some(id),
            None,
            None,
            EventBody::WorkflowChanged(WorkflowChange {
                deleted: true,
                ..WorkflowChange::default()
            }),
        )?;
        Ok(())
    }

    fn set_revision_origin(
        &mut self,
        id: &str,
        revision: i64,
        source: &str,
        note: Option<&str>,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "UPDATE revisions SET source = ?3, note = ?4 WHERE workflow_id = ?1 AND revision = ?2",
            )?
            .execute(params![id, revision, source, note])?;
        Ok(())
    }
}

/// Reads one workflow's row.
pub(super) fn workflow_row(conn: &Connection, id: &str) -> Result<WorkflowRow> {
    conn.prepare_cached("SELECT id, state, revision, simulate, restart_requested, armed_at FROM workflows WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(WorkflowRow {
                id: r.get(0)?,
                state: r.get(1)?,
                revision: r.get(2)?,
                simulate: r.get(3)?,
                restart_requested: r.get(4)?,
                armed_at: r.get(5)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "workflow", id: id.into() })
}

/// Workflows in one of these states.
pub(super) fn workflows_in_states(
    conn: &Connection,
    states: &[WorkflowState],
) -> Result<Vec<WorkflowRow>> {
    let mut out = Vec::new();
    for state in states {
        let mut stmt = conn.prepare_cached(
            "SELECT id, state, revision, simulate, restart_requested, armed_at FROM workflows WHERE state = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([state], |r| {
            Ok(WorkflowRow {
                id: r.get(0)?,
                state: r.get(1)?,
                revision: r.get(2)?,
                simulate: r.get(3)?,
                restart_requested: r.get(4)?,
                armed_at: r.get(5)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// The body of one revision.
pub(super) fn revision_body(conn: &Connection, id: &str, revision: i64) -> Result<WorkflowFile> {
    let text: String = conn
        .prepare_cached("SELECT body FROM revisions WHERE workflow_id = ?1 AND revision = ?2")?
        .query_row(params![id, revision], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "revision",
            id: format!("{id}@{revision}"),
        })?;
    crate::load::from_stored_str(&text).map_err(|e| Error::Corrupt {
        what: "workflow revision",
        message: e.to_string(),
    })
}

/// The id of the workflow with this id or, failing that, this name.
pub(super) fn find_id(conn: &Connection, id_or_name: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM workflows WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
        )?
        .query_row([id_or_name], |r| r.get(0))
        .optional()?)
}

/// The latest revision number and body.
pub(super) fn latest_body(conn: &Connection, id: &str) -> Result<(i64, WorkflowFile)> {
    let revision: i64 = conn
        .prepare_cached("SELECT revision FROM workflows WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "workflow",
            id: id.into(),
        })?;
    Ok((revision, revision_body(conn, id, revision)?))
}

/// Revision numbers and save times of a workflow, newest first.
pub(super) fn revisions(conn: &Connection, id: &str) -> Result<Vec<RevisionInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT revision, created_at, source, note FROM revisions WHERE workflow_id = ?1 ORDER BY revision DESC",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(RevisionInfo {
            revision: r.get(0)?,
            created_at: r.get(1)?,
            source: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The id of the workflow with this exact name (names are unique in a store).
pub(super) fn workflow_id_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM workflows WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// The first name of the series from `base` that no workflow bears, at most
/// [`MAX_NAME_CHARS`](crate::model::MAX_NAME_CHARS) long (the base is shortened to make room for
/// the suffix). Call it in the transaction that creates the workflow, so that nobody takes the
/// name in between.
pub(super) fn free_name(conn: &Connection, base: &str, series: NameSeries) -> Result<String> {
    let count: u32 = conn.query_row("SELECT COUNT(*) FROM workflows", [], |r| r.get(0))?;
    // Among count + 1 distinct candidates at least one is free.
    for n in 1..=count.saturating_add(1) {
        let suffix = match (series, n) {
            (NameSeries::Numbered, 1) => String::new(),
            (NameSeries::Numbered, n) => format!(" ({n})"),
            (NameSeries::Copy, 1) => " (copy)".to_string(),
            (NameSeries::Copy, n) => format!(" (copy {n})"),
        };
        let room = crate::model::MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
        let candidate: String = base.chars().take(room).chain(suffix.chars()).collect();
        if workflow_id_by_name(conn, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(Error::Corrupt {
        what: "workflow names",
        message: format!("no free name for {base:?}"),
    })
}

/// Every workflow as a card, by name (its `commands` are filled by the operations API).
pub(super) fn list_workflows(conn: &Connection) -> Result<Vec<WorkflowSummary>> {
    summaries(conn, None)
}

fn summaries(conn: &Connection, id: Option<&str>) -> Result<Vec<WorkflowSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.name, w.state, w.revision, w.simulate, w.updated_at,
                (SELECT status FROM runs r WHERE r.workflow_id = w.id ORDER BY r.id DESC LIMIT 1),
                (SELECT body FROM revisions v WHERE v.workflow_id = w.id AND v.revision = w.revision)
         FROM workflows w WHERE ?1 IS NULL OR w.id = ?1 ORDER BY w.name COLLATE NOCASE, w.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let body: Option<String> = r.get(7)?;
        let last: Option<RunStatus> = r.get(6)?;
        Ok(WorkflowSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            state: r.get(2)?,
            revision: r.get(3)?,
            simulate: r.get(4)?,
            updated_at: r.get(5)?,
            last_run_status: last,
            schedule: body
                .and_then(|b| crate::load::from_stored_str(&b).ok())
                .and_then(|wf| describe_schedule(&wf)),
            commands: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One workflow's card.
pub(super) fn workflow_summary(conn: &Connection, id: &str) -> Result<WorkflowSummary> {
    summaries(conn, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound {
            what: "workflow",
            id: id.into(),
        })
}

impl<C: HasConn> WorkflowReads for C {
    fn workflow_row(&self, id: &str) -> Result<WorkflowRow> {
        workflow_row(self.conn(), id)
    }
    fn workflows_in_states(&self, states: &[WorkflowState]) -> Result<Vec<WorkflowRow>> {
        workflows_in_states(self.conn(), states)
    }
    fn revision_body(&self, id: &str, revision: i64) -> Result<WorkflowFile> {
        revision_body(self.conn(), id, revision)
    }
    fn latest_body(&self, id: &str) -> Result<(i64, WorkflowFile)> {
        latest_body(self.conn(), id)
    }
    fn revisions(&self, id: &str) -> Result<Vec<RevisionInfo>> {
        revisions(self.conn(), id)
    }
    fn find_workflow_id(&self, id_or_name: &str) -> Result<Option<String>> {
        find_id(self.conn(), id_or_name)
    }
    fn workflow_id_by_name(&self, name: &str) -> Result<Option<String>> {
        workflow_id_by_name(self.conn(), name)
    }
    fn free_name(&self, base: &str, series: NameSeries) -> Result<String> {
        free_name(self.conn(), base, series)
    }
    fn list_workflows(&self) -> Result<Vec<WorkflowSummary>> {
        list_workflows(self.conn())
    }
    fn workflow_summary(&self, id: &str) -> Result<WorkflowSummary> {
        workflow_summary(self.conn(), id)
    }
}
