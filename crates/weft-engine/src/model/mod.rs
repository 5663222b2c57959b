//! The workflow file format (`*.weft.json`): activities, transitions and policies.
//!
//! Semantics (kinds, configs, transitions, policies) are kept apart from layout (`position`), so
//! moving an activity on the canvas never changes what a workflow does. Loading with good errors
//! lives in [`crate::load`]; graph rules in [`crate::validate`].

mod config;
mod duration;

pub use config::*;
pub use duration::DurationSpec;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The newest file format version this engine reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

/// The longest workflow name, in characters. Names are also unique in a store and not empty.
pub const MAX_NAME_CHARS: usize = 200;

/// A whole workflow as saved in a `*.weft.json` file and in each store revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    /// File format version; files newer than [`FORMAT_VERSION`] are refused.
    pub format: u32,
    /// Display name.
    pub name: String,
    /// Free text shown on the card.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// JSON Schema of the run parameters (the Run dialog's form).
    #[serde(default = "empty_object_schema")]
    #[ts(type = "Record<string, unknown>")]
    pub parameters: serde_json::Value,
    /// What happens when a run is asked for while another one of this workflow is active.
    #[serde(default)]
    pub concurrency: ConcurrencyPolicy,
    /// Default retry policy of every activity (an activity may override it).
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Default per-task timeout (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub timeout: Option<DurationSpec>,
    /// Notifications on run completion or failure.
    #[serde(default)]
    pub notify: NotifyPolicy,
    /// How much run history to keep (everything when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub history: Option<HistoryPolicy>,
    /// The activities (sections).
    pub activities: Vec<Activity>,
    /// The edges between activity output ports and activities.
    #[serde(default)]
    pub transitions: Vec<Transition>,
}

fn empty_object_schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {}})
}

impl WorkflowFile {
    /// A new workflow with only Start and Finish, joined, as the canvas creates it.
    pub fn new_blank(name: &str) -> Self {
        let start = Activity::new("start", ActivityConfig::Start(EmptyConfig {}), 0.0, 0.0);
        let finish = Activity::new("finish", ActivityConfig::Finish(EmptyConfig {}), 0.0, 240.0);
        Self {
            format: FORMAT_VERSION,
            name: name.to_string(),
            description: String::new(),
            parameters: empty_object_schema(),
            concurrency: ConcurrencyPolicy::default(),
            retry: RetryPolicy::default(),
            timeout: None,
            notify: NotifyPolicy::default(),
            history: None,
            activities: vec![start, finish],
            transitions: vec![Transition::new("start", "ok", "finish")],
        }
    }

    /// The activity with this id.
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.id == id)
    }

    /// Serialises to pretty JSON (the on-disk form).
    pub fn to_pretty_json(&self) -> String {
        // Serialising plain data structs cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// One activity (a *section* on the canvas).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Activity {
    /// Unique within the workflow; referenced by transitions, runs and expressions (`tasks.ID`).
    pub id: String,
    /// What the activity does, and its configuration.
    #[serde(flatten)]
    pub config: ActivityConfig,
    /// The role, derived from the kind; written for readers of the file, checked on load.
    #[serde(default, skip_deserializing)]
    pub role: Option<Role>,
    /// Display label.
    #[serde(default)]
    pub label: String,
    /// Canvas position (layout only).
    #[serde(default)]
    pub position: Position,
    /// Execution mode (Normal / Enable but do not execute / Do not enable).
    #[serde(default)]
    pub mode: ExecutionMode,
    /// Overrides the workflow's retry policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
    /// Overrides the workflow's task timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub timeout: Option<DurationSpec>,
    /// What recovery does with this step when the engine stopped while it ran.
    #[serde(default, skip_serializing_if = "OnInterrupt::is_default")]
    #[ts(as = "Option<OnInterrupt>", optional)]
    pub on_interrupt: OnInterrupt,
}

impl Activity {
    /// An activity in normal mode at a position, labelled after its kind.
    pub fn new(id: &str, config: ActivityConfig, x: f64, y: f64) -> Self {
        let label = config.kind().label().to_string();
        let role = Some(config.kind().role());
        Self {
            id: id.to_string(),
            config,
            role,
            label,
            position: Position { x, y },
            mode: ExecutionMode::Normal,
            retry: None,
            timeout: None,
            on_interrupt: OnInterrupt::Rerun,
        }
    }

