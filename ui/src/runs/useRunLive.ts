//! A run's detail, tasks, edges and open approvals, kept live from engine events.
import { useEffect, useState } from "react";
import { backend } from "../bridge";
import type { ApprovalRecord, EdgeRecord, RunDetail, TaskRecord, WorkflowFile } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { answerOrder, coalesce, onLive } from "../operate/liveEvents";

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
    // The first load also fetches the workflow, so it is the slowest: it often answers last.
    const order = answerOrder();
    const refresh = coalesce(() => {
      const ticket = order.start();
      loadRun(runId)
        .then(async (d) => {
          const needsBody = wf !== d.run.workflowId;
          const body = needsBody
            ? await backend
                .getWorkflow(d.run.workflowId)
                .then((w) => w.body)
                .catch(() => null)
            : null;
          if (!live || !order.show(ticket)) return;
          if (needsBody) wf = d.run.workflowId;
          setData((prev) => ({ ...d, body: body ?? prev.body, error: null }));
        })
        .catch((e) => live && order.show(ticket) && setData((prev) => ({ ...prev, error: errorMessage(e) })));
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
