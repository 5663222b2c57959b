//! Following the event log without ever missing or repeating an event: the live channel
//! ([`Engine::subscribe`]) for speed, the store ([`Engine::events_after`]) for completeness.
//!
//! The live channel is bounded: a reader slower than the engine is told it lagged and loses what
//! the channel dropped, and it never carries events committed by other processes on the same
//! store. An [`EventFollower`] hands out every committed event exactly once, in sequence order:
//! a live event that is the next one goes straight through; a gap before it (events of another
//! process, or of another thread not published yet), a lag, or a quiet moment is filled from the
//! store, a page at a time. The front doors (`weft serve`, the desktop shell) use it instead of
//! each writing the catch-up rule.

use super::Engine;
use crate::store::Event;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};

/// Events read from the store at a time while catching up.
const PAGE: u32 = 1000;

/// What [`EventFollower::next`] hands out.
#[derive(Clone, Debug, PartialEq)]
pub enum Followed {
    /// The next committed event: sequence numbers only grow, none is handed out twice.
    Event(Event),
    /// This follower fell behind the live channel, which dropped `missed` events. Nothing is
    /// lost: they (and whatever came since) follow, read back from the store — as long as the
    /// store still holds them (it keeps the latest [`EVENTS_KEPT`](crate::store::events::EVENTS_KEPT)).
    Lagged {
        /// How many events the live channel dropped.
        missed: u64,
    },
}

/// Every committed event after a starting point, in order, each once. Made by
/// [`Engine::follow_events`]; call [`EventFollower::next`] in a loop.
pub struct EventFollower {
    engine: Engine,
    live: broadcast::Receiver<Event>,
    /// Highest sequence number handed out or queued in `pending`.
    fetched: i64,
    /// Read from the store, not handed out yet.
    pending: VecDeque<Event>,
    /// Read the store up to this sequence number before listening again.
    catch_up_to: i64,
    /// A live event that arrived after a gap: handed out once the gap is filled.
    held: Option<Event>,
    /// How long to wait for a live event before looking in the store.
    poll: Duration,
}

impl std::fmt::Debug for EventFollower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventFollower")
            .field("fetched", &self.fetched)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Engine {
    /// Follows the committed events with a sequence number above `after`, or those committed
    /// from now on when `after` is `None`. The store is also looked at whenever no live event
    /// came for the engine's poll interval, so events committed by other processes arrive too.
    pub fn follow_events(&self, after: Option<i64>) -> super::Result<EventFollower> {
        // Subscribe first: nothing committed after the starting point can be missed.
        let live = self.subscribe();
        let after = match after {
            Some(seq) => seq,
            None => self.inner.store.read(|r| r.last_seq())?,
        };
        Ok(EventFollower {
            engine: self.clone(),
            live,
            fetched: after,
            pending: VecDeque::new(),
            catch_up_to: after,
            held: None,
            poll: self.inner.options.poll_interval,
        })
    }
}

impl EventFollower {
    /// The next event (or the notice that this follower lagged). Waits for one; never ends.
    pub async fn next(&mut self) -> Followed {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Followed::Event(event);
            }
            if self.catch_up_to > self.fetched {
                if let Err(e) = self.read_page() {
                    tracing::warn!("cannot read events from the store: {e}");
                    tokio::time::sleep(self.poll).await;
                }
                continue;
            }
            match tokio::time::timeout(self.poll, self.live.recv()).await {
                Ok(Ok(event)) => self.take_live(event),
                Ok(Err(RecvError::Lagged(missed))) => {
                    self.catch_up_to = i64::MAX;
                    return Followed::Lagged { missed };
                }
                // The engine holds the sender as long as this follower holds the engine.
                Ok(Err(RecvError::Closed)) => {
                    tokio::time::sleep(self.poll).await;
                    self.catch_up_to = i64::MAX;
                }
                // Quiet: anything another process committed is in the store.
                Err(_) => self.catch_up_to = i64::MAX,
            }
        }
    }

    /// The sequence number of the last event handed out or queued.
    pub fn last_seq(&self) -> i64 {
        self.fetched
    }

    fn take_live(&mut self, event: Event) {
        if event.seq <= self.fetched {
            // Already read from the store.
        } else if event.seq == self.fetched + 1 {
            self.fetched = event.seq;
            self.pending.push_back(event);
        } else {
            // Committed before it and not seen: read them first.
            self.catch_up_to = event.seq;
            self.held = Some(event);
        }
    }

    fn read_page(&mut self) -> super::Result<()> {
        // Filling a gap before a held live event reads only the gap: a server of a fleet meets
        // such a gap at nearly every event of another server, and reading a whole page each
        // time (to keep a few) made its printer read the log many times over.
        let limit = u32::try_from(self.catch_up_to.saturating_sub(self.fetched))
            .map_or(PAGE, |gap| gap.clamp(1, PAGE));
        let batch = self.engine.events_after(self.fetched, limit)?;
        let mut done = batch.len() < limit as usize;
        for event in batch {
            if event.seq > self.catch_up_to {
                done = true;
                break;
            }
            self.fetched = event.seq;
            self.pending.push_back(event);
        }
        if done || self.fetched >= self.catch_up_to {
            self.catch_up_to = self.fetched;
            if let Some(held) = self.held.take() {
                // Normally read back with the others; kept when the store no longer has it.
                if held.seq > self.fetched {
                    self.fetched = held.seq;
                    self.pending.push_back(held);
                }
            }
            self.drop_stale_live();
        }
        Ok(())
    }

    /// After a catch-up, the live channel still holds events just read from the store: drop them
    /// now, so that they neither come twice nor fill the channel into a lag of stale events.
    fn drop_stale_live(&mut self) {
        loop {
            match self.live.try_recv() {
                Ok(event) if event.seq <= self.fetched => {}
                Ok(event) => return self.take_live(event),
                // Still behind: read on from the store (the lag was already told, or is stale).
                Err(TryRecvError::Lagged(_)) => {
                    self.catch_up_to = i64::MAX;
                    return;
                }
                Err(TryRecvError::Empty | TryRecvError::Closed) => return,
            }
        }
    }
}
