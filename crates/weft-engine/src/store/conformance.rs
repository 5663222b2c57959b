//! The store contract as executable checks. Each case takes a fresh, empty [`Store`] over any
//! backend and panics when the backend breaks the contract the executor relies on: whole
//! transactions, units rolled back alone, events numbered in commit order, ready tasks claimed
//! once, attempts recorded, commands applied once, each fire time recorded once, keyset pages,
//! purges that keep what is still running, readers that never wait for the writer.
//!
//! A backend runs the whole suite with [`crate::store_conformance!`], one test per case:
//!
//! ```ignore
//! weft_engine::store_conformance!(|| {
//!     let dir = tempfile::tempdir().unwrap();
//!     let store = Store::open(&dir.path().join("store.db")).unwrap();
//!     (store, dir) // the second value is kept alive for the test's length
//! });
//! ```
//!
//! The cases talk to the store through [`Store::read`], [`Store::write`] and the traits of
//! [`super::api`] only, so a second backend runs them unchanged.

use super::api::{BulkChange, NewContact, SeenFile, SetOp, SetRef, SplitBy, StoreWrite};
use super::runs::NewRun;
use super::tasks::{EdgeRef, NewApproval, RoundPoll, RunRef, TaskEnd, TaskRef, TaskState};
use super::timeline::{TimelineCursor, TimelineKind};
use super::{
    unit, Error, EventBody, EventKind, Millis, RunFilter, RunStatus, Store, TaskStatus, Trigger,
    WaitReason, WorkflowState,
};
use crate::command::{Command, CommandOutcome, Refusal};
use crate::contacts::{Filter, Match, Operator, Rule};
use crate::model::WorkflowFile;
use serde_json::json;

/// Runs every case of the contract as its own `#[test]`, each on a store made by `$open`: a
/// closure returning `(Store, guard)`, the guard kept alive while the case runs (a temporary
/// directory, a database to drop). With `optional:` the closure returns an `Option` of that,
/// `None` where the backend's server is not available.
#[macro_export]
macro_rules! store_conformance {
    ($open:expr) => {
        $crate::store_conformance!(optional: || Some(($open)()));
    };
    // `$open` returns `None` when the backend is not available here (a server not running):
    // each case then passes without running, saying so on stderr.
    (optional: $open:expr) => {
        $crate::store_conformance!(@cases $open;
            a_transaction_commits_whole_or_not_at_all,
            a_failed_unit_is_rolled_back_alone,
            units_keep_their_meaning_nested_and_without_statements,
            a_write_the_store_refuses_fails_its_unit_even_as_its_last_step,
            events_are_numbered_in_commit_order_and_read_after_a_sequence_number,
            workflows_keep_their_revisions_and_names_are_unique,
            ready_tasks_are_claimed_once_in_order_and_not_while_paused,
            attempts_are_recorded_and_closed,
            a_command_is_applied_once,
            old_applied_commands_are_pruned_and_pending_ones_kept,
            a_fire_time_is_recorded_once,
            runs_are_listed_by_keyset_pages,
            a_run_queue_names_its_oldest_pending_run_and_whether_one_is_under_way,
            purge_removes_finished_runs_and_keeps_running_ones,
            contacts_are_unique_by_email_and_record_sets_combine,
            owner_sessions_tell_when_an_owner_ran,
            trigger_memory_sees_each_file_once,
            readers_see_the_last_commit_without_waiting_for_the_writer,
            tokens_are_found_by_id_and_names_are_unique,
            operators_are_kept_and_take_their_tokens_with_them,
            breakpoints_and_debug_runs_are_kept_and_go_with_their_owner,
            a_run_timeline_is_in_time_order_and_keyset_paged,
            a_round_poll_says_what_a_round_has_to_look_at
        );
    };
    (@cases $open:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let Some((store, _guard)) = ($open)() else {
                    eprintln!("skipped: the store is not available here");
                    return;
                };
                $crate::store::conformance::$case(&store);
            }
        )*
    };
}

const T0: Millis = 1_700_000_000_000;

fn blank(name: &str) -> WorkflowFile {
    WorkflowFile::new_blank(name)
}

/// Creates a workflow; returns its id.
fn workflow(tx: &mut dyn StoreWrite, id: &str) -> String {
    tx.insert_workflow(id, &blank(id), T0)
        .unwrap_or_else(|e| panic!("insert_workflow {id}: {e}"));
    id.to_string()
}

fn new_run(workflow_id: &str, status: RunStatus) -> NewRun<'_> {
    const NO_PARAMS: &serde_json::Value = &serde_json::Value::Null;
    NewRun {
        workflow_id,
        revision: 1,
        status,
        trigger: Trigger::Manual,
        trigger_activity: None,
        params: NO_PARAMS,
        simulate: false,
        restart_of: None,
        restart_from: None,
        parent_task: None,
    }
}

fn run_ref(workflow_id: &str, id: i64) -> RunRef<'_> {
    RunRef { id, workflow_id }
}

