//! Activities: what each kind does when its task runs.
//!
//! Everything that touches the world sits behind [`ActivityRunner`], called with a context that
//! carries the cancellation token, the expression data and a stable idempotency key. The executor
//! is pure orchestration over the store; Wait and Approval are states the executor keeps itself.

// An attempt's error carries its partial output by value; it is built once per attempt, so its size
// does not matter.
#![allow(clippy::result_large_err)]

mod command;
pub mod data;
mod email;
mod file;
mod http;
pub mod process_tree;

use crate::expr::{self, Site};
use crate::model::{Activity, ActivityConfig};
use crate::store::Millis;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A log line sent by a running activity.
#[derive(Clone, Debug)]
pub struct LogMessage {
    /// Task.
    pub task_id: i64,
    /// Its run.
    pub run_id: i64,
    /// The run's workflow.
    pub workflow_id: String,
    /// The task's activity.
    pub activity_id: String,
    /// Attempt.
    pub attempt: u32,
    /// `info`, `warn`, `error`.
    pub level: &'static str,
    /// Text.
    pub message: String,
}

/// A process group started by an attempt, reported so that recovery can kill it after a crash.
#[derive(Clone, Copy, Debug)]
pub struct PidReport {
    /// Task.
    pub task_id: i64,
    /// Attempt.
    pub attempt: u32,
    /// Process group id (the leader's pid).
    pub pid: u32,
}

/// Shows desktop notifications; headless engines log them instead.
pub trait Notifier: Send + Sync {
    /// Shows one notification.
    fn notify(&self, title: &str, body: &str);
}

/// The headless notifier: notifications go to the task's log only.
#[derive(Debug, Default)]
pub struct LogOnlyNotifier;

impl Notifier for LogOnlyNotifier {
    fn notify(&self, _title: &str, _body: &str) {}
}

/// What a running activity receives.
#[derive(Clone)]
pub struct ActivityContext {
    /// Workflow.
    pub workflow_id: String,
    /// Run.
    pub run_id: i64,
    /// Task.
    pub task_id: i64,
    /// The task's activity.
    pub activity_id: String,
    /// Attempt, from 1.
    pub attempt: u32,
    /// How many earlier tasks of this activity the run has (loop iterations).
    pub iteration: u32,
    /// Stable across attempts of the task: `weft-RUN-TASK`. Used as `Idempotency-Key` and
    /// outbox file name so that an effect repeated after a crash is recognisable.
    pub idempotency_key: String,
    /// Cancelled by Stop, run cancel or timeout.
    pub cancel: CancellationToken,
    /// Expression data: `params`, `vars`, `tasks`, `run`.
    pub data: Arc<Value>,
    /// Default folder for `.eml` files.
    pub outbox: PathBuf,
    /// Log sink.
    pub logs: mpsc::UnboundedSender<LogMessage>,
    /// Where started process groups are reported.
    pub pids: mpsc::UnboundedSender<PidReport>,
    /// Desktop notifications.
    pub notifier: Arc<dyn Notifier>,
    /// Now, from the engine's clock, when the attempt started.
    pub now: Millis,
    /// The engine's clock, for waits inside an activity (email throttle).
    pub clock: Arc<dyn crate::exec::Clock>,
    /// The store, for data activities over the contacts database.
    pub store: Arc<crate::store::Store>,
    /// Record sets arriving on the taken incoming transitions.
    pub inputs: Vec<data::InputSet>,
}

impl ActivityContext {
    /// Sends a log line (best effort: the executor writes it in its next transaction).
    pub fn log(&self, level: &'static str, message: impl Into<String>) {
        let _ = self.logs.send(LogMessage {
            task_id: self.task_id,
            run_id: self.run_id,
            workflow_id: self.workflow_id.clone(),
            activity_id: self.activity_id.clone(),
            attempt: self.attempt,
            level,
            message: message.into(),
        });
    }
}

/// A successful end: the port to leave by and what to record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Output port.
    pub port: String,
    /// Result JSON.
    pub result: Value,
    /// Records handled (data activities).
    pub record_count: Option<i64>,
    /// Captured output.
    pub stdout: String,
    /// Captured errors.
    pub stderr: String,
    /// Variables to merge into the run's `vars`.
    pub vars: Option<serde_json::Map<String, Value>>,
    /// Further ports left by at the same time, with their record counts (Split).
    pub extra_ports: Vec<(String, Option<i64>)>,
}

impl Outcome {
    /// Leaves by `ok` with a result.
    pub fn ok(result: Value) -> Self {
        Self {
            port: "ok".into(),
            result,
            ..Self::default()
        }
    }
}

