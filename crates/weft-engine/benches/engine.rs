//! Engine benchmarks (`make bench`): per-step overhead with every task committed durably, many
//! runs of a small workflow, and listing runs from a store of a million runs.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::json;
use std::sync::OnceLock;
use std::time::Duration;
use weft_engine::store::{self, EventKind, RunFilter, RunStatus, Store};
use weft_engine::{Command, Engine, EngineOptions};

fn main() {
    divan::main();
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// Start → n no-op activities in a line → Finish.
fn sequential(n: usize, concurrency: &str) -> weft_engine::WorkflowFile {
    let mut activities = vec![json!({"id": "start", "kind": "start"})];
    let mut transitions = Vec::new();
    let mut previous = "start".to_string();
    for i in 0..n {
        let id = format!("step{i}");
        activities.push(json!({"id": id, "kind": "set_variables", "config": {"variables": {}}}));
        transitions.push(json!({"from": previous, "to": id}));
        previous = id;
    }
    activities.push(json!({"id": "finish", "kind": "finish"}));
    transitions.push(json!({"from": previous, "to": "finish"}));
    weft_engine::load::from_value(json!({"format": 1, "name": "bench", "concurrency": concurrency, "activities": activities, "transitions": transitions})).unwrap()
}

struct Fixture {
    engine: Engine,
    workflow: String,
    _dir: tempfile::TempDir,
}

fn fixture(body: &weft_engine::WorkflowFile) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let engine = runtime().block_on(async {
        let engine = Engine::open(EngineOptions::new(dir.path().join("bench.db"))).unwrap();
        engine.start().unwrap();
        engine
    });
    let workflow = engine.create_workflow(body).unwrap().id;
    Fixture {
        engine,
        workflow,
        _dir: dir,
    }
}

/// Queues `runs` manual runs and waits until every one has ended.
fn run_and_wait(f: &Fixture, runs: usize) {
    runtime().block_on(async {
        let mut events = f.engine.subscribe();
        for _ in 0..runs {
            f.engine
                .send(
                    Some(&f.workflow),
                    Command::RunNow {
                        params: json!({}),
                        simulate: false,
                    },
                )
                .unwrap();
        }
        let mut ended = 0;
        while ended < runs {
            match tokio::time::timeout(Duration::from_secs(120), events.recv())
                .await
                .expect("runs end")
            {
                Ok(e) if e.kind == EventKind::RunStatus => {
                    let status = e.payload["status"]
                        .as_str()
                        .and_then(RunStatus::parse)
                        .unwrap();
                    if status.is_final() {
                        assert_eq!(status, RunStatus::Completed);
                        ended += 1;
                    }
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    // Fall back to the store when the event buffer overflowed.
                    let page = f
                        .engine
                        .store()
                        .read(|c| {
                            store::runs::list_runs(
                                c,
                                &RunFilter {
                                    statuses: vec![RunStatus::Completed],
                                    ..Default::default()
                                },
                                None,
                                1000,
                            )
                        })
                        .unwrap();
                    ended = ended.max(page.runs.len());
                }
                Err(e) => panic!("{e}"),
            }
        }
    });
}

/// One run of a 1,000-step sequential workflow; per-step overhead = time / 1,002 tasks.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn run_1000_sequential_steps(bencher: divan::Bencher) {
    let body = sequential(1000, "queue");
    bencher
        .with_inputs(|| fixture(&body))
        .bench_local_values(|f| {
            run_and_wait(&f, 1);
            f
        });
}

/// 1,000 runs of a 10-step workflow, run side by side (concurrency: parallel).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn thousand_runs_of_10_steps(bencher: divan::Bencher) {
    let body = sequential(10, "parallel");
    bencher
        .with_inputs(|| fixture(&body))
        .bench_local_values(|f| {
            run_and_wait(&f, 1000);
            f
        });
}

/// A store holding 1,000,000 finished runs over 20 workflows, made once and reused.
fn million_run_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
        let path = dir.join("weft-bench-1m-runs.db");
        let store = Store::open(&path).unwrap();
        let existing: i64 = store.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))?)).unwrap();
        if existing < 1_000_000 {
            let body = sequential(3, "queue");
            store
                .write(|tx| {
                    let c = tx.conn();
                    c.execute("DELETE FROM runs", [])?;
                    for w in 0..20 {
                        let id = format!("wf-{w}");
                        c.execute("INSERT OR IGNORE INTO workflows (id, name, revision, created_at, updated_at) VALUES (?1, ?2, 1, 0, 0)", rusqlite::params![id, format!("Workflow {w}")])?;
                        c.execute("INSERT OR IGNORE INTO revisions (workflow_id, revision, body, created_at) VALUES (?1, 1, ?2, 0)", rusqlite::params![id, body.to_pretty_json()])?;
                    }
                    let statuses = ["completed", "completed", "completed", "completed", "failed", "cancelled", "completed", "rejected"];
                    let mut insert = c.prepare("INSERT INTO runs (workflow_id, revision, status, trigger, params, created_at, started_at, ended_at) VALUES (?1, 1, ?2, ?3, '{}', ?4, ?4, ?5)")?;
                    for i in 0..1_000_000i64 {
                        let at = 1_700_000_000_000 + i * 60_000;
                        insert.execute(rusqlite::params![format!("wf-{}", i % 20), statuses[(i % 8) as usize], if i % 3 == 0 { "manual" } else { "schedule" }, at, at + 1234])?;
                    }
                    Ok(())
                })
                .unwrap();
        }
        store
    })
}

