//! The routes of `/api/v1/`, one per desktop command (`src-tauri/src/main.rs`), grouped by
//! feature like the shell's `commands/`. Reads are open to every live token; commands and edits
//! ([`Access::Write`]) need one that is not read-only.

mod contacts;
mod debug;
mod events;
mod pictures;
mod runs;
mod workflows;

use crate::auth;
use crate::error::HttpError;
use axum::middleware::from_fn;
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
use weft_engine::Engine;

/// What a route needs of its caller's token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Any live token.
    Read,
    /// A token that is not read-only.
    Write,
}

/// One route: method, path under `/api/v1`, the desktop command it mirrors, what it needs.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path under `/api/v1` (`{id}` is a path parameter).
    pub path: &'static str,
    /// The desktop shell's command of the same operation.
    pub command: &'static str,
    /// What it needs of the token.
    pub access: Access,
}

const fn r(
    method: &'static str,
    path: &'static str,
    command: &'static str,
    access: Access,
) -> Route {
    Route {
        method,
        path,
        command,
        access,
    }
}

use Access::{Read, Write};

/// Every route of the API (the README's table; tests check each answers).
pub const ROUTES: &[Route] = &[
    r("GET", "/workflows", "list_workflows", Read),
    r("POST", "/workflows", "create_workflow", Write),
    r("GET", "/workflows/{id}", "get_workflow", Read),
    r("PUT", "/workflows/{id}", "save_workflow", Write),
    r("DELETE", "/workflows/{id}", "delete_workflow", Write),
    r("POST", "/workflows/{id}/rename", "rename_workflow", Write),
    r(
        "POST",
        "/workflows/{id}/duplicate",
        "duplicate_workflow",
        Write,
    ),
    r("GET", "/workflows/{id}/export", "export_workflow", Read),
    r("GET", "/workflows/{id}/overview", "workflow_overview", Read),
    r("POST", "/workflows/{id}/commands", "send_command", Write),
    r("POST", "/workflows/import", "import_workflow", Write),
    r("POST", "/workflows/validate", "validate_workflow", Read),
    r("GET", "/catalog", "activity_catalog", Read),
    r("POST", "/pictures", "render_picture", Read),
    r("GET", "/templates", "list_templates", Read),
    r("POST", "/templates", "save_as_template", Write),
    r("POST", "/commands", "send_command", Write),
    r("GET", "/commands/{id}/wait", "wait_command", Read),
    r("POST", "/runs/query", "list_runs", Read),
    r("GET", "/runs/{id}", "get_run", Read),
    r("GET", "/runs/{id}/tasks", "run_tasks", Read),
    r("GET", "/runs/{id}/logs", "run_logs", Read),
    r("GET", "/runs/{id}/edges", "run_edges", Read),
    r("POST", "/runs/{id}/timeline", "run_timeline", Read),
    r("GET", "/tasks/{id}/attempts", "task_attempts", Read),
    r("GET", "/approvals", "open_approvals", Read),
    r("GET", "/schedulers", "list_schedulers", Read),
    r("GET", "/status", "store_status", Read),
    r("GET", "/session", "session_info", Read),
    r("GET", "/events", "events_after", Read),
    r("GET", "/events/stream", "weft://event", Read),
    r(
        "GET",
        "/workflows/{id}/breakpoints",
        "get_breakpoints",
        Read,
    ),
    r(
        "PUT",
        "/workflows/{id}/breakpoints",
        "set_breakpoints",
        Write,
    ),
    r("GET", "/workflows/{id}/revisions", "list_revisions", Read),
    r(
        "GET",
        "/workflows/{id}/revisions/{revision}",
        "get_revision",
        Read,
    ),
    r("GET", "/workflows/{id}/diff", "diff_revisions", Read),
    r("POST", "/workflows/{id}/restore", "restore_revision", Write),
    r("GET", "/runs/{id}/debug", "debug_view", Read),
    r("GET", "/tasks/{id}/records", "task_records", Read),
    r("GET", "/runs/{id}/rerun-preview", "rerun_preview", Read),
    r("POST", "/contacts/query", "list_contacts", Read),
    r("GET", "/contacts/count", "count_contacts", Read),
    r("POST", "/contacts/import", "import_contacts", Write),
    r("POST", "/contacts/export", "export_contacts", Read),
    r("POST", "/contacts/demo", "demo_contacts", Write),
    r("PATCH", "/contacts/{id}", "update_contact", Write),
];

