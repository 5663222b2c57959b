//! Tauri commands, one file per feature. Each command is a few lines calling the engine; its
//! name and arguments are the bridge contract (`snake_case` here, `camelCase` arguments in JS).

pub mod catalog;
pub mod clipboard;
pub mod contacts;
pub mod crash;
pub mod debug;
pub mod engine;
pub mod links;
pub mod picture;
pub mod runs;
pub mod screen;
pub mod store;
pub mod templates;
pub mod windows;
pub mod workflows;

/// A command works only when it is registered in three places; this catches a missing one.
#[cfg(test)]
mod wiring {
    use std::collections::BTreeSet;

    fn read(file: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
            .expect(file)
    }

    #[test]
    fn every_command_is_in_the_handler_the_manifest_and_the_capability() {
        let main = read("src/main.rs");
        let handler: BTreeSet<String> = main
            .lines()
            .filter_map(|l| l.trim().strip_prefix("commands::"))
            .filter_map(|l| l.trim_end_matches(',').rsplit("::").next())
            .map(str::to_owned)
            .collect();
        let build = read("build.rs");
        let manifest: BTreeSet<String> = build
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('"') && l.ends_with("\","))
            .map(|l| l.trim_matches(|c| c == '"' || c == ',').to_owned())
            .collect();
        let caps: serde_json::Value =
            serde_json::from_str(&read("capabilities/default.json")).expect("capability JSON");
        let allowed: BTreeSet<String> = caps["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        assert!(handler.len() > 30, "parsed {handler:?}");
        assert_eq!(handler, manifest, "generate_handler! vs build.rs COMMANDS");
        assert_eq!(
            handler, allowed,
            "generate_handler! vs capabilities/default.json"
        );
    }

    #[test]
    fn every_shell_error_code_is_documented() {
        let docs = read("../docs/errors/desktop.md");
        let mut missing = Vec::new();
        for dir in ["src", "src/commands"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&path).expect("source folder").flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for (at, _) in text.match_indices("\"WEFT-D") {
                    let Some(code) = text.get(at + 1..at + 10) else {
                        continue;
                    };
                    if !code[6..].bytes().all(|b| b.is_ascii_digit()) {
                        continue;
                    }
                    if !docs.contains(&format!("| {code} |")) {
                        missing.push(format!("{code} ({})", entry.path().display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in docs/errors/desktop.md: {missing:?}"
        );
    }
}
