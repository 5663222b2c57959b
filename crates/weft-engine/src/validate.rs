//! Graph and configuration rules of a workflow, reported all at once as diagnostics.
//!
//! The UI renders these; it decides nothing itself. Rules: exactly one Start; transitions point
//! at existing activities and ports; every activity reachable from Start; every branch reaches a
//! Finish; cycles only through a Loop; joins have two or more inputs and sit outside cycles;
//! required configuration present and expressions well formed.

use crate::expr::{self, Site};
use crate::model::{ActivityConfig, ActivityKind, Role, ScheduleSpec, WorkflowFile};
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

/// How bad a problem is: errors prevent starting, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Prevents starting the workflow.
    Error,
    /// Worth a look; does not prevent starting.
    Warning,
}

/// One problem found in a workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Diagnostic {
    /// The activity concerned, when there is one.
    pub activity: Option<String>,
    /// The JSON path of the value at fault in the workflow file (`activities[3].config.url`,
    /// `transitions[0]`), so that a form can mark the field itself.
    #[serde(default)]
    pub path: Option<String>,
    /// Stable code (`WEFT-V005`), documented in `docs/errors/`.
    pub code: String,
    /// Human explanation.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.activity {
            Some(a) => write!(f, "{} [{}] {}", self.code, a, self.message),
            None => write!(f, "{} {}", self.code, self.message),
        }
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The diagnostics found so far, with where each activity sits in the file.
struct Report<'w> {
    found: Vec<Diagnostic>,
    index: HashMap<&'w str, usize>,
}

impl<'w> Report<'w> {
    fn new(workflow: &'w WorkflowFile) -> Self {
        let mut index = HashMap::new();
        for (i, a) in workflow.activities.iter().enumerate() {
            index.entry(a.id.as_str()).or_insert(i);
        }
        Self {
            found: Vec::new(),
            index,
        }
    }
    fn error(&mut self, activity: Option<&str>, code: &str, message: String) {
        let path = self.activity_path(activity);
        self.push(activity, path, code, message, Severity::Error);
    }
    fn warning(&mut self, activity: Option<&str>, code: &str, message: String) {
        let path = self.activity_path(activity);
        self.push(activity, path, code, message, Severity::Warning);
    }
    /// An error in one field of an activity's configuration.
    fn field(&mut self, activity: &str, field: &str, code: &str, message: String) {
        let path = self
            .activity_path(Some(activity))
            .map(|p| format!("{p}.config.{field}"));
        self.push(Some(activity), path, code, message, Severity::Error);
    }
    /// A problem with the `n`th transition.
    fn transition(
        &mut self,
        n: usize,
        activity: Option<&str>,
        code: &str,
        message: String,
        severity: Severity,
    ) {
        self.push(
            activity,
            Some(format!("transitions[{n}]")),
            code,
            message,
            severity,
        );
    }
    fn activity_path(&self, activity: Option<&str>) -> Option<String> {
        activity
            .and_then(|id| self.index.get(id))
            .map(|i| format!("activities[{i}]"))
    }
    fn push(
        &mut self,
        activity: Option<&str>,
        path: Option<String>,
        code: &str,
        message: String,
        severity: Severity,
    ) {
        self.found.push(Diagnostic {
            activity: activity.map(str::to_string),
            path,
            code: code.into(),
            message,
            severity,
        });
    }
}

