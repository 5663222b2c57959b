//! A semantic diff of two workflow revisions: activities added, removed and moved on the canvas,
//! transitions added and removed, and configuration fields changed with their value before and
//! after — what a person asks "what changed?", not a text diff of the files.

use crate::model::{Position, Transition, WorkflowFile};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// An activity as the diff names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRef {
    /// Its id.
    pub id: String,
    /// Its kind (`run_command`).
    pub kind: String,
    /// Its label.
    pub label: String,
}

/// An activity whose canvas position changed (layout only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    /// Its id.
    pub id: String,
    /// Where it was.
    pub before: Position,
    /// Where it is.
    pub after: Position,
}

/// One configuration field that changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// The activity; `None` for a setting of the workflow itself (name, parameters, retry…).
    pub activity: Option<String>,
    /// The field, as a dotted path (`config.command`, `retry.max_attempts`).
    pub field: String,
    /// Its value before (`null` when it was not set).
    #[ts(type = "unknown")]
    pub before: Value,
    /// Its value after (`null` when it is no longer set).
    #[ts(type = "unknown")]
    pub after: Value,
}

/// What changed from one revision to another.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDiff {
    /// Activities only in the second.
    pub added: Vec<ActivityRef>,
    /// Activities only in the first.
    pub removed: Vec<ActivityRef>,
    /// Activities in both whose position changed.
    pub moved: Vec<Moved>,
    /// Fields that changed, of the workflow and of activities in both.
    pub changed: Vec<FieldChange>,
    /// Transitions only in the second.
    pub transitions_added: Vec<Transition>,
    /// Transitions only in the first.
    pub transitions_removed: Vec<Transition>,
}

impl WorkflowDiff {
    /// Whether the two revisions are the same.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.changed.is_empty()
            && self.transitions_added.is_empty()
            && self.transitions_removed.is_empty()
    }
}

/// The diff of two revisions of a workflow, as the operations API answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDiff {
    /// The workflow.
    pub workflow_id: String,
    /// The first revision.
    #[ts(type = "number")]
    pub from: i64,
    /// The second revision.
    #[ts(type = "number")]
    pub to: i64,
    /// What changed from `from` to `to`.
    pub diff: WorkflowDiff,
}

fn activity_ref(a: &crate::model::Activity) -> ActivityRef {
    ActivityRef {
        id: a.id.clone(),
        kind: a.kind().name().to_string(),
        label: a.label.clone(),
    }
}

/// Leaves of a JSON object as dotted paths; arrays and scalars are leaves (a list compared as a
/// whole reads better than index-by-index changes after an insertion).
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// The changed leaves between two JSON objects, in the order of `before` then new ones.
fn changed_fields(activity: Option<&str>, before: &Value, after: &Value) -> Vec<FieldChange> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten("", before, &mut a);
    flatten("", after, &mut b);
    let mut changes = Vec::new();
    for (path, old) in &a {
        let new = b
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null);
        if &new != old {
            changes.push(FieldChange {
                activity: activity.map(str::to_string),
                field: path.clone(),
                before: old.clone(),
                after: new,
            });
        }
    }
    for (path, new) in &b {
        if !a.iter().any(|(p, _)| p == path) && !new.is_null() {
            changes.push(FieldChange {
                activity: activity.map(str::to_string),
                field: path.clone(),
                before: Value::Null,
                after: new.clone(),
            });
        }
    }
    changes
}

fn without(value: Value, keys: &[&str]) -> Value {
    match value {
        Value::Object(mut map) => {
            for k in keys {
                map.remove(*k);
            }
            Value::Object(map)
        }
        other => other,
    }
}

/// What changed from `before` to `after`. Activities are matched by id: an activity renamed to a
/// new id is one removed and one added.
pub fn diff(before: &WorkflowFile, after: &WorkflowFile) -> WorkflowDiff {
    let mut d = WorkflowDiff::default();
    let settings = |w: &WorkflowFile| without(to_value(w), &["activities", "transitions"]);
    d.changed
        .extend(changed_fields(None, &settings(before), &settings(after)));
    for old in &before.activities {
        match after.activities.iter().find(|a| a.id == old.id) {
            None => d.removed.push(activity_ref(old)),
            Some(new) => {
                if old.position != new.position {
                    d.moved.push(Moved {
                        id: old.id.clone(),
                        before: old.position,
                        after: new.position,
                    });
                }
                let body = |a: &crate::model::Activity| without(to_value(a), &["id", "position"]);
                d.changed
                    .extend(changed_fields(Some(&old.id), &body(old), &body(new)));
            }
        }
    }
    for new in &after.activities {
        if !before.activities.iter().any(|a| a.id == new.id) {
            d.added.push(activity_ref(new));
        }
    }
    d.transitions_removed = before
        .transitions
        .iter()
        .filter(|t| !after.transitions.contains(t))
        .cloned()
        .collect();
    d.transitions_added = after
        .transitions
        .iter()
        .filter(|t| !before.transitions.contains(t))
        .cloned()
        .collect();
    d
}

