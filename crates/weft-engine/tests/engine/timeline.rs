//! A run's timeline (the replay on the canvas): in time order with ties in a fixed order, a
//! retry's attempts, a loop's repeated transitions, and pages that add up to one read — also on
//! a run of ten thousand tasks.

use crate::support::*;
use serde_json::json;
use weft_engine::store::timeline::{TimelineCursor, TimelineEntry, TimelineKind};
use weft_engine::store::{RunStatus, TaskStatus};
use weft_engine::{Engine, EngineOptions, WorkflowFile};

/// Every entry of a run's timeline, read `limit` at a time.
fn read_all(engine: &Engine, run: i64, limit: u32) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let mut after: Option<TimelineCursor> = None;
    loop {
        let page = engine.run_timeline(run, after, limit).unwrap();
        assert!(page.entries.len() <= limit as usize);
        out.extend(page.entries);
        match page.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

/// The task entries of one activity: (kind, attempt, status).
fn steps_of(
    entries: &[TimelineEntry],
    activity: &str,
) -> Vec<(TimelineKind, Option<u32>, Option<TaskStatus>)> {
    entries
        .iter()
        .filter(|e| e.activity_id == activity && e.task_id.is_some())
        .map(|e| (e.kind, e.attempt, e.status))
        .collect()
}

fn assert_in_time_order(entries: &[TimelineEntry]) {
    for pair in entries.windows(2) {
        assert!(
            pair[0].at <= pair[1].at,
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test]
async fn a_timeline_is_in_time_order_and_each_task_steps_through_its_life() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Chain",
        vec![cmd("one", "echo one"), cmd("two", "echo two")],
    ));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let all = read_all(&h.engine, run, 1_000);
    assert_in_time_order(&all);
    use TimelineKind::*;
    for activity in ["one", "two"] {
        assert_eq!(
            steps_of(&all, activity),
            vec![
                (TaskCreated, None, None),
                (AttemptStarted, Some(1), None),
                (AttemptEnded, Some(1), Some(TaskStatus::Succeeded)),
                (TaskEnded, None, Some(TaskStatus::Succeeded)),
            ]
        );
    }
    // Each transition is marked after its source ended and before its target was created.
    let position = |pred: &dyn Fn(&TimelineEntry) -> bool| all.iter().position(pred).unwrap();
    let one_ended = position(&|e| e.kind == TaskEnded && e.activity_id == "one");
    let taken = position(&|e| e.kind == EdgeTaken && e.activity_id == "one");
    let two_created = position(&|e| e.kind == TaskCreated && e.activity_id == "two");
    assert!(one_ended < taken && taken < two_created, "{all:#?}");
    assert_eq!(all[taken].to.as_deref(), Some("two"));
    assert_eq!(
        read_all(&h.engine, run, 1),
        all,
        "one entry a page gives the same sequence"
    );
    assert_eq!(read_all(&h.engine, run, 3), all);
}

#[tokio::test]
async fn a_retried_task_shows_each_attempt_and_its_waits() {
    let h = Harness::manual().await;
    let counter = h.path("attempts");
    let flaky = format!(
        "n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}; [ $n -ge 3 ]"
    );
    let mut wf = chain("Flaky", vec![cmd("flaky", &flaky)]);
    wf["activities"][1]["retry"] =
        json!({"max_attempts": 5, "backoff": "fixed", "initial_delay": "10s"});
    let wf = h.create(wf);
    let run = h.run_now(&wf, json!({})).await;
    h.advance_until(
        || async { h.run(run).summary.status == RunStatus::Completed },
        "the third attempt to succeed",
    )
    .await;
    let all = read_all(&h.engine, run, 2);
    assert_in_time_order(&all);
    use TimelineKind::*;
    assert_eq!(
        steps_of(&all, "flaky"),
        vec![
            (TaskCreated, None, None),
            (AttemptStarted, Some(1), None),
            (AttemptEnded, Some(1), Some(TaskStatus::Failed)),
            (AttemptStarted, Some(2), None),
            (AttemptEnded, Some(2), Some(TaskStatus::Failed)),
            (AttemptStarted, Some(3), None),
            (AttemptEnded, Some(3), Some(TaskStatus::Succeeded)),
            (TaskEnded, None, Some(TaskStatus::Succeeded)),
        ]
    );
    let starts: Vec<i64> = all
        .iter()
        .filter(|e| e.kind == AttemptStarted && e.activity_id == "flaky")
        .map(|e| e.at)
        .collect();
    assert!(
        starts[1] - starts[0] >= 10_000 && starts[2] - starts[1] >= 10_000,
        "the waits between attempts are on the timeline: {starts:?}"
    );
    assert_eq!(read_all(&h.engine, run, 1_000), all);
}