/// Checks every rule and returns every problem found (empty when the workflow is valid).
pub fn validate(workflow: &WorkflowFile) -> Vec<Diagnostic> {
    let mut report = Report::new(workflow);
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let mut index: HashMap<&str, NodeIndex> = HashMap::new();
    for (i, activity) in workflow.activities.iter().enumerate() {
        if activity.id.trim().is_empty() {
            report.error(
                None,
                "WEFT-V002",
                format!("activity #{} has an empty id", i + 1),
            );
        }
        if index
            .insert(activity.id.as_str(), graph.add_node(i))
            .is_some()
        {
            report.error(
                Some(&activity.id),
                "WEFT-V002",
                format!("duplicate activity id {:?}", activity.id),
            );
        }
    }

    let starts: Vec<&str> = workflow
        .activities
        .iter()
        .filter(|a| a.role() == Role::Start)
        .map(|a| a.id.as_str())
        .collect();
    match starts.len() {
        0 => report.error(
            None,
            "WEFT-V001",
            "the workflow has no Start activity".into(),
        ),
        1 => {}
        _ => {
            for id in &starts[1..] {
                report.error(
                    Some(id),
                    "WEFT-V001",
                    format!("more than one Start: {}", starts.join(", ")),
                );
            }
        }
    }

    let mut seen_edges = HashSet::new();
    for (n, t) in workflow.transitions.iter().enumerate() {
        let (Some(&from), Some(&to)) = (index.get(t.from.as_str()), index.get(t.to.as_str()))
        else {
            for end in [&t.from, &t.to] {
                if !index.contains_key(end.as_str()) {
                    report.transition(
                        n,
                        Some(if index.contains_key(t.from.as_str()) {
                            &t.from
                        } else {
                            end
                        }),
                        "WEFT-V003",
                        format!(
                            "transition {} → {} points at unknown activity {:?}",
                            t.from, t.to, end
                        ),
                        Severity::Error,
                    );
                }
            }
            continue;
        };
        let source = &workflow.activities[graph[from]];
        if !source.kind().ports().contains(&t.port.as_str()) {
            report.transition(
                n,
                Some(&t.from),
                "WEFT-V004",
                format!(
                    "{} has no output {:?} (outputs: {})",
                    source.kind(),
                    t.port,
                    if source.kind().ports().is_empty() {
                        "none".into()
                    } else {
                        source.kind().ports().join(", ")
                    }
                ),
                Severity::Error,
            );
        }
        if workflow.activities[graph[to]].role() == Role::Start {
            report.transition(
                n,
                Some(&t.to),
                "WEFT-V010",
                "Start cannot have incoming transitions".into(),
                Severity::Error,
            );
        }
        if workflow.activities[graph[to]].role() == Role::Trigger && source.role() != Role::Start {
            report.transition(
                n,
                Some(&t.to),
                "WEFT-V012",
                format!("a trigger can only follow Start, not {}", t.from),
                Severity::Error,
            );
        }
        if !seen_edges.insert((t.from.as_str(), t.port.as_str(), t.to.as_str())) {
            report.transition(
                n,
                Some(&t.from),
                "WEFT-V013",
                format!("duplicate transition {} → {}", t.from, t.to),
                Severity::Warning,
            );
        }
        graph.add_edge(from, to, ());
    }

    if !starts.is_empty() {
        let mut reachable = HashSet::new();
        // One walk for all starts: `move_to` keeps what was already discovered.
        let mut dfs = Dfs::empty(&graph);
        for start in &starts {
            dfs.move_to(index[start]);
            while let Some(n) = dfs.next(&graph) {
                reachable.insert(n);
            }
        }
        for n in graph.node_indices() {
            if !reachable.contains(&n) {
                let a = &workflow.activities[graph[n]];
                report.error(
                    Some(&a.id),
                    "WEFT-V005",
                    format!("{} is not reachable from Start", a.display_name()),
                );
            }
        }
    }

    let mut reaches_finish = HashSet::new();
    let reversed = Reversed(&graph);
    let mut dfs = Dfs::empty(reversed);
    for n in graph
        .node_indices()
        .filter(|&n| workflow.activities[graph[n]].role() == Role::Finish)
    {
        dfs.move_to(n);
        while let Some(m) = dfs.next(reversed) {
            reaches_finish.insert(m);
        }
    }
    if !workflow.activities.iter().any(|a| a.role() == Role::Finish) {
        report.error(
            None,
            "WEFT-V006",
            "the workflow has no Finish activity".into(),
        );
    } else {
        for n in graph.node_indices().filter(|n| !reaches_finish.contains(n)) {
            let a = &workflow.activities[graph[n]];
            report.error(
                Some(&a.id),
                "WEFT-V006",
                format!(
                    "the branch through {} never reaches a Finish",
                    a.display_name()
                ),
            );
        }
    }

    let mut in_cycle = HashSet::new();
    // Kosaraju's algorithm walks with explicit stacks: Tarjan's (in this petgraph) recurses once
    // per activity and overflows a thread's stack on a chain of a few thousand.
    for mut component in kosaraju_scc(&graph) {
        component.sort_by_key(|&n| graph[n]);
        let cyclic = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if !cyclic {
            continue;
        }
        in_cycle.extend(component.iter().copied());
        let has_loop = component
            .iter()
            .any(|&n| workflow.activities[graph[n]].kind() == ActivityKind::Loop);
        if !has_loop {
            let ids: Vec<&str> = component
                .iter()
                .map(|&n| workflow.activities[graph[n]].id.as_str())
                .collect();
            for id in &ids {
                report.error(
                    Some(id),
                    "WEFT-V007",
                    format!("cycle without a Loop activity: {}", ids.join(" → ")),
                );
            }
        }
    }

    let exits: HashSet<(&str, &str)> = workflow
        .transitions
        .iter()
        .map(|t| (t.from.as_str(), t.port.as_str()))
        .collect();
    for (i, activity) in workflow.activities.iter().enumerate() {
        let Some(&node) = index.get(activity.id.as_str()) else {
            continue;
        };
        if graph[node] != i {
            continue; // duplicate id, already reported
        }
        let incoming = graph
            .neighbors_directed(node, petgraph::Direction::Incoming)
            .count();
        if activity.kind().waits_for_all_inputs() {
            let label = activity.kind().label();
            if incoming < 2 {
                report.error(
                    Some(&activity.id),
                    "WEFT-V008",
                    format!("a {label} needs two or more incoming transitions, it has {incoming}"),
                );
            }
            if in_cycle.contains(&node) {
                report.error(
                    Some(&activity.id),
                    "WEFT-V008",
                    format!("a {label} cannot sit inside a loop"),
                );
            }
        }
        if activity.role() == Role::Finish {
            continue;
        }
        for port in activity.kind().ports() {
            let connected = exits.contains(&(activity.id.as_str(), *port));
            if !connected
                && *port != "error"
                && activity.kind().ports().len() > 1
                && reaches_finish.contains(&node)
            {
                report.warning(
                    Some(&activity.id),
                    "WEFT-V011",
                    format!(
                        "output {port:?} of {} leads nowhere: runs taking it end there",
                        activity.display_name()
                    ),
                );
            }
        }
        check_config(&mut report, activity.id.as_str(), &activity.config);
    }

    if workflow.parameters.get("type").and_then(|t| t.as_str()) != Some("object") {
        report.error(
            None,
            "WEFT-V014",
            "parameters must be a JSON Schema with \"type\": \"object\"".into(),
        );
    }
    report.found
}

