//! Event triggers: webhooks over real HTTP, files dropped in a watched folder (each processed
//! once, also across restarts), and contact events feeding the run's record set.

use crate::support::*;
use serde_json::{json, Value};
use std::time::Duration;
use weft_engine::contacts;
use weft_engine::store::{self, RunFilter, RunStatus, Trigger};
use weft_engine::{Command, Engine};

fn with_trigger(name: &str, trigger: Value, params: Value) -> Value {
    json!({
        "format": 1, "name": name, "parameters": params,
        "activities": [
            {"id": "start", "kind": "start"}, trigger,
            {"id": "work", "kind": "set_variables", "config": {"variables": {"seen": "yes"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "hook"}, {"from": "hook", "to": "work"}, {"from": "work", "to": "finish"}]
    })
}

fn runs_of(h: &Harness, wf: &str) -> Vec<store::RunSummary> {
    h.engine
        .list_runs(
            &RunFilter {
                workflow_id: Some(wf.into()),
                ascending: true,
                ..Default::default()
            },
            None,
            100,
        )
        .unwrap()
        .runs
}

#[tokio::test]
async fn a_webhook_with_the_right_token_fires_and_a_wrong_one_gets_401() {
    let h = Harness::new().await;
    let addr = h
        .engine
        .start_webhooks("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let wf = h.create(with_trigger("Hook", json!({"id": "hook", "kind": "webhook_trigger"}), json!({"type": "object", "properties": {"amount": {"type": "integer"}}, "required": ["amount"]})));
    let url = format!("http://{addr}/hooks/{wf}/hook");
    let client = reqwest::Client::new();

    let early = client
        .post(&url)
        .bearer_auth("whatever")
        .json(&json!({"amount": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), 401, "no token exists before Start");
    h.command(&wf, Command::Start).await;
    let token = weft_engine::exec::webhook::token(&h.engine, &wf, "hook")
        .unwrap()
        .expect("a token after Start");
    assert!(token.len() >= 32);

    let missing = client
        .post(&url)
        .json(&json!({"amount": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    let wrong = client
        .post(&url)
        .bearer_auth(format!("{token}x"))
        .json(&json!({"amount": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let invalid = client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"amount": "lots"}))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 400);
    let reasons: Value = invalid.json().await.unwrap();
    assert!(
        reasons["reasons"][0].as_str().unwrap().contains("amount"),
        "{reasons}"
    );
    let not_json = client
        .post(&url)
        .bearer_auth(&token)
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    assert!(runs_of(&h, &wf).is_empty(), "nothing ran for a bad call");

    let ok = client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"amount": 574}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 202);
    let run = ok.json::<Value>().await.unwrap()["run"].as_i64().unwrap();
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.summary.trigger, Trigger::Webhook);
    assert_eq!(detail.params["amount"], json!(574));
}

#[tokio::test]
async fn each_arriving_file_is_processed_once_also_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let engine = Engine::open(options(&dir)).unwrap();
    engine.start().unwrap();
    let body = with_trigger(
        "Files",
        json!({"id": "hook", "kind": "file_trigger", "config": {"folder": inbox, "pattern": "*.csv", "settle": "200ms"}}),
        json!({"type": "object", "properties": {}}),
    );
    let wf = engine
        .create_workflow(&weft_engine::load::from_value(body).unwrap())
        .unwrap()
        .id;
    engine
        .command_and_wait(Some(&wf), Command::Start, Duration::from_secs(5))
        .await
        .unwrap();
    let count = |e: &Engine| {
        e.list_runs(
            &RunFilter {
                workflow_id: Some(wf.clone()),
                ..Default::default()
            },
            None,
            100,
        )
        .unwrap()
        .runs
    };
    std::fs::write(inbox.join("a.csv"), "x").unwrap();
    std::fs::write(inbox.join("ignored.txt"), "x").unwrap();
    wait_for(|| async { count(&engine).len() == 1 }, "the first file").await;
    std::fs::write(inbox.join("b.csv"), "y").unwrap();
    wait_for(|| async { count(&engine).len() == 2 }, "the second file").await;
    let runs = count(&engine);
    assert!(runs.iter().all(|r| r.trigger == Trigger::File));
    let params = engine.run(runs[0].id).unwrap().params;
    assert!(params["file"].as_str().unwrap().ends_with("b.csv"));
    engine.shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let again = Engine::open(options(&dir)).unwrap();
    again.start().unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        count(&again).len(),
        2,
        "files already processed are not processed again"
    );
    again.shutdown();
}

#[tokio::test]
async fn new_contacts_fire_runs_whose_input_set_is_those_contacts() {
    let h = Harness::manual().await;
    let wf = h.create(json!({
        "format": 1, "name": "On new lead",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "hook", "kind": "record_trigger", "config": {"event": "new_contact", "batch": true}},
            {"id": "tag", "kind": "update_data", "config": {"add_tags": ["welcomed"]}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "hook"}, {"from": "hook", "to": "tag"}, {"from": "tag", "to": "finish"}]
    }));
    add_contacts(&h.engine, &[("before@x.io", "Before", "new", None)]);
    h.command(&wf, Command::Start).await;
    // The first scan after Start sets the trigger's cursor: what exists then is history.
    h.advance(Duration::from_secs(2)).await;
    add_contacts(
        &h.engine,
        &[
            ("one@x.io", "One", "new", None),
            ("two@x.io", "Two", "new", None),
        ],
    );
    h.advance_until(
        || async {
            runs_of(&h, &wf)
                .iter()
                .any(|r| r.status == RunStatus::Completed)
        },
        "a record run",
    )
    .await;
    let runs = runs_of(&h, &wf);
    assert_eq!(runs.len(), 1, "one batch");
    assert_eq!(runs[0].trigger, Trigger::Record);
    assert_eq!(h.task(runs[0].id, "hook").record_count, Some(2));
    let tagged: Vec<String> = h
        .engine
        .list_contacts(&contacts::Filter::all(), None, 10)
        .unwrap()
        .into_iter()
        .filter(|c| c.tags.contains(&"welcomed".to_string()))
        .map(|c| c.email)
        .collect();
    assert_eq!(
        tagged,
        ["one@x.io", "two@x.io"],
        "contacts from before the trigger was armed are left alone"
    );
}

