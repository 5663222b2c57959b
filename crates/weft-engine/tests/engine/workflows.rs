//! Workflows in the store: names are unique, free names are offered for new workflows and
//! copies, and imports answer a second import of the same file as a re-import.

use crate::support::*;
use serde_json::json;
use weft_engine::exec::Error;
use weft_engine::{Engine, WorkflowFile};

fn blank(name: &str) -> WorkflowFile {
    WorkflowFile::new_blank(name)
}

fn names(engine: &Engine) -> Vec<String> {
    let mut names: Vec<String> = engine
        .list_workflows()
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_taken_name_is_refused_with_a_code_on_create_rename_and_save() {
    let h = Harness::new().await;
    let first = h.engine.create_workflow(&blank("Report")).unwrap();
    let other = h.engine.create_workflow(&blank("Other")).unwrap();

    let err = h.engine.create_workflow(&blank("Report")).unwrap_err();
    assert!(
        matches!(err, Error::NameTaken { ref name } if name == "Report"),
        "{err}"
    );
    assert_eq!(err.code(), "WEFT-X006");
    assert!(err.to_string().starts_with("WEFT-X006"), "{err}");

    let err = h.engine.rename_workflow(&other.id, "Report").unwrap_err();
    assert_eq!(err.code(), "WEFT-X006", "{err}");
    let err = h
        .engine
        .save_workflow(&other.id, &blank("Report"))
        .unwrap_err();
    assert_eq!(err.code(), "WEFT-X006", "{err}");

    // Renaming a workflow to its own name, or saving it, is no conflict.
    h.engine.rename_workflow(&first.id, "Report").unwrap();
    h.engine.save_workflow(&first.id, &blank("Report")).unwrap();
    assert_eq!(names(&h.engine), vec!["Other", "Report"]);
}

#[tokio::test]
async fn blank_names_too_long_names_and_control_characters_are_refused() {
    let h = Harness::new().await;
    for bad in ["", "   ", "two\nlines", "nul\0byte"] {
        let err = h.engine.create_workflow(&blank(bad)).unwrap_err();
        assert_eq!(err.code(), "WEFT-X007", "{bad:?}: {err}");
    }
    let long = "n".repeat(201);
    let err = h.engine.create_workflow(&blank(&long)).unwrap_err();
    assert_eq!(err.code(), "WEFT-X007");
    assert!(
        err.to_string().contains("201 characters") && err.to_string().len() < 200,
        "{err}"
    );
    let fits = "n".repeat(200);
    let ok = h.engine.create_workflow(&blank(&fits)).unwrap();
    let err = h.engine.rename_workflow(&ok.id, &long).unwrap_err();
    assert_eq!(err.code(), "WEFT-X007");
}

#[tokio::test]
async fn new_workflows_without_a_chosen_name_get_the_next_free_one() {
    let h = Harness::new().await;
    let made: Vec<String> = (0..3)
        .map(|_| {
            h.engine
                .create_workflow_with_free_name(&blank(""))
                .unwrap()
                .name
        })
        .collect();
    assert_eq!(
        made,
        vec![
            "Untitled workflow",
            "Untitled workflow (2)",
            "Untitled workflow (3)"
        ]
    );
    // From a template's name, with a gap filled first.
    h.engine
        .create_workflow(&blank("Daily report (2)"))
        .unwrap();
    let a = h
        .engine
        .create_workflow_with_free_name(&blank("Daily report"))
        .unwrap();
    let b = h
        .engine
        .create_workflow_with_free_name(&blank("Daily report"))
        .unwrap();
    assert_eq!(
        (a.name.as_str(), b.name.as_str()),
        ("Daily report", "Daily report (3)")
    );
    let (_, body) = h.engine.workflow(&b.id).unwrap();
    assert_eq!(
        body.name, "Daily report (3)",
        "the body carries the name too"
    );
}

#[tokio::test]
async fn copies_get_the_next_free_copy_name_within_the_length_limit() {
    let h = Harness::new().await;
    let wf = h.engine.create_workflow(&blank("Flow")).unwrap();
    let copies: Vec<String> = (0..3)
        .map(|_| h.engine.duplicate_workflow(&wf.id).unwrap().name)
        .collect();
    assert_eq!(
        copies,
        vec!["Flow (copy)", "Flow (copy 2)", "Flow (copy 3)"]
    );
    let long = h.engine.create_workflow(&blank(&"x".repeat(200))).unwrap();
    let copy = h.engine.duplicate_workflow(&long.id).unwrap();
    assert_eq!(copy.name.chars().count(), 200);
    assert!(copy.name.ends_with("x (copy)"), "{}", copy.name);
}

#[tokio::test]
async fn importing_a_file_again_answers_with_the_same_workflow() {
    let h = Harness::new().await;
    let text = serde_json::to_string(&chain("Imported", vec![cmd("x", "true")])).unwrap();
    let first = h.engine.import_workflow(&text, false).unwrap();
    let again = h.engine.import_workflow(&text, false).unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(again.revision, first.revision, "unchanged");

    let changed = serde_json::to_string(&chain("Imported", vec![cmd("x", "false")])).unwrap();
    let err = h.engine.import_workflow(&changed, false).unwrap_err();
    assert_eq!(err.code(), "WEFT-X006", "{err}");
    let replaced = h.engine.import_workflow(&changed, true).unwrap();
    assert_eq!(replaced.id, first.id);
    assert_eq!(replaced.revision, first.revision + 1, "a new revision");
    assert_eq!(h.engine.list_workflows().unwrap().len(), 1);
}

#[tokio::test]
async fn a_file_without_a_start_is_refused_at_import() {
    let h = Harness::new().await;
    let text = json!({"format": 1, "name": "No start", "activities": [{"id": "finish", "kind": "finish"}]})
        .to_string();
    let err = h.engine.import_workflow(&text, false).unwrap_err();
    assert_eq!(err.code(), "WEFT-X001");
    assert!(
        err.to_string().contains("WEFT-V001") && err.to_string().contains("no Start"),
        "{err}"
    );
    assert!(h.engine.list_workflows().unwrap().is_empty());
    // The editor's path is unaffected: an incomplete workflow with a Start can be created.
    let mut incomplete = blank("Being drawn");
    incomplete.transitions.clear();
    h.engine.create_workflow(&incomplete).unwrap();
}

#[test]
fn imports_at_once_from_many_engines_on_one_store_make_one_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("weft.db");
    drop(Engine::open(weft_engine::EngineOptions::new(&path)).unwrap());
    let text = serde_json::to_string(&chain("Raced", vec![cmd("x", "true")])).unwrap();
    for round in 0..10 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, text, barrier) = (path.clone(), text.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let engine = Engine::open(weft_engine::EngineOptions::new(&path)).unwrap();
                    barrier.wait();
                    engine.import_workflow(&text, round % 2 == 1).map(|s| s.id)
                })
            })
            .collect();
        let ids: Vec<String> = handles
            .into_iter()
            .map(|h| h.join().unwrap().expect("every import succeeds"))
            .collect();
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    }
    let engine = Engine::open(weft_engine::EngineOptions::new(&path)).unwrap();
    assert_eq!(names(&engine), vec!["Raced"]);
    assert_eq!(engine.list_workflows().unwrap()[0].revision, 1);
}

