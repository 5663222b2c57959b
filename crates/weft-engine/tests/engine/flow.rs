//! Runs moving through graphs: fork/join, conditions, loops, commands, HTTP, files, email,
//! retries, timeouts, error outputs and execution modes.

use crate::support::*;
use serde_json::json;
use std::time::Duration;
use weft_engine::store::{RunStatus, TaskStatus, WaitReason};

fn fork_join_condition(out: &str) -> serde_json::Value {
    json!({
        "format": 1, "name": "Fork join",
        "parameters": {"type": "object", "properties": {"count": {"type": "integer", "default": 5}}},
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "fork", "kind": "fork"},
            {"id": "a", "kind": "run_command", "config": {"command": "printf 'from-a'"}},
            {"id": "b", "kind": "set_variables", "config": {"variables": {"double": "{{ params.count * 2 }}"}}},
            {"id": "join", "kind": "join"},
            {"id": "cond", "kind": "condition", "config": {"expression": "vars.double > 5"}},
            {"id": "big", "kind": "write_file", "config": {"path": out, "content": "double={{ vars.double }} a={{ tasks.a.stdout }}"}},
            {"id": "small", "kind": "notify", "config": {"title": "small"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "fork"}, {"from": "fork", "to": "a"}, {"from": "fork", "to": "b"},
            {"from": "a", "to": "join"}, {"from": "b", "to": "join"}, {"from": "join", "to": "cond"},
            {"from": "cond", "port": "true", "to": "big"}, {"from": "cond", "port": "false", "to": "small"},
            {"from": "big", "to": "finish"}, {"from": "small", "to": "finish"}
        ]
    })
}

#[tokio::test]
async fn fork_join_and_condition_run_to_completion() {
    let h = Harness::new().await;
    let out = h.path("out.txt");
    let wf = h.create(fork_join_condition(&out));
    let run = h.run_now(&wf, json!({"count": 4})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(
        detail.summary.status,
        RunStatus::Completed,
        "{:?}",
        detail.error
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "double=8 a=from-a");
    assert_eq!(h.task(run, "join").status, TaskStatus::Succeeded);
    assert_eq!(
        h.tasks(run)
            .iter()
            .filter(|t| t.activity_id == "join")
            .count(),
        1,
        "a join runs once"
    );
    let small = h.task(run, "small");
    assert_eq!(
        (small.status, small.wait_reason),
        (TaskStatus::Skipped, Some(WaitReason::NotTaken))
    );
    assert_eq!(detail.vars["double"], json!(8));
}

#[tokio::test]
async fn the_false_branch_is_taken_when_the_condition_fails() {
    let h = Harness::new().await;
    let wf = h.create(fork_join_condition(&h.path("never.txt")));
    let run = h.run_now(&wf, json!({"count": 1})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "small").status, TaskStatus::Succeeded);
    assert_eq!(h.task(run, "big").status, TaskStatus::Skipped);
    assert!(!std::path::Path::new(&h.path("never.txt")).exists());
}

#[tokio::test]
async fn a_failing_command_fails_the_run_with_its_output() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Fails",
        vec![cmd("bad", "echo out; echo oops >&2; exit 3")],
    ));
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Failed);
    assert!(detail.error.unwrap().contains("exited with code 3"));
    let task = h.task(run, "bad");
    assert_eq!(task.status, TaskStatus::Failed);
    assert_eq!(task.stdout, "out\n");
    assert_eq!(task.stderr, "oops\n");
    assert_eq!(task.result["exitCode"], json!(3));
    assert!(
        h.tasks(run).iter().all(|t| t.activity_id != "finish"),
        "finish never ran"
    );
}

