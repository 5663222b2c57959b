// Generated from the Rust engine by `weft gen-ts` (ts-rs). Do not edit: change the Rust types.
/* eslint-disable */

export type WorkflowFile = { 
/**
 * File format version; files newer than [`FORMAT_VERSION`] are refused.
 */
format: number, 
/**
 * Display name.
 */
name: string, 
/**
 * Free text shown on the card.
 */
description: string, 
/**
 * JSON Schema of the run parameters (the Run dialog's form).
 */
parameters: Record<string, unknown>, 
/**
 * What happens when a run is asked for while another one of this workflow is active.
 */
concurrency: ConcurrencyPolicy, 
/**
 * Default retry policy of every activity (an activity may override it).
 */
retry: RetryPolicy, 
/**
 * Default per-task timeout (none when absent).
 */
timeout: string | null, 
/**
 * Notifications on run completion or failure.
 */
notify: NotifyPolicy, 
/**
 * How much run history to keep (everything when absent).
 */
history?: HistoryPolicy, 
/**
 * The activities (sections).
 */
activities: Array<Activity>, 
/**
 * The edges between activity output ports and activities.
 */
transitions: Array<Transition>, };

export type Activity = { 
/**
 * Unique within the workflow; referenced by transitions, runs and expressions (`tasks.ID`).
 */
id: string, 
/**
 * The role, derived from the kind; written for readers of the file, checked on load.
 */
role: Role | null, 
/**
 * Display label.
 */
label: string, 
/**
 * Canvas position (layout only).
 */
position: Position, 
/**
 * Execution mode (Normal / Enable but do not execute / Do not enable).
 */
mode: ExecutionMode, 
/**
 * Overrides the workflow's retry policy.
 */
retry: RetryPolicy | null, 
/**
 * Overrides the workflow's task timeout.
 */
timeout: string | null, 
/**
 * What recovery does with this step when the engine stopped while it ran.
 */
on_interrupt?: OnInterrupt, } & ({ "kind": "start", "config": EmptyConfig } | { "kind": "finish", "config": EmptyConfig } | { "kind": "manual_trigger", "config": EmptyConfig } | { "kind": "schedule_trigger", "config": ScheduleTriggerConfig } | { "kind": "webhook_trigger", "config": WebhookTriggerConfig } | { "kind": "file_trigger", "config": FileTriggerConfig } | { "kind": "record_trigger", "config": RecordTriggerConfig } | { "kind": "condition", "config": ConditionConfig } | { "kind": "loop", "config": LoopConfig } | { "kind": "wait", "config": WaitConfig } | { "kind": "fork", "config": EmptyConfig } | { "kind": "join", "config": EmptyConfig } | { "kind": "sub_workflow", "config": SubWorkflowConfig } | { "kind": "approval", "config": ApprovalConfig } | { "kind": "set_variables", "config": SetVariablesConfig } | { "kind": "run_command", "config": RunCommandConfig } | { "kind": "http_request", "config": HttpRequestConfig } | { "kind": "write_file", "config": WriteFileConfig } | { "kind": "send_email", "config": SendEmailConfig } | { "kind": "notify", "config": NotifyConfig } | { "kind": "query", "config": QueryConfig } | { "kind": "union", "config": EmptyConfig } | { "kind": "intersection", "config": EmptyConfig } | { "kind": "exclusion", "config": EmptyConfig } | { "kind": "split", "config": SplitConfig } | { "kind": "deduplicate", "config": DeduplicateConfig } | { "kind": "enrichment", "config": EnrichmentConfig } | { "kind": "update_data", "config": UpdateDataConfig } | { "kind": "import_csv", "config": ImportCsvConfig } | { "kind": "export_csv", "config": ExportCsvConfig } | { "kind": "send_email_each", "config": SendEmailEachConfig });

export type ActivityConfig = { "kind": "start", "config": EmptyConfig } | { "kind": "finish", "config": EmptyConfig } | { "kind": "manual_trigger", "config": EmptyConfig } | { "kind": "schedule_trigger", "config": ScheduleTriggerConfig } | { "kind": "webhook_trigger", "config": WebhookTriggerConfig } | { "kind": "file_trigger", "config": FileTriggerConfig } | { "kind": "record_trigger", "config": RecordTriggerConfig } | { "kind": "condition", "config": ConditionConfig } | { "kind": "loop", "config": LoopConfig } | { "kind": "wait", "config": WaitConfig } | { "kind": "fork", "config": EmptyConfig } | { "kind": "join", "config": EmptyConfig } | { "kind": "sub_workflow", "config": SubWorkflowConfig } | { "kind": "approval", "config": ApprovalConfig } | { "kind": "set_variables", "config": SetVariablesConfig } | { "kind": "run_command", "config": RunCommandConfig } | { "kind": "http_request", "config": HttpRequestConfig } | { "kind": "write_file", "config": WriteFileConfig } | { "kind": "send_email", "config": SendEmailConfig } | { "kind": "notify", "config": NotifyConfig } | { "kind": "query", "config": QueryConfig } | { "kind": "union", "config": EmptyConfig } | { "kind": "intersection", "config": EmptyConfig } | { "kind": "exclusion", "config": EmptyConfig } | { "kind": "split", "config": SplitConfig } | { "kind": "deduplicate", "config": DeduplicateConfig } | { "kind": "enrichment", "config": EnrichmentConfig } | { "kind": "update_data", "config": UpdateDataConfig } | { "kind": "import_csv", "config": ImportCsvConfig } | { "kind": "export_csv", "config": ExportCsvConfig } | { "kind": "send_email_each", "config": SendEmailEachConfig };

