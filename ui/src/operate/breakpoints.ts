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
  clear: () => set({ workflowId: null, list: [] }),
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
