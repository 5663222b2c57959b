//! Schedulers: every workflow with a schedule trigger as the Schedulers view lists it — each
//! schedule in words, its next fire times, its missed-run policy, whether it is armed — with the
//! workflow's last run and the runs queued behind a running one; and one workflow's overview
//! (its schedules, recent runs, approvals waiting). Everything the view shows is answered here,
//! from the same schedule code the executor fires by ([`crate::schedule`]).

use crate::exec::{Engine, Result};
use crate::model::{ActivityConfig, ConcurrencyPolicy, ExecutionMode, MissedPolicy, ScheduleSpec};
use crate::schedule;
use crate::store::{
    self, ApprovalRecord, Millis, RunFilter, RunStatus, RunSummary, WorkflowState, WorkflowSummary,
};
use serde::Serialize;
use ts_rs::TS;

/// How many fire times ahead a schedule shows.
pub const NEXT_FIRE_TIMES: usize = 3;

/// How many runs a workflow's overview lists.
pub const RECENT_RUNS: u32 = 20;

/// Whether a schedule fires by itself now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleState {
    /// The workflow is started: the schedule fires at its next fire times.
    Armed,
    /// The workflow is paused: nothing fires until it is resumed (Start).
    Paused,
    /// The workflow is not started (being edited, finished or stopping): nothing fires.
    NotStarted,
    /// The trigger is set to Do not enable: it never fires.
    Disabled,
    /// On demand: it never fires by itself; Run now is the only way.
    OnDemand,
}

/// One fire time, as a moment and as read in the schedule's own time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FireTime {
    /// Milliseconds since the epoch.
    #[ts(type = "number")]
    pub at: Millis,
    /// "Mon 30 Mar 2026 08:00 CEST".
    pub local: String,
}

/// One schedule trigger of a workflow.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleInfo {
    /// The trigger activity.
    pub activity_id: String,
    /// Its label on the canvas.
    pub label: String,
    /// The schedule as configured.
    pub spec: ScheduleSpec,
    /// The schedule in words ("every weekday at 08:00 Europe/Paris").
    pub words: String,
    /// The missed-run policy.
    pub missed: MissedPolicy,
    /// The missed-run policy in words.
    pub missed_words: String,
    /// Whether it fires by itself now.
    pub state: ScheduleState,
    /// The next fire times (at most [`NEXT_FIRE_TIMES`]); empty unless armed.
    pub next: Vec<FireTime>,
    /// The last fire time recorded (fired, missed or skipped), if any.
    #[ts(type = "number | null")]
    pub last_fired: Option<Millis>,
}

/// One row of the Schedulers view.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerRow {
    /// The workflow's card (state and which commands apply now).
    pub workflow: WorkflowSummary,
    /// Its schedule triggers, in canvas order.
    pub schedules: Vec<ScheduleInfo>,
    /// What a run requested while another is active does.
    pub concurrency: ConcurrencyPolicy,
    /// Its newest run, if any (its `trigger` says whether it was a Run now: `manual`).
    pub last_run: Option<RunSummary>,
    /// Runs waiting behind a running one (queued by the concurrency policy).
    #[ts(type = "number")]
    pub queued: u64,
    /// Runs in progress.
    #[ts(type = "number")]
    pub running: u64,
}

/// A workflow's detail page: its row, its recent runs and its approvals waiting.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowOverview {
    /// What the Schedulers view shows of it.
    pub row: SchedulerRow,
    /// The newest runs (at most [`RECENT_RUNS`]), newest first.
    pub recent_runs: Vec<RunSummary>,
    /// Approvals of its runs waiting for an answer, oldest first.
    pub approvals: Vec<ApprovalRecord>,
    /// The label of each activity of its latest revision, by id (what an approval is called).
    pub labels: std::collections::BTreeMap<String, String>,
}

impl Engine {
    /// Every workflow with a schedule trigger (on demand included), by name.
    pub fn list_schedulers(&self) -> Result<Vec<SchedulerRow>> {
        let now = self.now_ms();
        let summaries = self.list_workflows()?;
        let rows = self.inner.store.read(|c| {
            let mut rows = Vec::new();
            for summary in summaries {
                let row = scheduler_row(c, summary, now)?;
                if !row.schedules.is_empty() {
                    rows.push(row);
                }
            }
            Ok(rows)
        })?;
        Ok(rows)
    }

    /// One workflow's detail page (any workflow; one without a schedule has no schedules).
    pub fn workflow_overview(&self, id: &str) -> Result<WorkflowOverview> {
        let now = self.now_ms();
        let (summary, body) = self.workflow(id)?;
        let labels = body
            .activities
            .iter()
            .map(|a| (a.id.clone(), a.label.clone()))
            .collect();
        Ok(self.inner.store.read(|c| {
            let row = scheduler_row(c, summary, now)?;
            let filter = RunFilter {
                workflow_id: Some(id.to_string()),
                ..RunFilter::default()
            };
            let recent_runs = c.list_runs(&filter, None, RECENT_RUNS)?.runs;
            let approvals = c.open_approvals(Some(id))?;
            Ok(WorkflowOverview {
                row,
                recent_runs,
                approvals,
                labels,
            })
        })?)
    }
}

fn scheduler_row(
    c: &dyn store::StoreRead,
    workflow: WorkflowSummary,
    now: Millis,
) -> store::Result<SchedulerRow> {
    let (_, body) = c.latest_body(&workflow.id)?;
    let armed_at = c.workflow_row(&workflow.id)?.armed_at;
    let mut schedules = Vec::new();
    for activity in &body.activities {
        let ActivityConfig::ScheduleTrigger(config) = &activity.config else {
            continue;
        };
        let last_fired = c.last_fire_time(&workflow.id, &activity.id)?;
        let state = if activity.mode == ExecutionMode::Disabled {
            ScheduleState::Disabled
        } else if config.schedule == ScheduleSpec::OnDemand {
            ScheduleState::OnDemand
        } else {
            match workflow.state {
                WorkflowState::Started => ScheduleState::Armed,
                WorkflowState::Paused => ScheduleState::Paused,
                _ => ScheduleState::NotStarted,
            }
        };
        let next = if state == ScheduleState::Armed {
            // From where the executor counts: the last firing, else when it was armed.
            let since = last_fired.or(armed_at).unwrap_or(now);
            schedule::upcoming(&config.schedule, since, now, NEXT_FIRE_TIMES)
                .into_iter()
                .map(|at| FireTime {
                    at,
                    local: schedule::local_time(&config.schedule, at),
                })
                .collect()
        } else {
            Vec::new()
        };
        schedules.push(ScheduleInfo {
            activity_id: activity.id.clone(),
            label: activity.label.clone(),
            spec: config.schedule.clone(),
            words: schedule::describe(&config.schedule),
            missed: config.missed,
            missed_words: schedule::describe_missed(config.missed).to_string(),
            state,
            next,
            last_fired,
        });
    }
    let of = |statuses: Vec<RunStatus>| RunFilter {
        workflow_id: Some(workflow.id.clone()),
        statuses,
        ..RunFilter::default()
    };
    let last_run = c
        .list_runs(&of(Vec::new()), None, 1)?
        .runs
        .into_iter()
        .next();
    let queued = c.count_runs(&of(vec![RunStatus::Pending]))?;
    let running = c.count_runs(&of(vec![RunStatus::Running, RunStatus::WaitingForApproval]))?;
    Ok(SchedulerRow {
        workflow,
        schedules,
        concurrency: body.concurrency,
        last_run,
        queued,
        running,
    })
}
