//! What event triggers remember: webhook secrets, files already seen, contact-event cursors.

use super::{HasConn, Tx};
use crate::store::api::{SeenFile, TriggerReads, TriggerWrites};
use crate::store::{Millis, Result};
use rusqlite::{params, OptionalExtension};

impl<C: HasConn> TriggerReads for C {
    fn trigger_secret(&self, workflow_id: &str, activity_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT token FROM trigger_secrets WHERE workflow_id = ?1 AND activity_id = ?2",
            )?
            .query_row(params![workflow_id, activity_id], |r| r.get(0))
            .optional()?)
    }

    fn trigger_cursor(&self, workflow_id: &str, activity_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT last_event FROM trigger_cursors WHERE workflow_id = ?1 AND activity_id = ?2",
            )?
            .query_row(params![workflow_id, activity_id], |r| r.get(0))
            .optional()?)
    }

    fn contact_events_after(
        &self,
        cursor: i64,
        limit: u32,
    ) -> Result<Vec<(i64, i64, String, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, contact_id, status, kind FROM contact_events WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![cursor, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl TriggerWrites for Tx<'_> {
    fn ensure_trigger_secret(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        token: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached("INSERT OR IGNORE INTO trigger_secrets (workflow_id, activity_id, token) VALUES (?1, ?2, ?3)")?
            .execute(params![workflow_id, activity_id, token])?;
        Ok(())
    }

    fn start_trigger_cursor(&mut self, workflow_id: &str, activity_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO trigger_cursors (workflow_id, activity_id, last_event) VALUES (?1, ?2, (SELECT COALESCE(MAX(id), 0) FROM contact_events))",
            params![workflow_id, activity_id],
        )?;
        Ok(())
    }

    fn set_trigger_cursor(
        &mut self,
        workflow_id: &str,
        activity_id: &str,
        last: i64,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE trigger_cursors SET last_event = ?3 WHERE workflow_id = ?1 AND activity_id = ?2",
            params![workflow_id, activity_id, last],
        )?;
        Ok(())
    }

    fn record_seen_file(&mut self, seen: &SeenFile<'_>, now: Millis) -> Result<bool> {
        Ok(self.conn().execute(
            "INSERT OR IGNORE INTO seen_files (workflow_id, activity_id, path, size, modified, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seen.workflow_id, seen.activity_id, seen.path, seen.size, seen.modified, now],
        )? == 1)
    }

    fn set_seen_file_run(&mut self, seen: &SeenFile<'_>, run_id: Option<i64>) -> Result<()> {
        self.conn().execute(
            "UPDATE seen_files SET run_id = ?1 WHERE workflow_id = ?2 AND activity_id = ?3 AND path = ?4 AND size = ?5 AND modified = ?6",
            params![run_id, seen.workflow_id, seen.activity_id, seen.path, seen.size, seen.modified],
        )?;
        Ok(())
    }
}
