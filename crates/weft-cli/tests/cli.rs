//! The `weft` binary end to end: real processes on a real store — a run with fork/join, a
//! condition, a command and an HTTP call to a local server; an approval answered from a second
//! `weft` call; a schedule fired by `weft serve`; recovery after `kill -9`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn weft(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    c.arg("--db").arg(db).env_remove("WEFT_DB");
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

fn write(dir: &Path, name: &str, body: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(body).unwrap()).unwrap();
    path
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn http_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().route(
                "/price",
                axum::routing::get(|| async { axum::Json(json!({"price": 42})) }),
            );
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{addr}")
}

fn full_workflow(server: &str, out: &Path) -> Value {
    json!({
        "format": 1, "name": "CLI full",
        "parameters": {"type": "object", "properties": {"limit": {"type": "integer", "default": 10}}},
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "fork", "kind": "fork"},
            {"id": "cmd", "kind": "run_command", "config": {"command": "echo 7"}},
            {"id": "price", "kind": "http_request", "config": {"url": format!("{server}/price")}},
            {"id": "join", "kind": "join"},
            {"id": "cheap", "kind": "condition", "config": {"expression": "tasks.price.result.body.price < params.limit * 10"}},
            {"id": "approve", "kind": "approval", "config": {"message": "Buy at {{ tasks.price.result.body.price }}?"}},
            {"id": "buy", "kind": "write_file", "config": {"path": out.display().to_string(), "content": "bought {{ tasks.cmd.stdout | trim }} at {{ tasks.price.result.body.price }}"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "fork"}, {"from": "fork", "to": "cmd"}, {"from": "fork", "to": "price"},
            {"from": "cmd", "to": "join"}, {"from": "price", "to": "join"}, {"from": "join", "to": "cheap"},
            {"from": "cheap", "port": "true", "to": "approve"}, {"from": "cheap", "port": "false", "to": "finish"},
            {"from": "approve", "port": "approved", "to": "buy"}, {"from": "buy", "to": "finish"}
        ]
    })
}

#[test]
fn validate_reports_problems_with_paths_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let good = write(
        dir.path(),
        "good.weft.json",
        &full_workflow("http://x", &dir.path().join("o")),
    );
    let o = run(weft(&db).arg("validate").arg(&good));
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("valid"));

    let bad = write(
        dir.path(),
        "bad.weft.json",
        &json!({"format": 1, "name": "b", "activities": [{"id": "s", "kind": "strat"}]}),
    );
    let o = run(weft(&db).arg("validate").arg(&bad));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("activities[0].kind") && text(&o).contains("strat"),
        "{}",
        text(&o)
    );

    let graph = write(
        dir.path(),
        "graph.weft.json",
        &json!({"format": 1, "name": "g", "activities": [{"id": "s", "kind": "start"}, {"id": "lost", "kind": "finish"}]}),
    );
    let o = run(weft(&db).arg("--json").arg("validate").arg(&graph));
    assert_eq!(o.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ok"], json!(false));
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "WEFT-V005" && d["activity"] == "lost"));

    let missing = run(weft(&db)
        .arg("validate")
        .arg(dir.path().join("nope.weft.json")));
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing).contains("cannot read"), "{}", text(&missing));
}

