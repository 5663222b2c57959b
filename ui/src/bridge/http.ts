//! The HTTP implementation of [`Backend`]: the operations API of `weft serve --http` under
//! `/api/v1/` (same types as the desktop bridge), with the access token from session storage,
//! and the engine's events as a server-sent-events stream read through `fetch` (so that the
//! token travels in a header, never in the address). The only module that calls `fetch`.
import type { Backend } from "./backend";
import type {
  ApprovalRecord,
  Session,
  AttemptRecord,
  Breakpoint,
  CatalogEntry,
  CommandRecord,
  Contact,
  DebugView,
  Diagnostic,
  EdgeRecord,
  Event,
  ImportReport,
  LogLine,
  PictureData,
  RerunPreview,
  RevisionDiff,
  RevisionInfo,
  RunDetail,
  RunPage,
  SchedulerRow,
  TaskRecord,
  TaskRecords,
  TimelinePage,
  TemplateInfo,
  WorkflowDetail,
  WorkflowFile,
  WorkflowOverview,
  WorkflowSummary,
} from "./types";

/** Where the token is kept: this tab only, gone when it closes. */
export const TOKEN_KEY = "weft.token";

export const readToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token.trim());
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

const tokenListeners = new Set<() => void>();
/** Called when the server refused the token (revoked, wrong): the app asks for another. */
export function onTokenRefused(listener: () => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

const API = "/api/v1";

/** Calls the API; resolves with the JSON answer, rejects with the engine's `{code, message, details}`. */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${readToken() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw { code: "WEFT-H000", message: `the server cannot be reached: ${(e as Error).message}`, details: null };
  }
  const text = await response.text();
  let value: unknown = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch {
    throw { code: "WEFT-H000", message: `the server answered ${response.status} with no JSON`, details: null };
  }
  if (!response.ok) {
    if (response.status === 401) {
      forgetToken();
      for (const l of tokenListeners) l();
    }
    throw value ?? { code: "WEFT-H000", message: `the server answered ${response.status}`, details: null };
  }
  return value as T;
}

const get = <T>(path: string) => call<T>("GET", path);
const post = <T>(path: string, body: unknown = {}) => call<T>("POST", path, body);
const enc = encodeURIComponent;

/** Checks a token against the server without keeping it: resolves true when it is live. */
export async function tokenWorks(token: string): Promise<boolean> {
  const response = await fetch(`${API}/status`, { headers: { Authorization: `Bearer ${token.trim()}` } });
  return response.ok;
}

/**
 * One event stream shared by every subscriber. It starts at the first subscription, and after
 * a dropped connection reconnects from the last event seen, so none is missed or repeated.
 */
const eventListeners = new Set<(e: Event) => void>();
let streaming = false;
let lastSeq: number | null = null;

async function streamEvents() {
  if (streaming) return;
  streaming = true;
  while (eventListeners.size > 0) {
    try {
      const after = lastSeq === null ? "" : `?after=${lastSeq}`;
      const response = await fetch(`${API}/events/stream${after}`, {
        headers: { Authorization: `Bearer ${readToken() ?? ""}`, Accept: "text/event-stream" },
      });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const data = message
            .split("\n")
            .filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(5).trimStart())
            .join("\n");
          if (!data) continue;
          const event = JSON.parse(data) as Event;
          lastSeq = event.seq;
          for (const l of eventListeners) l(event);
        }
        if (eventListeners.size === 0) {
          await reader.cancel();
          break;
        }
      }
    } catch {
      // The server went away or refused the token: try again shortly, from the last event.
    }
    if (eventListeners.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  streaming = false;
}

/** The text the page copied last, for Paste when the browser refuses clipboard access. */
let pageClipboard = "";

