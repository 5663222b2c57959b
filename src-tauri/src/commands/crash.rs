//! Crash reports of earlier runs of the app, offered at the next start (never sent anywhere).

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::crash::CrashReport;

/// Reports not yet dismissed, newest first.
#[tauri::command]
pub async fn crash_reports(state: State<'_, AppState>) -> BridgeResult<Vec<CrashReport>> {
    Ok(state.crash_reports.unseen()?)
}

/// Stops offering a report (the file stays in the crash reports folder).
#[tauri::command]
pub async fn dismiss_crash_report(state: State<'_, AppState>, name: String) -> BridgeResult<()> {
    Ok(state.crash_reports.mark_seen(&name)?)
}
