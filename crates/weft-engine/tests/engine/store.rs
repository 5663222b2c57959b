//! The store itself: migrations, refusing newer schemas, keyset paging, bounded output.

use crate::support::*;
use serde_json::json;
use weft_engine::store::{self, RunFilter, RunStatus, Store};

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
                weft_engine::WorkflowFile::new_blank(name).to_pretty_json()
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
    let refused =
        store.write(|tx| tx.insert_workflow("w7", &weft_engine::WorkflowFile::new_blank("A"), 7));
    assert!(refused.unwrap_err().is_name_conflict());
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
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

#[tokio::test]
async fn runs_are_listed_by_keyset_pages_with_filters() {
    let h = Harness::new().await;
    let ok = h.create(chain("Ok", vec![cmd("x", "true")]));
    let bad = h.create(chain("Bad", vec![cmd("x", "false")]));
    let mut ids = Vec::new();
    for i in 0..7 {
        let wf = if i % 2 == 0 { &ok } else { &bad };
        let run = h.run_now(wf, json!({})).await;
        h.wait_final(run).await;
        ids.push(run);
    }
    let page = |filter: &RunFilter, cursor| h.engine.list_runs(filter, cursor, 3).unwrap();
    let first = page(&RunFilter::default(), None);
    assert_eq!(
        first.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[6], ids[5], ids[4]]
    );
    let second = page(&RunFilter::default(), first.next);
    assert_eq!(second.runs[0].id, ids[3]);
    let third = page(&RunFilter::default(), second.next);
    assert_eq!(third.runs.len(), 1);
    assert_eq!(third.next, None);
    let failed = page(
        &RunFilter {
            statuses: vec![RunStatus::Failed],
            ..Default::default()
        },
        None,
    );
    assert!(failed
        .runs
        .iter()
        .all(|r| r.status == RunStatus::Failed && r.workflow_name == "Bad"));
    let of_ok = page(
        &RunFilter {
            workflow_id: Some(ok.clone()),
            ascending: true,
            ..Default::default()
        },
        None,
    );
    assert_eq!(of_ok.runs[0].id, ids[0]);
}

#[tokio::test]
async fn huge_output_is_bounded_with_a_visible_marker() {
    let h = Harness::new().await;
    let wf = h.create(chain(
        "Loud",
        vec![cmd("loud", "head -c 2000000 /dev/zero | tr '\\0' 'y'")],
    ));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_final(run).await;
    let task = h.task(run, "loud");
    assert!(task.stdout.len() < 300 * 1024);
    assert!(task.stdout.contains("output truncated"));
}

#[tokio::test]
async fn events_are_numbered_and_can_be_replayed() {
    let h = Harness::new().await;
    let mut live = h.engine.subscribe();
    let wf = h.create(chain("Events", vec![cmd("x", "true")]));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_final(run).await;
    let mut seen = Vec::new();
    while let Ok(e) = live.try_recv() {
        seen.push(e.seq);
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "monotonic: {seen:?}");
    let replay = h.engine.events_after(seen[0], 1000).unwrap();
    assert_eq!(replay.first().map(|e| e.seq), seen.get(1).copied());
}
