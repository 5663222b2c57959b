//! Pictures of the workflow in the editor (`weft-render`): Export gets the file the UI saves;
//! Copy as bitmap draws and places it on the clipboard here, so the pixels never pass through
//! the webview.

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use tauri::image::Image;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use weft_render::{PictureData, PictureRequest};

/// Draws the workflow (or a selection of it, with a run on it) as a PNG at 2× or an SVG file.
#[tauri::command]
pub async fn render_picture(
    state: State<'_, AppState>,
    request: PictureRequest,
) -> BridgeResult<PictureData> {
    Ok(request.draw(&state.engine)?)
}

/// Copy as bitmap: draws the workflow (or a selection of it) at 2× and places it on the system
/// clipboard as an image; answers its size in pixels.
#[tauri::command]
pub async fn copy_picture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PictureRequest,
) -> BridgeResult<(u32, u32)> {
    let bitmap = request.clipboard_bitmap(&state.engine)?;
    let (width, height) = (bitmap.width, bitmap.height);
    app.clipboard()
        .write_image(&Image::new_owned(bitmap.bytes, width, height))
        .map_err(|e| {
            BridgeError::new("WEFT-D005", format!("the clipboard refused the image: {e}"))
        })?;
    Ok((width, height))
}
