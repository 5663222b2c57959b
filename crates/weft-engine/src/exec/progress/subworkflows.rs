//! Sub-workflow calls: a task of one run creates a run of another workflow and waits for it
//! (or not); when the called run ends, the calling task succeeds with its variables or fails.
//! Calls nest at most [`MAX_DEPTH`] deep, which bounds every walk from a run to its callers.

use super::outcomes::FailureReport;
use super::{task_ref, Failure, Progress};
use crate::activities::Outcome;
use crate::model::SubWorkflowConfig;
use crate::store::tasks::{TaskEnd, TaskState};
use crate::store::{Result, RunStatus, TaskStatus, Trigger, WaitReason};
use serde_json::{json, Value};

/// How deep sub-workflow calls may nest.
pub const MAX_DEPTH: usize = 8;

impl Progress<'_, '_> {
    /// Calls a sub-workflow for a task that has just started its attempt: creates the called run
    /// (linked to the task) and waits for it, or continues at once when the call does not wait.
    pub fn call_sub_workflow(
        &mut self,
        task_id: i64,
        config: &SubWorkflowConfig,
        params: Value,
    ) -> Result<()> {
        self.start_call(task_id, config, params)?;
        self.drain()
    }

    fn start_call(
        &mut self,
        task_id: i64,
        config: &SubWorkflowConfig,
        params: Value,
    ) -> Result<()> {
        let task = self.tx.task(task_id)?;
        let run = self.tx.run_head(task.run_id)?;
        let Some(target) = self.tx.find_workflow_id(&config.workflow)? else {
            let m = format!("no workflow {:?} to call", config.workflow);
            return self.record_failure(task_id, FailureReport::message(&m), Failure::Config);
        };
        let mut depth = 0;
        let mut parent = run.parent_task;
        while let Some(t) = parent {
            depth += 1;
            if depth > MAX_DEPTH {
                let m = format!(
                    "sub-workflows are nested more than {MAX_DEPTH} deep (a workflow calling itself?)"
                );
                return self.record_failure(task_id, FailureReport::message(&m), Failure::Config);
            }
            let parent_run = self.tx.task(t)?.run_id;
            parent = self.tx.run_head(parent_run)?.parent_task;
        }
        let child_body = self.tx.latest_body(&target)?.1;
        let params = match crate::params::resolve(&child_body.parameters, &params) {
            Ok(p) => p,
            Err(problems) => {
                let m = format!("parameters of {}: {}", child_body.name, problems.join("; "));
                return self.record_failure(task_id, FailureReport::message(&m), Failure::Config);
            }
        };
        let child = self.new_run(super::RunRequest {
            workflow_id: &target,
            revision: None,
            trigger: Trigger::SubWorkflow,
            trigger_activity: None,
            params,
            simulate: run.simulate,
            restart: None,
            parent_task: Some(task_id),
        })?;
        let Some(child) = child else {
            let m = format!(
                "{} is running and its concurrency policy is skip",
                child_body.name
            );
            return self.record_failure(task_id, FailureReport::message(&m), Failure::Failed);
        };
        let me = task_ref(&task, &run);
        self.tx.append_log(
            me,
            task.attempt,
            "info",
            &format!("called {} as run {child}", child_body.name),
            self.now,
        )?;
        if !config.wait {
            let outcome = Outcome::ok(json!({"run": child, "workflow": target}));
            return self.record_success(task_id, &outcome);
        }
        // The called run's own steps are still pending: when it ends (even at once, an empty
        // workflow), its end answers this task, which waits from now on.
        self.tx.set_task_status(
            me,
            TaskState::because(TaskStatus::Waiting, WaitReason::SubWorkflow),
            &TaskEnd::default(),
            self.now,
        )
    }

    /// When a called run ends, its caller's task succeeds with its variables, or fails.
    pub(super) fn answer_parent(&mut self, run_id: i64, status: RunStatus) -> Result<()> {
        let child = self.tx.run_row(run_id)?;
        let Some(parent_task) = child.parent_task else {
            return Ok(());
        };
        let task = self.tx.task(parent_task)?;
        if task.status != TaskStatus::Waiting || task.wait_reason != Some(WaitReason::SubWorkflow) {
            return Ok(());
        }
        let parent_run = self.tx.run_head(task.run_id)?;
        self.tx.set_task_status(
            task_ref(&task, &parent_run),
            TaskState::of(TaskStatus::Running),
            &TaskEnd::default(),
            self.now,
        )?;
        if status == RunStatus::Completed {
            let outcome = Outcome::ok(
                json!({"run": run_id, "status": status, "vars": child.vars, "params": child.params}),
            );
            self.record_success(parent_task, &outcome)
        } else {
            let message = format!("the called run {run_id} ended {status}");
            let result = json!({"run": run_id, "status": status});
            self.record_failure(
                parent_task,
                FailureReport {
                    message: &message,
                    result: Some(&result),
                    ..FailureReport::default()
                },
                Failure::Failed,
            )
        }
    }
}