    /// The activity's kind.
    pub fn kind(&self) -> ActivityKind {
        self.config.kind()
    }

    /// The activity's role (derived from its kind).
    pub fn role(&self) -> Role {
        self.kind().role()
    }

    /// The label, or the id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

/// A point on the canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Position {
    /// Horizontal, in canvas units.
    pub x: f64,
    /// Vertical, in canvas units.
    pub y: f64,
}

/// An edge from an activity's output port to another activity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// Source activity id.
    pub from: String,
    /// Source output port (`ok`, `true`, `approved`…).
    #[serde(default = "default_port")]
    pub port: String,
    /// Target activity id.
    pub to: String,
}

fn default_port() -> String {
    "ok".into()
}

impl Transition {
    /// A transition from `from`'s `port` to `to`.
    pub fn new(from: &str, port: &str, to: &str) -> Self {
        Self {
            from: from.into(),
            port: port.into(),
            to: to.into(),
        }
    }
}

/// The eight section roles of the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The one entry point, created with every workflow.
    Start,
    /// Ends a branch; every branch ends in one.
    Finish,
    /// Begins the work on an event or a schedule.
    Trigger,
    /// Does work: commands, HTTP, files, email…
    Action,
    /// Routes by an expression.
    Condition,
    /// Pauses a branch.
    Wait,
    /// Fork and join.
    Parallel,
    /// Waits for an operator's decision.
    Approval,
}

/// How an activity takes part in runs (right-click menu and the Advanced tab).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionMode {
    /// Normal execution.
    #[default]
    Normal,
    /// Enable but do not execute: the task is created and waits as pending until executed now.
    Hold,
    /// Do not enable: the activity, and what only it leads to, is skipped.
    Disabled,
}

/// What happens to a step that was running when the engine itself stopped (killed, crashed,
/// power cut). The engine keeps its bookkeeping exactly once, but the step's own effect may or
/// may not have happened before the stop.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum OnInterrupt {
    /// Run it again on recovery (at least once: an effect that happened may happen twice; the
    /// idempotency key stays the same). Not counted against the retry policy.
    #[default]
    Rerun,
    /// Fail it (then its `error` output, or the run fails): for effects that must never repeat.
    Fail,
}

impl OnInterrupt {
    fn is_default(&self) -> bool {
        *self == Self::Rerun
    }
}

/// A workflow's policy when a run is requested while another is active.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConcurrencyPolicy {
    /// The new run waits (Pending) until the active one ends.
    #[default]
    Queue,
    /// The new run is not created.
    Skip,
    /// Runs execute side by side.
    Parallel,
}

/// How delays grow between attempts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Backoff {
    /// The same delay before every retry.
    Fixed,
    /// Doubling delays, capped at `max_delay`.
    #[default]
    Exponential,
}

/// Retry policy of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 = no retry).
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 100))]
    pub max_attempts: u32,
    /// How the delay grows.
    #[serde(default)]
    pub backoff: Backoff,
    /// Delay before the first retry.
    #[serde(default = "one_second")]
    #[ts(type = "string")]
    pub initial_delay: DurationSpec,
    /// Largest delay between attempts.
    #[serde(default = "five_minutes")]
    #[ts(type = "string")]
    pub max_delay: DurationSpec,
}

fn one() -> u32 {
    1
}
fn one_second() -> DurationSpec {
    DurationSpec::from_secs(1)
}
fn five_minutes() -> DurationSpec {
    DurationSpec::from_secs(300)
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 1,
            backoff: Backoff::Exponential,
            initial_delay: one_second(),
            max_delay: five_minutes(),
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `next_attempt` (2 for the first retry). A pure function, so it is
    /// tested without a clock.
    pub fn delay_before(&self, next_attempt: u32) -> std::time::Duration {
        let base = self.initial_delay.as_duration();
        let delay = match self.backoff {
            Backoff::Fixed => base,
            Backoff::Exponential => {
                let exp = next_attempt.saturating_sub(2).min(30);
                base.saturating_mul(1u32 << exp)
            }
        };
        delay.min(self.max_delay.as_duration())
    }
}

