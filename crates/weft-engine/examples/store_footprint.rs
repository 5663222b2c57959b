//! The store's size on disk after many runs with history retention on, and what Purge history
//! gives back: part of `make bench-footprint` (tests/footprint/measure.mjs reads the JSON line
//! this prints last).
//!
//! usage: cargo run --release -p weft-engine --example store_footprint -- [RUNS] [KEEP_RUNS]
//! (defaults 100000 and 1000). Runs a 3-step workflow RUNS times through the real executor, in
//! batches of 1,000 queued side by side, on a fresh store in a temporary folder; samples the
//! store file and its WAL after each batch.

use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use weft_engine::store::{RunFilter, RunStatus};
use weft_engine::{Command, Engine, EngineOptions};

const BATCH: u64 = 1000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let runs: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let keep: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("footprint.db");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let engine = Engine::open(EngineOptions::new(&db))?;
        engine.start()?;
        let body = weft_engine::load::from_value(json!({
            "format": 1,
            "name": "footprint",
            "concurrency": "parallel",
            "history": {"keep_runs": keep},
            "activities": [
                {"id": "start", "kind": "start"},
                {"id": "a", "kind": "set_variables", "config": {"variables": {"run": "{{ run.id }}"}}},
                {"id": "b", "kind": "set_variables", "config": {"variables": {"twice": "{{ run.id * 2 }}"}}},
                {"id": "c", "kind": "set_variables", "config": {"variables": {"done": "yes"}}},
                {"id": "finish", "kind": "finish"}
            ],
            "transitions": [
                {"from": "start", "to": "a"}, {"from": "a", "to": "b"},
                {"from": "b", "to": "c"}, {"from": "c", "to": "finish"}
            ]
        }))?;
        let workflow = engine.create_workflow(&body)?.id;
        let started = Instant::now();
        let (mut max_wal, mut max_db) = (0u64, 0u64);
        let mut done = 0;
        while done < runs {
            let n = BATCH.min(runs - done);
            for _ in 0..n {
                engine.send(
                    Some(&workflow),
                    Command::RunNow {
                        params: json!({}),
                        simulate: false,
                    },
                )?;
            }
            wait_idle(&engine).await?;
            done += n;
            max_wal = max_wal.max(size(&wal_of(&db)));
            max_db = max_db.max(size(&db));
            if done % 10_000 == 0 {
                eprintln!(
                    "{done} runs in {:.0} s: store {:.1} MB, WAL {:.1} MB",
                    started.elapsed().as_secs_f64(),
                    mb(size(&db)),
                    mb(size(&wal_of(&db)))
                );
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        let kept = engine.count_runs(&RunFilter::default())?;
        let (db_before, wal_before) = (size(&db), size(&wal_of(&db)));
        let purge = engine.send(Some(&workflow), Command::PurgeHistory)?;
        engine.wait_command(purge, Duration::from_secs(120)).await?;
        let (db_after, wal_after) = (size(&db), size(&wal_of(&db)));
        engine.shutdown();
        println!(
            "{}",
            json!({
                "runs": runs, "keep_runs": keep, "kept": kept, "seconds": elapsed,
                "db_bytes": db_before, "wal_bytes": wal_before,
                "max_db_bytes": max_db, "max_wal_bytes": max_wal,
                "after_purge_db_bytes": db_after, "after_purge_wal_bytes": wal_after,
            })
        );
        Ok(())
    })
}

/// Waits until no run of the store is pending or running.
async fn wait_idle(engine: &Engine) -> Result<(), Box<dyn std::error::Error>> {
    let busy = RunFilter {
        statuses: vec![RunStatus::Pending, RunStatus::Running],
        ..Default::default()
    };
    let failed = RunFilter {
        statuses: vec![RunStatus::Failed, RunStatus::Error, RunStatus::Cancelled],
        ..Default::default()
    };
    loop {
        if engine.count_runs(&failed)? > 0 {
            return Err("a run did not complete".into());
        }
        if engine.count_runs(&busy)? == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn wal_of(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
