//! What every command receives: the engine handle, where the store lives and where templates are.

use crate::templates::TemplateDirs;
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;
use weft_engine::Engine;

/// Managed state of the app (one per process).
pub struct AppState {
    /// The engine (owner of the store, or a read-only front door when another process owns it).
    pub engine: Engine,
    /// The SQLite file.
    pub db_path: PathBuf,
    /// Shipped and user template folders.
    pub templates: TemplateDirs,
}

/// Whether this window executes the store, and who does otherwise.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
    /// True when this process executes runs; false when it only reads and queues commands.
    pub owner: bool,
    /// Name of the process that executes the store (`desktop`, `weft`), if any.
    pub owner_name: Option<String>,
    /// Its process id.
    #[ts(type = "number | null")]
    pub owner_pid: Option<i64>,
    /// The SQLite file.
    pub db_path: String,
}

impl AppState {
    /// The current ownership of the store.
    pub fn store_status(&self) -> Result<StoreStatus, weft_engine::exec::Error> {
        let owner = self.engine.owner()?;
        Ok(StoreStatus {
            owner: self.engine.is_owner(),
            // Owner ids are `name-pid-random`: keep the name.
            owner_name: owner.as_ref().map(|o| {
                o.owner
                    .rsplitn(3, '-')
                    .last()
                    .unwrap_or_default()
                    .to_string()
            }),
            owner_pid: owner.map(|o| o.pid),
            db_path: self.db_path.display().to_string(),
        })
    }
}
