//! An in-memory [`Backend`] for browser tests and for opening the UI outside the desktop app.
//! State is kept in `localStorage` (one key) so that a reload keeps what was made.
import { blankWorkflow, normalize } from "../editor/model";
import type { Backend } from "./backend";
import { bundledCatalog } from "./catalog";
import { mockValidate } from "./mockValidate";
import type {
  Command,
  Event,
  RunDetail,
  RunSummary,
  TemplateInfo,
  WorkflowFile,
  WorkflowState,
  WorkflowSummary,
} from "./types";

const templateFiles = import.meta.glob("../../../workflows-templates/*.weft.json", {
  eager: true,
  import: "default",
}) as Record<string, unknown>;

const STORAGE_KEY = "weft.mock.v1";

type Stored = { summary: WorkflowSummary; body: WorkflowFile };
type State = { userTemplates?: TemplateInfo[]; workflows: Stored[]; runs: RunDetail[]; seq: number; nextRun: number; nextCommand: number };

function templates(): TemplateInfo[] {
  return Object.entries(templateFiles)
    .map(([path, raw]) => {
      const body = normalize(raw as WorkflowFile, bundledCatalog);
      const file = path.split("/").pop() ?? path;
      return {
        id: `shipped:${file}`,
        name: body.name,
        folder: "Examples",
        description: body.description,
        shipped: true,
        body,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function schedulOf(body: WorkflowFile): string | null {
  for (const a of body.activities) {
    if (a.kind === "schedule_trigger") {
      const s = (a.config as { schedule?: { type: string; cron?: string; every?: string } }).schedule;
      if (s?.type === "cron") return s.cron ?? null;
      if (s?.type === "interval") return `every ${s.every}`;
      if (s?.type === "on_demand") return "on demand";
    }
  }
  return null;
}

function seed(): State {
  const now = Date.now();
  const state: State = { workflows: [], runs: [], seq: 0, nextRun: 1, nextCommand: 1 };
  // A stable demo set (tests and screenshots rely on these names), whatever else ships.
  const preferred = ["Approval-gated email to leads", "Daily report", "HTTP health check"];
  const all = templates();
  const picks = preferred.map((n) => all.find((t) => t.name === n)).filter((t) => t !== undefined);
  if (picks.length === 0) picks.push(...all.slice(0, 3));
  picks.forEach((t, i) => {
    const id = `wf-${i + 1}`;
    state.workflows.push({
      body: structuredClone(t.body),
      summary: {
        id,
        name: t.body.name,
        state: (["started", "being_edited", "paused"] as WorkflowState[])[i % 3],
        revision: 3 - i,
        lastRunStatus: i === 0 ? "completed" : i === 2 ? "failed" : null,
        schedule: schedulOf(t.body),
        simulate: false,
        updatedAt: now - i * 3_600_000,
      },
    });
  });
  return state;
}

export function createMockBackend(options: { persist?: boolean } = {}): Backend {
  const persist = options.persist ?? typeof localStorage !== "undefined";
  let state: State;
  try {
    const raw = persist ? localStorage.getItem(STORAGE_KEY) : null;
    state = raw ? (JSON.parse(raw) as State) : seed();
  } catch {
    state = seed();
  }
  const listeners = new Set<(e: Event) => void>();
  const save = () => {
    if (persist) localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  };
  const emit = (kind: Event["kind"], workflowId: string | null, payload: Record<string, unknown> = {}) => {
    const event: Event = { seq: ++state.seq, at: Date.now(), kind, workflowId, runId: null, taskId: null, payload };
    queueMicrotask(() => {
      for (const l of listeners) l(event);
    });
  };
  const find = (id: string): Stored => {
    const w = state.workflows.find((x) => x.summary.id === id);
    if (!w) throw { code: "WEFT-S001", message: `No workflow ${id}.`, details: { id } };
    return w;
  };
  const add = (body: WorkflowFile): WorkflowSummary => {
    const id = `wf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const summary: WorkflowSummary = {
      id,
      name: body.name,
      state: "being_edited",
      revision: 1,
      lastRunStatus: null,
      schedule: schedulOf(body),
      simulate: false,
      updatedAt: Date.now(),
    };
    state.workflows.unshift({ summary, body: structuredClone(body) });
    save();
    emit("workflow_changed", id);
    return structuredClone(summary);
  };
  const setState = (w: Stored, s: WorkflowState) => {
    w.summary.state = s;
    emit("workflow_state", w.summary.id, { state: s });
  };
  const delay = <T>(v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), 0));

  const backend: Backend = {
    kind: "mock",
    listWorkflows: async () => delay(structuredClone(state.workflows.map((w) => w.summary))),
    getWorkflow: async (id) => delay(structuredClone(find(id))),
    createWorkflow: async (name, template) => {
      if (template) {
        const t = templates().find((x) => x.id === template);
        if (!t) throw { code: "WEFT-D002", message: `No template ${template}.`, details: null };
        return add({ ...structuredClone(t.body), name });
      }
      return add(blankWorkflow(name));
    },
    saveWorkflow: async (id, body, activate) => {
      const w = find(id);
      w.body = structuredClone(body);
      w.summary = {
        ...w.summary,
        name: body.name,
        revision: w.summary.revision + 1,
        schedule: schedulOf(body),
        updatedAt: Date.now(),
      };
      if (activate === true) {
        if (mockValidate(body, bundledCatalog).some((d) => d.severity === "error")) {
          throw { code: "WEFT-X010", message: "The workflow does not validate; fix its problems first.", details: null };
        }
        setState(w, "started");
      }
      save();
      emit("workflow_changed", id);
      return structuredClone(w.summary);
    },
    renameWorkflow: async (id, name) => {
      const w = find(id);
      w.summary.name = name;
      w.body.name = name;
      w.summary.revision += 1;
      save();
      emit("workflow_changed", id);
    },
    duplicateWorkflow: async (id) => {
      const w = find(id);
      return add({ ...structuredClone(w.body), name: `${w.body.name} (copy)` });
    },
    deleteWorkflow: async (id) => {
      find(id);
      state.workflows = state.workflows.filter((w) => w.summary.id !== id);
      save();
      emit("workflow_changed", id);
    },
    importWorkflow: async (json) => {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch (e) {
        throw { code: "WEFT-F001", message: `Not JSON: ${(e as Error).message}`, details: null };
      }
      if (!raw || typeof raw !== "object" || !Array.isArray((raw as WorkflowFile).activities)) {
        throw { code: "WEFT-F002", message: "Not a Weft workflow file (no activities).", details: null };
      }
      return add(normalize(raw as WorkflowFile, bundledCatalog));
    },
    exportWorkflow: async (id) => JSON.stringify(find(id).body, null, 2),
    validateWorkflow: async (body) => delay(mockValidate(body, bundledCatalog)),
    activityCatalog: async () => delay(structuredClone(bundledCatalog)),
    listTemplates: async () => delay([...templates(), ...(state.userTemplates ?? [])]),
    saveAsTemplate: async (id, folder) => {
      const w = find(id);
      const t: TemplateInfo = {
        id: `user:${folder}/${w.summary.id}`,
        name: w.body.name,
        folder,
        description: w.body.description,
        shipped: false,
        body: structuredClone(w.body),
      };
      state.userTemplates = [...(state.userTemplates ?? []).filter((x) => x.id !== t.id), t];
      save();
      return structuredClone(t);
    },
    sendCommand: async (workflowId, command: Command) => {
      const w = workflowId ? find(workflowId) : null;
      if (w) {
        switch (command.type) {
          case "start":
          case "restart":
          case "start_simulation":
            setState(w, "started");
            break;
          case "pause":
            setState(w, "paused");
            break;
          case "stop":
          case "unconditional_stop":
            setState(w, "finished");
            break;
          case "purge_history":
            state.runs = state.runs.filter((r) => r.workflowId !== w.summary.id);
            break;
          case "run_now": {
            const now = Date.now();
            const run: RunDetail = {
              id: state.nextRun++,
              workflowId: w.summary.id,
              workflowName: w.summary.name,
              revision: w.summary.revision,
              status: "completed",
              trigger: "manual",
              simulate: command.simulate,
              createdAt: now,
              startedAt: now,
              endedAt: now + 1200,
              restartOf: null,
              params: command.params,
              vars: {},
              error: null,
              restartFrom: null,
              triggerActivity: null,
              progress: 100,
            };
            state.runs.unshift(run);
            w.summary.lastRunStatus = "completed";
            emit("run_created", w.summary.id, { runId: run.id });
            break;
          }
          default:
            break;
        }
      }
      save();
      return state.nextCommand++;
    },
    listRuns: async (filter, cursor, limit = 50) => {
      const all: RunSummary[] = state.runs
        .filter((r) => !filter.workflowId || r.workflowId === filter.workflowId)
        .filter((r) => filter.statuses.length === 0 || filter.statuses.includes(r.status))
        .filter((r) => !filter.trigger || r.trigger === filter.trigger);
      const start = cursor ? all.findIndex((r) => r.id === cursor) : 0;
      const page = all.slice(Math.max(0, start), Math.max(0, start) + limit);
      const next = all[Math.max(0, start) + limit]?.id ?? null;
      return delay({ runs: structuredClone(page), next });
    },
    getRun: async (id) => {
      const r = state.runs.find((x) => x.id === id);
      if (!r) throw { code: "WEFT-S002", message: `No run ${id}.`, details: null };
      return structuredClone(r);
    },
    copyPng: async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: "image/png" });
      (window as unknown as { __weftLastPng?: string }).__weftLastPng = base64;
      try {
        await navigator.clipboard.write([new ClipboardItem({ "image/png": blob })]);
      } catch {
        // A plain browser may refuse clipboard images without a user gesture; the test hook
        // above still records what would have been copied.
      }
    },
    // A plain browser asks through `beforeunload` instead (see the editor).
    onCloseRequested: async () => () => {},
    onEvent: async (handler) => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
  };
  return backend;
}
