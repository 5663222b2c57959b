//! Links into the app: the UI takes the link the system handed over (see [`crate::links`]).

use crate::error::BridgeResult;
use crate::links::Inbox;
use tauri::State;
use weft_engine::links::Link;

/// The link waiting to be shown, once: `null` when there is none, the link's error when it did
/// not read as a Weft link.
#[tauri::command]
pub async fn take_link(inbox: State<'_, Inbox>) -> BridgeResult<Option<Link>> {
    inbox.take().transpose()
}