#[tokio::test]
async fn a_save_over_a_revision_made_elsewhere_is_refused_with_a_code() {
    let h = Harness::new().await;
    let wf = h.engine.create_workflow(&blank("Shared")).unwrap();
    let base = wf.revision;
    // Another window saves first, from the same revision.
    let mut theirs = blank("Shared");
    theirs.description = "theirs".into();
    let saved = h
        .engine
        .save_workflow_over(&wf.id, &theirs, Some(base))
        .unwrap();
    assert_eq!(saved.revision, base + 1);

    // This editor still holds `base`: its save is refused and changes nothing.
    let mut mine = blank("Shared");
    mine.description = "mine".into();
    let err = h
        .engine
        .save_workflow_over(&wf.id, &mine, Some(base))
        .unwrap_err();
    assert!(
        matches!(err, Error::StaleRevision { base: b, latest, .. } if b == base && latest == base + 1),
        "{err}"
    );
    assert_eq!(err.code(), "WEFT-X009");
    let api = weft_engine::ops::error::ApiError::from(err);
    assert_eq!(api.details["latest"], json!(base + 1));
    let (summary, body) = h.engine.workflow(&wf.id).unwrap();
    assert_eq!(
        (summary.revision, body.description.as_str()),
        (base + 1, "theirs")
    );

    // The same save from the JSON front door refuses the same way.
    let value = serde_json::to_value(&mine).unwrap();
    let err = h
        .engine
        .save_workflow_value(&wf.id, value.clone(), false, Some(base))
        .unwrap_err();
    assert_eq!(err.code(), "WEFT-X009");

    // Overwrite: a save from the latest revision, or one without a base, goes through.
    let over = h
        .engine
        .save_workflow_value(&wf.id, value.clone(), false, Some(base + 1))
        .unwrap();
    assert_eq!(over.revision, base + 2);
    h.engine.save_workflow(&wf.id, &mine).unwrap();

    // Save as a copy: a new workflow holding this body beside the original.
    let copy = h.engine.duplicate_workflow_as(&wf.id, value).unwrap();
    assert_eq!(copy.name, "Shared (copy)");
    let (_, copied) = h.engine.workflow(&copy.id).unwrap();
    assert_eq!(
        (copied.name.as_str(), copied.description.as_str()),
        ("Shared (copy)", "mine")
    );
}
