//! Runs history, monitoring and the Schedulers view (`commands/runs.rs` of the desktop shell).
//! Reads only.

use super::{Id, Query};
use crate::body::Json;
use crate::error::HttpResult;
use axum::extract::{Path, State};
use serde::Deserialize;
use weft_engine::ops::schedulers::{SchedulerRow, WorkflowOverview};
use weft_engine::store::timeline::{TimelineCursor, TimelinePage};
use weft_engine::store::{
    ApprovalRecord, AttemptRecord, EdgeRecord, LogLine, RunDetail, RunFilter, RunPage, TaskRecord,
};
use weft_engine::Engine;

type Out<T> = HttpResult<axum::Json<T>>;

fn ok<T>(value: T) -> Out<T> {
    Ok(axum::Json(value))
}

#[derive(Deserialize)]
pub struct ListRuns {
    #[serde(default)]
    filter: RunFilter,
    cursor: Option<i64>,
    limit: Option<u32>,
}

/// One page of runs; pass `next` back as `cursor`.
pub async fn list(State(engine): State<Engine>, Json(q): Json<ListRuns>) -> Out<RunPage> {
    ok(engine.list_runs(&q.filter, q.cursor, q.limit.unwrap_or(50))?)
}

pub async fn get(State(engine): State<Engine>, Id(id): Id) -> Out<RunDetail> {
    ok(engine.run(id)?)
}

pub async fn tasks(State(engine): State<Engine>, Id(id): Id) -> Out<Vec<TaskRecord>> {
    ok(engine.run_tasks(id)?)
}

pub async fn attempts(State(engine): State<Engine>, Id(id): Id) -> Out<Vec<AttemptRecord>> {
    ok(engine.task_attempts(id)?)
}

#[derive(Deserialize)]
pub struct Logs {
    activity: Option<String>,
}

/// A run's log lines, optionally of one activity (`?activity=ID`).
pub async fn logs(
    State(engine): State<Engine>,
    Id(id): Id,
    Query(q): Query<Logs>,
) -> Out<Vec<LogLine>> {
    ok(engine.run_logs(id, q.activity.as_deref())?)
}

pub async fn edges(State(engine): State<Engine>, Id(id): Id) -> Out<Vec<EdgeRecord>> {
    ok(engine.run_edges(id)?)
}

#[derive(Deserialize)]
pub struct Timeline {
    after: Option<TimelineCursor>,
    limit: Option<u32>,
}

/// One page of a run's timeline; pass `next` back as `after`.
pub async fn timeline(
    State(engine): State<Engine>,
    Id(id): Id,
    Json(q): Json<Timeline>,
) -> Out<TimelinePage> {
    ok(engine.run_timeline(id, q.after, q.limit.unwrap_or(1_000))?)
}

/// The approvals the caller is asked to answer (an operator: those of their groups).
pub async fn approvals(
    State(engine): State<Engine>,
    axum::Extension(caller): axum::Extension<crate::auth::Caller>,
) -> Out<Vec<ApprovalRecord>> {
    ok(engine.open_approvals_for(&caller.1, None)?)
}

/// Every workflow with a schedule trigger, as the Schedulers view lists it.
pub async fn schedulers(State(engine): State<Engine>) -> Out<Vec<SchedulerRow>> {
    ok(engine.list_schedulers()?)
}

/// A workflow's detail page: schedules, recent runs, approvals waiting.
pub async fn overview(
    State(engine): State<Engine>,
    Path(id): Path<String>,
) -> Out<WorkflowOverview> {
    ok(engine.workflow_overview(&id)?)
}
