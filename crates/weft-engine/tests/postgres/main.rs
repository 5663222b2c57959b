//! The store contract (`weft_engine::store::conformance`) on the PostgreSQL backend: the same
//! cases as SQLite, unchanged, each on a fresh database of the server `WEFT_TEST_PG` names
//! (`make test` starts a throwaway cluster and sets it).

#![allow(clippy::expect_used, missing_docs)]

use weft_engine::store::postgres::fixtures::ScratchDatabase;
use weft_engine::store::Store;

/// The server's admin URL, or `None` (the cases then say they were skipped) — unless
/// `WEFT_TEST_PG_REQUIRED` is set, as `make test` does, where a missing server fails.
fn server() -> Option<String> {
    match std::env::var("WEFT_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("WEFT_TEST_PG_REQUIRED").is_none(),
                "WEFT_TEST_PG is not set: start a server with tests/pg/cluster.sh"
            );
            None
        }
    }
}

weft_engine::store_conformance!(optional: || {
    let server = server()?;
    let db = ScratchDatabase::create(&server).expect("a scratch database");
    let store = Store::open_postgres(db.url()).expect("a new store");
    Some((store, db))
});

/// What the bridge costs: a read of one row, and a write transaction of one event, timed over
/// a thousand each (`cargo nextest run --test postgres --run-ignored only --no-capture`).
#[test]
#[ignore = "a measurement, not a check"]
fn bridge_round_trips() {
    let Some(server) = server() else { return };
    let db = ScratchDatabase::create(&server).expect("a scratch database");
    let store = Store::open_postgres(db.url()).expect("a new store");
    let n = 1000;
    let started = std::time::Instant::now();
    for _ in 0..n {
        store.read(|r| r.last_seq()).expect("read");
    }
    let read = started.elapsed() / n;
    let started = std::time::Instant::now();
    for i in 0..n {
        store
            .write(|tx| {
                tx.emit(
                    i64::from(i),
                    None,
                    None,
                    None,
                    weft_engine::store::EventBody::WorkflowChanged(Default::default()),
                )
            })
            .expect("write");
    }
    let write = started.elapsed() / n;
    // The same read from inside a current-thread runtime, as the executor's tests run it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let inside = runtime.block_on(async {
        let started = std::time::Instant::now();
        for _ in 0..n {
            store.read(|r| r.last_seq()).expect("read");
        }
        started.elapsed() / n
    });
    eprintln!("one-row read {read:?}, one-event write transaction {write:?}, read inside a runtime {inside:?}");
}

