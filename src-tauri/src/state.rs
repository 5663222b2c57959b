//! What every command receives: the engine handle and the app's own files.

use std::path::PathBuf;
use weft_engine::crash::CrashReports;
use weft_engine::Engine;

/// Managed state of the app (one per process).
pub struct AppState {
    /// The engine (owner of the store, or a read-only front door when another process owns it).
    pub engine: Engine,
    /// Crash reports of earlier runs, offered at start.
    pub crash_reports: CrashReports,
    /// Where the main window's screen is kept between runs.
    pub screen_file: PathBuf,
}
