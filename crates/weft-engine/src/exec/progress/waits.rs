//! Tasks that wait: a Wait's time, a task held by Enable but do not execute, and approvals
//! (opened with a rendered message, answered once — the first answer wins).

use super::{task_ref, Progress};
use crate::activities::Outcome;
use crate::model::{Activity, ApprovalConfig, ApprovalOutcome};
use crate::store::runs::RunHead;
use crate::store::tasks::{NewApproval, TaskEnd, TaskRef, TaskState};
use crate::store::{Result, RunStatus, TaskStatus, WaitReason};
use serde_json::json;

impl Progress<'_, '_> {
    /// A Wait's time came, or Execute now was asked for it.
    pub fn finish_wait(&mut self, task_id: i64) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        self.tx.set_task_status(
            task_ref(&task, &run),
            TaskState::of(TaskStatus::Running),
            &TaskEnd::default(),
            self.now,
        )?;
        let outcome = Outcome::ok(json!({ "waitedUntil": self.now }));
        self.succeed(task_id, &outcome)
    }

    /// Releases a task held by Enable but do not execute.
    pub fn release_hold(&mut self, task_id: i64) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let plan = self.plan_of(&run)?;
        let Some(activity) = plan.activity(&task.activity_id) else {
            return Ok(());
        };
        self.tx.set_task_wake(task_id, TaskStatus::Ready, None)?;
        self.enter(&run, activity, task_id)?;
        self.drain()
    }

    /// Opens the approval of a task that has just become ready: the run waits for an answer
    /// (or the deadline's default).
    pub(super) fn open_approval(
        &mut self,
        run: &RunHead,
        activity: &Activity,
        config: &ApprovalConfig,
        task_id: i64,
    ) -> Result<()> {
        let now = self.now;
        let deadline = config
            .deadline
            .map(|d| now.saturating_add(d.as_duration().as_millis() as i64));
        let row = self.tx.run_row(run.id)?;
        let data = json!({"params": row.params, "vars": row.vars, "run": {"id": run.id, "workflow": run.workflow_id}});
        let message = crate::expr::render(
            crate::expr::Site {
                activity: &activity.id,
                field: "message",
            },
            &config.message,
            &data,
        )
        .unwrap_or_else(|e| {
            format!(
                "{} (message could not be rendered: {})",
                config.message, e.message
            )
        });
        let default_outcome = match config.default_outcome {
            ApprovalOutcome::Approve => "approve",
            ApprovalOutcome::Reject => "reject",
        };
        let task = TaskRef {
            id: task_id,
            run: run.as_ref(),
            activity_id: &activity.id,
        };
        self.tx.set_task_status(
            task,
            TaskState::because(TaskStatus::Waiting, WaitReason::Approval).until(deadline),
            &TaskEnd::default(),
            now,
        )?;
        self.followups
            .approvals_waiting
            .push(super::ApprovalOpened {
                workflow_id: run.workflow_id.clone(),
                task_id,
                group: config.group.clone(),
                message: message.clone(),
            });
        self.tx.insert_approval(
            &NewApproval {
                task,
                group: &config.group,
                message: &message,
                deadline,
                default_outcome,
            },
            now,
        )?;
        self.tx
            .set_run_status(run.as_ref(), RunStatus::WaitingForApproval, None, now)
    }

    /// An approval's deadline passed: its default outcome applies (when nobody answered).
    pub fn apply_deadline(&mut self, task_id: i64) -> Result<bool> {
        let Some(approval) = self.tx.approval(task_id)? else {
            return Ok(false);
        };
        if approval.decision.is_some() {
            return Ok(false);
        }
        let approve = self.tx.approval_default(task_id)?.as_deref() == Some("approve");
        self.decide(task_id, approve, Some("deadline passed"), Some("deadline"))
    }

    /// Answers an approval. Returns false when it was already answered (the first answer wins).
    pub fn decide(
        &mut self,
        task_id: i64,
        approve: bool,
        comment: Option<&str>,
        by: Option<&str>,
    ) -> Result<bool> {
        let decision = if approve { "approve" } else { "reject" };
        if !self
            .tx
            .decide_approval(task_id, decision, comment, by, self.now)?
        {
            return Ok(false);
        }
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let me = task_ref(&task, &run);
        let port = if approve { "approved" } else { "rejected" };
        let plan = self.plan_of(&run)?;
        let line = format!(
            "{} by {}{}",
            if approve { "approved" } else { "rejected" },
            by.unwrap_or("an operator"),
            comment.map(|c| format!(": {c}")).unwrap_or_default()
        );
        self.tx
            .append_log(me, task.attempt, "info", &line, self.now)?;
        let outcome = Outcome {
            port: port.into(),
            result: json!({"decision": decision, "comment": comment, "by": by}),
            ..Default::default()
        };
        let rejected_unhandled = !approve
            && !plan
                .index(&task.activity_id)
                .is_some_and(|i| plan.has_exit(i, "rejected"));
        self.tx.set_task_status(
            me,
            TaskState::of(TaskStatus::Running),
            &TaskEnd::default(),
            self.now,
        )?;
        if rejected_unhandled {
            let end = TaskEnd {
                port: Some(port),
                result: Some(&outcome.result),
                ..TaskEnd::default()
            };
            self.tx
                .set_task_status(me, TaskState::of(TaskStatus::Succeeded), &end, self.now)?;
            self.cancel_active_tasks(&run)?;
            self.tx.set_run_status(
                run.as_ref(),
                RunStatus::Rejected,
                comment.or(Some("rejected")),
                self.now,
            )?;
            self.after_run_end(&run.workflow_id, run.id, RunStatus::Rejected)?;
            self.drain()?;
            return Ok(true);
        }
        self.succeed(task_id, &outcome)?;
        Ok(true)
    }
}
