//! The store contract (`weft_engine::store::conformance`) on the SQLite backend: one test per
//! case, each on a fresh database file. A second backend runs the same macro with its own
//! constructor.

use weft_engine::store::Store;

weft_engine::store_conformance!(|| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("conformance.db")).expect("a new store");
    (store, dir)
});