/// Why an attempt did not succeed.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum ActivityError {
    /// The attempt failed; retry policy applies.
    #[error("{message}")]
    Failed {
        /// Why.
        message: String,
        /// Partial result.
        result: Value,
        /// Output so far.
        stdout: String,
        /// Errors so far.
        stderr: String,
    },
    /// The configuration cannot work (bad template, undefined name): not retried; the run ends
    /// in Error.
    #[error("{0}")]
    Config(String),
    /// Cancelled (stop, cancel or timeout).
    #[error("cancelled")]
    Cancelled {
        /// Output so far.
        stdout: String,
        /// Errors so far.
        stderr: String,
    },
}

impl ActivityError {
    /// A failure with only a message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            result: Value::Null,
            stdout: String::new(),
            stderr: String::new(),
        }
    }
}

impl From<expr::Error> for ActivityError {
    fn from(e: expr::Error) -> Self {
        Self::Config(e.to_string())
    }
}

/// Runs an activity's attempt. The built-in runner is [`BuiltinActivities`].
#[async_trait::async_trait]
pub trait ActivityRunner: Send + Sync {
    /// Executes one attempt.
    async fn run(
        &self,
        activity: &Activity,
        ctx: ActivityContext,
    ) -> Result<Outcome, ActivityError>;
}

/// The activities that ship with Weft.
#[derive(Debug, Default)]
pub struct BuiltinActivities;

/// What an instant activity needs: the expression data, the loop iteration and the time.
#[derive(Clone, Copy, Debug)]
pub struct InstantInput<'a> {
    /// Expression data (`params`, `vars`, `tasks`, `run`).
    pub data: &'a Value,
    /// How many earlier tasks of this activity the run has (loop iterations).
    pub iteration: u32,
    /// Now, from the engine's clock.
    pub now: Millis,
}

/// Whether starting this activity takes one of the executor's slots: everything but the
/// instant kinds (see [`instant`]) and Sub-workflow (the engine makes the called run and waits,
/// nothing runs meanwhile). Known from the configuration alone, so the executor can pass over a
/// ready task when no slot is free without reading anything else of it.
pub fn takes_slot(config: &ActivityConfig) -> bool {
    !matches!(
        config,
        ActivityConfig::Start(_)
            | ActivityConfig::Finish(_)
            | ActivityConfig::Fork(_)
            | ActivityConfig::Join(_)
            | ActivityConfig::ManualTrigger(_)
            | ActivityConfig::ScheduleTrigger(_)
            | ActivityConfig::WebhookTrigger(_)
            | ActivityConfig::FileTrigger(_)
            | ActivityConfig::Condition(_)
            | ActivityConfig::Loop(_)
            | ActivityConfig::SetVariables(_)
            | ActivityConfig::SubWorkflow(_)
    )
}

/// Runs an activity that touches nothing outside the run — Start, Finish, Fork, Join, the
/// triggers' own step, Condition, Loop, Set variables — and returns its outcome; `None` for
/// every other kind. Pure functions of their input, so the executor records them in the
/// transaction that made them ready instead of starting a task for each.
pub fn instant(
    activity: &Activity,
    input: InstantInput<'_>,
) -> Option<Result<Outcome, ActivityError>> {
    let id = activity.id.as_str();
    let outcome = match &activity.config {
        ActivityConfig::Start(_)
        | ActivityConfig::Finish(_)
        | ActivityConfig::Fork(_)
        | ActivityConfig::Join(_) => Ok(Outcome::ok(Value::Null)),
        ActivityConfig::ManualTrigger(_)
        | ActivityConfig::ScheduleTrigger(_)
        | ActivityConfig::WebhookTrigger(_)
        | ActivityConfig::FileTrigger(_) => Ok(Outcome::ok(
            json!({"trigger": input.data["run"]["trigger"], "firedAt": input.now}),
        )),
        ActivityConfig::Condition(c) => expr::evaluate_bool(
            Site {
                activity: id,
                field: "expression",
            },
            &c.expression,
            input.data,
        )
        .map(|holds| Outcome {
            port: holds.to_string(),
            result: json!({"value": holds}),
            ..Outcome::default()
        })
        .map_err(ActivityError::from),
        ActivityConfig::Loop(c) => {
            let mut data = input.data.clone();
            data["loop"] = json!({"index": input.iteration});
            let holds = if input.iteration < c.max_iterations {
                expr::evaluate_bool(
                    Site {
                        activity: id,
                        field: "expression",
                    },
                    &c.expression,
                    &data,
                )
            } else {
                Ok(false)
            };
            holds
                .map(|holds| Outcome {
                    port: if holds { "again" } else { "done" }.into(),
                    result: json!({"iteration": input.iteration, "again": holds}),
                    ..Outcome::default()
                })
                .map_err(ActivityError::from)
        }
        ActivityConfig::SetVariables(c) => {
            let mut vars = serde_json::Map::new();
            for (name, template) in &c.variables {
                let text = match expr::render(
                    Site {
                        activity: id,
                        field: "variables",
                    },
                    template,
                    input.data,
                ) {
                    Ok(text) => text,
                    Err(e) => return Some(Err(e.into())),
                };
                let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                vars.insert(name.clone(), value);
            }
            Ok(Outcome {
                result: Value::Object(vars.clone()),
                vars: Some(vars),
                ..Outcome::ok(Value::Null)
            })
        }
        _ => return None,
    };
    Some(outcome)
}

