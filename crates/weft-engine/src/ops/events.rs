//! Events: every committed change, numbered. The newest number, a page after a number, and
//! live subscriptions ([`Engine::subscribe`], [`Engine::follow_events`]).

use crate::exec::{Engine, Result};
use crate::store::Event;

/// The most events one page holds.
pub const MAX_PAGE: u32 = 5_000;

impl Engine {
    /// The newest event's number (0 when there is none).
    pub fn last_event_seq(&self) -> Result<i64> {
        Ok(self.inner.store.read(|r| r.last_seq())?)
    }

    /// Events after `seq`, in order (at most `limit`): what a listener that missed some asks for.
    pub fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<Event>> {
        let limit = limit.clamp(1, MAX_PAGE);
        Ok(self.inner.store.read(|c| c.events_after(seq, limit))?)
    }
}
