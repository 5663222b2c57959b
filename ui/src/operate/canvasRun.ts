//! The run shown on the canvas (live while active, or any past run): per-activity state, edge
//! counts, and whether durations are shown. Fed by `CanvasRunBar`, read by nodes and edges.
import { create } from "zustand";
import type { ApprovalRecord, EdgeRecord, RerunPreview, RunDetail, TaskRecord } from "../bridge/types";
import { taskVisual } from "../runs/status";

export type ActivityRunState = {
  /** What the card shows: outline, blink, animation, red, orange, grey. */
  visual: "done" | "running" | "pending" | "approval" | "failed" | "warning" | "skipped";
  /** The activity's tasks in this run, in scheduling order. */
  tasks: TaskRecord[];
  /** Total time of its tasks (ms), when known. */
  durationMs: number | null;
  recordCount: number | null;
  /** In a replay: its duration against the longest so far, 0 to 1 (the card's heat colour). */
  heat?: number | null;
};

type CanvasRunState = {
  runId: number | null;
  /** The run being replayed (its overlay then comes from the replay, not the live run). */
  replay: number | null;
  run: RunDetail | null;
  byActivity: Record<string, ActivityRunState>;
  edges: Record<string, EdgeRecord>;
  approvals: ApprovalRecord[];
  showDurations: boolean;
  logsFor: string | null;
  /** The activity whose task the inspector shows. */
  inspectFor: string | null;
  /** A re-run after an edit being considered: the canvas marks what it reuses and runs again. */
  rerun: RerunPreview | null;
  set: (patch: Partial<Omit<CanvasRunState, "set">>) => void;
};

export const useCanvasRun = create<CanvasRunState>((set) => ({
  runId: null,
  replay: null,
  run: null,
  byActivity: {},
  edges: {},
  approvals: [],
  showDurations: false,
  logsFor: null,
  inspectFor: null,
  rerun: null,
  set: (patch) => set(patch),
}));

export const edgeKey = (e: { from: string; port: string; to: string }) => `${e.from}:${e.port}->${e.to}`;

/** Folds a run's tasks into one state per activity (the last task decides; warnings orange). */
export function activityStates(tasks: TaskRecord[]): Record<string, ActivityRunState> {
  const out: Record<string, ActivityRunState> = {};
  for (const t of [...tasks].sort((a, b) => a.id - b.id)) {
    const prev = out[t.activityId];
    // Appended in place (the lists are this call's own) and durations added up as it goes: a run
    // of 10,000 tasks folds in one pass.
    const list = prev?.tasks ?? [];
    list.push(t);
    const v = taskVisual(t);
    let visual: ActivityRunState["visual"] = v === "cancelled" ? "warning" : v;
    // A success after retries, or with errors on stderr, is a warning.
    if (visual === "done" && (t.attempt > 1 || t.stderr.trim() !== "")) visual = "warning";
    const ran = t.startedAt && t.endedAt ? t.endedAt - t.startedAt : null;
    out[t.activityId] = {
      visual,
      tasks: list,
      durationMs: ran === null ? (prev?.durationMs ?? null) : (prev?.durationMs ?? 0) + ran,
      recordCount: t.recordCount,
    };
  }
  return out;
}

/** The transition label while a run is shown: `574 - Ok` when records went through. */
export function edgeLabel(e: EdgeRecord | undefined): string | null {
  if (!e || e.records === null || e.taken === 0) return null;
  const word = e.port.charAt(0).toUpperCase() + e.port.slice(1);
  return `${e.records} - ${word}`;
}

/**
 * How a transition is painted: as the comparison shown marks it (`compareClass`), else as the run
 * shown took it, else plainly. One rule for the cards' curves and for the far drawing's.
 */
export function transitionClass(compareClass: string, runShown: boolean, record: EdgeRecord | undefined): string {
  if (compareClass) return compareClass;
  if (!runShown) return "";
  return record?.taken ? "run-taken" : record?.dead ? "run-dead" : "run-idle";
}

/** How a re-run after an edit treats an activity: its recorded result reused, run again, or
 * run again because it changed. */
export type RerunMark = "reused" | "again" | "changed";

export function rerunMark(preview: RerunPreview | null, activityId: string): RerunMark | null {
  if (!preview) return null;
  if (preview.changed.includes(activityId)) return "changed";
  if (preview.reused.includes(activityId)) return "reused";
  return preview.runAgain.includes(activityId) ? "again" : null;
}
