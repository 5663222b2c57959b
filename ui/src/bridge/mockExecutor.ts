//! The mock engine's executor: walks a run's workflow graph on timers and emits the same events
//! as the Rust engine (run_created, run_status, task_changed, edge_taken, log), so that the UI can
//! be driven in a plain browser and in the browser tests. It honours execution modes (hold,
//! disabled), waits (until executed now), approvals, fork/join, conditions (always `true`),
//! simulation (side-effect kinds skipped) and record counts for data kinds.
import type {
  Activity,
  ApprovalRecord,
  AttemptRecord,
  CatalogEntry,
  CommandOutcome,
  EdgeRecord,
  Event,
  LogLine,
  RunDetail,
  RunStatus,
  TaskRecord,
  TaskStatus,
  Trigger,
  WaitReason,
  WorkflowFile,
} from "./types";

/** An applied command's outcome (the run it made, what it did). */
export const applied = (detail = "", run: number | null = null): CommandOutcome => ({ outcome: "applied", run, detail });
/** A command that made a run. */
export const madeRun = (run: number): CommandOutcome => applied("", run);
/** A refused command's outcome (the demo engine does not tell refusals apart: WEFT-R002). */
export const refused = (reason: string): CommandOutcome => ({ outcome: "refused", code: "WEFT-R002", reason });

/** What the executor keeps in the mock's persisted state. */
export type ExecState = {
  runs: RunDetail[];
  tasks: TaskRecord[];
  attempts: AttemptRecord[];
  logs: LogLine[];
  edges: (EdgeRecord & { runId: number })[];
  approvals: ApprovalRecord[];
  nextRun: number;
  nextTask: number;
  nextLog: number;
};

export type ExecContext = {
  state: ExecState;
  catalog: CatalogEntry[];
  /** The revision body a run executes (the mock keeps only the latest). */
  body: (workflowId: string) => WorkflowFile | null;
  emit: (kind: Event["kind"], ids: { workflowId: string | null; runId?: number | null; taskId?: number | null }, payload?: Record<string, unknown>) => void;
  save: () => void;
  /** Called when a run reaches a final status. */
  onRunEnded: (run: RunDetail) => void;
  /** Milliseconds a task runs for. */
  stepMs: number;
};

const DATA_KINDS = new Set(["query", "union", "intersection", "exclusion", "split", "deduplicate", "update_data", "import_csv", "export_csv", "send_email_each"]);
const ACTIVE: RunStatus[] = ["pending", "running", "waiting_for_approval"];
export const isActiveRun = (s: RunStatus) => ACTIVE.includes(s);
const DONE_TASK: TaskStatus[] = ["succeeded", "failed", "cancelled", "skipped"];

/** A stable pseudo record count for an activity (so screenshots and tests do not flicker). */
export function recordCountFor(activityId: string, runId: number): number {
  let h = 7;
  for (const c of activityId) h = (h * 31 + c.charCodeAt(0)) % 997;
  return 120 + ((h * 13 + runId * 7) % 900);
}

