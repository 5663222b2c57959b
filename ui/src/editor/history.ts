//! Undo/redo over workflow bodies: a pure value, so it is tested without React.
import type { WorkflowFile } from "../bridge/types";

export type History = { past: WorkflowFile[]; present: WorkflowFile; future: WorkflowFile[] };

const LIMIT = 200;

export function startHistory(body: WorkflowFile): History {
  return { past: [], present: body, future: [] };
}

/** Records `next` as a new step (nothing when it is the same object, i.e. a no-op edit). */
export function record(h: History, next: WorkflowFile): History {
  if (next === h.present) return h;
  return { past: [...h.past, h.present].slice(-LIMIT), present: next, future: [] };
}

/** Replaces the present without a step (live dragging); `commit` later records from `base`. */
export function replace(h: History, next: WorkflowFile): History {
  return { ...h, present: next };
}

export function undo(h: History): History {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
