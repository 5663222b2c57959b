//! Runs history and monitoring: pages of runs, one run's tasks, attempts, logs and transitions,
//! and the approvals waiting for an answer. Reads only.

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::store::{
    self, ApprovalRecord, AttemptRecord, EdgeRecord, LogLine, RunDetail, RunFilter, RunPage,
    TaskRecord,
};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;

/// One page of runs, newest first unless the filter says otherwise; pass `next` back as `cursor`.
#[tauri::command]
pub async fn list_runs(
    state: State<'_, AppState>,
    filter: RunFilter,
    cursor: Option<i64>,
    limit: Option<u32>,
) -> BridgeResult<RunPage> {
    let limit = limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    Ok(state
        .engine
        .store()
        .read(|c| store::runs::list_runs(c, &filter, cursor, limit))?)
}

/// One run with its parameters, variables, error and progress.
#[tauri::command]
pub async fn get_run(state: State<'_, AppState>, id: i64) -> BridgeResult<RunDetail> {
    Ok(state
        .engine
        .store()
        .read(|c| store::runs::run_detail(c, id))?)
}

/// The tasks of a run, in scheduling order.
#[tauri::command]
pub async fn run_tasks(state: State<'_, AppState>, run_id: i64) -> BridgeResult<Vec<TaskRecord>> {
    Ok(state
        .engine
        .store()
        .read(|c| store::tasks::tasks_of_run(c, run_id))?)
}

/// Every attempt of a task.
#[tauri::command]
pub async fn task_attempts(
    state: State<'_, AppState>,
    task_id: i64,
) -> BridgeResult<Vec<AttemptRecord>> {
    Ok(state
        .engine
        .store()
        .read(|c| store::tasks::attempts(c, task_id))?)
}

/// Log lines of a run, or of one of its activities.
#[tauri::command]
pub async fn run_logs(
    state: State<'_, AppState>,
    run_id: i64,
    activity_id: Option<String>,
) -> BridgeResult<Vec<LogLine>> {
    Ok(state
        .engine
        .store()
        .read(|c| store::tasks::logs(c, run_id, activity_id.as_deref()))?)
}

/// How often each transition of a run was taken (`574 - Ok` on the canvas).
#[tauri::command]
pub async fn run_edges(state: State<'_, AppState>, run_id: i64) -> BridgeResult<Vec<EdgeRecord>> {
    Ok(state
        .engine
        .store()
        .read(|c| store::tasks::edges(c, run_id))?)
}

/// Approvals waiting for an answer, across workflows.
#[tauri::command]
pub async fn open_approvals(state: State<'_, AppState>) -> BridgeResult<Vec<ApprovalRecord>> {
    Ok(state
        .engine
        .store()
        .read(|c| store::tasks::open_approvals(c, None))?)
}
