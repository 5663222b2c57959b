//! The local contacts (leads) database: pages of contacts by filter, count, CSV import and export,
//! and the demo data set offered on first start (only into an empty database).

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use std::collections::BTreeMap;
use tauri::State;
use weft_engine::contacts::{self, Contact, Filter, ImportReport};

/// A page of contacts matching a filter, by id after `after`.
#[tauri::command]
pub async fn list_contacts(
    state: State<'_, AppState>,
    filter: Filter,
    after: Option<i64>,
    limit: Option<u32>,
) -> BridgeResult<Vec<Contact>> {
    let limit = limit.unwrap_or(200).clamp(1, 2000);
    Ok(state
        .engine
        .store()
        .read(|c| contacts::list(c, &filter, after, limit))?)
}

/// How many contacts the database holds.
#[tauri::command]
pub async fn count_contacts(state: State<'_, AppState>) -> BridgeResult<i64> {
    Ok(state.engine.store().read(contacts::count)?)
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
    let delimiter = match delimiter.as_deref().unwrap_or(",").as_bytes() {
        [d] => *d,
        _ => {
            return Err(BridgeError::new(
                "WEFT-C010",
                "the delimiter must be one character",
            ))
        }
    };
    let now = state.engine.now_ms();
    let mapping = mapping.unwrap_or_default();
    let status = status.unwrap_or_else(|| "new".into());
    let store = state.engine.store();
    Ok(contacts::import_csv_into(
        store,
        csv.as_bytes(),
        delimiter,
        &mapping,
        &status,
        now,
    )?)
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
    let options = contacts::ExportOptions {
        raw_formulas: raw_formulas.unwrap_or(false),
    };
    state
        .engine
        .store()
        .read(|c| contacts::export_csv(c, &filter, None, &mut out, options))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Adds generated demo leads, only when the database holds none (never over real data).
#[tauri::command]
pub async fn demo_contacts(state: State<'_, AppState>, count: Option<u32>) -> BridgeResult<u64> {
    if state.engine.store().read(contacts::count)? > 0 {
        return Err(BridgeError::new(
            "WEFT-D006",
            "the contacts database is not empty: demo data is only added to an empty one",
        ));
    }
    let now = state.engine.now_ms();
    let (added, _) = state
        .engine
        .store()
        .write(|tx| contacts::generate_demo(tx.conn(), count.unwrap_or(3000).min(100_000), now))?;
    Ok(added)
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
    let now = state.engine.now_ms();
    let (contact, _) = state.engine.store().write(|tx| {
        contacts::update(
            tx.conn(),
            id,
            name.as_deref(),
            status.as_deref(),
            tags.as_deref(),
            now,
        )
    })?;
    contact.ok_or_else(|| BridgeError::new("WEFT-S003", format!("contact {id} not found")))
}
