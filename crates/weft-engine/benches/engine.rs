//! Engine benchmarks (`make bench`): per-step overhead with every task committed durably, many
//! runs of a small workflow, and listing runs from a store of a million runs.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::json;
use std::sync::OnceLock;
use std::time::Duration;
use weft_engine::store::{self, Durability, Event, EventBody, RunFilter, RunStatus, Store};
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

/// Start → n Set variables steps in a line (each renders a template) → Finish.
fn sequential(n: usize, concurrency: &str) -> weft_engine::WorkflowFile {
    chain_of(
        n,
        concurrency,
        |_| json!({"kind": "set_variables", "config": {"variables": {"step": "{{ run.id }}"}}}),
    )
}

/// Start → n steps made by `step` in a line → Finish.
fn chain_of(
    n: usize,
    concurrency: &str,
    step: impl Fn(usize) -> serde_json::Value,
) -> weft_engine::WorkflowFile {
    let mut activities = vec![json!({"id": "start", "kind": "start"})];
    let mut transitions = Vec::new();
    let mut previous = "start".to_string();
    for i in 0..n {
        let id = format!("step{i}");
        let mut activity = step(i);
        activity["id"] = json!(id);
        activities.push(activity);
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
    fixture_with(body, Durability::Normal)
}

fn fixture_with(body: &weft_engine::WorkflowFile, durability: Durability) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let engine = runtime().block_on(async {
        let mut options = EngineOptions::new(dir.path().join("bench.db"));
        options.durability = durability;
        let engine = Engine::open(options).unwrap();
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
                Ok(Event {
                    body: EventBody::RunStatus { status, .. },
                    ..
                }) => {
                    if status.is_final() {
                        assert_eq!(status, RunStatus::Completed);
                        ended += 1;
                    }
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    // Fall back to the store when the event buffer overflowed.
                    let completed = f
                        .engine
                        .count_runs(&RunFilter {
                            statuses: vec![RunStatus::Completed],
                            ..Default::default()
                        })
                        .unwrap();
                    ended = ended.max(completed as usize);
                }
                Err(e) => panic!("{e}"),
            }
        }
    });
}

/// A chain length and a durability, as a benchmark argument.
#[derive(Clone, Copy, Debug)]
struct Chain {
    steps: usize,
    durability: Durability,
}

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} steps, {}", self.steps, self.durability)
    }
}

const CHAINS: &[Chain] = &[
    Chain {
        steps: 1_000,
        durability: Durability::Normal,
    },
    Chain {
        steps: 10_000,
        durability: Durability::Normal,
    },
    Chain {
        steps: 1_000,
        durability: Durability::Full,
    },
    Chain {
        steps: 10_000,
        durability: Durability::Full,
    },
];

/// One run of a sequential workflow of Set variables steps (each renders a template);
/// per-step overhead = time / steps. Flat with the chain's length when no lookup grows with the
/// run.
#[divan::bench(args = CHAINS, sample_count = 3, sample_size = 1)]
fn run_sequential_steps(bencher: divan::Bencher, chain: Chain) {
    let body = sequential(chain.steps, "queue");
    bencher
        .with_inputs(|| fixture_with(&body, chain.durability))
        .bench_local_values(|f| {
            run_and_wait(&f, 1);
            f
        });
}

const DURABILITIES: &[Durability] = &[Durability::Normal, Durability::Full];

/// One run of 1,000 Run command steps (`true`): each step a real child process, so the figure
/// is process start-up plus the engine's share.
#[divan::bench(args = DURABILITIES, sample_count = 3, sample_size = 1)]
fn run_1000_command_steps(bencher: divan::Bencher, durability: Durability) {
    let body = chain_of(
        1000,
        "queue",
        |_| json!({"kind": "run_command", "config": {"command": "true"}}),
    );
    bencher
        .with_inputs(|| fixture_with(&body, durability))
        .bench_local_values(|f| {
            run_and_wait(&f, 1);
            f
        });
}

/// Webhook throughput: 2,000 HTTP calls, 8 at a time, each firing a run of a one-step workflow
/// (webhook trigger → Set variables → Finish) through the real listener on 127.0.0.1; timed
/// until every run has ended.
#[divan::bench(args = DURABILITIES, sample_count = 3, sample_size = 1)]
fn webhook_2000_runs_at_concurrency_8(bencher: divan::Bencher, durability: Durability) {
    const CALLS: usize = 2_000;
    const CONCURRENCY: usize = 8;
    let body = weft_engine::load::from_value(json!({
        "format": 1, "name": "hook", "concurrency": "parallel",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "hook", "kind": "webhook_trigger"},
            {"id": "note", "kind": "set_variables", "config": {"variables": {"seen": "{{ params.n }}"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "hook"}, {"from": "hook", "to": "note"}, {"from": "note", "to": "finish"}]
    }))
    .unwrap();
    bencher
        .with_inputs(|| {
            let f = fixture_with(&body, durability);
            let (url, token) = runtime().block_on(async {
                f.engine
                    .command_and_wait(Some(&f.workflow), Command::Start, Duration::from_secs(10))
                    .await
                    .unwrap();
                let addr = f
                    .engine
                    .start_webhooks("127.0.0.1:0".parse().unwrap())
                    .await
                    .unwrap();
                let token = weft_engine::exec::webhook::token(&f.engine, &f.workflow, "hook")
                    .unwrap()
                    .unwrap();
                (format!("http://{addr}/hooks/{}/hook", f.workflow), token)
            });
            (f, url, token)
        })
        .bench_local_values(|(f, url, token)| {
            runtime().block_on(async {
                let client = reqwest::Client::new();
                let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
                let mut workers = Vec::new();
                for _ in 0..CONCURRENCY {
                    let (client, url, token, next) =
                        (client.clone(), url.clone(), token.clone(), next.clone());
                    workers.push(tokio::spawn(async move {
                        loop {
                            let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            if n >= CALLS {
                                break;
                            }
                            let reply = client
                                .post(&url)
                                .bearer_auth(&token)
                                .json(&json!({"n": n}))
                                .send()
                                .await
                                .unwrap();
                            assert_eq!(reply.status(), 202, "{:?}", reply.text().await);
                        }
                    }));
                }
                for w in workers {
                    w.await.unwrap();
                }
            });
            wait_all_ended(&f, CALLS);
            f
        });
}