/// `weft migrate`: a SQLite store with history, contacts, tokens, operators and breakpoints,
/// made by a real engine, copied into an empty PostgreSQL store — every table verified by count
/// and checksum — then opened there by an engine that sees the same workflows, runs, tasks and
/// contacts, accepts the same token, continues the ids, and runs again; a second copy into the
/// now non-empty store is refused and changes nothing.
#[tokio::test]
async fn a_sqlite_store_moves_up_to_postgres_whole() {
    use serde_json::json;
    use weft_engine::store::migrate::sqlite_to_postgres;
    use weft_engine::store::{RunFilter, RunStatus};
    use weft_engine::{Engine, EngineOptions};
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("weft.db");
    let wf_body = json!({
        "format": 1, "name": "Moved",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "q", "kind": "query", "config": {"filter": {"rules": []}}},
            {"id": "say", "kind": "run_command", "config": {"command": "echo moved"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "say"}, {"from": "say", "to": "finish"}]
    });
    let (wf, token, runs_before, tasks_before) = {
        let mut options = EngineOptions::new(db_path.clone());
        options.poll_interval = std::time::Duration::from_millis(20);
        let engine = Engine::open(options).expect("sqlite engine");
        engine.start().expect("start");
        engine.add_demo_contacts(50).expect("contacts");
        let wf = engine
            .import_workflow(&wf_body.to_string(), false)
            .expect("import")
            .id;
        let mut last = 0;
        for _ in 0..3 {
            let (run, status) = run_now_to_the_end(&engine, &wf).await;
            assert_eq!(status, RunStatus::Completed);
            last = run;
        }
        engine
            .add_operator(
                "ada",
                Some("ada@example.com"),
                &["marketing".into()],
                vec![weft_engine::store::Capability::List],
            )
            .expect("operator");
        let token = engine
            .create_token_for("ada-laptop", false, Some("ada"))
            .expect("token")
            .token;
        engine
            .set_breakpoints(
                &wf,
                vec![weft_engine::debug::Breakpoint::parse("say").expect("bp")],
            )
            .expect("breakpoints");
        let tasks = engine.run_tasks(last).expect("tasks");
        let runs = engine.count_runs(&RunFilter::default()).expect("count");
        engine.shutdown();
        (wf, token, runs, (last, tasks))
    };

    let target = ScratchDatabase::create(&server).expect("a scratch database");
    let copies = sqlite_to_postgres(&db_path, target.url()).expect("the copy");
    assert!(copies.iter().all(|c| c.matches()), "{copies:?}");
    let rows = |t: &str| {
        copies
            .iter()
            .find(|c| c.table == t)
            .map(|c| c.source.rows)
            .unwrap_or(0)
    };
    assert_eq!(rows("runs"), 3);
    assert_eq!(rows("contacts"), 50);
    assert!(
        rows("tasks") >= 12 && rows("record_sets") >= 150 && rows("task_logs") > 0,
        "{copies:?}"
    );
    assert_eq!(
        (
            rows("operators"),
            rows("access_tokens"),
            rows("breakpoints")
        ),
        (1, 1, 1)
    );

    let mut options = EngineOptions::new(dir.path().join("unused.db"));
    options.store_url = Some(target.url().to_string());
    options.poll_interval = std::time::Duration::from_millis(20);
    let engine = Engine::open(options).expect("postgres engine");
    engine.start().expect("start");
    assert_eq!(
        engine.count_runs(&RunFilter::default()).expect("count"),
        runs_before
    );
    let (last, tasks) = tasks_before;
    assert_eq!(
        engine.run_tasks(last).expect("tasks"),
        tasks,
        "the same tasks, field for field"
    );
    assert_eq!(engine.count_contacts().expect("contacts"), 50);
    let info = engine
        .check_token(&token)
        .expect("check")
        .expect("the token still works");
    assert_eq!(info.operator.as_deref(), Some("ada"));
    assert_eq!(engine.breakpoints(&wf).expect("breakpoints").len(), 1);
    let (run, status) = run_now_to_the_end(&engine, &wf).await;
    assert!(
        run > last,
        "ids continue after the copied ones ({run} > {last})"
    );
    assert_eq!(status, RunStatus::Completed);
    engine.shutdown();

    let again = sqlite_to_postgres(&db_path, target.url()).expect_err("a non-empty target");
    assert_eq!(again.code(), "WEFT-S006", "{again}");
}

/// Runs a workflow now and waits for the run to end: its id and how it ended.
async fn run_now_to_the_end(
    engine: &weft_engine::Engine,
    wf: &str,
) -> (i64, weft_engine::store::RunStatus) {
    use weft_engine::command::CommandOutcome;
    let record = engine
        .submit(
            Some(wf),
            weft_engine::Command::RunNow {
                params: serde_json::json!({}),
                simulate: false,
            },
            std::time::Duration::from_secs(10),
        )
        .await
        .expect("run now");
    let Some(CommandOutcome::Applied { run: Some(run), .. }) = record.outcome else {
        panic!("{:?}", record.outcome)
    };
    for _ in 0..400 {
        let r = engine.run(run).expect("run");
        if r.summary.status.is_final() {
            return (run, r.summary.status);
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("run {run} did not end");
}

/// A fresh database's tables get planner statistics as soon as they have grown, not after
/// autovacuum's first naptime: a statement prepared on empty tables would keep its plan until
/// then. Analysed once; after that autovacuum's thresholds take over and nothing is done again.
#[test]
fn grown_tables_without_statistics_are_analysed_once() {
    let Some(server) = server() else { return };
    let db = ScratchDatabase::create(&server).expect("a scratch database");
    let store = Store::open_postgres(db.url()).expect("a new store");
    assert_eq!(
        store.refresh_statistics().expect("refresh"),
        Vec::<String>::new(),
        "nothing has grown yet"
    );
    store
        .write(|tx| {
            for i in 0..1500 {
                tx.emit(
                    i,
                    None,
                    None,
                    None,
                    weft_engine::store::EventBody::WorkflowChanged(Default::default()),
                )?;
            }
            Ok(())
        })
        .expect("write");
    // The server's table statistics are published within about a second of the commit.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let analysed = loop {
        let tables = store.refresh_statistics().expect("refresh");
        if !tables.is_empty() || std::time::Instant::now() > deadline {
            break tables;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(
        analysed.iter().any(|t| t == "events"),
        "the grown table is analysed: {analysed:?}"
    );
    assert!(
        !analysed.iter().any(|t| t == "tasks" || t == "runs"),
        "tables that did not grow are not: {analysed:?}"
    );
    assert_eq!(
        store.refresh_statistics().expect("refresh"),
        Vec::<String>::new(),
        "analysed once"
    );
}