fn must<T>(what: &str, result: super::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn refusal() -> CommandOutcome {
    CommandOutcome::refused(Refusal::WrongState, "not now")
}

/// A write that fails leaves nothing behind: no row, no event; one that commits returns its
/// events.
pub fn a_transaction_commits_whole_or_not_at_all(store: &Store) {
    let before = must("last_seq", store.read(|r| r.last_seq()));
    let failed = store.write(|tx| {
        workflow(tx, "lost");
        Err::<(), _>(Error::Corrupt {
            what: "test",
            message: "the caller gave up".into(),
        })
    });
    assert!(failed.is_err(), "a failing closure fails the write");
    assert_eq!(
        must("find", store.read(|r| r.find_workflow_id("lost"))),
        None,
        "a rolled-back workflow is not there"
    );
    assert_eq!(
        must("last_seq", store.read(|r| r.last_seq())),
        before,
        "a rolled-back write records no event"
    );
    let (revision, events) = must(
        "write",
        store.write(|tx| tx.insert_workflow("kept", &blank("kept"), T0)),
    );
    assert_eq!(revision, 1, "a new workflow starts at revision 1");
    assert!(
        events
            .iter()
            .any(|e| e.workflow_id.as_deref() == Some("kept")),
        "a commit returns its events: {events:?}"
    );
    assert_eq!(
        must("find", store.read(|r| r.find_workflow_id("kept"))),
        Some("kept".to_string())
    );
}

/// Within a transaction, a unit that fails takes back its writes and events; the units before
/// and after it commit.
pub fn a_failed_unit_is_rolled_back_alone(store: &Store) {
    let (outcomes, events) = must(
        "write",
        store.write(|tx| {
            let a = unit(tx, |tx| tx.insert_workflow("a", &blank("a"), T0));
            let b = unit(tx, |tx| {
                tx.insert_workflow("b", &blank("b"), T0)?;
                Err::<i64, _>(Error::Corrupt {
                    what: "test",
                    message: "this unit fails".into(),
                })
            });
            // A unit failing in the store itself (a taken name) is rolled back the same way.
            let taken = unit(tx, |tx| tx.insert_workflow("a-again", &blank("a"), T0));
            let c = unit(tx, |tx| tx.insert_workflow("c", &blank("c"), T0));
            Ok((
                a.is_ok(),
                b.is_ok(),
                taken.map_err(|e| e.is_name_conflict()),
                c.is_ok(),
            ))
        }),
    );
    assert!(outcomes.0, "the unit before the failing one holds");
    assert!(!outcomes.1, "the failing unit fails");
    assert_eq!(
        outcomes.2,
        Err(true),
        "a taken name fails as a name conflict"
    );
    assert!(outcomes.3, "the unit after the failing one holds");
    let ids: Vec<Option<String>> = ["a", "b", "c"]
        .iter()
        .map(|id| must("find", store.read(|r| r.find_workflow_id(id))))
        .collect();
    assert_eq!(ids, vec![Some("a".into()), None, Some("c".into())]);
    let named: Vec<&str> = events
        .iter()
        .filter_map(|e| e.workflow_id.as_deref())
        .collect();
    assert!(
        !named.contains(&"b") && !named.contains(&"a-again"),
        "events of a rolled-back unit are dropped: {named:?}"
    );
    assert!(named.contains(&"a") && named.contains(&"c"), "{named:?}");
}

/// Units nest (an inner unit that fails takes back only its own writes; an outer one that
/// fails takes back its inner units too), a unit that fails before touching the store changes
/// nothing, and a transaction that writes nothing commits nothing and numbers no event.
pub fn units_keep_their_meaning_nested_and_without_statements(store: &Store) {
    let before = must("last_seq", store.read(|r| r.last_seq()));
    let (nothing, events) = must("write", store.write(|_| Ok(1)));
    assert_eq!((nothing, events.len()), (1, 0), "an empty transaction");
    let fails = || Error::Corrupt {
        what: "test",
        message: "this unit fails".into(),
    };
    let outcomes = must(
        "write",
        store.write(|tx| {
            let at_once = unit(tx, |_| Err::<(), _>(fails()));
            let outer = unit(tx, |tx| {
                tx.insert_workflow("outer", &blank("outer"), T0)?;
                let inner_ok = unit(tx, |tx| {
                    tx.insert_workflow("inner-ok", &blank("inner-ok"), T0)
                });
                let inner_bad = unit(tx, |tx| {
                    tx.insert_workflow("inner-bad", &blank("inner-bad"), T0)?;
                    Err::<i64, _>(fails())
                });
                let empty = unit(tx, |_| Ok(()));
                tx.insert_workflow("outer-after", &blank("outer-after"), T0)?;
                Ok((inner_ok.is_ok(), inner_bad.is_ok(), empty.is_ok()))
            });
            let doomed = unit(tx, |tx| {
                unit(tx, |tx| {
                    tx.insert_workflow("doomed-inner", &blank("doomed-inner"), T0)
                })?;
                Err::<(), _>(fails())
            });
            let last = unit(tx, |tx| tx.insert_workflow("last", &blank("last"), T0));
            Ok((at_once.is_ok(), outer.ok(), doomed.is_ok(), last.is_ok()))
        }),
    )
    .0;
    assert_eq!(
        outcomes,
        (false, Some((true, false, true)), false, true),
        "failing at once, nested, empty and doomed units"
    );
    let found = |id: &str| must("find", store.read(|r| r.find_workflow_id(id))).is_some();
    for kept in ["outer", "inner-ok", "outer-after", "last"] {
        assert!(found(kept), "{kept} is kept");
    }
    for gone in ["inner-bad", "doomed-inner"] {
        assert!(!found(gone), "{gone} is rolled back");
    }
    assert!(must("last_seq", store.read(|r| r.last_seq())) > before);
}

/// A write the store refuses (here: an edge of a run that does not exist) fails the unit it
/// was made in, also when nothing follows it in that unit (a backend that sends writes late
/// must still send them before the unit is judged), and only that unit.
pub fn a_write_the_store_refuses_fails_its_unit_even_as_its_last_step(store: &Store) {
    let run = crate::store::tasks::RunRef {
        id: 987_654_321,
        workflow_id: "nowhere",
    };
    let edge = crate::store::tasks::EdgeRef {
        from: "a",
        port: "out",
        to: "b",
    };
    let outcomes = must(
        "write",
        store.write(|tx| {
            let before = unit(tx, |tx| tx.insert_workflow("before", &blank("before"), T0));
            let refused = unit(tx, |tx| tx.mark_edge(run, edge, Some(None), T0));
            let after = unit(tx, |tx| tx.insert_workflow("after", &blank("after"), T0));
            Ok((before.is_ok(), refused.is_ok(), after.is_ok()))
        }),
    )
    .0;
    assert_eq!(outcomes, (true, false, true), "only the refused unit fails");
    for kept in ["before", "after"] {
        assert!(
            must("find", store.read(|r| r.find_workflow_id(kept))).is_some(),
            "{kept} is kept"
        );
    }
}

/// Sequence numbers grow with each commit; `events_after` returns what came after a number,
/// in order, up to a limit.
pub fn events_are_numbered_in_commit_order_and_read_after_a_sequence_number(store: &Store) {
    let start = must("last_seq", store.read(|r| r.last_seq()));
    let mut seqs = Vec::new();
    for i in 0..5 {
        let id = format!("w{i}");
        let (_, events) = must(
            "write",
            store.write(|tx| tx.insert_workflow(&id, &blank(&id), T0 + i)),
        );
        assert!(!events.is_empty(), "creating a workflow records an event");
        seqs.extend(events.iter().map(|e| e.seq));
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "increasing: {seqs:?}");
    assert!(seqs[0] > start);
    let last = must("last_seq", store.read(|r| r.last_seq()));
    assert_eq!(last, *seqs.last().unwrap_or(&0));
    let all = must("events_after", store.read(|r| r.events_after(start, 1000)));
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), seqs);
    let after_two = must("events_after", store.read(|r| r.events_after(seqs[1], 2)));
    assert_eq!(
        after_two.iter().map(|e| e.seq).collect::<Vec<_>>(),
        seqs[2..4].to_vec(),
        "after a number, in order, at most the limit"
    );
    assert!(must("events_after", store.read(|r| r.events_after(last, 10))).is_empty());
    // An event written by a caller reads back as written.
    let (_, events) = must(
        "emit",
        store.write(|tx| {
            tx.emit(
                T0 + 99,
                Some("w0"),
                None,
                None,
                EventBody::WorkflowState {
                    state: WorkflowState::Paused,
                },
            )
        }),
    );
    let read = must("events_after", store.read(|r| r.events_after(last, 10)));
    assert_eq!(read, events);
    assert_eq!(read[0].body.kind(), EventKind::WorkflowState);
}

/// Every save is a new revision; names are unique; a free name is offered.
pub fn workflows_keep_their_revisions_and_names_are_unique(store: &Store) {
    must(
        "write",
        store.write(|tx| {
            workflow(tx, "w");
            let mut second = blank("w");
            second.description = "second".into();
            assert_eq!(tx.insert_revision("w", &second, T0 + 1)?, 2);
            tx.set_revision_origin("w", 2, "desktop", Some("restored from revision 1"))?;
            Ok(())
        }),
    );
    let (latest, body) = must("latest_body", store.read(|r| r.latest_body("w")));
    assert_eq!((latest, body.description.as_str()), (2, "second"));
    assert_eq!(
        must("revision_body", store.read(|r| r.revision_body("w", 1))).description,
        ""
    );
    assert_eq!(
        must("revisions", store.read(|r| r.revisions("w")))
            .iter()
            .map(|r| (r.revision, r.created_at, r.source.clone(), r.note.clone()))
            .collect::<Vec<_>>(),
        vec![
            (
                2,
                T0 + 1,
                Some("desktop".to_string()),
                Some("restored from revision 1".to_string())
            ),
            (1, T0, None, None)
        ],
        "newest first, with who saved each and why"
    );
    let taken = store.write(|tx| tx.insert_workflow("other", &blank("w"), T0));
    assert!(
        taken.as_ref().is_err_and(|e| e.is_name_conflict()),
        "a second workflow named w is refused as a name conflict: {taken:?}"
    );
    assert_eq!(
        must("by name", store.read(|r| r.workflow_id_by_name("w"))),
        Some("w".to_string())
    );
    let free = must(
        "free_name",
        store.read(|r| r.free_name("w", super::workflows::NameSeries::Numbered)),
    );
    assert_eq!(free, "w (2)");
    must(
        "rename",
        store.write(|tx| tx.rename_workflow("w", "renamed", T0 + 2)),
    );
    assert_eq!(
        must("find", store.read(|r| r.find_workflow_id("renamed"))),
        Some("w".to_string())
    );
    assert_eq!(
        must("latest_body", store.read(|r| r.latest_body("w"))).0,
        3,
        "a rename is a revision"
    );
    must("delete", store.write(|tx| tx.delete_workflow("w", T0 + 3)));
    assert!(
        matches!(
            store.read(|r| r.workflow_row("w")),
            Err(Error::NotFound { .. })
        ),
        "a deleted workflow is not found"
    );
}

