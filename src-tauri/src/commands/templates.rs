//! Templates: list the shipped and user templates, save a workflow as a user template.

use crate::error::BridgeResult;
use crate::state::AppState;
use crate::templates::TemplateInfo;
use tauri::State;

/// Shipped templates, then the user's, each with its workflow body.
#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> BridgeResult<Vec<TemplateInfo>> {
    Ok(state.templates.list())
}

/// Saves a workflow's latest revision as a user template in `folder`.
#[tauri::command]
pub async fn save_as_template(
    state: State<'_, AppState>,
    id: String,
    folder: String,
) -> BridgeResult<TemplateInfo> {
    let (_, body) = state.engine.workflow(&id)?;
    state.templates.save(&body, &folder)
}
