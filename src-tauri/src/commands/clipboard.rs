//! The system clipboard: Copy as bitmap (drawn here by `weft-render`, so the pixels never pass
//! through the webview) and the editor's copied activities as text.

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use tauri::image::Image;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use weft_render::PictureRequest;

/// Puts text on the system clipboard (the editor's copied activities, as JSON). Going through
/// the shell rather than the webview's `navigator.clipboard`, which WebKitGTK may refuse, makes
/// a copy reach every Weft window and any other application.
#[tauri::command]
pub async fn clipboard_write_text<R: Runtime>(app: AppHandle<R>, text: String) -> BridgeResult<()> {
    app.clipboard()
        .write_text(text)
        .map_err(|e| BridgeError::new("WEFT-D005", format!("the clipboard refused the text: {e}")))
}

/// The system clipboard's text; empty when it holds none (nothing, or only an image).
#[tauri::command]
pub async fn clipboard_read_text<R: Runtime>(app: AppHandle<R>) -> BridgeResult<String> {
    Ok(app.clipboard().read_text().unwrap_or_default())
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
