//! What the canvas shows instead of the workflow being edited: a revision diff or two runs side
//! by side (editing is off meanwhile). Read by the canvas, its cards and transitions, and the
//! comparison strip; set by `show.ts`.
import { create } from "zustand";
import type { DiffView } from "./diffView";
import type { RunsView } from "./runsView";

export type CanvasComparison = DiffView | RunsView;

type CompareState = {
  view: CanvasComparison | null;
  /** Changes with each view shown: the canvas frames each one afresh. */
  seq: number;
  /** The activity whose list of changed fields is open (a click on its Changed badge). */
  openChanges: string | null;
  show: (view: CanvasComparison) => void;
  close: () => void;
  toggleChanges: (id: string) => void;
};

export const useCompare = create<CompareState>((set, get) => ({
  view: null,
  seq: 0,
  openChanges: null,
  show: (view) => set({ view, seq: get().seq + 1, openChanges: null }),
  close: () => set({ view: null, openChanges: null }),
  toggleChanges: (id) => set({ openChanges: get().openChanges === id ? null : id }),
}));

/** Whether the canvas shows a comparison (and editing is off). */
export const isComparing = () => useCompare.getState().view !== null;
