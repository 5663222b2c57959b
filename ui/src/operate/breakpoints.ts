//! The breakpoints of the workflow open in the editor: kept beside it in the store (not in its
//! file), loaded when it opens, toggled on the selection (F9); the canvas draws a dot for each.
import { create } from "zustand";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { Breakpoint } from "../bridge/types";
import { errorMessage } from "../bridge/types";

type BreakpointsState = {
  workflowId: string | null;
  list: Breakpoint[];
  load: (workflowId: string) => Promise<void>;
  clear: () => void;
  /** Adds a breakpoint before each activity that has none, or removes theirs when all have one. */
  toggle: (activityIds: string[]) => Promise<void>;
  /** Replaces the whole list; the engine checks each (WEFT-X008) and keeps all or none. Throws
   * what the engine answered so a dialog can show it where the person is. */
  replace: (list: Breakpoint[]) => Promise<void>;
  /** The Breakpoints dialog: open, with a new row for this activity when given. */
  dialog: { forActivity: string | null } | null;
  openDialog: (forActivity?: string | null) => void;
  closeDialog: () => void;
};

export const useBreakpoints = create<BreakpointsState>((set, get) => ({
  workflowId: null,
  list: [],
  load: async (workflowId) => {
    set({ workflowId, list: [] });
    try {
      const list = await backend.getBreakpoints(workflowId);
      if (get().workflowId === workflowId) set({ list });
    } catch (e) {
      toast(`Breakpoints: ${errorMessage(e)}`, "error");
    }
  },
  clear: () => set({ workflowId: null, list: [], dialog: null }),
  replace: async (next) => {
    const { workflowId } = get();
    if (!workflowId) return;
    const saved = await backend.setBreakpoints(workflowId, next);
    if (get().workflowId === workflowId) set({ list: saved });
  },
  dialog: null,
  openDialog: (forActivity = null) => set({ dialog: { forActivity } }),
  closeDialog: () => set({ dialog: null }),
  toggle: async (activityIds) => {
    const { workflowId, list } = get();
    if (!workflowId || activityIds.length === 0) return;
    const has = (id: string) => list.some((b) => b.activity === id && b.kind !== "transition");
    const next = activityIds.every(has)
      ? list.filter((b) => b.kind === "transition" || !activityIds.includes(b.activity))
      : [...list, ...activityIds.filter((id) => !has(id)).map((activity): Breakpoint => ({ kind: "before", activity, port: null, to: null, condition: null }))];
    try {
      const saved = await backend.setBreakpoints(workflowId, next);
      if (get().workflowId === workflowId) set({ list: saved });
    } catch (e) {
      // An activity not saved yet is not in the stored workflow: the engine refuses (WEFT-X008).
      toast(`Breakpoint: ${errorMessage(e)}`, "error");
    }
  },
}));

/** Whether an activity has a breakpoint (before or after it), and which, for its dot's hint. */
export function breakpointHint(list: Breakpoint[], activityId: string): string | null {
  const mine = list.filter((b) => b.activity === activityId && b.kind !== "transition");
  if (mine.length === 0) return null;
  return mine.map((b) => `Breakpoint ${b.kind}${b.condition ? ` when ${b.condition}` : ""}`).join("\n");
}

/** Whether a transition has a breakpoint, and which, for its dot's hint. */
export function transitionBreakpointHint(list: Breakpoint[], t: { from: string; port: string; to: string }): string | null {
  const mine = list.filter((b) => b.kind === "transition" && b.activity === t.from && (b.port ?? "ok") === t.port && b.to === t.to);
  if (mine.length === 0) return null;
  return mine.map((b) => `Breakpoint when taken${b.condition ? `, if ${b.condition}` : ""}`).join("\n");
}

/** A breakpoint in the command line's words (`q:after=tasks.q.recordCount > 10`, `a:ok->b`). */
export function breakpointSpec(b: Breakpoint): string {
  const place = b.kind === "transition" ? `${b.activity}${b.port && b.port !== "ok" ? `:${b.port}` : ""}->${b.to ?? "?"}` : `${b.activity}:${b.kind}`;
  return b.condition ? `${place}=${b.condition}` : place;
}