/// Ready tasks whose time has come are returned in order until an attempt starts; a future wake
/// time is the next wake; a paused workflow's tasks wait.
pub fn ready_tasks_are_claimed_once_in_order_and_not_while_paused(store: &Store) {
    let now = T0 + 10_000;
    let (tasks, _) = must(
        "setup",
        store.write(|tx| {
            let wf = workflow(tx, "w");
            tx.set_workflow_state(&wf, WorkflowState::Started, T0)?;
            let run = tx.insert_run(&new_run(&wf, RunStatus::Running), T0)?;
            let r = run_ref(&wf, run);
            let ready = TaskState::of(TaskStatus::Ready);
            let a = tx.insert_task(r, "a", ready, T0)?;
            let b = tx.insert_task(r, "b", ready.until(Some(now - 1)), T0)?;
            let later = tx.insert_task(r, "later", ready.until(Some(now + 5_000)), T0)?;
            let done = tx.insert_task(r, "done", TaskState::of(TaskStatus::Succeeded), T0)?;
            Ok((run, a, b, later, done))
        }),
    );
    let (run, a, b, later, done) = tasks;
    let due = must("due", store.read(|r| r.due_ready_tasks(now, 0, 10)));
    assert_eq!(
        due.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        vec![a, b],
        "due ready tasks in order; not the later one, not a finished one"
    );
    assert!(due.iter().all(|t| t.run_id == run && t.attempt == 0));
    assert!(
        due.iter().all(|t| t.workflow_id == "w" && t.revision == 1),
        "a ready task names its run's workflow and revision"
    );
    assert_eq!(
        must("due from b", store.read(|r| r.due_ready_tasks(now, b, 10)))
            .iter()
            .map(|t| t.task_id)
            .collect::<Vec<_>>(),
        vec![b],
        "read from an id on, the ready tasks before it are left out"
    );
    let claimed = must(
        "claim",
        store.write(|tx| {
            tx.as_read()
                .claim_ready_tasks(&[done, later, b, a], now, 10)
        }),
    )
    .0;
    assert_eq!(
        claimed.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        vec![a, b],
        "a claim returns the asked tasks still ready and due, in id order"
    );
    let claimed = must(
        "claim",
        store.write(|tx| tx.as_read().claim_ready_tasks(&[b, a], now, 1)),
    )
    .0;
    assert_eq!(
        claimed.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        vec![a],
        "a claim takes the first ones up to its limit"
    );
    assert!(
        must(
            "claim",
            store.write(|tx| tx.as_read().claim_ready_tasks(&[], now, 5))
        )
        .0
        .is_empty(),
        "nothing asked, nothing claimed"
    );
    assert_eq!(
        must("due", store.read(|r| r.due_ready_tasks(now, 0, 1))).len(),
        1,
        "the limit holds"
    );
    assert_eq!(
        must("next_wake", store.read(|r| r.next_wake())),
        Some(now - 1),
        "the earliest wake time of a ready or waiting task"
    );
    must(
        "claim",
        store.write(|tx| {
            let task = TaskRef {
                id: a,
                run: run_ref("w", run),
                activity_id: "a",
            };
            tx.start_attempt(task, 1, &json!({}), now)
        }),
    );
    let due = must("due", store.read(|r| r.due_ready_tasks(now, 0, 10)));
    assert_eq!(
        due.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        vec![b],
        "a claimed task is not handed out again"
    );
    assert_eq!(
        must("running", store.read(|r| r.running_tasks())),
        vec![(a, run)]
    );
    assert_eq!(
        must(
            "due later",
            store.read(|r| r.due_ready_tasks(now + 5_000, 0, 10))
        )
        .iter()
        .map(|t| t.task_id)
        .collect::<Vec<_>>(),
        vec![b, later]
    );
    must(
        "pause",
        store.write(|tx| tx.set_workflow_state("w", WorkflowState::Paused, now)),
    );
    assert!(
        must("due", store.read(|r| r.due_ready_tasks(now, 0, 10))).is_empty(),
        "nothing starts in a paused workflow"
    );
    assert!(
        must(
            "claim",
            store.write(|tx| tx.as_read().claim_ready_tasks(&[b], now, 5))
        )
        .0
        .is_empty(),
        "nothing is claimed in a paused workflow"
    );
}

/// Attempts are numbered, closed with a status, counted on interruption; the process group of a
/// running attempt is known.
pub fn attempts_are_recorded_and_closed(store: &Store) {
    let ((run, task), _) = must(
        "setup",
        store.write(|tx| {
            let wf = workflow(tx, "w");
            let run = tx.insert_run(&new_run(&wf, RunStatus::Running), T0)?;
            let task =
                tx.insert_task(run_ref(&wf, run), "x", TaskState::of(TaskStatus::Ready), T0)?;
            Ok((run, task))
        }),
    );
    let task_ref = |run| TaskRef {
        id: task,
        run: run_ref("w", run),
        activity_id: "x",
    };
    must(
        "first attempt",
        store.write(|tx| {
            tx.start_attempt(task_ref(run), 1, &json!({"n": 1}), T0 + 1)?;
            tx.set_attempt_pid(task, 1, 4242)?;
            Ok(())
        }),
    );
    assert_eq!(
        must("pids", store.read(|r| r.running_attempt_pids())),
        vec![4242]
    );
    assert_eq!(
        must("task", store.read(|r| r.task(task))).status,
        TaskStatus::Running
    );
    must(
        "failed, retry",
        store.write(|tx| {
            let end = TaskEnd {
                error: Some("boom"),
                stderr: "boom",
                ..TaskEnd::default()
            };
            tx.end_attempt(task, 1, "failed", &end, T0 + 2)?;
            tx.start_attempt(task_ref(run), 2, &json!({"n": 2}), T0 + 3)?;
            let ok = TaskEnd {
                port: Some("ok"),
                result: Some(&json!({"answer": 42})),
                stdout: "done",
                ..TaskEnd::default()
            };
            tx.end_attempt(task, 2, "succeeded", &ok, T0 + 4)?;
            tx.set_task_status(
                task_ref(run),
                TaskState::of(TaskStatus::Succeeded),
                &ok,
                T0 + 4,
            )
        }),
    );
    let attempts = must("attempts", store.read(|r| r.attempts(task)));
    assert_eq!(
        attempts
            .iter()
            .map(|a| (a.attempt, a.status.as_str(), a.ended_at))
            .collect::<Vec<_>>(),
        vec![(1, "failed", Some(T0 + 2)), (2, "succeeded", Some(T0 + 4))]
    );
    let record = must("task", store.read(|r| r.task(task)));
    assert_eq!(record.status, TaskStatus::Succeeded);
    assert_eq!(record.port.as_deref(), Some("ok"));
    assert_eq!(record.result, json!({"answer": 42}));
    assert!(must("running", store.read(|r| r.running_tasks())).is_empty());
    let (counts, _) = must(
        "interruptions",
        store.write(|tx| Ok((tx.count_interruption(task)?, tx.count_interruption(task)?))),
    );
    assert_eq!(counts, (1, 2));
}

