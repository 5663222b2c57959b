//! The event log's bounds.

/// How many events are kept; older ones are pruned (listeners that fell further behind reload).
pub const EVENTS_KEPT: i64 = 200_000;