#[test]
fn run_with_fork_join_condition_command_http_and_an_approval_from_a_second_call() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let out = dir.path().join("bought.txt");
    let file = write(
        dir.path(),
        "full.weft.json",
        &full_workflow(&http_server(), &out),
    );
    let mut child: Child = weft(&db)
        .arg("run")
        .arg(&file)
        .arg("--param")
        .arg("limit=10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = String::new();
    let task = loop {
        let line = lines.next().expect("output until the approval").unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.split("weft approve ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .to_string();
        }
    };
    assert!(seen.contains("succeeded  join"), "{seen}");
    let o = run(weft(&db)
        .arg("approve")
        .arg(&task)
        .arg("--comment")
        .arg("ok from CLI"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("applied"));
    for line in lines {
        seen.push_str(&line.unwrap());
        seen.push('\n');
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{seen}");
    assert!(seen.contains(": completed"), "{seen}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "bought 7 at 42");

    let o = run(weft(&db).args(["--json", "runs", "--status", "completed"]));
    let page: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(page["runs"].as_array().unwrap().len(), 1);
    let run_id = page["runs"][0]["id"].as_i64().unwrap();
    let o = run(weft(&db).args(["show", &run_id.to_string()]));
    let shown = text(&o);
    assert!(
        shown.contains("approve")
            && shown.contains("approved by")
            && shown.contains("{\"price\":42}"),
        "{shown}"
    );
    let o = run(weft(&db).args(["--json", "show", &run_id.to_string()]));
    let detail: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(detail["run"]["status"], json!("completed"));
    assert_eq!(detail["run"]["params"]["limit"], json!(10));
}

#[test]
fn a_failed_run_exits_non_zero_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let file = write(
        dir.path(),
        "f.weft.json",
        &json!({
            "format": 1, "name": "Fails",
            "activities": [{"id": "start", "kind": "start"}, {"id": "boom", "kind": "run_command", "config": {"command": "echo nope >&2; exit 4"}}, {"id": "finish", "kind": "finish"}],
            "transitions": [{"from": "start", "to": "boom"}, {"from": "boom", "to": "finish"}]
        }),
    );
    let o = run(weft(&db).arg("run").arg(&file));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("failed") && text(&o).contains("exited with code 4"),
        "{}",
        text(&o)
    );
    let o = run(weft(&db).arg("run").arg(&file).arg("--param").arg("oops"));
    assert_eq!(o.status.code(), Some(2), "clap refuses a malformed --param");
}

#[test]
fn timeline_prints_a_run_history_in_order_and_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let file = write(
        dir.path(),
        "t.weft.json",
        &json!({
            "format": 1, "name": "Told",
            "activities": [{"id": "start", "kind": "start"}, {"id": "say", "kind": "run_command", "config": {"command": "echo hi"}}, {"id": "finish", "kind": "finish"}],
            "transitions": [{"from": "start", "to": "say"}, {"from": "say", "to": "finish"}]
        }),
    );
    let o = run(weft(&db).arg("run").arg(&file));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(weft(&db).arg("timeline").arg("1"));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let lines: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("no {needle} in {lines:#?}"))
    };
    assert!(at("task_created start") < at("task_ended start"));
    assert!(at("task_ended say (task 2) succeeded") < at("edge_taken say:ok -> finish"));
    assert!(at("edge_taken say:ok -> finish") < at("task_created finish"));
    let o = run(weft(&db).arg("--json").arg("timeline").arg("1"));
    let entries: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), lines.len(), "one entry a line");
    assert!(entries
        .windows(2)
        .all(|w| w[0]["at"].as_i64() <= w[1]["at"].as_i64()));
    let o = run(weft(&db).arg("timeline").arg("99"));
    assert_ne!(o.status.code(), Some(0), "an unknown run is an error");
}

#[test]
fn serve_fires_a_schedule_and_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let file = write(
        dir.path(),
        "s.weft.json",
        &json!({
            "format": 1, "name": "Every second",
            "activities": [
                {"id": "start", "kind": "start"},
                {"id": "tick", "kind": "schedule_trigger", "config": {"schedule": {"type": "interval", "every": "1s"}}},
                {"id": "work", "kind": "run_command", "config": {"command": "echo tick"}},
                {"id": "finish", "kind": "finish"}
            ],
            "transitions": [{"from": "start", "to": "tick"}, {"from": "tick", "to": "work"}, {"from": "work", "to": "finish"}]
        }),
    );
    let o = run(weft(&db).arg("import").arg(&file));
    assert!(o.status.success(), "{}", text(&o));
    // Queued while nothing executes the store; applied by `weft serve`.
    let o = run(weft(&db).args(["command", "Every second", "start"]));
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let mut serve = weft(&db)
        .arg("serve")
        .arg("--no-webhooks")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let count = || {
        let o = run(weft(&db).args(["--json", "runs", "--status", "completed"]));
        serde_json::from_slice::<Value>(&o.stdout)
            .map(|p| p["runs"].as_array().map(Vec::len).unwrap_or(0))
            .unwrap_or(0)
    };
    wait_until("two scheduled runs", || count() >= 2);
    nix_kill(serve.id(), "INT");
    serve.wait().unwrap();
    let o = run(weft(&db).args(["--json", "runs"]));
    let page: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(page["runs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["trigger"] == "schedule"));
    let o = run(weft(&db).args(["--json", "workflows"]));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["state"], json!("started"));
    assert_eq!(list[0]["schedule"], json!("every second"));
}