/// Waits until `runs` runs of the fixture's workflow have ended, all completed.
fn wait_all_ended(f: &Fixture, runs: usize) {
    runtime().block_on(async {
        loop {
            let count = |statuses: Vec<RunStatus>| {
                f.engine
                    .count_runs(&RunFilter {
                        statuses,
                        ..Default::default()
                    })
                    .unwrap()
            };
            let failed = count(vec![
                RunStatus::Failed,
                RunStatus::Error,
                RunStatus::Cancelled,
                RunStatus::Rejected,
            ]);
            let ended = count(vec![RunStatus::Completed]) + failed;
            assert_eq!(failed, 0);
            if ended as usize >= runs {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
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

fn bench_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
}

/// A store holding 1,000,000 finished runs over 20 workflows, made once and reused.
fn million_run_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let path = bench_dir().join("weft-bench-1m-runs.db");
        weft_engine::store::sqlite::fixtures::fill_finished_runs(
            &path,
            1_000_000,
            &sequential(3, "queue"),
        )
        .unwrap();
        Store::open(&path).unwrap()
    })
}

#[divan::bench]
fn list_first_page_of_1m_runs(bencher: divan::Bencher) {
    let store = million_run_store();
    bencher.bench(|| {
        store
            .read(|c| c.list_runs(&RunFilter::default(), None, 50))
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
    bencher.bench(|| store.read(|c| c.list_runs(&filter, None, 50)).unwrap());
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
    bencher.bench(|| store.read(|c| c.list_runs(&filter, cursor, 50)).unwrap());
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
        let count = store.read(|r| r.count_contacts()).unwrap();
        if count < 1_000_000 {
            let now = 1_700_000_000_000;
            store
                .write(|tx| {
                    for contact in weft_engine::contacts::demo_contacts(1_000_000, now) {
                        tx.insert_contact(&contact, now)?;
                    }
                    Ok(())
                })
                .unwrap();
            drop(store);
            weft_engine::store::sqlite::fixtures::checkpoint(&path).unwrap();
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

/// A store file with 1,000,000 contacts and 1,000,000 finished runs, made once.
fn million_runs_and_contacts_file() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = bench_dir().join("weft-bench-1m-runs-1m-contacts.db");
        if !path.exists() {
            std::fs::copy(million_contacts_file(), &path).unwrap();
        }
        weft_engine::store::sqlite::fixtures::fill_finished_runs(
            &path,
            1_000_000,
            &sequential(3, "queue"),
        )
        .unwrap();
        path
    })
}

/// The first page of a 1,000,000-run history, read again and again while Query → Split →
/// Update works through 1,000,000 contacts in the same engine. Prints the page latencies
/// (median, p99, worst) and how long the big run took: readers must not wait for the writer
/// (target: worst page ≤ 20 ms).
#[divan::bench(sample_count = 1, sample_size = 1)]
fn history_page_while_1m_contact_update_runs(bencher: divan::Bencher) {
    let source = million_runs_and_contacts_file();
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
            let started = std::time::Instant::now();
            f.engine
                .send(
                    Some(&f.workflow),
                    Command::RunNow {
                        params: json!({}),
                        simulate: false,
                    },
                )
                .unwrap();
            let mut pages = Vec::new();
            let mine = RunFilter {
                workflow_id: Some(f.workflow.clone()),
                ..Default::default()
            };
            loop {
                let t = std::time::Instant::now();
                let page = f.engine.list_runs(&RunFilter::default(), None, 50).unwrap();
                pages.push(t.elapsed());
                assert_eq!(page.runs.len(), 50);
                let done = f
                    .engine
                    .list_runs(&mine, None, 1)
                    .unwrap()
                    .runs
                    .first()
                    .is_some_and(|r| r.status.is_final());
                if done {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let took = started.elapsed();
            pages.sort();
            let at = |q: f64| pages[((pages.len() - 1) as f64 * q) as usize];
            eprintln!(
                "history first page during the 1M-contact run ({took:.1?}): {} reads, median {:.2?}, p99 {:.2?}, worst {:.2?}",
                pages.len(),
                at(0.5),
                at(0.99),
                pages[pages.len() - 1]
            );
            f
        });
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
                        tx,
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
