//! Approvals: answered through the command queue, also from a second process on the store;
//! the first answer wins; deadlines apply the default outcome.

use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::store::{RunStatus, TaskStatus};
use weft_engine::{Command, Engine};

fn gated(rejected_branch: bool) -> serde_json::Value {
    let mut activities = vec![
        json!({"id": "start", "kind": "start"}),
        json!({"id": "ask", "kind": "approval", "config": {"group": "ops", "message": "Send to {{ params.count }} leads?"}}),
        json!({"id": "send", "kind": "set_variables", "config": {"variables": {"sent": "yes"}}}),
        json!({"id": "finish", "kind": "finish"}),
    ];
    let mut transitions = vec![
        json!({"from": "start", "to": "ask"}),
        json!({"from": "ask", "port": "approved", "to": "send"}),
        json!({"from": "send", "to": "finish"}),
    ];
    if rejected_branch {
        activities.push(
            json!({"id": "note", "kind": "set_variables", "config": {"variables": {"sent": "no"}}}),
        );
        transitions.push(json!({"from": "ask", "port": "rejected", "to": "note"}));
        transitions.push(json!({"from": "note", "to": "finish"}));
    }
    json!({"format": 1, "name": "Gated", "activities": activities, "transitions": transitions})
}

#[tokio::test]
async fn an_approval_answered_from_a_second_process_continues_the_run() {
    let h = Harness::new().await;
    let wf = h.create(gated(false));
    let run = h.run_now(&wf, json!({"count": 574})).await;
    let task = h.wait_task(run, "ask", TaskStatus::Waiting).await;
    assert_eq!(
        h.wait_status(run, RunStatus::WaitingForApproval)
            .await
            .summary
            .status,
        RunStatus::WaitingForApproval
    );

    // A second handle on the same file, as `weft approve` in another process would open it.
    let other = Engine::open(options(&h.dir)).unwrap();
    let err = other.start().unwrap_err();
    assert_eq!(err.code(), "WEFT-X003", "one executor per store");
    let open = other.open_approvals(None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].message, "Send to 574 leads?");
    assert_eq!(open[0].group, "ops");
    let id = other
        .send(
            Some(&wf),
            Command::Approve {
                task_id: task.id,
                comment: Some("go".into()),
                by: Some("ada".into()),
            },
        )
        .unwrap();
    let record = other
        .wait_command(id, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        record.outcome,
        Some(weft_engine::command::CommandOutcome::applied())
    );
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.vars["sent"], json!("yes"));
    assert_eq!(h.task(run, "ask").result["by"], json!("ada"));

    let again = other
        .send(
            Some(&wf),
            Command::Reject {
                task_id: task.id,
                comment: None,
                by: None,
            },
        )
        .unwrap();
    let record = other
        .wait_command(again, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(
        record
            .outcome
            .unwrap()
            .to_string()
            .contains("already answered"),
        "the first answer wins"
    );
}

#[tokio::test]
async fn a_rejection_without_a_rejected_branch_ends_the_run_rejected() {
    let h = Harness::new().await;
    let wf = h.create(gated(false));
    let run = h.run_now(&wf, json!({"count": 1})).await;
    let task = h.wait_task(run, "ask", TaskStatus::Waiting).await;
    h.command(
        &wf,
        Command::Reject {
            task_id: task.id,
            comment: Some("not today".into()),
            by: None,
        },
    )
    .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Rejected);
    assert_eq!(detail.error.as_deref(), Some("not today"));
}

#[tokio::test]
async fn a_rejected_branch_is_followed_when_there_is_one() {
    let h = Harness::new().await;
    let wf = h.create(gated(true));
    let run = h.run_now(&wf, json!({"count": 1})).await;
    let task = h.wait_task(run, "ask", TaskStatus::Waiting).await;
    h.command(
        &wf,
        Command::Reject {
            task_id: task.id,
            comment: None,
            by: None,
        },
    )
    .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.vars["sent"], json!("no"));
}

#[tokio::test]
async fn a_deadline_applies_the_default_outcome() {
    let h = Harness::manual().await;
    let mut body = gated(false);
    body["activities"][1]["config"]["deadline"] = json!("1h");
    body["activities"][1]["config"]["default_outcome"] = json!("approve");
    let wf = h.create(body);
    let run = h.run_now(&wf, json!({"count": 1})).await;
    h.wait_task(run, "ask", TaskStatus::Waiting).await;
    h.advance(Duration::from_secs(3599)).await;
    assert_eq!(h.run(run).summary.status, RunStatus::WaitingForApproval);
    h.advance(Duration::from_secs(1)).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "ask").result["by"], json!("deadline"));
}

/// Records notifications instead of showing them (the desktop shows them with its plugin).
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<(String, String)>>);

impl weft_engine::activities::Notifier for Recorder {
    fn notify(&self, title: &str, body: &str) {
        self.0.lock().unwrap().push((title.into(), body.into()));
    }
}

#[tokio::test]
async fn waiting_approvals_and_failures_are_notified() {
    let dir = tempfile::tempdir().unwrap();
    let recorder = std::sync::Arc::new(Recorder::default());
    let mut o = options(&dir);
    o.notifier = recorder.clone();
    let engine = Engine::open(o).unwrap();
    engine.start().unwrap();
    let mut body = gated(false);
    body["notify"] = json!({"on_failure": true, "on_completion": true});
    let wf = engine
        .create_workflow(&weft_engine::load::from_value(body).unwrap())
        .unwrap()
        .id;
    let record = engine
        .command_and_wait(
            Some(&wf),
            Command::RunNow {
                params: json!({"count": 3}),
                simulate: false,
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let run = run_id_of(record.outcome.as_ref().unwrap());
    wait_for(
        || async { !recorder.0.lock().unwrap().is_empty() },
        "the approval notification",
    )
    .await;
    assert_eq!(
        recorder.0.lock().unwrap()[0],
        (
            "Gated: approval waiting".to_string(),
            "Send to 3 leads?".to_string()
        )
    );
    let task = engine.open_approvals(None).unwrap()[0].task_id;
    engine
        .command_and_wait(
            Some(&wf),
            Command::Approve {
                task_id: task,
                comment: None,
                by: None,
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    wait_for(
        || async { recorder.0.lock().unwrap().len() == 2 },
        "the completion notification",
    )
    .await;
    assert!(
        recorder.0.lock().unwrap()[1].0.contains("completed"),
        "{:?}",
        recorder.0.lock().unwrap()
    );
    let _ = run;
    engine.shutdown();
}
