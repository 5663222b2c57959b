//! Weft's desktop shell: Tauri commands and events over [`weft_engine`], nothing else.
//!
//! Startup opens the store (`$WEFT_DB`, else `weft.db` in the data folder the CLI shares,
//! [`weft_engine::paths`]) and tries to execute it; when another process already does, the window
//! keeps working read-only (`store_status` says so) and its commands are queued for that owner.
//! One instance runs per user: a second launch hands its arguments (a `weft://` link) to the
//! first and leaves. A panic writes a crash report to the data folder, offered at the next start.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod events;
mod fonts;
mod links;
mod notifier;
mod signals;
mod state;

use anyhow::Context as _;
use state::AppState;
use std::sync::Arc;
use tauri::{App, Manager, RunEvent};
use tauri_plugin_deep_link::DeepLinkExt as _;
use weft_engine::crash::{CrashReports, LogTail};
use weft_engine::{Engine, EngineOptions};

/// The flag that makes this binary the `weft` command line.
const CLI_FLAG: &str = "--cli";

fn main() -> anyhow::Result<()> {
    // `weft-desktop --cli ARGS` is `weft ARGS`: the packages install /usr/bin/weft as a script
    // that runs this, so that they carry one copy of the engine (the .deb must stay < 10 MB).
    if std::env::args_os().nth(1).is_some_and(|a| a == CLI_FLAG) {
        let args = std::iter::once("weft".into()).chain(std::env::args_os().skip(2));
        std::process::exit(weft_cli::run::<_, std::ffi::OsString>(args));
    }
    // Log lines go to stderr and into the tail a crash report carries.
    let tail = LogTail::new();
    let writer_tail = tail.clone();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WEFT_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(move || writer_tail.writer())
        .init();
    let crash_reports = CrashReports::new(weft_engine::paths::crash_dir());
    crash_reports.install_panic_hook("weft-desktop", env!("CARGO_PKG_VERSION"), tail);

    let app = tauri::Builder::default()
        // First, so that a second launch leaves before anything else starts. Its deep-link
        // feature hands a `weft://` argument to the deep-link plugin's handler below.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .callback(|app, _argv, _cwd| links::focus_main(app))
                .build(),
        )
        .plugin(tauri_plugin_deep_link::init())
        .plugin(
            // Only the main window: workflow windows are opened per use, not restored.
            tauri_plugin_window_state::Builder::new()
                .with_filter(|label| label == "main")
                .build(),
        )
        // The UI's fonts, from the picture renderer's built-in copies (one copy in the package).
        .register_uri_scheme_protocol("weftfont", |_ctx, request| {
            fonts::serve(request.uri().path())
        })
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .manage(links::Inbox::default())
        .setup(move |app| Ok(setup(app, crash_reports)?))
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
            commands::runs::run_timeline,
            commands::runs::open_approvals,
            commands::debug::get_breakpoints,
            commands::debug::set_breakpoints,
            commands::debug::debug_view,
            commands::windows::open_team_server,
            commands::debug::task_records,
            commands::debug::rerun_preview,
            commands::debug::list_revisions,
            commands::debug::get_revision,
            commands::debug::diff_revisions,
            commands::debug::restore_revision,
            commands::runs::list_schedulers,
            commands::runs::workflow_overview,
            commands::store::store_status,
            commands::store::session_info,
            commands::store::events_after,
            commands::picture::render_picture,
            commands::clipboard::copy_picture,
            commands::clipboard::clipboard_write_text,
            commands::clipboard::clipboard_read_text,
            commands::windows::open_workflow_window,
            commands::contacts::list_contacts,
            commands::contacts::count_contacts,
            commands::contacts::import_contacts,
            commands::contacts::export_contacts,
            commands::contacts::demo_contacts,
            commands::contacts::update_contact,
            commands::links::take_link,
            commands::crash::crash_reports,
            commands::crash::dismiss_crash_report,
            commands::screen::remember_screen,
            commands::screen::last_screen,
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

/// Opens the store, starts executing it when nobody else does, and starts forwarding events and
/// links.
fn setup(app: &mut App, crash_reports: CrashReports) -> anyhow::Result<()> {
    let db_path = weft_engine::paths::default_store();
    if let Some(parent) = db_path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut options = EngineOptions::new(&db_path);
    options.owner_name = "desktop".into();
    // The packaged templates (resources) before any source tree's: see TemplateDirs::locate.
    options.templates = weft_engine::templates::TemplateDirs::locate(
        app.path().resource_dir().ok(),
        options.templates.user.clone(),
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
    let screen_file = app
        .path()
        .app_config_dir()
        .context("no app config folder")?
        .join("screen.json");
    app.manage(AppState {
        engine,
        crash_reports,
        screen_file,
    });

    // A link the app was started with waits for the UI; later ones arrive through the handler.
    if let Some(url) = app
        .deep_link()
        .get_current()
        .ok()
        .flatten()
        .and_then(|u| u.into_iter().next())
    {
        links::receive(app.handle(), url.as_str());
    }
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            links::receive(&handle, url.as_str());
        }
    });
    signals::exit_on_terminate(app.handle().clone());

    // Lets the installed-package test check the crash report path on the real app.
    if std::env::var_os("WEFT_TEST_PANIC").is_some() {
        panic!("WEFT_TEST_PANIC is set: crashing on purpose after start-up");
    }
    Ok(())
}
