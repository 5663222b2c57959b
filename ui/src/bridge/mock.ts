//! An in-memory [`Backend`] for browser tests and for opening the UI outside the desktop app.
//! State is kept in `localStorage` (one key) so that a reload keeps what was made.
import { createContactsMock } from "../contacts/mockContacts";
import { blankWorkflow, normalize } from "../editor/model";
import { folderProblem } from "../workflows/folderName";
import type { Backend } from "./backend";
import { bundledCatalog } from "./catalog";
import { applied, createExecutor, type ExecState, isActiveRun, madeRun, refused, replayFinishedRun } from "./mockExecutor";
import { mockValidate } from "./mockValidate";
import type {
  CommandOutcome,
  LifeCycle,
  Command,
  CommandRecord,
  Event,
  RunStatus,
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
type State = ExecState & {
  userTemplates?: TemplateInfo[];
  workflows: Stored[];
  seq: number;
  nextCommand: number;
  commands: CommandRecord[];
  /** The last events, for `eventsAfter`. */
  events: Event[];
};

const emptyExec = (): Omit<State, "workflows" | "seq" | "nextCommand"> => ({
  runs: [],
  tasks: [],
  attempts: [],
  logs: [],
  edges: [],
  approvals: [],
  nextRun: 1,
  nextTask: 1,
  nextLog: 1,
  commands: [],
  events: [],
});

/** How long a mock task runs (ms); tests may shorten it through `localStorage["weft.mock.step"]`. */
const stepMs = () => Number((typeof localStorage !== "undefined" && localStorage.getItem("weft.mock.step")) || 350);

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
  const state: State = { ...emptyExec(), workflows: [], seq: 0, nextCommand: 1 };
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
        commands: [],
        revision: 3 - i,
        lastRunStatus: i === 0 ? "completed" : i === 2 ? "failed" : null,
        schedule: schedulOf(t.body),
        simulate: false,
        updatedAt: now - i * 3_600_000,
      },
    });
  });
  seedHistory(state, now);
  return state;
}

/** Finished runs spread over the last weeks, so that history paging and filters have material. */
function seedHistory(state: State, now: number) {
  const statuses: RunStatus[] = ["completed", "completed", "completed", "failed", "completed", "cancelled", "completed", "rejected"];
  const triggers = ["schedule", "manual", "schedule", "webhook", "manual"] as const;
  const n = 160;
  for (let i = n; i > 0; i--) {
    const w = state.workflows[i % state.workflows.length];
    const created = now - i * 3 * 3_600_000 - (i % 7) * 60_000;
    const status = statuses[i % statuses.length];
    state.runs.unshift({
      id: state.nextRun++,
      workflowId: w.summary.id,
      workflowName: w.summary.name,
      revision: Math.max(1, w.summary.revision - (i % 3)),
      status,
      trigger: triggers[i % triggers.length],
      simulate: false,
      createdAt: created,
      startedAt: created + 150,
      endedAt: created + 1500 + ((i * 977) % 40_000),
      restartOf: null,
      parentRun: null,
      params: {},
      vars: {},
      error: status === "failed" ? "Task failed: exit status 1" : null,
      restartFrom: null,
      triggerActivity: null,
      progress: status === "completed" ? 100 : 60,
    });
  }
}