export const httpBackend: Backend = {
  kind: "http",
  listWorkflows: () => get<WorkflowSummary[]>("/workflows"),
  getWorkflow: (id) => get<WorkflowDetail>(`/workflows/${enc(id)}`),
  createWorkflow: (name, template) => post<WorkflowSummary>("/workflows", { name, template: template ?? null }),
  saveWorkflow: (id, body, activate, baseRevision) =>
    call<WorkflowSummary>("PUT", `/workflows/${enc(id)}`, { body, activate: activate ?? null, baseRevision: baseRevision ?? null }),
  renameWorkflow: (id, name) => post<void>(`/workflows/${enc(id)}/rename`, { name }),
  duplicateWorkflow: (id, body) => post<WorkflowSummary>(`/workflows/${enc(id)}/duplicate`, body ? { body } : undefined),
  deleteWorkflow: (id) => call<void>("DELETE", `/workflows/${enc(id)}`),
  importWorkflow: (json) => post<WorkflowSummary>("/workflows/import", { json }),
  exportWorkflow: (id) => get<string>(`/workflows/${enc(id)}/export`),
  validateWorkflow: (body) => post<Diagnostic[]>("/workflows/validate", { body }),
  activityCatalog: () => get<CatalogEntry[]>("/catalog"),
  listTemplates: () => get<TemplateInfo[]>("/templates"),
  saveAsTemplate: (id, folder, name) => post<TemplateInfo>("/templates", { workflowId: id, folder, name: name ?? null }),
  sendCommand: (workflowId, command) =>
    workflowId === null ? post<number>("/commands", command) : post<number>(`/workflows/${enc(workflowId)}/commands`, command),
  waitCommand: (id) => get<CommandRecord>(`/commands/${id}/wait`),
  listRuns: (filter, cursor, limit) => post<RunPage>("/runs/query", { filter, cursor, limit: limit ?? null }),
  getRun: (id) => get<RunDetail>(`/runs/${id}`),
  runTasks: (runId) => get<TaskRecord[]>(`/runs/${runId}/tasks`),
  taskAttempts: (taskId) => get<AttemptRecord[]>(`/tasks/${taskId}/attempts`),
  runLogs: (runId, activityId) => get<LogLine[]>(`/runs/${runId}/logs${activityId ? `?activity=${enc(activityId)}` : ""}`),
  runEdges: (runId) => get<EdgeRecord[]>(`/runs/${runId}/edges`),
  runTimeline: (runId, after, limit) => post<TimelinePage>(`/runs/${runId}/timeline`, { after, limit }),
  getBreakpoints: (id) => get<Breakpoint[]>(`/workflows/${enc(id)}/breakpoints`),
  setBreakpoints: (id, breakpoints) => call<Breakpoint[]>("PUT", `/workflows/${enc(id)}/breakpoints`, { breakpoints }),
  debugView: (runId) => get<DebugView>(`/runs/${runId}/debug`),
  taskRecords: (taskId, side, search, limit) =>
    get<TaskRecords>(`/tasks/${taskId}/records?side=${side}&limit=${limit ?? 200}${search ? `&search=${enc(search)}` : ""}`),
  rerunPreview: (runId) => get<RerunPreview>(`/runs/${runId}/rerun-preview`),
  listRevisions: (id) => get<RevisionInfo[]>(`/workflows/${enc(id)}/revisions`),
  getRevision: (id, revision) => get<WorkflowFile>(`/workflows/${enc(id)}/revisions/${revision}`),
  diffRevisions: (id, from, to) => get<RevisionDiff>(`/workflows/${enc(id)}/diff?from=${from}&to=${to}`),
  restoreRevision: (id, revision) => post<WorkflowSummary>(`/workflows/${enc(id)}/restore`, { revision }),
  openApprovals: () => get<ApprovalRecord[]>("/approvals"),
  session: () => get<Session>("/session"),
  listSchedulers: () => get<SchedulerRow[]>("/schedulers"),
  workflowOverview: (id) => get<WorkflowOverview>(`/workflows/${enc(id)}/overview`),
  eventsAfter: (seq) => get<Event[]>(`/events?after=${seq}`),
  listContacts: (filter, after, limit) => post<Contact[]>("/contacts/query", { filter, after, limit }),
  countContacts: () => get<number>("/contacts/count"),
  importContacts: (csv, delimiter, mapping, status) => post<ImportReport>("/contacts/import", { csv, delimiter, mapping, status }),
  exportContacts: (filter, rawFormulas) => post<string>("/contacts/export", { filter, rawFormulas: rawFormulas ?? null }),
  demoContacts: (count) => post<number>("/contacts/demo", { count }),
  updateContact: (id, change) =>
    call<Contact>("PATCH", `/contacts/${id}`, { name: change.name ?? null, status: change.status ?? null, tags: change.tags ?? null }),
  // The browser's clipboard (shared with other tabs and programs) when it allows it.
  fontBase: "/fonts/",
  renderPicture: (request) => post<PictureData>("/pictures", request),
  copyPicture: async (request) => {
    const picture = await post<PictureData>("/pictures", { ...request, format: "png" });
    const bytes = Uint8Array.from(atob(picture.base64), (c) => c.charCodeAt(0));
    await navigator.clipboard.write([new ClipboardItem({ "image/png": new Blob([bytes], { type: "image/png" }) })]);
  },
  writeClipboardText: async (text) => {
    pageClipboard = text;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Refused (no permission, no focus): the page's own copy still serves Paste here.
    }
  },
  readClipboardText: async () => {
    try {
      return await navigator.clipboard.readText();
    } catch {
      return pageClipboard;
    }
  },
  // Another tab: it inherits this tab's session storage, so the token too.
  openWorkflowWindow: async (id) => {
    window.open(`${location.pathname}${location.search}#/workflow/${enc(id)}`, "_blank");
  },
  // In a browser another server is another tab (the UI offers this in the desktop app only).
  openTeamServer: async (url) => {
    window.open(url, "_blank", "noopener");
  },
  setWindowTitle: async (title) => {
    document.title = title;
  },
  // A browser asks through `beforeunload` instead (see the editor).
  onCloseRequested: async () => () => {},
  onEvent: async (handler) => {
    eventListeners.add(handler);
    void streamEvents();
    return () => {
      eventListeners.delete(handler);
    };
  },
};
