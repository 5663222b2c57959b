//! Engine commands: what the toolbar, the right-click menu, the Run dialog and the CLI ask for.
//!
//! A command is a row in the store's queue first and is applied by the store's owner in order,
//! exactly once (its `applied_at` commits with its effect). A command that no longer applies is
//! answered with why, never silently dropped.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One request to the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Being edited / Finished / Paused → Started (resumes from Paused).
    Start,
    /// → Paused: nothing new is activated; work in progress finishes.
    Pause,
    /// Cancels work in progress; runs → Cancelled; workflow → Finished.
    Stop,
    /// Stop, then Start once stopped.
    Restart,
    /// Deletes finished runs, tasks and logs of the workflow and reclaims space.
    PurgeHistory,
    /// Start in simulation mode: activities with side effects are skipped.
    StartSimulation,
    /// Every pending task (waits, holds, retries) of the workflow runs now.
    ExecutePending,
    /// Marks the workflow Finished and its runs Cancelled without waiting.
    UnconditionalStop,
    /// A manual run with these parameters.
    RunNow {
        /// Run parameters.
        #[serde(default)]
        #[ts(type = "Record<string, unknown>")]
        params: serde_json::Value,
        /// Run in simulation mode.
        #[serde(default)]
        simulate: bool,
    },
    /// One pending task runs now (right-click Execute pending task(s) now).
    ExecuteTask {
        /// The task.
        #[ts(type = "number")]
        task_id: i64,
    },
    /// A new run reusing the stored results upstream of an activity.
    RestartFromTask {
        /// The earlier run.
        #[ts(type = "number")]
        run_id: i64,
        /// The activity to execute again from.
        activity_id: String,
    },
    /// A new run of a past run's parameters on the workflow's latest revision, reusing the
    /// recorded results of the activities upstream of the first ones an edit changed.
    RerunAfterEdit {
        /// The earlier run.
        #[ts(type = "number")]
        run_id: i64,
    },
    /// Replaces the variables of a debug run paused at a breakpoint (then Continue).
    SetVariables {
        /// The run.
        #[ts(type = "number")]
        run_id: i64,
        /// The variables, as an object.
        #[ts(type = "Record<string, unknown>")]
        vars: serde_json::Value,
    },
    /// Approves a waiting approval.
    Approve {
        /// The approval's task.
        #[ts(type = "number")]
        task_id: i64,
        /// Optional comment.
        #[serde(default)]
        comment: Option<String>,
        /// Who answers.
        #[serde(default)]
        by: Option<String>,
    },
    /// Rejects a waiting approval.
    Reject {
        /// The approval's task.
        #[ts(type = "number")]
        task_id: i64,
        /// Optional comment.
        #[serde(default)]
        comment: Option<String>,
        /// Who answers.
        #[serde(default)]
        by: Option<String>,
    },
    /// A trigger fired (webhook, file, record event): a run through that trigger's branch.
    Fire {
        /// The trigger activity.
        activity_id: String,
        /// What fired.
        trigger: crate::store::Trigger,
        /// Run parameters.
        #[serde(default)]
        #[ts(type = "Record<string, unknown>")]
        params: serde_json::Value,
    },
    /// Cancels one run.
    CancelRun {
        /// The run.
        #[ts(type = "number")]
        run_id: i64,
    },
    /// A manual run in debug mode: it pauses at the workflow's breakpoints.
    DebugRun {
        /// Run parameters.
        #[serde(default)]
        #[ts(type = "Record<string, unknown>")]
        params: serde_json::Value,
        /// Run in simulation mode (where Skip is allowed).
        #[serde(default)]
        simulate: bool,
    },
    /// Continue, Step, Skip or Stop a paused debug run.
    Debug {
        /// The run.
        #[ts(type = "number")]
        run_id: i64,
        /// The paused task; for Continue, every paused task of the run when `None`; for Step
        /// and Skip, the run's only paused task.
        #[serde(default)]
        #[ts(type = "number | null")]
        task_id: Option<i64>,
        /// What to do.
        action: crate::debug::DebugAction,
    },
}

