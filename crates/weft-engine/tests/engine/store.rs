//! The store through the engine: keyset paging, bounded output, replayable events. (The SQLite
//! file itself — migrations, newer schemas, files that are not databases — is tested in
//! `store/sqlite/tests.rs`; the store contract in `conformance.rs`.)

use crate::support::*;
use serde_json::json;
use weft_engine::store::{RunFilter, RunStatus};

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
