//! Recovery: a new owner rebuilds from the store. (The same with a real `kill -9` of a `weft`
//! process is in the CLI's tests.)

use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::store::{self, RunStatus, TaskStatus};
use weft_engine::Engine;

async fn abandon(engine: Engine) {
    // Ends the executor without recording what was in flight: what a crash leaves behind.
    engine.shutdown();
    tokio::time::sleep(Duration::from_millis(150)).await;
}

#[tokio::test]
async fn an_interrupted_task_is_retried_and_finished_tasks_are_not_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("first").display().to_string();
    let marker = dir.path().join("go").display().to_string();
    let engine = Engine::open(options(&dir)).unwrap();
    engine.start().unwrap();
    let mut body = chain(
        "Crashy",
        vec![
            cmd("first", &format!("echo once >> {counter}")),
            cmd(
                "second",
                &format!("while [ ! -f {marker} ]; do sleep 0.05; done"),
            ),
        ],
    );
    body["retry"] = json!({"max_attempts": 3, "initial_delay": "10ms"});
    let wf = engine
        .create_workflow(&weft_engine::load::from_value(body).unwrap())
        .unwrap()
        .id;
    let record = engine
        .command_and_wait(
            Some(&wf),
            weft_engine::Command::RunNow {
                params: json!({}),
                simulate: false,
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let run = run_id_of(record.outcome.as_ref().unwrap());
    let running = |e: &Engine| {
        e.run_tasks(run)
            .unwrap()
            .iter()
            .any(|t| t.activity_id == "second" && t.status == TaskStatus::Running)
    };
    wait_for(|| async { running(&engine) }, "second to run").await;
    abandon(engine).await;

    let reopened = Engine::open(options(&dir)).unwrap();
    std::fs::write(&marker, "").unwrap();
    reopened.start().unwrap();
    wait_for(
        || async { reopened.run_summary(run).unwrap().status.is_final() },
        "the run to end",
    )
    .await;
    let detail = reopened.run(run).unwrap();
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap(),
        "once\n",
        "a finished task is never re-run"
    );
    let tasks = reopened.run_tasks(run).unwrap();
    let second = tasks.iter().find(|t| t.activity_id == "second").unwrap();
    let attempts = reopened.task_attempts(second.id).unwrap();
    assert_eq!(
        attempts
            .iter()
            .map(|a| a.status.as_str())
            .collect::<Vec<_>>(),
        ["interrupted", "succeeded"]
    );
    reopened.shutdown();
}

/// Starts a one-step workflow whose step waits for `marker`, abandons the engine while the step
/// runs, and returns the store's folder with the run id.
async fn interrupt_one_step(step: serde_json::Value) -> (tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(options(&dir)).unwrap();
    engine.start().unwrap();
    let wf = engine
        .create_workflow(&weft_engine::load::from_value(chain("Once", vec![step])).unwrap())
        .unwrap()
        .id;
    let record = engine
        .command_and_wait(
            Some(&wf),
            weft_engine::Command::RunNow {
                params: json!({}),
                simulate: false,
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let run = run_id_of(record.outcome.as_ref().unwrap());
    wait_for(
        || async {
            engine
                .run_tasks(run)
                .unwrap()
                .iter()
                .any(|t| t.status == TaskStatus::Running && t.activity_id == "slow")
        },
        "slow to run",
    )
    .await;
    abandon(engine).await;
    (dir, run)
}

async fn recover_until_the_end(dir: &tempfile::TempDir, run: i64) -> (Engine, store::RunDetail) {
    let reopened = Engine::open(options(dir)).unwrap();
    reopened.start().unwrap();
    wait_for(
        || async { reopened.run_summary(run).unwrap().status.is_final() },
        "the run to end",
    )
    .await;
    let detail = reopened.run(run).unwrap();
    (reopened, detail)
}

#[tokio::test]
async fn an_interrupted_step_runs_again_without_spending_its_retries() {
    // One attempt allowed (the default): the interruption is the engine's, not the step's.
    let marker = std::env::temp_dir().join(format!("weft-int-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    let step = cmd(
        "slow",
        &format!("while [ ! -f {} ]; do sleep 0.05; done", marker.display()),
    );
    let (dir, run) = interrupt_one_step(step).await;
    std::fs::write(&marker, "").unwrap();
    let (reopened, detail) = recover_until_the_end(&dir, run).await;
    let _ = std::fs::remove_file(&marker);
    assert_eq!(
        detail.summary.status,
        RunStatus::Completed,
        "{:?}",
        detail.error
    );
    let tasks = reopened.run_tasks(run).unwrap();
    let slow = tasks.iter().find(|t| t.activity_id == "slow").unwrap();
    assert_eq!(slow.interruptions, 1);
    let attempts = reopened.task_attempts(slow.id).unwrap();
    assert_eq!(
        attempts
            .iter()
            .map(|a| a.status.as_str())
            .collect::<Vec<_>>(),
        ["interrupted", "succeeded"]
    );
    reopened.shutdown();
}

#[tokio::test]
async fn an_interrupted_step_that_must_not_repeat_fails_the_run() {
    let mut step = cmd("slow", "sleep 30");
    step["on_interrupt"] = json!("fail");
    let (dir, run) = interrupt_one_step(step).await;
    let (reopened, detail) = recover_until_the_end(&dir, run).await;
    assert_eq!(
        detail.summary.status,
        RunStatus::Failed,
        "never Running forever"
    );
    assert!(detail.error.unwrap().contains("interrupted"));
    reopened.shutdown();
}

#[tokio::test]
async fn a_second_process_reads_and_queues_but_does_not_execute() {
    let h = Harness::new().await;
    let other = Engine::open(options(&h.dir)).unwrap();
    assert_eq!(other.start().unwrap_err().code(), "WEFT-X003");
    assert!(!other.is_owner());
    let owner = other.owner().unwrap().unwrap();
    assert_eq!(owner.pid, std::process::id() as i64);
}
