//! Weft's engine: the workflow file format, validation, the SQLite store, the executor and
//! scheduler, and the built-in activities. It knows nothing of who calls it: the desktop shell
//! and the `weft` CLI are two thin front doors to this same API.
//!
//! Start at [`Engine`]: open a store with [`EngineOptions`], [`Engine::start`] to execute it,
//! then create workflows and [`Engine::send`] commands.

pub mod activities;
pub mod bindings;
pub mod catalog;
pub mod command;
pub mod contacts;
pub mod crash;
pub mod debug;
pub mod diff;
pub mod exec;
pub mod expr;
pub mod fault;
pub mod links;
pub mod load;
pub mod model;
pub mod ops;
pub mod params;
pub mod paths;
pub mod schedule;
pub mod store;
pub mod templates;
pub mod validate;

pub use command::Command;
pub use exec::{Engine, EngineOptions, ManualClock, SystemClock};
pub use model::WorkflowFile;

/// Errors of operations that are not engine-API calls (loading files from disk).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("WEFT-F000 cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file did not load.
    #[error(transparent)]
    Load(#[from] load::Error),
}
