//! A run shown on a picture: each activity's state and total duration, and each transition's
//! record count — what the canvas shows when a run is selected (`ui/src/operate/canvasRun.ts`).

use std::collections::HashMap;
use weft_engine::store::records::{EdgeRecord, TaskRecord, TaskStatus, WaitReason};

/// How an activity's card looks in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visual {
    /// No task of it in the run (greyed).
    NotReached,
    /// Succeeded.
    Done,
    /// Running or ready.
    Running,
    /// Waiting (a Wait, Hold).
    Pending,
    /// Waiting for an approval.
    Approval,
    /// Failed.
    Failed,
    /// Succeeded after retries or with errors on stderr, or cancelled.
    Warning,
    /// Skipped.
    Skipped,
}

/// One activity in the run.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityRun {
    /// Its card's look.
    pub visual: Visual,
    /// Total time of its tasks (ms), when any ended.
    pub duration_ms: Option<i64>,
}

/// One transition in the run.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRun {
    /// Times it was taken.
    pub taken: i64,
    /// Never taken and never will be in this run.
    pub dead: bool,
    /// Records that went through, when the activity passes records.
    pub records: Option<i64>,
}

impl EdgeRun {
    /// The canvas's label: `574 - Ok` when records went through.
    pub fn label(&self, port: &str) -> Option<String> {
        let records = self.records?;
        if self.taken == 0 {
            return None;
        }
        let mut word = port.to_string();
        if let Some(first) = word.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        Some(format!("{records} - {word}"))
    }
}

/// A run as a picture shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOverlay {
    /// By activity id.
    pub activities: HashMap<String, ActivityRun>,
    /// By `(from, port, to)`.
    pub edges: HashMap<(String, String, String), EdgeRun>,
}

fn visual(t: &TaskRecord) -> Visual {
    let v = match t.status {
        TaskStatus::Succeeded => Visual::Done,
        TaskStatus::Running | TaskStatus::Ready => Visual::Running,
        TaskStatus::Waiting => match t.wait_reason {
            Some(WaitReason::Approval) => Visual::Approval,
            Some(WaitReason::SubWorkflow) => Visual::Running,
            _ => Visual::Pending,
        },
        TaskStatus::Failed => Visual::Failed,
        TaskStatus::Cancelled => Visual::Warning,
        TaskStatus::Skipped => Visual::Skipped,
    };
    if v == Visual::Done && (t.attempt > 1 || !t.stderr.trim().is_empty()) {
        Visual::Warning
    } else {
        v
    }
}

impl RunOverlay {
    /// Folds a run's tasks (the last task of an activity decides its look) and transitions.
    pub fn from_records(tasks: &[TaskRecord], edges: &[EdgeRecord]) -> Self {
        let mut sorted: Vec<&TaskRecord> = tasks.iter().collect();
        sorted.sort_by_key(|t| t.id);
        let mut activities: HashMap<String, ActivityRun> = HashMap::new();
        for t in sorted {
            let ended = match (t.started_at, t.ended_at) {
                (Some(s), Some(e)) => Some(e - s),
                _ => None,
            };
            let entry = activities
                .entry(t.activity_id.clone())
                .or_insert(ActivityRun {
                    visual: Visual::NotReached,
                    duration_ms: None,
                });
            entry.visual = visual(t);
            if let Some(d) = ended {
                entry.duration_ms = Some(entry.duration_ms.unwrap_or(0) + d);
            }
        }
        let edges = edges
            .iter()
            .map(|e| {
                (
                    (e.from.clone(), e.port.clone(), e.to.clone()),
                    EdgeRun {
                        taken: e.taken,
                        dead: e.dead,
                        records: e.records,
                    },
                )
            })
            .collect();
        Self { activities, edges }
    }
}

/// A duration as the canvas writes it (`ui/src/runs/status.ts` formatDuration).
pub(crate) fn format_duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        // Half away from zero, as JavaScript's toFixed.
        format!("{:.1} s", (ms as f64 / 100.0).round() / 10.0)
    } else if ms < 3_600_000 {
        format!(
            "{} min {} s",
            ms / 60_000,
            ((ms % 60_000) as f64 / 1000.0).round()
        )
    } else {
        format!(
            "{} h {} min",
            ms / 3_600_000,
            ((ms % 3_600_000) as f64 / 60_000.0).round()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_durations_read_as_on_the_canvas() {
        let e = EdgeRun {
            taken: 1,
            dead: false,
            records: Some(574),
        };
        assert_eq!(e.label("ok").as_deref(), Some("574 - Ok"));
        assert_eq!(
            EdgeRun {
                taken: 0,
                ..e.clone()
            }
            .label("ok"),
            None
        );
        assert_eq!(EdgeRun { records: None, ..e }.label("ok"), None);
        assert_eq!(format_duration(850), "850 ms");
        assert_eq!(format_duration(1250), "1.3 s");
        assert_eq!(format_duration(125_000), "2 min 5 s");
        assert_eq!(format_duration(3_725_000), "1 h 2 min");
    }
}