#[tokio::test]
async fn an_error_output_handles_the_failure() {
    let h = Harness::new().await;
    let wf = h.create(json!({
        "format": 1, "name": "Handled",
        "activities": [
            {"id": "start", "kind": "start"}, {"id": "bad", "kind": "run_command", "config": {"command": "exit 1"}},
            {"id": "alert", "kind": "set_variables", "config": {"variables": {"alerted": "yes"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "bad"}, {"from": "bad", "to": "finish"}, {"from": "bad", "port": "error", "to": "alert"}, {"from": "alert", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.vars["alerted"], json!("yes"));
    assert_eq!(h.task(run, "bad").port.as_deref(), Some("error"));
}

#[tokio::test]
async fn retries_follow_the_backoff_until_success() {
    let h = Harness::manual().await;
    let counter = h.path("attempts");
    let flaky = format!(
        "n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}; [ $n -ge 3 ]"
    );
    let mut wf = chain("Flaky", vec![cmd("flaky", &flaky)]);
    wf["activities"][1]["retry"] = json!({"max_attempts": 5, "backoff": "exponential", "initial_delay": "10s", "max_delay": "1m"});
    let wf = h.create(wf);
    let run = h.run_now(&wf, json!({})).await;
    let t = h.wait_task(run, "flaky", TaskStatus::Ready).await;
    assert_eq!((t.attempt, t.wait_reason), (1, Some(WaitReason::Retry)));
    let first_wake = t.wake_at.unwrap();
    h.advance(Duration::from_secs(10)).await;
    wait_for(
        || async {
            h.task(run, "flaky").attempt == 2 && h.task(run, "flaky").status == TaskStatus::Ready
        },
        "second attempt to fail",
    )
    .await;
    let second_wake = h.task(run, "flaky").wake_at.unwrap();
    assert_eq!(
        second_wake - first_wake,
        20_000,
        "the delay doubles: 10 s, then 20 s"
    );
    h.advance(Duration::from_secs(20)).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    let flaky_id = h.task(run, "flaky").id;
    let attempts = h.engine.task_attempts(flaky_id).unwrap();
    assert_eq!(
        attempts
            .iter()
            .map(|a| a.status.as_str())
            .collect::<Vec<_>>(),
        ["failed", "failed", "succeeded"]
    );
}

#[tokio::test]
async fn a_task_over_its_timeout_fails_and_its_process_is_killed() {
    let h = Harness::new().await;
    let pid_file = h.path("pid");
    let mut wf = chain(
        "Slow",
        vec![cmd(
            "slow",
            &format!("sleep 30 & echo $! > {pid_file}; wait"),
        )],
    );
    wf["activities"][1]["timeout"] = json!("300ms");
    let wf = h.create(wf);
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Failed);
    assert!(h
        .task(run, "slow")
        .error
        .unwrap()
        .contains("timed out after 300ms"));
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    wait_for(
        || async { !process_alive(pid) },
        "the grandchild to be killed",
    )
    .await;
}

pub fn process_alive(pid: i32) -> bool {
    // A zombie still answers kill(0); read its state instead.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .split(") ")
            .nth(1)
            .is_some_and(|rest| rest.starts_with('Z')),
        Err(_) => false,
    }
}

#[tokio::test]
async fn http_request_reaches_a_local_server_with_an_idempotency_key() {
    use axum::{extract::State, http::HeaderMap, routing::post, Json, Router};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(
        Vec::<(String, serde_json::Value)>::new(),
    ));
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(seen): State<
                    std::sync::Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
                >,
                 headers: HeaderMap,
                 Json(body): Json<serde_json::Value>| async move {
                    let key = headers
                        .get("idempotency-key")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    seen.lock().unwrap().push((key, body.clone()));
                    Json(json!({"received": body["name"], "ok": true}))
                },
            ),
        )
        .route(
            "/broken",
            axum::routing::get(|| async {
                (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "boom")
            }),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let h = Harness::new().await;
    let mut body = chain(
        "HTTP",
        vec![
            json!({"id": "call", "kind": "http_request", "config": {"method": "POST", "url": format!("http://{addr}/hook"), "body": "{\"name\": \"{{ params.who }}\"}"}}),
            json!({"id": "check", "kind": "condition", "config": {"expression": "tasks.call.result.body.received == 'Ada'"}}),
        ],
    );
    body["transitions"][2]["port"] = json!("true");
    body["transitions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "check", "port": "false", "to": "finish"}));
    let wf = h.create(body);
    let run = h.run_now(&wf, json!({"who": "Ada"})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "call").result["status"], json!(200));
    assert_eq!(h.task(run, "check").port.as_deref(), Some("true"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, format!("weft-{run}-{}", h.task(run, "call").id));

    let broken = h.create(chain("Broken", vec![json!({"id": "get", "kind": "http_request", "config": {"url": format!("http://{addr}/broken")}})]));
    let run = h.run_now(&broken, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Failed);
    assert!(detail.error.unwrap().contains("answered 500"));
}

#[tokio::test]
async fn email_goes_to_the_outbox_once_per_task() {
    let h = Harness::new().await;
    let wf = h.create(chain("Mail", vec![json!({"id": "mail", "kind": "send_email", "config": {"to": "lead@example.com", "subject": "Hello {{ params.name }}", "body": "Welcome"}})]));
    let run = h.run_now(&wf, json!({"name": "Ada"})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let file = h.task(run, "mail").result["file"]
        .as_str()
        .unwrap()
        .to_string();
    let eml = std::fs::read_to_string(&file).unwrap();
    assert!(
        eml.contains("Subject: Hello Ada") && eml.contains("To: lead@example.com"),
        "{eml}"
    );
    assert!(file.ends_with(&format!("weft-{run}-{}.eml", h.task(run, "mail").id)));
}

#[tokio::test]
async fn an_unknown_name_in_a_template_fails_naming_activity_and_field() {
    let h = Harness::new().await;
    let mut body = chain("Typo", vec![cmd("say", "echo {{ params.nmae }}")]);
    body["retry"] = json!({"max_attempts": 3});
    let wf = h.create(body);
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(
        detail.summary.status,
        RunStatus::Error,
        "a configuration error ends the run in Error"
    );
    assert_eq!(h.task(run, "say").attempt, 1, "and is not retried");
    let error = h.task(run, "say").error.unwrap();
    assert!(
        error.contains("say.command") && error.contains("undefined"),
        "{error}"
    );
}

#[tokio::test]
async fn a_loop_repeats_its_branch_then_leaves() {
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
    let ticks = h
        .tasks(run)
        .into_iter()
        .filter(|t| t.activity_id == "tick")
        .count();
    assert_eq!(ticks, 3);
    assert_eq!(h.task(run, "finish").status, TaskStatus::Succeeded);
}

#[tokio::test]
async fn simulation_skips_side_effects_and_what_follows_them() {
    let h = Harness::new().await;
    let out = h.path("sim.txt");
    let wf = h.create(chain(
        "Sim",
        vec![
            json!({"id": "vars", "kind": "set_variables", "config": {"variables": {"x": "1"}}}),
            json!({"id": "write", "kind": "write_file", "config": {"path": out, "content": "x"}}),
            json!({"id": "after", "kind": "set_variables", "config": {"variables": {"y": "2"}}}),
        ],
    ));
    let record = h
        .engine
        .command_and_wait(
            Some(&wf),
            weft_engine::Command::RunNow {
                params: json!({}),
                simulate: true,
            },
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let run = run_id_of(record.outcome.as_ref().unwrap());
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert!(detail.summary.simulate);
    assert_eq!(h.task(run, "vars").status, TaskStatus::Succeeded);
    assert_eq!(
        (
            h.task(run, "write").status,
            h.task(run, "write").wait_reason
        ),
        (TaskStatus::Skipped, Some(WaitReason::Simulation))
    );
    assert_eq!(h.task(run, "after").status, TaskStatus::Skipped);
    assert!(!std::path::Path::new(&out).exists());
}

#[tokio::test]
async fn do_not_enable_skips_and_enable_but_do_not_execute_waits_for_execute_now() {
    let h = Harness::new().await;
    let mut wf = chain(
        "Modes",
        vec![json!({"id": "off", "kind": "set_variables", "config": {"variables": {"off": "1"}}})],
    );
    wf["activities"][1]["mode"] = json!("disabled");
    let off = h.create(wf);
    let run = h.run_now(&off, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(
        (h.task(run, "off").status, h.task(run, "off").wait_reason),
        (TaskStatus::Skipped, Some(WaitReason::Disabled))
    );

    let mut wf = chain(
        "Hold",
        vec![
            json!({"id": "held", "kind": "set_variables", "config": {"variables": {"ran": "yes"}}}),
        ],
    );
    wf["activities"][1]["mode"] = json!("hold");
    let held = h.create(wf);
    let run = h.run_now(&held, json!({})).await;
    let task = h.wait_task(run, "held", TaskStatus::Waiting).await;
    assert_eq!(task.wait_reason, Some(WaitReason::Hold));
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        h.run(run).summary.status,
        RunStatus::Running,
        "a held task waits"
    );
    h.command(
        &held,
        weft_engine::Command::ExecuteTask { task_id: task.id },
    )
    .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.vars["ran"], json!("yes"));
}