export function createExecutor(ctx: ExecContext) {
  const { state } = ctx;
  const timers = new Map<number, ReturnType<typeof setTimeout>[]>();
  const later = (runId: number, ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      fn();
      ctx.save();
    }, ms);
    timers.set(runId, [...(timers.get(runId) ?? []), t]);
  };
  const entry = (a: Activity) => ctx.catalog.find((c) => c.kind === a.kind);
  const runOf = (id: number) => state.runs.find((r) => r.id === id);
  const tasksOf = (runId: number) => state.tasks.filter((t) => t.runId === runId);

  const log = (task: TaskRecord, wf: string, level: string, message: string) => {
    const line: LogLine = { id: state.nextLog++, taskId: task.id, activityId: task.activityId, attempt: Math.max(1, task.attempt), at: Date.now(), level, message };
    state.logs.push(line);
    ctx.emit("log", { workflowId: wf, runId: task.runId, taskId: task.id }, { level, message, activityId: task.activityId });
  };

  const updateProgress = (run: RunDetail, body: WorkflowFile) => {
    const done = new Set(tasksOf(run.id).filter((t) => DONE_TASK.includes(t.status)).map((t) => t.activityId));
    run.progress = Math.min(100, Math.round((done.size / Math.max(1, body.activities.length)) * 100));
  };

  const setRunStatus = (run: RunDetail, status: RunStatus, error: string | null = null) => {
    if (run.status === status) return;
    run.status = status;
    if (status === "running" && !run.startedAt) run.startedAt = Date.now();
    if (!isActiveRun(status)) {
      run.endedAt = Date.now();
      if (status === "completed") run.progress = 100;
      run.error = error;
      for (const t of timers.get(run.id) ?? []) clearTimeout(t);
      timers.delete(run.id);
    }
    ctx.emit("run_status", { workflowId: run.workflowId, runId: run.id }, { status, progress: run.progress });
    if (!isActiveRun(status)) ctx.onRunEnded(run);
  };

  const changed = (task: TaskRecord, run: RunDetail) =>
    ctx.emit("task_changed", { workflowId: run.workflowId, runId: run.id, taskId: task.id }, { activityId: task.activityId, status: task.status, waitReason: task.waitReason });

  const newTask = (run: RunDetail, a: Activity, status: TaskStatus, waitReason: WaitReason | null = null): TaskRecord => {
    const task: TaskRecord = {
      id: state.nextTask++,
      runId: run.id,
      activityId: a.id,
      status,
      waitReason,
      attempt: 0,
      wakeAt: null,
      port: null,
      args: a.config,
      result: null,
      recordCount: null,
      stdout: "",
      stderr: "",
      error: null,
      reused: false,
      interruptions: 0,
      createdAt: Date.now(),
      startedAt: null,
      endedAt: null,
    };
    state.tasks.push(task);
    changed(task, run);
    return task;
  };

  /** After an activity resolved (taken port or dead), follow its transitions. */
  const follow = (run: RunDetail, body: WorkflowFile, from: string, ports: string[] | null, records: number | null, skip: WaitReason | null = null) => {
    for (const tr of body.transitions.filter((t) => t.from === from)) {
      const taken = ports?.includes(tr.port) ?? false;
      let edge = state.edges.find((e) => e.runId === run.id && e.from === tr.from && e.port === tr.port && e.to === tr.to);
      if (!edge) {
        edge = { runId: run.id, from: tr.from, port: tr.port, to: tr.to, taken: 0, dead: false, records: null };
        state.edges.push(edge);
      }
      if (taken) {
        edge.taken += 1;
        edge.records = records;
      } else edge.dead = true;
      ctx.emit("edge_taken", { workflowId: run.workflowId, runId: run.id }, { from: tr.from, port: tr.port, to: tr.to, taken, records });
      arrive(run, body, tr.to, taken ? null : skip);
    }
  };

  /** An incoming transition of `to` resolved: schedule it when all its inputs are known (join) or at once. */
  const arrive = (run: RunDetail, body: WorkflowFile, to: string, skip: WaitReason | null = null) => {
    const a = body.activities.find((x) => x.id === to);
    if (!a || tasksOf(run.id).some((t) => t.activityId === to)) return;
    const incoming = body.transitions.filter((t) => t.to === to);
    const edges = incoming.map((t) => state.edges.find((e) => e.runId === run.id && e.from === t.from && e.port === t.port && e.to === t.to));
    const anyTaken = edges.some((e) => e && e.taken > 0);
    const allKnown = edges.every((e) => e && (e.taken > 0 || e.dead));
    if (a.kind === "join" && !allKnown) return;
    if (!anyTaken) {
      if (!allKnown) return;
      // Every input is dead: the activity is not reached; its outputs are dead too. What only a
      // skipped (simulation / not enabled) activity leads to is marked skipped for the same reason.
      if (skip) {
        const t = newTask(run, a, "skipped", skip);
        t.endedAt = Date.now();
      }
      follow(run, body, to, null, null, skip);
      return;
    }
    schedule(run, body, a);
  };

  const schedule = (run: RunDetail, body: WorkflowFile, a: Activity) => {
    const e = entry(a);
    if (a.mode === "disabled") {
      const t = newTask(run, a, "skipped", "disabled");
      t.endedAt = Date.now();
      follow(run, body, a.id, null, null, "disabled");
      return settle(run, body);
    }
    if (run.simulate && e?.sideEffects) {
      const t = newTask(run, a, "skipped", "simulation");
      t.endedAt = Date.now();
      follow(run, body, a.id, null, null, "simulation");
      return settle(run, body);
    }
    if (a.role === "trigger" || e?.role === "trigger") {
      const fired = run.triggerActivity ?? body.activities.find((x) => x.kind === "manual_trigger")?.id ?? body.activities.find((x) => (x.role ?? entry(x)?.role) === "trigger")?.id;
      if (fired && fired !== a.id) {
        const t = newTask(run, a, "skipped", "other_trigger");
        t.endedAt = Date.now();
        follow(run, body, a.id, null, null);
        return settle(run, body);
      }
    }
    if (a.mode === "hold") {
      newTask(run, a, "waiting", "hold");
      return settle(run, body);
    }
    if (a.kind === "wait") {
      const t = newTask(run, a, "waiting", "wait");
      log(t, run.workflowId, "info", "Waiting: execute pending tasks to continue now.");
      return settle(run, body);
    }
    const t = newTask(run, a, "ready");
    later(run.id, ctx.stepMs / 3, () => execute(run.id, t.id));
  };

  const execute = (runId: number, taskId: number) => {
    const run = runOf(runId);
    const task = state.tasks.find((t) => t.id === taskId);
    const body = run && ctx.body(run.workflowId);
    if (!run || !task || !body || !isActiveRun(run.status)) return;
    const a = body.activities.find((x) => x.id === task.activityId);
    if (!a) return;
    if (run.status === "pending") setRunStatus(run, "running");
    task.status = "running";
    task.waitReason = null;
    task.attempt += 1;
    task.startedAt = Date.now();
    changed(task, run);
    const attempt: AttemptRecord = { taskId: task.id, attempt: task.attempt, status: "running", startedAt: task.startedAt, endedAt: null, result: null, stdout: "", stderr: "", error: null };
    state.attempts.push(attempt);
    log(task, run.workflowId, "info", `${a.label || a.kind}: started (attempt ${task.attempt})`);
    later(run.id, ctx.stepMs, () => {
      if (!isActiveRun(run.status) || task.status !== "running") return;
      if (a.kind === "approval") {
        task.status = "waiting";
        task.waitReason = "approval";
        const cfg = a.config as { group?: string; message?: string };
        state.approvals.push({
          taskId: task.id,
          runId: run.id,
          workflowId: run.workflowId,
          activityId: a.id,
          group: cfg.group ?? "operators",
          message: renderTemplate(cfg.message ?? `Approve “${a.label}”?`, run.params),
          deadline: null,
          decision: null,
          comment: null,
          decidedBy: null,
          createdAt: Date.now(),
        });
        attempt.status = "running";
        log(task, run.workflowId, "info", `Waiting for approval by ${cfg.group ?? "operators"}`);
        changed(task, run);
        setRunStatus(run, "waiting_for_approval");
        return;
      }
      const ports = entry(a)?.ports ?? [];
      let taken: string[] = ports.slice(0, 1);
      if (a.kind === "condition") taken = ["true"];
      else if (a.kind === "loop") taken = ["done"];
      else if (a.kind === "fork" || a.kind === "split") taken = ports;
      const records = DATA_KINDS.has(a.kind) ? recordCountFor(a.id, run.id) : null;
      finish(run, body, task, attempt, taken, records);
    });
  };

  const finish = (run: RunDetail, body: WorkflowFile, task: TaskRecord, attempt: AttemptRecord | null, taken: string[], records: number | null) => {
    task.status = "succeeded";
    task.port = taken[0] ?? null;
    task.endedAt = Date.now();
    task.recordCount = records;
    task.result = records !== null ? { records, port: task.port } : { port: task.port };
    if (task.activityId && body.activities.find((x) => x.id === task.activityId)?.kind === "run_command") task.stdout = "report rows: 42\ndone\n";
    if (attempt) {
      attempt.status = "succeeded";
      attempt.endedAt = task.endedAt;
      attempt.result = task.result;
      attempt.stdout = task.stdout;
    }
    log(task, run.workflowId, "info", records !== null ? `Handled ${records} records` : `Done → ${task.port ?? "end"}`);
    changed(task, run);
    follow(run, body, task.activityId, taken, records);
    settle(run, body);
  };

  /** Updates progress and the run's status from its tasks. */
  const settle = (run: RunDetail, body: WorkflowFile) => {
    updateProgress(run, body);
    const tasks = tasksOf(run.id);
    if (!isActiveRun(run.status)) return;
    const approval = tasks.some((t) => t.status === "waiting" && t.waitReason === "approval");
    const busy = tasks.some((t) => t.status === "running" || t.status === "ready" || t.status === "waiting");
    if (!busy) {
      const rejected = state.approvals.some((x) => x.runId === run.id && x.decision === "reject");
      setRunStatus(run, tasks.some((t) => t.status === "failed") ? "failed" : rejected ? "rejected" : "completed");
      return;
    }
    if (!approval && run.status === "waiting_for_approval") setRunStatus(run, "running");
    ctx.emit("run_status", { workflowId: run.workflowId, runId: run.id }, { status: run.status, progress: run.progress });
  };

  const createRun = (workflowId: string, workflowName: string, revision: number, opts: { params: Record<string, unknown>; simulate: boolean; trigger: Trigger; restartOf?: number | null; restartFrom?: string | null }) => {
    const body = ctx.body(workflowId);
    const now = Date.now();
    const run: RunDetail = {
      id: state.nextRun++,
      workflowId,
      workflowName,
      revision,
      status: "pending",
      trigger: opts.trigger,
      simulate: opts.simulate,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      restartOf: opts.restartOf ?? null,
      parentRun: null,
      params: opts.params,
      vars: {},
      error: null,
      restartFrom: opts.restartFrom ?? null,
      triggerActivity: null,
      progress: 0,
    };
    state.runs.unshift(run);
    ctx.emit("run_created", { workflowId, runId: run.id }, { runId: run.id });
    if (!body) {
      setRunStatus(run, "error", "The workflow has no saved revision.");
      return run;
    }
    setRunStatus(run, "running");
    if (opts.restartOf && opts.restartFrom) {
      // Reuse the earlier run's results up to the chosen activity, then execute from it.
      const before = state.tasks.filter((t) => t.runId === opts.restartOf && t.status === "succeeded" && !reachable(body, opts.restartFrom as string).has(t.activityId));
      for (const old of before) {
        const t: TaskRecord = { ...structuredClone(old), id: state.nextTask++, runId: run.id, reused: true };
        state.tasks.push(t);
        changed(t, run);
      }
      for (const e of state.edges.filter((e) => e.runId === opts.restartOf && before.some((t) => t.activityId === e.from))) state.edges.push({ ...e, runId: run.id });
      const a = body.activities.find((x) => x.id === opts.restartFrom);
      if (a) schedule(run, body, a);
    } else {
      const start = body.activities.find((a) => a.kind === "start");
      if (start) schedule(run, body, start);
    }
    ctx.save();
    return run;
  };

  const executeNow = (taskId: number): CommandOutcome => {
    const task = state.tasks.find((t) => t.id === taskId);
    const run = task && runOf(task.runId);
    if (!task || !run) return refused(`no task ${taskId}`);
    if (task.status !== "waiting" || (task.waitReason !== "hold" && task.waitReason !== "wait" && task.waitReason !== "retry")) return refused("the task is not pending");
    task.status = "ready";
    task.waitReason = null;
    changed(task, run);
    later(run.id, 20, () => execute(run.id, task.id));
    return applied();
  };

  const answer = (taskId: number, approve: boolean, comment: string | null, by: string | null): CommandOutcome => {
    const task = state.tasks.find((t) => t.id === taskId);
    const run = task && runOf(task.runId);
    const body = run && ctx.body(run.workflowId);
    const ap = state.approvals.find((x) => x.taskId === taskId);
    if (!task || !run || !body || !ap) return refused(`no approval for task ${taskId}`);
    if (ap.decision) return refused(`already ${ap.decision === "approve" ? "approved" : "rejected"} by ${ap.decidedBy ?? "someone"}`);
    ap.decision = approve ? "approve" : "reject";
    ap.comment = comment;
    ap.decidedBy = by ?? "you";
    const attempt = state.attempts.find((x) => x.taskId === taskId && x.attempt === task.attempt) ?? null;
    log(task, run.workflowId, approve ? "info" : "warn", `${approve ? "Approved" : "Rejected"} by ${ap.decidedBy}${comment ? `: ${comment}` : ""}`);
    finish(run, body, task, attempt, [approve ? "approved" : "rejected"], null);
    return applied();
  };

  const cancel = (runId: number, why = "Cancelled"): CommandOutcome => {
    const run = runOf(runId);
    if (!run) return refused(`no run ${runId}`);
    if (!isActiveRun(run.status)) return refused("the run has already ended");
    for (const t of tasksOf(runId).filter((t) => !DONE_TASK.includes(t.status))) {
      t.status = "cancelled";
      t.endedAt = Date.now();
      log(t, run.workflowId, "warn", why);
      changed(t, run);
    }
    setRunStatus(run, "cancelled");
    return applied();
  };

  /** Resumes timers after a reload (runs that were active when the page closed). */
  const resume = () => {
    for (const run of state.runs.filter((r) => isActiveRun(r.status))) {
      for (const t of tasksOf(run.id).filter((t) => t.status === "ready" || t.status === "running")) {
        t.status = "ready";
        t.attempt = Math.max(0, t.attempt - 1);
        later(run.id, ctx.stepMs, () => execute(run.id, t.id));
      }
    }
  };

  return { createRun, executeNow, answer, cancel, resume, tasksOf };
}