export type ActivityKind = "start" | "finish" | "manual_trigger" | "schedule_trigger" | "webhook_trigger" | "file_trigger" | "record_trigger" | "condition" | "loop" | "wait" | "fork" | "join" | "sub_workflow" | "approval" | "set_variables" | "run_command" | "http_request" | "write_file" | "send_email" | "notify" | "query" | "union" | "intersection" | "exclusion" | "split" | "deduplicate" | "enrichment" | "update_data" | "import_csv" | "export_csv" | "send_email_each";

export type Role = "start" | "finish" | "trigger" | "action" | "condition" | "wait" | "parallel" | "approval";

export type Position = { 
/**
 * Horizontal, in canvas units.
 */
x: number, 
/**
 * Vertical, in canvas units.
 */
y: number, };

export type Transition = { 
/**
 * Source activity id.
 */
from: string, 
/**
 * Source output port (`ok`, `true`, `approved`…).
 */
port: string, 
/**
 * Target activity id.
 */
to: string, };

export type ExecutionMode = "normal" | "hold" | "disabled";

export type OnInterrupt = "rerun" | "fail";

export type ConcurrencyPolicy = "queue" | "skip" | "parallel";

export type Backoff = "fixed" | "exponential";

export type RetryPolicy = { 
/**
 * Attempts in all, the first one included (1 = no retry).
 */
max_attempts: number, 
/**
 * How the delay grows.
 */
backoff: Backoff, 
/**
 * Delay before the first retry.
 */
initial_delay: string, 
/**
 * Largest delay between attempts.
 */
max_delay: string, };

export type NotifyPolicy = { 
/**
 * Notify when a run completes.
 */
on_completion: boolean, 
/**
 * Notify when a run fails.
 */
on_failure: boolean, };

export type HistoryPolicy = { 
/**
 * Keep at most this many finished runs (the newest).
 */
keep_runs: number | null, 
/**
 * Delete finished runs older than this many days.
 */
keep_days: number | null, };

export type EmptyConfig = Record<string, never>;

export type ScheduleSpec = { "type": "cron", 
/**
 * e.g. `0 9 * * 1-5` for 09:00 on weekdays.
 */
cron: string, 
/**
 * IANA time zone, e.g. `Europe/Paris`; UTC when absent.
 */
timezone: string | null, } | { "type": "interval", 
/**
 * e.g. `15m`.
 */
every: string, } | { "type": "on_demand" };

export type MissedPolicy = "skip" | "run_once" | "run_all";

export type ScheduleTriggerConfig = { 
/**
 * When to fire.
 */
schedule: ScheduleSpec, 
/**
 * Missed firings while the engine was not running.
 */
missed: MissedPolicy, };

export type ConditionConfig = { 
/**
 * An expression over `params`, `vars` and `tasks`, e.g. `params.count > 10`.
 */
expression: string, };

export type LoopConfig = { 
/**
 * Expression evaluated before each iteration; `loop.index` counts from 0.
 */
expression: string, 
/**
 * Upper bound on iterations, whatever the expression says.
 */
max_iterations: number, };

export type WaitConfig = { 
/**
 * How long to wait, e.g. `10m`.
 */
duration: string | null, 
/**
 * Or until this moment (RFC 3339, e.g. `2026-12-01T09:00:00Z`).
 */
until: string | null, };

export type ApprovalOutcome = "approve" | "reject";

export type ApprovalConfig = { 
/**
 * The operator group asked to decide.
 */
group: string, 
/**
 * What the approver reads (a template).
 */
message: string, 
/**
 * Optional deadline after which `default_outcome` applies.
 */
deadline: string | null, 
/**
 * Outcome when the deadline passes.
 */
default_outcome: ApprovalOutcome, };

export type SetVariablesConfig = { 
/**
 * Variable name → template; the result is parsed as JSON when it is valid JSON.
 */
variables: { [key in string]?: string }, };

export type RunCommandConfig = { 
/**
 * The command line, templated, e.g. `./report.sh {{ params.day }}`.
 */
command: string, 
/**
 * Working directory; the current one when absent.
 */
cwd: string | null, 
/**
 * Extra environment variables (values templated).
 */
env: { [key in string]?: string }, 
/**
 * Treat these exit codes as success too (0 always is).
 */
ok_exit_codes: Array<number>, };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export type HttpRequestConfig = { 
/**
 * Method.
 */
method: HttpMethod, 
/**
 * URL, templated.
 */
url: string, 
/**
 * Request headers (values templated).
 */
headers: { [key in string]?: string }, 
/**
 * Request body, templated; sent as JSON when it parses as JSON.
 */
body: string | null, 
/**
 * Accepted statuses; any 2xx when empty.
 */
expect_status: Array<number>, };

export type WriteFileConfig = { 
/**
 * File path, templated.
 */
path: string, 
/**
 * Content, templated.
 */
content: string, 
/**
 * Append instead of replacing.
 */
append: boolean, };

export type EmailTransport = { "type": "outbox" } | { "type": "folder", 
/**
 * Destination folder.
 */
path: string, } | { "type": "smtp", 
/**
 * Server host.
 */
host: string, 
/**
 * Server port (587 by default).
 */
port: number, 
/**
 * User name, if the server needs one.
 */
username: string | null, 
/**
 * Name of the environment variable holding the password (never the password itself).
 */
password_env: string | null, 
/**
 * Use STARTTLS (true by default); false only for local test servers.
 */
starttls: boolean, };

export type SendEmailConfig = { 
/**
 * Recipients (templated), comma-separated.
 */
to: string, 
/**
 * Sender.
 */
from: string, 
/**
 * Subject, templated.
 */
subject: string, 
/**
 * Plain-text body, templated.
 */
body: string, 
/**
 * Delivery.
 */
transport: EmailTransport, };

