//! Workflows, the catalogue, templates and commands (`commands/workflows.rs`,
//! `catalog.rs`, `templates.rs` and `engine.rs` of the desktop shell).

use super::Id;
use crate::auth::Caller;
use crate::body::Json;
use crate::error::HttpResult;
use axum::extract::{Path, State};
use axum::Extension;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;
use weft_engine::catalog::{self, CatalogEntry};
use weft_engine::ops::workflows::WorkflowDetail;
use weft_engine::store::{CommandRecord, WorkflowSummary};
use weft_engine::templates::TemplateInfo;
use weft_engine::validate::Diagnostic;
use weft_engine::{Command, Engine};

type Out<T> = HttpResult<axum::Json<T>>;

fn ok<T>(value: T) -> Out<T> {
    Ok(axum::Json(value))
}

pub async fn list(State(engine): State<Engine>) -> Out<Vec<WorkflowSummary>> {
    ok(engine.list_workflows()?)
}

pub async fn get(State(engine): State<Engine>, Path(id): Path<String>) -> Out<WorkflowDetail> {
    ok(engine.workflow_detail(&id)?)
}

#[derive(Deserialize)]
pub struct Create {
    #[serde(default)]
    name: String,
    template: Option<String>,
}

pub async fn create(State(engine): State<Engine>, Json(c): Json<Create>) -> Out<WorkflowSummary> {
    ok(engine.new_workflow(&c.name, c.template.as_deref())?)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Save {
    body: Value,
    activate: Option<bool>,
    /// The revision the body was made from; without it the save overwrites whatever is latest.
    base_revision: Option<i64>,
}

pub async fn save(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Json(s): Json<Save>,
) -> Out<WorkflowSummary> {
    ok(engine.save_workflow_value(&id, s.body, s.activate == Some(true), s.base_revision)?)
}

#[derive(Deserialize)]
pub struct Rename {
    name: String,
}

pub async fn rename(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Json(r): Json<Rename>,
) -> Out<()> {
    ok(engine.rename_workflow(&id, &r.name)?)
}

#[derive(Deserialize)]
pub struct Duplicate {
    /// The body the copy holds (the editor's "Save as a copy"); without it, the latest revision.
    body: Option<Value>,
}

pub async fn duplicate(
    State(engine): State<Engine>,
    Path(id): Path<String>,
    Json(d): Json<Duplicate>,
) -> Out<WorkflowSummary> {
    match d.body {
        Some(body) => ok(engine.duplicate_workflow_as(&id, body)?),
        None => ok(engine.duplicate_workflow(&id)?),
    }
}

pub async fn delete(State(engine): State<Engine>, Path(id): Path<String>) -> Out<()> {
    ok(engine.delete_workflow(&id)?)
}

#[derive(Deserialize)]
pub struct Import {
    json: String,
}

pub async fn import(State(engine): State<Engine>, Json(i): Json<Import>) -> Out<WorkflowSummary> {
    ok(engine.import_workflow(&i.json, false)?)
}

/// The latest revision as `*.weft.json` text (a JSON string, as the desktop bridge answers).
pub async fn export(State(engine): State<Engine>, Path(id): Path<String>) -> Out<String> {
    ok(engine.workflow(&id)?.1.to_pretty_json())
}

#[derive(Deserialize)]
pub struct Validate {
    body: Value,
}

pub async fn validate(
    State(engine): State<Engine>,
    Json(v): Json<Validate>,
) -> Out<Vec<Diagnostic>> {
    ok(engine.validate_value(v.body))
}

pub async fn catalog() -> Out<Vec<CatalogEntry>> {
    ok(catalog::catalog())
}

pub async fn templates(State(engine): State<Engine>) -> Out<Vec<TemplateInfo>> {
    ok(engine.templates())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveAsTemplate {
    workflow_id: String,
    folder: String,
    name: Option<String>,
}

pub async fn save_as_template(
    State(engine): State<Engine>,
    Json(s): Json<SaveAsTemplate>,
) -> Out<TemplateInfo> {
    ok(engine.save_as_template(&s.workflow_id, &s.folder, s.name.as_deref())?)
}

/// Queues a command for a workflow; answers its id at once (wait with `/commands/{id}/wait`).
pub async fn send_to_workflow(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(command): Json<Command>,
) -> Out<i64> {
    let command = engine.authorize_command(&caller.1, signed(command, &caller))?;
    ok(engine.send(Some(&id), command)?)
}

/// Queues a command that names no workflow (approve, reject, cancel a run…).
pub async fn send_global(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Json(command): Json<Command>,
) -> Out<i64> {
    let command = engine.authorize_command(&caller.1, signed(command, &caller))?;
    ok(engine.send(None, command)?)
}

/// Approvals answered over HTTP are signed with the token's name, unless they say who (an
/// operator's are signed with the operator's name, whatever they say).
fn signed(command: Command, caller: &Caller) -> Command {
    command.signed_if_unsigned(|| Some(caller.0.name.clone()))
}

/// How long `wait_command` waits for the store's owner to apply a command (as the desktop).
const WAIT: Duration = Duration::from_secs(30);

pub async fn wait_command(State(engine): State<Engine>, Id(id): Id) -> Out<CommandRecord> {
    ok(engine.wait_command(id, WAIT).await?)
}
