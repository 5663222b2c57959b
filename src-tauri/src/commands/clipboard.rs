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