fn nix_kill(pid: u32, signal: &str) {
    Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
}

#[test]
fn after_kill_9_the_next_owner_recovers_without_rerunning_finished_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let counter = dir.path().join("first-ran");
    let started = dir.path().join("second-started");
    let orphan_pid = dir.path().join("orphan.pid");
    let file = write(
        dir.path(),
        "k.weft.json",
        &json!({
            "format": 1, "name": "Killed",
            "retry": {"max_attempts": 2, "initial_delay": "50ms"},
            "activities": [
                {"id": "start", "kind": "start"},
                {"id": "first", "kind": "run_command", "config": {"command": format!("echo ran >> {}", counter.display())}},
                {"id": "second", "kind": "run_command", "config": {"command": format!("if [ -f {s} ]; then echo resumed; else touch {s}; sleep 60 & echo $! > {p}; wait; fi", s = started.display(), p = orphan_pid.display())}},
                {"id": "finish", "kind": "finish"}
            ],
            "transitions": [{"from": "start", "to": "first"}, {"from": "first", "to": "second"}, {"from": "second", "to": "finish"}]
        }),
    );
    let mut victim = weft(&db)
        .arg("run")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the second task to start", || {
        std::fs::read_to_string(&orphan_pid)
            .map(|s| !s.trim().is_empty())
            .unwrap_or(false)
    });
    std::thread::sleep(Duration::from_millis(200));
    nix_kill(victim.id(), "KILL");
    victim.wait().unwrap();
    let sleeper: i32 = std::fs::read_to_string(&orphan_pid)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        Path::new(&format!("/proc/{sleeper}")).exists(),
        "the child outlives a kill -9 of weft"
    );

    let o = run(weft(&db).args(["--json", "runs"]));
    let page: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        page["runs"][0]["status"],
        json!("running"),
        "left running by the crash"
    );

    let mut serve = weft(&db)
        .arg("serve")
        .arg("--no-webhooks")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("recovery to finish the run", || {
        let o = run(weft(&db).args(["--json", "runs"]));
        serde_json::from_slice::<Value>(&o.stdout)
            .map(|p| p["runs"][0]["status"] == "completed")
            .unwrap_or(false)
    });
    nix_kill(serve.id(), "INT");
    serve.wait().unwrap();
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap(),
        "ran\n",
        "a finished task is not re-run"
    );
    let o = run(weft(&db).args(["--json", "show", "1"]));
    let detail: Value = serde_json::from_slice(&o.stdout).unwrap();
    let second = detail["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["activityId"] == "second")
        .unwrap()
        .clone();
    assert_eq!(second["attempt"], json!(2));
    assert_eq!(second["stdout"], json!("resumed\n"));
    wait_until("the orphaned process group to be killed", || {
        std::fs::read_to_string(format!("/proc/{sleeper}/stat"))
            .map(|s| s.contains(") Z"))
            .unwrap_or(true)
    });
}

#[test]
fn imports_of_one_file_started_together_make_one_workflow_and_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    // No store yet: the first processes also create it together.
    let db = dir.path().join("w.db");
    let file = write(
        dir.path(),
        "i.weft.json",
        &json!({
            "format": 1, "name": "Imported at once",
            "activities": [{"id": "start", "kind": "start"}, {"id": "finish", "kind": "finish"}],
            "transitions": [{"from": "start", "to": "finish"}]
        }),
    );
    for round in 0..8 {
        let children: Vec<Child> = (0..4)
            .map(|_| {
                weft(&db)
                    .arg("import")
                    .arg(&file)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", text(&o));
        }
    }
    let o = run(weft(&db).args(["--json", "workflows"]));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["name"], json!("Imported at once"));
    assert_eq!(list[0]["revision"], json!(1));

    // A changed file of the same name is refused, with a code, unless --replace.
    let changed = write(
        dir.path(),
        "i.weft.json",
        &json!({
            "format": 1, "name": "Imported at once", "description": "changed",
            "activities": [{"id": "start", "kind": "start"}, {"id": "finish", "kind": "finish"}],
            "transitions": [{"from": "start", "to": "finish"}]
        }),
    );
    let o = run(weft(&db).arg("import").arg(&changed));
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("WEFT-X006"), "{}", text(&o));
    let o = run(weft(&db).arg("import").arg(&changed).arg("--replace"));
    assert!(o.status.success(), "{}", text(&o));
    let o = run(weft(&db).args(["--json", "workflows"]));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["revision"], json!(2));
}

