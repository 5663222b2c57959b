//! Workflows and their revisions: every save is a new revision; runs pin one.

use super::{args, both, Col, Tx, Q};
use crate::model::WorkflowFile;
use crate::store::api::{EventWrites, WorkflowReads, WorkflowWrites};
use crate::store::workflows::{describe_schedule, NameSeries, RevisionInfo, WorkflowRow};
use crate::store::{
    Error, EventBody, Millis, Result, WorkflowChange, WorkflowState, WorkflowSummary,
};
use tokio_postgres::Row;

impl WorkflowWrites for Tx<'_> {
    fn insert_workflow(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64> {
        self.q(
            "INSERT INTO workflows (id, name, state, revision, created_at, updated_at) VALUES ($1, $2, 'being_edited', 1, $3, $3)",
            args![id, &body.name, now],
        )?;
        self.q(
            "INSERT INTO revisions (workflow_id, revision, body, created_at) VALUES ($1, 1, $2, $3)",
            args![id, body.to_pretty_json(), now],
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

    fn insert_revision(&mut self, id: &str, body: &WorkflowFile, now: Millis) -> Result<i64> {
        // Locking the workflow row: two servers saving at once get consecutive revisions.
        let revision: i64 = self
            .q1_found(
                "SELECT revision FROM workflows WHERE id = $1 FOR UPDATE",
                args![id],
                "workflow",
                id,
            )?
            .c::<i64>(0)?
            + 1;
        self.q(
            "INSERT INTO revisions (workflow_id, revision, body, created_at) VALUES ($1, $2, $3, $4)",
            args![id, revision, body.to_pretty_json(), now],
        )?;
        self.q(
            "UPDATE workflows SET revision = $2, name = $3, updated_at = $4 WHERE id = $1",
            args![id, revision, &body.name, now],
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

    fn set_workflow_state(&mut self, id: &str, state: WorkflowState, now: Millis) -> Result<()> {
        let changed = self.n(
            "UPDATE workflows SET state = $2, armed_at = CASE WHEN $2 = 'started' AND state <> 'paused' THEN $3 ELSE armed_at END WHERE id = $1 AND state <> $2 RETURNING 1",
            args![id, state, now],
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

    fn set_workflow_flags(
        &mut self,
        id: &str,
        simulate: Option<bool>,
        restart_requested: Option<bool>,
    ) -> Result<()> {
        if let Some(s) = simulate {
            self.q(
                "UPDATE workflows SET simulate = $2 WHERE id = $1",
                args![id, s],
            )?;
        }
        if let Some(r) = restart_requested {
            self.q(
                "UPDATE workflows SET restart_requested = $2 WHERE id = $1",
                args![id, r],
            )?;
        }
        Ok(())
    }

    fn rename_workflow(&mut self, id: &str, name: &str, now: Millis) -> Result<()> {
        let mut body = latest_body(self, id)?.1;
        body.name = name.to_string();
        self.insert_revision(id, &body, now)?;
        Ok(())
    }

    fn delete_workflow(&mut self, id: &str, now: Millis) -> Result<()> {
        *self.runs.borrow_mut() = super::RunCache::default();
        self.q("DELETE FROM runs WHERE workflow_id = $1", args![id])?;
        self.q("DELETE FROM firings WHERE workflow_id = $1", args![id])?;
        self.q("DELETE FROM approvals WHERE workflow_id = $1", args![id])?;
        let n = self.n("DELETE FROM workflows WHERE id = $1 RETURNING 1", args![id])?;
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
        self.q(
            "UPDATE revisions SET source = $3, note = $4 WHERE workflow_id = $1 AND revision = $2",
            args![id, revision, source, note],
        )?;
        Ok(())
    }
}

const ROW_COLUMNS: &str = "id, state, revision, simulate, restart_requested, armed_at";

fn workflow_from(r: &Row) -> Result<WorkflowRow> {
    Ok(WorkflowRow {
        id: r.c(0)?,
        state: r.e(1)?,
        revision: r.c(2)?,
        simulate: r.c(3)?,
        restart_requested: r.c(4)?,
        armed_at: r.c(5)?,
    })
}

fn revision_body(c: &impl Q, id: &str, revision: i64) -> Result<WorkflowFile> {
    let text: String = c
        .q1_found(
            "SELECT body FROM revisions WHERE workflow_id = $1 AND revision = $2",
            args![id, revision],
            "revision",
            format!("{id}@{revision}"),
        )?
        .c(0)?;
    crate::load::from_stored_str(&text).map_err(|e| Error::Corrupt {
        what: "workflow revision",
        message: e.to_string(),
    })
}

pub(super) fn latest_body(c: &impl Q, id: &str) -> Result<(i64, WorkflowFile)> {
    let revision: i64 = c
        .q1_found(
            "SELECT revision FROM workflows WHERE id = $1",
            args![id],
            "workflow",
            id,
        )?
        .c(0)?;
    Ok((revision, revision_body(c, id, revision)?))
}

fn summaries(c: &impl Q, id: Option<&str>) -> Result<Vec<WorkflowSummary>> {
    let rows = c.q(
        "SELECT w.id, w.name, w.state, w.revision, w.simulate, w.updated_at,
                (SELECT status FROM runs r WHERE r.workflow_id = w.id ORDER BY r.id DESC LIMIT 1),
                (SELECT body FROM revisions v WHERE v.workflow_id = w.id AND v.revision = w.revision)
         FROM workflows w WHERE $1::text IS NULL OR w.id = $1 ORDER BY lower(w.name), w.name, w.id",
        args![id],
    )?;
    rows.iter()
        .map(|r| {
            let body: Option<String> = r.c(7)?;
            Ok(WorkflowSummary {
                id: r.c(0)?,
                name: r.c(1)?,
                state: r.e(2)?,
                revision: r.c(3)?,
                simulate: r.c(4)?,
                updated_at: r.c(5)?,
                last_run_status: r.oe(6)?,
                schedule: body
                    .and_then(|b| crate::load::from_stored_str(&b).ok())
                    .and_then(|wf| describe_schedule(&wf)),
                commands: Vec::new(),
            })
        })
        .collect()
}

fn by_name(c: &impl Q, name: &str) -> Result<Option<String>> {
    c.q1("SELECT id FROM workflows WHERE name = $1", args![name])?
        .map(|r| r.c(0))
        .transpose()
}

both!(impl WorkflowReads {
    fn workflow_row(&self, id: &str) -> Result<WorkflowRow> {
        let row = self.q1_found(
            &format!("SELECT {ROW_COLUMNS} FROM workflows WHERE id = $1"),
            args![id],
            "workflow",
            id,
        )?;
        workflow_from(&row)
    }
    fn workflows_in_states(&self, states: &[WorkflowState]) -> Result<Vec<WorkflowRow>> {
        let mut out = Vec::new();
        for state in states {
            for row in self.q(
                &format!("SELECT {ROW_COLUMNS} FROM workflows WHERE state = $1 ORDER BY id"),
                args![*state],
            )? {
                out.push(workflow_from(&row)?);
            }
        }
        Ok(out)
    }
    fn revision_body(&self, id: &str, revision: i64) -> Result<WorkflowFile> {
        revision_body(self, id, revision)
    }
    fn latest_body(&self, id: &str) -> Result<(i64, WorkflowFile)> {
        latest_body(self, id)
    }
    fn revisions(&self, id: &str) -> Result<Vec<RevisionInfo>> {
        self.q(
            "SELECT revision, created_at, source, note FROM revisions WHERE workflow_id = $1 ORDER BY revision DESC",
            args![id],
        )?
        .iter()
        .map(|r| {
            Ok(RevisionInfo {
                revision: r.c(0)?,
                created_at: r.c(1)?,
                source: r.c(2)?,
                note: r.c(3)?,
            })
        })
        .collect()
    }
    fn find_workflow_id(&self, id_or_name: &str) -> Result<Option<String>> {
        self.q1(
            "SELECT id FROM workflows WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1",
            args![id_or_name],
        )?
        .map(|r| r.c(0))
        .transpose()
    }
    fn workflow_id_by_name(&self, name: &str) -> Result<Option<String>> {
        by_name(self, name)
    }
    fn free_name(&self, base: &str, series: NameSeries) -> Result<String> {
        let count: i64 = self
            .q1("SELECT COUNT(*) FROM workflows", &[])?
            .map(|r| r.c(0))
            .transpose()?
            .unwrap_or(0);
        // Among count + 1 distinct candidates at least one is free.
        for n in 1..=(count.max(0) as u32).saturating_add(1) {
            let suffix = match (series, n) {
                (NameSeries::Numbered, 1) => String::new(),
                (NameSeries::Numbered, n) => format!(" ({n})"),
                (NameSeries::Copy, 1) => " (copy)".to_string(),
                (NameSeries::Copy, n) => format!(" (copy {n})"),
            };
            let room = crate::model::MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
            let candidate: String = base.chars().take(room).chain(suffix.chars()).collect();
            if by_name(self, &candidate)?.is_none() {
                return Ok(candidate);
            }
        }
        Err(Error::Corrupt {
            what: "workflow names",
            message: format!("no free name for {base:?}"),
        })
    }
    fn list_workflows(&self) -> Result<Vec<WorkflowSummary>> {
        summaries(self, None)
    }
    fn workflow_summary(&self, id: &str) -> Result<WorkflowSummary> {
        summaries(self, Some(id))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound {
                what: "workflow",
                id: id.into(),
            })
    }
});
