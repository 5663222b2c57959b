//! `weft run`: import the file, queue a manual run, execute it here when no other process owns
//! the store (else let the owner execute it), and print its progress until it ends.

use anyhow::{bail, Result};
use serde_json::{Map, Value};
use std::path::Path;
use std::time::Duration;
use weft_engine::command::CommandOutcome;
use weft_engine::store::{Event, EventBody, RunStatus, TaskStatus, WaitReason};
use weft_engine::{exec, Command, Engine};

/// A debug run asked for on the command line: the breakpoints to set first (none: keep the
/// workflow's stored ones).
pub struct Debug {
    pub breaks: Vec<weft_engine::debug::Breakpoint>,
}

pub async fn run_file(
    engine: &Engine,
    file: &Path,
    params: Vec<(String, String)>,
    simulate: bool,
    debug: Option<Debug>,
    timeout: Option<Duration>,
    json_out: bool,
) -> Result<i32> {
    let text = weft_engine::load::read_text(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let body = weft_engine::load::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let problems: Vec<_> = weft_engine::validate::validate(&body)
        .into_iter()
        .filter(|d| d.severity == weft_engine::validate::Severity::Error)
        .collect();
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{}: {p}", file.display());
        }
        bail!(
            "{} does not validate ({} problem(s))",
            file.display(),
            problems.len()
        );
    }
    let summary = engine.import_workflow(&text, true)?;
    let mut executor = match engine.start() {
        Ok(handle) => Some(handle),
        Err(exec::Error::NotOwner(owner)) => {
            eprintln!("note: {owner} executes this store; the run is queued there");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let mut map = Map::new();
    for (k, v) in params {
        map.insert(k, Value::String(v));
    }
    let mut last_seq = engine.last_event_seq()?;
    let params = Value::Object(map);
    let request = match debug {
        Some(debug) => {
            if !debug.breaks.is_empty() {
                engine.set_breakpoints(&summary.id, debug.breaks)?;
            }
            let set = engine.breakpoints(&summary.id)?;
            if !json_out {
                let list: Vec<String> = set.iter().map(|b| b.to_string()).collect();
                println!(
                    "debug run; breakpoints: {}",
                    if list.is_empty() {
                        "none".to_string()
                    } else {
                        list.join(", ")
                    }
                );
            }
            Command::DebugRun { params, simulate }
        }
        None => Command::RunNow { params, simulate },
    };
    let command = engine.send(Some(&summary.id), request)?;
    // Wait for the run to be made; take the store over should its owner go away meanwhile.
    let queued_at = tokio::time::Instant::now();
    let record = loop {
        match engine
            .wait_command(command, Duration::from_millis(250))
            .await
        {
            Ok(record) => break record,
            Err(exec::Error::NotAppliedYet { .. }) => {
                take_over(engine, &mut executor)?;
                if queued_at.elapsed() > Duration::from_secs(30) {
                    hand_over(engine, executor).await;
                    bail!("the run was not created within 30 s: is the store's owner stuck?");
                }
            }
            Err(e) => return Err(e.into()),
        }
    };
    let run_id = match &record.outcome {
        Some(CommandOutcome::Applied { run: Some(run), .. }) => *run,
        other => {
            let said = other.as_ref().map(|o| o.to_string()).unwrap_or_default();
            eprintln!("the run was not created: {said}");
            hand_over(engine, executor).await;
            return Ok(4);
        }
    };
    if !json_out {
        println!("run {run_id} of {} ({}) started", summary.name, summary.id);
    }
    let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
    let mut next_owner_check = tokio::time::Instant::now();
    let status = loop {
        for event in engine.events_after(last_seq, 500)? {
            last_seq = event.seq;
            if event.run_id == Some(run_id) {
                print_event(engine, &event, json_out);
            }
        }
        let run = engine.run_summary(run_id)?;
        if run.status.is_final() {
            // Drain the last events of the run.
            for event in engine.events_after(last_seq, 500)? {
                if event.run_id == Some(run_id) {
                    print_event(engine, &event, json_out);
                }
            }
            break run.status;
        }
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            eprintln!(
                "run {run_id} still {} after the timeout; it goes on (weft show {run_id})",
                run.status
            );
            break run.status;
        }
        if tokio::time::Instant::now() >= next_owner_check {
            next_owner_check = tokio::time::Instant::now() + Duration::from_millis(250);
            take_over(engine, &mut executor)?;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    hand_over(engine, executor).await;
    let detail = engine.run(run_id)?;
    if json_out {
        let tasks = engine.run_tasks(run_id)?;
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"run": detail, "tasks": tasks}))?
        );
    } else {
        let duration = match (detail.summary.started_at, detail.summary.ended_at) {
            (Some(s), Some(e)) => format!(" in {}", crate::output::human_ms(e - s)),
            _ => String::new(),
        };
        println!(
            "run {run_id}: {}{duration}{}",
            detail.summary.status,
            detail.error.map(|e| format!(" — {e}")).unwrap_or_default()
        );
    }
    Ok(match status {
        RunStatus::Completed => 0,
        RunStatus::Rejected => 2,
        RunStatus::Running | RunStatus::Pending | RunStatus::WaitingForApproval => 3,
        _ => 1,
    })
}

