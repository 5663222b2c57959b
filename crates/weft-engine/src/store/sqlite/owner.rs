//! The owner row and owner sessions.

use super::{HasConn, Tx};
use crate::store::api::{OwnerReads, OwnerWrites};
use crate::store::{Millis, Result};
use rusqlite::{params, OptionalExtension};

impl<C: HasConn> OwnerReads for C {
    fn owner_row(&self) -> Result<Option<(String, i64, Millis)>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT owner, pid, heartbeat FROM owner WHERE id = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    }

    fn sessions_between(&self, from: Millis, to: Millis) -> Result<Vec<(Millis, Millis)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT started_at, COALESCE(ended_at, last_seen) FROM owner_sessions
             WHERE started_at <= ?2 AND COALESCE(ended_at, last_seen) >= ?1 ORDER BY started_at",
        )?;
        let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn session_last_seen(&self, session: i64) -> Result<Option<Millis>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT last_seen FROM owner_sessions WHERE id = ?1")?
            .query_row([session], |r| r.get(0))
            .optional()?)
    }
}

impl OwnerWrites for Tx<'_> {
    fn set_owner(&mut self, owner: &str, pid: i64, now: Millis) -> Result<()> {
        self.conn().execute(
            "INSERT INTO owner (id, owner, pid, heartbeat) VALUES (1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET owner = ?1, pid = ?2, heartbeat = ?3",
            params![owner, pid, now],
        )?;
        Ok(())
    }

    fn owner_heartbeat(&mut self, owner: &str, now: Millis) -> Result<bool> {
        Ok(self.conn().execute(
            "UPDATE owner SET heartbeat = ?2 WHERE id = 1 AND owner = ?1",
            params![owner, now],
        )? == 1)
    }

    fn clear_owner(&mut self, owner: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM owner WHERE id = 1 AND owner = ?1", [owner])?;
        Ok(())
    }

    fn open_session(&mut self, owner: &str, pid: i64, now: Millis) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO owner_sessions (owner, pid, started_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
            params![owner, pid, now],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    fn touch_session(&mut self, session: i64, now: Millis) -> Result<()> {
        self.conn().execute(
            "UPDATE owner_sessions SET last_seen = MAX(last_seen, ?2) WHERE id = ?1",
            params![session, now],
        )?;
        Ok(())
    }

    fn end_session(&mut self, session: i64, at: Option<Millis>) -> Result<()> {
        self.conn().execute(
            "UPDATE owner_sessions SET last_seen = MAX(last_seen, COALESCE(?2, last_seen)), ended_at = COALESCE(?2, last_seen) WHERE id = ?1",
            params![session, at],
        )?;
        Ok(())
    }
}
