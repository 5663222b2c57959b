//! A bare Tauri shell: one window, one page, nothing else — the footprint baseline.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("cannot start: {e}");
        std::process::exit(1);
    }
}