fn check_config(report: &mut Report<'_>, id: &str, config: &ActivityConfig) {
    let mut template = |field: &str, text: &str| {
        if let Err(e) = expr::check_template(
            Site {
                activity: id,
                field,
            },
            text,
        ) {
            report.field(id, field, "WEFT-V009", e.message.clone());
        }
    };
    let mut required = Vec::new();
    match config {
        ActivityConfig::RunCommand(c) => {
            template("command", &c.command);
            required.push(("command", c.command.as_str()));
        }
        ActivityConfig::HttpRequest(c) => {
            template("url", &c.url);
            if let Some(body) = &c.body {
                template("body", body);
            }
            required.push(("url", c.url.as_str()));
        }
        ActivityConfig::WriteFile(c) => {
            template("path", &c.path);
            template("content", &c.content);
            required.push(("path", c.path.as_str()));
        }
        ActivityConfig::SendEmail(c) => {
            template("to", &c.to);
            template("subject", &c.subject);
            template("body", &c.body);
            required.push(("to", c.to.as_str()));
        }
        ActivityConfig::Notify(c) => {
            template("title", &c.title);
            required.push(("title", c.title.as_str()));
        }
        ActivityConfig::SetVariables(c) => {
            for (name, value) in &c.variables {
                template(&format!("variables.{name}"), value);
            }
        }
        ActivityConfig::Approval(c) => template("message", &c.message),
        ActivityConfig::Condition(c) => {
            required.push(("expression", c.expression.as_str()));
            if let Err(e) = expr::check_expression(
                Site {
                    activity: id,
                    field: "expression",
                },
                &c.expression,
            ) {
                report.field(
                    id,
                    "expression",
                    "WEFT-V009",
                    format!("expression: {}", e.message),
                );
            }
        }
        ActivityConfig::Loop(c) => {
            required.push(("expression", c.expression.as_str()));
            if let Err(e) = expr::check_expression(
                Site {
                    activity: id,
                    field: "expression",
                },
                &c.expression,
            ) {
                report.field(
                    id,
                    "expression",
                    "WEFT-V009",
                    format!("expression: {}", e.message),
                );
            }
        }
        ActivityConfig::Wait(c) => match (&c.duration, &c.until) {
            (None, None) => report.field(
                id,
                "duration",
                "WEFT-V009",
                "a Wait needs a duration or an until time".into(),
            ),
            (Some(_), Some(_)) => report.field(
                id,
                "until",
                "WEFT-V009",
                "a Wait takes a duration or an until time, not both".into(),
            ),
            (None, Some(until)) if chrono::DateTime::parse_from_rfc3339(until).is_err() => {
                report.field(
                    id,
                    "until",
                    "WEFT-V009",
                    format!("until {until:?} is not an RFC 3339 time"),
                );
            }
            _ => {}
        },
        ActivityConfig::ScheduleTrigger(c) => {
            if let Err(message) = crate::schedule::check_spec(&c.schedule) {
                report.field(id, "schedule", "WEFT-V009", message);
            }
            if let ScheduleSpec::Interval { every } = &c.schedule {
                if every.as_duration().is_zero() {
                    report.field(
                        id,
                        "schedule.every",
                        "WEFT-V009",
                        "an interval must be longer than zero".into(),
                    );
                }
            }
        }
        ActivityConfig::Query(c) => {
            if let Err(e) = c.filter.check() {
                report.field(id, "filter", "WEFT-V009", e.to_string());
            }
        }
        ActivityConfig::Split(c) => {
            let modes = [c.filter.is_some(), c.percent.is_some(), c.count.is_some()]
                .iter()
                .filter(|m| **m)
                .count();
            if modes != 1 {
                report.error(
                    Some(id),
                    "WEFT-V009",
                    "a Split needs exactly one of filter, percent and count".into(),
                );
            }
            if let Some(Err(e)) = c.filter.as_ref().map(|f| f.check()) {
                report.field(id, "filter", "WEFT-V009", e.to_string());
            }
        }
        ActivityConfig::Deduplicate(c) => {
            let ok = ["name", "phone", "status", "email"].contains(&c.field.as_str())
                || (c.field.starts_with("custom.") && c.field.len() > 7);
            if !ok {
                report.field(
                    id,
                    "field",
                    "WEFT-V009",
                    format!(
                        "cannot deduplicate on {:?}; use name, phone, status or custom.NAME",
                        c.field
                    ),
                );
            }
        }
        ActivityConfig::UpdateData(c) => {
            for (name, value) in &c.set_custom {
                template(&format!("set_custom.{name}"), value);
            }
            if c.set_status.is_none()
                && c.add_tags.is_empty()
                && c.remove_tags.is_empty()
                && c.set_custom.is_empty()
            {
                report.error(
                    Some(id),
                    "WEFT-V009",
                    "Update data changes nothing: set a status, tags or fields".into(),
                );
            }
        }
        ActivityConfig::ImportCsv(c) => {
            template("path", &c.path);
            required.push(("path", c.path.as_str()));
            if c.delimiter.chars().count() != 1 && c.delimiter != "\\t" && c.delimiter != "tab" {
                report.field(
                    id,
                    "delimiter",
                    "WEFT-V009",
                    format!("delimiter must be one character, got {:?}", c.delimiter),
                );
            }
        }
        ActivityConfig::ExportCsv(c) => {
            template("path", &c.path);
            required.push(("path", c.path.as_str()));
        }
        ActivityConfig::SendEmailEach(c) => {
            template("subject", &c.subject);
            template("body", &c.body);
        }
        ActivityConfig::FileTrigger(c) => {
            required.push(("folder", c.folder.as_str()));
            if let Err(e) = glob::Pattern::new(&c.pattern) {
                report.field(
                    id,
                    "pattern",
                    "WEFT-V009",
                    format!("pattern {:?}: {e}", c.pattern),
                );
            }
        }
        ActivityConfig::Enrichment(c) => {
            template("lookup", &c.lookup);
            required.push(("lookup", c.lookup.as_str()));
            required.push(("key", c.key.as_str()));
            required.push(("column", c.column.as_str()));
            if c.fields.is_empty() {
                report.field(
                    id,
                    "fields",
                    "WEFT-V009",
                    "Enrichment sets no field: map at least one field to a lookup column".into(),
                );
            }
        }
        ActivityConfig::SubWorkflow(c) => {
            required.push(("workflow", c.workflow.as_str()));
            for (name, value) in &c.params {
                template(&format!("params.{name}"), value);
            }
        }
        ActivityConfig::WebhookTrigger(_) | ActivityConfig::RecordTrigger(_) => {}
        ActivityConfig::Union(_)
        | ActivityConfig::Intersection(_)
        | ActivityConfig::Exclusion(_) => {}
        ActivityConfig::Start(_)
        | ActivityConfig::Finish(_)
        | ActivityConfig::ManualTrigger(_)
        | ActivityConfig::Fork(_)
        | ActivityConfig::Join(_) => {}
    }
    for (field, value) in required {
        if value.trim().is_empty() {
            report.field(id, field, "WEFT-V009", format!("{field} is required"));
        }
    }
}
