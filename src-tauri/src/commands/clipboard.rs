//! The system clipboard's text (pictures are placed by `picture.rs`).

use crate::error::{BridgeError, BridgeResult};
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

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