/// Pruning the command queue's history drops applied commands older than the newest
/// [`COMMANDS_KEPT`](super::events::COMMANDS_KEPT), never a pending one, and keeps the newest.
pub fn old_applied_commands_are_pruned_and_pending_ones_kept(store: &Store) {
    let applied = CommandOutcome::Applied {
        run: None,
        detail: "started".into(),
    };
    let ((waiting, oldest, newest), _) = must(
        "enqueue",
        store.write(|tx| {
            workflow(tx, "w");
            let waiting = tx.enqueue_command(Some("w"), &Command::Start, T0)?;
            let oldest = tx.enqueue_command(Some("w"), &Command::Pause, T0)?;
            tx.mark_command(oldest, Some("w"), &applied, T0)?;
            let mut newest = oldest;
            for i in 0..super::events::COMMANDS_KEPT {
                newest = tx.enqueue_command(Some("w"), &Command::Stop, T0 + i)?;
                tx.mark_command(newest, Some("w"), &applied, T0 + i)?;
            }
            Ok((waiting, oldest, newest))
        }),
    );
    let (pruned, _) = must("prune", store.write(|tx| tx.prune_commands()));
    assert!(pruned >= 1, "the oldest applied command goes");
    assert!(
        store.read(|r| r.command(oldest)).is_err(),
        "an applied command older than the newest kept is gone"
    );
    let pending = must("pending", store.read(|r| r.pending_commands(10)));
    assert_eq!(
        pending.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![waiting],
        "a pending command is never pruned, however old"
    );
    assert!(
        must("newest", store.read(|r| r.command(newest)))
            .applied_at
            .is_some(),
        "the newest applied commands keep their outcome"
    );
    let (again, _) = must("prune again", store.write(|tx| tx.prune_commands()));
    assert_eq!(again, 0, "pruning twice drops nothing more");
}

/// A command stays pending until the transaction that marks it commits; once marked it is never
/// handed out again; the sessions that began applying it are counted once each.
pub fn a_command_is_applied_once(store: &Store) {
    let ((first, second), _) = must(
        "enqueue",
        store.write(|tx| {
            workflow(tx, "w");
            Ok((
                tx.enqueue_command(Some("w"), &Command::Start, T0)?,
                tx.enqueue_command(Some("w"), &Command::Pause, T0 + 1)?,
            ))
        }),
    );
    let pending = must("pending", store.read(|r| r.pending_commands(10)));
    assert_eq!(
        pending
            .iter()
            .map(|c| (c.id, c.command.clone()))
            .collect::<Vec<_>>(),
        vec![(first, Command::Start), (second, Command::Pause)],
        "in the order queued"
    );
    must("begin", store.write(|tx| tx.begin_applying(&[first], 7)));
    must(
        "begin again",
        store.write(|tx| tx.begin_applying(&[first], 7)),
    );
    assert_eq!(
        must("command", store.read(|r| r.command(first))).tries,
        1,
        "one session beginning twice is one try"
    );
    let applied = CommandOutcome::Applied {
        run: None,
        detail: "started".into(),
    };
    let crashed = store.write(|tx| {
        tx.mark_command(first, Some("w"), &applied, T0 + 2)?;
        Err::<(), _>(Error::Corrupt {
            what: "test",
            message: "the effect failed".into(),
        })
    });
    assert!(crashed.is_err());
    assert_eq!(
        must("pending", store.read(|r| r.pending_commands(10))).len(),
        2,
        "a mark that did not commit leaves the command pending"
    );
    let (_, events) = must(
        "mark",
        store.write(|tx| {
            tx.mark_command(first, Some("w"), &applied, T0 + 3)?;
            tx.mark_command(second, Some("w"), &refusal(), T0 + 3)
        }),
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.body.kind() == EventKind::CommandApplied)
            .count(),
        2,
        "each mark records its event"
    );
    assert!(must("pending", store.read(|r| r.pending_commands(10))).is_empty());
    let record = must("command", store.read(|r| r.command(first)));
    assert_eq!(record.outcome, Some(applied));
    assert_eq!(record.applied_at, Some(T0 + 3));
    assert_eq!(
        must("command", store.read(|r| r.command(second))).outcome,
        Some(refusal())
    );
    must("begin", store.write(|tx| tx.begin_applying(&[first], 8)));
    assert_eq!(must("command", store.read(|r| r.command(first))).tries, 2);
    assert!(matches!(
        store.read(|r| r.command(first + second + 100)),
        Err(Error::NotFound { .. })
    ));
}

/// A schedule's fire time is recorded once, whatever asks again.
pub fn a_fire_time_is_recorded_once(store: &Store) {
    let (fresh, _) = must(
        "fire",
        store.write(|tx| {
            workflow(tx, "w");
            Ok((
                tx.record_firing("w", "every", T0, "pending")?,
                tx.record_firing("w", "every", T0, "pending")?,
                tx.record_firing("w", "every", T0 + 60_000, "pending")?,
            ))
        }),
    );
    assert_eq!(
        fresh,
        (true, false, true),
        "the same fire time twice is refused"
    );
    let (again, _) = must(
        "fire again",
        store.write(|tx| tx.record_firing("w", "every", T0, "pending")),
    );
    assert!(!again, "also in a later transaction");
    must(
        "set run",
        store.write(|tx| tx.set_firing_run("w", "every", T0 + 60_000, None, "skipped")),
    );
    assert_eq!(
        must("last", store.read(|r| r.last_fire_time("w", "every"))),
        Some(T0 + 60_000)
    );
    let firings = must("firings", store.read(|r| r.firings("w", 10)));
    assert_eq!(firings.len(), 2);
    assert_eq!(firings[0].fire_time, T0 + 60_000, "newest first");
    assert_eq!(firings[0].outcome, "skipped");
}

/// The runs history pages by keyset, newest first or oldest first, with filters.
pub fn runs_are_listed_by_keyset_pages(store: &Store) {
    let (ids, _) = must(
        "setup",
        store.write(|tx| {
            workflow(tx, "a");
            workflow(tx, "b");
            let mut ids = Vec::new();
            for i in 0..7 {
                let wf = if i % 2 == 0 { "a" } else { "b" };
                let status = if i % 3 == 0 {
                    RunStatus::Failed
                } else {
                    RunStatus::Completed
                };
                ids.push(tx.insert_run(&new_run(wf, status), T0 + i)?);
            }
            Ok(ids)
        }),
    );
    let page =
        |filter: &RunFilter, cursor| must("list", store.read(|r| r.list_runs(filter, cursor, 3)));
    let all = RunFilter::default();
    let first = page(&all, None);
    assert_eq!(
        first.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[6], ids[5], ids[4]]
    );
    let second = page(&all, first.next);
    assert_eq!(
        second.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[3], ids[2], ids[1]]
    );
    let third = page(&all, second.next);
    assert_eq!(
        third.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    assert_eq!(third.next, None, "the last page says so");
    let failed_of_a = RunFilter {
        workflow_id: Some("a".into()),
        statuses: vec![RunStatus::Failed],
        ascending: true,
        ..RunFilter::default()
    };
    assert_eq!(
        page(&failed_of_a, None)
            .runs
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![ids[0], ids[6]]
    );
    assert_eq!(must("count", store.read(|r| r.count_runs(&all))), 7);
    assert_eq!(must("count", store.read(|r| r.count_runs(&failed_of_a))), 2);
    let summary = must("summary", store.read(|r| r.run_summary(ids[1])));
    assert_eq!(
        (summary.workflow_id.as_str(), summary.status),
        ("b", RunStatus::Completed)
    );
}

