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

/// Committed events after `seq`, oldest first, at most 1000.
#[tauri::command]
pub async fn events_after(state: State<'_, AppState>, seq: i64) -> BridgeResult<Vec<Event>> {
    Ok(state.engine.events_after(seq, 1000)?)
}