/// A method router that only a writing token passes.
fn write(route: MethodRouter<Engine>) -> MethodRouter<Engine> {
    route.route_layer(from_fn(auth::require_write))
}

async fn not_found() -> impl IntoResponse {
    HttpError::new("WEFT-H002", "no such route under /api/v1/")
}

async fn method_not_allowed() -> impl IntoResponse {
    HttpError::new("WEFT-H004", "this route does not take this method")
}

/// The `/api/v1` router, every route behind [`auth::authenticate`].
pub fn api(engine: Engine) -> Router {
    use workflows as wf;
    Router::new()
        .route("/workflows", get(wf::list).merge(write(post(wf::create))))
        .route(
            "/workflows/{id}",
            get(wf::get)
                .merge(write(put(wf::save)))
                .merge(write(delete(wf::delete))),
        )
        .route("/workflows/{id}/rename", write(post(wf::rename)))
        .route("/workflows/{id}/duplicate", write(post(wf::duplicate)))
        .route("/workflows/{id}/export", get(wf::export))
        .route("/workflows/{id}/overview", get(runs::overview))
        .route(
            "/workflows/{id}/commands",
            write(post(wf::send_to_workflow)),
        )
        .route("/workflows/import", write(post(wf::import)))
        .route("/workflows/validate", post(wf::validate))
        .route("/catalog", get(wf::catalog))
        .route("/pictures", post(pictures::render))
        .route(
            "/templates",
            get(wf::templates).merge(write(post(wf::save_as_template))),
        )
        .route("/commands", write(post(wf::send_global)))
        .route("/commands/{id}/wait", get(wf::wait_command))
        .route("/runs/query", post(runs::list))
        .route("/runs/{id}", get(runs::get))
        .route("/runs/{id}/tasks", get(runs::tasks))
        .route("/runs/{id}/logs", get(runs::logs))
        .route("/runs/{id}/edges", get(runs::edges))
        .route("/runs/{id}/timeline", post(runs::timeline))
        .route("/tasks/{id}/attempts", get(runs::attempts))
        .route("/approvals", get(runs::approvals))
        .route("/schedulers", get(runs::schedulers))
        .route("/status", get(events::status))
        .route("/session", get(events::session))
        .route("/events", get(events::after))
        .route("/events/stream", get(events::stream))
        .route(
            "/workflows/{id}/breakpoints",
            get(debug::breakpoints).merge(write(put(debug::set_breakpoints))),
        )
        .route("/workflows/{id}/revisions", get(debug::revisions))
        .route("/workflows/{id}/revisions/{revision}", get(debug::revision))
        .route("/workflows/{id}/diff", get(debug::diff))
        .route("/workflows/{id}/restore", write(post(debug::restore)))
        .route("/runs/{id}/debug", get(debug::debug_view))
        .route("/tasks/{id}/records", get(debug::task_records))
        .route("/runs/{id}/rerun-preview", get(debug::rerun_preview))
        .route("/contacts/query", post(contacts::list))
        .route("/contacts/count", get(contacts::count))
        .route("/contacts/import", write(post(contacts::import)))
        .route("/contacts/export", post(contacts::export))
        .route("/contacts/demo", write(post(contacts::demo)))
        .route("/contacts/{id}", write(patch(contacts::update)))
        .route_layer(axum::middleware::from_fn_with_state(
            engine.clone(),
            auth::require_capability,
        ))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            engine.clone(),
            auth::authenticate,
        ))
        .with_state(engine)
}

/// A path parameter that must be a number (run, task, command, contact ids).
pub(crate) struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|e| HttpError::new("WEFT-H003", e.body_text()))?;
        text.parse()
            .map(Id)
            .map_err(|_| HttpError::new("WEFT-H003", format!("{text:?} is not a number")))
    }
}

/// Query parameters of the route's type; a bad one is a 400 (`WEFT-H003`).
pub(crate) struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for Query<T>
{
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e| HttpError::new("WEFT-H003", e.body_text()))
    }
}
