//! Debug runs: pausing a branch at a breakpoint that holds, and Continue, Step, Skip and Stop.
//!
//! A pause is a task in Waiting with the reason `breakpoint`, written in the transaction that
//! reached the breakpoint — so it survives a kill of the engine like any other wait (recovery
//! leaves waiting tasks alone). Paused before: the task has not run; Continue makes it Ready.
//! Paused after (or on a transition): the attempt's result is recorded and the transitions it
//! takes are kept in the run's [`DebugState`]; Continue takes them. Other branches go on.

use super::{task_ref, Progress, Step};
use crate::activities::Outcome;
use crate::command::{CommandOutcome, Refusal};
use crate::debug::{BreakKind, Breakpoint, DebugAction, DebugState, HeldLeave};
use crate::exec::plan::Plan;
use crate::store::runs::RunHead;
use crate::store::tasks::{TaskEnd, TaskState};
use crate::store::{Result, TaskRecord, TaskStatus, WaitReason};
use serde_json::{json, Map, Value};

impl Progress<'_, '_> {
    /// Whether a debug run pauses before activating `index`: a Step from an activity whose
    /// transition into it was taken, or a `before` breakpoint that holds. Returns why.
    pub(super) fn break_before(
        &mut self,
        run: &RunHead,
        plan: &Plan,
        index: usize,
    ) -> Result<Option<String>> {
        let Some(mut state) = self.tx.debug_state(run.id)? else {
            return Ok(None);
        };
        let id = &plan.at(index).id;
        // Activated again (a loop): a Step from it is over; the new Step would add it back.
        if let Some(pos) = state.step_from.iter().position(|a| a == id) {
            state.step_from.remove(pos);
            self.tx.set_debug_state(run.id, &state)?;
        }
        if !state.step_from.is_empty() {
            let edges = self.tx.incoming_edges(run.id, id)?;
            let stepped = edges
                .iter()
                .find(|(from, _, n, _)| *n > 0 && state.step_from.contains(from));
            if let Some((from, ..)) = stepped {
                return Ok(Some(format!("paused before {id}: stepped from {from}")));
            }
        }
        let breakpoints = self.tx.breakpoints(&run.workflow_id)?;
        for b in breakpoints
            .iter()
            .filter(|b| b.kind == BreakKind::Before && &b.activity == id)
        {
            if let Some(why) = self.holds(run, b, None)? {
                return Ok(Some(why));
            }
        }
        Ok(None)
    }

    /// Whether a debug run pauses after the task of `index` succeeded, leaving by `taken`: an
    /// `after` breakpoint, or a breakpoint on a transition it takes, that holds. Returns why.
    pub(super) fn break_after(
        &mut self,
        run: &RunHead,
        task: &TaskRecord,
        outcome: &Outcome,
        taken: &[(String, Option<i64>)],
    ) -> Result<Option<String>> {
        if self.tx.debug_state(run.id)?.is_none() {
            return Ok(None);
        }
        let breakpoints = self.tx.breakpoints(&run.workflow_id)?;
        for b in breakpoints
            .iter()
            .filter(|b| b.activity == task.activity_id)
        {
            let applies = match b.kind {
                BreakKind::Before => false,
                BreakKind::After => true,
                BreakKind::Transition => taken.iter().any(|(p, _)| p == b.watched_port()),
            };
            if !applies {
                continue;
            }
            if let Some(why) = self.holds(run, b, Some((task, outcome)))? {
                return Ok(Some(why));
            }
        }
        Ok(None)
    }

