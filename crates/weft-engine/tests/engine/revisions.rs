//! Revisions: listed with when and by which front door, diffed semantically, restored as a new
//! revision that keeps the workflow's current name.

use crate::support::*;
use serde_json::json;
use weft_engine::WorkflowFile;

#[tokio::test]
async fn revisions_are_listed_diffed_and_restored_as_a_new_revision() {
    let h = Harness::new().await;
    let first = json!({
        "format": 1, "name": "Report",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "fetch", "kind": "run_command", "config": {"command": "curl a"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "fetch"}, {"from": "fetch", "to": "finish"}]
    });
    let wf = h.create(first.clone());
    let mut second = first.clone();
    second["activities"][1]["config"]["command"] = json!("curl b");
    second["name"] = json!("Daily report");
    let body: WorkflowFile = weft_engine::load::from_value(second).unwrap();
    h.engine.save_workflow(&wf, &body).unwrap();

    let list = h.engine.revisions(&wf).unwrap();
    assert_eq!(
        list.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert!(
        list.iter().all(|r| r.source.as_deref() == Some("weft")),
        "{list:?}"
    );

    let d = h.engine.diff_revisions(&wf, 1, 2).unwrap();
    assert_eq!((d.from, d.to), (1, 2));
    let command = d
        .diff
        .changed
        .iter()
        .find(|c| c.activity.as_deref() == Some("fetch"))
        .unwrap();
    assert_eq!(command.field, "config.command");
    assert_eq!(
        (command.before.clone(), command.after.clone()),
        (json!("curl a"), json!("curl b"))
    );

    let summary = h.engine.restore_revision(&wf, 1).unwrap();
    assert_eq!(summary.revision, 3);
    assert_eq!(summary.name, "Daily report", "the current name is kept");
    let list = h.engine.revisions(&wf).unwrap();
    assert_eq!(list[0].note.as_deref(), Some("restored from revision 1"));
    let back = h.engine.diff_revisions(&wf, 1, 3).unwrap();
    assert_eq!(
        back.diff
            .changed
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        vec!["name"],
        "only the name differs from revision 1"
    );
    let err = h.engine.diff_revisions(&wf, 1, 9).unwrap_err();
    assert_eq!(err.code(), "WEFT-S003");
}
