//! The activity catalogue that builds the palette, the section menu and the section forms.

use crate::error::BridgeResult;
use weft_engine::catalog::{self, CatalogEntry};

/// Every activity kind with its role, ports, config schema and default config.
#[tauri::command]
pub async fn activity_catalog() -> BridgeResult<Vec<CatalogEntry>> {
    Ok(catalog::catalog())
}