/// Retention of a workflow's finished runs (with their tasks, logs and record sets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HistoryPolicy {
    /// Keep at most this many finished runs (the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_runs: Option<u32>,
    /// Delete finished runs older than this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_days: Option<u32>,
}

/// Notifications a workflow asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct NotifyPolicy {
    /// Notify when a run completes.
    #[serde(default)]
    pub on_completion: bool,
    /// Notify when a run fails.
    #[serde(default)]
    pub on_failure: bool,
}

macro_rules! activity_kinds {
    ($( $variant:ident($cfg:ty) = $name:literal, $role:ident, $label:literal, [$($port:literal),*], $side:expr, $desc:literal; )*) => {
        /// An activity's kind with its configuration (`"kind"` and `"config"` in the file).
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(tag = "kind", content = "config", rename_all = "snake_case")]
        pub enum ActivityConfig {
            $( #[doc = $desc] $variant($cfg), )*
        }

        /// The kind of an activity, without its configuration.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ActivityKind {
            $( #[doc = $desc] $variant, )*
        }

        impl ActivityConfig {
            /// The kind of this configuration.
            pub fn kind(&self) -> ActivityKind {
                match self { $( Self::$variant(_) => ActivityKind::$variant, )* }
            }
        }

        impl ActivityKind {
            /// Every kind, in catalogue order.
            pub const ALL: &'static [ActivityKind] = &[$( ActivityKind::$variant, )*];

            /// The name used in files (`run_command`).
            pub fn name(self) -> &'static str {
                match self { $( Self::$variant => $name, )* }
            }

            /// Parses a file name of a kind.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $name => Some(Self::$variant), )* _ => None }
            }

            /// The role this kind plays.
            pub fn role(self) -> Role {
                match self { $( Self::$variant => Role::$role, )* }
            }

            /// Default label in the palette.
            pub fn label(self) -> &'static str {
                match self { $( Self::$variant => $label, )* }
            }

            /// One-line description for the palette.
            pub fn description(self) -> &'static str {
                match self { $( Self::$variant => $desc.trim(), )* }
            }

            /// Output ports, in display order.
            pub fn ports(self) -> &'static [&'static str] {
                match self { $( Self::$variant => &[$($port),*], )* }
            }

            /// Whether running it touches the world (skipped in simulation mode).
            pub fn has_side_effects(self) -> bool {
                match self { $( Self::$variant => $side, )* }
            }

            /// JSON Schema of this kind's configuration.
            pub fn config_schema(self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                match self { $( Self::$variant => generator.subschema_for::<$cfg>(), )* }
            }

            /// Default configuration (what the palette inserts).
            pub fn default_config(self) -> serde_json::Value {
                crate::catalog::default_config(self)
            }
        }
    };
}

