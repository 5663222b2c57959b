//! The SQLite file itself: migrations from every earlier schema, newer schemas refused and left
//! untouched, files that are not databases, and the renaming of duplicate names on migration.

use crate::store::{self, Store};
use crate::WorkflowFile;

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn a_new_file_is_migrated_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let _store = Store::open(&path).unwrap();
    let conn = rusqlite_conn(&path);
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, store::latest_schema());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn every_earlier_schema_version_migrates() {
    let dir = tempfile::tempdir().unwrap();
    for version in 0..store::latest_schema() {
        let path = dir.path().join(format!("v{version}.db"));
        {
            let conn = rusqlite_conn(&path);
            for sql in &store::MIGRATIONS[..version as usize] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        let _store = Store::open(&path).unwrap();
        let now: u32 = rusqlite_conn(&path)
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(now, store::latest_schema());
    }
}

#[test]
fn duplicate_workflow_names_of_an_older_store_are_renamed_when_it_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dups.db");
    // The schema just before names became unique, wherever that migration sits.
    let unique = store::MIGRATIONS
        .iter()
        .position(|m| m.contains("CREATE UNIQUE INDEX workflows_by_name"))
        .unwrap();
    {
        let conn = rusqlite_conn(&path);
        for sql in &store::MIGRATIONS[..unique] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", unique as u32)
            .unwrap();
        let rows = [
            ("w1", "A", 1),
            ("w2", "A", 2),
            ("w3", "A (2)", 3),
            ("w4", "A", 4),
            ("w5", "B", 5),
            ("w6", "B", 6),
        ];
        for (id, name, at) in rows {
            conn.execute(
                "INSERT INTO workflows (id, name, revision, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)",
                rusqlite::params![id, name, at],
            )
            .unwrap();
            let body = if id == "w6" {
                "not json".to_string()
            } else {
                WorkflowFile::new_blank(name).to_pretty_json()
            };
            conn.execute(
                "INSERT INTO revisions (workflow_id, revision, body, created_at) VALUES (?1, 1, ?2, ?3)",
                rusqlite::params![id, body, at],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    let named: Vec<(String, String, i64)> = {
        let conn = rusqlite_conn(&path);
        let mut stmt = conn
            .prepare("SELECT id, name, revision FROM workflows ORDER BY id")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let expected = [
        ("w1", "A", 1),
        ("w2", "A (3)", 2),
        ("w3", "A (2)", 1),
        ("w4", "A (4)", 2),
        ("w5", "B", 1),
        ("w6", "B (2)", 2),
    ];
    assert_eq!(
        named,
        expected
            .iter()
            .map(|(i, n, r)| (i.to_string(), n.to_string(), *r))
            .collect::<Vec<_>>()
    );
    // The renamed workflow's latest revision carries its new name; the old one is kept.
    let body = store.read(|c| c.revision_body("w2", 2)).unwrap();
    assert_eq!(body.name, "A (3)");
    let old = store.read(|c| c.revision_body("w2", 1)).unwrap();
    assert_eq!(old.name, "A");
    let unreadable: String = rusqlite_conn(&path)
        .query_row(
            "SELECT body FROM revisions WHERE workflow_id = 'w6' AND revision = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unreadable, "not json");
    // From now on the store itself refuses a second "A".
    let refused = store.write(|tx| tx.insert_workflow("w7", &WorkflowFile::new_blank("A"), 7));
    assert!(refused.unwrap_err().is_name_conflict());
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    rusqlite_conn(&path)
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(err.to_string().contains("WEFT-S002"), "{err}");
    let version: u32 = rusqlite_conn(&path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999);
}

#[test]
fn a_file_that_is_not_a_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        "this is not sqlite, just text that is long enough to be read as a header....",
    )
    .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        err.to_string().contains("not a database") || err.to_string().contains("WEFT-S"),
        "{err}"
    );
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("this is not sqlite"));
}
