//! The contacts database (`commands/contacts.rs` of the desktop shell).

use super::Id;
use crate::body::Json;
use crate::error::HttpResult;
use axum::extract::State;
use serde::Deserialize;
use std::collections::BTreeMap;
use weft_engine::contacts::{Contact, ExportOptions, Filter, ImportReport};
use weft_engine::ops::contacts::{ContactChange, ImportOptions};
use weft_engine::Engine;

type Out<T> = HttpResult<axum::Json<T>>;

fn ok<T>(value: T) -> Out<T> {
    Ok(axum::Json(value))
}

#[derive(Deserialize)]
pub struct ListContacts {
    #[serde(default)]
    filter: Filter,
    after: Option<i64>,
    limit: Option<u32>,
}

pub async fn list(State(engine): State<Engine>, Json(q): Json<ListContacts>) -> Out<Vec<Contact>> {
    ok(engine.list_contacts(&q.filter, q.after, q.limit.unwrap_or(200).min(2000))?)
}

pub async fn count(State(engine): State<Engine>) -> Out<i64> {
    ok(engine.count_contacts()?)
}

#[derive(Deserialize)]
pub struct Import {
    csv: String,
    delimiter: Option<String>,
    mapping: Option<BTreeMap<String, String>>,
    status: Option<String>,
}

/// Imports CSV text (at most the 1 MiB of a request body; larger files go through
/// `weft contacts import`).
pub async fn import(State(engine): State<Engine>, Json(i): Json<Import>) -> Out<ImportReport> {
    let defaults = ImportOptions::default();
    let options = ImportOptions {
        delimiter: i.delimiter.unwrap_or(defaults.delimiter),
        mapping: i.mapping.unwrap_or_default(),
        status: i.status.unwrap_or(defaults.status),
    };
    ok(engine.import_contacts(i.csv.as_bytes(), &options)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    #[serde(default)]
    filter: Filter,
    raw_formulas: Option<bool>,
}

/// The matching contacts as CSV text (a JSON string, as the desktop bridge answers).
pub async fn export(State(engine): State<Engine>, Json(e): Json<Export>) -> Out<String> {
    let mut out = Vec::new();
    let options = ExportOptions {
        raw_formulas: e.raw_formulas.unwrap_or(false),
    };
    engine.export_contacts(&e.filter, &mut out, options)?;
    ok(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Deserialize)]
pub struct Demo {
    count: Option<u32>,
}

pub async fn demo(State(engine): State<Engine>, Json(d): Json<Demo>) -> Out<u64> {
    ok(engine.add_demo_contacts(d.count.unwrap_or(3000))?)
}

#[derive(Deserialize)]
pub struct Update {
    name: Option<String>,
    status: Option<String>,
    tags: Option<Vec<String>>,
}

pub async fn update(
    State(engine): State<Engine>,
    Id(id): Id,
    Json(u): Json<Update>,
) -> Out<Contact> {
    let change = ContactChange {
        name: u.name,
        status: u.status,
        tags: u.tags,
    };
    ok(engine.update_contact(id, &change)?)
}
