//! Workflows: list, open, create (blank or from a template), save, rename, copy, delete,
//! import/export as `*.weft.json` text, and validation.

use crate::error::BridgeResult;
use crate::state::AppState;
use serde_json::Value;
use tauri::State;
use weft_engine::ops::workflows::WorkflowDetail;
use weft_engine::store::WorkflowSummary;
use weft_engine::validate::Diagnostic;

/// Every workflow's card.
#[tauri::command]
pub async fn list_workflows(state: State<'_, AppState>) -> BridgeResult<Vec<WorkflowSummary>> {
    Ok(state.engine.list_workflows()?)
}

/// One workflow with its latest revision.
#[tauri::command]
pub async fn get_workflow(state: State<'_, AppState>, id: String) -> BridgeResult<WorkflowDetail> {
    Ok(state.engine.workflow_detail(&id)?)
}

/// A new workflow: blank (Start → Finish) or a copy of a template (see `list_templates`). With a
/// blank `name` the engine picks a free one from the template's name or "Untitled workflow";
/// a name typed by the user is taken as it is, or refused when another workflow bears it.
#[tauri::command]
pub async fn create_workflow(
    state: State<'_, AppState>,
    name: String,
    template: Option<String>,
) -> BridgeResult<WorkflowSummary> {
    Ok(state.engine.new_workflow(&name, template.as_deref())?)
}

/// Saves a new revision; with `activate`, also asks the engine to start the workflow. With
/// `base_revision` (the revision the editor opened), a save over a newer one is refused
/// (`WEFT-X009`).
#[tauri::command]
pub async fn save_workflow(
    state: State<'_, AppState>,
    id: String,
    body: Value,
    activate: Option<bool>,
    base_revision: Option<i64>,
) -> BridgeResult<WorkflowSummary> {
    Ok(state
        .engine
        .save_workflow_value(&id, body, activate == Some(true), base_revision)?)
}

/// Renames a workflow (a new revision).
#[tauri::command]
pub async fn rename_workflow(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> BridgeResult<()> {
    Ok(state.engine.rename_workflow(&id, &name)?)
}

/// Copies a workflow as "<name> (copy)" (or "(copy 2)"… when that name is taken); with `body`,
/// the copy holds that body (the editor's "Save as a copy") instead of the latest revision.
#[tauri::command]
pub async fn duplicate_workflow(
    state: State<'_, AppState>,
    id: String,
    body: Option<Value>,
) -> BridgeResult<WorkflowSummary> {
    Ok(match body {
        Some(body) => state.engine.duplicate_workflow_as(&id, body)?,
        None => state.engine.duplicate_workflow(&id)?,
    })
}

/// Deletes a workflow and its history; refused while it has runs in progress.
#[tauri::command]
pub async fn delete_workflow(state: State<'_, AppState>, id: String) -> BridgeResult<()> {
    Ok(state.engine.delete_workflow(&id)?)
}

/// Imports `*.weft.json` text as a new workflow.
#[tauri::command]
pub async fn import_workflow(
    state: State<'_, AppState>,
    json: String,
) -> BridgeResult<WorkflowSummary> {
    Ok(state.engine.import_workflow(&json, false)?)
}

/// The latest revision as `*.weft.json` text.
#[tauri::command]
pub async fn export_workflow(state: State<'_, AppState>, id: String) -> BridgeResult<String> {
    Ok(state.engine.workflow(&id)?.1.to_pretty_json())
}

/// Every problem of a body, as diagnostics. A body that does not even load is one diagnostic
/// with the loader's code and JSON path, so the UI has a single way to show problems.
#[tauri::command]
pub async fn validate_workflow(
    state: State<'_, AppState>,
    body: Value,
) -> BridgeResult<Vec<Diagnostic>> {
    Ok(state.engine.validate_value(body))
}