export type NotifyConfig = { 
/**
 * Title, templated.
 */
title: string, 
/**
 * Body, templated.
 */
body: string, };

export type Diagnostic = { 
/**
 * The activity concerned, when there is one.
 */
activity: string | null, 
/**
 * The JSON path of the value at fault in the workflow file (`activities[3].config.url`,
 * `transitions[0]`), so that a form can mark the field itself.
 */
path: string | null, 
/**
 * Stable code (`WEFT-V005`), documented in `docs/errors/`.
 */
code: string, 
/**
 * Human explanation.
 */
message: string, 
/**
 * Error or warning.
 */
severity: Severity, };

export type Severity = "error" | "warning";

export type CatalogEntry = { 
/**
 * Kind name.
 */
kind: ActivityKind, 
/**
 * Role.
 */
role: Role, 
/**
 * Default label.
 */
label: string, 
/**
 * One line.
 */
description: string, 
/**
 * Output ports.
 */
ports: Array<string>, 
/**
 * Whether it is skipped in simulation mode.
 */
sideEffects: boolean, 
/**
 * JSON Schema (draft-07) of its configuration.
 */
configSchema: Record<string, unknown>, 
/**
 * Configuration the palette inserts.
 */
defaultConfig: Record<string, unknown>, };

export type Command = { "type": "start" } | { "type": "pause" } | { "type": "stop" } | { "type": "restart" } | { "type": "purge_history" } | { "type": "start_simulation" } | { "type": "execute_pending" } | { "type": "unconditional_stop" } | { "type": "run_now", 
/**
 * Run parameters.
 */
params: Record<string, unknown>, 
/**
 * Run in simulation mode.
 */
simulate: boolean, } | { "type": "execute_task", 
/**
 * The task.
 */
task_id: number, } | { "type": "restart_from_task", 
/**
 * The earlier run.
 */
run_id: number, 
/**
 * The activity to execute again from.
 */
activity_id: string, } | { "type": "rerun_after_edit", 
/**
 * The earlier run.
 */
run_id: number, } | { "type": "set_variables", 
/**
 * The run.
 */
run_id: number, 
/**
 * The variables, as an object.
 */
vars: Record<string, unknown>, } | { "type": "approve", 
/**
 * The approval's task.
 */
task_id: number, 
/**
 * Optional comment.
 */
comment: string | null, 
/**
 * Who answers.
 */
by: string | null, } | { "type": "reject", 
/**
 * The approval's task.
 */
task_id: number, 
/**
 * Optional comment.
 */
comment: string | null, 
/**
 * Who answers.
 */
by: string | null, } | { "type": "fire", 
/**
 * The trigger activity.
 */
activity_id: string, 
/**
 * What fired.
 */
trigger: Trigger, 
/**
 * Run parameters.
 */
params: Record<string, unknown>, } | { "type": "cancel_run", 
/**
 * The run.
 */
run_id: number, } | { "type": "debug_run", 
/**
 * Run parameters.
 */
params: Record<string, unknown>, 
/**
 * Run in simulation mode (where Skip is allowed).
 */
simulate: boolean, } | { "type": "debug", 
/**
 * The run.
 */
run_id: number, 
/**
 * The paused task; for Continue, every paused task of the run when `None`; for Step
 * and Skip, the run's only paused task.
 */
task_id: number | null, 
/**
 * What to do.
 */
action: DebugAction, };

export type CommandOutcome = { "outcome": "applied", 
/**
 * The run it made (Start, Run now, a trigger firing, Restart from a task).
 */
run: number | null, 
/**
 * What it did, in words ("resumed", "3 run(s) purged"); empty when nothing to add.
 */
detail: string, } | { "outcome": "refused", 
/**
 * Why, as a stable code.
 */
code: Refusal, 
/**
 * Why, in words.
 */
reason: string, };

export type LifeCycle = "start" | "start_simulation" | "pause" | "stop" | "restart" | "unconditional_stop" | "execute_pending" | "purge_history" | "run_now";

export type Availability = { 
/**
 * The command.
 */
command: LifeCycle, 
/**
 * Whether it applies now.
 */
enabled: boolean, 
/**
 * Why not, when it does not.
 */
reason: string | null, };

export type Refusal = "WEFT-R001" | "WEFT-R002" | "WEFT-R003" | "WEFT-R004" | "WEFT-R005" | "WEFT-R006" | "WEFT-R007" | "WEFT-R008" | "WEFT-R009";

export type WorkflowState = "being_edited" | "started" | "paused" | "stopping" | "finished";

export type RunStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "waiting_for_approval" | "rejected" | "error";

export type TaskStatus = "ready" | "running" | "waiting" | "succeeded" | "failed" | "cancelled" | "skipped";

export type WaitReason = "hold" | "wait" | "approval" | "simulation" | "disabled" | "not_taken" | "other_trigger" | "retry" | "sub_workflow" | "breakpoint";

export type Trigger = "manual" | "schedule" | "webhook" | "file" | "record" | "sub_workflow" | "restart_from_task" | "rerun_after_edit";

export type EventKind = "workflow_changed" | "workflow_state" | "run_created" | "run_status" | "task_changed" | "edge_taken" | "log" | "command_applied" | "purged";