#[divan::bench]
fn list_first_page_of_1m_runs(bencher: divan::Bencher) {
    let store = million_run_store();
    bencher.bench(|| {
        store
            .read(|c| store::runs::list_runs(c, &RunFilter::default(), None, 50))
            .unwrap()
    });
}

#[divan::bench]
fn list_first_page_of_1m_runs_filtered_by_status(bencher: divan::Bencher) {
    let store = million_run_store();
    let filter = RunFilter {
        statuses: vec![RunStatus::Failed],
        ..Default::default()
    };
    bencher.bench(|| {
        store
            .read(|c| store::runs::list_runs(c, &filter, None, 50))
            .unwrap()
    });
}

#[divan::bench]
fn list_page_1000_deep_of_1m_runs_filtered_by_workflow_and_status(bencher: divan::Bencher) {
    let store = million_run_store();
    let filter = RunFilter {
        workflow_id: Some("wf-7".into()),
        statuses: vec![RunStatus::Completed],
        ..Default::default()
    };
    // A cursor deep in the history: keyset paging costs the same as the first page.
    let cursor = Some(500_000);
    bencher.bench(|| {
        store
            .read(|c| store::runs::list_runs(c, &filter, cursor, 50))
            .unwrap()
    });
}

/// A store file with 1,000,000 generated contacts, made once; each sample works on a copy.
fn million_contacts_file() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let path = dir.join("weft-bench-1m-contacts.db");
        let store = Store::open(&path).unwrap();
        let count = store.read(weft_engine::contacts::count).unwrap();
        if count < 1_000_000 {
            store
                .write(|tx| {
                    weft_engine::contacts::generate_demo(tx.conn(), 1_000_000, 1_700_000_000_000)
                        .map(drop)
                })
                .unwrap();
            store
                .read(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
                .unwrap();
        }
        path
    })
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Query (status = new) → Split 50 % → Update data (status) on 1,000,000 contacts.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn query_split_update_on_1m_contacts(bencher: divan::Bencher) {
    let source = million_contacts_file();
    let body = weft_engine::load::from_value(json!({
        "format": 1, "name": "big",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "q", "kind": "query", "config": {"filter": {"rules": [{"field": "status", "op": "eq", "value": "new"}]}}},
            {"id": "split", "kind": "split", "config": {"percent": 50}},
            {"id": "update", "kind": "update_data", "config": {"set_status": "contacted"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "split"}, {"from": "split", "port": "match", "to": "update"}, {"from": "update", "to": "finish"}, {"from": "split", "port": "rest", "to": "finish"}]
    }))
    .unwrap();
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::copy(source, dir.path().join("bench.db")).unwrap();
            let engine = runtime().block_on(async {
                let engine = Engine::open(EngineOptions::new(dir.path().join("bench.db"))).unwrap();
                engine.start().unwrap();
                engine
            });
            let workflow = engine.create_workflow(&body).unwrap().id;
            Fixture {
                engine,
                workflow,
                _dir: dir,
            }
        })
        .bench_local_values(|f| {
            run_and_wait(&f, 1);
            f
        });
    eprintln!(
        "peak resident memory after the 1M-contact runs: {:.0} MB",
        peak_rss_mb()
    );
}

/// Importing a 100,000-row CSV file into an empty contacts database.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn import_100k_row_csv(bencher: divan::Bencher) {
    let mut csv = String::from("email,name,phone,city\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "lead{i}@example.com,Lead {i},+1 555 {:04},City {}\n",
            i % 10_000,
            i % 50
        ));
    }
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("import.db")).unwrap();
            (dir, store)
        })
        .bench_local_values(|(dir, store)| {
            let (report, _) = store
                .write(|tx| {
                    weft_engine::contacts::import_csv(
                        tx.conn(),
                        csv.as_bytes(),
                        b',',
                        &Default::default(),
                        "new",
                        0,
                    )
                    .map_err(|e| store::Error::Corrupt {
                        what: "csv",
                        message: e.to_string(),
                    })
                })
                .unwrap();
            assert_eq!(report.created, 100_000);
            (dir, store)
        });
}
