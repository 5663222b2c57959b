//! Toolbar commands through the queue: start, pause, stop (killing process groups), restart,
//! purge, execute pending now, unconditional stop, restart from a task, concurrency policies.

use crate::flow::process_alive;
use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::store::{self, RunStatus, TaskStatus, Trigger, WorkflowState};
use weft_engine::Command;

fn state(h: &Harness, wf: &str) -> WorkflowState {
    h.engine.workflow(wf).unwrap().0.state
}

#[tokio::test]
async fn stop_kills_the_whole_process_group_and_cancels_the_run() {
    let h = Harness::new().await;
    let pid_file = h.path("pid");
    let wf = h.create(chain(
        "Long",
        vec![cmd(
            "long",
            &format!("sh -c 'sleep 60' & echo $! > {pid_file}; wait"),
        )],
    ));
    h.command(&wf, Command::Start).await;
    let run = wait_run(&h, &wf).await;
    h.wait_task(run, "long", TaskStatus::Running).await;
    wait_for(
        || async {
            std::fs::metadata(&pid_file)
                .map(|m| m.len() > 0)
                .unwrap_or(false)
        },
        "the pid file",
    )
    .await;
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(process_alive(pid));
    h.command(&wf, Command::Stop).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Cancelled);
    wait_for(
        || async { !process_alive(pid) },
        "the grandchild process to be gone",
    )
    .await;
    wait_for(
        || async { state(&h, &wf) == WorkflowState::Finished },
        "the workflow to be finished",
    )
    .await;
    assert_eq!(h.task(run, "long").status, TaskStatus::Cancelled);
    let refused = h.command_refused(Some(&wf), Command::Stop).await;
    assert!(refused.contains("nothing to stop"), "{refused}");
}

async fn wait_run(h: &Harness, wf: &str) -> i64 {
    wait_for(
        || async { !h.engine.active_runs(wf).unwrap().is_empty() },
        "a run",
    )
    .await;
    h.engine.active_runs(wf).unwrap()[0].id
}

#[tokio::test]
async fn start_without_triggers_makes_one_manual_run_and_finishes() {
    let h = Harness::new().await;
    let wf = h.create(chain("Once", vec![cmd("hi", "echo hi")]));
    assert_eq!(state(&h, &wf), WorkflowState::BeingEdited);
    h.command(&wf, Command::Start).await;
    let page = h
        .engine
        .list_runs(
            &store::RunFilter {
                workflow_id: Some(wf.clone()),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap();
    assert_eq!(page.runs.len(), 1, "one manual run");
    assert_eq!(
        h.wait_final(page.runs[0].id).await.summary.trigger,
        Trigger::Manual
    );
    wait_for(
        || async { state(&h, &wf) == WorkflowState::Finished },
        "finished",
    )
    .await;
}

#[tokio::test]
async fn pause_holds_new_activations_until_resumed() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Pausable",
        vec![
            json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}}),
            json!({"id": "after", "kind": "set_variables", "config": {"variables": {"done": "1"}}}),
        ],
    ));
    h.command(&wf, Command::Start).await;
    let run = wait_run(&h, &wf).await;
    h.wait_task(run, "wait", TaskStatus::Waiting).await;
    h.command(&wf, Command::Pause).await;
    assert_eq!(state(&h, &wf), WorkflowState::Paused);
    // Execute pending now ends the wait, but while paused nothing new runs.
    h.command(&wf, Command::ExecutePending).await;
    h.wait_task(run, "after", TaskStatus::Ready).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        h.task(run, "after").status,
        TaskStatus::Ready,
        "paused: not activated"
    );
    let resumed = h.command(&wf, Command::Start).await;
    assert!(resumed.to_string().contains("resumed"));
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
}

#[tokio::test]
async fn execute_pending_now_ends_waits() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Waits",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "2h"}})],
    ));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_task(run, "wait", TaskStatus::Waiting).await;
    let outcome = h.command(&wf, Command::ExecutePending).await;
    assert!(outcome.to_string().contains("1 pending task"), "{outcome}");
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
}