export type Event = { 
/**
 * Sequence number; ask for everything after the last one seen.
 */
seq: number, 
/**
 * When (ms since epoch).
 */
at: number, 
/**
 * Workflow concerned.
 */
workflowId: string | null, 
/**
 * Run concerned.
 */
runId: number | null, 
/**
 * Task concerned.
 */
taskId: number | null, } & ({ "kind": "workflow_changed", "payload": WorkflowChange } | { "kind": "workflow_state", "payload": { 
/**
 * The new state.
 */
state: WorkflowState, } } | { "kind": "run_created", "payload": { 
/**
 * Pending (queued) or Running.
 */
status: RunStatus, 
/**
 * What made it.
 */
trigger: Trigger, 
/**
 * The revision it pins.
 */
revision: number, 
/**
 * Simulation mode.
 */
simulate: boolean, } } | { "kind": "run_status", "payload": { 
/**
 * The new status.
 */
status: RunStatus, 
/**
 * Why it ended badly, when it did.
 */
error: string | null, } } | { "kind": "task_changed", "payload": TaskChange } | { "kind": "edge_taken", "payload": { 
/**
 * Source activity.
 */
from: string, 
/**
 * Its port.
 */
port: string, 
/**
 * Target activity.
 */
to: string, 
/**
 * Records that went through, for data activities.
 */
records: number | null, } } | { "kind": "log", "payload": { 
/**
 * `info`, `warn`, `error`.
 */
level: string, 
/**
 * Text.
 */
message: string, } } | { "kind": "command_applied", "payload": { 
/**
 * The command.
 */
command: number, 
/**
 * What became of it.
 */
outcome: CommandOutcome, } } | { "kind": "purged", "payload": { 
/**
 * How many.
 */
runs: number, } });

export type EventBody = { "kind": "workflow_changed", "payload": WorkflowChange } | { "kind": "workflow_state", "payload": { 
/**
 * The new state.
 */
state: WorkflowState, } } | { "kind": "run_created", "payload": { 
/**
 * Pending (queued) or Running.
 */
status: RunStatus, 
/**
 * What made it.
 */
trigger: Trigger, 
/**
 * The revision it pins.
 */
revision: number, 
/**
 * Simulation mode.
 */
simulate: boolean, } } | { "kind": "run_status", "payload": { 
/**
 * The new status.
 */
status: RunStatus, 
/**
 * Why it ended badly, when it did.
 */
error: string | null, } } | { "kind": "task_changed", "payload": TaskChange } | { "kind": "edge_taken", "payload": { 
/**
 * Source activity.
 */
from: string, 
/**
 * Its port.
 */
port: string, 
/**
 * Target activity.
 */
to: string, 
/**
 * Records that went through, for data activities.
 */
records: number | null, } } | { "kind": "log", "payload": { 
/**
 * `info`, `warn`, `error`.
 */
level: string, 
/**
 * Text.
 */
message: string, } } | { "kind": "command_applied", "payload": { 
/**
 * The command.
 */
command: number, 
/**
 * What became of it.
 */
outcome: CommandOutcome, } } | { "kind": "purged", "payload": { 
/**
 * How many.
 */
runs: number, } };

export type WorkflowChange = { 
/**
 * Its revision after the change.
 */
revision: number | null, 
/**
 * It was renamed to this.
 */
name: string | null, 
/**
 * It was deleted.
 */
deleted: boolean, };

export type TaskChange = { 
/**
 * Its activity.
 */
activity: string, 
/**
 * Its status now.
 */
status: TaskStatus, 
/**
 * Why it waits or was skipped.
 */
reason: WaitReason | null, 
/**
 * The task was created by this change.
 */
created: boolean, 
/**
 * The attempt running, when it started one.
 */
attempt: number | null, 
/**
 * The port it left by.
 */
port: string | null, 
/**
 * Records it handled.
 */
recordCount: number | null, 
/**
 * Why it failed.
 */
error: string | null, 
/**
 * Its result was reused from an earlier run.
 */
reused: boolean, };

export type WorkflowSummary = { 
/**
 * Id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * Life-cycle state.
 */
state: WorkflowState, 
/**
 * Latest revision.
 */
revision: number, 
/**
 * Status of the newest run, if any.
 */
lastRunStatus: RunStatus | null, 
/**
 * Human description of its schedule triggers, if any.
 */
schedule: string | null, 
/**
 * Whether the next Start runs in simulation mode.
 */
simulate: boolean, 
/**
 * Last save (ms since epoch).
 */
updatedAt: number, 
/**
 * Each toolbar command: whether it applies now, and why not (the engine's own rule).
 */
commands: Array<Availability>, };

export type RunSummary = { 
/**
 * Id.
 */
id: number, 
/**
 * Workflow id.
 */
workflowId: string, 
/**
 * Workflow name (at listing time).
 */
workflowName: string, 
/**
 * Revision the run pinned.
 */
revision: number, 
/**
 * Status.
 */
status: RunStatus, 
/**
 * What made it.
 */
trigger: Trigger, 
/**
 * Whether it ran in simulation mode.
 */
simulate: boolean, 
/**
 * Created (ms).
 */
createdAt: number, 
/**
 * Started (ms).
 */
startedAt: number | null, 
/**
 * Ended (ms).
 */
endedAt: number | null, 
/**
 * The run this one restarted from, if any.
 */
restartOf: number | null, 
/**
 * The run whose sub-workflow task made this one, if any.
 */
parentRun: number | null, };