/// A workflow's run queue: its oldest Pending run and whether one is Running or Waiting for
/// approval; ended runs and other workflows' runs do not count.
pub fn a_run_queue_names_its_oldest_pending_run_and_whether_one_is_under_way(store: &Store) {
    let queue = |w: &'static str| must("run_queue", store.read(|r| r.run_queue(w)));
    must(
        "setup",
        store.write(|tx| {
            workflow(tx, "w");
            workflow(tx, "other");
            workflow(tx, "approval");
            Ok(())
        }),
    );
    assert!(queue("w").is_empty(), "no runs: {:?}", queue("w"));
    let ((first, second), _) = must(
        "runs",
        store.write(|tx| {
            tx.insert_run(&new_run("w", RunStatus::Completed), T0)?;
            tx.insert_run(&new_run("w", RunStatus::Failed), T0)?;
            tx.insert_run(&new_run("other", RunStatus::Running), T0)?;
            tx.insert_run(&new_run("other", RunStatus::Pending), T0)?;
            let first = tx.insert_run(&new_run("w", RunStatus::Pending), T0)?;
            let second = tx.insert_run(&new_run("w", RunStatus::Pending), T0)?;
            Ok((first, second))
        }),
    );
    assert_eq!(
        queue("w"),
        super::runs::RunQueue {
            first_pending: Some(first),
            busy: false
        },
        "ended runs and the other workflow's do not count; the oldest pending run comes first"
    );
    let (running, _) = must(
        "running",
        store.write(|tx| tx.insert_run(&new_run("w", RunStatus::Running), T0)),
    );
    assert_eq!(
        queue("w"),
        super::runs::RunQueue {
            first_pending: Some(first),
            busy: true
        }
    );
    must(
        "end the queue",
        store.write(|tx| {
            for id in [first, second, running] {
                let r = run_ref("w", id);
                tx.set_run_status(r, RunStatus::Cancelled, None, T0)?;
            }
            Ok(())
        }),
    );
    assert!(
        queue("w").is_empty(),
        "cancelled runs are neither pending nor under way: {:?}",
        queue("w")
    );
    must(
        "approval",
        store.write(|tx| tx.insert_run(&new_run("approval", RunStatus::WaitingForApproval), T0)),
    );
    assert_eq!(
        queue("approval"),
        super::runs::RunQueue {
            first_pending: None,
            busy: true
        },
        "a run waiting for an approval is under way"
    );
}

/// Purge deletes a workflow's finished runs with their tasks and logs; running runs stay.
pub fn purge_removes_finished_runs_and_keeps_running_ones(store: &Store) {
    let ((done, running), _) = must(
        "setup",
        store.write(|tx| {
            workflow(tx, "w");
            workflow(tx, "other");
            let done = tx.insert_run(&new_run("w", RunStatus::Completed), T0)?;
            let failed = tx.insert_run(&new_run("w", RunStatus::Failed), T0)?;
            let running = tx.insert_run(&new_run("w", RunStatus::Running), T0)?;
            tx.insert_run(&new_run("other", RunStatus::Completed), T0)?;
            for run in [done, failed, running] {
                let r = run_ref("w", run);
                let task = tx.insert_task(r, "x", TaskState::of(TaskStatus::Ready), T0)?;
                let t = TaskRef {
                    id: task,
                    run: r,
                    activity_id: "x",
                };
                tx.start_attempt(t, 1, &json!({}), T0)?;
                tx.append_log(t, 1, "info", "hello", T0)?;
            }
            Ok((done, running))
        }),
    );
    let (purged, _) = must("purge", store.write(|tx| tx.purge_finished_runs("w")));
    assert_eq!(purged, 2);
    assert!(matches!(
        store.read(|r| r.run_summary(done)),
        Err(Error::NotFound { .. })
    ));
    assert!(must("logs", store.read(|r| r.logs(done, None))).is_empty());
    assert_eq!(
        must("tasks", store.read(|r| r.tasks_of_run(running))).len(),
        1
    );
    assert_eq!(must("logs", store.read(|r| r.logs(running, None))).len(), 1);
    let everything = RunFilter::default();
    assert_eq!(
        must("count", store.read(|r| r.count_runs(&everything))),
        2,
        "the running run and the other workflow's run stay"
    );
}

fn lead(email: &str, status: &str, tags: &[&str]) -> NewContact {
    NewContact {
        email: email.into(),
        name: email.split('@').next().unwrap_or_default().into(),
        phone: String::new(),
        status: status.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        custom: serde_json::Map::new(),
        created_at: None,
    }
}

/// Emails are unique whatever their case; filters select; record sets query, split, combine and
/// deduplicate; bulk changes apply to a set.
pub fn contacts_are_unique_by_email_and_record_sets_combine(store: &Store) {
    let (ids, _) = must(
        "contacts",
        store.write(|tx| {
            let mut ids = Vec::new();
            for (email, status, tags) in [
                ("ada@example.com", "new", &["vip"][..]),
                ("grace@example.com", "new", &[][..]),
                ("linus@example.com", "customer", &["vip"][..]),
                ("alan@example.com", "new", &[][..]),
            ] {
                ids.push(tx.insert_contact(&lead(email, status, tags), T0)?);
            }
            ids.push(tx.insert_contact(&lead("ADA@example.com", "new", &[]), T0)?);
            Ok(ids)
        }),
    );
    assert!(ids[..4].iter().all(Option::is_some));
    assert_eq!(
        ids[4], None,
        "an email already present (in another case) is not added"
    );
    let id = |i: usize| ids[i].unwrap_or_default();
    assert_eq!(must("count", store.read(|r| r.count_contacts())), 4);
    let new = Filter {
        match_: Match::All,
        rules: vec![Rule {
            field: "status".into(),
            op: Operator::Eq,
            value: json!("NEW"),
        }],
    };
    let listed = must("list", store.read(|r| r.list_contacts(&new, None, 2)));
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![id(0), id(1)],
        "by id, at most the limit, case-insensitive"
    );
    let rest = must(
        "list",
        store.read(|r| r.list_contacts(&new, Some(id(1)), 10)),
    );
    assert_eq!(rest.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id(3)]);
    let vip = Filter {
        match_: Match::Any,
        rules: vec![Rule {
            field: "tags".into(),
            op: Operator::Contains,
            value: json!("vip"),
        }],
    };
    let set = |task_id, port: &str| SetRef {
        task_id,
        port: port.into(),
    };
    // Record sets belong to tasks: make some.
    let ((q_new, q_vip, split, union, inter, excl, dedupe), _) = must(
        "sets",
        store.write(|tx| {
            workflow(tx, "w");
            let run = tx.insert_run(&new_run("w", RunStatus::Running), T0)?;
            let mut task = |name: &str| {
                tx.insert_task(
                    run_ref("w", run),
                    name,
                    TaskState::of(TaskStatus::Running),
                    T0,
                )
            };
            let (q_new, q_vip, split, union, inter, excl, dedupe) = (
                task("q_new")?,
                task("q_vip")?,
                task("split")?,
                task("union")?,
                task("inter")?,
                task("excl")?,
                task("dedupe")?,
            );
            assert_eq!(tx.query_into_set(q_new, "ok", &new)?, 3);
            assert_eq!(tx.query_into_set(q_vip, "ok", &vip)?, 2);
            let inputs = [set(q_new, "ok"), set(q_vip, "ok")];
            assert_eq!(tx.combine_into_set(union, "ok", SetOp::Union, &inputs)?, 4);
            assert_eq!(
                tx.combine_into_set(inter, "ok", SetOp::Intersection, &inputs)?,
                1
            );
            assert_eq!(
                tx.combine_into_set(excl, "ok", SetOp::Exclusion, &inputs)?,
                2
            );
            assert_eq!(
                tx.split_into_sets(split, &[set(union, "ok")], &SplitBy::Filter(&vip))?,
                (2, 2)
            );
            assert_eq!(
                tx.dedupe_into_set(dedupe, "ok", &[set(union, "ok")], "status")?,
                2,
                "one contact per status"
            );
            Ok((q_new, q_vip, split, union, inter, excl, dedupe))
        }),
    );
    let members = |sets: &[SetRef]| must("members", store.read(|r| r.set_members(sets)));
    assert_eq!(members(&[set(q_new, "ok")]), vec![id(0), id(1), id(3)]);
    assert_eq!(members(&[set(q_vip, "ok")]), vec![id(0), id(2)]);
    assert_eq!(members(&[set(inter, "ok")]), vec![id(0)]);
    assert_eq!(members(&[set(excl, "ok")]), vec![id(1), id(3)]);
    assert_eq!(members(&[set(split, "match")]), vec![id(0), id(2)]);
    assert_eq!(members(&[set(split, "rest")]), vec![id(1), id(3)]);
    assert_eq!(
        members(&[set(dedupe, "ok")]),
        vec![id(0), id(2)],
        "the lowest id of each"
    );
    assert_eq!(members(&[set(union, "ok")]).len(), 4);
    assert_eq!(
        must("ports", store.read(|r| r.task_ports(split))),
        vec!["match".to_string(), "rest".to_string()],
        "the ports a task made sets on"
    );
    assert!(must("ports", store.read(|r| r.task_ports(q_new + 1_000))).is_empty());
    let unknown =
        store.write(|tx| tx.dedupe_into_set(dedupe, "again", &[set(union, "ok")], "shoe size"));
    assert!(
        matches!(unknown, Err(Error::Corrupt { what: "filter", .. })),
        "an unknown field is a filter error: {unknown:?}"
    );
    // Split by count and by percent take the first by id.
    let (counts, _) = must(
        "split counts",
        store.write(|tx| {
            let run = tx.insert_run(&new_run("w", RunStatus::Running), T0)?;
            let a = tx.insert_task(
                run_ref("w", run),
                "a",
                TaskState::of(TaskStatus::Running),
                T0,
            )?;
            let b = tx.insert_task(
                run_ref("w", run),
                "b",
                TaskState::of(TaskStatus::Running),
                T0,
            )?;
            Ok((
                tx.split_into_sets(a, &[set(union, "ok")], &SplitBy::First(3))?,
                tx.split_into_sets(b, &[set(union, "ok")], &SplitBy::Percent(50))?,
            ))
        }),
    );
    assert_eq!(counts, ((3, 1), (2, 2)));
    // Bulk changes and single edits.
    must(
        "bulk",
        store.write(|tx| {
            let tags = ["contacted".to_string()];
            let change = BulkChange {
                status: Some("contacted"),
                add_tags: &tags,
                remove_tags: &["vip".to_string()],
            };
            tx.add_to_set(dedupe, "pick", &[id(0), id(1)])?;
            assert_eq!(
                tx.update_contacts_in(&[set(dedupe, "pick")], &change, T0 + 1)?,
                2
            );
            let mut custom = serde_json::Map::new();
            custom.insert("city".into(), json!("Paris"));
            tx.set_contact_custom(id(3), &custom, T0 + 2)
        }),
    );
    let changed = must(
        "by ids",
        store.read(|r| r.contacts_by_ids(&[id(0), id(3), 999_999])),
    );
    assert_eq!(changed.len(), 2, "unknown ids are left out");
    assert_eq!(changed[0].status, "contacted");
    assert_eq!(changed[0].tags, vec!["contacted".to_string()]);
    assert_eq!(changed[0].updated_at, T0 + 1);
    assert_eq!(changed[1].custom.get("city"), Some(&json!("Paris")));
    let (edited, _) = must(
        "edit",
        store.write(|tx| tx.update_contact(id(2), Some("Linus T."), None, None, T0 + 3)),
    );
    let edited = edited.unwrap_or_else(|| panic!("the contact exists"));
    assert_eq!(
        (edited.name.as_str(), edited.status.as_str()),
        ("Linus T.", "customer")
    );
    let (missing, _) = must(
        "edit missing",
        store.write(|tx| tx.update_contact(999_999, Some("x"), None, None, T0)),
    );
    assert_eq!(missing, None);
    let bad = Filter {
        match_: Match::All,
        rules: vec![Rule {
            field: "shoe size".into(),
            op: Operator::Eq,
            value: json!(42),
        }],
    };
    assert!(matches!(
        store.read(|r| r.list_contacts(&bad, None, 10)),
        Err(Error::Corrupt { what: "filter", .. })
    ));
}

