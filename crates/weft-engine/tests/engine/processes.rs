//! Run command's process tree: descendants that left the command's process group (`setsid`, a
//! double fork) are killed on Stop, cancel, timeout and at the end of the attempt, and reaped;
//! the leftovers of a crashed engine are found by their marker.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use weft_engine::activities::process_tree;
use weft_engine::store::{RunStatus, TaskStatus};
use weft_engine::Command;

/// A command whose children escape its process group: one through `setsid`, one through a
/// double fork; each writes its pid to a file, then `tail` runs.
fn escaping(h: &Harness, tail: &str) -> (String, [String; 2]) {
    let files = [h.path("setsid.pid"), h.path("double.pid")];
    let script = format!(
        "setsid sh -c 'echo $$ > {a}; exec sleep 300' >/dev/null 2>&1 & \
         ( ( sh -c 'echo $$ > {b}; exec sleep 300' >/dev/null 2>&1 & ) & ); {tail}",
        a = files[0],
        b = files[1],
    );
    (script, files)
}

async fn pids(files: &[String; 2]) -> Vec<i32> {
    let mut pids = Vec::new();
    for file in files {
        wait_for(
            || async {
                std::fs::read_to_string(file)
                    .map(|s| s.trim().parse::<i32>().is_ok())
                    .unwrap_or(false)
            },
            &format!("{file} to hold a pid"),
        )
        .await;
        let pid: i32 = std::fs::read_to_string(file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Still alive, and out of the command's process group or re-parented.
        assert!(Path::new(&format!("/proc/{pid}")).exists());
        pids.push(pid);
    }
    pids
}

/// Gone from `/proc` altogether: killed, and reaped (the engine is their subreaper).
async fn all_gone(pids: &[i32]) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    for pid in pids {
        let stat = format!("/proc/{pid}/stat");
        while Path::new(&stat).exists() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "process {pid} is still there: {}",
                std::fs::read_to_string(&stat).unwrap_or_default()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn stop_kills_descendants_that_left_the_process_group() {
    let h = Harness::new().await;
    let (script, files) = escaping(&h, "sleep 300");
    let wf = h.create(chain("Escapes", vec![cmd("long", &script)]));
    h.command(&wf, Command::Start).await;
    let run = wait_for_run(&h, &wf).await;
    let pids = pids(&files).await;
    h.command(&wf, Command::Stop).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Cancelled);
    all_gone(&pids).await;
}

#[tokio::test]
async fn cancelling_a_run_kills_descendants_that_left_the_process_group() {
    let h = Harness::new().await;
    let (script, files) = escaping(&h, "sleep 300");
    let wf = h.create(chain("Escapes", vec![cmd("long", &script)]));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_task(run, "long", TaskStatus::Running).await;
    let pids = pids(&files).await;
    h.command(&wf, Command::CancelRun { run_id: run }).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Cancelled);
    all_gone(&pids).await;
}

#[tokio::test]
async fn a_timeout_kills_descendants_that_left_the_process_group() {
    let h = Harness::new().await;
    let (script, files) = escaping(&h, "sleep 300");
    let mut wf = chain("Escapes", vec![cmd("slow", &script)]);
    wf["activities"][1]["timeout"] = json!("2s");
    let wf = h.create(wf);
    let run = h.run_now(&wf, json!({})).await;
    let pids = pids(&files).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Failed);
    assert!(h.task(run, "slow").error.unwrap().contains("timed out"));
    all_gone(&pids).await;
}

#[tokio::test]
async fn a_command_that_ends_leaves_no_detached_process_behind() {
    let h = Harness::new().await;
    // The script waits for both pid files, so that they exist before it ends.
    let (script, files) = escaping(
        &h,
        &format!(
            "while [ ! -s {} ] || [ ! -s {} ]; do sleep 0.01; done",
            h.path("setsid.pid"),
            h.path("double.pid")
        ),
    );
    let wf = h.create(chain("Daemons", vec![cmd("spawns", &script)]));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let pids: Vec<i32> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap().trim().parse().unwrap())
        .collect();
    all_gone(&pids).await;
}

#[tokio::test]
async fn leftovers_of_a_crashed_engine_are_killed_by_their_store_marker() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, other) = (dir.path().join("ours.db"), dir.path().join("other.db"));
    std::fs::write(&ours, "").unwrap();
    std::fs::write(&other, "").unwrap();
    let spawn = |marker: String| {
        // Detached like a grandchild of a killed engine: its own session, parent gone.
        let mut child = std::process::Command::new("setsid")
            .args(["sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $!"])
            .env(process_tree::MARKER_VAR, marker)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
        child.wait().unwrap();
        out.trim().parse::<i32>().unwrap()
    };
    let leftover = spawn(process_tree::attempt_marker(&ours, 3, 7, 1));
    let elsewhere = spawn(process_tree::attempt_marker(&other, 3, 7, 1));
    assert!(crate::flow::process_alive(leftover) && crate::flow::process_alive(elsewhere));

    let killed = process_tree::kill_marked(&process_tree::store_marker(&ours));
    assert_eq!(killed, 1);
    wait_for(
        || async { !crate::flow::process_alive(leftover) },
        "the leftover to be killed",
    )
    .await;
    assert!(
        crate::flow::process_alive(elsewhere),
        "another store's process is left alone"
    );
    assert_eq!(
        process_tree::kill_marked(&process_tree::store_marker(&other)),
        1
    );
}

async fn wait_for_run(h: &Harness, wf: &str) -> i64 {
    wait_for(
        || async { !h.engine.active_runs(wf).unwrap().is_empty() },
        "a run",
    )
    .await;
    h.engine.active_runs(wf).unwrap()[0].id
}

#[test]
fn kill_marked_with_an_empty_prefix_kills_nothing() {
    assert_eq!(process_tree::kill_marked(""), 0);
}

/// Log lines wait for their attempt's outcome to be written with it (one commit), but not for
/// long: a running command's first line is readable while it still runs.
#[tokio::test]
async fn a_running_commands_log_line_is_written_before_it_ends() {
    let h = Harness::new().await;
    let wf = h.create(chain("Slow", vec![cmd("slow", "sleep 30")]));
    let run = h.run_now(&wf, json!({})).await;
    wait_for(
        || async {
            h.engine
                .run_logs(run, Some("slow"))
                .unwrap()
                .iter()
                .any(|l| l.message.starts_with("started pid"))
        },
        "the command's first log line",
    )
    .await;
    assert_eq!(h.task(run, "slow").status, TaskStatus::Running);
    h.command(&wf, Command::Stop).await;
    h.wait_final(run).await;
}
