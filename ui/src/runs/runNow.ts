//! Run now: asks for the workflow's parameters first when it has any, then queues the run.
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

export async function queueRun(workflowId: string, name: string, params: Record<string, unknown>) {
  try {
    await backend.sendCommand(workflowId, { type: "run_now", params, simulate: false });
    toast(`Queued a run of “${name}”`);
    return true;
  } catch (e) {
    toast(`Could not run: ${errorMessage(e)}`, "error");
    return false;
  }
}

/** Run now for a workflow: the parameter form first when its saved revision has parameters. */
export async function requestRunNow(workflowId: string) {
  try {
    const { body, summary } = await backend.getWorkflow(workflowId);
    if (hasParameters(body)) useRunNow.setState({ pending: { workflowId, name: summary.name, schema: body.parameters } });
    else await queueRun(workflowId, summary.name, {});
  } catch (e) {
    toast(`Could not run: ${errorMessage(e)}`, "error");
  }
}