#[tokio::test]
async fn a_status_edit_fires_a_record_trigger_on_that_status() {
    let h = Harness::manual().await;
    add_contacts(
        &h.engine,
        &[("a@x.io", "A", "new", None), ("b@x.io", "B", "new", None)],
    );
    let wf = h.create(json!({
        "format": 1, "name": "On qualified",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "hook", "kind": "record_trigger", "config": {"event": "status_changed", "status": "qualified"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "hook"}, {"from": "hook", "to": "finish"}]
    }));
    h.command(&wf, Command::Start).await;
    // The first scan after Start sets the trigger's cursor: what exists then is history.
    h.advance(Duration::from_secs(2)).await;
    let b = h
        .engine
        .list_contacts(&contacts::Filter::all(), None, 10)
        .unwrap()[1]
        .id;
    let change = |status: &str| weft_engine::ops::contacts::ContactChange {
        status: Some(status.into()),
        ..Default::default()
    };
    h.engine.update_contact(b, &change("lost")).unwrap();
    h.engine.update_contact(b, &change("qualified")).unwrap();
    h.advance_until(
        || async { !runs_of(&h, &wf).is_empty() },
        "a run for the qualified lead",
    )
    .await;
    // Further scans find nothing more to fire.
    h.advance(Duration::from_secs(2)).await;
    let runs = runs_of(&h, &wf);
    assert_eq!(runs.len(), 1, "only the change to qualified fires");
    assert_eq!(h.task(runs[0].id, "hook").record_count, Some(1));
}
