//! Configuration of each activity kind: one struct per kind, the single source of truth for the
//! section modal forms (JSON Schema via `schemars`) and the bridge types (TypeScript via `ts-rs`).

use super::DurationSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Configuration that carries nothing (Start, Finish, Manual trigger, Fork, Join).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct EmptyConfig {}

/// When a Schedule trigger fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScheduleSpec {
    /// A five-field cron expression (`min hour day month weekday`) in a time zone.
    Cron {
        /// e.g. `0 9 * * 1-5` for 09:00 on weekdays.
        cron: String,
        /// IANA time zone, e.g. `Europe/Paris`; UTC when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timezone: Option<String>,
    },
    /// Every fixed interval, counted from when the workflow was started.
    Interval {
        /// e.g. `15m`.
        #[ts(type = "string")]
        every: DurationSpec,
    },
    /// Never fires by itself: Run now is the only way to execute it.
    OnDemand,
}

/// What to do with firings missed while no engine was running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum MissedPolicy {
    /// Drop missed firings; wait for the next one.
    #[default]
    Skip,
    /// Run once for all the missed firings together.
    RunOnce,
    /// Run once per missed firing.
    RunAll,
}

/// Schedule trigger: fires runs on a cron expression or an interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ScheduleTriggerConfig {
    /// When to fire.
    pub schedule: ScheduleSpec,
    /// Missed firings while the engine was not running.
    #[serde(default)]
    pub missed: MissedPolicy,
}

/// Condition: routes to `true` or `false` by an expression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ConditionConfig {
    /// An expression over `params`, `vars` and `tasks`, e.g. `params.count > 10`.
    #[schemars(extend("format" = "expression"), length(min = 1))]
    pub expression: String,
}

/// Loop: the one activity through which a cycle is allowed. Leaves by `again` while the
/// expression holds (at most `max_iterations` times), then by `done`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct LoopConfig {
    /// Expression evaluated before each iteration; `loop.index` counts from 0.
    #[schemars(length(min = 1))]
    pub expression: String,
    /// Upper bound on iterations, whatever the expression says.
    #[serde(default = "default_max_iterations")]
    #[schemars(range(min = 1, max = 100000))]
    pub max_iterations: u32,
}

fn default_max_iterations() -> u32 {
    100
}

/// Wait: pauses the branch for a duration or until a moment. Execute pending tasks now ends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WaitConfig {
    /// How long to wait, e.g. `10m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub duration: Option<DurationSpec>,
    /// Or until this moment (RFC 3339, e.g. `2026-12-01T09:00:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub until: Option<String>,
}

/// The outcome an approval takes when its deadline passes unanswered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalOutcome {
    /// Continue on the `approved` output.
    Approve,
    /// Take the `rejected` output (or end the run Rejected).
    #[default]
    Reject,
}

/// Approval: waits for an operator's decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ApprovalConfig {
    /// The operator group asked to decide.
    #[serde(default = "default_group")]
    pub group: String,
    /// What the approver reads (a template).
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub message: String,
    /// Optional deadline after which `default_outcome` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub deadline: Option<DurationSpec>,
    /// Outcome when the deadline passes.
    #[serde(default)]
    pub default_outcome: ApprovalOutcome,
}

fn default_group() -> String {
    "operators".into()
}

/// Set variables: evaluates templates into run variables (`vars.NAME`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SetVariablesConfig {
    /// Variable name → template; the result is parsed as JSON when it is valid JSON.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// Run command: a shell command (`/bin/sh -c`) in its own process group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct RunCommandConfig {
    /// The command line, templated, e.g. `./report.sh {{ params.day }}`.
    #[schemars(extend("format" = "template"), length(min = 1))]
    pub command: String,
    /// Working directory; the current one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "path"))]
    pub cwd: Option<String>,
    /// Extra environment variables (values templated).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Treat these exit codes as success too (0 always is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ok_exit_codes: Vec<i32>,
}

