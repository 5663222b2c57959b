//! Graph rules, each reported with the activity it concerns, all at once.

use crate::support::chain;
use serde_json::json;
use weft_engine::validate::{validate, Severity};

fn codes(body: serde_json::Value) -> Vec<(Option<String>, String)> {
    let wf = weft_engine::load::from_value(body).expect("loads");
    validate(&wf)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.activity, d.code))
        .collect()
}

fn has(found: &[(Option<String>, String)], activity: Option<&str>, code: &str) -> bool {
    found
        .iter()
        .any(|(a, c)| a.as_deref() == activity && c == code)
}

#[test]
fn a_blank_workflow_is_valid() {
    let wf = weft_engine::WorkflowFile::new_blank("x");
    assert!(validate(&wf).is_empty());
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = codes(json!({
        "format": 1, "name": "Broken",
        "activities": [
            {"id": "start", "kind": "start"}, {"id": "start2", "kind": "start"},
            {"id": "orphan", "kind": "run_command", "config": {"command": "true"}},
            {"id": "dead_end", "kind": "run_command", "config": {"command": ""}},
            {"id": "j", "kind": "join"},
            {"id": "cond", "kind": "condition", "config": {"expression": "params.x >"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "dead_end"}, {"from": "start", "to": "j"}, {"from": "j", "to": "cond"},
            {"from": "cond", "port": "true", "to": "finish"}, {"from": "cond", "port": "maybe", "to": "finish"},
            {"from": "cond", "port": "false", "to": "ghost"}
        ]
    }));
    assert!(has(&found, Some("start2"), "WEFT-V001"), "{found:?}");
    assert!(has(&found, Some("orphan"), "WEFT-V005"), "{found:?}");
    assert!(has(&found, Some("dead_end"), "WEFT-V006"), "{found:?}");
    assert!(
        has(&found, Some("dead_end"), "WEFT-V009"),
        "required command: {found:?}"
    );
    assert!(has(&found, Some("j"), "WEFT-V008"), "{found:?}");
    assert!(
        has(&found, Some("cond"), "WEFT-V009"),
        "bad expression: {found:?}"
    );
    assert!(
        has(&found, Some("cond"), "WEFT-V004"),
        "unknown port: {found:?}"
    );
    assert!(
        has(&found, Some("cond"), "WEFT-V003"),
        "unknown target: {found:?}"
    );
}

#[test]
fn a_cycle_needs_a_loop() {
    let mut body = chain(
        "Cycle",
        vec![
            json!({"id": "a", "kind": "set_variables", "config": {}}),
            json!({"id": "b", "kind": "set_variables", "config": {}}),
        ],
    );
    body["transitions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "b", "to": "a"}));
    let found = codes(body);
    assert!(
        has(&found, Some("a"), "WEFT-V007") && has(&found, Some("b"), "WEFT-V007"),
        "{found:?}"
    );
}

#[test]
fn triggers_only_follow_start_and_schedules_are_checked() {
    let found = codes(chain(
        "Triggers",
        vec![
            json!({"id": "act", "kind": "set_variables", "config": {}}),
            json!({"id": "late", "kind": "schedule_trigger", "config": {"schedule": {"type": "cron", "cron": "not cron"}}}),
        ],
    ));
    assert!(has(&found, Some("late"), "WEFT-V012"), "{found:?}");
    assert!(has(&found, Some("late"), "WEFT-V009"), "{found:?}");
}

#[test]
fn a_wait_needs_exactly_one_of_duration_and_until() {
    let found = codes(chain(
        "Wait",
        vec![json!({"id": "w", "kind": "wait", "config": {}})],
    ));
    assert!(has(&found, Some("w"), "WEFT-V009"), "{found:?}");
}