impl Command {
    /// The answer to an approval: Approve when `approve`, else Reject.
    pub fn answer(
        approve: bool,
        task_id: i64,
        comment: Option<String>,
        by: Option<String>,
    ) -> Self {
        if approve {
            Self::Approve {
                task_id,
                comment,
                by,
            }
        } else {
            Self::Reject {
                task_id,
                comment,
                by,
            }
        }
    }

    /// An answer to an approval that names nobody, signed with `by()`; any other command as it
    /// is. (Front doors sign answers with who they know is answering.)
    pub fn signed_if_unsigned(self, by: impl FnOnce() -> Option<String>) -> Self {
        match self {
            Self::Approve {
                task_id,
                comment,
                by: None,
            } => Self::answer(true, task_id, comment, by()),
            Self::Reject {
                task_id,
                comment,
                by: None,
            } => Self::answer(false, task_id, comment, by()),
            other => other,
        }
    }

    /// Short name (`run_now`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Pause => "pause",
            Self::Stop => "stop",
            Self::Restart => "restart",
            Self::PurgeHistory => "purge_history",
            Self::StartSimulation => "start_simulation",
            Self::ExecutePending => "execute_pending",
            Self::UnconditionalStop => "unconditional_stop",
            Self::RunNow { .. } => "run_now",
            Self::ExecuteTask { .. } => "execute_task",
            Self::RestartFromTask { .. } => "restart_from_task",
            Self::RerunAfterEdit { .. } => "rerun_after_edit",
            Self::SetVariables { .. } => "set_variables",
            Self::Approve { .. } => "approve",
            Self::Reject { .. } => "reject",
            Self::Fire { .. } => "fire",
            Self::CancelRun { .. } => "cancel_run",
            Self::DebugRun { .. } => "debug_run",
            Self::Debug { .. } => "debug",
        }
    }
}

/// What became of a command: applied (with the run it made, if any), or refused with a stable
/// code and why. Stored with the command and sent in its `command_applied` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CommandOutcome {
    /// The command took effect.
    Applied {
        /// The run it made (Start, Run now, a trigger firing, Restart from a task).
        #[serde(default)]
        #[ts(type = "number | null")]
        run: Option<i64>,
        /// What it did, in words ("resumed", "3 run(s) purged"); empty when nothing to add.
        #[serde(default)]
        detail: String,
    },
    /// The command does not apply; nothing changed.
    Refused {
        /// Why, as a stable code.
        code: Refusal,
        /// Why, in words.
        reason: String,
    },
}

impl CommandOutcome {
    /// Applied with nothing to add.
    pub fn applied() -> Self {
        Self::Applied {
            run: None,
            detail: String::new(),
        }
    }

    /// Applied, saying what it did.
    pub fn applied_with(detail: impl Into<String>) -> Self {
        Self::Applied {
            run: None,
            detail: detail.into(),
        }
    }

    /// Applied, having made a run.
    pub fn made_run(run: i64) -> Self {
        Self::Applied {
            run: Some(run),
            detail: String::new(),
        }
    }

    /// Refused.
    pub fn refused(code: Refusal, reason: impl Into<String>) -> Self {
        Self::Refused {
            code,
            reason: reason.into(),
        }
    }

    /// Whether it took effect.
    pub fn is_applied(&self) -> bool {
        matches!(self, Self::Applied { .. })
    }

    /// The run it made, if any.
    pub fn run(&self) -> Option<i64> {
        match self {
            Self::Applied { run, .. } => *run,
            Self::Refused { .. } => None,
        }
    }
}

impl std::fmt::Display for CommandOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Applied { run, detail } => {
                f.write_str("applied")?;
                if let Some(run) = run {
                    write!(f, ", made run {run}")?;
                }
                if !detail.is_empty() {
                    write!(f, " ({detail})")?;
                }
                Ok(())
            }
            Self::Refused { code, reason } => write!(f, "refused ({}): {reason}", code.code()),
        }
    }
}

