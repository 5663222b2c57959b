//! Diagnostics of the body being edited, from the backend's `validate_workflow` (debounced).
import { create } from "zustand";
import { backend } from "../bridge";
import type { Diagnostic, WorkflowFile } from "../bridge/types";

type ValidationState = {
  diagnostics: Diagnostic[];
  checkedBody: WorkflowFile | null;
  schedule: (body: WorkflowFile) => void;
  clear: () => void;
};

const DEBOUNCE_MS = 250;
let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

export const useValidation = create<ValidationState>((set, get) => ({
  diagnostics: [],
  checkedBody: null,
  schedule: (body) => {
    if (get().checkedBody === body) return;
    clearTimeout(timer);
    const mine = ++generation;
    timer = setTimeout(async () => {
      try {
        const diagnostics = await backend.validateWorkflow(body);
        if (mine === generation) set({ diagnostics, checkedBody: body });
      } catch (e) {
        if (mine === generation)
          set({
            diagnostics: [{ activity: null, path: null, code: "WEFT-D000", message: String((e as Error)?.message ?? e), severity: "error" }],
            checkedBody: body,
          });
      }
    }, DEBOUNCE_MS);
  },
  clear: () => {
    clearTimeout(timer);
    generation++;
    set({ diagnostics: [], checkedBody: null });
  },
}));

/** Diagnostics grouped by activity id. */
export function byActivity(diags: Diagnostic[]): Map<string, Diagnostic[]> {
  const m = new Map<string, Diagnostic[]>();
  for (const d of diags) if (d.activity) m.set(d.activity, [...(m.get(d.activity) ?? []), d]);
  return m;
}
