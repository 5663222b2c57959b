//! Generates Tauri's context (config, capabilities, icons) at build time, and declares the app's
//! own commands so that each must be allowed explicitly in `capabilities/`.

/// Every command of `src/commands/`; `capabilities/default.json` allows them one by one.
const COMMANDS: &[&str] = &[
    "list_workflows",
    "get_workflow",
    "create_workflow",
    "save_workflow",
    "rename_workflow",
    "duplicate_workflow",
    "delete_workflow",
    "import_workflow",
    "export_workflow",
    "validate_workflow",
    "activity_catalog",
    "list_templates",
    "save_as_template",
    "send_command",
    "wait_command",
    "list_runs",
    "get_run",
    "run_tasks",
    "task_attempts",
    "run_logs",
    "run_edges",
    "run_timeline",
    "open_approvals",
    "list_schedulers",
    "workflow_overview",
    "get_breakpoints",
    "set_breakpoints",
    "debug_view",
    "open_team_server",
    "task_records",
    "rerun_preview",
    "list_revisions",
    "get_revision",
    "diff_revisions",
    "restore_revision",
    "store_status",
    "session_info",
    "events_after",
    "render_picture",
    "copy_picture",
    "clipboard_write_text",
    "clipboard_read_text",
    "open_workflow_window",
    "list_contacts",
    "count_contacts",
    "import_contacts",
    "export_contacts",
    "demo_contacts",
    "update_contact",
    "take_link",
    "crash_reports",
    "dismiss_crash_report",
    "remember_screen",
    "last_screen",
];

fn main() {
    // The built UI is embedded in the binary: rebuild when it or a config override changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-env-changed=TAURI_CONFIG");
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo::error={e:#}");
    }
}
