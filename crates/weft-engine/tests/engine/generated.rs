//! The committed schemas (`docs/schema/`) and TypeScript types (`ui/src/bridge/generated/`) must
//! match what the Rust types generate: run `make gen` after changing a type.

use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn assert_fresh(path: PathBuf, expected: String) {
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is stale: run `make gen` and commit the result",
        path.display()
    );
}

#[test]
fn committed_schemas_are_current() {
    let dir = repo().join("docs/schema");
    assert_fresh(
        dir.join("workflow.schema.json"),
        serde_json::to_string_pretty(&weft_engine::catalog::workflow_schema()).unwrap() + "\n",
    );
    assert_fresh(
        dir.join("catalog.json"),
        serde_json::to_string_pretty(&weft_engine::catalog::catalog()).unwrap() + "\n",
    );
    assert_fresh(
        dir.join("command.schema.json"),
        serde_json::to_string_pretty(&weft_engine::catalog::command_schema()).unwrap() + "\n",
    );
}

#[test]
fn committed_typescript_types_are_current() {
    assert_fresh(
        repo().join("ui/src/bridge/generated/index.ts"),
        weft_engine::bindings::typescript(),
    );
}

#[test]
fn every_shipped_template_loads_and_validates() {
    let dir = repo().join("workflows-templates");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".weft.json") {
            continue;
        }
        let wf = weft_engine::load::from_path(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let problems = weft_engine::validate::validate(&wf);
        assert!(
            !weft_engine::validate::has_errors(&problems),
            "{}: {problems:?}",
            path.display()
        );
        count += 1;
    }
    assert!(count >= 8, "at least eight templates ship, found {count}");
}

/// Every `WEFT-` code the engine's sources mention is listed in `docs/errors/README.md`.
#[test]
fn every_engine_error_code_is_documented() {
    let docs = std::fs::read_to_string(repo().join("docs/errors/README.md")).unwrap();
    let mut missing = std::collections::BTreeSet::new();
    let mut folders = vec![repo().join("crates/weft-engine/src")];
    let mut seen = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (at, _) in text.match_indices("WEFT-") {
                let Some(code) = text.get(at..at + 9) else {
                    continue;
                };
                let bytes = code.as_bytes();
                if !bytes[5].is_ascii_uppercase() || !bytes[6..].iter().all(u8::is_ascii_digit) {
                    continue;
                }
                seen += 1;
                if !docs.contains(&format!("| {code} |")) {
                    missing.insert(format!("{code} ({})", path.display()));
                }
            }
        }
    }
    assert!(seen > 30, "found only {seen} codes");
    assert!(
        missing.is_empty(),
        "not in docs/errors/README.md: {missing:?}"
    );
}
