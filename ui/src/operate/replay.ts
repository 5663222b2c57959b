//! Replay of a past run: the canvas overlay (activity states, `574 - Ok` on transitions, a
//! duration heat colour) as of any moment T, folded from the run's timeline (`runTimeline`, read
//! in pages). `stateAt` is the definition; `Replayer` gives the same answers quickly while the
//! playhead moves both ways over tens of thousands of entries (snapshots every few thousand).
import type { EdgeRecord, TimelineEntry } from "../bridge/types";
import { taskVisual } from "../runs/status";
import { type ActivityRunState, edgeKey } from "./canvasRun";

type Visual = ActivityRunState["visual"];

/** What one activity looks like so far: its newest task decides the state. */
type ActivityFold = {
  lastTask: number;
  visual: Visual;
  recordCount: number | null;
  /** Time of its ended tasks (first attempt's start to end). */
  endedMs: number;
  /** Its tasks started and not yet ended: task id → first start. */
  open: Record<number, number>;
  /** Whether any of its tasks has started (a duration is known, if only 0 ms). */
  ran: boolean;
};

/** The fold of a timeline up to some entry. Plain data: a snapshot is a copy. */
export type Fold = {
  activities: Record<string, ActivityFold>;
  edges: Record<string, EdgeRecord>;
  /** First start of each task seen, until it ends. */
  starts: Record<number, number>;
  /** Attempts of each task started, until it ends. */
  attempts: Record<number, number>;
};

export const emptyFold = (): Fold => ({ activities: {}, edges: {}, starts: {}, attempts: {} });

function copyFold(f: Fold): Fold {
  const activities: Record<string, ActivityFold> = {};
  for (const [k, a] of Object.entries(f.activities)) activities[k] = { ...a, open: { ...a.open } };
  const edges: Record<string, EdgeRecord> = {};
  for (const [k, e] of Object.entries(f.edges)) edges[k] = { ...e };
  return { activities, edges, starts: { ...f.starts }, attempts: { ...f.attempts } };
}

/** Applies one timeline entry (mutates `f`). Mirrors how the store adds up transitions. */
export function apply(f: Fold, e: TimelineEntry): void {
  if (e.kind === "edge_taken" || e.kind === "edge_dead") {
    const key = edgeKey({ from: e.activityId, port: e.port ?? "ok", to: e.to ?? "" });
    const prev = f.edges[key] ?? { from: e.activityId, port: e.port ?? "ok", to: e.to ?? "", taken: 0, dead: false, records: null };
    f.edges[key] =
      e.kind === "edge_taken"
        ? { ...prev, taken: prev.taken + 1, dead: false, records: e.records === null ? prev.records : (prev.records ?? 0) + e.records }
        : { ...prev, dead: true };
    return;
  }
  const task = e.taskId ?? 0;
  let a = f.activities[e.activityId];
  if (!a) {
    a = { lastTask: task, visual: "running", recordCount: null, endedMs: 0, open: {}, ran: false };
    f.activities[e.activityId] = a;
  }
  // An older task of the activity (a parallel one) changes its time, not its state.
  const decides = task >= a.lastTask;
  if (decides) a.lastTask = task;
  switch (e.kind) {
    case "task_created":
      // Scheduled, as the live overlay shows a ready task.
      if (decides) a.visual = "running";
      break;
    case "attempt_started":
      f.attempts[task] = Math.max(f.attempts[task] ?? 0, e.attempt ?? 1);
      a.ran = true;
      if (f.starts[task] === undefined) {
        f.starts[task] = e.at;
        a.open[task] = e.at;
      }
      if (decides) a.visual = "running";
      break;
    case "approval_opened":
      // Waits for a person's answer until the task ends.
      if (decides) a.visual = "approval";
      break;
    case "attempt_ended":
      // A failed attempt waits for its retry until the next one starts or the task ends.
      if (decides && e.status === "failed") a.visual = "pending";
      break;
    case "task_ended": {
      const start = f.starts[task];
      const attempts = f.attempts[task] ?? 0;
      delete f.attempts[task];
      if (start !== undefined) {
        a.endedMs += Math.max(0, e.at - start);
        delete f.starts[task];
        delete a.open[task];
      }
      if (decides) {
        const v = taskVisual({ status: e.status ?? "succeeded", waitReason: e.waitReason });
        // As on the live overlay: cancelled is orange, and so is a success after retries or
        // with errors written.
        a.visual = v === "cancelled" ? "warning" : v === "done" && (attempts > 1 || e.warned) ? "warning" : v;
        a.recordCount = e.records;
      }
      break;
    }
  }
}