/// A model value as JSON. Model types always serialise (no maps with non-string keys).
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn load(v: Value) -> WorkflowFile {
        crate::load::from_value(v).unwrap()
    }

    fn base() -> Value {
        json!({
            "format": 1, "name": "Report",
            "activities": [
                {"id": "start", "kind": "start", "position": {"x": 0, "y": 0}},
                {"id": "fetch", "kind": "run_command", "config": {"command": "curl a"}, "position": {"x": 100, "y": 0}},
                {"id": "mail", "kind": "notify", "config": {"title": "done"}, "position": {"x": 200, "y": 0}},
                {"id": "finish", "kind": "finish", "position": {"x": 300, "y": 0}}
            ],
            "transitions": [
                {"from": "start", "to": "fetch"}, {"from": "fetch", "to": "mail"}, {"from": "mail", "to": "finish"}
            ]
        })
    }

    #[test]
    fn the_same_revision_has_no_changes() {
        assert!(diff(&load(base()), &load(base())).is_empty());
    }

    #[test]
    fn activities_added_removed_and_moved_and_transitions_rewired() {
        let mut after = base();
        after["activities"][1]["position"] = json!({"x": 120, "y": 40});
        after["activities"].as_array_mut().unwrap().remove(2); // mail
        after["activities"].as_array_mut().unwrap().push(
            json!({"id": "write", "kind": "write_file", "config": {"path": "/tmp/x", "content": "y"}}),
        );
        after["transitions"] = json!([
            {"from": "start", "to": "fetch"}, {"from": "fetch", "to": "write"}, {"from": "write", "to": "finish"}
        ]);
        let d = diff(&load(base()), &load(after));
        assert_eq!(d.removed.len(), 1);
        assert_eq!(
            (d.removed[0].id.as_str(), d.removed[0].kind.as_str()),
            ("mail", "notify")
        );
        assert_eq!(d.added[0].id, "write");
        assert_eq!(d.added[0].kind, "write_file");
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].id, "fetch");
        assert_eq!((d.moved[0].before.x, d.moved[0].after.y), (100.0, 40.0));
        assert!(
            d.changed.is_empty(),
            "a move is not a change: {:?}",
            d.changed
        );
        let pairs = |ts: &[Transition]| -> Vec<(String, String)> {
            ts.iter().map(|t| (t.from.clone(), t.to.clone())).collect()
        };
        assert_eq!(
            pairs(&d.transitions_removed),
            vec![
                ("fetch".into(), "mail".into()),
                ("mail".into(), "finish".into())
            ]
        );
        assert_eq!(
            pairs(&d.transitions_added),
            vec![
                ("fetch".into(), "write".into()),
                ("write".into(), "finish".into())
            ]
        );
    }

    #[test]
    fn configuration_fields_changed_with_before_and_after() {
        let mut after = base();
        after["name"] = json!("Daily report");
        after["activities"][1]["config"]["command"] = json!("curl b");
        after["activities"][1]["timeout"] = json!("5m");
        after["activities"][1]["label"] = json!("Fetch");
        after["retry"] = json!({"max_attempts": 3});
        let d = diff(&load(base()), &load(after));
        let find = |activity: Option<&str>, field: &str| {
            d.changed
                .iter()
                .find(|c| c.activity.as_deref() == activity && c.field == field)
                .unwrap_or_else(|| panic!("{activity:?} {field} in {:?}", d.changed))
                .clone()
        };
        let c = find(Some("fetch"), "config.command");
        assert_eq!((c.before, c.after), (json!("curl a"), json!("curl b")));
        let c = find(Some("fetch"), "timeout");
        assert_eq!((c.before, c.after), (Value::Null, json!("5m")));
        find(Some("fetch"), "label");
        let c = find(None, "name");
        assert_eq!(
            (c.before, c.after),
            (json!("Report"), json!("Daily report"))
        );
        let c = find(None, "retry.max_attempts");
        assert_eq!(c.after, json!(3));
        assert!(d.added.is_empty() && d.removed.is_empty() && d.moved.is_empty());
    }
}