#[test]
fn contacts_export_neutralises_formulas_unless_raw_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let leads = dir.path().join("leads.csv");
    std::fs::write(
        &leads,
        "email,name,phone\nevil@x.io,=cmd|' /C calc'!A0,+1 555 0100\nplain@x.io,Plain,555\n",
    )
    .unwrap();
    let o = run(weft(&db).args(["contacts", "import"]).arg(&leads));
    assert!(o.status.success(), "{}", text(&o));
    let safe = dir.path().join("safe.csv");
    let o = run(weft(&db).args(["contacts", "export"]).arg(&safe));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&safe).unwrap(),
        "email,name,phone,status,tags\nevil@x.io,'=cmd|' /C calc'!A0,'+1 555 0100,new,\nplain@x.io,Plain,555,new,\n"
    );
    let raw = dir.path().join("raw.csv");
    let o = run(weft(&db)
        .args(["contacts", "export"])
        .arg(&raw)
        .arg("--raw-formulas"));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&raw).unwrap(),
        "email,name,phone,status,tags\nevil@x.io,=cmd|' /C calc'!A0,+1 555 0100,new,\nplain@x.io,Plain,555,new,\n"
    );
    let o = run(weft(&db).args(["--json", "contacts", "list"]));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        list[0]["name"],
        json!("=cmd|' /C calc'!A0"),
        "stored as imported"
    );
}

#[test]
fn bad_workflow_files_are_refused_at_import_with_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let workflows = || {
        let o = run(weft(&db).args(["--json", "workflows"]));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()
    };
    // The file of the issue: a 16 MiB name and no Start.
    let huge = write(
        dir.path(),
        "huge.weft.json",
        &json!({"format": 1, "name": "n".repeat(16 << 20), "activities": [{"id": "finish", "kind": "finish"}]}),
    );
    for command in ["import", "validate", "run"] {
        let o = run(weft(&db).arg(command).arg(&huge));
        assert_eq!(o.status.code(), Some(1), "{command}: {}", text(&o));
        assert!(text(&o).contains("WEFT-F005"), "{command}: {}", text(&o));
    }
    // A file too large is refused by its size, before it is read (here: 64 GiB, sparse).
    let sparse = dir.path().join("sparse.weft.json");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let started = Instant::now();
    let o = run(weft(&db).arg("import").arg(&sparse));
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("WEFT-F005"), "{}", text(&o));
    assert!(started.elapsed() < Duration::from_secs(10));

    let long_name = write(
        dir.path(),
        "long.weft.json",
        &json!({"format": 1, "name": "n".repeat(201), "activities": [{"id": "start", "kind": "start"}]}),
    );
    let o = run(weft(&db).arg("import").arg(&long_name));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("WEFT-X007") && text(&o).contains("201 characters"),
        "{}",
        text(&o)
    );

    let no_start = write(
        dir.path(),
        "nostart.weft.json",
        &json!({"format": 1, "name": "No start", "activities": [{"id": "finish", "kind": "finish"}]}),
    );
    let o = run(weft(&db).arg("import").arg(&no_start));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("WEFT-V001") && text(&o).contains("no Start activity"),
        "{}",
        text(&o)
    );
    assert_eq!(workflows(), json!([]), "nothing was imported");
}

#[test]
fn bad_contact_files_are_refused_whole_or_by_row_with_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let count = || {
        let o = run(weft(&db).args(["--json", "contacts", "list"]));
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "email,city,name,city\na@x.io,Paris,A,Rome\n").unwrap();
    let o = run(weft(&db).args(["contacts", "import"]).arg(&twice));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("WEFT-C012")
            && text(&o).contains("columns 2 (\"city\") and 4 (\"city\")"),
        "{}",
        text(&o)
    );
    assert_eq!(count(), 0);

    let sparse = dir.path().join("sparse.csv");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    let o = run(weft(&db).args(["contacts", "import"]).arg(&sparse));
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("WEFT-C013"), "{}", text(&o));

    let nul = dir.path().join("nul.csv");
    std::fs::write(&nul, b"email,name\na@x.io,A\nb@x.io,B\0B\nc@x.io,C\n").unwrap();
    let o = run(weft(&db).args(["--json", "contacts", "import"]).arg(&nul));
    assert!(o.status.success(), "{}", text(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["created"], json!(2));
    assert_eq!(
        report["rejected"],
        json!([{"line": 3, "reason": "column \"name\" contains a NUL byte"}])
    );
    assert_eq!(count(), 2);
}

