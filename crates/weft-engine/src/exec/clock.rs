//! Injected time: the real clock on tokio, and a manual clock for tests, so that waits, retries,
//! deadlines and schedules are tested without sleeping.

use crate::store::Millis;
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// A source of "now" and a way to sleep until a moment.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> Millis;
    /// Resolves once `now_ms() >= at` (or a bit later; callers re-check).
    fn sleep_until(&self, at: Millis) -> futures_lite::BoxFuture<'static, ()>;
    /// Now as a UTC date-time.
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }
}

/// Small stand-in for `futures::future::BoxFuture` to avoid a dependency.
pub mod futures_lite {
    /// A boxed, sendable future.
    pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
}

/// The system clock, sleeping on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> Millis {
        Utc::now().timestamp_millis()
    }
    fn sleep_until(&self, at: Millis) -> futures_lite::BoxFuture<'static, ()> {
        let wait = (at - self.now_ms()).max(0) as u64;
        Box::pin(tokio::time::sleep(Duration::from_millis(wait)))
    }
}

/// A clock that moves only when told to.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<AtomicI64>,
    moved: Arc<Notify>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(AtomicI64::new(start.timestamp_millis())),
            moved: Arc::new(Notify::new()),
        }
    }

    /// Moves time forward and wakes every sleeper.
    pub fn advance(&self, by: Duration) {
        self.now.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
        self.moved.notify_waiters();
    }

    /// Sets the time.
    pub fn set(&self, at: DateTime<Utc>) {
        self.now.store(at.timestamp_millis(), Ordering::SeqCst);
        self.moved.notify_waiters();
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Millis {
        self.now.load(Ordering::SeqCst)
    }
    fn sleep_until(&self, at: Millis) -> futures_lite::BoxFuture<'static, ()> {
        let now = self.now.clone();
        let moved = self.moved.clone();
        Box::pin(async move {
            loop {
                let notified = moved.notified();
                if now.load(Ordering::SeqCst) >= at {
                    return;
                }
                notified.await;
            }
        })
    }
}
