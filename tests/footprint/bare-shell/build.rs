//! Tauri's context (config, icons) for the bare shell.
fn main() {
    tauri_build::build();
}
