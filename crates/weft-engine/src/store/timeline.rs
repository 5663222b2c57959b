//! A run's history as kept with the run (not the pruned `events` table): when each task was
//! created, each attempt started and ended, each approval opened, each task ended, and each
//! transition was taken or found dead — one ordered, keyset-paged sequence that a replay folds up to any moment.
//!
//! Both backends run the same query ([`TIMELINE_SQL`]) and build entries with [`entry_from`], so
//! the order is the same everywhere: by time; within one millisecond by task (a transition mark
//! counts as coming after the newest task of the run when it was marked, so it follows the end of
//! the task that marked it and precedes the task it activated), then by [`TimelineKind`], then by
//! mark id, then by attempt.

use super::records::{RunSummary, TaskStatus, WaitReason};
use super::{Error, Millis, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What happened at one moment of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A task was scheduled (its activity was activated).
    TaskCreated,
    /// An attempt of a task began executing.
    AttemptStarted,
    /// An approval was opened: the task waits for a person's answer.
    ApprovalOpened,
    /// An attempt ended (`status` says how; a failed attempt may be retried).
    AttemptEnded,
    /// A task reached its final state (`status`, `port`, `records`).
    TaskEnded,
    /// A transition was taken (`records` went through it this time).
    EdgeTaken,
    /// A transition was found dead (its branch was not taken).
    EdgeDead,
}

impl TimelineKind {
    /// The rank that orders entries of the same millisecond.
    fn rank(self) -> i64 {
        match self {
            Self::TaskCreated => 0,
            Self::AttemptStarted => 1,
            Self::ApprovalOpened => 2,
            Self::AttemptEnded => 3,
            Self::TaskEnded => 4,
            Self::EdgeTaken | Self::EdgeDead => 5,
        }
    }
}

/// One entry of a run's timeline. Task entries carry `task_id` and `activity_id`; transition
/// entries carry `activity_id` (the source), `port` and `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// When (ms).
    #[ts(type = "number")]
    pub at: Millis,
    /// What happened.
    pub kind: TimelineKind,
    /// The task, for task and attempt entries.
    #[ts(type = "number | null")]
    pub task_id: Option<i64>,
    /// The task's activity, or the transition's source.
    pub activity_id: String,
    /// The transition's target.
    pub to: Option<String>,
    /// The port a task ended on, or the transition's port.
    pub port: Option<String>,
    /// The attempt, for attempt entries (from 1).
    pub attempt: Option<u32>,
    /// How an attempt or a task ended (an interrupted attempt has none: it is run again).
    pub status: Option<TaskStatus>,
    /// Why an ended task was skipped or waits.
    pub wait_reason: Option<WaitReason>,
    /// Records a task handled, or that went through a transition this time.
    #[ts(type = "number | null")]
    pub records: Option<i64>,
    /// For an ended task: whether it wrote to its standard error (a success with errors is
    /// shown orange, as on the live canvas).
    pub warned: bool,
}

/// Where a page of a timeline ends: pass it back to read the next one. Opaque to callers; its
/// order is the timeline's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimelineCursor {
    /// Time of the last entry read (ms).
    #[ts(type = "number")]
    pub at: Millis,
    /// Its task (for a mark: the newest task of the run when it was marked).
    #[ts(type = "number")]
    pub grp: i64,
    /// Rank of its kind.
    #[ts(type = "number")]
    pub rank: i64,
    /// Task or transition-mark id.
    #[ts(type = "number")]
    pub id: i64,
    /// Attempt, for attempt entries; else 0.
    #[ts(type = "number")]
    pub sub: i64,
}

impl TimelineCursor {
    /// Before every entry.
    pub const START: Self = Self {
        at: Millis::MIN,
        grp: 0,
        rank: 0,
        id: 0,
        sub: 0,
    };
}

/// One page of a run's timeline, with the run (its start and end bound the replay).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    /// The run as the history lists it (`createdAt`, `startedAt`, `endedAt`, `status`).
    pub run: RunSummary,
    /// The entries, in timeline order.
    pub entries: Vec<TimelineEntry>,
    /// Pass back to read the next page; none at the end.
    pub next: Option<TimelineCursor>,
}

