//! Weft's desktop shell: Tauri commands and events over [`weft_engine`], nothing else.
//!
//! Startup opens the store (`$WEFT_DB`, else `<app data>/weft.db`) and tries to execute it; when
//! another process already does, the window keeps working read-only (`store_status` says so) and
//! its commands are queued for that owner.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod events;
mod notifier;
mod state;

use anyhow::Context as _;
use state::AppState;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{App, Manager, RunEvent};
use weft_engine::{Engine, EngineOptions};

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WEFT_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| Ok(setup(app)?))
        .invoke_handler(tauri::generate_handler![
            commands::workflows::list_workflows,
            commands::workflows::get_workflow,
            commands::workflows::create_workflow,
            commands::workflows::save_workflow,
            commands::workflows::rename_workflow,
            commands::workflows::duplicate_workflow,
            commands::workflows::delete_workflow,
            commands::workflows::import_workflow,
            commands::workflows::export_workflow,
            commands::workflows::validate_workflow,
            commands::catalog::activity_catalog,
            commands::templates::list_templates,
            commands::templates::save_as_template,
            commands::engine::send_command,
            commands::engine::wait_command,
            commands::runs::list_runs,
            commands::runs::get_run,
            commands::runs::run_tasks,
            commands::runs::task_attempts,
            commands::runs::run_logs,
            commands::runs::run_edges,
            commands::runs::open_approvals,
            commands::store::store_status,
            commands::store::events_after,
            commands::clipboard::copy_png,
            commands::clipboard::clipboard_write_text,
            commands::clipboard::clipboard_read_text,
            commands::windows::open_workflow_window,
            commands::contacts::list_contacts,
            commands::contacts::count_contacts,
            commands::contacts::import_contacts,
            commands::contacts::export_contacts,
            commands::contacts::demo_contacts,
            commands::contacts::update_contact,
        ])
        .build(tauri::generate_context!())
        .context("cannot start the desktop app")?;
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Releases the store so that `weft serve` or another window can take over at once.
            if let Some(state) = handle.try_state::<AppState>() {
                state.engine.shutdown();
            }
        }
    });
    Ok(())
}

/// Opens the store, starts executing it when nobody else does, and starts forwarding events.
fn setup(app: &mut App) -> anyhow::Result<()> {
    let data_dir = app.path().app_data_dir().context("no app data folder")?;
    let db_path = match std::env::var_os("WEFT_DB") {
        Some(path) => PathBuf::from(path),
        None => data_dir.join("weft.db"),
    };
    if let Some(parent) = db_path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut options = EngineOptions::new(&db_path);
    options.owner_name = "desktop".into();
    options.templates = weft_engine::templates::TemplateDirs::locate(
        app.path().resource_dir().ok(),
        data_dir.join("templates"),
    );
    tracing::info!(
        "templates: shipped {:?}, user {}",
        options.templates.shipped,
        options.templates.user.display()
    );
    options.notifier = Arc::new(notifier::DesktopNotifier::new(app.handle().clone()));
    let engine = Engine::open(options)
        .with_context(|| format!("cannot open the store {}", db_path.display()))?;

    // The executor spawns onto the current tokio runtime: Tauri's async runtime is tokio.
    match tauri::async_runtime::block_on(async { engine.start() }) {
        Ok(_executor) => tracing::info!("executing the store {}", db_path.display()),
        Err(e) => tracing::warn!("read-only: {e}"),
    }

    events::forward(app.handle().clone(), engine.clone());
    app.manage(AppState { engine });
    Ok(())
}
