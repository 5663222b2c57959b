//! The debugger: breakpoints before, after and on a transition, with conditions that hold and
//! that do not; Continue, Step across a fork, Skip (simulation only), Stop; other branches go on
//! while one is paused; a normal run ignores breakpoints.

use crate::support::*;
use serde_json::{json, Value};
use std::time::Duration;
use weft_engine::debug::{BreakKind, Breakpoint, DebugAction};
use weft_engine::store::{RunStatus, TaskStatus, WaitReason};
use weft_engine::Command;

/// start → seg (sets vars.segment) → q (query) → fork → b, c → join → finish.
fn debugged() -> Value {
    json!({
        "format": 1, "name": "Debugged",
        "parameters": {"type": "object", "properties": {"segment": {"type": "string", "default": "vip"}}},
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "seg", "kind": "set_variables", "config": {"variables": {"segment": "{{ params.segment }}"}}},
            {"id": "q", "kind": "query", "config": {"filter": {"rules": [{"field": "status", "op": "eq", "value": "new"}]}}},
            {"id": "fork", "kind": "fork"},
            {"id": "b", "kind": "set_variables", "config": {"variables": {"b": "done"}}},
            {"id": "c", "kind": "set_variables", "config": {"variables": {"c": "done"}}},
            {"id": "join", "kind": "join"},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "seg"}, {"from": "seg", "to": "q"}, {"from": "q", "to": "fork"},
            {"from": "fork", "to": "b"}, {"from": "fork", "to": "c"},
            {"from": "b", "to": "join"}, {"from": "c", "to": "join"}, {"from": "join", "to": "finish"}
        ]
    })
}

async fn setup(breaks: &[&str]) -> (Harness, String) {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "A", "new", None),
            ("b@x.io", "B", "new", None),
            ("c@x.io", "C", "new", None),
        ],
    );
    let wf = h.create(debugged());
    let list = breaks
        .iter()
        .map(|b| Breakpoint::parse(b).unwrap())
        .collect();
    h.engine.set_breakpoints(&wf, list).unwrap();
    (h, wf)
}

fn debug(run_id: i64, task_id: Option<i64>, action: DebugAction) -> Command {
    Command::Debug {
        run_id,
        task_id,
        action,
    }
}

/// Waits until the run has exactly these activities paused.
async fn paused_at(h: &Harness, run: i64, activities: &[&str]) -> Vec<(i64, String, BreakKind)> {
    let mut want: Vec<String> = activities.iter().map(|s| s.to_string()).collect();
    want.sort();
    wait_for(
        || async {
            let mut got: Vec<String> = h
                .engine
                .debug_view(run)
                .unwrap()
                .paused
                .into_iter()
                .map(|p| p.activity_id)
                .collect();
            got.sort();
            got == want
        },
        &format!("run {run} to be paused at {activities:?}"),
    )
    .await;
    h.engine
        .debug_view(run)
        .unwrap()
        .paused
        .into_iter()
        .map(|p| (p.task_id, p.activity_id, p.at))
        .collect()
}

#[tokio::test]
async fn a_before_breakpoint_pauses_until_continue_and_the_task_has_not_run() {
    let (h, wf) = setup(&["q"]).await;
    let run = debug_run(&h, &wf, json!({}), false).await;
    let paused = paused_at(&h, run, &["q"]).await;
    assert_eq!(paused[0].2, BreakKind::Before);
    // It stays paused: nothing runs it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let q = h.task(run, "q");
    assert_eq!(
        (q.status, q.wait_reason, q.attempt),
        (TaskStatus::Waiting, Some(WaitReason::Breakpoint), 0)
    );
    assert_eq!(h.run(run).summary.status, RunStatus::Running);
    assert!(h.tasks(run).iter().all(|t| t.activity_id != "fork"));
    let logs = h.engine.run_logs(run, Some("q")).unwrap();
    assert!(
        logs.iter()
            .any(|l| l.message.contains("paused at breakpoint q:before")),
        "{logs:?}"
    );
    let outcome = h
        .command(&wf, debug(run, None, DebugAction::Continue))
        .await;
    assert!(outcome.is_applied(), "{outcome}");
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "q").record_count, Some(3));
}

#[tokio::test]
async fn an_after_breakpoint_whose_condition_holds_pauses_with_the_result_recorded() {
    let (h, wf) = setup(&["q:after=tasks.q.recordCount > 1"]).await;
    let run = debug_run(&h, &wf, json!({}), false).await;
    let paused = paused_at(&h, run, &["q"]).await;
    assert_eq!(paused[0].2, BreakKind::After);
    let q = h.task(run, "q");
    assert_eq!(q.record_count, Some(3), "its result is there to inspect");
    assert_eq!(q.wait_reason, Some(WaitReason::Breakpoint));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        h.tasks(run).iter().all(|t| t.activity_id != "fork"),
        "its transitions wait"
    );
    // Continue the named task, from a second handle on the store (as another process would).
    let other = weft_engine::Engine::open(options(&h.dir)).unwrap();
    let id = other
        .send(
            Some(&wf),
            debug(run, Some(paused[0].0), DebugAction::Continue),
        )
        .unwrap();
    let record = other
        .wait_command(id, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(record.outcome.unwrap().is_applied());
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "q").status, TaskStatus::Succeeded);
    // Applied once: the same command sent again is refused, nothing moves twice.
    let again = h
        .command_refused(
            Some(&wf),
            debug(run, Some(paused[0].0), DebugAction::Continue),
        )
        .await;
    assert!(again.contains("WEFT-R002"), "{again}");
}

