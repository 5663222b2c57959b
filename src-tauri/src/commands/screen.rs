//! The screen the main window showed last, so that the next start opens on it (the
//! window-state plugin keeps its size and position beside it, in the app's config folder).
//! The UI says what a screen is; the shell only keeps the text.

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use tauri::State;

/// A screen is a small JSON object (`{"name":"run","id":42}`); anything longer is refused.
const MAX_SCREEN: usize = 4096;

/// Keeps `screen` as the main window's screen.
#[tauri::command]
pub async fn remember_screen(state: State<'_, AppState>, screen: String) -> BridgeResult<()> {
    if screen.len() > MAX_SCREEN {
        return Err(BridgeError::new(
            "WEFT-D008",
            format!("a screen is at most {MAX_SCREEN} bytes"),
        ));
    }
    let path = &state.screen_file;
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, &screen));
    written
        .map_err(|e| BridgeError::new("WEFT-D008", format!("cannot write {}: {e}", path.display())))
}

/// The screen kept last, if any (an unreadable file counts as none: the list is shown).
#[tauri::command]
pub async fn last_screen(state: State<'_, AppState>) -> BridgeResult<Option<String>> {
    Ok(std::fs::read_to_string(&state.screen_file)
        .ok()
        .filter(|s| s.len() <= MAX_SCREEN))
}
