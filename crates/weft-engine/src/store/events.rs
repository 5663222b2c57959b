//! The bounds of the event log and of the command queue's history.

/// How many events are kept; older ones are pruned (listeners that fell further behind reload).
pub const EVENTS_KEPT: i64 = 200_000;

/// How many of the newest commands keep their row once applied: a front door waiting for an
/// outcome finds it long before 10,000 newer commands were queued, and a store that runs for
/// years does not keep every Run now it was ever sent.
pub const COMMANDS_KEPT: i64 = 10_000;
