//! A run's detail, tasks, edges and open approvals, kept live from engine events.
import { useEffect, useState } from "react";
import { backend } from "../bridge";
import type { ApprovalRecord, EdgeRecord, RunDetail, TaskRecord, WorkflowFile } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { coalesce, onLive } from "../operate/liveEvents";

export type RunLive = {
  run: RunDetail | null;
  tasks: TaskRecord[];
  edges: EdgeRecord[];
  approvals: ApprovalRecord[];
  /** The workflow (latest revision) for activity labels. */
  body: WorkflowFile | null;
  error: string | null;
};

export async function loadRun(runId: number) {
  const [run, tasks, edges, approvals] = await Promise.all([backend.getRun(runId), backend.runTasks(runId), backend.runEdges(runId), backend.openApprovals()]);
  return { run, tasks, edges, approvals: approvals.filter((a) => a.runId === runId) };
}

export function useRunLive(runId: number | null): RunLive {
  const [data, setData] = useState<RunLive>({ run: null, tasks: [], edges: [], approvals: [], body: null, error: null });
  useEffect(() => {
    if (runId === null) {
      setData({ run: null, tasks: [], edges: [], approvals: [], body: null, error: null });
      return;
    }
    let live = true;
    let wf: string | null = null;
    const refresh = coalesce(() => {
      loadRun(runId)
        .then(async (d) => {
          if (!live) return;
          let body: WorkflowFile | null = null;
          if (wf !== d.run.workflowId) {
            wf = d.run.workflowId;
            body = await backend
              .getWorkflow(wf)
              .then((w) => w.body)
              .catch(() => null);
          }
          if (live) setData((prev) => ({ ...d, body: body ?? prev.body, error: null }));
        })
        .catch((e) => live && setData((prev) => ({ ...prev, error: errorMessage(e) })));
    }, 50);
    refresh();
    const off = onLive((e) => {
      if (e.runId === runId || e.kind === "purged") refresh();
    });
    return () => {
      live = false;
      off();
    };
  }, [runId]);
  return data;
}

/** An activity's display label in a workflow (its id when unknown). */
export const labelOf = (body: WorkflowFile | null, activityId: string) => {
  const a = body?.activities.find((x) => x.id === activityId);
  return a?.label || activityId;
};
