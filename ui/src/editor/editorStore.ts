//! The workflow being edited: its body with undo/redo, the last saved revision, the selection.
import { create } from "zustand";
import type { WorkflowFile, WorkflowSummary } from "../bridge/types";
import type { Edit } from "./edits";
import { type History, record, redo, replace, startHistory, undo } from "./history";
import { lackingNow } from "../app/sessionStore";
import { toast } from "../app/toastStore";

/** Whether the caller may edit; when not, says why once per attempt (keyboard, paste, drop). */
function mayEdit(): boolean {
  const why = lackingNow("update");
  if (why) toast(why, "error");
  return !why;
}

type EditorState = {
  workflowId: string | null;
  summary: WorkflowSummary | null;
  /** The last saved revision (what Cancel goes back to). */
  saved: WorkflowFile | null;
  /**
   * The number of that revision: a save is made from it, and the engine refuses it when another
   * revision was saved since (elsewhere). Not `summary.revision`, which follows engine events.
   */
  base: number | null;
  history: History | null;
  selection: string[];
  /** Body before a live change (a drag) that `commit` will record as one step. */
  liveBase: WorkflowFile | null;
  open: (summary: WorkflowSummary, body: WorkflowFile) => void;
  close: () => void;
  /** Applies an edit as one undoable step. */
  apply: (edit: Edit) => void;
  /** Applies an edit without a step (while dragging); `commit` records the whole change. */
  live: (edit: Edit) => void;
  commit: () => void;
  undo: () => void;
  redo: () => void;
  select: (ids: string[]) => void;
  markSaved: (summary: WorkflowSummary, body: WorkflowFile) => void;
};

export const useEditor = create<EditorState>((set, get) => ({
  workflowId: null,
  summary: null,
  saved: null,
  base: null,
  history: null,
  selection: [],
  liveBase: null,
  open: (summary, body) =>
    set({ workflowId: summary.id, summary, saved: body, base: summary.revision, history: startHistory(body), selection: [], liveBase: null }),
  close: () => set({ workflowId: null, summary: null, saved: null, base: null, history: null, selection: [], liveBase: null }),
  apply: (edit) => {
    const h = get().history;
    if (!h || !mayEdit()) return;
    set({ history: record(h, edit(h.present)) });
  },
  live: (edit) => {
    const h = get().history;
    if (!h || lackingNow("update")) return;
    set({ liveBase: get().liveBase ?? h.present, history: replace(h, edit(h.present)) });
  },
  commit: () => {
    const { history: h, liveBase } = get();
    if (!h || !liveBase) return;
    const moved = h.present;
    set({ liveBase: null, history: record({ ...h, present: liveBase }, moved) });
  },
  undo: () => {
    const h = get().history;
    if (h) set({ history: undo(h) });
  },
  redo: () => {
    const h = get().history;
    if (h) set({ history: redo(h) });
  },
  select: (ids) => set({ selection: ids }),
  markSaved: (summary, body) => set({ summary, saved: body, base: summary.revision }),
}));

/** The body being edited (null when no workflow is open). */
export const useBody = () => useEditor((s) => s.history?.present ?? null);
export const currentBody = () => useEditor.getState().history?.present ?? null;

/** True when the body differs from the last saved revision. */
export function isDirty(s: Pick<EditorState, "history" | "saved">): boolean {
  if (!s.history || !s.saved) return false;
  return s.history.present !== s.saved && JSON.stringify(s.history.present) !== JSON.stringify(s.saved);
}
export const useDirty = () => useEditor(isDirty);
