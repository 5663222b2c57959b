//! TypeScript of the shell's own bridge types (the engine's come from `weft gen-ts`), generated
//! with ts-rs like them into `ui/src/bridge/generated/desktop.ts`. The test regenerates it with
//! `WEFT_GEN=1` and otherwise fails when the committed copy is stale.

/// The generated file.
fn typescript() -> String {
    use ts_rs::TS;
    let mut out = String::from(
        "// Generated from src-tauri by `WEFT_GEN=1 cargo test -p weft-desktop` (ts-rs). Do not edit: change the Rust types.\n/* eslint-disable */\nimport type { WorkflowFile, WorkflowSummary } from './index';\n\n",
    );
    for decl in [
        crate::error::BridgeError::decl(),
        crate::state::StoreStatus::decl(),
        crate::templates::TemplateInfo::decl(),
        crate::commands::workflows::WorkflowDetail::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out
}

/// Regenerates with `WEFT_GEN=1`; otherwise fails when the committed copy is stale.
#[test]
fn generated_typescript_of_the_shell_types_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ui/src/bridge/generated/desktop.ts");
    let fresh = typescript();
    if std::env::var_os("WEFT_GEN").is_some() {
        std::fs::write(&path, &fresh).expect("write desktop.ts");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: run WEFT_GEN=1 cargo test -p weft-desktop",
        path.display()
    );
}
