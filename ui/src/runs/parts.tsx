//! Small pieces shared by the run dialog, the run detail and the runs history.
import { useLacking } from "../app/sessionStore";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { ApprovalRecord, RunStatus, TaskRecord } from "../bridge/types";
import { runCommand } from "../operate/commands";
import { runLabel, runTone, taskLabel, taskVisual } from "./status";

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`badge ${runTone(status)}`} data-testid="run-status" data-status={status}>
      <span className={`dot${status === "running" || status === "waiting_for_approval" || status === "pending" ? " pulse" : ""}`} />
      {runLabel(status)}
    </span>
  );
}

export function ProgressBar({ value, status }: { value: number; status: RunStatus }) {
  return (
    <div className={`progress tone-${runTone(status) || "plain"}`} role="progressbar" aria-label="Progress" aria-valuenow={value} aria-valuemin={0} aria-valuemax={100}>
      <div style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    </div>
  );
}

export function TaskStateDot({ task }: { task: Pick<TaskRecord, "status" | "waitReason"> }) {
  return <span className={`tdot v-${taskVisual(task)}`} aria-hidden="true" />;
}

export function TaskLine({ task, label, right }: { task: TaskRecord; label: string; right?: React.ReactNode }) {
  return (
    <div className="task-line" data-testid={`task-${task.activityId}`} data-status={task.status}>
      <TaskStateDot task={task} />
      <span className="t-name">{label}</span>
      <span className="t-state">
        {taskLabel(task)}
        {task.port && task.port !== "ok" && ` → ${task.port}`}
        {task.recordCount !== null && ` · ${task.recordCount} records`}
      </span>
      {right}
    </div>
  );
}

/** Approve / Reject with an optional comment, for one waiting approval. */
export function ApprovalBox({ approval, label, workflowId }: { approval: ApprovalRecord; label: string; workflowId: string | null }) {
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const noApprove = useLacking("approve");
  const answer = async (approve: boolean) => {
    setBusy(true);
    const out = await runCommand(
      workflowId,
      { type: approve ? "approve" : "reject", task_id: approval.taskId, comment: comment.trim() || null, by: null },
      approve ? "Approve" : "Reject",
    );
    setBusy(false);
    if (out?.ok) toast(approve ? `Approved “${label}”` : `Rejected “${label}”`);
  };
  return (
    <div className="approval-box" data-testid="approval-box">
      <div className="ab-head">
        <strong>{label}</strong>
        <span className="muted">· group {approval.group}</span>
      </div>
      {approval.message && <p className="ab-msg">{approval.message}</p>}
      <div className="ab-row">
        <input className="input" placeholder="Comment (optional)" aria-label="Approval comment" value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="button" className="btn sm danger-outline" disabled={busy || !!noApprove} data-tip={noApprove ?? undefined} onClick={() => void answer(false)}>
          Reject
        </button>
        <button type="button" className="btn sm primary" disabled={busy || !!noApprove} data-tip={noApprove ?? undefined} onClick={() => void answer(true)}>
          Approve
        </button>
      </div>
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn ghost icon xs"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      onClick={async () => {
        try {
          await backend.writeClipboardText(text);
        } catch {
          toast("The clipboard refused the text.", "error");
          return;
        }
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      }}
    >
      {done ? <Check size={13} /> : <Copy size={13} />}
    </button>
  );
}

export const json = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));