export type RunDetail = { 
/**
 * Parameters.
 */
params: Record<string, unknown>, 
/**
 * Variables set so far.
 */
vars: Record<string, unknown>, 
/**
 * Why it failed, if it did.
 */
error: string | null, 
/**
 * The activity it restarted from.
 */
restartFrom: string | null, 
/**
 * The trigger activity that fired it.
 */
triggerActivity: string | null, 
/**
 * Percent of activities done (0-100).
 */
progress: number, 
/**
 * Id.
 */
id: number, 
/**
 * Workflow id.
 */
workflowId: string, 
/**
 * Workflow name (at listing time).
 */
workflowName: string, 
/**
 * Revision the run pinned.
 */
revision: number, 
/**
 * Status.
 */
status: RunStatus, 
/**
 * What made it.
 */
trigger: Trigger, 
/**
 * Whether it ran in simulation mode.
 */
simulate: boolean, 
/**
 * Created (ms).
 */
createdAt: number, 
/**
 * Started (ms).
 */
startedAt: number | null, 
/**
 * Ended (ms).
 */
endedAt: number | null, 
/**
 * The run this one restarted from, if any.
 */
restartOf: number | null, 
/**
 * The run whose sub-workflow task made this one, if any.
 */
parentRun: number | null, };

export type TaskRecord = { 
/**
 * Id (also the scheduling order).
 */
id: number, 
/**
 * Run.
 */
runId: number, 
/**
 * Activity.
 */
activityId: string, 
/**
 * Status.
 */
status: TaskStatus, 
/**
 * Why it waits or was skipped.
 */
waitReason: WaitReason | null, 
/**
 * Current attempt (0 before the first).
 */
attempt: number, 
/**
 * When a wait or retry ends (ms).
 */
wakeAt: number | null, 
/**
 * Output port taken.
 */
port: string | null, 
/**
 * Arguments the last attempt received (rendered config).
 */
args: unknown, 
/**
 * Result JSON.
 */
result: unknown, 
/**
 * Records handled, for data activities.
 */
recordCount: number | null, 
/**
 * Captured standard output (bounded).
 */
stdout: string, 
/**
 * Captured standard error (bounded).
 */
stderr: string, 
/**
 * Error message, if it failed.
 */
error: string | null, 
/**
 * Whether the result was reused from an earlier run (restart from a task).
 */
reused: boolean, 
/**
 * How many times the engine stopped while this task ran (re-run, not counted as retries).
 */
interruptions: number, 
/**
 * Created (ms).
 */
createdAt: number, 
/**
 * Started (ms).
 */
startedAt: number | null, 
/**
 * Ended (ms).
 */
endedAt: number | null, };

export type AttemptRecord = { 
/**
 * Task.
 */
taskId: number, 
/**
 * Attempt number from 1.
 */
attempt: number, 
/**
 * `running`, `succeeded`, `failed`, `cancelled` or `interrupted`.
 */
status: string, 
/**
 * Started (ms).
 */
startedAt: number, 
/**
 * Ended (ms).
 */
endedAt: number | null, 
/**
 * Result of this attempt.
 */
result: unknown, 
/**
 * Output of this attempt.
 */
stdout: string, 
/**
 * Errors of this attempt.
 */
stderr: string, 
/**
 * Why it failed.
 */
error: string | null, };

export type LogLine = { 
/**
 * Id (order).
 */
id: number, 
/**
 * Task.
 */
taskId: number, 
/**
 * Activity of the task.
 */
activityId: string, 
/**
 * Attempt.
 */
attempt: number, 
/**
 * When (ms).
 */
at: number, 
/**
 * `info`, `warn` or `error`.
 */
level: string, 
/**
 * Text.
 */
message: string, };

export type EdgeRecord = { 
/**
 * Source activity.
 */
from: string, 
/**
 * Port.
 */
port: string, 
/**
 * Target activity.
 */
to: string, 
/**
 * Times taken.
 */
taken: number, 
/**
 * Whether the branch was not taken.
 */
dead: boolean, 
/**
 * Records that went through, for data activities.
 */
records: number | null, };

export type TimelineKind = "task_created" | "attempt_started" | "approval_opened" | "attempt_ended" | "task_ended" | "edge_taken" | "edge_dead";

export type TimelineEntry = { 
/**
 * When (ms).
 */
at: number, 
/**
 * What happened.
 */
kind: TimelineKind, 
/**
 * The task, for task and attempt entries.
 */
taskId: number | null, 
/**
 * The task's activity, or the transition's source.
 */
activityId: string, 
/**
 * The transition's target.
 */
to: string | null, 
/**
 * The port a task ended on, or the transition's port.
 */
port: string | null, 
/**
 * The attempt, for attempt entries (from 1).
 */
attempt: number | null, 
/**
 * How an attempt or a task ended (an interrupted attempt has none: it is run again).
 */
status: TaskStatus | null, 
/**
 * Why an ended task was skipped or waits.
 */
waitReason: WaitReason | null, 
/**
 * Records a task handled, or that went through a transition this time.
 */
records: number | null, 
/**
 * For an ended task: whether it wrote to its standard error (a success with errors is
 * shown orange, as on the live canvas).
 */
warned: boolean, };

export type TimelineCursor = { 
/**
 * Time of the last entry read (ms).
 */
at: number, 
/**
 * Its task (for a mark: the newest task of the run when it was marked).
 */
grp: number, 
/**
 * Rank of its kind.
 */
rank: number, 
/**
 * Task or transition-mark id.
 */
id: number, 
/**
 * Attempt, for attempt entries; else 0.
 */
sub: number, };

export type TimelinePage = { 
/**
 * The run as the history lists it (`createdAt`, `startedAt`, `endedAt`, `status`).
 */
run: RunSummary, 
/**
 * The entries, in timeline order.
 */
entries: Array<TimelineEntry>, 
/**
 * Pass back to read the next page; none at the end.
 */
next: TimelineCursor | null, };

