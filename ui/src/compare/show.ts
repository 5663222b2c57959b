//! Loads what a comparison needs from the engine and shows it on the canvas: two revisions and
//! their diff, or two runs with their tasks, transitions and revisions.
import { backend } from "../bridge";
import { diffView } from "./diffView";
import { useCompare } from "./compareStore";
import { type RunSide, runsView } from "./runsView";

/** Draws the diff of revision `from` → `to` of a workflow on the canvas. */
export async function showDiffOnCanvas(workflowId: string, from: number, to: number): Promise<void> {
  const [before, after, diff] = await Promise.all([
    backend.getRevision(workflowId, from),
    backend.getRevision(workflowId, to),
    backend.diffRevisions(workflowId, from, to),
  ]);
  useCompare.getState().show(diffView(before, after, diff));
}

async function loadSide(id: number): Promise<RunSide> {
  const [run, tasks, edges] = await Promise.all([backend.getRun(id), backend.runTasks(id), backend.runEdges(id)]);
  const body = await backend.getRevision(run.workflowId, run.revision);
  return { run, tasks, edges, body };
}

/** Draws two runs of one workflow side by side on the canvas. */
export async function showRunsOnCanvas(a: number, b: number): Promise<void> {
  const [sa, sb] = await Promise.all([loadSide(a), loadSide(b)]);
  useCompare.getState().show(runsView(sa, sb));
}