    /// Whether a breakpoint's condition holds now; `Some(why)` when the run pauses. A condition
    /// that cannot be evaluated (it names a task that has not run) pauses too, saying so: a
    /// debugger that silently ran past would hide the mistake.
    fn holds(
        &mut self,
        run: &RunHead,
        b: &Breakpoint,
        this: Option<(&TaskRecord, &Outcome)>,
    ) -> Result<Option<String>> {
        let Some(condition) = &b.condition else {
            return Ok(Some(format!("paused at breakpoint {b}")));
        };
        let data = self.condition_data(run, condition, this)?;
        let site = crate::expr::Site {
            activity: &b.activity,
            field: "breakpoint",
        };
        Ok(match crate::expr::evaluate_bool(site, condition, &data) {
            Ok(true) => Some(format!("paused at breakpoint {b} (the condition holds)")),
            Ok(false) => None,
            Err(e) => Some(format!(
                "paused at breakpoint {b}: its condition could not be evaluated ({})",
                e.message
            )),
        })
    }

    /// `params`, `vars`, `tasks` and `run` for a breakpoint's condition, as activities see them;
    /// `this` is the task that just ended (its own result included).
    fn condition_data(
        &mut self,
        run: &RunHead,
        condition: &str,
        this: Option<(&TaskRecord, &Outcome)>,
    ) -> Result<Value> {
        let row = self.tx.run_row(run.id)?;
        let mut tasks = Map::new();
        let mut put = |id: &str,
                       status: TaskStatus,
                       port: &Option<String>,
                       result: &Value,
                       count: Option<i64>,
                       stdout: &str| {
            tasks.insert(id.to_string(), json!({"result": result, "status": status, "port": port, "recordCount": count, "stdout": stdout}));
        };
        match crate::expr::referenced_tasks(condition) {
            Some(names) => {
                for name in names {
                    if let Some(t) = self.tx.latest_result(run.id, &name)? {
                        put(
                            &t.activity_id,
                            t.status,
                            &t.port,
                            &t.result,
                            t.record_count,
                            &t.stdout,
                        );
                    }
                }
            }
            None => {
                for t in self.tx.tasks_of_run(run.id)? {
                    if matches!(t.status, TaskStatus::Succeeded | TaskStatus::Failed) {
                        put(
                            &t.activity_id,
                            t.status,
                            &t.port,
                            &t.result,
                            t.record_count,
                            &t.stdout,
                        );
                    }
                }
            }
        }
        if let Some((task, outcome)) = this {
            put(
                &task.activity_id,
                TaskStatus::Succeeded,
                &Some(outcome.port.clone()),
                &outcome.result,
                outcome.record_count,
                &outcome.stdout,
            );
        }
        Ok(json!({
            "params": row.params,
            "vars": row.vars,
            "tasks": Value::Object(tasks),
            "run": {"id": run.id, "workflow": run.workflow_id, "trigger": run.trigger, "simulate": run.simulate},
        }))
    }

    /// Holds a task that just succeeded at a breakpoint: it waits with its result recorded, and
    /// the transitions it takes are kept for Continue.
    pub(super) fn hold_after(
        &mut self,
        run: &RunHead,
        task: &TaskRecord,
        end: &TaskEnd<'_>,
        taken: Vec<(String, Option<i64>)>,
        why: &str,
    ) -> Result<()> {
        let me = task_ref(task, run);
        self.tx.set_task_status(
            me,
            TaskState::because(TaskStatus::Waiting, WaitReason::Breakpoint),
            end,
            self.now,
        )?;
        let mut state = self.tx.debug_state(run.id)?.unwrap_or_default();
        state.held.retain(|h| h.task_id != task.id);
        state.held.push(HeldLeave {
            task_id: task.id,
            taken,
        });
        self.tx.set_debug_state(run.id, &state)?;
        self.tx
            .append_log(me, task.attempt, "info", why, self.now)?;
        self.push(Step::RunDone { run: run.id });
        Ok(())
    }

    /// Makes a new run a debug run (before its first activity is activated).
    pub(super) fn make_debug_run(&mut self, run_id: i64) -> Result<()> {
        self.tx.set_debug_state(run_id, &DebugState::default())
    }