export function createMockBackend(options: { persist?: boolean } = {}): Backend {
  const persist = options.persist ?? typeof localStorage !== "undefined";
  let state: State;
  try {
    const raw = persist ? localStorage.getItem(STORAGE_KEY) : null;
    state = raw ? ({ ...emptyExec(), ...(JSON.parse(raw) as State) } as State) : seed();
  } catch {
    state = seed();
  }
  const listeners = new Set<(e: Event) => void>();
  let pageClipboard = "";
  const save = () => {
    if (persist) localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  };
  const emit = (kind: Event["kind"], workflowId: string | null, payload: Record<string, unknown> = {}, runId: number | null = null, taskId: number | null = null) => {
    // The demo engine's payloads are looser than the engine's typed ones.
    const event = { seq: ++state.seq, at: Date.now(), kind, workflowId, runId, taskId, payload } as Event;
    state.events.push(event);
    if (state.events.length > 400) state.events.splice(0, state.events.length - 400);
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
      commands: [],
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
  const freeName = (base: string, suffix: (n: number) => string, suffixFirst = false): string => {
    const taken = new Set(state.workflows.map((w) => w.summary.name));
    for (let n = 1; ; n++) {
      const candidate = n === 1 && !suffixFirst ? base : `${base}${suffix(n)}`;
      if (!taken.has(candidate)) return candidate;
    }
  };
  const setState = (w: Stored, s: WorkflowState) => {
    w.summary.state = s;
    emit("workflow_state", w.summary.id, { state: s });
  };
  const delay = <T>(v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), 0));
  const exec = createExecutor({
    state,
    catalog: bundledCatalog,
    body: (id) => state.workflows.find((w) => w.summary.id === id)?.body ?? null,
    emit: (kind, ids, payload) => emit(kind, ids.workflowId, payload, ids.runId ?? null, ids.taskId ?? null),
    save,
    onRunEnded: (run) => {
      const w = state.workflows.find((x) => x.summary.id === run.workflowId);
      if (w && state.runs.find((r) => r.workflowId === w.summary.id)?.id === run.id) w.summary.lastRunStatus = run.status;
      save();
    },
    stepMs: stepMs(),
  });
  exec.resume();
  /** Demo history runs get their tasks on first look. */
  const materialize = (runId: number) => {
    const run = state.runs.find((r) => r.id === runId);
    const body = run && state.workflows.find((w) => w.summary.id === run.workflowId)?.body;
    if (run && body && !isActiveRun(run.status)) replayFinishedRun(state, run, body, bundledCatalog);
  };
  const newRun = (w: Stored, params: Record<string, unknown>, simulate: boolean, extra: { trigger?: "manual" | "restart_from_task"; restartOf?: number; restartFrom?: string } = {}) => {
    const run = exec.createRun(w.summary.id, w.summary.name, w.summary.revision, { params, simulate, trigger: extra.trigger ?? "manual", restartOf: extra.restartOf, restartFrom: extra.restartFrom });
    w.summary.lastRunStatus = run.status;
    return run;
  };
  const hasOnlyManualTriggers = (body: WorkflowFile) =>
    body.activities.every((a) => !a.kind.endsWith("_trigger") || a.kind === "manual_trigger");
  /**
   * The demo engine's toolbar availability. A stopgap copy of the engine's rule
   * (`weft_engine::command::check`) until the browser tests run on the real engine.
   */
  const withCommands = (w: Stored): WorkflowSummary => {
    const st = w.summary.state;
    const active = state.runs.filter((r) => r.workflowId === w.summary.id && isActiveRun(r.status)).length;
    const valid = !mockValidate(w.body, bundledCatalog).some((d) => d.severity === "error");
    const idle = active === 0 && (st === "finished" || st === "being_edited");
    const rule = (c: LifeCycle): string | null => {
      switch (c) {
        case "start":
        case "start_simulation":
          if (st === "started") return "the workflow is already started";
          if (st === "stopping") return "the workflow is stopping; use Restart or wait";
          return st !== "paused" && !valid ? "the workflow does not validate" : null;
        case "pause":
          return st === "started" ? null : `only a started workflow can be paused (it is ${st})`;
        case "stop":
        case "restart":
          if (st === "stopping") return "a stop is already under way";
          if (c === "restart") return valid ? null : "the workflow does not validate";
          return idle ? `nothing to stop: the workflow is ${st}` : null;
        case "unconditional_stop":
          return idle ? `nothing to stop: the workflow is ${st}` : null;
        case "execute_pending":
          return active === 0 ? "no run of this workflow is in progress" : null;
        case "purge_history":
          return null;
        case "run_now":
          return valid ? null : "the workflow does not validate";
      }
    };
    const all: LifeCycle[] = ["start", "start_simulation", "pause", "stop", "restart", "unconditional_stop", "execute_pending", "purge_history", "run_now"];
    return { ...w.summary, commands: all.map((command) => ({ command, enabled: rule(command) === null, reason: rule(command) })) };
  };
  /** Applies a command as the engine would; returns the outcome text. */
  const apply = (w: Stored | null, command: Command): CommandOutcome => {
    const st = w?.summary.state;
    const invalid = () => w && mockValidate(w.body, bundledCatalog).some((d) => d.severity === "error");
    switch (command.type) {
      case "start":
      case "start_simulation": {
        if (!w) return refused("no workflow");
        if (st === "started" || st === "stopping") return refused(`the workflow is ${st === "started" ? "already started" : "stopping"}`);
        if (invalid()) return refused("the workflow does not validate");
        const resumed = st === "paused";
        w.summary.simulate = command.type === "start_simulation";
        setState(w, "started");
        if (!resumed && hasOnlyManualTriggers(w.body)) return madeRun(newRun(w, {}, command.type === "start_simulation").id);
        return applied();
      }
      case "pause":
        if (!w || st !== "started") return refused("only a started workflow can be paused");
        setState(w, "paused");
        return applied();
      case "stop":
      case "restart": {
        if (!w || (st !== "started" && st !== "paused")) return refused("the workflow is not running");
        setState(w, "stopping");
        setTimeout(() => {
          for (const r of state.runs.filter((r) => r.workflowId === w.summary.id && isActiveRun(r.status))) exec.cancel(r.id, "Stopped");
          setState(w, command.type === "restart" ? "started" : "finished");
          if (command.type === "restart" && hasOnlyManualTriggers(w.body)) newRun(w, {}, w.summary.simulate);
          save();
        }, 900);
        return applied();
      }
      case "unconditional_stop":
        if (!w) return refused("no workflow");
        for (const r of state.runs.filter((r) => r.workflowId === w.summary.id && isActiveRun(r.status))) exec.cancel(r.id, "Unconditional stop");
        setState(w, "finished");
        return applied();
      case "purge_history": {
        if (!w) return refused("no workflow");
        const gone = new Set(state.runs.filter((r) => r.workflowId === w.summary.id && !isActiveRun(r.status)).map((r) => r.id));
        state.runs = state.runs.filter((r) => !gone.has(r.id));
        state.tasks = state.tasks.filter((t) => !gone.has(t.runId));
        state.logs = state.logs.filter((l) => state.tasks.some((t) => t.id === l.taskId));
        state.edges = state.edges.filter((e) => !gone.has(e.runId));
        state.approvals = state.approvals.filter((a) => !gone.has(a.runId));
        emit("purged", w.summary.id, { runs: gone.size });
        return applied(`${gone.size} runs purged`);
      }
      case "run_now":
        if (!w) return refused("no workflow");
        if (invalid()) return refused("the workflow does not validate");
        return madeRun(newRun(w, command.params, command.simulate).id);
      case "execute_pending": {
        if (!w) return refused("no workflow");
        const ids = state.tasks.filter((t) => t.status === "waiting" && (t.waitReason === "hold" || t.waitReason === "wait") && state.runs.find((r) => r.id === t.runId)?.workflowId === w.summary.id).map((t) => t.id);
        for (const id of ids) exec.executeNow(id);
        return ids.length ? applied(`${ids.length} task(s)`) : applied("nothing was pending");
      }
      case "execute_task":
        return exec.executeNow(command.task_id);
      case "restart_from_task": {
        const old = state.runs.find((r) => r.id === command.run_id);
        const ow = old && state.workflows.find((x) => x.summary.id === old.workflowId);
        if (!old || !ow) return refused(`no run ${command.run_id}`);
        return madeRun(newRun(ow, old.params, old.simulate, { trigger: "restart_from_task", restartOf: old.id, restartFrom: command.activity_id }).id);
      }
      case "approve":
      case "reject":
        return exec.answer(command.task_id, command.type === "approve", command.comment, command.by);
      case "cancel_run":
        return exec.cancel(command.run_id);
      default:
        return refused("not supported by the demo engine");
    }
  };

  const backend: Backend = {
    kind: "mock",
    ...createContactsMock(),
    listWorkflows: async () => delay(structuredClone(state.workflows.map((w) => withCommands(w)))),
    getWorkflow: async (id) => {
      const w = find(id);
      return delay(structuredClone({ body: w.body, summary: withCommands(w) }));
    },
    createWorkflow: async (name, template) => {
      // Like the engine: a blank name becomes the first free "Name", "Name (2)"…
      if (template) {
        const t = templates().find((x) => x.id === template);
        if (!t) throw { code: "WEFT-D002", message: `No template ${template}.`, details: null };
        return add({ ...structuredClone(t.body), name: name.trim() || freeName(t.body.name, (n) => ` (${n})`) });
      }
      return add(blankWorkflow(name.trim() || freeName("Untitled workflow", (n) => ` (${n})`)));
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
      return add({ ...structuredClone(w.body), name: freeName(w.body.name, (n) => (n === 1 ? " (copy)" : ` (copy ${n})`), true) });
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
    saveAsTemplate: async (id, folder, name) => {
      const w = find(id);
      const problem = folderProblem(folder);
      if (problem) throw { code: "WEFT-D004", message: `"${folder}" is not a folder name: ${problem}`, details: { folder } };
      const title = name?.trim() || w.body.name;
      const t: TemplateInfo = {
        id: `user:${folder}/${title}`,
        name: title,
        folder,
        description: w.body.description,
        shipped: false,
        body: { ...structuredClone(w.body), name: title },
      };
      state.userTemplates = [...(state.userTemplates ?? []).filter((x) => x.id !== t.id), t];
      save();
      return structuredClone(t);
    },
    sendCommand: async (workflowId, command: Command) => {
      const w = workflowId ? find(workflowId) : null;
      const rec: CommandRecord = { id: state.nextCommand++, workflowId, command, createdAt: Date.now(), appliedAt: null, outcome: null, tries: 0, trySession: null };
      state.commands.push(rec);
      if (state.commands.length > 200) state.commands.shift();
      // Applied a moment later, as the engine's queue would.
      setTimeout(() => {
        rec.outcome = apply(w, command);
        rec.appliedAt = Date.now();
        emit("command_applied", workflowId, { command: rec.id, outcome: rec.outcome });
        save();
      }, 60);
      save();
      return rec.id;
    },
    waitCommand: (id) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const rec = state.commands.find((c) => c.id === id);
          if (!rec) return reject({ code: "WEFT-S003", message: `No command ${id}.`, details: null });
          if (rec.outcome !== null) return resolve(structuredClone(rec));
          setTimeout(check, 30);
        };
        check();
      }),
    runTasks: async (runId) => {
      materialize(runId);
      return delay(structuredClone(state.tasks.filter((t) => t.runId === runId).sort((a, b) => a.id - b.id)));
    },
    taskAttempts: async (taskId) => delay(structuredClone(state.attempts.filter((a) => a.taskId === taskId))),
    runLogs: async (runId, activityId) => {
      const tasks = new Set(state.tasks.filter((t) => t.runId === runId).map((t) => t.id));
      return delay(structuredClone(state.logs.filter((l) => tasks.has(l.taskId) && (!activityId || l.activityId === activityId))));
    },
    runEdges: async (runId) => {
      materialize(runId);
      return delay(state.edges.filter((e) => e.runId === runId).map(({ runId: _r, ...e }) => ({ ...e })));
    },
    openApprovals: async () => delay(structuredClone(state.approvals.filter((a) => !a.decision))),
    eventsAfter: async (seq) => delay(structuredClone(state.events.filter((e) => e.seq > seq))),
    listRuns: async (filter, cursor, limit = 50) => {
      const all: RunSummary[] = state.runs
        .filter((r) => !filter.workflowId || r.workflowId === filter.workflowId)
        .filter((r) => filter.statuses.length === 0 || filter.statuses.includes(r.status))
        .filter((r) => !filter.trigger || r.trigger === filter.trigger)
        .filter((r) => filter.from === null || r.createdAt >= filter.from)
        .filter((r) => filter.to === null || r.createdAt < filter.to)
        .sort((a, b) => (filter.ascending ? a.id - b.id : b.id - a.id));
      // Keyset: the cursor is the id of the first run of the next page.
      const after = cursor === null ? all : all.filter((r) => (filter.ascending ? r.id >= cursor : r.id <= cursor));
      const page = after.slice(0, limit).map(({ id, workflowId, workflowName, revision, status, trigger, simulate, createdAt, startedAt, endedAt, restartOf, parentRun }) => ({
        id, workflowId, workflowName, revision, status, trigger, simulate, createdAt, startedAt, endedAt, restartOf, parentRun: parentRun ?? null,
      }));
      return delay({ runs: structuredClone(page), next: after[limit]?.id ?? null });
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
    // The page's clipboard when the browser allows it (another tab sees it), else this page's.
    writeClipboardText: async (text) => {
      pageClipboard = text;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        // Refused (no permission, no focus): the page's own copy serves Paste in this page.
      }
    },
    readClipboardText: async () => {
      try {
        return await navigator.clipboard.readText();
      } catch {
        return pageClipboard;
      }
    },
    // Another tab, on the demo data this page last saved (localStorage).
    openWorkflowWindow: async (id) => {
      window.open(`${location.pathname}${location.search}#/workflow/${encodeURIComponent(id)}`, "_blank");
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
