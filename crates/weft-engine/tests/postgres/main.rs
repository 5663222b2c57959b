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