/** What the canvas overlay shows at one moment. */
export type ReplayFrame = {
  byActivity: Record<string, ActivityRunState>;
  edges: Record<string, EdgeRecord>;
};

/**
 * The overlay as of time `t`: every entry at or before `t` applied. Each card's duration counts
 * its running tasks up to `t`; `heat` is its duration against the longest one (0 to 1).
 * `previous` lets unchanged cards and transitions keep their objects (fewer re-renders).
 */
export function frameOf(f: Fold, t: number, previous?: ReplayFrame): ReplayFrame {
  const durations: Record<string, number> = {};
  let longest = 0;
  for (const [id, a] of Object.entries(f.activities)) {
    let ms = a.endedMs;
    for (const start of Object.values(a.open)) ms += Math.max(0, t - start);
    durations[id] = ms;
    longest = Math.max(longest, ms);
  }
  const byActivity: Record<string, ActivityRunState> = {};
  for (const [id, a] of Object.entries(f.activities)) {
    const durationMs = a.ran ? durations[id] : null;
    const heat = longest > 0 && durationMs !== null ? Math.round((durationMs / longest) * 100) / 100 : null;
    const old = previous?.byActivity[id];
    byActivity[id] =
      old && old.visual === a.visual && old.durationMs === durationMs && old.recordCount === a.recordCount && old.heat === heat
        ? old
        : { visual: a.visual, tasks: [], durationMs, recordCount: a.recordCount, heat };
  }
  const edges: Record<string, EdgeRecord> = {};
  for (const [k, e] of Object.entries(f.edges)) {
    const old = previous?.edges[k];
    edges[k] = old && old.taken === e.taken && old.dead === e.dead && old.records === e.records ? old : { ...e };
  }
  return { byActivity, edges };
}

/** How many entries are at or before `t` (entries are in time order). */
export function countUntil(entries: TimelineEntry[], t: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The overlay as of time `t`, folded from the start: the definition `Replayer` follows. */
export function stateAt(entries: TimelineEntry[], t: number): ReplayFrame {
  const f = emptyFold();
  const n = countUntil(entries, t);
  for (let i = 0; i < n; i++) apply(f, entries[i]);
  return frameOf(f, t);
}

/** Entries between two snapshots. */
const SNAPSHOT_EVERY = 2_000;

/**
 * `stateAt` for a playhead that moves: forward it applies only the entries passed; backward it
 * starts again from the nearest snapshot before `t`. Entries may be appended (the next page)
 * while it plays.
 */
export class Replayer {
  private entries: TimelineEntry[] = [];
  private snapshots: Fold[] = [emptyFold()];
  private fold: Fold = emptyFold();
  private applied = 0;
  private last: ReplayFrame | undefined;

  /** Adds the next page of the timeline. */
  append(page: TimelineEntry[]): void {
    this.entries.push(...page);
  }

  get length(): number {
    return this.entries.length;
  }

  /** The overlay as of `t` (the same as `stateAt(entries, t)`). */
  seek(t: number): ReplayFrame {
    const target = countUntil(this.entries, t);
    if (target < this.applied) {
      const k = Math.floor(target / SNAPSHOT_EVERY);
      this.fold = copyFold(this.snapshots[k]);
      this.applied = k * SNAPSHOT_EVERY;
    }
    while (this.applied < target) {
      apply(this.fold, this.entries[this.applied]);
      this.applied++;
      if (this.applied % SNAPSHOT_EVERY === 0 && this.snapshots.length === this.applied / SNAPSHOT_EVERY) {
        this.snapshots.push(copyFold(this.fold));
      }
    }
    this.last = frameOf(this.fold, t, this.last);
    return this.last;
  }
}

/** Playback speeds offered (× real time). */
export const SPEEDS = [1, 4, 16, 64, 256] as const;

/** "0:04.250", "12:03.000", "1:02:03.000": time since the run began. */
export function clockLabel(ms: number): string {
  const v = Math.max(0, Math.round(ms));
  const h = Math.floor(v / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const s = Math.floor((v % 60_000) / 1000);
  const frac = String(v % 1000).padStart(3, "0");
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}.${frac}` : `${m}:${ss}.${frac}`;
}
