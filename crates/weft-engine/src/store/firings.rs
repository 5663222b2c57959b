//! Schedule firings: one per (workflow, trigger, fire time), never twice.

use super::Millis;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One fire time of a schedule trigger and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Firing {
    /// The schedule trigger.
    pub activity_id: String,
    /// The fire time (ms).
    #[ts(type = "number")]
    pub fire_time: Millis,
    /// The run it made, if any.
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// `fired`, `missed (N)` (N fire times fell while no owner ran; this is the latest),
    /// `skipped (a run was in progress)`.
    pub outcome: String,
}
