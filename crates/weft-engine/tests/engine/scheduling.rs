//! Schedules: firings on time, never twice (also across restarts), missed-run policies, and
//! Run now recorded as Manual without moving the schedule.

use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::store::{self, RunFilter, Trigger, WorkflowState};
use weft_engine::{Command, Engine, EngineOptions, ManualClock};

fn scheduled(every: &str, missed: &str) -> serde_json::Value {
    json!({
        "format": 1, "name": "Scheduled",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "tick", "kind": "schedule_trigger", "config": {"schedule": {"type": "interval", "every": every}, "missed": missed}},
            {"id": "work", "kind": "set_variables", "config": {"variables": {"at": "{{ run.id }}"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "tick"}, {"from": "tick", "to": "work"}, {"from": "work", "to": "finish"}]
    })
}

fn runs(engine: &Engine) -> Vec<store::RunSummary> {
    let mut page = engine
        .list_runs(
            &RunFilter {
                ascending: true,
                ..Default::default()
            },
            None,
            1000,
        )
        .unwrap()
        .runs;
    page.sort_by_key(|r| r.id);
    page
}

#[tokio::test]
async fn an_interval_schedule_fires_on_time_and_run_now_does_not_move_it() {
    let h = Harness::manual().await;
    let wf = h.create(scheduled("15m", "skip"));
    h.command(&wf, Command::Start).await;
    assert_eq!(
        h.engine.workflow(&wf).unwrap().0.state,
        WorkflowState::Started
    );
    assert!(
        runs(&h.engine).is_empty(),
        "a scheduled workflow waits for its schedule"
    );
    h.advance(Duration::from_secs(14 * 60)).await;
    assert!(runs(&h.engine).is_empty());
    h.run_now(&wf, json!({})).await;
    h.advance(Duration::from_secs(60)).await;
    wait_for(|| async { runs(&h.engine).len() == 2 }, "the first firing").await;
    let all = runs(&h.engine);
    assert_eq!(all[0].trigger, Trigger::Manual);
    assert_eq!(all[1].trigger, Trigger::Schedule);
    h.advance(Duration::from_secs(15 * 60)).await;
    wait_for(|| async { runs(&h.engine).len() == 3 }, "the second firing").await;
    for r in runs(&h.engine) {
        h.wait_final(r.id).await;
    }
    assert_eq!(
        h.engine.workflow(&wf).unwrap().0.state,
        WorkflowState::Started,
        "a scheduled workflow stays started"
    );
}

#[tokio::test]
async fn no_duplicate_firing_across_restarts_and_missed_runs_follow_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
            .unwrap()
            .to_utc(),
    );
    let open = |clock: &ManualClock| {
        let mut o: EngineOptions = options(&dir);
        o.clock = std::sync::Arc::new(clock.clone());
        let e = Engine::open(o).unwrap();
        e.start().unwrap();
        e
    };
    let engine = open(&clock);
    let body = weft_engine::load::from_value(scheduled("10m", "run_all")).unwrap();
    let wf = engine.create_workflow(&body).unwrap().id;
    engine
        .command_and_wait(Some(&wf), Command::Start, Duration::from_secs(5))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(600));
    wait_for(|| async { runs(&engine).len() == 1 }, "the first firing").await;
    engine.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Reopen at the same instant: the firing already recorded must not happen again.
    let engine = open(&clock);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        runs(&engine).len(),
        1,
        "no duplicate firing across a restart"
    );
    engine.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Closed for 30 minutes: run_all catches up on the three missed firings.
    clock.advance(Duration::from_secs(1800));
    let engine = open(&clock);
    wait_for(
        || async { runs(&engine).len() == 4 },
        "three caught-up firings",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(runs(&engine).len(), 4);
    let firings: i64 = engine.firings(&wf, 10_000).map(|f| f.len() as i64).unwrap();
    assert_eq!(firings, 4);
    engine.shutdown();
}

fn missed_rows(engine: &Engine, wf: &str) -> Vec<String> {
    let mut missed: Vec<_> = engine
        .firings(wf, 10_000)
        .unwrap()
        .into_iter()
        .filter(|f| f.run_id.is_none())
        .collect();
    missed.sort_by_key(|f| f.fire_time);
    missed.into_iter().map(|f| f.outcome).collect()
}

/// Moves the manual clock as a running engine lives through time: in steps short enough that
/// its heartbeat never sees a stall (a jump longer than the owner gap is down time).
async fn stay_up(clock: &ManualClock, total: Duration) {
    let step = Duration::from_secs(5);
    let mut gone = Duration::ZERO;
    while gone < total {
        clock.advance(step);
        gone += step;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn reopen(h: &Harness, clock: &ManualClock) -> Engine {
    let mut o = options(&h.dir);
    o.clock = std::sync::Arc::new(clock.clone());
    let engine = Engine::open(o).unwrap();
    engine.start().unwrap();
    engine
}

#[tokio::test]
async fn skip_policy_drops_every_firing_that_fell_while_no_owner_ran() {
    let h = Harness::manual().await;
    let wf = h.create(scheduled("10m", "skip"));
    h.command(&wf, Command::Start).await;
    h.engine.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let clock = h.clock.clone().unwrap();
    // Down for an hour and 5 s: six fire times fell in the outage — the last one too, although
    // it is only 5 s old when the engine is back.
    clock.advance(Duration::from_secs(3600 + 5));
    let engine = reopen(&h, &clock);
    wait_for(
        || async { missed_rows(&engine, &wf).len() == 1 },
        "the missed firings recorded",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(runs(&engine).is_empty(), "nothing fell while an owner ran");
    assert_eq!(missed_rows(&engine, &wf), ["missed (6)"]);
    // Up again: the next fire time runs on time.
    stay_up(&clock, Duration::from_secs(600)).await;
    wait_for(|| async { runs(&engine).len() == 1 }, "the next firing").await;
    engine.shutdown();
}

#[tokio::test]
async fn short_outages_are_missed_too_and_each_policy_decides() {
    for (policy, runs_after_outage) in [("skip", 0), ("run_once", 1), ("run_all", 2)] {
        let h = Harness::manual().await;
        let wf = h.create(scheduled("1s", policy));
        h.command(&wf, Command::Start).await;
        // Up for 3 s: three firings.
        for _ in 0..3 {
            h.advance(Duration::from_secs(1)).await;
        }
        wait_for(
            || async { runs(&h.engine).len() == 3 },
            "three firings while up",
        )
        .await;
        h.engine.shutdown();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Down for 2.5 s: the fire times at +4 s and +5 s fell in the outage.
        let clock = h.clock.clone().unwrap();
        clock.advance(Duration::from_millis(2_500));
        let engine = reopen(&h, &clock);
        wait_for(
            || async { runs(&engine).len() == 3 + runs_after_outage },
            &format!("{policy}: {runs_after_outage} run(s) for the outage"),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(runs(&engine).len(), 3 + runs_after_outage, "{policy}");
        let missed = missed_rows(&engine, &wf);
        match policy {
            "skip" => assert_eq!(missed, ["missed (2)"]),
            "run_once" => assert_eq!(missed, ["missed (1)"]),
            _ => assert!(missed.is_empty(), "{missed:?}"),
        }
        // Up again at +5.5 s: +6 s fires on time.
        clock.advance(Duration::from_millis(500));
        wait_for(
            || async { runs(&engine).len() == 4 + runs_after_outage },
            &format!("{policy}: the next firing"),
        )
        .await;
        engine.shutdown();
    }
}