/// The owner row names one owner; sessions say when owners ran.
pub fn owner_sessions_tell_when_an_owner_ran(store: &Store) {
    assert_eq!(must("owner", store.read(|r| r.owner_row())), None);
    let (session, _) = must(
        "acquire",
        store.write(|tx| {
            tx.set_owner("desktop-1-a", 1, T0)?;
            tx.open_session("desktop-1-a", 1, T0)
        }),
    );
    assert_eq!(
        must("owner", store.read(|r| r.owner_row())),
        Some(("desktop-1-a".to_string(), 1, T0))
    );
    let (beats, _) = must(
        "heartbeats",
        store.write(|tx| {
            let mine = tx.owner_heartbeat("desktop-1-a", T0 + 5_000)?;
            let theirs = tx.owner_heartbeat("serve-2-b", T0 + 5_000)?;
            tx.touch_session(session, T0 + 5_000)?;
            Ok((mine, theirs))
        }),
    );
    assert_eq!(
        beats,
        (true, false),
        "only the holder refreshes the owner row"
    );
    assert_eq!(
        must("seen", store.read(|r| r.session_last_seen(session))),
        Some(T0 + 5_000)
    );
    let (later, _) = must(
        "second session",
        store.write(|tx| {
            tx.end_session(session, None)?;
            tx.clear_owner("desktop-1-a")?;
            tx.set_owner("serve-2-b", 2, T0 + 60_000)?;
            tx.open_session("serve-2-b", 2, T0 + 60_000)
        }),
    );
    assert_ne!(later, session);
    must(
        "end",
        store.write(|tx| tx.end_session(later, Some(T0 + 70_000))),
    );
    assert_eq!(
        must(
            "sessions",
            store.read(|r| r.sessions_between(T0, T0 + 100_000))
        ),
        vec![(T0, T0 + 5_000), (T0 + 60_000, T0 + 70_000)],
        "each session from its start to its end (or last sign of life)"
    );
    assert_eq!(
        must(
            "sessions",
            store.read(|r| r.sessions_between(T0 + 10_000, T0 + 50_000))
        ),
        vec![],
        "a gap between sessions is down time"
    );
}

/// A file trigger sees each file once; a record trigger's cursor starts at the newest contact
/// event and moves; a webhook secret is given once.
pub fn trigger_memory_sees_each_file_once(store: &Store) {
    let seen = SeenFile {
        workflow_id: "w",
        activity_id: "files",
        path: "/in/a.csv",
        size: 10,
        modified: T0,
    };
    let (fresh, _) = must(
        "seen",
        store.write(|tx| {
            workflow(tx, "w");
            let run = tx.insert_run(&new_run("w", RunStatus::Running), T0)?;
            let first = tx.record_seen_file(&seen, T0)?;
            tx.set_seen_file_run(&seen, Some(run))?;
            let again = tx.record_seen_file(&seen, T0 + 1)?;
            let changed = tx.record_seen_file(&SeenFile { size: 11, ..seen }, T0 + 2)?;
            Ok((first, again, changed))
        }),
    );
    assert_eq!(
        fresh,
        (true, false, true),
        "the same file once; a changed file again"
    );
    must(
        "secret",
        store.write(|tx| {
            tx.ensure_trigger_secret("w", "hook", "first")?;
            tx.ensure_trigger_secret("w", "hook", "second")
        }),
    );
    assert_eq!(
        must("secret", store.read(|r| r.trigger_secret("w", "hook"))),
        Some("first".to_string())
    );
    assert_eq!(
        must("cursor", store.read(|r| r.trigger_cursor("w", "rec"))),
        None
    );
    must(
        "contact before",
        store.write(|tx| {
            tx.insert_contact(&lead("old@example.com", "new", &[]), T0)
                .map(drop)
        }),
    );
    must(
        "start cursor",
        store.write(|tx| tx.start_trigger_cursor("w", "rec")),
    );
    let start = must("cursor", store.read(|r| r.trigger_cursor("w", "rec")))
        .unwrap_or_else(|| panic!("the cursor starts"));
    assert!(
        must("events", store.read(|r| r.contact_events_after(start, 100))).is_empty(),
        "history before the cursor started is not seen"
    );
    let (new_id, _) = must(
        "contact after",
        store.write(|tx| tx.insert_contact(&lead("new@example.com", "new", &[]), T0 + 1)),
    );
    must(
        "status change",
        store.write(|tx| {
            tx.update_contact(
                new_id.unwrap_or_default(),
                None,
                Some("qualified"),
                None,
                T0 + 2,
            )
        }),
    );
    let events = must("events", store.read(|r| r.contact_events_after(start, 100)));
    let seen_events: Vec<(i64, &str, &str)> = events
        .iter()
        .map(|(_, contact, status, kind)| (*contact, status.as_str(), kind.as_str()))
        .collect();
    let contact = new_id.unwrap_or_default();
    assert_eq!(
        seen_events,
        vec![
            (contact, "new", "new_contact"),
            (contact, "qualified", "status_changed")
        ]
    );
    let last = events.last().map(|e| e.0).unwrap_or_default();
    must(
        "move",
        store.write(|tx| tx.set_trigger_cursor("w", "rec", last)),
    );
    assert_eq!(
        must("cursor", store.read(|r| r.trigger_cursor("w", "rec"))),
        Some(last)
    );
}