#[tokio::test]
async fn a_condition_that_does_not_hold_lets_the_run_through() {
    let (h, wf) = setup(&[
        "q:after=tasks.q.recordCount > 1000",
        "b=vars.segment == \"basic\"",
    ])
    .await;
    let run = debug_run(&h, &wf, json!({}), false).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert!(h.engine.debug_view(run).unwrap().debug);
}

#[tokio::test]
async fn a_transition_breakpoint_pauses_where_the_transition_is_taken_and_other_branches_go_on() {
    let (h, wf) = setup(&["fork->c=vars.segment == \"vip\"", "b"]).await;
    // Segment vip: the transition's condition holds: the fork holds with every transition.
    let run = debug_run(&h, &wf, json!({"segment": "vip"}), false).await;
    let paused = paused_at(&h, run, &["fork"]).await;
    assert_eq!(paused[0].2, BreakKind::After);
    assert_eq!(h.task(run, "fork").port.as_deref(), Some("ok"));
    h.command(&wf, debug(run, Some(paused[0].0), DebugAction::Continue))
        .await;
    // b has its own breakpoint; c's branch goes on to the join, which waits for b's.
    paused_at(&h, run, &["b"]).await;
    wait_for(
        || async {
            h.tasks(run)
                .iter()
                .any(|t| t.activity_id == "c" && t.status == TaskStatus::Succeeded)
        },
        "c's branch to go on while b is paused",
    )
    .await;
    assert!(h.tasks(run).iter().all(|t| t.activity_id != "join"));
    h.command(&wf, debug(run, None, DebugAction::Continue))
        .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.vars["c"], json!("done"));

    // Segment basic: the transition's condition does not hold; only b pauses.
    let run = debug_run(&h, &wf, json!({"segment": "basic"}), false).await;
    paused_at(&h, run, &["b"]).await;
    assert_eq!(h.task(run, "fork").status, TaskStatus::Succeeded);
    h.command(&wf, debug(run, None, DebugAction::Continue))
        .await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
}

#[tokio::test]
async fn step_pauses_at_the_next_activity_and_across_a_fork_at_each_branch() {
    let (h, wf) = setup(&["q"]).await;
    let run = debug_run(&h, &wf, json!({}), false).await;
    let paused = paused_at(&h, run, &["q"]).await;
    let outcome = h
        .command(&wf, debug(run, Some(paused[0].0), DebugAction::Step))
        .await;
    assert!(outcome.is_applied(), "{outcome}");
    // q ran; the next activity on its branch waits before it starts.
    let paused = paused_at(&h, run, &["fork"]).await;
    assert_eq!(h.task(run, "q").status, TaskStatus::Succeeded);
    assert_eq!(paused[0].2, BreakKind::Before);
    h.command(&wf, debug(run, None, DebugAction::Step)).await;
    // Across the fork: each branch pauses at its first activity.
    paused_at(&h, run, &["b", "c"]).await;
    let refused = h
        .command_refused(Some(&wf), debug(run, None, DebugAction::Step))
        .await;
    assert!(refused.contains("name the one to step"), "{refused}");
    h.command(&wf, debug(run, None, DebugAction::Continue))
        .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(
        (detail.vars["b"].clone(), detail.vars["c"].clone()),
        (json!("done"), json!("done"))
    );
}

#[tokio::test]
async fn skip_is_refused_in_a_real_run_and_takes_the_ok_port_in_a_simulation() {
    let (h, wf) = setup(&["q"]).await;
    let run = debug_run(&h, &wf, json!({}), false).await;
    paused_at(&h, run, &["q"]).await;
    let refused = h
        .command_refused(Some(&wf), debug(run, None, DebugAction::Skip))
        .await;
    assert!(refused.contains("WEFT-R009"), "{refused}");
    let outcome = h.command(&wf, debug(run, None, DebugAction::Stop)).await;
    assert!(outcome.is_applied());
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Cancelled);
    assert_eq!(h.task(run, "q").status, TaskStatus::Cancelled);

    let run = debug_run(&h, &wf, json!({}), true).await;
    paused_at(&h, run, &["q"]).await;
    let outcome = h.command(&wf, debug(run, None, DebugAction::Skip)).await;
    assert!(outcome.is_applied(), "{outcome}");
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let q = h.task(run, "q");
    assert_eq!(q.status, TaskStatus::Succeeded);
    assert_eq!(q.result["skippedByDebugger"], json!(true));
    assert_eq!(q.record_count, None, "it did not run");
}

#[tokio::test]
async fn a_normal_run_ignores_breakpoints_and_bad_ones_are_refused() {
    let (h, wf) = setup(&["q", "fork->b"]).await;
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert!(!h.engine.debug_view(run).unwrap().debug);
    let refused = h
        .command_refused(Some(&wf), debug(run, None, DebugAction::Continue))
        .await;
    assert!(refused.contains("not a debug run"), "{refused}");
    assert_eq!(h.engine.breakpoints(&wf).unwrap().len(), 2);
    for bad in ["nope", "q->b", "q:after=tasks.q.recordCount >"] {
        let err = h
            .engine
            .set_breakpoints(&wf, vec![Breakpoint::parse(bad).unwrap()])
            .unwrap_err();
        assert_eq!(err.code(), "WEFT-X008", "{bad}: {err}");
    }
    assert_eq!(h.engine.breakpoints(&wf).unwrap().len(), 2, "all or none");
}