#[tokio::test]
async fn a_wait_ends_when_its_time_comes() {
    let h = Harness::manual().await;
    let wf = h.create(chain(
        "Timed",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "10m"}})],
    ));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_task(run, "wait", TaskStatus::Waiting).await;
    h.advance(Duration::from_secs(9 * 60)).await;
    assert_eq!(h.task(run, "wait").status, TaskStatus::Waiting);
    h.advance(Duration::from_secs(60)).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
}

#[tokio::test]
async fn runs_of_one_workflow_queue_by_default() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Queue",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}})],
    ));
    let first = h.run_now(&wf, json!({})).await;
    let second = h.run_now(&wf, json!({})).await;
    assert_eq!(h.run(second).summary.status, RunStatus::Pending);
    h.wait_task(first, "wait", TaskStatus::Waiting).await;
    h.command(&wf, Command::ExecutePending).await;
    h.wait_final(first).await;
    h.wait_task(second, "wait", TaskStatus::Waiting).await;
    assert_eq!(h.run(second).summary.status, RunStatus::Running);
}

#[tokio::test]
async fn the_skip_policy_refuses_a_second_run() {
    let h = Harness::new().await;
    let mut body = chain(
        "Skip",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}})],
    );
    body["concurrency"] = json!("skip");
    let wf = h.create(body);
    h.run_now(&wf, json!({})).await;
    let refused = h
        .command_refused(
            Some(&wf),
            Command::RunNow {
                params: json!({}),
                simulate: false,
            },
        )
        .await;
    assert!(refused.contains("concurrency policy is skip"), "{refused}");
}

#[tokio::test]
async fn unconditional_stop_cancels_at_once() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Stuck",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}})],
    ));
    h.command(&wf, Command::Start).await;
    let run = wait_run(&h, &wf).await;
    h.wait_task(run, "wait", TaskStatus::Waiting).await;
    h.command(&wf, Command::UnconditionalStop).await;
    assert_eq!(h.run(run).summary.status, RunStatus::Cancelled);
    assert_eq!(state(&h, &wf), WorkflowState::Finished);
}

#[tokio::test]
async fn restart_stops_then_starts_again() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Restart",
        vec![json!({"id": "wait", "kind": "wait", "config": {"duration": "1h"}})],
    ));
    h.command(&wf, Command::Start).await;
    let first = wait_run(&h, &wf).await;
    h.wait_task(first, "wait", TaskStatus::Waiting).await;
    h.command(&wf, Command::Restart).await;
    assert_eq!(
        h.wait_final(first).await.summary.status,
        RunStatus::Cancelled
    );
    wait_for(
        || async {
            h.engine
                .active_runs(&wf)
                .unwrap()
                .iter()
                .any(|r| r.id != first)
        },
        "a new run",
    )
    .await;
    assert_eq!(state(&h, &wf), WorkflowState::Started);
}

#[tokio::test]
async fn purge_history_deletes_finished_runs_and_reclaims_space() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Noisy",
        vec![cmd("noise", "head -c 300000 /dev/zero | tr '\\0' 'x'")],
    ));
    for _ in 0..5 {
        let run = h.run_now(&wf, json!({})).await;
        h.wait_final(run).await;
    }
    let db = h.dir.path().join("weft.db");
    let pages = |h: &Harness| h.engine.store_size().unwrap().bytes;
    let before = pages(&h);
    let outcome = h.command(&wf, Command::PurgeHistory).await;
    assert!(outcome.to_string().contains("5 run(s) purged"), "{outcome}");
    let page = h.engine.list_runs(&Default::default(), None, 50).unwrap();
    assert!(page.runs.is_empty());
    let after = pages(&h);
    assert!(after < before / 2, "pages {before} → {after}");
    assert!(db.exists());
}

#[tokio::test]
async fn restart_from_a_task_reuses_upstream_results() {
    let h = Harness::new().await;
    let counter = h.path("count");
    let wf = h.create(chain(
        "Restartable",
        vec![
            cmd("expensive", &format!("echo run >> {counter}; echo 42")),
            cmd("flaky", &format!("[ -f {} ]", h.path("fixed"))),
        ],
    ));
    let first = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(first).await.summary.status, RunStatus::Failed);
    std::fs::write(h.path("fixed"), "").unwrap();
    let outcome = h
        .command(
            &wf,
            Command::RestartFromTask {
                run_id: first,
                activity_id: "flaky".into(),
            },
        )
        .await;
    let second = run_id_of(&outcome);
    let detail = h.wait_final(second).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.summary.trigger, Trigger::RestartFromTask);
    assert_eq!(detail.summary.restart_of, Some(first));
    let expensive = h.task(second, "expensive");
    assert!(expensive.reused);
    assert_eq!(expensive.stdout, "42\n");
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap().lines().count(),
        1,
        "the upstream command ran once"
    );
}

