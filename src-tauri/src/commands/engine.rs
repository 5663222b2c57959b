//! Engine commands (Start, Pause, Run now, Approve…): queue one, then wait for its outcome.

use crate::error::BridgeResult;
use crate::state::AppState;
use std::time::Duration;
use tauri::State;
use weft_engine::store::CommandRecord;
use weft_engine::Command;

/// How long `wait_command` waits for the store's owner to apply a command.
const WAIT: Duration = Duration::from_secs(30);

/// Queues a command (for a workflow, or global) and returns its id at once.
#[tauri::command]
pub async fn send_command(
    state: State<'_, AppState>,
    workflow_id: Option<String>,
    command: Command,
) -> BridgeResult<i64> {
    Ok(state
        .engine
        .send(workflow_id.as_deref(), who_answers(command))?)
}

/// Approvals answered from the app are signed with the desktop user's name.
fn who_answers(command: Command) -> Command {
    let user = || {
        std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .or_else(|| Some("desktop".into()))
    };
    command.signed_if_unsigned(user)
}

/// Waits (up to 30 s) until a command was applied or refused; `outcome` says which.
#[tauri::command]
pub async fn wait_command(state: State<'_, AppState>, id: i64) -> BridgeResult<CommandRecord> {
    let engine = state.engine.clone();
    Ok(engine.wait_command(id, WAIT).await?)
}