/// Why a command was refused. Serialised as its stable code (`WEFT-R003`), listed in
/// `docs/errors/README.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
pub enum Refusal {
    /// WEFT-R001: the workflow, run or task it names does not exist.
    #[serde(rename = "WEFT-R001")]
    NotFound,
    /// WEFT-R002: it does not apply in the current state (already started, nothing to stop…).
    #[serde(rename = "WEFT-R002")]
    WrongState,
    /// WEFT-R003: a run is in progress and the workflow's concurrency policy is skip.
    #[serde(rename = "WEFT-R003")]
    Concurrency,
    /// WEFT-R004: the workflow does not validate.
    #[serde(rename = "WEFT-R004")]
    Invalid,
    /// WEFT-R005: the parameters do not match the workflow's parameter schema.
    #[serde(rename = "WEFT-R005")]
    BadParameters,
    /// WEFT-R006: the approval was already answered (the first answer wins).
    #[serde(rename = "WEFT-R006")]
    AlreadyAnswered,
    /// WEFT-R007: applying it stopped the engine twice; it is set aside so the store can run.
    #[serde(rename = "WEFT-R007")]
    SetAside,
    /// WEFT-R008: the store could not apply it (the reason gives the store's error).
    #[serde(rename = "WEFT-R008")]
    StoreFailed,
    /// WEFT-R009: Skip outside a simulation run: what follows would act on a result that was
    /// never made.
    #[serde(rename = "WEFT-R009")]
    Unsafe,
}

impl Refusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotFound => "WEFT-R001",
            Self::WrongState => "WEFT-R002",
            Self::Concurrency => "WEFT-R003",
            Self::Invalid => "WEFT-R004",
            Self::BadParameters => "WEFT-R005",
            Self::AlreadyAnswered => "WEFT-R006",
            Self::SetAside => "WEFT-R007",
            Self::StoreFailed => "WEFT-R008",
            Self::Unsafe => "WEFT-R009",
        }
    }
}

/// The toolbar and Actions-menu commands of a workflow, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum LifeCycle {
    /// Start (or resume when paused).
    Start,
    /// Start in simulation mode.
    StartSimulation,
    /// Pause.
    Pause,
    /// Stop.
    Stop,
    /// Stop, then start again.
    Restart,
    /// Finish at once without waiting.
    UnconditionalStop,
    /// Run every pending task now.
    ExecutePending,
    /// Delete finished runs.
    PurgeHistory,
    /// A manual run.
    RunNow,
}

impl LifeCycle {
    /// Every life-cycle command, in toolbar order.
    pub const ALL: [Self; 9] = [
        Self::Start,
        Self::StartSimulation,
        Self::Pause,
        Self::Stop,
        Self::Restart,
        Self::UnconditionalStop,
        Self::ExecutePending,
        Self::PurgeHistory,
        Self::RunNow,
    ];
}

/// What decides whether a life-cycle command applies to a workflow now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Situation {
    /// The workflow's life-cycle state.
    pub state: crate::store::WorkflowState,
    /// How many of its runs have not ended.
    pub active_runs: usize,
    /// Whether its latest revision validates.
    pub valid: bool,
}

