//! What every command receives: the engine handle.

use weft_engine::Engine;

/// Managed state of the app (one per process).
pub struct AppState {
    /// The engine (owner of the store, or a read-only front door when another process owns it).
    pub engine: Engine,
}
