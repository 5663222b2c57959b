//! The one interface between the UI and the engine, with two transports over the same engine
//! API: `tauri.ts` (Tauri commands, in the desktop app) and `http.ts` (`weft serve --http`, in
//! a browser and in the browser tests). Nothing else differs between the two.
import type {
  ApprovalRecord,
  AttemptRecord,
  CatalogEntry,
  Command,
  CommandRecord,
  EdgeRecord,
  LogLine,
  TaskRecord,
  TimelineCursor,
  TimelinePage,
  Diagnostic,
  Event,
  RunDetail,
  RunFilter,
  RunPage,
  WorkflowDetail,
  WorkflowFile,
  WorkflowSummary,
  TemplateInfo,
  SchedulerRow,
  WorkflowOverview,
  Session,
} from "./types";
import type { Contact, Filter, ImportReport, PictureData, PictureRequest } from "./types";

import type { Breakpoint, DebugView, RecordSide, RerunPreview, RevisionDiff, RevisionInfo, TaskRecords } from "./types";

export interface Backend {
  /** "tauri" in the desktop app, "http" in a browser (which needs an access token). */
  readonly kind: "tauri" | "http";
  listWorkflows(): Promise<WorkflowSummary[]>;
  getWorkflow(id: string): Promise<WorkflowDetail>;
  createWorkflow(name: string, template?: string | null): Promise<WorkflowSummary>;
  /**
   * Every save is a new revision; `activate` also starts the workflow. With `baseRevision` (the
   * revision the editor started from) a save over a newer revision, saved elsewhere in between,
   * is refused with `WEFT-X009` (details: `base`, `latest`).
   */
  saveWorkflow(id: string, body: WorkflowFile, activate?: boolean | null, baseRevision?: number | null): Promise<WorkflowSummary>;
  renameWorkflow(id: string, name: string): Promise<void>;
  /** Copies a workflow under a free "(copy)" name; with `body`, the copy holds it instead of the latest revision. */
  duplicateWorkflow(id: string, body?: WorkflowFile | null): Promise<WorkflowSummary>;
  deleteWorkflow(id: string): Promise<void>;
  importWorkflow(json: string): Promise<WorkflowSummary>;
  exportWorkflow(id: string): Promise<string>;
  validateWorkflow(body: WorkflowFile): Promise<Diagnostic[]>;
  activityCatalog(): Promise<CatalogEntry[]>;
  listTemplates(): Promise<TemplateInfo[]>;
  /** Saves a workflow's latest revision as a user template in `folder`, named `name` or as the workflow. */
  saveAsTemplate(id: string, folder: string, name?: string | null): Promise<TemplateInfo>;
  /** Queues an engine command; resolves with the command id. */
  sendCommand(workflowId: string | null, command: Command): Promise<number>;
  listRuns(filter: RunFilter, cursor: number | null, limit?: number): Promise<RunPage>;
  getRun(id: number): Promise<RunDetail>;
  /** Resolves once the command was applied or refused (`outcome` says which). */
  waitCommand(id: number): Promise<CommandRecord>;
  /** A run's tasks in scheduling order. */
  runTasks(runId: number): Promise<TaskRecord[]>;
  taskAttempts(taskId: number): Promise<AttemptRecord[]>;
  runLogs(runId: number, activityId?: string | null): Promise<LogLine[]>;
  runEdges(runId: number): Promise<EdgeRecord[]>;
  /** A page of a run's timeline (what a replay plays), after `after` (the previous page's `next`). */
  runTimeline(runId: number, after: TimelineCursor | null, limit: number): Promise<TimelinePage>;
  /** A workflow's breakpoints (kept beside it in the store, not in its file). */
  getBreakpoints(id: string): Promise<Breakpoint[]>;
  /** Replaces a workflow's breakpoints; all are checked first (WEFT-X008) and all or none kept. */
  setBreakpoints(id: string, breakpoints: Breakpoint[]): Promise<Breakpoint[]>;
  /** Whether a run is a debug run, and its tasks paused at a breakpoint. Debug runs and
   * Continue / Step / Skip / Stop are commands (`debug_run`, `debug`) sent with `sendCommand`. */
  debugView(runId: number): Promise<DebugView>;
  /** The records that came into a task (`input`) or that it made (`output`): each set with its
   * size, the distinct total, and the first `limit` (≤ 200) matching `search`. */
  taskRecords(taskId: number, side: RecordSide, search?: string | null, limit?: number): Promise<TaskRecords>;
  /** What re-running a past run on the workflow's latest revision would reuse and run again
   * (the re-run itself is the `rerun_after_edit` command). */
  rerunPreview(runId: number): Promise<RerunPreview>;
  /** A workflow's revisions, newest first: when, by which front door, why. */
  listRevisions(id: string): Promise<RevisionInfo[]>;
  /** One revision of a workflow, as its file (the canvas draws a diff, or two runs, on it). */
  getRevision(id: string, revision: number): Promise<WorkflowFile>;
  /** What changed from revision `from` to revision `to`. */
  diffRevisions(id: string, from: number, to: number): Promise<RevisionDiff>;
  /** Saves an earlier revision as the workflow's new latest revision (its current name kept). */
  restoreRevision(id: string, revision: number): Promise<WorkflowSummary>;
  /** Every approval still waiting, across workflows. */
  openApprovals(): Promise<ApprovalRecord[]>;
  /** Who this window acts for and what they may do (the store's owner may do everything). */
  session(): Promise<Session>;
  /** Every workflow with a schedule trigger: schedules in words, next fire times, last run, queued runs. */
  listSchedulers(): Promise<SchedulerRow[]>;
  /** A workflow's detail page: its schedules, recent runs and approvals waiting. */
  workflowOverview(id: string): Promise<WorkflowOverview>;
  /** Events after `seq` (to catch up after a gap). */
  eventsAfter(seq: number): Promise<Event[]>;
  /** Where the UI's font files are served (`weftfont://localhost/` in the app, `/fonts/` over HTTP). */
  fontBase: string;
  /** Draws the workflow (a selection, a run on it) from the model as a PNG at 2× or an SVG file. */
  renderPicture(request: PictureRequest): Promise<PictureData>;
  /** Copy as bitmap: draws it at 2× and puts it on the system clipboard. */
  copyPicture(request: PictureRequest): Promise<void>;
  /** Puts text on the system clipboard (shared with every window and application). */
  writeClipboardText(text: string): Promise<void>;
  /** The system clipboard's text; empty when it holds none. */
  readClipboardText(): Promise<string>;
  /** Opens a workflow in a new window of its own. */
  openWorkflowWindow(id: string): Promise<void>;
  /** Desktop only: opens a team server (`weft serve --http`) in a window of its own, where its UI
   * works over HTTP with a token (WEFT-D009 for an address that is not one). */
  openTeamServer(url: string): Promise<void>;
  /** Names this window (the desktop window's title; the browser tab's `document.title`). */
  setWindowTitle(title: string): Promise<void>;
  /**
   * Asks `guard` before the window closes (unsaved changes); closing goes ahead when it resolves
   * true. Returns the unsubscribe function.
   */
  onCloseRequested(guard: () => Promise<boolean>): Promise<() => void>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(handler: (event: Event) => void): Promise<() => void>;
  /** Contacts matching `filter`, ordered by id, after the id `after` (keyset paging). */
  listContacts(filter: Filter, after: number | null, limit: number | null): Promise<Contact[]>;
  /** How many contacts the database holds. */
  countContacts(): Promise<number>;
  /** Imports CSV text in one transaction; bad emails and duplicates come back as rejected rows. */
  importContacts(csv: string, delimiter: string | null, mapping: Record<string, string> | null, status: string | null): Promise<ImportReport>;
  /** The contacts matching `filter` as CSV text; cells a spreadsheet would run as formulas get a leading ' unless `rawFormulas`. */
  exportContacts(filter: Filter, rawFormulas?: boolean): Promise<string>;
  /** Adds demo leads into an empty database (WEFT-C015 otherwise); resolves with how many. */
  demoContacts(count: number | null): Promise<number>;
  /** Changes a contact's name, status or tags (those given). */
  updateContact(id: number, change: { name?: string | null; status?: string | null; tags?: string[] | null }): Promise<Contact>;
}
