//! Pictures of a workflow (`commands/picture.rs` of the desktop shell): the browser's Copy as
//! bitmap and Export PNG / SVG. A read: drawing changes nothing.

use crate::body::Json;
use crate::error::{HttpError, HttpResult};
use axum::extract::State;
use weft_engine::Engine;
use weft_render::{PictureData, PictureRequest};

/// The same answer as the desktop command `render_picture`.
pub async fn render(
    State(engine): State<Engine>,
    Json(request): Json<PictureRequest>,
) -> HttpResult<axum::Json<PictureData>> {
    // Rasterising is CPU work: off the async workers.
    let data = tokio::task::spawn_blocking(move || request.draw(&engine))
        .await
        .map_err(|e| HttpError::new("WEFT-H005", format!("drawing stopped: {e}")))??;
    Ok(axum::Json(data))
}