/// Whether a life-cycle command applies in a situation, and why not (the refusal the engine
/// answers with when it is sent anyway). The one rule, used by the engine when it applies the
/// command and by every front door to enable or disable its button.
pub fn check(command: LifeCycle, s: &Situation) -> Result<(), (Refusal, String)> {
    use crate::store::WorkflowState as W;
    let wrong = |reason: String| Err((Refusal::WrongState, reason));
    let invalid = || {
        Err((
            Refusal::Invalid,
            "the workflow does not validate".to_string(),
        ))
    };
    let idle = s.active_runs == 0 && matches!(s.state, W::Finished | W::BeingEdited);
    match command {
        LifeCycle::Start | LifeCycle::StartSimulation => match s.state {
            W::Started => wrong("the workflow is already started".into()),
            W::Stopping => wrong("the workflow is stopping; use Restart or wait".into()),
            W::Paused => Ok(()),
            W::BeingEdited | W::Finished if !s.valid => invalid(),
            W::BeingEdited | W::Finished => Ok(()),
        },
        LifeCycle::Pause if s.state != W::Started => wrong(format!(
            "only a started workflow can be paused (it is {})",
            s.state
        )),
        LifeCycle::Pause => Ok(()),
        LifeCycle::Stop | LifeCycle::Restart if s.state == W::Stopping => {
            wrong("a stop is already under way".into())
        }
        LifeCycle::Stop | LifeCycle::UnconditionalStop if idle => {
            wrong(format!("nothing to stop: the workflow is {}", s.state))
        }
        LifeCycle::Stop | LifeCycle::UnconditionalStop => Ok(()),
        LifeCycle::Restart if !s.valid => invalid(),
        LifeCycle::Restart => Ok(()),
        LifeCycle::ExecutePending if s.active_runs == 0 => {
            wrong("no run of this workflow is in progress".into())
        }
        LifeCycle::ExecutePending | LifeCycle::PurgeHistory => Ok(()),
        LifeCycle::RunNow if !s.valid => invalid(),
        LifeCycle::RunNow => Ok(()),
    }
}

/// Whether a command applies now, and why not: what a front door shows as the disabled item's
/// hint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// The command.
    pub command: LifeCycle,
    /// Whether it applies now.
    pub enabled: bool,
    /// Why not, when it does not.
    pub reason: Option<String>,
}

/// Every life-cycle command's availability in a situation, in toolbar order.
pub fn availability(s: &Situation) -> Vec<Availability> {
    LifeCycle::ALL
        .iter()
        .map(|&command| match check(command, s) {
            Ok(()) => Availability {
                command,
                enabled: true,
                reason: None,
            },
            Err((_, reason)) => Availability {
                command,
                enabled: false,
                reason: Some(reason),
            },
        })
        .collect()
}

impl Command {
    /// The life-cycle command this is, if it is one.
    pub fn life_cycle(&self) -> Option<LifeCycle> {
        Some(match self {
            Self::Start => LifeCycle::Start,
            Self::StartSimulation => LifeCycle::StartSimulation,
            Self::Pause => LifeCycle::Pause,
            Self::Stop => LifeCycle::Stop,
            Self::Restart => LifeCycle::Restart,
            Self::UnconditionalStop => LifeCycle::UnconditionalStop,
            Self::ExecutePending => LifeCycle::ExecutePending,
            Self::PurgeHistory => LifeCycle::PurgeHistory,
            Self::RunNow { .. } => LifeCycle::RunNow,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::WorkflowState as W;

    fn at(state: W, active_runs: usize) -> Situation {
        Situation {
            state,
            active_runs,
            valid: true,
        }
    }

    #[test]
    fn the_toolbar_follows_the_life_cycle() {
        assert!(check(LifeCycle::Start, &at(W::BeingEdited, 0)).is_ok());
        assert!(check(LifeCycle::Start, &at(W::Started, 0)).is_err());
        assert!(
            check(LifeCycle::StartSimulation, &at(W::Paused, 1)).is_ok(),
            "resumes"
        );
        assert!(check(LifeCycle::Pause, &at(W::Paused, 1)).is_err());
        assert!(check(LifeCycle::Stop, &at(W::Finished, 0)).is_err());
        assert!(
            check(LifeCycle::Stop, &at(W::Finished, 1)).is_ok(),
            "a run still going"
        );
        assert!(check(LifeCycle::Restart, &at(W::Finished, 0)).is_ok());
        assert!(check(LifeCycle::Restart, &at(W::Stopping, 1)).is_err());
        assert!(check(LifeCycle::ExecutePending, &at(W::Started, 0)).is_err());
        let invalid = Situation {
            valid: false,
            ..at(W::BeingEdited, 0)
        };
        assert_eq!(
            check(LifeCycle::RunNow, &invalid).unwrap_err().0,
            Refusal::Invalid
        );
        let all = availability(&at(W::Started, 1));
        assert_eq!(all.len(), LifeCycle::ALL.len());
        assert!(all
            .iter()
            .any(|a| a.command == LifeCycle::Pause && a.enabled));
    }
}