#[tokio::test]
async fn a_loop_marks_its_transition_each_time_round() {
    let h = Harness::new().await;
    let wf = h.create(json!({
        "format": 1, "name": "Loop",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "loop", "kind": "loop", "config": {"expression": "loop.index < 3"}},
            {"id": "tick", "kind": "run_command", "config": {"command": "echo tick"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "loop"}, {"from": "loop", "port": "again", "to": "tick"}, {"from": "tick", "to": "loop"}, {"from": "loop", "port": "done", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let all = read_all(&h.engine, run, 4);
    assert_in_time_order(&all);
    let marks: Vec<(String, String, TimelineKind)> = all
        .iter()
        .filter(|e| e.task_id.is_none())
        .map(|e| {
            (
                e.activity_id.clone(),
                e.port.clone().unwrap_or_default(),
                e.kind,
            )
        })
        .collect();
    let again = marks
        .iter()
        .filter(|(from, port, kind)| {
            from == "loop" && port == "again" && *kind == TimelineKind::EdgeTaken
        })
        .count();
    assert_eq!(again, 3, "taken once each time round: {marks:?}");
    assert_eq!(
        marks
            .iter()
            .filter(|(from, port, _)| from == "loop" && port == "done")
            .map(|(_, _, kind)| *kind)
            .collect::<Vec<_>>(),
        vec![TimelineKind::EdgeTaken]
    );
    let ticks = all
        .iter()
        .filter(|e| e.kind == TimelineKind::TaskCreated && e.activity_id == "tick")
        .count();
    assert_eq!(ticks, 3);
    // What a replay adds up at the end is what the run's transitions say.
    for edge in h.engine.run_edges(run).unwrap() {
        let taken = all
            .iter()
            .filter(|e| {
                e.kind == TimelineKind::EdgeTaken
                    && e.activity_id == edge.from
                    && e.port.as_deref() == Some(edge.port.as_str())
                    && e.to.as_deref() == Some(edge.to.as_str())
            })
            .count() as i64;
        assert_eq!(taken, edge.taken, "{edge:?}");
    }
}

#[tokio::test]
async fn a_timeline_of_ten_thousand_tasks_is_read_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("weft.db");
    let run = weft_engine::store::sqlite::fixtures::fill_large_run(
        &path,
        10_000,
        &WorkflowFile::new_blank("Big run"),
    )
    .unwrap();
    let engine = Engine::open(EngineOptions::new(path)).unwrap();
    let first = engine.run_timeline(run, None, 1_000).unwrap();
    assert_eq!(first.entries.len(), 1_000, "a page, never the whole run");
    assert_eq!(first.run.id, run);
    assert!(first.next.is_some());
    let small = read_all(&engine, run, 1_000);
    // Each task: created, attempt started and ended, ended; and its transition.
    assert_eq!(small.len(), 50_000);
    assert_in_time_order(&small);
    let large = read_all(&engine, run, 5_000);
    assert_eq!(small, large, "page sizes do not change the sequence");
    let huge = engine.run_timeline(run, None, u32::MAX).unwrap();
    assert_eq!(huge.entries.len(), 5_000, "a page is bounded");
}
