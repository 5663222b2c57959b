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
