//! Reliability of the real `weft` binary on real store files: long chains, a command that
//! crashes the engine, exactly-once commands across a crash, many front doors at once, and
//! repeated `kill -9` during a run. (The binary is built with fault injection for these tests:
//! `WEFT_FAULT=point` makes it abort at that point.)

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn weft(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    c.arg("--db")
        .arg(db)
        .env_remove("WEFT_DB")
        .env_remove("WEFT_FAULT");
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("weft runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

fn write(dir: &Path, name: &str, body: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(body).unwrap()).unwrap();
    path
}

fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Start → the steps → Finish.
fn chain(name: &str, steps: Vec<Value>) -> Value {
    let mut activities = vec![json!({"id": "start", "kind": "start"})];
    let mut transitions = Vec::new();
    let mut previous = "start".to_string();
    for step in steps {
        let id = step["id"].as_str().unwrap().to_string();
        transitions.push(json!({"from": previous, "to": id}));
        previous = id;
        activities.push(step);
    }
    activities.push(json!({"id": "finish", "kind": "finish"}));
    transitions.push(json!({"from": previous, "to": "finish"}));
    json!({"format": 1, "name": name, "activities": activities, "transitions": transitions})
}

fn command_step(id: &str, command: &str) -> Value {
    json!({"id": id, "kind": "run_command", "config": {"command": command}})
}

fn runs(db: &Path) -> Vec<Value> {
    let out = run(weft(db).args(["runs", "--json"]));
    json_of(&out)["runs"].as_array().unwrap().clone()
}

fn show(db: &Path, run_id: i64) -> Value {
    json_of(&run(weft(db).args(["show", &run_id.to_string(), "--json"])))
}

fn kill(child: &Child, signal: &str) {
    Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
}

fn serve(db: &Path, fault: Option<&str>) -> Child {
    let mut cmd = weft(db);
    cmd.args(["serve", "--no-webhooks"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(point) = fault {
        cmd.env("WEFT_FAULT", point);
    }
    cmd.spawn().unwrap()
}

/// Waits for a process to exit; the exit status (None: killed by a signal).
fn exit_of(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            return (status.code(), err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_chain_of_five_thousand_steps_runs_and_leaves_a_sound_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    let steps: Vec<Value> = (0..5_000)
        .map(|i| command_step(&format!("s{i}"), "true"))
        .collect();
    let file = write(dir.path(), "long.weft.json", &chain("Long", steps));
    // Simulated: every command step is skipped, one long walk through the graph.
    let out = run(weft(&db).arg("run").arg(&file).arg("--simulate"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let set: Vec<Value> = (0..5_000)
        .map(|i| json!({"id": format!("v{i}"), "kind": "set_variables", "config": {"variables": {"i": i.to_string()}}}))
        .collect();
    let file = write(dir.path(), "vars.weft.json", &chain("Vars", set));
    let out = run(weft(&db).arg("run").arg(&file));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // And the store opens for an owner afterwards.
    let (code, err) = {
        let child = serve(&db, None);
        std::thread::sleep(Duration::from_millis(600));
        kill(&child, "INT");
        exit_of(child, Duration::from_secs(10))
    };
    assert_eq!(code, Some(0), "{err}");
}

/// A workflow, imported, with a Run now queued for the next owner. Returns its name.
fn queue_run_now(db: &Path, dir: &Path) -> String {
    let file = write(
        dir,
        "once.weft.json",
        &chain("Once", vec![command_step("work", "true")]),
    );
    assert!(run(weft(db).arg("import").arg(&file)).status.success());
    let out = run(weft(db).args(["command", "Once", "run-now", "--wait", "0"]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    "Once".into()
}

#[test]
fn a_command_that_crashes_the_engine_twice_is_set_aside_and_the_store_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    queue_run_now(&db, dir.path());
    for attempt in 1..=2 {
        let (code, err) = exit_of(
            serve(&db, Some("apply:before-mark")),
            Duration::from_secs(20),
        );
        assert_eq!(
            code, None,
            "attempt {attempt}: aborted by the fault ({err})"
        );
        assert!(err.contains("fault injected"), "{err}");
    }
    // The third owner refuses the command instead of applying it a third time, and goes on.
    let child = weft(&db)
        .args(["serve", "--no-webhooks", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = run(weft(&db).args(["command", "Once", "run-now", "--wait", "20", "--json"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "a later command is applied ({})",
        text(&out)
    );
    wait_until("the later run to end", Duration::from_secs(20), || {
        runs(&db)
            .first()
            .is_some_and(|r| r["status"] == "completed")
    });
    kill(&child, "INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(runs(&db).len(), 1, "the set-aside Run now made no run");
    let events = String::from_utf8_lossy(&output.stdout);
    assert!(
        events.contains("WEFT-R007"),
        "the refusal says why, with its code: {events}"
    );
}

#[test]
fn a_run_now_is_applied_exactly_once_across_a_crash_at_either_side_of_its_commit() {
    for point in ["apply:before-mark", "apply:after-commit"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("weft.db");
        queue_run_now(&db, dir.path());
        let (code, err) = exit_of(serve(&db, Some(point)), Duration::from_secs(20));
        assert_eq!(code, None, "{point}: aborted by the fault ({err})");
        let child = serve(&db, None);
        wait_until("the run to end", Duration::from_secs(20), || {
            runs(&db)
                .first()
                .is_some_and(|r| r["status"] == "completed")
        });
        std::thread::sleep(Duration::from_millis(300));
        kill(&child, "INT");
        exit_of(child, Duration::from_secs(10));
        assert_eq!(runs(&db).len(), 1, "{point}: exactly one run");
    }
}

#[test]
fn ten_front_doors_at_once_all_see_their_run_end() {
    for (policy, command) in [("queue", "sleep 0.3"), ("skip", "sleep 0.5")] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("weft.db");
        let mut body = chain("Busy", vec![command_step("work", command)]);
        body["concurrency"] = json!(policy);
        let file = write(dir.path(), "busy.weft.json", &body);
        // Create the workflow first so that ten imports do not race on it.
        assert!(run(weft(&db).arg("import").arg(&file)).status.success());
        let children: Vec<Child> = (0..10)
            .map(|_| {
                weft(&db)
                    .arg("run")
                    .arg(&file)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let exits: Vec<(Option<i32>, String)> = children
            .into_iter()
            .map(|c| exit_of(c, Duration::from_secs(60)))
            .collect();
        let all = runs(&db);
        assert!(
            all.iter().all(|r| r["status"] == "completed"),
            "{policy}: every run ended: {all:?}"
        );
        let completed = exits.iter().filter(|(c, _)| *c == Some(0)).count();
        let refused = exits.iter().filter(|(c, _)| *c == Some(4)).count();
        assert_eq!(completed, all.len(), "{policy}: {exits:?}");
        assert_eq!(completed + refused, 10, "{policy}: {exits:?}");
        match policy {
            "queue" => assert_eq!(completed, 10),
            _ => assert!(refused >= 1 && completed >= 1, "{exits:?}"),
        }
        for (_, err) in exits.iter().filter(|(c, _)| *c == Some(4)) {
            assert!(err.contains("WEFT-R003"), "a refusal says why: {err}");
        }
    }
}

#[test]
fn fifty_kills_during_a_chain_lose_nothing_and_repeat_only_the_step_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    let effects = dir.path().join("effects.log");
    let steps: Vec<Value> = (0..20)
        .map(|i| {
            command_step(
                &format!("s{i}"),
                &format!("echo s{i} >> {}; sleep 0.15", effects.display()),
            )
        })
        .collect();
    let file = write(dir.path(), "chain.weft.json", &chain("Twenty", steps));
    assert!(run(weft(&db).arg("import").arg(&file)).status.success());
    let out = run(weft(&db).args(["command", "Twenty", "run-now", "--wait", "0"]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    // A cheap, repeatable sequence of kill moments (xorshift).
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let steps_begun = || {
        std::fs::read_to_string(&effects)
            .map(|log| log.lines().count())
            .unwrap_or(0)
    };
    for _ in 0..50 {
        let before = steps_begun();
        let child = serve(&db, None);
        // The moment is drawn from when a step began in this life, not from the process's
        // start: under load a start can outlast any fixed window, and the same step would then
        // be interrupted every time until it counts as failed (MAX_INTERRUPTIONS) — a test of the
        // machine's speed, not of recovery. 0–400 ms against 150 ms steps: some kills land in a
        // step, some between steps, some in the commit after one.
        let waited = Instant::now();
        while steps_begun() == before && waited.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(next() % 400));
        kill(&child, "KILL");
        exit_of(child, Duration::from_secs(10));
        if runs(&db)
            .first()
            .is_some_and(|r| r["status"] != "running" && r["status"] != "pending")
        {
            break;
        }
    }
    let child = serve(&db, None);
    wait_until("the run to end", Duration::from_secs(60), || {
        runs(&db)
            .first()
            .is_some_and(|r| r["status"] != "running" && r["status"] != "pending")
    });
    kill(&child, "INT");
    exit_of(child, Duration::from_secs(10));
    let run_id = runs(&db)[0]["id"].as_i64().unwrap();
    let detail = show(&db, run_id);
    assert_eq!(detail["run"]["status"], "completed", "{}", detail["run"]);
    let log = std::fs::read_to_string(&effects).unwrap();
    for task in detail["tasks"].as_array().unwrap() {
        let id = task["activityId"].as_str().unwrap();
        if id
            .strip_prefix('s')
            .is_none_or(|n| n.parse::<u32>().is_err())
        {
            continue; // Start and Finish
        }
        assert_eq!(task["status"], "succeeded", "{task}");
        let times = log.lines().filter(|l| *l == id).count();
        let interrupted = task["interruptions"].as_u64().unwrap() as usize;
        assert!(times >= 1, "{id}'s effect is there");
        assert!(
            times <= 1 + interrupted,
            "{id} ran {times} times but was interrupted {interrupted} times"
        );
    }
}

/// The task of `activity` in a run, as `weft show --json` prints it.
fn task_of(db: &Path, run_id: i64, activity: &str) -> Value {
    show(db, run_id)["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|t| t["activityId"] == activity)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn a_debug_run_paused_at_a_breakpoint_stays_paused_across_a_kill_and_continue_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    let effects = dir.path().join("effects.log");
    let steps = ["a", "b"]
        .iter()
        .map(|s| command_step(s, &format!("echo {s} >> {}", effects.display())))
        .collect();
    let file = write(dir.path(), "paused.weft.json", &chain("Paused", steps));
    assert!(run(weft(&db).arg("import").arg(&file)).status.success());
    let out = run(weft(&db).args([
        "breakpoints",
        "Paused",
        "--set",
        "b=vars.missing is not defined",
    ]));
    assert!(out.status.success(), "{}", text(&out));

    let child = serve(&db, None);
    let out = run(weft(&db).args(["command", "Paused", "debug-run", "--wait", "20", "--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let run_id = json_of(&out)["outcome"]["run"].as_i64().unwrap();
    let paused = |db: &Path| {
        let b = task_of(db, run_id, "b");
        b["status"] == "waiting" && b["waitReason"] == "breakpoint"
    };
    wait_until("b to pause", Duration::from_secs(20), || paused(&db));
    kill(&child, "KILL");
    exit_of(child, Duration::from_secs(10));

    // A new owner recovers the store: the pause is where it was, and nothing ran past it.
    let child = serve(&db, None);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(paused(&db), "{}", task_of(&db, run_id, "b"));
    assert_eq!(show(&db, run_id)["run"]["status"], "running");
    assert_eq!(std::fs::read_to_string(&effects).unwrap(), "a\n");

    // Continue from another process: the owner applies it once and the run finishes.
    let out = run(weft(&db).args(["debug", "continue", &run_id.to_string(), "--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    wait_until("the run to end", Duration::from_secs(20), || {
        show(&db, run_id)["run"]["status"] == "completed"
    });
    assert_eq!(std::fs::read_to_string(&effects).unwrap(), "a\nb\n");
    let again = run(weft(&db).args(["debug", "continue", &run_id.to_string(), "--json"]));
    assert_eq!(
        again.status.code(),
        Some(4),
        "nothing left to continue: {}",
        text(&again)
    );
    kill(&child, "INT");
    exit_of(child, Duration::from_secs(10));
}
