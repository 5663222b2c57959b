//! Following the event log: a reader that falls behind the live channel, or that misses events
//! committed by another process, still gets every event once, in order.

use std::time::Duration;
use weft_engine::exec::{EventFollower, Followed};
use weft_engine::{Engine, EngineOptions, WorkflowFile};

fn engine(path: &std::path::Path, capacity: usize, poll: Duration) -> Engine {
    let mut options = EngineOptions::new(path);
    options.event_capacity = capacity;
    options.poll_interval = poll;
    Engine::open(options).unwrap()
}

async fn next(follower: &mut EventFollower) -> Followed {
    tokio::time::timeout(Duration::from_secs(5), follower.next())
        .await
        .expect("an event within 5 s")
}

async fn next_seq(follower: &mut EventFollower) -> i64 {
    match next(follower).await {
        Followed::Event(e) => e.seq,
        other => panic!("expected an event, got {other:?}"),
    }
}

#[tokio::test]
async fn a_follower_that_lags_is_told_so_and_catches_up_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("w.db"), 4, Duration::from_secs(30));
    let mut follower = engine.follow_events(None).unwrap();
    let first = follower.last_seq() + 1;
    // Many more events than the live channel holds, while nobody reads.
    for i in 0..50 {
        engine
            .create_workflow(&WorkflowFile::new_blank(&format!("W{i}")))
            .unwrap();
    }
    assert_eq!(next(&mut follower).await, Followed::Lagged { missed: 46 });
    let mut seen = Vec::new();
    for _ in 0..50 {
        seen.push(next_seq(&mut follower).await);
    }
    assert_eq!(seen, (first..first + 50).collect::<Vec<_>>());
    // The live events still queued are not handed out twice; the next new one comes once.
    engine
        .create_workflow(&WorkflowFile::new_blank("After"))
        .unwrap();
    assert_eq!(next_seq(&mut follower).await, first + 50);
    let quiet = tokio::time::timeout(Duration::from_millis(200), follower.next()).await;
    assert!(quiet.is_err(), "nothing more: {quiet:?}");
}

#[tokio::test]
async fn a_follower_gets_events_another_process_committed_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    // A poll interval far longer than the test: the gap before a live event is what triggers
    // the store read.
    let here = engine(&path, 4096, Duration::from_secs(60));
    let other = engine(&path, 4096, Duration::from_secs(60));
    let mut follower = here.follow_events(None).unwrap();
    let start = follower.last_seq();
    other
        .create_workflow(&WorkflowFile::new_blank("Elsewhere"))
        .unwrap();
    here.create_workflow(&WorkflowFile::new_blank("Here"))
        .unwrap();
    assert_eq!(
        next_seq(&mut follower).await,
        start + 1,
        "the other's first"
    );
    assert_eq!(next_seq(&mut follower).await, start + 2);

    // And when nothing happens here, the store is looked at every poll interval.
    let quick = engine(&path, 4096, Duration::from_millis(20));
    let mut follower = quick.follow_events(None).unwrap();
    let start = follower.last_seq();
    other
        .create_workflow(&WorkflowFile::new_blank("Elsewhere again"))
        .unwrap();
    assert_eq!(next_seq(&mut follower).await, start + 1);
}
