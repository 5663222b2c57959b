//! Approvals: every approval waiting across workflows, oldest first, with Approve / Reject and a
//! comment, and links to the run and the workflow.
import { Bell, ExternalLink, Map as MapIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useNav } from "../app/navStore";
import { backend, inTauri } from "../bridge";
import type { WorkflowFile } from "../bridge/types";
import { ApprovalBox } from "../runs/parts";
import { formatTime } from "../runs/status";
import { useWorkflows } from "../workflows/workflowsStore";
import { useApprovals, watchApprovals } from "./approvalsStore";

/** `runId`: the run a `weft://approve/RUN` link named; its approvals are marked and shown first. */
export function ApprovalsScreen({ runId = null }: { runId?: number | null }) {
  const items = useApprovals((s) => s.items);
  const loaded = useApprovals((s) => s.loaded);
  const workflows = useWorkflows((s) => s.items);
  const go = useNav((s) => s.go);
  const [bodies, setBodies] = useState<Record<string, WorkflowFile>>({});
  useEffect(() => {
    watchApprovals();
    void useApprovals.getState().refresh();
    void useWorkflows.getState().refresh();
  }, []);
  useEffect(() => {
    for (const id of new Set(items.map((a) => a.workflowId))) {
      if (!bodies[id]) void backend.getWorkflow(id).then((w) => setBodies((b) => ({ ...b, [id]: w.body })));
    }
  }, [items, bodies]);
  const label = (wf: string, a: string) => bodies[wf]?.activities.find((x) => x.id === a)?.label || a;
  // In a browser, notifications need the person's leave, asked from a click.
  const [permission, setPermission] = useState(() => (!inTauri && typeof Notification !== "undefined" ? Notification.permission : null));
  return (
    <div className="page">
      <div className="page-inner">
        <div className="page-head">
          <div>
            <h1>Approvals</h1>
            <p>Steps waiting for an operator, across every workflow. The first answer wins.</p>
          </div>
          {permission === "default" && (
            <button type="button" className="btn sm" onClick={() => void Notification.requestPermission().then(setPermission)}>
              <Bell size={14} /> Notify me
            </button>
          )}
          {permission === "granted" && (
            <span className="muted" data-testid="notices-on">
              <Bell size={13} style={{ verticalAlign: -2 }} /> New approvals are notified
            </span>
          )}
        </div>
        {loaded && items.length === 0 && (
          <div className="empty">
            <h3>Nothing waits for you</h3>
            <p>Approval steps of running workflows appear here.</p>
          </div>
        )}
        {loaded && runId !== null && !items.some((a) => a.runId === runId) && (
          <p className="muted" data-testid="approval-run-none">
            Run #{runId} waits for no approval now.
          </p>
        )}
        <div className="approvals-list">
          {[...items.filter((a) => a.runId === runId), ...items.filter((a) => a.runId !== runId)].map((a) => (
            <div key={a.taskId} className={`approval-item${a.runId === runId ? " focused" : ""}`} data-testid="approval-item" data-run={a.runId}>
              <div className="ai-meta">
                <strong>{workflows.find((w) => w.id === a.workflowId)?.name ?? a.workflowId}</strong>
                <span className="muted">
                  Run #{a.runId} · waiting since {formatTime(a.createdAt)}
                  {a.deadline ? ` · deadline ${formatTime(a.deadline)}` : ""}
                </span>
                <div className="spacer" />
                <button type="button" className="btn ghost sm" onClick={() => void go({ name: "editor", id: a.workflowId, runId: a.runId })}>
                  <MapIcon size={13} /> On canvas
                </button>
                <button type="button" className="btn ghost sm" onClick={() => void go({ name: "run", id: a.runId })}>
                  <ExternalLink size={13} /> Run detail
                </button>
              </div>
              <ApprovalBox approval={a} label={label(a.workflowId, a.activityId)} workflowId={a.workflowId} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
