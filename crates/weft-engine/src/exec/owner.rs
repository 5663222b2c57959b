//! One owner at a time: the process that executes a store holds the owner row and refreshes its
//! heartbeat; another process finding a live owner only reads and queues commands.
//!
//! Each stretch of time during which an owner ran is an *owner session* (started, last seen,
//! ended). Sessions are what tell a schedule's fire time that fell while nobody executed the
//! store (missed, handled by the schedule's policy) from one that was merely late by a tick;
//! a process that stalls (a laptop asleep) longer than [`GAP_MS`] ends its session and begins a
//! new one, so the stall counts as down time too.

use super::{Engine, Error, Result};
use crate::store::{Error as StoreError, Millis};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A heartbeat older than this means the owner is gone.
pub const STALE_AFTER_MS: Millis = 15_000;
/// How often the owner refreshes its heartbeat.
pub const HEARTBEAT_EVERY_MS: Millis = 5_000;
/// A silence of the owner longer than this is down time (the process was stopped or asleep).
pub const GAP_MS: Millis = 20_000;

/// Who owns a store.
#[derive(Clone, Debug, Serialize)]
pub struct OwnerInfo {
    /// Owner id (name-pid-random).
    pub owner: String,
    /// Its process id.
    pub pid: i64,
    /// Last heartbeat (ms, engine clock).
    pub heartbeat: Millis,
}

impl OwnerInfo {
    /// The owner's process name (`desktop`, `weft serve`): its id is `NAME-PID-RANDOM`.
    pub fn name(&self) -> &str {
        self.owner
            .rsplitn(3, '-')
            .nth(2)
            .unwrap_or(self.owner.as_str())
    }
}

/// A stretch of time during which an owner executed the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    /// When it began.
    pub started_at: Millis,
    /// Until when it is known to have run (its end, or its last heartbeat).
    pub until: Millis,
}

fn alive(pid: i64) -> bool {
    if pid <= 0 || pid > i64::from(i32::MAX) {
        return false;
    }
    // Signal 0 checks existence without sending anything; EPERM still means it exists.
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), None) {
        Ok(()) => true,
        Err(nix::errno::Errno::EPERM) => true,
        Err(_) => false,
    }
}

pub(super) fn current(engine: &Engine) -> Result<Option<OwnerInfo>> {
    Ok(engine.inner.store.read(|c| {
        Ok(c.query_row(
            "SELECT owner, pid, heartbeat FROM owner WHERE id = 1",
            [],
            |r| {
                Ok(OwnerInfo {
                    owner: r.get(0)?,
                    pid: r.get(1)?,
                    heartbeat: r.get(2)?,
                })
            },
        )
        .optional()?)
    })?)
}

/// Whether an owner is live: its process exists and its heartbeat is fresh.
pub(super) fn is_live(info: &OwnerInfo, now: Millis) -> bool {
    now - info.heartbeat < STALE_AFTER_MS && alive(info.pid)
}

/// Takes the owner row (when free, stale or held by a dead process) and opens a session.
/// Returns the session's id.
pub(super) fn acquire(engine: &Engine) -> Result<i64> {
    let me = engine.inner.owner_id.clone();
    let pid = std::process::id() as i64;
    let now = engine.now_ms();
    let (taken, _) = engine.inner.store.write(|tx| {
        let existing: Option<(String, i64, Millis)> = tx
            .conn()
            .query_row("SELECT owner, pid, heartbeat FROM owner WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((owner, their_pid, heartbeat)) = existing {
            let info = OwnerInfo { owner: owner.clone(), pid: their_pid, heartbeat };
            if owner != me && is_live(&info, now) {
                return Ok(Err(owner));
            }
        }
        tx.conn().execute(
            "INSERT INTO owner (id, owner, pid, heartbeat) VALUES (1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET owner = ?1, pid = ?2, heartbeat = ?3",
            params![me, pid, now],
        )?;
        Ok::<_, StoreError>(Ok(open_session(tx.conn(), &me, pid, now)?))
    })?;
    taken.map_err(Error::NotOwner)
}

fn open_session(
    conn: &rusqlite::Connection,
    owner: &str,
    pid: i64,
    now: Millis,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO owner_sessions (owner, pid, started_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
        params![owner, pid, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Refreshes the heartbeat of the owner row and of the session. After a silence longer than
/// [`GAP_MS`] the session is closed at its last sign of life and a new one begins; the new
/// session's id is returned. `Ok(None)` when this process no longer holds the owner row.
pub(super) fn heartbeat(engine: &Engine, session: i64) -> Result<Option<i64>> {
    let me = engine.inner.owner_id.clone();
    let now = engine.now_ms();
    let pid = std::process::id() as i64;
    let (session, _) = engine.inner.store.write(|tx| {
        let held = tx.conn().execute(
            "UPDATE owner SET heartbeat = ?2 WHERE id = 1 AND owner = ?1",
            params![me, now],
        )?;
        if held != 1 {
            return Ok(None);
        }
        let last_seen: Option<Millis> = tx
            .conn()
            .query_row(
                "SELECT last_seen FROM owner_sessions WHERE id = ?1",
                [session],
                |r| r.get(0),
            )
            .optional()?;
        match last_seen {
            Some(seen) if now - seen <= GAP_MS => {
                tx.conn().execute(
                    "UPDATE owner_sessions SET last_seen = ?2 WHERE id = ?1",
                    params![session, now],
                )?;
                Ok(Some(session))
            }
            _ => {
                tx.conn().execute(
                    "UPDATE owner_sessions SET ended_at = last_seen WHERE id = ?1",
                    [session],
                )?;
                Ok::<_, StoreError>(Some(open_session(tx.conn(), &me, pid, now)?))
            }
        }
    })?;
    Ok(session)
}

/// Gives the owner row back and closes the session.
pub(super) fn release(engine: &Engine, session: i64) {
    let me = engine.inner.owner_id.clone();
    let now = engine.now_ms();
    let _ = engine.inner.store.write(|tx| {
        tx.conn().execute(
            "UPDATE owner_sessions SET last_seen = MAX(last_seen, ?2), ended_at = ?2 WHERE id = ?1",
            params![session, now],
        )?;
        Ok(tx
            .conn()
            .execute("DELETE FROM owner WHERE id = 1 AND owner = ?1", [me])?)
    });
}

/// Owner sessions that overlap `[from, to]`, oldest first.
pub(super) fn sessions_between(
    conn: &rusqlite::Connection,
    from: Millis,
    to: Millis,
) -> crate::store::Result<Vec<Session>> {
    let mut stmt = conn.prepare_cached(
        "SELECT started_at, COALESCE(ended_at, last_seen) FROM owner_sessions
         WHERE started_at <= ?2 AND COALESCE(ended_at, last_seen) >= ?1 ORDER BY started_at",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(Session {
            started_at: r.get(0)?,
            until: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
