//! The event log's bounds.

use super::Millis;

/// How many events are kept; older ones are pruned (listeners that fell further behind reload).
pub const EVENTS_KEPT: i64 = 200_000;

/// Milliseconds now, from the system clock (for rows written outside the engine's clock).
pub fn wall_now() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
