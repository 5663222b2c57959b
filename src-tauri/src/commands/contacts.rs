//! The local contacts (leads) database: pages of contacts by filter, count, CSV import and export,
//! and the demo data set offered on first start (only into an empty database).

use crate::error::BridgeResult;
use crate::state::AppState;
use std::collections::BTreeMap;
use tauri::State;
use weft_engine::contacts::{Contact, ExportOptions, Filter, ImportReport};
use weft_engine::ops::contacts::{ContactChange, ImportOptions};

/// A page of contacts matching a filter, by id after `after`.
#[tauri::command]
pub async fn list_contacts(
    state: State<'_, AppState>,
    filter: Filter,
    after: Option<i64>,
    limit: Option<u32>,
) -> BridgeResult<Vec<Contact>> {
    Ok(state
        .engine
        .list_contacts(&filter, after, limit.unwrap_or(200).min(2000))?)
}

/// How many contacts the database holds.
#[tauri::command]
pub async fn count_contacts(state: State<'_, AppState>) -> BridgeResult<i64> {
    Ok(state.engine.count_contacts()?)
}

/// Imports CSV text in one transaction; rejected rows come back in the report.
#[tauri::command]
pub async fn import_contacts(
    state: State<'_, AppState>,
    csv: String,
    delimiter: Option<String>,
    mapping: Option<BTreeMap<String, String>>,
    status: Option<String>,
) -> BridgeResult<ImportReport> {
    let defaults = ImportOptions::default();
    let options = ImportOptions {
        delimiter: delimiter.unwrap_or(defaults.delimiter),
        mapping: mapping.unwrap_or_default(),
        status: status.unwrap_or(defaults.status),
    };
    Ok(state.engine.import_contacts(csv.as_bytes(), &options)?)
}

/// The contacts matching a filter as CSV text; cells a spreadsheet would run as formulas are
/// neutralised unless `raw_formulas`.
#[tauri::command]
pub async fn export_contacts(
    state: State<'_, AppState>,
    filter: Filter,
    raw_formulas: Option<bool>,
) -> BridgeResult<String> {
    let mut out = Vec::new();
    let options = ExportOptions {
        raw_formulas: raw_formulas.unwrap_or(false),
    };
    state.engine.export_contacts(&filter, &mut out, options)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Adds generated demo leads, only when the database holds none (never over real data).
#[tauri::command]
pub async fn demo_contacts(state: State<'_, AppState>, count: Option<u32>) -> BridgeResult<u64> {
    Ok(state.engine.add_demo_contacts(count.unwrap_or(3000))?)
}

/// Changes a contact's name, status or tags (those given).
#[tauri::command]
pub async fn update_contact(
    state: State<'_, AppState>,
    id: i64,
    name: Option<String>,
    status: Option<String>,
    tags: Option<Vec<String>>,
) -> BridgeResult<Contact> {
    let change = ContactChange { name, status, tags };
    Ok(state.engine.update_contact(id, &change)?)
}
