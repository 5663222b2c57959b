//! Re-running a past run after an edit: which activities of the later revision may take the
//! earlier run's recorded results instead of running again.
//!
//! An activity is *changed* when it is new, when what it does differs (configuration, role,
//! mode, retry, timeout, interruption rule — not its label or place on the canvas), or when
//! the transitions arriving at it differ. Everything downstream of a changed activity runs
//! again. An activity upstream of a changed one, and downstream of none, is *reused*: a re-run
//! goes on from the first changed activities as a restart from a task does. Activities on
//! branches that lead to no change run again, as they would after a restart.

use super::plan::Plan;
use std::collections::{BTreeSet, HashSet};

/// Which activities of a later revision a re-run reuses, by index into that revision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReuseAfterEdit {
    /// Activities that are new or differ from the earlier revision (not only moved or renamed).
    pub changed: BTreeSet<usize>,
    /// Activities whose recorded result may be reused: upstream of a changed activity and
    /// downstream of none.
    pub reusable: BTreeSet<usize>,
}

/// Compares two revisions for a re-run of a run of `old` on `new`.
pub fn reuse_after_edit(old: &Plan, new: &Plan) -> ReuseAfterEdit {
    let mut changed = BTreeSet::new();
    for (i, activity) in new.activities.iter().enumerate() {
        let differs = match old.index(&activity.id) {
            None => true,
            Some(j) => {
                let before = old.at(j);
                !same_behaviour(before, activity) || incoming_of(old, j) != incoming_of(new, i)
            }
        };
        if differs {
            changed.insert(i);
        }
    }
    let dirty = closure(new, &changed, |plan, i| {
        plan.outgoing(i).filter_map(|t| plan.index(&t.to)).collect()
    });
    let upstream = closure(new, &changed, |plan, i| {
        plan.incoming(i)
            .filter_map(|t| plan.index(&t.from))
            .collect()
    });
    let reusable = upstream.difference(&dirty).copied().collect();
    ReuseAfterEdit { changed, reusable }
}

/// Whether an activity does the same in both revisions (its label and position aside).
fn same_behaviour(a: &crate::model::Activity, b: &crate::model::Activity) -> bool {
    let config = |x: &crate::model::Activity| serde_json::to_value(&x.config).ok();
    config(a) == config(b)
        && a.role == b.role
        && a.mode == b.mode
        && a.retry == b.retry
        && a.timeout == b.timeout
        && a.on_interrupt == b.on_interrupt
}

/// The (source, port) pairs of the transitions arriving at an activity.
fn incoming_of(plan: &Plan, index: usize) -> BTreeSet<(String, String)> {
    plan.incoming(index)
        .map(|t| (t.from.clone(), t.port.clone()))
        .collect()
}

/// Every activity reached from `seeds` by `next`, the seeds included.
fn closure(
    plan: &Plan,
    seeds: &BTreeSet<usize>,
    next: impl Fn(&Plan, usize) -> Vec<usize>,
) -> HashSet<usize> {
    let mut seen: HashSet<usize> = seeds.iter().copied().collect();
    let mut stack: Vec<usize> = seeds.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for j in next(plan, i) {
            if seen.insert(j) {
                stack.push(j);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkflowFile;
    use serde_json::json;

    fn plan(activities: serde_json::Value, transitions: serde_json::Value) -> Plan {
        let body: WorkflowFile = crate::load::from_value(json!({
            "format": 1, "name": "w", "activities": activities, "transitions": transitions
        }))
        .expect("valid body");
        Plan::new(body)
    }

    fn cmd(id: &str, command: &str, x: f64) -> serde_json::Value {
        json!({"id": id, "kind": "run_command", "config": {"command": command}, "position": {"x": x, "y": 0}})
    }

    fn chain() -> (serde_json::Value, serde_json::Value) {
        (
            json!([
                {"id": "start", "kind": "start", "position": {"x": 0, "y": 0}},
                cmd("a", "echo a", 100.0),
                cmd("b", "echo b", 200.0),
                cmd("c", "echo c", 300.0),
                cmd("side", "echo side", 300.0),
                {"id": "end", "kind": "finish", "position": {"x": 400, "y": 0}}
            ]),
            json!([
                {"from": "start", "port": "ok", "to": "a"},
                {"from": "a", "port": "ok", "to": "b"},
                {"from": "b", "port": "ok", "to": "c"},
                {"from": "a", "port": "ok", "to": "side"},
                {"from": "c", "port": "ok", "to": "end"}
            ]),
        )
    }

    fn ids(plan: &Plan, set: &BTreeSet<usize>) -> Vec<String> {
        let mut out: Vec<String> = set.iter().map(|&i| plan.at(i).id.clone()).collect();
        out.sort();
        out
    }

    #[test]
    fn a_changed_command_reuses_what_is_upstream_and_reruns_the_rest() {
        let (acts, trans) = chain();
        let old = plan(acts.clone(), trans.clone());
        let mut edited = acts;
        edited[2]["config"]["command"] = json!("echo B");
        let new = plan(edited, trans);
        let reuse = reuse_after_edit(&old, &new);
        assert_eq!(ids(&new, &reuse.changed), ["b"]);
        assert_eq!(ids(&new, &reuse.reusable), ["a", "start"]);
    }

    #[test]
    fn moving_or_renaming_changes_nothing() {
        let (acts, trans) = chain();
        let old = plan(acts.clone(), trans.clone());
        let mut edited = acts;
        edited[3]["position"] = json!({"x": 999, "y": 50});
        edited[3]["label"] = json!("Renamed");
        let new = plan(edited, trans);
        assert_eq!(reuse_after_edit(&old, &new), ReuseAfterEdit::default());
    }

    #[test]
    fn a_new_activity_and_a_rewired_transition_count_as_changes() {
        let (acts, trans) = chain();
        let old = plan(acts.clone(), trans.clone());
        let mut acts2 = acts.as_array().cloned().unwrap_or_default();
        acts2.push(cmd("new", "echo new", 250.0));
        let mut trans2 = trans.as_array().cloned().unwrap_or_default();
        // b → new → c instead of b → c.
        trans2.retain(|t| !(t["from"] == "b" && t["to"] == "c"));
        trans2.push(json!({"from": "b", "port": "ok", "to": "new"}));
        trans2.push(json!({"from": "new", "port": "ok", "to": "c"}));
        let new = plan(json!(acts2), json!(trans2));
        let reuse = reuse_after_edit(&old, &new);
        assert_eq!(ids(&new, &reuse.changed), ["c", "new"]);
        assert_eq!(ids(&new, &reuse.reusable), ["a", "b", "start"]);
    }

    #[test]
    fn a_change_downstream_of_another_is_not_reused() {
        let (acts, trans) = chain();
        let old = plan(acts.clone(), trans.clone());
        let mut edited = acts;
        edited[1]["config"]["command"] = json!("echo A");
        edited[3]["config"]["command"] = json!("echo C");
        let new = plan(edited, trans);
        let reuse = reuse_after_edit(&old, &new);
        assert_eq!(ids(&new, &reuse.changed), ["a", "c"]);
        assert_eq!(ids(&new, &reuse.reusable), ["start"]);
    }
}
