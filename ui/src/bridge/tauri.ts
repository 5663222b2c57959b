//! The Tauri implementation of [`Backend`]: the only module that imports `invoke` and `listen`.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import type { Backend } from "./backend";
import type {
  ApprovalRecord,
  Session,
  AttemptRecord,
  CatalogEntry,
  Command,
  CommandRecord,
  EdgeRecord,
  LogLine,
  TaskRecord,
  TimelinePage,
  Diagnostic,
  Event,
  RunDetail,
  RunFilter,
  RunPage,
  TemplateInfo,
  WorkflowDetail,
  WorkflowFile,
  WorkflowSummary,
  SchedulerRow,
  WorkflowOverview,
} from "./types";
import type { Contact, ImportReport, PictureData } from "./types";

import type { Breakpoint, DebugView, RerunPreview, RevisionDiff, RevisionInfo, TaskRecords } from "./types";

/** Name of the Tauri event carrying one engine event. */
export const EVENT = "weft://event";

export const tauriBackend: Backend = {
  kind: "tauri",
  listWorkflows: () => invoke<WorkflowSummary[]>("list_workflows"),
  getWorkflow: (id) => invoke<WorkflowDetail>("get_workflow", { id }),
  createWorkflow: (name, template) =>
    invoke<WorkflowSummary>("create_workflow", { name, template: template ?? null }),
  saveWorkflow: (id, body: WorkflowFile, activate, baseRevision) =>
    invoke<WorkflowSummary>("save_workflow", { id, body, activate: activate ?? null, baseRevision: baseRevision ?? null }),
  renameWorkflow: (id, name) => invoke<void>("rename_workflow", { id, name }),
  duplicateWorkflow: (id, body) => invoke<WorkflowSummary>("duplicate_workflow", { id, body: body ?? null }),
  deleteWorkflow: (id) => invoke<void>("delete_workflow", { id }),
  importWorkflow: (json) => invoke<WorkflowSummary>("import_workflow", { json }),
  exportWorkflow: (id) => invoke<string>("export_workflow", { id }),
  validateWorkflow: (body) => invoke<Diagnostic[]>("validate_workflow", { body }),
  activityCatalog: () => invoke<CatalogEntry[]>("activity_catalog"),
  listTemplates: () => invoke<TemplateInfo[]>("list_templates"),
  saveAsTemplate: (id, folder, name) => invoke<TemplateInfo>("save_as_template", { id, folder, name: name ?? null }),
  sendCommand: (workflowId, command: Command) =>
    invoke<number>("send_command", { workflowId, command }),
  listRuns: (filter: RunFilter, cursor, limit) =>
    invoke<RunPage>("list_runs", { filter, cursor, limit: limit ?? null }),
  getRun: (id) => invoke<RunDetail>("get_run", { id }),
  waitCommand: (id) => invoke<CommandRecord>("wait_command", { id }),
  runTasks: (runId) => invoke<TaskRecord[]>("run_tasks", { runId }),
  taskAttempts: (taskId) => invoke<AttemptRecord[]>("task_attempts", { taskId }),
  runLogs: (runId, activityId) => invoke<LogLine[]>("run_logs", { runId, activityId: activityId ?? null }),
  runEdges: (runId) => invoke<EdgeRecord[]>("run_edges", { runId }),
  runTimeline: (runId, after, limit) => invoke<TimelinePage>("run_timeline", { runId, after, limit }),
  getBreakpoints: (id) => invoke<Breakpoint[]>("get_breakpoints", { id }),
  setBreakpoints: (id, breakpoints) => invoke<Breakpoint[]>("set_breakpoints", { id, breakpoints }),
  debugView: (runId) => invoke<DebugView>("debug_view", { runId }),
  taskRecords: (taskId, side, search, limit) => invoke<TaskRecords>("task_records", { taskId, side, search: search ?? null, limit: limit ?? null }),
  rerunPreview: (runId) => invoke<RerunPreview>("rerun_preview", { runId }),
  listRevisions: (id) => invoke<RevisionInfo[]>("list_revisions", { id }),
  getRevision: (id, revision) => invoke<WorkflowFile>("get_revision", { id, revision }),
  diffRevisions: (id, from, to) => invoke<RevisionDiff>("diff_revisions", { id, from, to }),
  restoreRevision: (id, revision) => invoke<WorkflowSummary>("restore_revision", { id, revision }),
  openApprovals: () => invoke<ApprovalRecord[]>("open_approvals"),
  session: () => invoke<Session>("session_info"),
  listSchedulers: () => invoke<SchedulerRow[]>("list_schedulers"),
  workflowOverview: (id) => invoke<WorkflowOverview>("workflow_overview", { id }),
  eventsAfter: (seq) => invoke<Event[]>("events_after", { seq }),
  fontBase: "weftfont://localhost/",
  renderPicture: (request) => invoke<PictureData>("render_picture", { request }),
  copyPicture: async (request) => {
    await invoke<[number, number]>("copy_picture", { request });
  },
  writeClipboardText: (text) => invoke<void>("clipboard_write_text", { text }),
  readClipboardText: () => invoke<string>("clipboard_read_text"),
  openWorkflowWindow: (id) => invoke<void>("open_workflow_window", { id }),
  openTeamServer: (url) => invoke<void>("open_team_server", { url }),
  setWindowTitle: async (title) => {
    document.title = title;
    await getCurrentWindow().setTitle(title);
  },
  onCloseRequested: (guard) =>
    getCurrentWindow().onCloseRequested(async (event) => {
      if (!(await guard())) event.preventDefault();
    }),
  onEvent: (handler: (event: Event) => void) =>
    listen<Event>(EVENT, (e) => handler(e.payload)),
  listContacts: (filter, after, limit) => invoke<Contact[]>("list_contacts", { filter, after, limit }),
  countContacts: () => invoke<number>("count_contacts"),
  importContacts: (csv, delimiter, mapping, status) =>
    invoke<ImportReport>("import_contacts", { csv, delimiter, mapping, status }),
  exportContacts: (filter, rawFormulas) => invoke<string>("export_contacts", { filter, rawFormulas: rawFormulas ?? null }),
  demoContacts: (count) => invoke<number>("demo_contacts", { count }),
  updateContact: (id, change) => invoke<Contact>("update_contact", { id, name: change.name ?? null, status: change.status ?? null, tags: change.tags ?? null }),
};
