//! Runs history and monitoring: pages of runs, one run's tasks, attempts, logs, transitions and
//! timeline (the replay), the approvals waiting for an answer, and the Schedulers view. Reads
//! only.

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::ops::schedulers::{SchedulerRow, WorkflowOverview};
use weft_engine::store::timeline::{TimelineCursor, TimelinePage};
use weft_engine::store::{
    ApprovalRecord, AttemptRecord, EdgeRecord, LogLine, RunDetail, RunFilter, RunPage, TaskRecord,
};

/// One page of runs, newest first unless the filter says otherwise; pass `next` back as `cursor`.
#[tauri::command]
pub async fn list_runs(
    state: State<'_, AppState>,
    filter: RunFilter,
    cursor: Option<i64>,
    limit: Option<u32>,
) -> BridgeResult<RunPage> {
    Ok(state
        .engine
        .list_runs(&filter, cursor, limit.unwrap_or(50))?)
}

/// One run with its parameters, variables, error and progress.
#[tauri::command]
pub async fn get_run(state: State<'_, AppState>, id: i64) -> BridgeResult<RunDetail> {
    Ok(state.engine.run(id)?)
}

/// A run's tasks in scheduling order.
#[tauri::command]
pub async fn run_tasks(state: State<'_, AppState>, run_id: i64) -> BridgeResult<Vec<TaskRecord>> {
    Ok(state.engine.run_tasks(run_id)?)
}

/// A task's attempts, first first.
#[tauri::command]
pub async fn task_attempts(
    state: State<'_, AppState>,
    task_id: i64,
) -> BridgeResult<Vec<AttemptRecord>> {
    Ok(state.engine.task_attempts(task_id)?)
}

/// A run's log lines, optionally of one activity (Display logs).
#[tauri::command]
pub async fn run_logs(
    state: State<'_, AppState>,
    run_id: i64,
    activity_id: Option<String>,
) -> BridgeResult<Vec<LogLine>> {
    Ok(state.engine.run_logs(run_id, activity_id.as_deref())?)
}

/// What went through each transition of a run.
#[tauri::command]
pub async fn run_edges(state: State<'_, AppState>, run_id: i64) -> BridgeResult<Vec<EdgeRecord>> {
    Ok(state.engine.run_edges(run_id)?)
}

/// One page of a run's timeline (the replay on the canvas); pass `next` back as `after`.
#[tauri::command]
pub async fn run_timeline(
    state: State<'_, AppState>,
    run_id: i64,
    after: Option<TimelineCursor>,
    limit: u32,
) -> BridgeResult<TimelinePage> {
    Ok(state.engine.run_timeline(run_id, after, limit)?)
}

/// Approvals waiting for an answer, across workflows.
#[tauri::command]
pub async fn open_approvals(state: State<'_, AppState>) -> BridgeResult<Vec<ApprovalRecord>> {
    Ok(state.engine.open_approvals(None)?)
}

/// Every workflow with a schedule trigger, as the Schedulers view lists it.
#[tauri::command]
pub async fn list_schedulers(state: State<'_, AppState>) -> BridgeResult<Vec<SchedulerRow>> {
    Ok(state.engine.list_schedulers()?)
}

/// A workflow's detail page: schedules, recent runs, approvals waiting.
#[tauri::command]
pub async fn workflow_overview(
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<WorkflowOverview> {
    Ok(state.engine.workflow_overview(&id)?)
}
