//! One owner at a time: the process that executes a store holds the owner row and refreshes its
//! heartbeat; another process finding a live owner only reads and queues commands.
//!
//! Each stretch of time during which an owner ran is an *owner session* (started, last seen,
//! ended). Sessions are what tell a schedule's fire time that fell while nobody executed the
//! store (missed, handled by the schedule's policy) from one that was merely late by a tick;
//! a process that stalls (a laptop asleep) longer than [`GAP_MS`] ends its session and begins a
//! new one, so the stall counts as down time too.
//!
//! On a store several servers share ([`crate::store::Store::shares_work`], PostgreSQL) there is
//! no owner row: every server executes, each opening its own sessions (so a fire time missed
//! by all of them is still told from one merely late) and holding leases on the tasks it runs
//! (see [`crate::store::tasks::LEASE_MS`]).

use super::{Engine, Error, Result};
use crate::store::Millis;
use serde::Serialize;

/// A heartbeat older than this means the owner is gone.
pub const STALE_AFTER_MS: Millis = 15_000;
/// How often the owner refreshes its heartbeat.
pub const HEARTBEAT_EVERY_MS: Millis = 5_000;
/// How often a server of a shared store renews its task leases (and its session): three
/// times per lease, so that one late renewal never lets a lease lapse under a live server.
pub const LEASE_RENEW_EVERY_MS: Millis = crate::store::tasks::LEASE_MS / 3;
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
    let row = engine.inner.store.read(|r| r.owner_row())?;
    Ok(row.map(|(owner, pid, heartbeat)| OwnerInfo {
        owner,
        pid,
        heartbeat,
    }))
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
    if engine.inner.store.shares_work() {
        // Every server executes a shared store: only a session of its own.
        let (session, _) = engine
            .inner
            .store
            .write(|tx| tx.open_session(&me, pid, now))?;
        return Ok(session);
    }
    let (taken, _) = engine.inner.store.write(|tx| {
        if let Some((owner, their_pid, heartbeat)) = tx.owner_row()? {
            let info = OwnerInfo {
                owner: owner.clone(),
                pid: their_pid,
                heartbeat,
            };
            if owner != me && is_live(&info, now) {
                return Ok(Err(owner));
            }
        }
        tx.set_owner(&me, pid, now)?;
        Ok(Ok(tx.open_session(&me, pid, now)?))
    })?;
    taken.map_err(Error::NotOwner)
}

/// Refreshes the heartbeat of the owner row and of the session. After a silence longer than
/// [`GAP_MS`] the session is closed at its last sign of life and a new one begins; the new
/// session's id is returned. `Ok(None)` when this process no longer holds the owner row.
pub(super) fn heartbeat(engine: &Engine, session: i64) -> Result<Option<i64>> {
    let me = engine.inner.owner_id.clone();
    let now = engine.now_ms();
    let pid = std::process::id() as i64;
    let shared = engine.inner.store.shares_work();
    let (session, _) = engine.inner.store.write(|tx| {
        if !shared && !tx.owner_heartbeat(&me, now)? {
            return Ok(None);
        }
        match tx.session_last_seen(session)? {
            Some(seen) if now - seen <= GAP_MS => {
                tx.touch_session(session, now)?;
                Ok(Some(session))
            }
            _ => {
                tx.end_session(session, None)?;
                Ok(Some(tx.open_session(&me, pid, now)?))
            }
        }
    })?;
    Ok(session)
}

/// Gives the owner row back and closes the session.
pub(super) fn release(engine: &Engine, session: i64) {
    let me = engine.inner.owner_id.clone();
    let now = engine.now_ms();
    let shared = engine.inner.store.shares_work();
    let _ = engine.inner.store.write(|tx| {
        tx.end_session(session, Some(now))?;
        if shared {
            // What this server leaves running is taken over by the others at once.
            return tx.release_leases();
        }
        tx.clear_owner(&me)
    });
}