activity_kinds! {
    Start(EmptyConfig) = "start", Start, "Start", ["ok"], false, " The entry point of every run.";
    Finish(EmptyConfig) = "finish", Finish, "Finish", [], false, " Ends a branch.";
    ManualTrigger(EmptyConfig) = "manual_trigger", Trigger, "Manual trigger", ["ok"], false, " Fires on Run now or Start.";
    ScheduleTrigger(ScheduleTriggerConfig) = "schedule_trigger", Trigger, "Schedule", ["ok"], false, " Fires on a cron expression or an interval.";
    WebhookTrigger(WebhookTriggerConfig) = "webhook_trigger", Trigger, "Webhook", ["ok"], false, " Fires on an HTTP call with the workflow's secret token.";
    FileTrigger(FileTriggerConfig) = "file_trigger", Trigger, "File arrives", ["ok"], false, " Fires once per file arriving in a folder.";
    RecordTrigger(RecordTriggerConfig) = "record_trigger", Trigger, "Contact event", ["ok"], false, " Fires when contacts are added or change status.";
    Condition(ConditionConfig) = "condition", Condition, "Condition", ["true", "false"], false, " Routes by an expression.";
    Loop(LoopConfig) = "loop", Condition, "Loop", ["again", "done"], false, " Repeats a branch while an expression holds.";
    Wait(WaitConfig) = "wait", Wait, "Wait", ["ok"], false, " Pauses the branch for a while or until a time.";
    Fork(EmptyConfig) = "fork", Parallel, "Fork", ["ok"], false, " Starts several branches at once.";
    Join(EmptyConfig) = "join", Parallel, "Join", ["ok"], false, " Waits for every incoming branch.";
    SubWorkflow(SubWorkflowConfig) = "sub_workflow", Action, "Sub-workflow", ["ok", "error"], false, " Runs another workflow and waits for its result.";
    Approval(ApprovalConfig) = "approval", Approval, "Approval", ["approved", "rejected"], false, " Waits for an operator to approve or reject.";
    SetVariables(SetVariablesConfig) = "set_variables", Action, "Set variables", ["ok", "error"], false, " Computes run variables from expressions.";
    RunCommand(RunCommandConfig) = "run_command", Action, "Run command", ["ok", "error"], true, " Runs a shell command and captures its output.";
    HttpRequest(HttpRequestConfig) = "http_request", Action, "HTTP request", ["ok", "error"], true, " Calls an HTTP endpoint.";
    WriteFile(WriteFileConfig) = "write_file", Action, "Write file", ["ok", "error"], true, " Writes text to a file.";
    SendEmail(SendEmailConfig) = "send_email", Action, "Send email", ["ok", "error"], true, " Sends an email (outbox folder by default).";
    Notify(NotifyConfig) = "notify", Action, "Desktop notification", ["ok", "error"], true, " Shows a desktop notification.";
    Query(QueryConfig) = "query", Action, "Query", ["ok", "error"], false, " Selects contacts with a filter.";
    Union(EmptyConfig) = "union", Action, "Union", ["ok"], false, " Records in any input set.";
    Intersection(EmptyConfig) = "intersection", Action, "Intersection", ["ok"], false, " Records in every input set.";
    Exclusion(EmptyConfig) = "exclusion", Action, "Exclusion", ["ok"], false, " Records of the first input set that are in no other.";
    Split(SplitConfig) = "split", Action, "Split", ["match", "rest"], false, " Divides the set by a filter, a percentage or a count.";
    Deduplicate(DeduplicateConfig) = "deduplicate", Action, "Deduplication", ["ok"], false, " Keeps one record per value of a field.";
    Enrichment(EnrichmentConfig) = "enrichment", Action, "Enrichment", ["ok", "error"], true, " Adds fields to the records from a lookup file.";
    UpdateData(UpdateDataConfig) = "update_data", Action, "Update data", ["ok", "error"], true, " Changes status, tags or fields of the records.";
    ImportCsv(ImportCsvConfig) = "import_csv", Action, "Import CSV", ["ok", "error"], true, " Adds contacts from a CSV file.";
    ExportCsv(ExportCsvConfig) = "export_csv", Action, "Export CSV", ["ok", "error"], true, " Writes the records to a CSV file.";
    SendEmailEach(SendEmailEachConfig) = "send_email_each", Action, "Email each record", ["ok", "error"], true, " Sends a templated email to every record of the set.";
}

impl ActivityKind {
    /// Whether the activity waits for every incoming branch (Join and the set operations).
    pub fn waits_for_all_inputs(self) -> bool {
        matches!(
            self,
            Self::Join | Self::Union | Self::Intersection | Self::Exclusion
        )
    }

    /// Whether the activity reads the record sets of its inputs.
    pub fn reads_records(self) -> bool {
        matches!(
            self,
            Self::Union
                | Self::Intersection
                | Self::Exclusion
                | Self::Split
                | Self::Enrichment
                | Self::Deduplicate
                | Self::UpdateData
                | Self::ExportCsv
                | Self::SendEmailEach
        )
    }
}

impl ActivityConfig {
    /// Whether this configured activity touches the world; a GET request is side-effect free.
    pub fn has_side_effects(&self) -> bool {
        match self {
            Self::HttpRequest(c) => c.method.has_side_effects(),
            other => other.kind().has_side_effects(),
        }
    }
}

impl std::fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
