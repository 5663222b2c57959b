//! The debugger and revisions: a workflow's breakpoints, what a debug run is paused at, a
//! workflow's revisions, the diff of two, restoring one. Debug runs and Continue / Step / Skip /
//! Stop are commands (`send_command`).

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::debug::{Breakpoint, DebugView};
use weft_engine::diff::RevisionDiff;
use weft_engine::model::WorkflowFile;
use weft_engine::ops::inspect::{RecordSide, RerunPreview, TaskRecords, MAX_RECORDS};
use weft_engine::store::workflows::RevisionInfo;
use weft_engine::store::WorkflowSummary;

/// A workflow's breakpoints.
#[tauri::command]
pub async fn get_breakpoints(
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<Vec<Breakpoint>> {
    Ok(state.engine.breakpoints(&id)?)
}

/// Replaces a workflow's breakpoints (all checked first: WEFT-X008).
#[tauri::command]
pub async fn set_breakpoints(
    state: State<'_, AppState>,
    id: String,
    breakpoints: Vec<Breakpoint>,
) -> BridgeResult<Vec<Breakpoint>> {
    Ok(state.engine.set_breakpoints(&id, breakpoints)?)
}

/// Whether a run is a debug run, and its tasks paused at a breakpoint.
#[tauri::command]
pub async fn debug_view(state: State<'_, AppState>, run_id: i64) -> BridgeResult<DebugView> {
    Ok(state.engine.debug_view(run_id)?)
}

/// A task's input or output records: sets, counts, the first matching rows.
#[tauri::command]
pub async fn task_records(
    state: State<'_, AppState>,
    task_id: i64,
    side: RecordSide,
    search: Option<String>,
    limit: Option<u32>,
) -> BridgeResult<TaskRecords> {
    Ok(state.engine.task_records(
        task_id,
        side,
        search.as_deref(),
        limit.unwrap_or(MAX_RECORDS),
    )?)
}

/// What a re-run of a past run on the latest revision would reuse and run again.
#[tauri::command]
pub async fn rerun_preview(state: State<'_, AppState>, run_id: i64) -> BridgeResult<RerunPreview> {
    Ok(state.engine.rerun_preview(run_id)?)
}

/// A workflow's revisions, newest first: when, by which front door, why.
#[tauri::command]
pub async fn list_revisions(
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<Vec<RevisionInfo>> {
    Ok(state.engine.revisions(&id)?)
}

/// One revision of a workflow, as its file (the canvas draws a diff or two runs on it).
#[tauri::command]
pub async fn get_revision(
    state: State<'_, AppState>,
    id: String,
    revision: i64,
) -> BridgeResult<WorkflowFile> {
    Ok(state.engine.workflow_revision(&id, revision)?)
}

/// What changed from revision `from` to revision `to`.
#[tauri::command]
pub async fn diff_revisions(
    state: State<'_, AppState>,
    id: String,
    from: i64,
    to: i64,
) -> BridgeResult<RevisionDiff> {
    Ok(state.engine.diff_revisions(&id, from, to)?)
}

/// Saves an earlier revision as the new latest one.
#[tauri::command]
pub async fn restore_revision(
    state: State<'_, AppState>,
    id: String,
    revision: i64,
) -> BridgeResult<WorkflowSummary> {
    Ok(state.engine.restore_revision(&id, revision)?)
}
