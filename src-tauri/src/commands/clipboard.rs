//! The system clipboard: a PNG of the canvas (the UI renders it; the shell only places it).

use crate::error::{BridgeError, BridgeResult};
use base64::Engine as _;
use tauri::image::Image;
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Decodes a base64 PNG (with or without a `data:image/png;base64,` prefix) and writes it to the
/// clipboard as an image.
#[tauri::command]
pub async fn copy_png<R: Runtime>(app: AppHandle<R>, base64: String) -> BridgeResult<()> {
    let text = base64
        .rsplit_once("base64,")
        .map_or(base64.as_str(), |(_, data)| data);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| BridgeError::new("WEFT-D003", format!("the image is not base64: {e}")))?;
    let image = Image::from_bytes(&bytes)
        .map_err(|e| BridgeError::new("WEFT-D003", format!("the image is not a PNG: {e}")))?;
    app.clipboard()
        .write_image(&image)
        .map_err(|e| BridgeError::new("WEFT-D005", format!("the clipboard refused the image: {e}")))
}

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