export type ApprovalRecord = { 
/**
 * Task waiting.
 */
taskId: number, 
/**
 * Run.
 */
runId: number, 
/**
 * Workflow.
 */
workflowId: string, 
/**
 * Activity.
 */
activityId: string, 
/**
 * Operator group.
 */
group: string, 
/**
 * Rendered message.
 */
message: string, 
/**
 * Deadline (ms).
 */
deadline: number | null, 
/**
 * `approve` or `reject` once decided.
 */
decision: string | null, 
/**
 * Comment with the decision.
 */
comment: string | null, 
/**
 * Who decided.
 */
decidedBy: string | null, 
/**
 * Created (ms).
 */
createdAt: number, };

export type CommandRecord = { 
/**
 * Id.
 */
id: number, 
/**
 * Workflow.
 */
workflowId: string | null, 
/**
 * The command.
 */
command: Command, 
/**
 * Queued (ms).
 */
createdAt: number, 
/**
 * Applied (ms).
 */
appliedAt: number | null, 
/**
 * Applied (with the run it made) or refused (with a code and why); none while pending.
 */
outcome: CommandOutcome | null, 
/**
 * How many owner sessions began applying it (a command whose application stopped the
 * engine twice is set aside).
 */
tries: number, 
/**
 * The owner session that last began applying it.
 */
trySession: number | null, };

export type ApiError = { 
/**
 * Stable code (`WEFT-X001`).
 */
code: string, 
/**
 * Human explanation, without the code.
 */
message: string, 
/**
 * Structured data about the failure; `null` when there is none.
 */
details: unknown, };

export type StoreStatus = { 
/**
 * True when this process executes runs; false when it only reads and queues commands.
 */
owner: boolean, 
/**
 * Name of the process that executes the store (`desktop`, `weft serve`…), if any.
 */
ownerName: string | null, 
/**
 * Its process id.
 */
ownerPid: number | null, 
/**
 * The store's file.
 */
dbPath: string, };

export type WorkflowDetail = { 
/**
 * The card.
 */
summary: WorkflowSummary, 
/**
 * The latest revision.
 */
body: WorkflowFile, };

export type ScheduleState = "armed" | "paused" | "not_started" | "disabled" | "on_demand";

export type FireTime = { 
/**
 * Milliseconds since the epoch.
 */
at: number, 
/**
 * "Mon 30 Mar 2026 08:00 CEST".
 */
local: string, };

export type ScheduleInfo = { 
/**
 * The trigger activity.
 */
activityId: string, 
/**
 * Its label on the canvas.
 */
label: string, 
/**
 * The schedule as configured.
 */
spec: ScheduleSpec, 
/**
 * The schedule in words ("every weekday at 08:00 Europe/Paris").
 */
words: string, 
/**
 * The missed-run policy.
 */
missed: MissedPolicy, 
/**
 * The missed-run policy in words.
 */
missedWords: string, 
/**
 * Whether it fires by itself now.
 */
state: ScheduleState, 
/**
 * The next fire times (at most [`NEXT_FIRE_TIMES`]); empty unless armed.
 */
next: Array<FireTime>, 
/**
 * The last fire time recorded (fired, missed or skipped), if any.
 */
lastFired: number | null, };

export type SchedulerRow = { 
/**
 * The workflow's card (state and which commands apply now).
 */
workflow: WorkflowSummary, 
/**
 * Its schedule triggers, in canvas order.
 */
schedules: Array<ScheduleInfo>, 
/**
 * What a run requested while another is active does.
 */
concurrency: ConcurrencyPolicy, 
/**
 * Its newest run, if any (its `trigger` says whether it was a Run now: `manual`).
 */
lastRun: RunSummary | null, 
/**
 * Runs waiting behind a running one (queued by the concurrency policy).
 */
queued: number, 
/**
 * Runs in progress.
 */
running: number, };

export type WorkflowOverview = { 
/**
 * What the Schedulers view shows of it.
 */
row: SchedulerRow, 
/**
 * The newest runs (at most [`RECENT_RUNS`]), newest first.
 */
recentRuns: Array<RunSummary>, 
/**
 * Approvals of its runs waiting for an answer, oldest first.
 */
approvals: Array<ApprovalRecord>, 
/**
 * The label of each activity of its latest revision, by id (what an approval is called).
 */
labels: { [key in string]?: string }, };

export type TemplateInfo = { 
/**
 * `shipped:<path>` or `user:<path>`.
 */
id: string, 
/**
 * The workflow's name.
 */
name: string, 
/**
 * Folder it is listed under.
 */
folder: string, 
/**
 * The workflow's description.
 */
description: string, 
/**
 * Whether it ships with Weft (read-only) rather than saved by the user.
 */
shipped: boolean, 
/**
 * The workflow itself.
 */
body: WorkflowFile, };

export type Firing = { 
/**
 * The schedule trigger.
 */
activityId: string, 
/**
 * The fire time (ms).
 */
fireTime: number, 
/**
 * The run it made, if any.
 */
runId: number | null, 
/**
 * `fired`, `missed (N)` (N fire times fell while no owner ran; this is the latest),
 * `skipped (a run was in progress)`.
 */
outcome: string, };

export type RunFilter = { 
/**
 * Only this workflow.
 */
workflowId: string | null, 
/**
 * Only these statuses.
 */
statuses: Array<RunStatus>, 
/**
 * Only this trigger.
 */
trigger: Trigger | null, 
/**
 * Created at or after (ms).
 */
from: number | null, 
/**
 * Created before (ms).
 */
to: number | null, 
/**
 * Oldest first instead of newest first.
 */
ascending: boolean, };

export type RunPage = { 
/**
 * The runs.
 */
runs: Array<RunSummary>, 
/**
 * Cursor for the next page (a run id), none at the end.
 */
next: number | null, };