/// A read while a write transaction is open sees the last commit and returns without waiting
/// for the writer.
pub fn readers_see_the_last_commit_without_waiting_for_the_writer(store: &Store) {
    must("setup", store.write(|tx| Ok(workflow(tx, "before"))));
    let (seen, _) = must(
        "write",
        store.write(|tx| {
            workflow(tx, "during");
            // Another thread reads while this transaction is open and uncommitted.
            let seen = std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let started = std::time::Instant::now();
                        let seen = store.read(|r| {
                            Ok((r.find_workflow_id("before")?, r.find_workflow_id("during")?))
                        });
                        (seen, started.elapsed())
                    })
                    .join()
            });
            Ok(seen)
        }),
    );
    let (found, waited) = seen.unwrap_or_else(|_| panic!("the reading thread panicked"));
    let found = must("read during a write", found);
    assert_eq!(
        found,
        (Some("before".to_string()), None),
        "a reader sees the last commit, not the open transaction"
    );
    // Generous: the point is that it did not wait for the writer (which waits for it).
    assert!(
        waited < std::time::Duration::from_secs(5),
        "the read waited {waited:?}"
    );
    assert_eq!(
        must("after", store.read(|r| r.find_workflow_id("during"))),
        Some("during".to_string())
    );
}

/// Access tokens: found by their public id with their hash, unique by name, gone once deleted.
pub fn tokens_are_found_by_id_and_names_are_unique(store: &Store) {
    let hash = [7u8; 32];
    let (made, _) = must(
        "insert tokens",
        store.write(|tx| {
            Ok((
                tx.insert_token("laptop", "0123456789ab", &hash, false, None, T0)?,
                tx.insert_token("laptop", "ba9876543210", &hash, true, None, T0)?,
                tx.insert_token("viewer", "ba9876543210", &hash, true, None, T0)?,
            ))
        }),
    );
    assert_eq!(made, (true, false, true), "a name is taken once");
    let found =
        must("by id", store.read(|r| r.token_by_id("0123456789ab"))).expect("the token by its id");
    assert_eq!(found.info.name, "laptop");
    assert!(!found.info.read_only);
    assert_eq!(found.hash, hash);
    assert!(must("no such id", store.read(|r| r.token_by_id("ffffffffffff"))).is_none());
    let names: Vec<String> = must("list", store.read(|r| r.tokens()))
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["laptop", "viewer"]);
    let (gone, _) = must("delete", store.write(|tx| tx.delete_token("laptop")));
    assert!(gone);
    let (again, _) = must("delete again", store.write(|tx| tx.delete_token("laptop")));
    assert!(!again);
    assert!(must("deleted", store.read(|r| r.token_by_id("0123456789ab"))).is_none());
}

/// Operators: kept with their groups and capabilities, unique by name; a token names its
/// operator; deleting an operator deletes their tokens and nobody else's.
pub fn operators_are_kept_and_take_their_tokens_with_them(store: &Store) {
    use super::tokens::Operator;
    use super::Capability;
    let ada = Operator {
        name: "ada".into(),
        email: Some("ada@example.com".into()),
        groups: vec!["marketing".into(), "ops".into()],
        capabilities: vec![Capability::List, Capability::Approve],
        created_at: T0,
    };
    let bob = Operator {
        name: "bob".into(),
        email: None,
        groups: vec![],
        capabilities: vec![Capability::List],
        created_at: T0,
    };
    let hash = [3u8; 32];
    let (made, _) = must(
        "insert operators",
        store.write(|tx| {
            Ok((
                tx.insert_operator(&ada)?,
                tx.insert_operator(&bob)?,
                tx.insert_operator(&Operator {
                    email: None,
                    ..ada.clone()
                })?,
                tx.insert_token("ada-laptop", "aaaaaaaaaaaa", &hash, false, Some("ada"), T0)?,
                tx.insert_token("bob-ci", "bbbbbbbbbbbb", &hash, true, Some("bob"), T0)?,
            ))
        }),
    );
    assert_eq!(
        made,
        (true, true, false, true, true),
        "a name is taken once"
    );
    assert_eq!(
        must("one", store.read(|r| r.operator("ada"))),
        Some(ada.clone())
    );
    assert_eq!(must("none", store.read(|r| r.operator("eve"))), None);
    assert_eq!(
        must("all", store.read(|r| r.operators())),
        vec![ada, bob.clone()]
    );
    let token = must("token", store.read(|r| r.token_by_id("aaaaaaaaaaaa")));
    assert_eq!(
        token.map(|t| t.info.operator),
        Some(Some("ada".to_string()))
    );
    let (gone, _) = must("delete", store.write(|tx| tx.delete_operator("ada")));
    assert!(gone);
    assert!(must("token gone", store.read(|r| r.token_by_id("aaaaaaaaaaaa"))).is_none());
    assert!(must("other kept", store.read(|r| r.token_by_id("bbbbbbbbbbbb"))).is_some());
    assert_eq!(must("left", store.read(|r| r.operators())), vec![bob]);
    let (again, _) = must("again", store.write(|tx| tx.delete_operator("ada")));
    assert!(!again);
}

/// A workflow's breakpoints are replaced whole and kept only when their transaction commits; a
/// debug run's state is kept with the run; both go when their workflow or run is deleted.
pub fn breakpoints_and_debug_runs_are_kept_and_go_with_their_owner(store: &Store) {
    use crate::debug::{Breakpoint, DebugState, HeldLeave};
    let first = vec![
        Breakpoint::parse("q:after=tasks.q.recordCount > 1000").unwrap_or_else(|e| panic!("{e}")),
        Breakpoint::parse("a->b").unwrap_or_else(|e| panic!("{e}")),
    ];
    let ((done, running), _) = must(
        "setup",
        store.write(|tx| {
            workflow(tx, "w");
            workflow(tx, "other");
            tx.set_breakpoints("w", &first, T0)?;
            let done = tx.insert_run(&new_run("w", RunStatus::Completed), T0)?;
            let running = tx.insert_run(&new_run("w", RunStatus::Running), T0)?;
            Ok((done, running))
        }),
    );
    assert_eq!(must("read", store.read(|r| r.breakpoints("w"))), first);
    assert!(must("none", store.read(|r| r.breakpoints("other"))).is_empty());
    let failed = store.write(|tx| {
        tx.set_breakpoints("w", &[], T0)?;
        Err::<(), _>(Error::Corrupt {
            what: "test",
            message: "roll back".into(),
        })
    });
    assert!(failed.is_err());
    assert_eq!(
        must("kept", store.read(|r| r.breakpoints("w"))),
        first,
        "a rolled-back replacement leaves the old list"
    );
    let second = vec![first[1].clone()];
    must(
        "replace",
        store.write(|tx| tx.set_breakpoints("w", &second, T0 + 1)),
    );
    assert_eq!(must("replaced", store.read(|r| r.breakpoints("w"))), second);

    assert_eq!(
        must("no state", store.read(|r| r.debug_state(running))),
        None
    );
    let state = DebugState {
        step_from: vec!["fork".into()],
        held: vec![HeldLeave {
            task_id: 7,
            taken: vec![("ok".into(), Some(3))],
        }],
    };
    must(
        "debug runs",
        store.write(|tx| {
            tx.set_debug_state(running, &DebugState::default())?;
            tx.set_debug_state(running, &state)?;
            tx.set_debug_state(done, &DebugState::default())
        }),
    );
    assert_eq!(
        must("state", store.read(|r| r.debug_state(running))),
        Some(state.clone())
    );
    // Within one transaction, a run read (which may bring its debug state along) and a state
    // written after it agree.
    let seen = must(
        "in one transaction",
        store.write(|tx| {
            tx.run_head(running)?;
            let first = tx.debug_state(running)?;
            tx.set_debug_state(running, &DebugState::default())?;
            tx.run_row(running)?;
            let after = tx.debug_state(running)?;
            Ok((first, after))
        }),
    )
    .0;
    assert_eq!(seen, (Some(state), Some(DebugState::default())));
    must("purge", store.write(|tx| tx.purge_finished_runs("w")));
    assert_eq!(
        must("purged", store.read(|r| r.debug_state(done))),
        None,
        "a purged run's debug state goes with it"
    );
    must("delete", store.write(|tx| tx.delete_workflow("w", T0 + 2)));
    assert!(must("gone", store.read(|r| r.breakpoints("w"))).is_empty());
    assert_eq!(must("gone", store.read(|r| r.debug_state(running))), None);
}