/// HTTP method of an HTTP request activity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET.
    #[default]
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// HEAD.
    Head,
}

impl HttpMethod {
    /// Whether the method changes the world (skipped in simulation mode).
    pub fn has_side_effects(self) -> bool {
        !matches!(self, Self::Get | Self::Head)
    }
}

/// HTTP request: calls a URL; succeeds on a 2xx status unless `expect_status` says otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HttpRequestConfig {
    /// Method.
    #[serde(default)]
    pub method: HttpMethod,
    /// URL, templated.
    #[schemars(extend("format" = "template"), length(min = 1))]
    pub url: String,
    /// Request headers (values templated).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Request body, templated; sent as JSON when it parses as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "template"))]
    pub body: Option<String>,
    /// Accepted statuses; any 2xx when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect_status: Vec<u16>,
}

/// Write file: writes or appends templated content to a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WriteFileConfig {
    /// File path, templated.
    #[schemars(extend("format" = "path"), length(min = 1))]
    pub path: String,
    /// Content, templated.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub content: String,
    /// Append instead of replacing.
    #[serde(default)]
    pub append: bool,
}

/// How Send email delivers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EmailTransport {
    /// Writes one `.eml` file per message into a folder (the store's `outbox/` by default).
    #[default]
    Outbox,
    /// Writes `.eml` files into this folder.
    Folder {
        /// Destination folder.
        path: String,
    },
    /// Sends through an SMTP server.
    Smtp {
        /// Server host.
        host: String,
        /// Server port (587 by default).
        #[serde(default = "default_smtp_port")]
        port: u16,
        /// User name, if the server needs one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        username: Option<String>,
        /// Name of the environment variable holding the password (never the password itself).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        password_env: Option<String>,
        /// Use STARTTLS (true by default); false only for local test servers.
        #[serde(default = "default_true")]
        starttls: bool,
    },
}

fn default_smtp_port() -> u16 {
    587
}
fn default_true() -> bool {
    true
}

/// Send email: one message, templated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SendEmailConfig {
    /// Recipients (templated), comma-separated.
    #[schemars(length(min = 1))]
    pub to: String,
    /// Sender.
    #[serde(default = "default_from")]
    pub from: String,
    /// Subject, templated.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub subject: String,
    /// Plain-text body, templated.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub body: String,
    /// Delivery.
    #[serde(default)]
    pub transport: EmailTransport,
}

fn default_from() -> String {
    "weft@localhost".into()
}

/// Desktop notification (logged only when headless).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// Title, templated.
    #[schemars(length(min = 1))]
    pub title: String,
    /// Body, templated.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub body: String,
}

/// Query: selects contacts with a structured filter (never raw SQL).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct QueryConfig {
    /// Which contacts.
    #[serde(default)]
    pub filter: crate::contacts::Filter,
}

/// Split: the input set divided into `match` and `rest`, by a filter, a percentage or a count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SplitConfig {
    /// Records matching this filter go to `match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<crate::contacts::Filter>,
    /// Or this percentage of the records (in id order) goes to `match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub percent: Option<u8>,
    /// Or this many records go to `match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "number | null")]
    pub count: Option<u64>,
}

/// Deduplication: keeps the first record (lowest id) per value of a field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DeduplicateConfig {
    /// `name`, `phone`, `status` or `custom.NAME`.
    #[schemars(length(min = 1))]
    pub field: String,
}

/// Update data: changes the contacts of the input set (status, tags, custom fields).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateDataConfig {
    /// New lead status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_status: Option<String>,
    /// Tags to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_tags: Vec<String>,
    /// Tags to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_tags: Vec<String>,
    /// Custom fields to set (values templated per contact: `{{ contact.name }}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_custom: BTreeMap<String, String>,
}

