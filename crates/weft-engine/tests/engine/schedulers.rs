//! The Schedulers view: schedules in words, the next three fire times (across a change to
//! summer time in Paris), paused and resumed schedules, the last run marked manual, and Run now
//! queued behind a running execution — all answered by the engine.

use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::ops::schedulers::ScheduleState;
use weft_engine::store::{RunStatus, TaskStatus, Trigger};
use weft_engine::{Command, Engine, EngineOptions, ManualClock};

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

fn with_schedule(name: &str, schedule: serde_json::Value, missed: &str) -> serde_json::Value {
    json!({
        "format": 1, "name": name,
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "tick", "kind": "schedule_trigger", "label": "Weekday morning", "config": {"schedule": schedule, "missed": missed}},
            {"id": "ask", "kind": "approval", "label": "Go ahead?", "config": {"group": "ops", "message": "Go?"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "tick"}, {"from": "tick", "to": "ask"}, {"from": "ask", "port": "approved", "to": "finish"}]
    })
}

#[tokio::test]
async fn schedulers_list_words_next_fire_times_across_dst_and_pause() {
    let dir = tempfile::tempdir().unwrap();
    // Thursday 26 March 2026, 08:30 in Paris; clocks go forward on Sunday the 29th.
    let clock = ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-26T07:30:00Z")
            .unwrap()
            .to_utc(),
    );
    let mut o: EngineOptions = options(&dir);
    o.clock = std::sync::Arc::new(clock.clone());
    let engine = Engine::open(o).unwrap();
    engine.start().unwrap();
    let create = |v: serde_json::Value| {
        let body = weft_engine::load::from_value(v).unwrap();
        engine.create_workflow(&body).unwrap().id
    };
    let paris = create(with_schedule(
        "Paris mornings",
        json!({"type": "cron", "cron": "0 8 * * 1-5", "timezone": "Europe/Paris"}),
        "run_once",
    ));
    let _interval = create(with_schedule(
        "Every quarter",
        json!({"type": "interval", "every": "15m"}),
        "skip",
    ));
    let _on_demand = create(with_schedule(
        "When asked",
        json!({"type": "on_demand"}),
        "skip",
    ));
    let _plain = create(chain("No schedule", vec![]));

    let rows = engine.list_schedulers().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.workflow.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Every quarter", "Paris mornings", "When asked"],
        "every workflow with a schedule trigger, by name; none without"
    );
    let row = |rows: &[weft_engine::ops::schedulers::SchedulerRow], name: &str| {
        rows.iter()
            .find(|r| r.workflow.name == name)
            .unwrap()
            .clone()
    };
    let p = row(&rows, "Paris mornings");
    let s = &p.schedules[0];
    assert_eq!(s.words, "every weekday at 08:00 Europe/Paris");
    assert_eq!(s.missed_words, "missed runs run once");
    assert_eq!(s.label, "Weekday morning");
    assert_eq!(s.state, ScheduleState::NotStarted);
    assert!(s.next.is_empty(), "not started: nothing will fire");
    assert_eq!(
        row(&rows, "Every quarter").schedules[0].words,
        "every 15 minutes"
    );
    let od = row(&rows, "When asked");
    assert_eq!(od.schedules[0].words, "on demand (Run now only)");
    assert_eq!(od.schedules[0].state, ScheduleState::OnDemand);
    assert!(p.last_run.is_none());

    engine
        .command_and_wait(Some(&paris), Command::Start, Duration::from_secs(5))
        .await
        .unwrap();
    let p = row(&engine.list_schedulers().unwrap(), "Paris mornings");
    let s = &p.schedules[0];
    assert_eq!(s.state, ScheduleState::Armed);
    let at: Vec<i64> = s.next.iter().map(|t| t.at).collect();
    assert_eq!(
        at,
        vec![
            ms("2026-03-27T07:00:00Z"),
            ms("2026-03-30T06:00:00Z"),
            ms("2026-03-31T06:00:00Z"),
        ],
        "08:00 in Paris is 07:00 UTC before the change and 06:00 UTC after"
    );
    let local: Vec<&str> = s.next.iter().map(|t| t.local.as_str()).collect();
    assert_eq!(
        local,
        vec![
            "Fri 27 Mar 2026 08:00 CET",
            "Mon 30 Mar 2026 08:00 CEST",
            "Tue 31 Mar 2026 08:00 CEST"
        ]
    );

    // Pause: the schedule does not fire, and says so; resuming arms it again.
    engine
        .command_and_wait(Some(&paris), Command::Pause, Duration::from_secs(5))
        .await
        .unwrap();
    let p = row(&engine.list_schedulers().unwrap(), "Paris mornings");
    assert_eq!(p.schedules[0].state, ScheduleState::Paused);
    assert!(p.schedules[0].next.is_empty());
    engine
        .command_and_wait(Some(&paris), Command::Start, Duration::from_secs(5))
        .await
        .unwrap();
    let p = row(&engine.list_schedulers().unwrap(), "Paris mornings");
    assert_eq!(p.schedules[0].state, ScheduleState::Armed);
    assert_eq!(p.schedules[0].next.len(), 3);
    engine.shutdown();
}

#[tokio::test]
async fn run_now_queues_behind_a_running_execution_and_is_marked_manual() {
    let h = Harness::new().await;
    let wf = h.create(with_schedule(
        "Queued behind",
        json!({"type": "cron", "cron": "0 8 * * 1-5", "timezone": "Europe/Paris"}),
        "skip",
    ));
    let first = h.run_now(&wf, json!({})).await;
    h.wait_task(first, "ask", TaskStatus::Waiting).await;
    let second = h.run_now(&wf, json!({})).await;
    wait_for(
        || async {
            h.engine
                .list_schedulers()
                .unwrap()
                .iter()
                .any(|r| r.queued == 1)
        },
        "the second run queued",
    )
    .await;
    let row = h.engine.list_schedulers().unwrap().remove(0);
    assert_eq!(row.running, 1, "the first waits for its approval");
    assert_eq!(
        row.queued, 1,
        "the second waits behind it (concurrency: queue)"
    );
    let last = row.last_run.unwrap();
    assert_eq!(last.id, second);
    assert_eq!(last.status, RunStatus::Pending);
    assert_eq!(last.trigger, Trigger::Manual, "a Run now is marked manual");

    let overview = h.engine.workflow_overview(&wf).unwrap();
    assert_eq!(
        overview
            .recent_runs
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![second, first]
    );
    assert_eq!(overview.approvals.len(), 1);
    assert_eq!(overview.approvals[0].run_id, first);
    assert_eq!(
        overview.labels["ask"], "Go ahead?",
        "what the approval is called"
    );
    assert_eq!(overview.row.schedules[0].state, ScheduleState::NotStarted);
}
