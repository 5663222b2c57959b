//! Pictures of the workflow in the editor (`weft-render`): the file Export saves and the
//! gallery shows (Copy as bitmap is in `clipboard.rs`).

use crate::error::BridgeResult;
use crate::state::AppState;
use tauri::State;
use weft_render::{PictureData, PictureRequest};

/// Draws the workflow (or a selection of it, with a run on it) as a PNG at 2× or an SVG file.
#[tauri::command]
pub async fn render_picture(
    state: State<'_, AppState>,
    request: PictureRequest,
) -> BridgeResult<PictureData> {
    Ok(request.draw(&state.engine)?)
}
