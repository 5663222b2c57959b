//! Which screen is shown: the workflows list, one workflow's editor or detail page, the runs
//! history, the Schedulers view…
import { create } from "zustand";

export type View =
  | { name: "list" }
  /** `runId`: a run shown on the canvas (live while active); `replay`: its history played;
   * `compare`: two runs side by side on it. */
  | { name: "editor"; id: string; runId?: number | null; replay?: boolean; compare?: [number, number] | null }
  | { name: "runs"; workflowId: string | null }
  | { name: "run"; id: number }
  /** `runId`: the run a `weft://approve/RUN` link points at, shown first. */
  | { name: "approvals"; runId?: number | null }
  | { name: "contacts" }
  | { name: "schedulers" }
  /** A workflow's detail page: schedule, recent runs, approvals waiting. */
  | { name: "workflow"; id: string };

type NavState = {
  view: View;
  /** Asked before leaving the editor; returns false to stay. Set by the editor while mounted. */
  guard: (() => Promise<boolean>) | null;
  go: (view: View) => Promise<void>;
};

/**
 * The first screen: a window opened on one workflow (`#/workflow/<id>`, see the shell's
 * `open_workflow_window`) starts in its editor; any other window on the workflows list.
 */
export function initialView(hash: string = typeof location === "undefined" ? "" : location.hash): View {
  const m = /^#\/workflow\/(.+)$/.exec(hash);
  if (!m) return { name: "list" };
  try {
    return { name: "editor", id: decodeURIComponent(m[1]) };
  } catch {
    return { name: "list" };
  }
}

export const useNav = create<NavState>((set, get) => ({
  view: initialView(),
  guard: null,
  go: async (view) => {
    const { guard } = get();
    if (guard && !(await guard())) return;
    set({ view });
  },
}));