#[test]
fn serve_prints_every_event_even_after_its_reader_fell_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    // About 8 events per iteration: twice what the live channel holds (4,096).
    let file = write(
        dir.path(),
        "busy.weft.json",
        &json!({
            "format": 1, "name": "Busy",
            "activities": [
                {"id": "start", "kind": "start"},
                {"id": "loop", "kind": "loop", "config": {"expression": "loop.index < 1000", "max_iterations": 100000}},
                {"id": "tick", "kind": "set_variables", "config": {"variables": {}}},
                {"id": "finish", "kind": "finish"}
            ],
            "transitions": [
                {"from": "start", "to": "loop"}, {"from": "loop", "port": "again", "to": "tick"},
                {"from": "tick", "to": "loop"}, {"from": "loop", "port": "done", "to": "finish"}
            ]
        }),
    );
    let o = run(weft(&db).arg("import").arg(&file));
    assert!(o.status.success(), "{}", text(&o));
    let last_seq = || {
        let store = weft_engine::store::Store::open(&db).unwrap();
        store.read(|r| r.last_seq()).unwrap()
    };
    let before = last_seq();
    let mut serve = weft(&db)
        .args(["--json", "serve", "--no-webhooks"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let serve_err = serve.stderr.take().unwrap();
    let collected = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(serve_err).lines().map_while(Result::ok) {
            let mut text = collected.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    wait_until("serve to execute the store", || {
        stderr.lock().unwrap().contains("executing")
    });
    // Nobody reads its output until the run is over: the printer blocks on a full pipe and
    // falls far behind the engine.
    let o = run(weft(&db).args(["command", "Busy", "run-now"]));
    assert!(o.status.success(), "{}", text(&o));
    wait_until("the run to complete", || {
        let o = run(weft(&db).args(["--json", "runs", "--status", "completed"]));
        serde_json::from_slice::<Value>(&o.stdout)
            .map(|p| p["runs"].as_array().map(Vec::len).unwrap_or(0) == 1)
            .unwrap_or(false)
    });
    let last = last_seq();
    assert!(last - before > 5000, "{} events", last - before);
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = serve.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let event: Value = serde_json::from_str(&line).unwrap();
            if tx.send(event["seq"].as_i64().unwrap()).is_err() {
                break;
            }
        }
    });
    let mut seqs = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while seqs.last() != Some(&last) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(seq) => seqs.push(seq),
            Err(_) => panic!(
                "the printer stopped at event {:?} of {last} ({} printed)",
                seqs.last(),
                seqs.len()
            ),
        }
    }
    nix_kill(serve.id(), "INT");
    serve.wait().unwrap();
    let expected: Vec<i64> = (before + 1..=last).collect();
    if seqs != expected {
        let twice = seqs.windows(2).filter(|w| w[1] <= w[0]).count();
        panic!(
            "printed {} events from {:?}, expected {} from {}; {twice} out of order or twice",
            seqs.len(),
            seqs.first(),
            expected.len(),
            before + 1
        );
    }
    let stderr = stderr.lock().unwrap();
    assert!(
        stderr.contains("event printer fell") && stderr.contains("catching up from the store"),
        "{stderr}"
    );
}