/// Executes the store when its owner has gone (exited or died), so that no run another
/// process queued is left without an owner.
fn take_over(engine: &Engine, executor: &mut Option<tokio::task::JoinHandle<()>>) -> Result<()> {
    if executor.as_ref().is_some_and(|h| h.is_finished()) {
        *executor = None; // another process took the store over
    }
    if executor.is_none() {
        if let Some(handle) = engine.take_over_if_abandoned()? {
            eprintln!("note: the store's owner is gone; this process executes it now");
            *executor = Some(handle);
        }
    }
    Ok(())
}

/// Leaves the store to the next owner: nothing new is started, what runs (possibly another
/// process's runs) finishes, then ownership is given up.
async fn hand_over(engine: &Engine, executor: Option<tokio::task::JoinHandle<()>>) {
    if let Some(handle) = executor {
        engine.hand_over();
        let _ = handle.await;
    }
}

fn print_event(engine: &Engine, event: &Event, json_out: bool) {
    if json_out {
        return;
    }
    match &event.body {
        EventBody::TaskChanged(change) => {
            let extra = match (change.status, change.reason) {
                (TaskStatus::Waiting, Some(WaitReason::Breakpoint)) => {
                    let (run, task) = (
                        event.run_id.unwrap_or_default(),
                        event.task_id.unwrap_or_default(),
                    );
                    format!(
                        " (breakpoint) — weft debug continue {run} --task {task} (or step, skip, stop)"
                    )
                }
                (TaskStatus::Waiting, Some(WaitReason::Approval)) => format!(
                    " — approve with: weft approve {}",
                    event.task_id.unwrap_or_default()
                ),
                (TaskStatus::Waiting | TaskStatus::Skipped, Some(r)) => format!(" ({r})"),
                (TaskStatus::Ready, Some(WaitReason::Retry)) => " (retry scheduled)".to_string(),
                (TaskStatus::Running, _) => {
                    format!(" (attempt {})", change.attempt.unwrap_or(1))
                }
                (TaskStatus::Failed, _) => {
                    format!(" — {}", change.error.as_deref().unwrap_or(""))
                }
                _ => String::new(),
            };
            let retry = change.reason == Some(WaitReason::Retry);
            if change.status != TaskStatus::Ready || retry {
                println!(
                    "  {:<10} {}{extra}",
                    change.status.to_string(),
                    change.activity
                );
            }
        }
        EventBody::EdgeTaken {
            from,
            to,
            records: Some(n),
            ..
        } => println!("  {:<10} {from} → {to}: {n} - Ok", "edge"),
        EventBody::RunStatus {
            status: RunStatus::WaitingForApproval,
            ..
        } => {
            if let Ok(list) = engine.open_approvals(None) {
                for a in list.iter().filter(|a| Some(a.run_id) == event.run_id) {
                    println!(
                        "  approval  task {} waits: {} (weft approve {} / weft reject {})",
                        a.task_id, a.message, a.task_id, a.task_id
                    );
                }
            }
        }
        _ => {}
    }
}