/// The one query both backends run: `$1` run, `$2..$6` the cursor, `$7` the page size. Written
/// with `$N` placeholders (SQLite reads them as `?N`). Columns: at, grp, rank, id, sub, activity,
/// target, port, status, wait_reason, records, stderr_head (the start of an ended task's errors).
pub const TIMELINE_SQL: &str = "SELECT at, grp, rank, id, sub, activity, target, port, status, wait_reason, records, stderr_head FROM (
    SELECT created_at AS at, id AS grp, CAST(0 AS BIGINT) AS rank, id, CAST(0 AS BIGINT) AS sub, activity_id AS activity,
           CAST(NULL AS TEXT) AS target, CAST(NULL AS TEXT) AS port, CAST(NULL AS TEXT) AS status,
           CAST(NULL AS TEXT) AS wait_reason, CAST(NULL AS BIGINT) AS records, CAST(NULL AS TEXT) AS stderr_head
      FROM tasks WHERE run_id = $1
    UNION ALL
    SELECT a.started_at, a.task_id, CAST(1 AS BIGINT), a.task_id, CAST(a.attempt AS BIGINT), t.activity_id, NULL, NULL, NULL, NULL, NULL, NULL
      FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.run_id = $1
    UNION ALL
    SELECT p.created_at, p.task_id, CAST(2 AS BIGINT), p.task_id, CAST(0 AS BIGINT), t.activity_id, NULL, NULL, NULL, NULL, NULL, NULL
      FROM approvals p JOIN tasks t ON t.id = p.task_id WHERE t.run_id = $1
    UNION ALL
    SELECT a.ended_at, a.task_id, CAST(3 AS BIGINT), a.task_id, CAST(a.attempt AS BIGINT), t.activity_id, NULL, NULL, a.status, NULL, NULL, NULL
      FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.run_id = $1 AND a.ended_at IS NOT NULL
    UNION ALL
    SELECT ended_at, id, CAST(4 AS BIGINT), id, CAST(0 AS BIGINT), activity_id, NULL, port, status, wait_reason, record_count,
           CASE WHEN stderr = '' THEN NULL ELSE SUBSTR(stderr, 1, 64) END
      FROM tasks WHERE run_id = $1 AND ended_at IS NOT NULL
    UNION ALL
    SELECT at, after_task, CAST(5 AS BIGINT), id, CAST(0 AS BIGINT), from_activity, to_activity, port,
           CASE WHEN taken THEN 'taken' ELSE 'dead' END, NULL, records, NULL
      FROM run_edge_marks WHERE run_id = $1
) timeline
WHERE (at, grp, rank, id, sub) > ($2, $3, $4, $5, $6)
ORDER BY at, grp, rank, id, sub
LIMIT $7";

/// One row of [`TIMELINE_SQL`], as the backend read it.
pub struct TimelineRow {
    /// `at`.
    pub at: Millis,
    /// `grp`.
    pub grp: i64,
    /// `rank`.
    pub rank: i64,
    /// `id`.
    pub id: i64,
    /// `sub`.
    pub sub: i64,
    /// `activity`.
    pub activity: String,
    /// `target`.
    pub target: Option<String>,
    /// `port`.
    pub port: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `wait_reason`.
    pub wait_reason: Option<String>,
    /// `records`.
    pub records: Option<i64>,
    /// `stderr_head`.
    pub stderr_head: Option<String>,
}

/// Turns a row of [`TIMELINE_SQL`] into its cursor and entry.
pub fn entry_from(row: TimelineRow) -> Result<(TimelineCursor, TimelineEntry)> {
    let corrupt = |message: String| Error::Corrupt {
        what: "run timeline",
        message,
    };
    let task_status = |text: &Option<String>| match text {
        Some(s) => TaskStatus::parse(s)
            .map(Some)
            .ok_or_else(|| corrupt(format!("unknown status {s}"))),
        None => Ok(None),
    };
    let cursor = TimelineCursor {
        at: row.at,
        grp: row.grp,
        rank: row.rank,
        id: row.id,
        sub: row.sub,
    };
    let task = Some(row.id);
    let attempt = u32::try_from(row.sub).ok();
    let (kind, task_id, attempt, status, wait_reason) = match row.rank {
        0 => (TimelineKind::TaskCreated, task, None, None, None),
        1 => (TimelineKind::AttemptStarted, task, attempt, None, None),
        2 => (TimelineKind::ApprovalOpened, task, None, None, None),
        // An interrupted attempt is run again: it has no outcome of its own.
        3 => (
            TimelineKind::AttemptEnded,
            task,
            attempt,
            row.status.as_deref().and_then(TaskStatus::parse),
            None,
        ),
        4 => {
            let reason = match &row.wait_reason {
                Some(s) => Some(
                    WaitReason::parse(s)
                        .ok_or_else(|| corrupt(format!("unknown wait reason {s}")))?,
                ),
                None => None,
            };
            let status = task_status(&row.status)?;
            (TimelineKind::TaskEnded, task, None, status, reason)
        }
        5 if row.status.as_deref() == Some("taken") => {
            (TimelineKind::EdgeTaken, None, None, None, None)
        }
        5 => (TimelineKind::EdgeDead, None, None, None, None),
        other => return Err(corrupt(format!("unknown timeline rank {other}"))),
    };
    debug_assert_eq!(kind.rank(), row.rank);
    Ok((
        cursor,
        TimelineEntry {
            at: row.at,
            kind,
            task_id,
            activity_id: row.activity,
            to: row.target,
            port: row.port,
            attempt,
            status,
            wait_reason,
            records: row.records,
            // Whitespace alone is no error (as on the live canvas).
            warned: row.rank == 4 && row.stderr_head.is_some_and(|s| !s.trim().is_empty()),
        },
    ))
}
