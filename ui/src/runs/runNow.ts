//! Run now: opens the run dialog for a workflow (parameter form, then the live run).
import { create } from "zustand";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { WorkflowFile } from "../bridge/types";
import { errorMessage } from "../bridge/types";

type RunNowState = {
  pending: { workflowId: string; name: string; schema: Record<string, unknown> } | null;
  close: () => void;
};

export const useRunNow = create<RunNowState>((set) => ({ pending: null, close: () => set({ pending: null }) }));

export const hasParameters = (body: Pick<WorkflowFile, "parameters">) =>
  Object.keys(((body.parameters as { properties?: object })?.properties ?? {}) as object).length > 0;

/** Opens the run dialog for a workflow's saved revision. */
export async function requestRunNow(workflowId: string) {
  try {
    const { body, summary } = await backend.getWorkflow(workflowId);
    useRunNow.setState({ pending: { workflowId, name: summary.name, schema: body.parameters } });
  } catch (e) {
    toast(`Could not run: ${errorMessage(e)}`, "error");
  }
}
