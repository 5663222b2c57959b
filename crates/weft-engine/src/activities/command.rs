//! Run command: `/bin/sh -c` in its own process group, output captured and bounded; cancel kills
//! the whole group, and every process marked as the attempt's (see [`super::process_tree`]), so
//! that no descendant outlives a Stop — not even one that left the group.

use super::process_tree;
use super::{ActivityContext, ActivityError, Outcome};
use crate::expr::{self, Site};
use crate::model::RunCommandConfig;
use crate::store::tasks::bound_output;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use serde_json::json;
use std::process::Stdio;
use tokio::io::AsyncReadExt;

pub(super) async fn run(
    id: &str,
    config: &RunCommandConfig,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let command = expr::render(
        Site {
            activity: id,
            field: "command",
        },
        &config.command,
        &ctx.data,
    )?;
    let mut process = tokio::process::Command::new("/bin/sh");
    process
        .arg("-c")
        .arg(&command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    process.process_group(0).kill_on_drop(true);
    process
        .env("WEFT_RUN_ID", ctx.run_id.to_string())
        .env("WEFT_TASK_ID", ctx.task_id.to_string());
    process.env("WEFT_IDEMPOTENCY_KEY", &ctx.idempotency_key);
    // Inherited by every descendant, whatever group or session it moves to.
    let marker =
        process_tree::attempt_marker(&ctx.store.path(), ctx.run_id, ctx.task_id, ctx.attempt);
    process.env(process_tree::MARKER_VAR, &marker);
    // Orphans of the command are re-parented to this process, which reaps them.
    process_tree::become_subreaper();
    if let Some(cwd) = &config.cwd {
        process.current_dir(expr::render(
            Site {
                activity: id,
                field: "cwd",
            },
            cwd,
            &ctx.data,
        )?);
    }
    for (key, value) in &config.env {
        process.env(
            key,
            expr::render(
                Site {
                    activity: id,
                    field: "env",
                },
                value,
                &ctx.data,
            )?,
        );
    }
    let mut child = process
        .spawn()
        .map_err(|e| ActivityError::failed(format!("cannot start /bin/sh: {e}")))?;
    let pid = child.id();
    if let Some(pid) = pid {
        process_tree::spawned(pid);
    }
    // Whatever ends this attempt — completion, cancel, or the future being dropped — no
    // process of the group, nor any marked as the attempt's, outlives it.
    let _tree = TreeGuard {
        pid,
        marker: marker.clone(),
    };
    if let Some(pid) = pid {
        let _ = ctx.pids.send(super::PidReport {
            task_id: ctx.task_id,
            attempt: ctx.attempt,
            pid,
        });
    }
    ctx.log(
        "info",
        format!("started pid {} : {command}", pid.unwrap_or_default()),
    );
    let mut stdout_pipe = child.stdout.take();
    let mut stderr_pipe = child.stderr.take();
    let read_out = async move {
        let mut buf = Vec::new();
        if let Some(p) = stdout_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf).await;
        }
        buf
    };
    let read_err = async move {
        let mut buf = Vec::new();
        if let Some(p) = stderr_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf).await;
        }
        buf
    };
    let work = async { tokio::join!(child.wait(), read_out, read_err) };
    tokio::select! {
        (status, out, err) = work => {
            let stdout = bound_output(&String::from_utf8_lossy(&out));
            let stderr = bound_output(&String::from_utf8_lossy(&err));
            let status = status.map_err(|e| ActivityError::failed(format!("waiting for the command failed: {e}")))?;
            let code = status.code();
            let result = json!({"command": command, "exitCode": code});
            if code == Some(0) || code.is_some_and(|c| config.ok_exit_codes.contains(&c)) {
                Ok(Outcome { result, stdout, stderr, ..Outcome::ok(serde_json::Value::Null) })
            } else {
                let message = match code {
                    Some(c) => format!("command exited with code {c}"),
                    None => "command was killed by a signal".to_string(),
                };
                Err(ActivityError::Failed { message, result, stdout, stderr })
            }
        }
        () = ctx.cancel.cancelled() => {
            if let Some(pid) = pid {
                // The child leads its own group (process_group(0)), so this reaches grandchildren.
                let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
                let count = process_tree::kill_tree(Some(pid), &marker);
                ctx.log("warn", format!("cancelled: killed process group {pid} and {count} process(es) of the attempt"));
            }
            Err(ActivityError::Cancelled { stdout: String::new(), stderr: String::new() })
        }
    }
}

/// Kills a command's process group, and every process of its attempt, when dropped.
struct TreeGuard {
    pid: Option<u32>,
    marker: String,
}

impl Drop for TreeGuard {
    fn drop(&mut self) {
        // Marked processes first, while they are alive and their marker readable (so that they
        // are known here and reaped); then what is left of the group (a cleared environment).
        process_tree::kill_tree(self.pid, &self.marker);
        if let Some(pid) = self.pid {
            let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
            process_tree::forget(pid);
        }
    }
}
