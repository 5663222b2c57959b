//! Firing schedule triggers of started workflows. Each firing is a row unique per (workflow,
//! trigger, fire time), inserted in the transaction that creates its run, so it can never fire
//! twice — not even across restarts or two processes. A fire time that fell while no owner ran
//! (see [`super::owner`]) is missed, and the schedule's missed-run policy decides what to do.

use super::executor::Executor;
use super::progress::RunRequest;
use crate::model::{ActivityConfig, ExecutionMode};
use crate::schedule;
use crate::store::{self, Millis, Trigger, WorkflowState};

impl Executor {
    /// Fires due schedule triggers; returns when to look again.
    pub(super) fn fire_schedules(&mut self) -> store::Result<Millis> {
        let now = self.engine.now_ms();
        let mut next_check = now + 60_000;
        let started = self
            .engine
            .inner
            .store
            .read(|c| c.workflows_in_states(&[WorkflowState::Started]))?;
        for wf in started {
            let plan = self.plans.get_read(&self.engine, &wf.id, wf.revision)?;
            for activity in &plan.activities {
                let ActivityConfig::ScheduleTrigger(config) = &activity.config else {
                    continue;
                };
                if activity.mode == ExecutionMode::Disabled {
                    continue;
                }
                let last = self
                    .engine
                    .inner
                    .store
                    .read(|c| c.last_fire_time(&wf.id, &activity.id))?;
                let since = last.or(wf.armed_at).unwrap_or(now);
                let sessions = self
                    .engine
                    .inner
                    .store
                    .read(|c| c.sessions_between(since, now))?;
                let session_started = self.session_started;
                let was_up = |t: Millis| {
                    t >= session_started
                        || sessions
                            .iter()
                            .any(|&(started, until)| started <= t && t <= until)
                };
                let due = schedule::due(&config.schedule, config.missed, since, now, was_up);
                if let Some(next) = due.next {
                    next_check = next_check.min(next);
                }
                if due.run.is_empty() && due.missed.is_none() {
                    continue;
                }
                let (wf_id, activity_id, revision, simulate) =
                    (wf.id.clone(), activity.id.clone(), wf.revision, wf.simulate);
                let params = crate::params::resolve(&plan.parameters, &serde_json::Value::Null)
                    .unwrap_or_else(|_| serde_json::json!({}));
                self.progress(|p| {
                    if let Some((time, count)) = due.missed {
                        p.tx.record_firing(
                            &wf_id,
                            &activity_id,
                            time,
                            &format!("missed ({count})"),
                        )?;
                    }
                    for time in &due.run {
                        if !p.tx.record_firing(&wf_id, &activity_id, *time, "fired")? {
                            continue; // already fired: never twice
                        }
                        let run = p.create_run(RunRequest {
                            workflow_id: &wf_id,
                            revision: Some(revision),
                            trigger: Trigger::Schedule,
                            trigger_activity: Some(&activity_id),
                            params: params.clone(),
                            simulate,
                            restart: None,
                            parent_task: None,
                        })?;
                        let outcome = if run.is_some() {
                            "fired"
                        } else {
                            "skipped (a run was in progress)"
                        };
                        p.tx.set_firing_run(&wf_id, &activity_id, *time, run, outcome)?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(next_check)
    }
}