/// A run's timeline is what is kept with the run, in time order: tasks created, attempts
/// started and ended, approvals opened, tasks ended, transitions taken (with the records of that
/// mark) or dead;
/// within one millisecond a task's steps, then the marks it made, then the tasks they activated. Reading it one entry a page gives the same sequence.
pub fn a_run_timeline_is_in_time_order_and_keyset_paged(store: &Store) {
    let (run, _) = must(
        "setup",
        store.write(|tx| {
            let wf = workflow(tx, "w");
            let run = tx.insert_run(&new_run(&wf, RunStatus::Running), T0)?;
            let a = tx.insert_task(run_ref(&wf, run), "a", TaskState::of(TaskStatus::Ready), T0)?;
            let task = TaskRef {
                id: a,
                run: run_ref(&wf, run),
                activity_id: "a",
            };
            tx.start_attempt(task, 1, &json!({}), T0 + 1)?;
            tx.end_attempt(a, 1, "failed", &TaskEnd::default(), T0 + 2)?;
            tx.start_attempt(task, 2, &json!({}), T0 + 3)?;
            let ok = TaskEnd {
                port: Some("ok"),
                record_count: Some(7),
                stderr: "careful: 2 rows skipped",
                ..TaskEnd::default()
            };
            tx.end_attempt(a, 2, "succeeded", &ok, T0 + 4)?;
            tx.set_task_status(task, TaskState::of(TaskStatus::Succeeded), &ok, T0 + 4)?;
            let taken = EdgeRef {
                from: "a",
                port: "ok",
                to: "b",
            };
            let dead = EdgeRef {
                from: "a",
                port: "error",
                to: "c",
            };
            tx.mark_edge(run_ref(&wf, run), taken, Some(Some(7)), T0 + 4)?;
            tx.mark_edge(run_ref(&wf, run), dead, None, T0 + 4)?;
            let b = tx.insert_task(
                run_ref(&wf, run),
                "b",
                TaskState::of(TaskStatus::Ready),
                T0 + 4,
            )?;
            // b asks a person; the approval is kept with its time.
            let approval = NewApproval {
                task: TaskRef {
                    id: b,
                    run: run_ref(&wf, run),
                    activity_id: "b",
                },
                group: "ops",
                message: "go?",
                deadline: None,
                default_outcome: "reject",
            };
            tx.insert_approval(&approval, T0 + 5)?;
            // A loop takes the same transition again: a second mark, with its own records.
            tx.mark_edge(run_ref(&wf, run), taken, Some(Some(3)), T0 + 9)?;
            Ok(run)
        }),
    );
    let all = must(
        "timeline",
        store.read(|r| r.timeline(run, TimelineCursor::START, 100)),
    );
    let seen: Vec<_> = all
        .iter()
        .map(|(_, e)| {
            (
                e.at - T0,
                e.kind,
                e.activity_id.as_str(),
                e.attempt,
                e.records,
            )
        })
        .collect();
    use TimelineKind::*;
    assert_eq!(
        seen,
        vec![
            (0, TaskCreated, "a", None, None),
            (1, AttemptStarted, "a", Some(1), None),
            (2, AttemptEnded, "a", Some(1), None),
            (3, AttemptStarted, "a", Some(2), None),
            (4, AttemptEnded, "a", Some(2), None),
            (4, TaskEnded, "a", None, Some(7)),
            (4, EdgeTaken, "a", None, Some(7)),
            (4, EdgeDead, "a", None, None),
            (4, TaskCreated, "b", None, None),
            (5, ApprovalOpened, "b", None, None),
            (9, EdgeTaken, "a", None, Some(3)),
        ]
    );
    assert_eq!(all[2].1.status, Some(TaskStatus::Failed));
    assert_eq!(all[5].1.status, Some(TaskStatus::Succeeded));
    assert_eq!(all[5].1.port.as_deref(), Some("ok"));
    assert_eq!(
        all.iter().map(|(_, e)| e.warned).collect::<Vec<_>>(),
        (0..all.len()).map(|i| i == 5).collect::<Vec<_>>(),
        "an ended task says it wrote errors"
    );
    assert_eq!(all[6].1.to.as_deref(), Some("b"));
    assert_eq!(all[7].1.port.as_deref(), Some("error"));
    let mut paged = Vec::new();
    let mut after = TimelineCursor::START;
    loop {
        let page = must("page", store.read(|r| r.timeline(run, after, 1)));
        let Some((cursor, _)) = page.last() else {
            break;
        };
        after = *cursor;
        paged.extend(page);
    }
    assert_eq!(paged, all, "one entry a page gives the same sequence");
}

/// One read tells a round whether commands are pending, a workflow is stopping and when the
/// first waiting task wakes; each changes as the store does.
pub fn a_round_poll_says_what_a_round_has_to_look_at(store: &Store) {
    let poll = || must("poll", store.read(|r| r.round_poll()));
    assert_eq!(
        poll(),
        RoundPoll::default(),
        "an empty store: nothing to look at"
    );
    let (run, _) = must(
        "setup",
        store.write(|tx| {
            let wf = workflow(tx, "w");
            tx.set_workflow_state(&wf, WorkflowState::Started, T0)?;
            tx.insert_run(&new_run(&wf, RunStatus::Running), T0)
        }),
    );
    let r = run_ref("w", run);
    let wait = TaskState::because(TaskStatus::Waiting, WaitReason::Wait);
    must(
        "waits",
        store.write(|tx| {
            tx.insert_task(r, "later", wait.until(Some(T0 + 9_000)), T0)?;
            tx.insert_task(r, "sooner", wait.until(Some(T0 + 2_000)), T0)?;
            tx.insert_task(
                r,
                "ready",
                TaskState::of(TaskStatus::Ready).until(Some(T0)),
                T0,
            )
        }),
    );
    assert_eq!(
        poll(),
        RoundPoll {
            first_waiting_wake: Some(T0 + 2_000),
            ..RoundPoll::default()
        },
        "the first waiting task's wake time, not a ready task's"
    );
    let (command, _) = must(
        "command",
        store.write(|tx| tx.enqueue_command(Some("w"), &Command::Stop, T0)),
    );
    must(
        "stopping",
        store.write(|tx| tx.set_workflow_state("w", WorkflowState::Stopping, T0)),
    );
    let now = poll();
    assert!(now.commands_pending && now.workflows_stopping, "{now:?}");
    must(
        "applied",
        store.write(|tx| {
            tx.mark_command(command, Some("w"), &CommandOutcome::applied(), T0)?;
            tx.set_workflow_state("w", WorkflowState::Finished, T0)
        }),
    );
    let after = poll();
    assert!(
        !after.commands_pending && !after.workflows_stopping,
        "applied and finished: {after:?}"
    );
}
