//! Walking a run's graph: activating activities (or skipping them), leaving them by their
//! ports, marking the other transitions dead so that joins know when to fire and branches that
//! can no longer be reached are skipped.

use super::{Progress, Step};
use crate::model::{Activity, ActivityKind, ExecutionMode, Role};
use crate::store::runs::RunHead;
use crate::store::tasks::{self, EdgeRef, TaskEnd, TaskState};
use crate::store::{Result, TaskRecord, TaskStatus, WaitReason};

impl Progress<'_, '_> {
    /// Creates the task of an activity: reused from a restarted run, skipped (walking on), held,
    /// waiting, or ready to run.
    pub(super) fn activate(&mut self, run_id: i64, index: usize) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        if run.status.is_final() {
            return Ok(());
        }
        let plan = self.plan_of(&run)?;
        let activity = plan.at(index);
        let now = self.now;
        if let Some(reused) = self.reusable(&run, &plan, index)? {
            self.tx.insert_reused_task(run.as_ref(), &reused, now)?;
            let taken = reused
                .port
                .map(|p| vec![(p, reused.record_count)])
                .unwrap_or_default();
            self.push(Step::Leave {
                run: run_id,
                activity: index,
                taken,
                next: 0,
            });
            return Ok(());
        }
        let skip = if activity.mode == ExecutionMode::Disabled {
            Some(WaitReason::Disabled)
        } else if activity.role() == Role::Trigger && !trigger_applies(&run, activity) {
            Some(WaitReason::OtherTrigger)
        } else if run.simulate && activity.config.has_side_effects() {
            Some(WaitReason::Simulation)
        } else {
            None
        };
        if let Some(reason) = skip {
            self.tx.insert_task(
                run.as_ref(),
                &activity.id,
                TaskState::because(TaskStatus::Skipped, reason),
                now,
            )?;
            self.push(Step::Leave {
                run: run_id,
                activity: index,
                taken: Vec::new(),
                next: 0,
            });
            return Ok(());
        }
        if activity.mode == ExecutionMode::Hold {
            self.tx.insert_task(
                run.as_ref(),
                &activity.id,
                TaskState::because(TaskStatus::Waiting, WaitReason::Hold),
                now,
            )?;
            return Ok(());
        }
        if let Some(why) = self.break_before(&run, &plan, index)? {
            let task_id = self.tx.insert_task(
                run.as_ref(),
                &activity.id,
                TaskState::because(TaskStatus::Waiting, WaitReason::Breakpoint),
                now,
            )?;
            let task = tasks::TaskRef {
                id: task_id,
                run: run.as_ref(),
                activity_id: &activity.id,
            };
            return self.tx.append_log(task, 0, "info", &why, now);
        }
        let task_id = self.tx.insert_task(
            run.as_ref(),
            &activity.id,
            TaskState::of(TaskStatus::Ready),
            now,
        )?;
        self.enter(&run, activity, task_id)
    }

    /// Puts a task that may proceed into its working state: Wait and Approval wait, the rest
    /// are ready to run.
    pub(super) fn enter(&mut self, run: &RunHead, activity: &Activity, task_id: i64) -> Result<()> {
        let task = tasks::TaskRef {
            id: task_id,
            run: run.as_ref(),
            activity_id: &activity.id,
        };
        let now = self.now;
        match &activity.config {
            crate::model::ActivityConfig::Wait(c) => {
                let wake = match (&c.duration, &c.until) {
                    (Some(d), _) => now.saturating_add(d.as_duration().as_millis() as i64),
                    (None, Some(until)) => chrono::DateTime::parse_from_rfc3339(until)
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(now),
                    (None, None) => now,
                };
                self.tx.set_task_status(
                    task,
                    TaskState::because(TaskStatus::Waiting, WaitReason::Wait).until(Some(wake)),
                    &TaskEnd::default(),
                    now,
                )?;
                self.tx.append_log(
                    task,
                    0,
                    "info",
                    &format!("waiting until {}", super::fmt_ms(wake)),
                    now,
                )
            }
            crate::model::ActivityConfig::Approval(c) => {
                self.open_approval(run, activity, c, task_id)
            }
            _ => {
                self.followups.ready = true;
                Ok(())
            }
        }
    }

    /// A stored result of the restarted run, for an activity strictly upstream of the restart point.
    fn reusable(
        &mut self,
        run: &RunHead,
        plan: &super::Plan,
        index: usize,
    ) -> Result<Option<TaskRecord>> {
        let Some(old_run) = run.restart_of else {
            return Ok(None);
        };
        if run.trigger == crate::store::Trigger::RerunAfterEdit {
            let old_revision = self.tx.run_head(old_run)?.revision;
            let old_plan = self.plan(&run.workflow_id, old_revision)?;
            if !plan
                .reuse_after_edit(old_revision, &old_plan)
                .reusable
                .contains(&index)
            {
                return Ok(None);
            }
            return self.tx.latest_success(old_run, &plan.at(index).id);
        }
        let Some(from) = run.restart_from.as_deref() else {
            return Ok(None);
        };
        let Some(from) = plan.index(from) else {
            return Ok(None);
        };
        if index == from || !plan.is_upstream(index, from) {
            return Ok(None);
        }
        self.tx.latest_success(old_run, &plan.at(index).id)
    }

    /// Marks the transitions leaving an activity, from the `next`th on: taken when their port
    /// is among `taken` (activating their target), dead otherwise.
    pub(super) fn leave(
        &mut self,
        run_id: i64,
        index: usize,
        taken: Vec<(String, Option<i64>)>,
        next: usize,
    ) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        let plan = self.plan_of(&run)?;
        let Some(t) = plan.outgoing_nth(index, next) else {
            return Ok(());
        };
        let activity = plan.at(index);
        let looping_again =
            activity.kind() == ActivityKind::Loop && taken.iter().any(|(p, _)| p == "again");
        let port_taken = taken.iter().find(|(p, _)| *p == t.port).map(|(_, n)| *n);
        let edge = EdgeRef {
            from: &t.from,
            port: &t.port,
            to: &t.to,
        };
        let target = plan.index(&t.to);
        let mut then = None;
        if let Some(records) = port_taken {
            self.tx
                .mark_edge(run.as_ref(), edge, Some(records), self.now)?;
            then = target.map(|target| {
                if plan.at(target).kind().waits_for_all_inputs() {
                    Step::CheckJoin {
                        run: run_id,
                        target,
                    }
                } else {
                    Step::Activate {
                        run: run_id,
                        activity: target,
                    }
                }
            });
        } else if !looping_again {
            self.tx.mark_edge(run.as_ref(), edge, None, self.now)?;
            then = target.map(|target| Step::EdgeDead {
                run: run_id,
                target,
            });
        }
        self.push(Step::Leave {
            run: run_id,
            activity: index,
            taken,
            next: next + 1,
        });
        if let Some(step) = then {
            self.push(step);
        }
        Ok(())
    }

    /// Whether every transition into `target` is resolved, and whether any was taken.
    fn incoming_state(&mut self, run: &RunHead, target: usize) -> Result<(bool, bool)> {
        let plan = self.plan_of(run)?;
        let recorded = self.tx.incoming_edges(run.id, &plan.at(target).id)?;
        let resolved = recorded.len() >= plan.incoming_count(target);
        let any_taken = recorded.iter().any(|(_, _, taken, _)| *taken > 0);
        Ok((resolved, any_taken))
    }

    pub(super) fn edge_dead(&mut self, run_id: i64, target: usize) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        let (resolved, any_taken) = self.incoming_state(&run, target)?;
        if !resolved {
            return Ok(());
        }
        let plan = self.plan_of(&run)?;
        if plan.at(target).kind().waits_for_all_inputs() && any_taken {
            self.push(Step::CheckJoin {
                run: run_id,
                target,
            });
            return Ok(());
        }
        if !any_taken {
            self.tx.insert_task(
                run.as_ref(),
                &plan.at(target).id,
                TaskState::because(TaskStatus::Skipped, WaitReason::NotTaken),
                self.now,
            )?;
            self.push(Step::Leave {
                run: run_id,
                activity: target,
                taken: Vec::new(),
                next: 0,
            });
        }
        Ok(())
    }

    pub(super) fn check_join(&mut self, run_id: i64, target: usize) -> Result<()> {
        let run = self.tx.run_head(run_id)?;
        let (resolved, any_taken) = self.incoming_state(&run, target)?;
        if !resolved || !any_taken {
            return Ok(());
        }
        let plan = self.plan_of(&run)?;
        if !self.tx.has_task(run_id, &plan.at(target).id)? {
            self.push(Step::Activate {
                run: run_id,
                activity: target,
            });
        }
        Ok(())
    }
}

fn trigger_applies(run: &RunHead, activity: &Activity) -> bool {
    // A firing activates its own trigger's branch; Run now (no trigger activity) activates every
    // trigger, as if each had fired.
    match &run.trigger_activity {
        Some(fired) => fired == &activity.id,
        None => true,
    }
}