/// Import CSV: adds contacts from a CSV file; the created ones are the output set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportCsvConfig {
    /// File path, templated.
    #[schemars(extend("format" = "path"), length(min = 1))]
    pub path: String,
    /// Field delimiter (one character).
    #[serde(default = "default_delimiter")]
    pub delimiter: String,
    /// Contact field → CSV column (`email` → `E-mail`); other columns map by name or become
    /// custom fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mapping: BTreeMap<String, String>,
    /// Status of new contacts without one.
    #[serde(default = "default_status")]
    pub status: String,
    /// Fail the task when any row is rejected (else rejected rows are only reported).
    #[serde(default)]
    pub strict: bool,
}

fn default_delimiter() -> String {
    ",".into()
}
fn default_status() -> String {
    "new".into()
}

/// Export CSV: writes the input set to a CSV file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ExportCsvConfig {
    /// File path, templated.
    #[schemars(extend("format" = "path"), length(min = 1))]
    pub path: String,
    /// Write cells beginning with `=`, `+`, `-`, `@`, a tab or a carriage return exactly as
    /// stored. Off by default: such cells get a leading `'` so that a spreadsheet shows them as
    /// text instead of running them as formulas.
    #[serde(default)]
    pub raw_formulas: bool,
}

/// Send email to each record of the input set, templated per recipient (`{{ contact.name }}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SendEmailEachConfig {
    /// Sender.
    #[serde(default = "default_from")]
    pub from: String,
    /// Subject, templated per contact.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub subject: String,
    /// Body, templated per contact.
    #[serde(default)]
    #[schemars(extend("format" = "template"))]
    pub body: String,
    /// Delivery.
    #[serde(default)]
    pub transport: EmailTransport,
    /// At most this many messages per second (no limit when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_second: Option<u32>,
}

/// Webhook trigger: an HTTP POST on the engine's loopback listener fires a run; the JSON body
/// becomes the run parameters (checked against the parameter schema). The secret token is kept
/// in the store, never in the file (`weft webhooks WORKFLOW` shows the URL and token).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WebhookTriggerConfig {}

/// File trigger: fires once per file arriving in a folder, after it stopped changing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FileTriggerConfig {
    /// Folder watched.
    #[schemars(extend("format" = "path"), length(min = 1))]
    pub folder: String,
    /// File name pattern (glob), e.g. `*.csv`.
    #[serde(default = "default_pattern")]
    pub pattern: String,
    /// How long a file must stay unchanged before it is processed.
    #[serde(default = "default_settle")]
    #[ts(type = "string")]
    pub settle: DurationSpec,
}

fn default_pattern() -> String {
    "*".into()
}
fn default_settle() -> DurationSpec {
    DurationSpec::from_secs(2)
}

/// Which contact events a record trigger fires on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordEvent {
    /// A contact was added.
    #[default]
    NewContact,
    /// A contact's status changed.
    StatusChanged,
}

/// Record trigger: fires when contacts are added or change status; the run's input set is the
/// contacts concerned (one run per contact, or one per batch).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct RecordTriggerConfig {
    /// The event.
    #[serde(default)]
    pub event: RecordEvent,
    /// Only changes to this status (status_changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// One run for all the contacts seen at once, instead of one run per contact.
    #[serde(default)]
    pub batch: bool,
}

/// Sub-workflow: runs another workflow with parameters and (by default) waits for its result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SubWorkflowConfig {
    /// The workflow called, by id or exact name.
    #[schemars(length(min = 1))]
    pub workflow: String,
    /// Its parameters (values templated).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// Wait for the called run to end (its variables become this task's result); otherwise
    /// continue at once.
    #[serde(default = "default_true")]
    pub wait: bool,
}

/// Enrichment: adds fields to the records from a lookup CSV file, matched on a key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct EnrichmentConfig {
    /// Lookup CSV file (with a header row), templated.
    #[schemars(extend("format" = "path"), length(min = 1))]
    pub lookup: String,
    /// Contact field to match on: `email`, `name`, `phone`, `status` or `custom.NAME`.
    #[schemars(length(min = 1))]
    pub key: String,
    /// Column of the lookup file holding the key.
    #[schemars(length(min = 1))]
    pub column: String,
    /// Custom field to set → lookup column to take it from.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}
