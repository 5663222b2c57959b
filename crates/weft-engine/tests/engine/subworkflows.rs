//! Sub-workflow calls: a linked run with parameters, its variables as the caller's result;
//! failures and cancellation flow between the two.

use crate::support::*;
use serde_json::json;
use weft_engine::store::{RunStatus, TaskStatus, Trigger};
use weft_engine::Command;

fn child(h: &Harness, last: serde_json::Value) -> String {
    let mut body = chain(
        "Child",
        vec![
            json!({"id": "double", "kind": "set_variables", "config": {"variables": {"doubled": "{{ params.n * 2 }}"}}}),
            last,
        ],
    );
    body["parameters"] =
        json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]});
    h.create(body)
}

fn caller(name: &str, target: &str) -> serde_json::Value {
    let mut body = chain(
        name,
        vec![
            json!({"id": "call", "kind": "sub_workflow", "config": {"workflow": target, "params": {"n": "{{ params.x }}"}}}),
            json!({"id": "use", "kind": "set_variables", "config": {"variables": {"got": "{{ tasks.call.result.vars.doubled }}"}}}),
        ],
    );
    body["parameters"] =
        json!({"type": "object", "properties": {"x": {"type": "integer", "default": 4}}});
    body
}

#[tokio::test]
async fn a_sub_workflow_runs_linked_and_returns_its_variables() {
    let h = Harness::new().await;
    child(
        &h,
        json!({"id": "noop", "kind": "set_variables", "config": {}}),
    );
    let wf = h.create(caller("Caller", "Child"));
    let run = h.run_now(&wf, json!({"x": 4})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(
        detail.summary.status,
        RunStatus::Completed,
        "{:?}",
        detail.error
    );
    assert_eq!(detail.vars["got"], json!(8));
    let called = h.task(run, "call").result["run"].as_i64().unwrap();
    let child_run = h.run(called);
    assert_eq!(child_run.summary.trigger, Trigger::SubWorkflow);
    assert_eq!(child_run.summary.parent_run, Some(run), "linked in history");
    assert_eq!(child_run.params["n"], json!(4));
}

#[tokio::test]
async fn a_failing_sub_workflow_fails_its_caller_and_a_missing_one_is_an_error() {
    let h = Harness::new().await;
    child(&h, cmd("boom", "exit 9"));
    let wf = h.create(caller("Caller", "Child"));
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Failed);
    assert!(detail.error.unwrap().contains("ended failed"));

    let lost = h.create(caller("Lost", "Nobody"));
    let run = h.run_now(&lost, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Error);
    assert!(detail.error.unwrap().contains("no workflow \"Nobody\""));
}

#[tokio::test]
async fn cancelling_the_caller_cancels_the_called_run() {
    let h = Harness::new().await;
    child(
        &h,
        json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}}),
    );
    let wf = h.create(caller("Caller", "Child"));
    let run = h.run_now(&wf, json!({})).await;
    let call = h.wait_task(run, "call", TaskStatus::Waiting).await;
    let page = h.engine.list_runs(&Default::default(), None, 10).unwrap();
    let child_run = page
        .runs
        .iter()
        .find(|r| r.parent_run == Some(run))
        .expect("a linked run")
        .id;
    assert_ne!(call.id, 0);
    h.command(&wf, Command::CancelRun { run_id: run }).await;
    assert_eq!(
        h.wait_final(child_run).await.summary.status,
        RunStatus::Cancelled
    );
    assert_eq!(h.run(run).summary.status, RunStatus::Cancelled);
}
