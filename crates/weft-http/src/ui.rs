//! The built UI (`ui/dist`) as static files at `/`. Files are served by tower-http's
//! [`ServeDir`], which builds the path from the address's segments and refuses `..`, absolute
//! and Windows-style segments, so nothing outside the folder is reachable. A missing file is a
//! 404 (`WEFT-H002`). The UI's files hold no data: they need no token, while every API call
//! the page then makes does.

use crate::error::HttpError;
use axum::handler::HandlerWithoutStateExt;
use axum::response::IntoResponse;
use axum::routing::{any_service, MethodRouter};
use std::path::PathBuf;
use tower_http::services::ServeDir;

async fn not_found() -> impl IntoResponse {
    HttpError::new("WEFT-H002", "no such route or file")
}

async fn ui_not_built() -> impl IntoResponse {
    HttpError::new(
        "WEFT-H002",
        "the UI is not built here: run `cd ui && npm run build`, or pass `--ui DIR`; the API is under /api/v1/",
    )
}

/// The UI's fonts (`/fonts/NAME`), from the picture renderer's built-in copies: like the UI's
/// files they hold no data and need no token.
pub async fn font(
    axum::extract::Path(name): axum::extract::Path<String>,
) -> axum::response::Response {
    match weft_render::font_file(&name) {
        Some((bytes, mime)) => (
            [
                (axum::http::header::CONTENT_TYPE, mime),
                (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        None => not_found().await.into_response(),
    }
}

/// The service answering every path outside `/api/v1/`.
pub fn service(dir: Option<PathBuf>) -> MethodRouter {
    match dir.filter(|d| d.join("index.html").is_file()) {
        Some(dir) => any_service(
            ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .fallback(not_found.into_service()),
        ),
        None => any_service(ui_not_built.into_service()),
    }
}