#[tokio::test]
async fn commands_that_do_not_apply_say_why() {
    let h = Harness::new().await;
    let wf = h.create(chain("Idle", vec![cmd("x", "true")]));
    assert!(h
        .command_refused(Some(&wf), Command::Pause)
        .await
        .contains("only a started workflow"));
    assert!(h
        .command_refused(None, Command::ExecuteTask { task_id: 999 })
        .await
        .contains("does not exist"));
    assert!(h
        .command_refused(None, Command::CancelRun { run_id: 999 })
        .await
        .contains("does not exist"));
    let err = h.engine.send(Some("nope"), Command::Start).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[tokio::test]
async fn a_workflow_that_does_not_validate_cannot_start() {
    let h = Harness::new().await;
    let body = json!({"format": 1, "name": "Broken", "activities": [{"id": "start", "kind": "start"}, {"id": "x", "kind": "run_command", "config": {"command": "true"}}], "transitions": [{"from": "start", "to": "x"}]});
    let wf = h.create(body);
    let err = h.engine.send(Some(&wf), Command::Start).unwrap_err();
    assert_eq!(err.code(), "WEFT-X001");
    assert!(
        err.to_string().contains("WEFT-V006") && err.to_string().contains("no Finish"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_parameters_are_refused_with_reasons() {
    let h = Harness::new().await;
    let mut body = chain("Params", vec![cmd("x", "echo {{ params.n }}")]);
    body["parameters"] =
        json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]});
    let wf = h.create(body);
    let err = h
        .engine
        .send(
            Some(&wf),
            Command::RunNow {
                params: json!({"n": "many"}),
                simulate: false,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("must be of type integer"), "{err}");
    let err = h
        .engine
        .send(
            Some(&wf),
            Command::RunNow {
                params: json!({}),
                simulate: false,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("\"n\" is required"), "{err}");
}

#[tokio::test]
async fn history_retention_keeps_the_newest_runs() {
    let h = Harness::new().await;
    let mut body = chain("Kept", vec![cmd("x", "true")]);
    body["history"] = json!({"keep_runs": 2});
    let wf = h.create(body);
    let mut last = 0;
    for _ in 0..4 {
        last = h.run_now(&wf, json!({})).await;
        h.wait_final(last).await;
    }
    let page = h.engine.list_runs(&Default::default(), None, 50).unwrap();
    assert_eq!(
        page.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![last, last - 1]
    );
}

#[tokio::test]
async fn a_command_that_meets_a_busy_store_is_applied_later_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = options(&dir);
    o.busy_timeout = Duration::from_millis(100);
    let engine = weft_engine::Engine::open(o).unwrap();
    let body = weft_engine::load::from_value(chain("Busy", vec![cmd("work", "true")])).unwrap();
    let wf = engine.create_workflow(&body).unwrap().id;
    let id = engine
        .send(
            Some(&wf),
            Command::RunNow {
                params: json!({}),
                simulate: false,
            },
        )
        .unwrap();
    engine.start().unwrap();
    // Another store on the same file, as another process would, holds the write lock before
    // the executor's first round (this test's runtime runs the executor only at the next
    // await) and for a good while after.
    let other = weft_engine::store::Store::open(&dir.path().join("weft.db")).unwrap();
    let (held_tx, held) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        other.write(|_tx| {
            let _ = held_tx.send(());
            let _ = released.recv();
            Ok(())
        })
    });
    held.recv().unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        engine.command(id).unwrap().applied_at.is_none(),
        "nothing could be written meanwhile"
    );
    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    let record = engine
        .wait_command(id, Duration::from_secs(10))
        .await
        .unwrap();
    let outcome = record.outcome.unwrap();
    assert!(outcome.is_applied(), "{outcome}");
    assert!(run_id_of(&outcome) > 0, "the Run now made its run");
    engine.shutdown();
}
