//! Workflows: list, open, create (blank or from a template), save, rename, copy, delete,
//! import/export as `*.weft.json` text, and validation.

use crate::error::BridgeResult;
use crate::state::AppState;
use serde::Serialize;
use serde_json::Value;
use tauri::State;
use ts_rs::TS;
use weft_engine::store::WorkflowSummary;
use weft_engine::validate::{Diagnostic, Severity};
use weft_engine::{load, Command, WorkflowFile};

/// A workflow opened in the designer: its card and its latest revision.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDetail {
    /// The card.
    pub summary: WorkflowSummary,
    /// The latest revision.
    pub body: WorkflowFile,
}

/// Every workflow's card.
#[tauri::command]
pub async fn list_workflows(state: State<'_, AppState>) -> BridgeResult<Vec<WorkflowSummary>> {
    Ok(state.engine.list_workflows()?)
}

/// One workflow with its latest revision.
#[tauri::command]
pub async fn get_workflow(state: State<'_, AppState>, id: String) -> BridgeResult<WorkflowDetail> {
    let (summary, body) = state.engine.workflow(&id)?;
    Ok(WorkflowDetail { summary, body })
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
    let mut body = match template.filter(|t| !t.is_empty()) {
        Some(id) => state.templates.get(&id)?.body,
        None => WorkflowFile::new_blank(""),
    };
    if name.trim().is_empty() {
        return Ok(state.engine.create_workflow_with_free_name(&body)?);
    }
    body.name = name.trim().to_string();
    Ok(state.engine.create_workflow(&body)?)
}

/// Saves a new revision; with `activate`, also asks the engine to start the workflow.
#[tauri::command]
pub async fn save_workflow(
    state: State<'_, AppState>,
    id: String,
    body: Value,
    activate: Option<bool>,
) -> BridgeResult<WorkflowSummary> {
    let body = load::from_value(body)?;
    let saved = state.engine.save_workflow(&id, &body)?;
    if activate == Some(true) {
        state.engine.send(Some(&id), Command::Start)?;
    }
    Ok(saved)
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

/// Copies a workflow as "<name> (copy)" (or "(copy 2)"… when that name is taken).
#[tauri::command]
pub async fn duplicate_workflow(
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<WorkflowSummary> {
    Ok(state.engine.duplicate_workflow(&id)?)
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
    Ok(match load::from_value(body) {
        Ok(body) => state.engine.validate(&body),
        Err(e) => {
            let message = e
                .to_string()
                .trim_start_matches(e.code())
                .trim_start()
                .to_string();
            vec![Diagnostic {
                activity: None,
                code: e.code().into(),
                message,
                severity: Severity::Error,
            }]
        }
    })
}
