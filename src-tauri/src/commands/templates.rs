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

/// Saves a workflow's latest revision as a user template in `folder` (created when new), under
/// `name` when given, else the workflow's own name.
#[tauri::command]
pub async fn save_as_template(
    state: State<'_, AppState>,
    id: String,
    folder: String,
    name: Option<String>,
) -> BridgeResult<TemplateInfo> {
    let (_, mut body) = state.engine.workflow(&id)?;
    if let Some(name) = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
        body.name = name;
    }
    state.templates.save(&body, &folder)
}
