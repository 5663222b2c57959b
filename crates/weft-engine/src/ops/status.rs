//! Who executes the store: this process, another one, or none.

use crate::exec::{Engine, Result};
use serde::Serialize;
use ts_rs::TS;

/// Whether this process executes the store, and who does otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
    /// True when this process executes runs; false when it only reads and queues commands.
    pub owner: bool,
    /// Name of the process that executes the store (`desktop`, `weft serve`…), if any.
    pub owner_name: Option<String>,
    /// Its process id.
    #[ts(type = "number | null")]
    pub owner_pid: Option<i64>,
    /// The store's file.
    pub db_path: String,
}

impl Engine {
    /// Who executes the store now.
    pub fn store_status(&self) -> Result<StoreStatus> {
        let owner = self.owner()?;
        Ok(StoreStatus {
            owner: self.is_owner(),
            owner_name: owner.as_ref().map(|o| o.name().to_string()),
            owner_pid: owner.map(|o| o.pid),
            db_path: self.inner.store.location(),
        })
    }

    /// Whether several servers execute this store at once (PostgreSQL), each claiming tasks
    /// under a lease, rather than one owner at a time (SQLite).
    pub fn shares_work(&self) -> bool {
        self.inner.store.shares_work()
    }

    /// How many tasks this process runs at once when it executes (instant steps take none).
    pub fn slots(&self) -> usize {
        self.inner.options.max_parallel_tasks
    }
}

impl Engine {
    /// How much room the store takes on disk (file, free pages, write-ahead log).
    pub fn store_size(&self) -> Result<crate::store::StoreSize> {
        Ok(self.inner.store.size()?)
    }

    /// The runs of a workflow that have not ended (pending, running, waiting), oldest first.
    pub fn active_runs(&self, workflow_id: &str) -> Result<Vec<crate::store::RunSummary>> {
        use crate::store::{RunFilter, RunStatus};
        let filter = RunFilter {
            workflow_id: Some(workflow_id.to_string()),
            statuses: vec![
                RunStatus::Pending,
                RunStatus::Running,
                RunStatus::WaitingForApproval,
            ],
            ascending: true,
            ..RunFilter::default()
        };
        Ok(self
            .list_runs(&filter, None, crate::ops::runs::MAX_PAGE)?
            .runs)
    }
}
