//! Tauri commands, one file per feature. Each command is a few lines calling the engine; its
//! name and arguments are the bridge contract (`snake_case` here, `camelCase` arguments in JS).

pub mod catalog;
pub mod clipboard;
pub mod contacts;
pub mod engine;
pub mod runs;
pub mod store;
pub mod templates;
pub mod workflows;
