//! Several real `weft serve` processes sharing one real PostgreSQL database (the server
//! `WEFT_TEST_PG` names; `make test` starts a throwaway cluster): they share the runs, a server
//! killed with `kill -9` has its tasks taken over once its leases lapse, queued commands are
//! applied once, a schedule fires once per fire time, and every server sees every event.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};
use weft_engine::store::postgres::fixtures::ScratchDatabase;

/// The server's admin URL, or `None` (the test then says it was skipped) — unless
/// `WEFT_TEST_PG_REQUIRED` is set, as `make test` does, where a missing server fails.
fn server() -> Option<String> {
    match std::env::var("WEFT_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("WEFT_TEST_PG_REQUIRED").is_none(),
                "WEFT_TEST_PG is not set: start a server with tests/pg/cluster.sh"
            );
            eprintln!("skipped: WEFT_TEST_PG is not set");
            None
        }
    }
}

fn weft(url: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    // --db only places the outbox and templates here; the store is the database.
    c.arg("--store")
        .arg(url)
        .arg("--db")
        .arg(dir.join("local.db"))
        .env_remove("WEFT_DB")
        .env_remove("WEFT_STORE")
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

/// A server of the fleet, its events printed as JSON lines into a file.
struct Server {
    name: String,
    child: Child,
    events: PathBuf,
}

fn start_server(url: &str, dir: &Path, name: &str, slots: u16) -> Server {
    let events = dir.join(format!("{name}.events"));
    let child = weft(url, dir)
        .args([
            "--json",
            "serve",
            "--no-webhooks",
            "--slots",
            &slots.to_string(),
        ])
        // The steps' commands write which server ran them.
        .env("WEFT_TEST_SERVER", name)
        .env("WEFT_LOG", "warn")
        .stdout(std::fs::File::create(&events).unwrap())
        .stderr(std::fs::File::create(dir.join(format!("{name}.log"))).unwrap())
        .spawn()
        .unwrap();
    Server {
        name: name.into(),
        child,
        events,
    }
}

fn signal(server: &Server, signal: &str) {
    Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(server.child.id().to_string())
        .status()
        .unwrap();
}

fn stop(mut server: Server) {
    signal(&server, "TERM");
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "{} did not stop", server.name);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Start → `steps` command steps → Finish; runs side by side.
fn chain(name: &str, steps: usize, command: &str) -> Value {
    let mut activities = vec![json!({"id": "start", "kind": "start"})];
    let mut transitions = Vec::new();
    let mut previous = "start".to_string();
    for i in 0..steps {
        let id = format!("s{i}");
        activities.push(json!({"id": id, "kind": "run_command", "config": {"command": command.replace("STEP", &id)}}));
        transitions.push(json!({"from": previous, "to": id}));
        previous = id;
    }
    activities.push(json!({"id": "finish", "kind": "finish"}));
    transitions.push(json!({"from": previous, "to": "finish"}));
    json!({"format": 1, "name": name, "concurrency": "parallel", "activities": activities, "transitions": transitions})
}

fn all_runs(url: &str, dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let mut cmd = weft(url, dir);
        cmd.args(["runs", "--json", "--limit", "1000"]);
        if let Some(a) = after {
            cmd.args(["--after", &a.to_string()]);
        }
        let page = json_of(&run(&mut cmd));
        out.extend(page["runs"].as_array().unwrap().iter().cloned());
        match page["next"].as_i64() {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

fn ended(runs: &[Value]) -> bool {
    runs.iter()
        .all(|r| !matches!(r["status"].as_str(), Some("running" | "pending")))
}

/// One line of the effects log: run, step, server, when it started (ms).
struct Effect {
    run: i64,
    step: String,
    server: String,
    at_ms: u128,
}

fn effects(path: &Path) -> Vec<Effect> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some(Effect {
                run: f.next()?.parse().ok()?,
                step: f.next()?.to_string(),
                server: f.next()?.to_string(),
                at_ms: f.next()?.parse::<u128>().ok()? / 1_000_000,
            })
        })
        .collect()
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[test]
fn four_servers_share_the_runs_and_a_killed_servers_tasks_are_taken_over_within_the_lease() {
    let Some(admin) = server() else { return };
    let db = ScratchDatabase::create(&admin).unwrap();
    let url = db.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("effects.log");
    // Each step notes (run, step, server, start time) before it works for 0.4 s.
    let command = format!(
        "echo {{{{ run.id }}}} STEP $WEFT_TEST_SERVER $(date +%s%N) >> {}; sleep 0.4",
        log.display()
    );
    let file = dir.path().join("fleet.weft.json");
    std::fs::write(&file, chain("Fleet", 10, &command).to_string()).unwrap();
    let out = run(weft(&url, dir.path()).arg("import").arg(&file));
    assert!(out.status.success(), "{}", text(&out));

    let mut servers: Vec<Server> = (1..=4)
        .map(|i| start_server(&url, dir.path(), &format!("s{i}"), 4))
        .collect();
    const RUNS: usize = 24;
    for _ in 0..RUNS {
        let out = run(weft(&url, dir.path()).args(["command", "Fleet", "run-now", "--wait", "0"]));
        assert_eq!(out.status.code(), Some(3), "queued: {}", text(&out));
    }
    // Under load: every server has run something, then s2 is killed.
    wait_until("every server to take work", Duration::from_secs(60), || {
        let seen: HashSet<String> = effects(&log).into_iter().map(|e| e.server).collect();
        seen.len() == 4
    });
    // Killed while it has a step in flight: one it started less than 0.3 s ago (they last 0.4 s).
    wait_until("s2 to start a step", Duration::from_secs(60), || {
        let now = now_ms();
        effects(&log)
            .iter()
            .any(|e| e.server == "s2" && e.at_ms + 300 > now)
    });
    let victim = servers.remove(1);
    assert_eq!(victim.name, "s2");
    signal(&victim, "KILL");
    let killed_at = now_ms();
    let mut victim = victim;
    let _ = victim.child.wait();

    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let runs = all_runs(&url, dir.path());
        if runs.len() == RUNS && ended(&runs) {
            break;
        }
        if Instant::now() > deadline {
            // What the servers said, to see why.
            for i in 1..=4 {
                let log = std::fs::read_to_string(dir.path().join(format!("s{i}.log")));
                eprintln!("--- s{i}.log\n{}", log.unwrap_or_default());
            }
            let stuck: Vec<&Value> = runs.iter().filter(|r| r["status"] == "running").collect();
            if let Some(r) = stuck.first() {
                let id = r["id"].as_i64().unwrap().to_string();
                eprintln!(
                    "{}",
                    text(&run(weft(&url, dir.path()).args(["show", &id, "--json"])))
                );
            }
            panic!("{} of {} runs did not end", stuck.len(), runs.len());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let runs = all_runs(&url, dir.path());
    assert_eq!(runs.len(), RUNS, "each queued command made one run, once");
    for r in &runs {
        assert_eq!(r["status"], "completed", "{r}");
    }

    // No step lost; a step ran twice only when its first start was on the killed server, and
    // it started again within the lease (10 s) plus a renewal period and a take-over round.
    let mut by_step: BTreeMap<(i64, String), Vec<Effect>> = BTreeMap::new();
    for e in effects(&log) {
        by_step.entry((e.run, e.step.clone())).or_default().push(e);
    }
    assert_eq!(by_step.len(), RUNS * 10, "every step of every run ran");
    let mut takeovers = Vec::new();
    for ((run_id, step), starts) in &by_step {
        assert!(
            starts.len() <= 2,
            "{run_id}/{step} ran {} times",
            starts.len()
        );
        if starts.len() == 2 {
            assert_eq!(
                starts[0].server, "s2",
                "{run_id}/{step} ran twice, and not because s2 was killed"
            );
            // A process s2 spawned just before it died may still print its line a moment
            // after the kill: it was in flight there all the same.
            assert!(
                starts[0].at_ms <= killed_at + 1_000,
                "{run_id}/{step} first started {} ms after the kill",
                starts[0].at_ms.saturating_sub(killed_at)
            );
            assert_ne!(
                starts[1].server, "s2",
                "{run_id}/{step} ran again on the dead server"
            );
            takeovers.push(starts[1].at_ms.saturating_sub(killed_at));
        }
    }
    assert!(
        !takeovers.is_empty(),
        "s2 had steps in flight when it was killed"
    );
    let slowest = takeovers.iter().max().copied().unwrap_or_default();
    eprintln!(
        "took over {} step(s) of the killed server; slowest restart {slowest} ms after the kill",
        takeovers.len()
    );
    assert!(
        slowest <= 10_000 + 3_400 + 1_500,
        "a step of the killed server restarted {slowest} ms after the kill"
    );
    // Each re-run step says it was interrupted once.
    let run_id = by_step
        .iter()
        .find(|(_, s)| s.len() == 2)
        .map(|((r, _), _)| *r)
        .unwrap();
    let shown = json_of(&run(weft(&url, dir.path()).args([
        "show",
        &run_id.to_string(),
        "--json",
    ])));
    assert!(
        shown["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["interruptions"].as_u64() == Some(1)),
        "{shown}"
    );

    // Every server saw every run end, whichever server ran it (events go through the store).
    // A server follows the event table by polling: it is given time to read the last ends
    // before it is stopped (under a loaded CI machine one poll can lag the run's end).
    let ends_seen = |events: &std::path::Path| {
        std::fs::read_to_string(events)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|e| e["kind"] == "run_status" && e["payload"]["status"] == "completed")
            .filter_map(|e| e["runId"].as_i64())
            .collect::<HashSet<i64>>()
    };
    for server in servers {
        let events = server.events.clone();
        let limit = Duration::from_secs(15);
        let deadline = Instant::now() + limit;
        while ends_seen(&events).len() < RUNS && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        stop(server);
        let ends = ends_seen(&events);
        assert_eq!(
            ends.len(),
            RUNS,
            "{} saw {} run ends",
            events.display(),
            ends.len()
        );
    }
}

#[test]
fn a_schedule_fires_once_per_fire_time_across_three_servers() {
    let Some(admin) = server() else { return };
    let db = ScratchDatabase::create(&admin).unwrap();
    let url = db.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let body = json!({"format": 1, "name": "Ticks", "concurrency": "parallel",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "every", "kind": "schedule_trigger", "config": {"schedule": {"type": "interval", "every": "1s"}}},
            {"id": "tick", "kind": "run_command", "config": {"command": "true"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "every"}, {"from": "every", "to": "tick"}, {"from": "tick", "to": "finish"}]});
    let file = dir.path().join("ticks.weft.json");
    std::fs::write(&file, body.to_string()).unwrap();
    assert!(run(weft(&url, dir.path()).arg("import").arg(&file))
        .status
        .success());
    let servers: Vec<Server> = (1..=3)
        .map(|i| start_server(&url, dir.path(), &format!("t{i}"), 4))
        .collect();
    let started = Instant::now();
    let out = run(weft(&url, dir.path()).args(["command", "Ticks", "start"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    std::thread::sleep(Duration::from_secs(6));
    // Stop, not Pause: a paused workflow's ready tasks wait, so a run fired just before a pause
    // would never end; Stop ends the firing and the runs still going.
    let out = run(weft(&url, dir.path()).args(["command", "Ticks", "stop"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let elapsed = started.elapsed().as_secs_f64();
    wait_until("the ticks to end", Duration::from_secs(30), || {
        ended(&all_runs(&url, dir.path()))
    });
    let runs = all_runs(&url, dir.path());
    for s in servers {
        stop(s);
    }
    // Three servers firing each fire time would make three runs a second; once, at most one.
    assert!(
        !runs.is_empty() && runs.len() as f64 <= elapsed + 2.0,
        "{} runs in {elapsed:.1} s",
        runs.len()
    );
}

/// `weft migrate --from PATH.db --to postgres://…` as a person runs it: a local store made with
/// the CLI moves up, the tables are printed verified, the fleet's `weft` sees the workflow and
/// its run; a second migrate into the same database is refused (WEFT-S006); a missing file is
/// a clear error.
#[test]
fn weft_migrate_moves_a_local_store_up_and_refuses_a_non_empty_target() {
    let Some(server) = server() else { return };
    let db = ScratchDatabase::create(&server).expect("a scratch database");
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("laptop.db");
    let file = dir.path().join("hello.weft.json");
    std::fs::write(&file, chain("Hello fleet", 2, "echo hi").to_string()).unwrap();
    let local_weft = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
        c.arg("--db")
            .arg(&local)
            .env_remove("WEFT_DB")
            .env_remove("WEFT_STORE")
            .env_remove("WEFT_FAULT");
        c
    };
    let ran = run(local_weft().arg("run").arg(&file));
    assert!(ran.status.success(), "{}", text(&ran));

    let moved = run(local_weft()
        .args(["--json", "migrate", "--to", db.url(), "--from"])
        .arg(&local));
    assert!(moved.status.success(), "{}", text(&moved));
    let tables = json_of(&moved);
    let table = |name: &str| {
        tables
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {tables}"))
    };
    assert_eq!(table("runs")["rows"], 1);
    assert_eq!(table("workflows")["rows"], 1);
    assert!(
        tables
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["verified"] == "yes"),
        "{tables}"
    );

    let listed = run(weft(db.url(), dir.path()).args(["--json", "runs"]));
    let runs = json_of(&listed);
    assert_eq!(runs["runs"].as_array().map(Vec::len), Some(1), "{runs}");

    let again = run(local_weft()
        .args(["migrate", "--to", db.url(), "--from"])
        .arg(&local));
    assert!(!again.status.success());
    assert!(text(&again).contains("WEFT-S006"), "{}", text(&again));
    let missing = run(local_weft()
        .args(["migrate", "--to", db.url(), "--from"])
        .arg(dir.path().join("nope.db")));
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("no such store file"),
        "{}",
        text(&missing)
    );
}
