//! The end of an attempt: success (leave by a port, merge variables), failure (retry, leave by
//! `error`, or fail the run), interruption by the engine (run again), cancellation.

use super::{task_ref, Failure, Progress, Step};
use crate::activities::Outcome;
use crate::model::OnInterrupt;
use crate::store::tasks::{TaskEnd, TaskState};
use crate::store::{Result, RunStatus, TaskStatus, WaitReason};
use serde_json::{json, Value};

/// How many times the engine may be interrupted while one task runs before the task is failed:
/// beyond this, the step itself is the likely cause of the crashes.
pub const MAX_INTERRUPTIONS: u32 = 10;

/// What a failed attempt leaves behind.
#[derive(Clone, Copy, Debug, Default)]
pub struct FailureReport<'a> {
    /// Why it failed.
    pub message: &'a str,
    /// Partial result.
    pub result: Option<&'a Value>,
    /// Output so far.
    pub stdout: &'a str,
    /// Errors so far.
    pub stderr: &'a str,
}

impl<'a> FailureReport<'a> {
    /// A failure with only a message.
    pub fn message(message: &'a str) -> Self {
        Self {
            message,
            ..Self::default()
        }
    }
}

impl Progress<'_, '_> {
    /// Records a successful attempt and moves on.
    pub fn succeed(&mut self, task_id: i64, outcome: &Outcome) -> Result<()> {
        self.record_success(task_id, outcome)?;
        self.drain()
    }

    pub(super) fn record_success(&mut self, task_id: i64, outcome: &Outcome) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let end = TaskEnd {
            port: Some(&outcome.port),
            result: Some(&outcome.result),
            record_count: outcome.record_count,
            stdout: &outcome.stdout,
            stderr: &outcome.stderr,
            error: None,
        };
        self.tx
            .end_attempt(task_id, task.attempt, "succeeded", &end, self.now)?;
        let me = task_ref(&task, &run);
        if run.status.is_final()
            || task.status != TaskStatus::Running && task.status != TaskStatus::Waiting
        {
            // The run was cancelled meanwhile: keep the result, move nothing.
            return self.tx.set_task_status(
                me,
                TaskState::of(TaskStatus::Cancelled),
                &end,
                self.now,
            );
        }
        self.tx
            .set_task_status(me, TaskState::of(TaskStatus::Succeeded), &end, self.now)?;
        if let Some(vars) = &outcome.vars {
            let mut all = self.tx.run_row(run.id)?.vars;
            if !all.is_object() {
                all = json!({});
            }
            if let Some(map) = all.as_object_mut() {
                map.extend(vars.clone());
            }
            self.tx.set_run_vars(run.id, &all)?;
        }
        let plan = self.plan_of(&run)?;
        if let Some(index) = plan.index(&task.activity_id) {
            let mut taken = vec![(outcome.port.clone(), outcome.record_count)];
            taken.extend(outcome.extra_ports.iter().cloned());
            if let Some(why) = self.break_after(&run, &task, outcome, &taken)? {
                return self.hold_after(&run, &task, &end, taken, &why);
            }
            self.push(Step::RunDone { run: run.id });
            self.push(Step::Leave {
                run: run.id,
                activity: index,
                taken,
                next: 0,
            });
        } else {
            self.push(Step::RunDone { run: run.id });
        }
        Ok(())
    }

    /// Records an attempt that did not succeed: run it again (interrupted), retry, leave by
    /// `error`, or fail the run.
    pub fn fail(
        &mut self,
        task_id: i64,
        report: FailureReport<'_>,
        failure: Failure,
    ) -> Result<()> {
        self.record_failure(task_id, report, failure)?;
        self.drain()
    }

    pub(super) fn record_failure(
        &mut self,
        task_id: i64,
        report: FailureReport<'_>,
        failure: Failure,
    ) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let me = task_ref(&task, &run);
        let message = report.message;
        let end = TaskEnd {
            port: None,
            result: report.result,
            record_count: None,
            stdout: report.stdout,
            stderr: report.stderr,
            error: Some(message),
        };
        let now = self.now;
        self.tx
            .end_attempt(task_id, task.attempt, failure.attempt_status(), &end, now)?;
        if run.status.is_final() {
            return self
                .tx
                .set_task_status(me, TaskState::of(TaskStatus::Cancelled), &end, now);
        }
        let plan = self.plan_of(&run)?;
        let Some(index) = plan.index(&task.activity_id) else {
            return self.fail_run(
                &run,
                &format!("activity {} is not in the workflow", task.activity_id),
            );
        };
        let activity = plan.at(index);
        if failure == Failure::Interrupted
            && activity.on_interrupt == OnInterrupt::Rerun
            && task.interruptions < MAX_INTERRUPTIONS
        {
            let count = self.tx.count_interruption(task_id)?;
            self.tx.set_task_status(
                me,
                TaskState::of(TaskStatus::Ready),
                &TaskEnd::default(),
                now,
            )?;
            self.followups.ready = true;
            return self.tx.append_log(
                me,
                task.attempt,
                "warn",
                &format!(
                    "interrupted: the engine stopped while attempt {} ran; running it again (interruption {count}; at least once, see on_interrupt)",
                    task.attempt
                ),
                now,
            );
        }
        let policy = activity.retry.unwrap_or(plan.retry);
        self.tx.append_log(
            me,
            task.attempt,
            "error",
            &format!("attempt {} failed: {message}", task.attempt),
            now,
        )?;
        // Interruptions the engine re-ran do not count against the step's retries.
        let tried = task.attempt.saturating_sub(task.interruptions);
        if tried < policy.max_attempts && failure == Failure::Failed {
            let delay = policy.delay_before(tried + 1).as_millis() as i64;
            self.tx.set_task_status(
                me,
                TaskState::because(TaskStatus::Ready, WaitReason::Retry).until(Some(now + delay)),
                &end,
                now,
            )?;
            return self.tx.append_log(
                me,
                task.attempt,
                "info",
                &format!(
                    "retrying in {} (attempt {} of {})",
                    humantime::format_duration(std::time::Duration::from_millis(delay as u64)),
                    tried + 1,
                    policy.max_attempts
                ),
                now,
            );
        }
        let handled = failure != Failure::Config && plan.has_exit(index, "error");
        let failed_end = TaskEnd {
            port: handled.then_some("error"),
            ..end
        };
        self.tx
            .set_task_status(me, TaskState::of(TaskStatus::Failed), &failed_end, now)?;
        if handled {
            self.push(Step::RunDone { run: run.id });
            self.push(Step::Leave {
                run: run.id,
                activity: index,
                taken: vec![("error".into(), None)],
                next: 0,
            });
            return Ok(());
        }
        let message = format!("{} failed: {message}", activity.display_name());
        let status = if failure == Failure::Config {
            RunStatus::Error
        } else {
            RunStatus::Failed
        };
        self.end_run_badly(&run, status, &message)
    }

    /// A running task came back cancelled.
    pub fn cancelled(&mut self, task_id: i64, stdout: &str, stderr: &str) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let end = TaskEnd {
            stdout,
            stderr,
            error: Some("cancelled"),
            ..TaskEnd::default()
        };
        self.tx
            .end_attempt(task_id, task.attempt, "cancelled", &end, self.now)?;
        self.tx.set_task_status(
            task_ref(&task, &run),
            TaskState::of(TaskStatus::Cancelled),
            &end,
            self.now,
        )?;
        if !run.status.is_final() {
            self.cancel(run.id, "a task was cancelled")?;
        }
        self.drain()
    }
}