/** Activities reachable from `from`, itself included. */
export function reachable(body: WorkflowFile, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const t of body.transitions.filter((x) => x.from === id)) {
      if (!seen.has(t.to)) {
        seen.add(t.to);
        stack.push(t.to);
      }
    }
  }
  return seen;
}

/** Renders `{{ params.x }}` placeholders (the engine renders full expressions; enough for the mock). */
export function renderTemplate(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{\{\s*params\.(\w+)\s*\}\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * Fills in the tasks, attempts, logs and edges of a finished run that was seeded without them
 * (demo history), by walking the graph at once: so that detail, compare and "open on canvas"
 * have something to show for old runs.
 */
export function replayFinishedRun(state: ExecState, run: RunDetail, body: WorkflowFile, catalog: CatalogEntry[]) {
  if (state.tasks.some((t) => t.runId === run.id)) return;
  const portsOf = (a: Activity): string[] => {
    const ports = catalog.find((c) => c.kind === a.kind)?.ports ?? ["ok"];
    if (a.kind === "condition") return ["true"];
    if (a.kind === "loop") return ["done"];
    if (a.kind === "approval") return [run.status === "rejected" ? "rejected" : "approved"];
    if (a.kind === "fork" || a.kind === "split") return ports;
    return ports.slice(0, 1);
  };
  const order: { a: Activity; port: string[] }[] = [];
  const seen = new Set<string>();
  const queue: Activity[] = body.activities.filter((a) => a.kind === "start");
  const fired = body.activities.find((a) => a.kind.endsWith("_trigger"));
  while (queue.length) {
    const a = queue.shift() as Activity;
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    if (a.kind.endsWith("_trigger") && fired && a.id !== fired.id) continue;
    const ports = portsOf(a);
    order.push({ a, port: ports });
    for (const t of body.transitions.filter((t) => t.from === a.id && ports.includes(t.port))) {
      const next = body.activities.find((x) => x.id === t.to);
      if (next) queue.push(next);
    }
  }
  let cut = order.length;
  if (run.status === "failed" || run.status === "error" || run.status === "cancelled") cut = Math.max(2, order.length - 2);
  const steps = order.slice(0, cut);
  const total = Math.max(1, (run.endedAt ?? run.createdAt) - (run.startedAt ?? run.createdAt));
  const each = Math.floor(total / Math.max(1, steps.length));
  steps.forEach(({ a, port }, i) => {
    const last = i === steps.length - 1 && cut < order.length;
    const status: TaskStatus = last ? (run.status === "cancelled" ? "cancelled" : "failed") : "succeeded";
    const start = (run.startedAt ?? run.createdAt) + i * each;
    const records = DATA_KINDS.has(a.kind) ? recordCountFor(a.id, run.id) : null;
    const task: TaskRecord = {
      id: state.nextTask++,
      runId: run.id,
      activityId: a.id,
      status,
      waitReason: null,
      attempt: 1,
      wakeAt: null,
      port: status === "succeeded" ? port[0] : null,
      args: a.config,
      result: status === "succeeded" ? (records !== null ? { records, port: port[0] } : { port: port[0] }) : null,
      recordCount: records,
      stdout: "",
      stderr: status === "failed" ? "exit status 1\n" : "",
      error: status === "failed" ? (run.error ?? "Failed") : null,
      reused: false,
      interruptions: 0,
      createdAt: start,
      startedAt: start,
      endedAt: start + Math.max(1, each - 5),
    };
    state.tasks.push(task);
    state.attempts.push({ taskId: task.id, attempt: 1, status, startedAt: start, endedAt: task.endedAt as number, result: task.result, stdout: "", stderr: task.stderr, error: task.error });
    state.logs.push({ id: state.nextLog++, taskId: task.id, activityId: a.id, attempt: 1, at: start, level: status === "failed" ? "error" : status === "cancelled" ? "warn" : "info", message: status === "succeeded" ? `Done → ${port[0] ?? "end"}` : (task.error ?? "Cancelled") });
    if (status !== "succeeded") return;
    for (const t of body.transitions.filter((t) => t.from === a.id)) {
      const taken = port.includes(t.port) && steps.some((s) => s.a.id === t.to);
      state.edges.push({ runId: run.id, from: t.from, port: t.port, to: t.to, taken: taken ? 1 : 0, dead: !port.includes(t.port), records: taken ? records : null });
    }
  });
}
