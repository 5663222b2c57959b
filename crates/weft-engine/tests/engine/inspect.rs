//! Inspecting a run in the debugger: a task's input and output records (counts, first page,
//! search), variables edited while paused, and re-running a past run after an edit with the
//! results upstream of the first change reused.

use crate::support::*;
use serde_json::{json, Value};
use weft_engine::debug::{Breakpoint, DebugAction};
use weft_engine::ops::inspect::RecordSide;
use weft_engine::store::{RunStatus, Trigger};
use weft_engine::Command;

/// start → q (new leads) → show → finish.
fn inspected() -> Value {
    json!({
        "format": 1, "name": "Inspected",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "q", "kind": "query", "config": {"filter": {"rules": [{"field": "status", "op": "eq", "value": "new"}]}}},
            {"id": "show", "kind": "set_variables", "config": {"variables": {"seen": "{{ tasks.q.recordCount }}"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "q"}, {"from": "q", "to": "show"}, {"from": "show", "to": "finish"}
        ]
    })
}

async fn paused_before(h: &Harness, run: i64, activity: &str) -> i64 {
    wait_for(
        || async {
            h.engine
                .debug_view(run)
                .unwrap()
                .paused
                .iter()
                .any(|p| p.activity_id == activity)
        },
        "the pause",
    )
    .await;
    h.task(run, activity).id
}

#[tokio::test]
async fn a_paused_task_shows_its_input_and_the_upstream_output_with_counts_and_search() {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("ada@x.io", "Ada", "new", None),
            ("bob@x.io", "Bob", "new", None),
            ("cy@x.io", "Cy", "customer", None),
            ("dee@x.io", "Dee", "new", None),
        ],
    );
    let wf = h.create(inspected());
    h.engine
        .set_breakpoints(&wf, vec![Breakpoint::parse("show").unwrap()])
        .unwrap();
    let run = debug_run(&h, &wf, json!({}), false).await;
    let show = paused_before(&h, run, "show").await;
    let q = h.task(run, "q").id;

    let out = h
        .engine
        .task_records(q, RecordSide::Output, None, 200)
        .unwrap();
    assert_eq!((out.total, out.matching), (3, 3));
    assert_eq!(out.sets.len(), 1);
    assert_eq!((out.sets[0].port.as_str(), out.sets[0].count), ("ok", 3));
    let emails: Vec<&str> = out.rows.iter().map(|c| c.email.as_str()).collect();
    assert_eq!(emails, ["ada@x.io", "bob@x.io", "dee@x.io"]);

    let input = h
        .engine
        .task_records(show, RecordSide::Input, None, 2)
        .unwrap();
    assert_eq!(input.total, 3, "what q sent along the taken transition");
    assert_eq!(input.rows.len(), 2, "at most the limit");
    assert_eq!(input.sets[0].activity_id, "q");

    let found = h
        .engine
        .task_records(show, RecordSide::Input, Some("  BOB "), 200)
        .unwrap();
    assert_eq!((found.total, found.matching), (3, 1));
    assert_eq!(found.rows[0].name, "Bob");
    let none = h
        .engine
        .task_records(show, RecordSide::Output, None, 200)
        .unwrap();
    assert_eq!((none.total, none.rows.len()), (0, 0), "show has not run");
    let missing = h.engine.task_records(999_999, RecordSide::Input, None, 10);
    assert!(missing.is_err());

    h.command(
        &wf,
        Command::Debug {
            run_id: run,
            task_id: None,
            action: DebugAction::Continue,
        },
    )
    .await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
}

