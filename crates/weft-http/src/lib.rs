//! The HTTP bridge of `weft serve --http`: the operations API of [`weft_engine::Engine`] under
//! `/api/v1/` (JSON, the same types as the desktop bridge), the numbered events as a
//! server-sent-events stream resumable from a sequence number, and the built UI at `/`.
//!
//! A thin adapter like the desktop shell: each route is a few lines calling one engine
//! operation, and every error is the engine's [`ApiError`](weft_engine::ops::error::ApiError)
//! with an HTTP status by its code ([`error`]). What the bridge adds is the door itself:
//! bearer tokens on every API request ([`auth`]), read-only tokens kept to reads, a 1 MiB body
//! limit ([`body`]), no CORS (no `Access-Control-*` header is ever sent, so other sites' pages
//! cannot read answers), and static files without path traversal ([`ui`]).
//!
//! Routes mirror the desktop shell's commands one to one; [`ROUTES`] lists them.

pub mod auth;
pub mod body;
pub mod error;
mod routes;
pub mod ui;

use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use weft_engine::Engine;

pub use routes::{Access, Route, ROUTES};

/// What a server serves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The built UI (`ui/dist`) served at `/`; `None` (or a folder without `index.html`) serves
    /// only the API, and `/` says how to build the UI.
    pub ui_dir: Option<PathBuf>,
}

/// The whole application: `/api/v1/…` behind tokens, the UI's files at `/`.
pub fn app(engine: Engine, options: &Options) -> Router {
    Router::new()
        .nest("/api/v1", routes::api(engine))
        .route("/fonts/{name}", axum::routing::get(ui::font))
        .fallback_service(ui::service(options.ui_dir.clone()))
        .layer(axum::middleware::from_fn(auth::refuse_token_in_query))
        .layer(axum::middleware::from_fn(body::refuse_large_declared_body))
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr}: {source}")]
pub struct BindError {
    /// The address asked for.
    pub addr: SocketAddr,
    /// Why.
    pub source: std::io::Error,
}

/// A running server: where it listens, and its task (abort it to stop).
pub struct Server {
    /// The address bound (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The serving task.
    pub task: tokio::task::JoinHandle<()>,
}

/// Binds `addr` and serves [`app`] on the current tokio runtime until the task is aborted.
/// Does not check whether `addr` is loopback: that is the caller's choice (`--http-public`).
pub async fn serve(
    engine: Engine,
    addr: SocketAddr,
    options: Options,
) -> Result<Server, BindError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| BindError { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| BindError { addr, source })?;
    let app = app(engine, &options);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("the HTTP bridge stopped: {e}");
        }
    });
    Ok(Server { addr: bound, task })
}