#[test]
fn after_kill_9_the_store_marker_finds_the_leftovers_that_left_the_group() {
    use weft_engine::activities::process_tree;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (a, b) = (dir.path().join("setsid.pid"), dir.path().join("double.pid"));
    let file = write(
        dir.path(),
        "k.weft.json",
        &json!({
            "format": 1, "name": "Escapes",
            "activities": [
                {"id": "start", "kind": "start"},
                {"id": "long", "kind": "run_command", "config": {"command": format!(
                    "setsid sh -c 'echo $$ > {a}; exec sleep 300' >/dev/null 2>&1 & \
                     ( ( sh -c 'echo $$ > {b}; exec sleep 300' >/dev/null 2>&1 & ) & ); sleep 300",
                    a = a.display(), b = b.display()
                )}},
                {"id": "finish", "kind": "finish"}
            ],
            "transitions": [{"from": "start", "to": "long"}, {"from": "long", "to": "finish"}]
        }),
    );
    let mut victim = weft(&db)
        .arg("run")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid_in = |path: &Path| {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok())
    };
    wait_until("both escaped processes", || {
        pid_in(&a).is_some() && pid_in(&b).is_some()
    });
    nix_kill(victim.id(), "KILL");
    victim.wait().unwrap();
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.contains(") Z"))
            .unwrap_or(false)
    };
    let leftovers = [pid_in(&a).unwrap(), pid_in(&b).unwrap()];
    assert!(
        leftovers.iter().all(|p| alive(*p)),
        "they outlive the engine"
    );
    // What recovery calls: every process of this store's attempts, whatever its group.
    let killed = process_tree::kill_marked(&process_tree::store_marker(&db));
    assert!(killed >= 2, "{killed}");
    wait_until("the leftovers to be killed", || {
        leftovers.iter().all(|p| !alive(*p))
    });
}

#[test]
fn serve_http_listens_on_loopback_prints_its_address_and_refuses_others_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let refused = run(weft(&db).args(["serve", "--no-webhooks", "--http", "0.0.0.0:0"]));
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("--http-public"),
        "{}",
        text(&refused)
    );

    let made = run(weft(&db).args(["tokens", "create", "ci"]));
    assert!(made.status.success(), "{}", text(&made));
    let token = String::from_utf8_lossy(&made.stdout).trim().to_string();
    assert!(token.starts_with("weft_"), "{token}");
    let listed = run(weft(&db).args(["--json", "tokens", "list"]));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("\"ci\""));
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(&token[20..]));

    let mut child = weft(&db)
        .args(["serve", "--no-webhooks", "--http", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("weft serve: http://") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    let get = |token: &str| {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET /api/v1/status HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    };
    assert!(get(&token).starts_with("HTTP/1.1 200"), "{}", get(&token));
    let revoked = run(weft(&db).args(["tokens", "revoke", "ci"]));
    assert!(revoked.status.success(), "{}", text(&revoked));
    assert!(get(&token).starts_with("HTTP/1.1 401"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn operators_are_added_listed_and_removed_with_their_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let added = run(weft(&db).args([
        "operators",
        "add",
        "ada",
        "--group",
        "marketing",
        "--group",
        "ops",
        "--can",
        "approve,list",
        "--email",
        "ada@example.com",
    ]));
    assert!(added.status.success(), "{}", text(&added));
    assert!(
        text(&added).contains("may list, approve; groups marketing, ops"),
        "{}",
        text(&added)
    );
    let bad = run(weft(&db).args(["operators", "add", "bob", "--can", "list,fly"]));
    assert!(!bad.status.success());
    assert!(text(&bad).contains("WEFT-A015"), "{}", text(&bad));
    let again = run(weft(&db).args(["operators", "add", "ada"]));
    assert!(text(&again).contains("WEFT-A014"), "{}", text(&again));
    let no_one = run(weft(&db).args(["tokens", "create", "t0", "--operator", "eve"]));
    assert!(text(&no_one).contains("WEFT-A016"), "{}", text(&no_one));
    let token = run(weft(&db).args(["tokens", "create", "ada-laptop", "--operator", "ada"]));
    assert!(token.status.success(), "{}", text(&token));
    let listed = run(weft(&db).args(["--json", "operators", "list"]));
    let rows: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows[0]["name"], "ada");
    assert_eq!(rows[0]["can"], "list,approve");
    assert_eq!(rows[0]["groups"], "marketing,ops");
    let tokens = run(weft(&db).args(["--json", "tokens", "list"]));
    let tokens: Value = serde_json::from_slice(&tokens.stdout).unwrap();
    assert_eq!(tokens[0]["operator"], "ada", "{tokens}");
    let removed = run(weft(&db).args(["operators", "remove", "ada"]));
    assert!(
        text(&removed).contains("their tokens are revoked"),
        "{}",
        text(&removed)
    );
    let tokens = run(weft(&db).args(["--json", "tokens", "list"]));
    assert!(!String::from_utf8_lossy(&tokens.stdout).contains("ada-laptop"));
}

/// A stand-in for the desktop app that writes down the link it was started with and leaves, as a
/// second launch does when the app already runs (the real hand-over is tested on the installed
/// package: tests/package/installed.mjs).
fn recording_app(dir: &Path) -> (PathBuf, PathBuf) {
    let got = dir.join("got.txt");
    let app = dir.join("weft-desktop");
    std::fs::write(
        &app,
        format!("#!/bin/sh\nprintf '%s' \"$*\" > '{}'\n", got.display()),
    )
    .unwrap();
    let mut perms = std::fs::metadata(&app).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&app, perms).unwrap();
    (app, got)
}

#[test]
fn open_hands_the_desktop_app_a_weft_link_and_refuses_what_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let (app, got) = recording_app(dir.path());
    let db = dir.path().join("weft.db");
    for (args, url) in [
        (["open", "run", "42"], "weft://run/42"),
        (["open", "approve", "7"], "weft://approve/7"),
        (
            ["open", "workflow", "daily report"],
            "weft://workflow/daily%20report",
        ),
    ] {
        let out = run(weft(&db).args(args).env("WEFT_DESKTOP", &app));
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            text(&out).contains("handed to the running app"),
            "{}",
            text(&out)
        );
        assert_eq!(std::fs::read_to_string(&got).unwrap(), url);
    }
    let bad = run(weft(&db)
        .args(["open", "run", "abc"])
        .env("WEFT_DESKTOP", &app));
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad).contains("WEFT-L003"), "{}", text(&bad));
    let unknown = run(weft(&db)
        .args(["open", "settings", "1"])
        .env("WEFT_DESKTOP", &app));
    assert!(text(&unknown).contains("WEFT-L002"), "{}", text(&unknown));
}