#[tokio::test]
async fn variables_edited_while_paused_are_what_the_next_activity_reads() {
    let h = Harness::new().await;
    let wf = h.create(json!({
        "format": 1, "name": "Vars",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "seg", "kind": "set_variables", "config": {"variables": {"segment": "vip", "keep": "1"}}},
            {"id": "show", "kind": "set_variables", "config": {"variables": {"seen": "{{ vars.segment }}"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "seg"}, {"from": "seg", "to": "show"}, {"from": "show", "to": "finish"}]
    }));
    // Not a debug run, not paused, not an object: refused, nothing changed.
    let plain = h.run_now(&wf, json!({})).await;
    h.wait_final(plain).await;
    let refused = h
        .command_refused(
            Some(&wf),
            Command::SetVariables {
                run_id: plain,
                vars: json!({"segment": "x"}),
            },
        )
        .await;
    assert!(refused.contains("not a debug run"), "{refused}");

    h.engine
        .set_breakpoints(&wf, vec![Breakpoint::parse("show").unwrap()])
        .unwrap();
    let run = debug_run(&h, &wf, json!({}), false).await;
    paused_before(&h, run, "show").await;
    let bad = h
        .command_refused(
            Some(&wf),
            Command::SetVariables {
                run_id: run,
                vars: json!(["segment"]),
            },
        )
        .await;
    assert!(bad.contains("must be an object"), "{bad}");
    let outcome = h
        .command(
            &wf,
            Command::SetVariables {
                run_id: run,
                vars: json!({"segment": "edited", "added": 2}),
            },
        )
        .await;
    assert!(
        outcome.to_string().contains("added, keep, segment"),
        "names what changed: {outcome}"
    );
    let logs = h.engine.run_logs(run, Some("show")).unwrap();
    assert!(logs
        .iter()
        .any(|l| l.message.contains("variables changed in the debugger")));
    h.command(
        &wf,
        Command::Debug {
            run_id: run,
            task_id: None,
            action: DebugAction::Continue,
        },
    )
    .await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.vars["seen"], json!("edited"));
    assert_eq!(detail.vars["added"], json!(2));
    assert!(detail.vars.get("keep").is_none(), "removed in the debugger");
    let after = h
        .command_refused(
            Some(&wf),
            Command::SetVariables {
                run_id: run,
                vars: json!({}),
            },
        )
        .await;
    assert!(after.contains("not paused"), "{after}");
}

fn edited(h: &Harness, wf: &str, f: impl FnOnce(&mut Value)) {
    let (_, body) = h.engine.workflow(wf).unwrap();
    let mut value = serde_json::to_value(&body).unwrap();
    f(&mut value);
    h.engine
        .save_workflow_value(wf, value, false, None)
        .unwrap();
}

#[tokio::test]
async fn a_rerun_after_an_edit_reuses_what_is_upstream_of_the_change_and_runs_the_rest() {
    let h = Harness::new().await;
    let counter = h.path("count");
    let wf = h.create(chain(
        "Rerun",
        vec![
            cmd("expensive", &format!("echo run >> {counter}; echo 42")),
            cmd("report", "echo v1"),
            cmd("after", "echo after"),
        ],
    ));
    let first = h.run_now(&wf, json!({})).await;
    assert_eq!(
        h.wait_final(first).await.summary.status,
        RunStatus::Completed
    );
    // Moving a card changes nothing; editing report's command does.
    edited(&h, &wf, |v| {
        let acts = v["activities"].as_array_mut().unwrap();
        for a in acts.iter_mut() {
            if a["id"] == "expensive" {
                a["position"] = json!({"x": 500, "y": 500});
            }
            if a["id"] == "report" {
                a["config"]["command"] = json!("echo v2");
            }
        }
    });
    let preview = h.engine.rerun_preview(first).unwrap();
    assert_eq!(preview.changed, ["report"]);
    assert_eq!(preview.reused, ["start", "expensive"]);
    assert_eq!(preview.run_again, ["report", "after", "finish"]);
    assert!(preview.to_revision > preview.from_revision);

    let outcome = h
        .command(&wf, Command::RerunAfterEdit { run_id: first })
        .await;
    let second = run_id_of(&outcome);
    let detail = h.wait_final(second).await;
    assert_eq!(detail.summary.status, RunStatus::Completed);
    assert_eq!(detail.summary.trigger, Trigger::RerunAfterEdit);
    assert_eq!(detail.summary.restart_of, Some(first));
    assert_eq!(detail.summary.revision, preview.to_revision);
    let expensive = h.task(second, "expensive");
    assert!(expensive.reused);
    assert_eq!(expensive.stdout, "42\n");
    let report = h.task(second, "report");
    assert!(!report.reused);
    assert_eq!(report.stdout, "v2\n");
    assert!(!h.task(second, "after").reused);
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap().lines().count(),
        1,
        "the upstream command ran once"
    );

    // With nothing changed since, a re-run runs everything again.
    let third = run_id_of(
        &h.command(&wf, Command::RerunAfterEdit { run_id: second })
            .await,
    );
    h.wait_final(third).await;
    assert!(h.tasks(third).iter().all(|t| !t.reused));
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap().lines().count(),
        2
    );
    let refused = h
        .command_refused(Some(&wf), Command::RerunAfterEdit { run_id: 9_999 })
        .await;
    assert!(refused.contains("does not exist"), "{refused}");
}
