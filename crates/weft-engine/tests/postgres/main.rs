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