/// `weft render`: a file without a store, a stored workflow with one of its runs on it, a
/// selection; bad names and extensions are clear errors that write nothing.
#[test]
fn render_draws_files_stored_workflows_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    let template = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../workflows-templates/approval-gated-email.weft.json");
    let png = dir.path().join("a.png");
    let o = run(weft(&db)
        .args(["--json", "render"])
        .arg(&template)
        .arg("--out")
        .arg(&png));
    assert!(o.status.success(), "{}", text(&o));
    let answer: Value = serde_json::from_slice(&o.stdout).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let size = |b: &[u8]| {
        (
            u32::from_be_bytes(b[16..20].try_into().unwrap()),
            u32::from_be_bytes(b[20..24].try_into().unwrap()),
        )
    };
    // Activities from x = -160 to 400 and y = 0 to 748, 32 around, at 2×.
    assert_eq!(size(&bytes), (1248, 1624));
    assert_eq!(
        (answer["width"].as_u64(), answer["height"].as_u64()),
        (Some(1248), Some(1624))
    );
    assert!(!db.exists(), "drawing a file opens no store");

    // A selection, dark, as SVG with text as outlines.
    let svg = dir.path().join("part.svg");
    let o = run(weft(&db)
        .arg("render")
        .arg(&template)
        .arg("--out")
        .arg(&svg)
        .args(["--select", "review,send", "--theme", "dark"]));
    assert!(o.status.success(), "{}", text(&o));
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(
        drawn.starts_with("<svg viewBox=\"0 0 464 268\"") && !drawn.contains("<text"),
        "{}",
        &drawn[..80]
    );

    // A stored workflow and a run of it.
    let wf = write(
        dir.path(),
        "hello.weft.json",
        &json!({
            "format": 1, "name": "Hello",
            "activities": [
                {"id": "start", "kind": "start", "position": {"x": 0, "y": 0}},
                {"id": "say", "kind": "run_command", "config": {"command": "echo hi"}, "position": {"x": 0, "y": 140}},
                {"id": "finish", "kind": "finish", "position": {"x": 0, "y": 280}}
            ],
            "transitions": [{"from": "start", "to": "say"}, {"from": "say", "to": "finish"}]
        }),
    );
    let o = run(weft(&db).arg("--json").arg("run").arg(&wf));
    assert!(o.status.success(), "{}", text(&o));
    let detail: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(detail["run"]["status"], json!("completed"));
    let run_id = detail["run"]["id"].as_i64().expect("the run's id");
    let with_run = dir.path().join("run.png");
    let o = run(weft(&db)
        .args(["render", "Hello", "--run", &run_id.to_string(), "--out"])
        .arg(&with_run));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        size(&std::fs::read(&with_run).unwrap()),
        ((240 + 64) * 2, (328 + 64) * 2)
    );

    // Bad input: a clear message, nothing written.
    let nowhere = dir.path().join("x.png");
    let o = run(weft(&db)
        .arg("render")
        .arg(&template)
        .arg("--out")
        .arg(&nowhere)
        .args(["--select", "nope"]));
    assert!(
        !o.status.success() && text(&o).contains("no activity `nope`"),
        "{}",
        text(&o)
    );
    let o = run(weft(&db)
        .arg("render")
        .arg(&template)
        .arg("--out")
        .arg(dir.path().join("x.gif")));
    assert!(
        !o.status.success() && text(&o).contains("must end in .png or .svg"),
        "{}",
        text(&o)
    );
    let o = run(weft(&db)
        .args(["render", "No such workflow", "--out"])
        .arg(&nowhere));
    assert!(
        !o.status.success() && text(&o).contains("no workflow \"No such workflow\""),
        "{}",
        text(&o)
    );
    assert!(!nowhere.exists());
}