export type QueryConfig = { 
/**
 * Which contacts.
 */
filter: Filter, };

export type SplitConfig = { 
/**
 * Records matching this filter go to `match`.
 */
filter: Filter | null, 
/**
 * Or this percentage of the records (in id order) goes to `match`.
 */
percent: number | null, 
/**
 * Or this many records go to `match`.
 */
count: number | null, };

export type DeduplicateConfig = { 
/**
 * `name`, `phone`, `status` or `custom.NAME`.
 */
field: string, };

export type UpdateDataConfig = { 
/**
 * New lead status.
 */
set_status: string | null, 
/**
 * Tags to add.
 */
add_tags: Array<string>, 
/**
 * Tags to remove.
 */
remove_tags: Array<string>, 
/**
 * Custom fields to set (values templated per contact: `{{ contact.name }}`).
 */
set_custom: { [key in string]?: string }, };

export type ImportCsvConfig = { 
/**
 * File path, templated.
 */
path: string, 
/**
 * Field delimiter (one character).
 */
delimiter: string, 
/**
 * Contact field → CSV column (`email` → `E-mail`); other columns map by name or become
 * custom fields.
 */
mapping: { [key in string]?: string }, 
/**
 * Status of new contacts without one.
 */
status: string, 
/**
 * Fail the task when any row is rejected (else rejected rows are only reported).
 */
strict: boolean, };

export type ExportCsvConfig = { 
/**
 * File path, templated.
 */
path: string, 
/**
 * Write cells beginning with `=`, `+`, `-`, `@`, a tab or a carriage return exactly as
 * stored. Off by default: such cells get a leading `'` so that a spreadsheet shows them as
 * text instead of running them as formulas.
 */
raw_formulas: boolean, };

export type SendEmailEachConfig = { 
/**
 * Sender.
 */
from: string, 
/**
 * Subject, templated per contact.
 */
subject: string, 
/**
 * Body, templated per contact.
 */
body: string, 
/**
 * Delivery.
 */
transport: EmailTransport, 
/**
 * At most this many messages per second (no limit when absent).
 */
per_second: number | null, };

export type WebhookTriggerConfig = Record<string, never>;

export type FileTriggerConfig = { 
/**
 * Folder watched.
 */
folder: string, 
/**
 * File name pattern (glob), e.g. `*.csv`.
 */
pattern: string, 
/**
 * How long a file must stay unchanged before it is processed.
 */
settle: string, };

export type RecordEvent = "new_contact" | "status_changed";

export type RecordTriggerConfig = { 
/**
 * The event.
 */
event: RecordEvent, 
/**
 * Only changes to this status (status_changed).
 */
status: string | null, 
/**
 * One run for all the contacts seen at once, instead of one run per contact.
 */
batch: boolean, };

export type SubWorkflowConfig = { 
/**
 * The workflow called, by id or exact name.
 */
workflow: string, 
/**
 * Its parameters (values templated).
 */
params: { [key in string]?: string }, 
/**
 * Wait for the called run to end (its variables become this task's result); otherwise
 * continue at once.
 */
wait: boolean, };

export type EnrichmentConfig = { 
/**
 * Lookup CSV file (with a header row), templated.
 */
lookup: string, 
/**
 * Contact field to match on: `email`, `name`, `phone`, `status` or `custom.NAME`.
 */
key: string, 
/**
 * Column of the lookup file holding the key.
 */
column: string, 
/**
 * Custom field to set → lookup column to take it from.
 */
fields: { [key in string]?: string }, };

export type Filter = { 
/**
 * How rules combine.
 */
match: Match, 
/**
 * The rules.
 */
rules: Array<Rule>, };

export type Rule = { 
/**
 * `email`, `name`, `phone`, `status`, `tags`, `created_at`, `updated_at` or `custom.NAME`.
 */
field: string, 
/**
 * Comparison.
 */
op: Operator, 
/**
 * Value compared with (a list for `in`; ignored by `is_empty` / `not_empty`).
 */
value: unknown, };

export type Operator = "eq" | "ne" | "contains" | "starts_with" | "ends_with" | "in" | "gt" | "lt" | "is_empty" | "not_empty";

export type Match = "all" | "any";

export type Contact = { 
/**
 * Id.
 */
id: number, 
/**
 * Email (unique, case-insensitive).
 */
email: string, 
/**
 * Name.
 */
name: string, 
/**
 * Phone.
 */
phone: string, 
/**
 * Lead status (`new`, `contacted`, `qualified`, `customer`, `lost`… free text).
 */
status: string, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * Custom fields.
 */
custom: Record<string, unknown>, 
/**
 * Created (ms).
 */
createdAt: number, 
/**
 * Updated (ms).
 */
updatedAt: number, };

export type ImportReport = { 
/**
 * Rows read (without the header).
 */
rows: number, 
/**
 * Contacts created.
 */
created: number, 
/**
 * Rows rejected, with reasons (the first 1,000 are listed).
 */
rejected: Array<RejectedRow>, 
/**
 * Rejected rows in all.
 */
rejected_count: number, };

export type RejectedRow = { 
/**
 * 1-based line in the file (the header is line 1).
 */
line: number, 
/**
 * Why.
 */
reason: string, };

export type Link = { "kind": "workflow", 
/**
 * The workflow's id.
 */
id: string, } | { "kind": "run", 
/**
 * The run's id.
 */
id: number, } | { "kind": "approve", 
/**
 * The run's id.
 */
run: number, };

export type CrashReport = { 
/**
 * The file's name: what [`CrashReports::mark_seen`] takes.
 */
name: string, 
/**
 * Where it is, to open it with another program.
 */
path: string, 
/**
 * The report itself.
 */
text: string, };

