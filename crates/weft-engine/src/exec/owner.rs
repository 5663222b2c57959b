//! One owner at a time: the process that executes a store holds the owner row and refreshes its
//! heartbeat; another process finding a live owner only reads and queues commands.

use super::{Engine, Error, Result};
use crate::store::{Error as StoreError, Millis};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A heartbeat older than this means the owner is gone.
pub const STALE_AFTER_MS: Millis = 15_000;

/// Who owns a store.
#[derive(Clone, Debug, Serialize)]
pub struct OwnerInfo {
    /// Owner id (name-pid-random).
    pub owner: String,
    /// Its process id.
    pub pid: i64,
    /// Last heartbeat (ms, wall clock).
    pub heartbeat: Millis,
}

fn wall_now() -> Millis {
    chrono::Utc::now().timestamp_millis()
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

pub(super) fn acquire(engine: &Engine) -> Result<()> {
    let me = engine.inner.owner_id.clone();
    let pid = std::process::id() as i64;
    let taken = engine.inner.store.write(|tx| {
        let existing: Option<(String, i64, Millis)> = tx
            .conn()
            .query_row("SELECT owner, pid, heartbeat FROM owner WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((owner, their_pid, heartbeat)) = existing {
            let fresh = wall_now() - heartbeat < STALE_AFTER_MS;
            if owner != me && fresh && alive(their_pid) {
                return Ok(Some(owner));
            }
        }
        tx.conn().execute(
            "INSERT INTO owner (id, owner, pid, heartbeat) VALUES (1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET owner = ?1, pid = ?2, heartbeat = ?3",
            params![me, pid, wall_now()],
        )?;
        Ok::<_, StoreError>(None)
    })?;
    match taken.0 {
        Some(other) => Err(Error::NotOwner(other)),
        None => Ok(()),
    }
}

pub(super) fn heartbeat(engine: &Engine) -> Result<bool> {
    let me = engine.inner.owner_id.clone();
    let (changed, _) = engine.inner.store.write(|tx| {
        Ok(tx.conn().execute(
            "UPDATE owner SET heartbeat = ?2 WHERE id = 1 AND owner = ?1",
            params![me, wall_now()],
        )?)
    })?;
    Ok(changed == 1)
}

pub(super) fn release(engine: &Engine) {
    let me = engine.inner.owner_id.clone();
    let _ = engine.inner.store.write(|tx| {
        Ok(tx
            .conn()
            .execute("DELETE FROM owner WHERE id = 1 AND owner = ?1", [me])?)
    });
}
