//! The store itself: who executes it, and the events after a sequence number (to catch up after
//! missing some of the live `weft://event` stream).

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_engine::ops::status::StoreStatus;
use weft_engine::store::Event;

/// Whether this window executes the store or only reads it (another process owns it).
#[tauri::command]
pub async fn store_status(state: State<'_, AppState>) -> BridgeResult<StoreStatus> {
    Ok(state.engine.store_status()?)
}

/// Who this window acts for: the store's owner, with every capability (the desktop app opens
/// its own store; a team server is opened in a window of its own, over HTTP with a token).
#[tauri::command]
pub async fn session_info() -> BridgeResult<weft_engine::ops::operators::Session> {
    Ok(weft_engine::ops::operators::Principal::Owner.session(false))
}

/// Committed events after `seq`, oldest first, at most 1000.
#[tauri::command]
pub async fn events_after(state: State<'_, AppState>, seq: i64) -> BridgeResult<Vec<Event>> {
    Ok(state.engine.events_after(seq, 1000)?)
}
