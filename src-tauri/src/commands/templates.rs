//! Templates: list the shipped and user templates, save a workflow as a user template.

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::templates::TemplateInfo;

/// Shipped templates, then the user's, each with its workflow body.
#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> BridgeResult<Vec<TemplateInfo>> {
    Ok(state.engine.templates())
}

/// Saves a workflow's latest revision as a user template in `folder` (created when new), under
/// `name` when given, else the workflow's own name.
#[tauri::command]
pub async fn save_as_template(
    state: State<'_, AppState>,
    id: String,
    folder: String,
    name: Option<String>,
) -> BridgeResult<TemplateInfo> {
    Ok(state
        .engine
        .save_as_template(&id, &folder, name.as_deref())?)
}