    /// Applies Continue, Step, Skip or Stop to a debug run.
    /// A run's head, or the refusal a debugger command gets when the run does not exist.
    fn debug_run_head(
        &mut self,
        run_id: i64,
    ) -> Result<std::result::Result<RunHead, CommandOutcome>> {
        match self.tx.run_head(run_id) {
            Ok(run) => Ok(Ok(run)),
            Err(crate::store::Error::NotFound { .. }) => Ok(Err(CommandOutcome::refused(
                Refusal::NotFound,
                format!("run {run_id} does not exist"),
            ))),
            Err(e) => Err(e),
        }
    }

    /// Replaces the variables of a debug run while one of its tasks is paused at a breakpoint:
    /// what the person changed is what the next activities read. Logged on the paused task.
    pub(super) fn set_debug_variables(
        &mut self,
        run_id: i64,
        vars: &Value,
    ) -> Result<CommandOutcome> {
        let refuse = |code, reason: String| CommandOutcome::refused(code, reason);
        let Some(new_vars) = vars.as_object() else {
            return Ok(refuse(
                Refusal::Invalid,
                "variables must be an object of names and values".to_string(),
            ));
        };
        let run = match self.debug_run_head(run_id)? {
            Ok(run) => run,
            Err(refused) => return Ok(refused),
        };
        if self.tx.debug_state(run_id)?.is_none() {
            return Ok(refuse(
                Refusal::WrongState,
                format!("run {run_id} is not a debug run"),
            ));
        }
        let paused = self.tx.tasks_of_run(run_id)?.into_iter().find(|t| {
            t.status == TaskStatus::Waiting && t.wait_reason == Some(WaitReason::Breakpoint)
        });
        let Some(paused) = paused.filter(|_| !run.status.is_final()) else {
            return Ok(refuse(
                Refusal::WrongState,
                format!("run {run_id} is not paused at a breakpoint: variables change only while it waits"),
            ));
        };
        let before = self.tx.run_row(run_id)?.vars;
        let before = before.as_object().cloned().unwrap_or_default();
        let mut names: Vec<&str> = new_vars
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str())
            .chain(
                before
                    .keys()
                    .filter(|k| !new_vars.contains_key(*k))
                    .map(String::as_str),
            )
            .collect();
        names.sort_unstable();
        names.dedup();
        self.tx.set_run_vars(run_id, vars)?;
        let detail = if names.is_empty() {
            "variables unchanged".to_string()
        } else {
            format!("variables changed in the debugger: {}", names.join(", "))
        };
        let me = task_ref(&paused, &run);
        self.tx
            .append_log(me, paused.attempt, "info", &detail, self.now)?;
        Ok(CommandOutcome::applied_with(detail))
    }

    pub(super) fn apply_debug(
        &mut self,
        run_id: i64,
        task_id: Option<i64>,
        action: DebugAction,
    ) -> Result<CommandOutcome> {
        let refuse = |code, reason: String| CommandOutcome::refused(code, reason);
        let run = match self.debug_run_head(run_id)? {
            Ok(run) => run,
            Err(refused) => return Ok(refused),
        };
        let Some(state) = self.tx.debug_state(run_id)? else {
            return Ok(refuse(
                Refusal::WrongState,
                format!("run {run_id} is not a debug run"),
            ));
        };
        if run.status.is_final() {
            return Ok(refuse(
                Refusal::WrongState,
                format!("run {run_id} has already ended ({})", run.status),
            ));
        }
        if action == DebugAction::Stop {
            self.cancel(run_id, "stopped in the debugger")?;
            self.drain()?;
            return Ok(CommandOutcome::applied_with("run stopped"));
        }
        let paused: Vec<TaskRecord> = self
            .tx
            .tasks_of_run(run_id)?
            .into_iter()
            .filter(|t| {
                t.status == TaskStatus::Waiting && t.wait_reason == Some(WaitReason::Breakpoint)
            })
            .collect();
        let chosen: Vec<TaskRecord> = match task_id {
            Some(id) => match paused.into_iter().find(|t| t.id == id) {
                Some(t) => vec![t],
                None => {
                    return Ok(refuse(
                        Refusal::WrongState,
                        format!("task {id} of run {run_id} is not paused at a breakpoint"),
                    ))
                }
            },
            None if paused.is_empty() => {
                return Ok(refuse(
                    Refusal::WrongState,
                    format!("no task of run {run_id} is paused at a breakpoint"),
                ))
            }
            None if action != DebugAction::Continue && paused.len() > 1 => {
                return Ok(refuse(
                    Refusal::WrongState,
                    format!(
                        "{} tasks of run {run_id} are paused: name the one to {}",
                        paused.len(),
                        if action == DebugAction::Step {
                            "step"
                        } else {
                            "skip"
                        }
                    ),
                ))
            }
            None => paused,
        };
        if action == DebugAction::Skip {
            let task = &chosen[0];
            if state.held.iter().any(|h| h.task_id == task.id) {
                return Ok(refuse(
                    Refusal::WrongState,
                    format!(
                        "{} has already run: Skip applies to a task paused before it runs",
                        task.activity_id
                    ),
                ));
            }
            if !run.simulate {
                return Ok(refuse(
                    Refusal::Unsafe,
                    "Skip is only allowed in a simulation run: in a real run the activities after it would act on a result that was never made".to_string(),
                ));
            }
            let me = task_ref(task, &run);
            self.tx.append_log(
                me,
                task.attempt,
                "info",
                "skipped in the debugger: left by its ok port without running",
                self.now,
            )?;
            let outcome = Outcome::ok(json!({"skippedByDebugger": true}));
            self.succeed(task.id, &outcome)?;
            return Ok(CommandOutcome::applied_with(format!(
                "{} skipped",
                task.activity_id
            )));
        }
        let plan = self.plan_of(&run)?;
        let mut names = Vec::new();
        for task in &chosen {
            // Read again for each task: what the previous one set off may have changed it.
            let mut state = self.tx.debug_state(run_id)?.unwrap_or_default();
            let me = task_ref(task, &run);
            if action == DebugAction::Step && !state.step_from.contains(&task.activity_id) {
                state.step_from.push(task.activity_id.clone());
            }
            let word = if action == DebugAction::Step {
                "stepped"
            } else {
                "continued"
            };
            self.tx.append_log(
                me,
                task.attempt,
                "info",
                &format!("{word} in the debugger"),
                self.now,
            )?;
            names.push(task.activity_id.clone());
            let held = state.held.iter().position(|h| h.task_id == task.id);
            match held {
                Some(pos) => {
                    // Paused after its end: it succeeded; its transitions are taken now.
                    let leave = state.held.remove(pos);
                    self.tx.set_debug_state(run_id, &state)?;
                    let end = TaskEnd {
                        port: task.port.as_deref(),
                        result: Some(&task.result),
                        record_count: task.record_count,
                        stdout: &task.stdout,
                        stderr: &task.stderr,
                        error: None,
                    };
                    self.tx.set_task_status(
                        me,
                        TaskState::of(TaskStatus::Succeeded),
                        &end,
                        self.now,
                    )?;
                    self.push(Step::RunDone { run: run_id });
                    if let Some(index) = plan.index(&task.activity_id) {
                        self.push(Step::Leave {
                            run: run_id,
                            activity: index,
                            taken: leave.taken,
                            next: 0,
                        });
                    }
                }
                None => {
                    // Paused before it ran: it runs now.
                    self.tx.set_debug_state(run_id, &state)?;
                    self.tx.set_task_status(
                        me,
                        TaskState::of(TaskStatus::Ready),
                        &TaskEnd::default(),
                        self.now,
                    )?;
                    if let Some(activity) = plan.activity(&task.activity_id) {
                        self.enter(&run, activity, task.id)?;
                    }
                }
            }
            self.drain()?;
        }
        let word = if action == DebugAction::Step {
            "stepped"
        } else {
            "continued"
        };
        Ok(CommandOutcome::applied_with(format!(
            "{word}: {}",
            names.join(", ")
        )))
    }
}
