//! The debugger's vocabulary: breakpoints (kept beside a workflow in the store, not in its file),
//! the state of a debug run (kept in the store with the run), and what Continue, Step, Skip and
//! Stop mean. How a run pauses and moves on is in `exec/progress/debug.rs`; see
//! `docs/decisions/0008-debugger.md`.

use crate::model::WorkflowFile;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a breakpoint sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// Before the activity starts: its task waits, not yet run.
    Before,
    /// After the activity ended: its result is recorded, its transitions are not taken yet.
    After,
    /// On a transition: the run pauses when the transition is taken, before its target is
    /// activated (the source's task holds, as for `After`, with every transition it takes).
    Transition,
}

/// One breakpoint of a workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "camelCase")]
pub struct Breakpoint {
    /// Before, after, or on a transition.
    pub kind: BreakKind,
    /// The activity; for a transition, its source.
    pub activity: String,
    /// A transition's source port (`ok` when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// A transition's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Pauses only when this expression holds (`tasks.query.recordCount > 1000`); always when
    /// `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

impl Breakpoint {
    /// Parses the command line's form: `ID`, `ID:before`, `ID:after`, `FROM->TO`,
    /// `FROM:PORT->TO`, each optionally followed by `=EXPRESSION`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (place, condition) = match spec.split_once('=') {
            // `==` belongs to the expression only: the place never holds an `=`.
            Some((place, expr)) => (place.trim(), Some(expr.trim().to_string())),
            None => (spec.trim(), None),
        };
        if condition.as_deref() == Some("") {
            return Err(format!("{spec:?}: the condition after '=' is empty"));
        }
        let bad = || {
            format!("{spec:?} is not a breakpoint: use ID, ID:before, ID:after or FROM[:PORT]->TO, optionally followed by =EXPRESSION")
        };
        if let Some((from, to)) = place.split_once("->") {
            let (from, port) = match from.split_once(':') {
                Some((f, p)) => (f.trim(), Some(p.trim().to_string())),
                None => (from.trim(), None),
            };
            if from.is_empty() || to.trim().is_empty() || port.as_deref() == Some("") {
                return Err(bad());
            }
            return Ok(Self {
                kind: BreakKind::Transition,
                activity: from.to_string(),
                port,
                to: Some(to.trim().to_string()),
                condition,
            });
        }
        let (id, kind) = match place.split_once(':') {
            None => (place, BreakKind::Before),
            Some((id, "before")) => (id, BreakKind::Before),
            Some((id, "after")) => (id, BreakKind::After),
            Some(_) => return Err(bad()),
        };
        if id.trim().is_empty() {
            return Err(bad());
        }
        Ok(Self {
            kind,
            activity: id.trim().to_string(),
            port: None,
            to: None,
            condition,
        })
    }

    /// The port a transition breakpoint watches.
    pub fn watched_port(&self) -> &str {
        self.port.as_deref().unwrap_or("ok")
    }

    /// Checks the breakpoint against a workflow: its activity (and transition) exists and its
    /// condition parses.
    pub fn check(&self, body: &WorkflowFile) -> Result<(), String> {
        if !body.activities.iter().any(|a| a.id == self.activity) {
            return Err(format!(
                "breakpoint {self}: the workflow has no activity {:?}",
                self.activity
            ));
        }
        if self.kind == BreakKind::Transition {
            let to = self.to.as_deref().unwrap_or_default();
            let found = body
                .transitions
                .iter()
                .any(|t| t.from == self.activity && t.to == to && t.port == self.watched_port());
            if !found {
                return Err(format!(
                    "breakpoint {self}: the workflow has no transition {}:{} -> {to}",
                    self.activity,
                    self.watched_port()
                ));
            }
        } else if self.to.is_some() || self.port.is_some() {
            return Err(format!(
                "breakpoint {self}: only a transition breakpoint names a port or a target"
            ));
        }
        if let Some(condition) = &self.condition {
            crate::expr::check_expression(
                crate::expr::Site {
                    activity: &self.activity,
                    field: "breakpoint",
                },
                condition,
            )
            .map_err(|e| format!("breakpoint {self}: {}", e.message))?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Breakpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            BreakKind::Before => write!(f, "{}:before", self.activity)?,
            BreakKind::After => write!(f, "{}:after", self.activity)?,
            BreakKind::Transition => write!(
                f,
                "{}:{}->{}",
                self.activity,
                self.watched_port(),
                self.to.as_deref().unwrap_or_default()
            )?,
        }
        if let Some(c) = &self.condition {
            write!(f, "={c}")?;
        }
        Ok(())
    }
}

/// What the debugger is asked to do with a paused run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum DebugAction {
    /// Go on: the paused task runs (paused before) or its transitions are taken (paused after).
    Continue,
    /// Go on, and pause again before each next activity this one leads to.
    Step,
    /// Take the activity's `ok` port without running it. Only in a simulation run: in a real
    /// run the activities downstream would act on a result that was never made (refused with
    /// WEFT-R009).
    Skip,
    /// Cancel the run.
    Stop,
}

impl DebugAction {
    /// Parses `continue`, `step`, `skip`, `stop`.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "continue" => Self::Continue,
            "step" => Self::Step,
            "skip" => Self::Skip,
            "stop" => Self::Stop,
            _ => return None,
        })
    }
}

/// A task paused after its activity ended: the transitions it takes once continued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLeave {
    /// The task.
    pub task_id: i64,
    /// Its ports with their record counts, as the activity left them.
    pub taken: Vec<(String, Option<i64>)>,
}

/// What the store keeps of a debug run, beside the run (committed with every change of it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugState {
    /// Activities stepped from: each next activity they lead to pauses before it starts.
    #[serde(default)]
    pub step_from: Vec<String>,
    /// Tasks paused after their activity ended, with the transitions they will take.
    #[serde(default)]
    pub held: Vec<HeldLeave>,
}

/// A task of a debug run that waits at a breakpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PausedTask {
    /// The task.
    #[ts(type = "number")]
    pub task_id: i64,
    /// Its activity.
    pub activity_id: String,
    /// Paused before the activity ran, or after it ended.
    pub at: BreakKind,
}

/// A debug run as the debugger shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DebugView {
    /// The run.
    #[ts(type = "number")]
    pub run_id: i64,
    /// Whether it is a debug run (breakpoints apply to debug runs only).
    pub debug: bool,
    /// Its tasks waiting at a breakpoint, oldest first.
    pub paused: Vec<PausedTask>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_forms_parse() {
        let b = Breakpoint::parse("query").unwrap();
        assert_eq!((b.kind, b.activity.as_str()), (BreakKind::Before, "query"));
        let b = Breakpoint::parse("query:after=tasks.query.recordCount > 1000").unwrap();
        assert_eq!(b.kind, BreakKind::After);
        assert_eq!(
            b.condition.as_deref(),
            Some("tasks.query.recordCount > 1000")
        );
        let b = Breakpoint::parse("a->b").unwrap();
        assert_eq!(b.kind, BreakKind::Transition);
        assert_eq!((b.watched_port(), b.to.as_deref()), ("ok", Some("b")));
        let b = Breakpoint::parse("gate:true->b=vars.segment == \"vip\"").unwrap();
        assert_eq!(b.port.as_deref(), Some("true"));
        assert_eq!(b.condition.as_deref(), Some("vars.segment == \"vip\""));
        assert_eq!(b.to_string(), "gate:true->b=vars.segment == \"vip\"");
        for bad in ["", "a:during", "->b", "a->", "a=", "a:->b"] {
            assert!(Breakpoint::parse(bad).is_err(), "{bad:?}");
        }
    }
}