#[async_trait::async_trait]
impl ActivityRunner for BuiltinActivities {
    async fn run(
        &self,
        activity: &Activity,
        ctx: ActivityContext,
    ) -> Result<Outcome, ActivityError> {
        let input = InstantInput {
            data: &ctx.data,
            iteration: ctx.iteration,
            now: ctx.now,
        };
        if let Some(outcome) = instant(activity, input) {
            return outcome;
        }
        let id = activity.id.as_str();
        let render = |field: &'static str, text: &str| {
            expr::render(
                Site {
                    activity: id,
                    field,
                },
                text,
                &ctx.data,
            )
        };
        match &activity.config {
            ActivityConfig::Notify(c) => {
                let title = render("title", &c.title)?;
                let body = render("body", &c.body)?;
                ctx.notifier.notify(&title, &body);
                ctx.log("info", format!("notification: {title} — {body}"));
                Ok(Outcome::ok(json!({"title": title, "body": body})))
            }
            ActivityConfig::RunCommand(c) => command::run(id, c, &ctx).await,
            ActivityConfig::HttpRequest(c) => http::run(id, c, &ctx).await,
            ActivityConfig::WriteFile(c) => file::run(id, c, &ctx).await,
            ActivityConfig::SendEmail(c) => email::run(id, c, &ctx).await,
            ActivityConfig::SendEmailEach(c) => email::run_each(id, c, &ctx).await,
            ActivityConfig::RecordTrigger(_)
            | ActivityConfig::Query(_)
            | ActivityConfig::Union(_)
            | ActivityConfig::Intersection(_)
            | ActivityConfig::Exclusion(_)
            | ActivityConfig::Split(_)
            | ActivityConfig::Deduplicate(_)
            | ActivityConfig::UpdateData(_)
            | ActivityConfig::Enrichment(_)
            | ActivityConfig::ImportCsv(_)
            | ActivityConfig::ExportCsv(_) => data::run(activity, &ctx).await,
            ActivityConfig::Wait(_)
            | ActivityConfig::Approval(_)
            | ActivityConfig::SubWorkflow(_) => Err(ActivityError::failed(
                "waits and approvals are kept by the executor, not run",
            )),
            // Answered by `instant` above.
            ActivityConfig::Start(_)
            | ActivityConfig::Finish(_)
            | ActivityConfig::Fork(_)
            | ActivityConfig::Join(_)
            | ActivityConfig::ManualTrigger(_)
            | ActivityConfig::ScheduleTrigger(_)
            | ActivityConfig::WebhookTrigger(_)
            | ActivityConfig::FileTrigger(_)
            | ActivityConfig::Condition(_)
            | ActivityConfig::Loop(_)
            | ActivityConfig::SetVariables(_) => Err(ActivityError::failed(
                "instant activities are answered by activities::instant",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{instant, takes_slot, InstantInput};
    use crate::model::{Activity, ActivityConfig, ActivityKind};
    use serde_json::json;

    /// The executor passes over ready tasks that take a slot when none is free: an instant kind
    /// counted as taking one would wait for nothing, and a slow kind counted as instant would
    /// run without a slot.
    #[test]
    fn the_kinds_that_take_no_slot_are_the_instant_ones_and_sub_workflow() {
        let data =
            json!({"params": {"count": 1}, "vars": {}, "tasks": {}, "run": {"trigger": "manual"}});
        for kind in ActivityKind::ALL {
            let config: ActivityConfig = serde_json::from_value(
                json!({"kind": kind.name(), "config": kind.default_config()}),
            )
            .expect("default configuration");
            let activity = Activity::new("a", config, 0.0, 0.0);
            let input = InstantInput {
                data: &data,
                iteration: 0,
                now: 0,
            };
            let is_instant = instant(&activity, input).is_some();
            let expected = !is_instant && *kind != ActivityKind::SubWorkflow;
            assert_eq!(
                takes_slot(&activity.config),
                expected,
                "{} takes a slot exactly when it is neither instant nor a sub-workflow",
                kind.name()
            );
        }
    }
}
