//! The debugger and revisions (`commands/debug.rs` of the desktop shell): a workflow's
//! breakpoints, what a debug run is paused at, a workflow's revisions, one of them, the diff of
//! two, and restoring one; a task's input and output records; what a re-run after an edit
//! reuses. Debug runs and Continue / Step / Skip / Stop are commands (`/commands`).

use super::{Id, Query};
use crate::body::Json;
use crate::error::{HttpError, HttpResult};
use axum::extract::{Path, State};
use serde::Deserialize;
use weft_engine::debug::{Breakpoint, DebugView};
use weft_engine::diff::RevisionDiff;
use weft_engine::model::WorkflowFile;
use weft_engine::ops::inspect::{RecordSide, RerunPreview, TaskRecords, MAX_RECORDS};
use weft_engine::store::workflows::RevisionInfo;
use weft_engine::store::WorkflowSummary;
use weft_engine::Engine;

type Out<T> = HttpResult<axum::Json<T>>;

fn ok<T>(value: T) -> Out<T> {
    Ok(axum::Json(value))
}

pub async fn breakpoints(
    State(engine): State<Engine>,
    Path(id): Path<String>,
) -> Out<Vec<Breakpoint>> {
    ok(engine.breakpoints(&id)?)
}

#[derive(Deserialize)]
pub struct SetBreakpoints {
    breakpoints: Vec<Breakpoint>,
}

pub async fn set_breakpoints(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Json(s): Json<SetBreakpoints>,
) -> Out<Vec<Breakpoint>> {
    ok(engine.set_breakpoints(&id, s.breakpoints)?)
}

pub async fn debug_view(State(engine): State<Engine>, Id(id): Id) -> Out<DebugView> {
    ok(engine.debug_view(id)?)
}

#[derive(Deserialize)]
pub struct RecordsQuery {
    side: RecordSide,
    #[serde(default)]
    search: Option<String>,
    #[serde(default = "default_limit")]
    limit: u32,
}

fn default_limit() -> u32 {
    MAX_RECORDS
}

pub async fn task_records(
    State(engine): State<Engine>,
    Id(id): Id,
    Query(q): Query<RecordsQuery>,
) -> Out<TaskRecords> {
    ok(engine.task_records(id, q.side, q.search.as_deref(), q.limit)?)
}

pub async fn rerun_preview(State(engine): State<Engine>, Id(id): Id) -> Out<RerunPreview> {
    ok(engine.rerun_preview(id)?)
}

pub async fn revisions(
    State(engine): State<Engine>,
    Path(id): Path<String>,
) -> Out<Vec<RevisionInfo>> {
    ok(engine.revisions(&id)?)
}

/// One revision of a workflow, as its file.
pub async fn revision(
    State(engine): State<Engine>,
    Path((id, revision)): Path<(String, String)>,
) -> Out<WorkflowFile> {
    let revision: i64 = revision.parse().map_err(|_| {
        HttpError::new(
            "WEFT-H003",
            format!("{revision:?} is not a revision number"),
        )
    })?;
    ok(engine.workflow_revision(&id, revision)?)
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

pub async fn diff(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Out<RevisionDiff> {
    ok(engine.diff_revisions(&id, q.from, q.to)?)
}

#[derive(Deserialize)]
pub struct Restore {
    revision: i64,
}

pub async fn restore(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Json(r): Json<Restore>,
) -> Out<WorkflowSummary> {
    ok(engine.restore_revision(&id, r.revision)?)
}