#[test]
fn revisions_are_listed_diffed_and_restored_and_bad_breakpoints_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("weft.db");
    let mut body = json!({
        "format": 1, "name": "Revised",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "a", "kind": "run_command", "config": {"command": "echo one"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "a"}, {"from": "a", "to": "finish"}]
    });
    let file = write(dir.path(), "r.weft.json", &body);
    assert!(run(weft(&db).arg("import").arg(&file)).status.success());
    body["activities"][1]["config"]["command"] = json!("echo two");
    body["activities"].as_array_mut().unwrap().insert(
        2,
        json!({"id": "b", "kind": "notify", "config": {"title": "t"}}),
    );
    body["transitions"] = json!([
        {"from": "start", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "finish"}
    ]);
    let file = write(dir.path(), "r.weft.json", &body);
    assert!(run(weft(&db).arg("import").arg(&file).arg("--replace"))
        .status
        .success());

    let out = run(weft(&db).args(["revisions", "Revised", "--json"]));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["revision"], 2);
    assert_eq!(list[0]["source"], "weft");
    assert_eq!(list[0]["note"], "imported from a file");

    let out = run(weft(&db).args(["diff", "Revised", "1", "2"]));
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    for line in [
        "+ activity b (notify)",
        "~ a.config.command: \"echo one\" → \"echo two\"",
        "+ transition a:ok -> b",
        "- transition a:ok -> finish",
    ] {
        assert!(said.contains(line), "{line:?} in {said}");
    }
    let out = run(weft(&db).args(["diff", "Revised", "1", "2", "--json"]));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["diff"]["added"][0]["id"], "b");
    assert_eq!(d["diff"]["transitionsRemoved"][0]["to"], "finish");
    // An earlier revision printed as a file, as the canvas draws it beside a later one.
    let out = run(weft(&db).args(["export", "Revised", "--revision", "1"]));
    assert!(out.status.success(), "{}", text(&out));
    let first: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first["activities"][1]["config"]["command"], "echo one");
    assert_eq!(first["activities"].as_array().unwrap().len(), 3);

    let out = run(weft(&db).args(["restore", "Revised", "1", "--json"]));
    assert!(out.status.success(), "{}", text(&out));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["revision"], 3);
    let out = run(weft(&db).args(["diff", "Revised", "1", "3"]));
    assert!(text(&out).contains("no changes"), "{}", text(&out));

    let out = run(weft(&db).args(["breakpoints", "Revised", "--set", "nope:after"]));
    assert!(!out.status.success());
    assert!(text(&out).contains("WEFT-X008"), "{}", text(&out));
    let out = run(weft(&db).args(["breakpoints", "Revised", "--set", "a:during"]));
    assert!(!out.status.success(), "a bad form is refused by the parser");
    let out = run(weft(&db).args(["breakpoints", "Revised", "--set", "a->finish=vars.x == 1"]));
    assert!(out.status.success(), "{}", text(&out));
    let out = run(weft(&db).args(["breakpoints", "Revised"]));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "a:ok->finish=vars.x == 1"
    );
}