export type BreakKind = "before" | "after" | "transition";

export type Breakpoint = { 
/**
 * Before, after, or on a transition.
 */
kind: BreakKind, 
/**
 * The activity; for a transition, its source.
 */
activity: string, 
/**
 * A transition's source port (`ok` when not given).
 */
port: string | null, 
/**
 * A transition's target.
 */
to: string | null, 
/**
 * Pauses only when this expression holds (`tasks.query.recordCount > 1000`); always when
 * `None`.
 */
condition: string | null, };

export type DebugAction = "continue" | "step" | "skip" | "stop";

export type PausedTask = { 
/**
 * The task.
 */
taskId: number, 
/**
 * Its activity.
 */
activityId: string, 
/**
 * Paused before the activity ran, or after it ended.
 */
at: BreakKind, };

export type DebugView = { 
/**
 * The run.
 */
runId: number, 
/**
 * Whether it is a debug run (breakpoints apply to debug runs only).
 */
debug: boolean, 
/**
 * Its tasks waiting at a breakpoint, oldest first.
 */
paused: Array<PausedTask>, };

export type RevisionInfo = { 
/**
 * Its number (1 is the first).
 */
revision: number, 
/**
 * When it was saved (ms since the epoch).
 */
createdAt: number, 
/**
 * The front door that saved it (`desktop`, `weft`, `weft serve`…); `None` for revisions
 * saved before this was recorded.
 */
source: string | null, 
/**
 * Why, when it was said (`restored from revision 3`).
 */
note: string | null, };

export type ActivityRef = { 
/**
 * Its id.
 */
id: string, 
/**
 * Its kind (`run_command`).
 */
kind: string, 
/**
 * Its label.
 */
label: string, };

export type Moved = { 
/**
 * Its id.
 */
id: string, 
/**
 * Where it was.
 */
before: Position, 
/**
 * Where it is.
 */
after: Position, };

export type FieldChange = { 
/**
 * The activity; `None` for a setting of the workflow itself (name, parameters, retry…).
 */
activity: string | null, 
/**
 * The field, as a dotted path (`config.command`, `retry.max_attempts`).
 */
field: string, 
/**
 * Its value before (`null` when it was not set).
 */
before: unknown, 
/**
 * Its value after (`null` when it is no longer set).
 */
after: unknown, };

export type WorkflowDiff = { 
/**
 * Activities only in the second.
 */
added: Array<ActivityRef>, 
/**
 * Activities only in the first.
 */
removed: Array<ActivityRef>, 
/**
 * Activities in both whose position changed.
 */
moved: Array<Moved>, 
/**
 * Fields that changed, of the workflow and of activities in both.
 */
changed: Array<FieldChange>, 
/**
 * Transitions only in the second.
 */
transitionsAdded: Array<Transition>, 
/**
 * Transitions only in the first.
 */
transitionsRemoved: Array<Transition>, };

export type RevisionDiff = { 
/**
 * The workflow.
 */
workflowId: string, 
/**
 * The first revision.
 */
from: number, 
/**
 * The second revision.
 */
to: number, 
/**
 * What changed from `from` to `to`.
 */
diff: WorkflowDiff, };

export type RecordSide = "input" | "output";

export type RecordSetInfo = { 
/**
 * The task that made it.
 */
taskId: number, 
/**
 * The activity of that task.
 */
activityId: string, 
/**
 * Its port.
 */
port: string, 
/**
 * How many records it holds.
 */
count: number, };

export type TaskRecords = { 
/**
 * The task.
 */
taskId: number, 
/**
 * Input or output.
 */
side: RecordSide, 
/**
 * The sets, each with its size (a record in two sets counts in each).
 */
sets: Array<RecordSetInfo>, 
/**
 * Distinct records in all the sets.
 */
total: number, 
/**
 * Of those, how many match the search (all of them without one).
 */
matching: number, 
/**
 * The first matching records, by id (at most [`MAX_RECORDS`]).
 */
rows: Array<Contact>, };

export type RerunPreview = { 
/**
 * The past run.
 */
runId: number, 
/**
 * Its workflow.
 */
workflowId: string, 
/**
 * The revision it ran.
 */
fromRevision: number, 
/**
 * The latest revision, which a re-run runs.
 */
toRevision: number, 
/**
 * Activities new or changed since (not only moved or renamed), in file order.
 */
changed: Array<string>, 
/**
 * Activities whose recorded result a re-run takes instead of running them.
 */
reused: Array<string>, 
/**
 * Every other activity of the latest revision: it runs again if the run reaches it.
 */
runAgain: Array<string>, };

export type Capability = "list" | "run" | "update" | "approve";

export type OperatorInfo = { 
/**
 * Unique name (letters, digits, `.`, `_`, `-`).
 */
name: string, 
/**
 * Where approval requests of their groups are emailed, if anywhere.
 */
email: string | null, 
/**
 * The groups they belong to (`marketing`), in name order.
 */
groups: Array<string>, 
/**
 * What they may do, in the order of [`Capability::ALL`].
 */
capabilities: Array<Capability>, 
/**
 * When they were added (ms since the epoch).
 */
createdAt: number, };

export type Session = { 
/**
 * The operator the caller acts as; `None` for the store's owner.
 */
operator: string | null, 
/**
 * The groups whose approvals the caller answers (empty for the owner, who answers all).
 */
groups: Array<string>, 
/**
 * What the caller may do, in the order of [`Capability::ALL`].
 */
capabilities: Array<Capability>, 
/**
 * True for a read-only token: commands and edits are refused whatever the operator holds.
 */
readOnly: boolean, };

