//! The one interface between the UI and the engine. `tauri.ts` implements it over Tauri
//! commands, `mock.ts` in memory (browser tests and plain-browser use).
import type {
  CatalogEntry,
  Command,
  Diagnostic,
  Event,
  RunDetail,
  RunFilter,
  RunPage,
  WorkflowDetail,
  WorkflowFile,
  WorkflowSummary,
  TemplateInfo,
} from "./types";

export interface Backend {
  /** "tauri" or "mock": shown in the top bar so nobody mistakes the mock for the real engine. */
  readonly kind: "tauri" | "mock";
  listWorkflows(): Promise<WorkflowSummary[]>;
  getWorkflow(id: string): Promise<WorkflowDetail>;
  createWorkflow(name: string, template?: string | null): Promise<WorkflowSummary>;
  /** Every save is a new revision; `activate` also starts the workflow. */
  saveWorkflow(id: string, body: WorkflowFile, activate?: boolean | null): Promise<WorkflowSummary>;
  renameWorkflow(id: string, name: string): Promise<void>;
  duplicateWorkflow(id: string): Promise<WorkflowSummary>;
  deleteWorkflow(id: string): Promise<void>;
  importWorkflow(json: string): Promise<WorkflowSummary>;
  exportWorkflow(id: string): Promise<string>;
  validateWorkflow(body: WorkflowFile): Promise<Diagnostic[]>;
  activityCatalog(): Promise<CatalogEntry[]>;
  listTemplates(): Promise<TemplateInfo[]>;
  /** Saves a workflow's latest revision as a user template in `folder`. */
  saveAsTemplate(id: string, folder: string): Promise<TemplateInfo>;
  /** Queues an engine command; resolves with the command id. */
  sendCommand(workflowId: string | null, command: Command): Promise<number>;
  listRuns(filter: RunFilter, cursor: number | null, limit?: number): Promise<RunPage>;
  getRun(id: number): Promise<RunDetail>;
  /** Puts a PNG (base64, no data: prefix) on the system clipboard. */
  copyPng(base64: string): Promise<void>;
  /**
   * Asks `guard` before the window closes (unsaved changes); closing goes ahead when it resolves
   * true. Returns the unsubscribe function.
   */
  onCloseRequested(guard: () => Promise<boolean>): Promise<() => void>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(handler: (event: Event) => void): Promise<() => void>;
}
