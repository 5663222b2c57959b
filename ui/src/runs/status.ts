//! Pure presentation helpers for runs and tasks: labels, tones, grouping, durations.
import { RUN_STATUS_LABEL } from "../app/roles";
import type { RunStatus, TaskRecord, Trigger } from "../bridge/types";

export const ACTIVE_STATUSES: RunStatus[] = ["pending", "running", "waiting_for_approval"];
export const isActive = (s: RunStatus) => ACTIVE_STATUSES.includes(s);

/** Badge colour of a run status. */
export function runTone(s: RunStatus): "green" | "red" | "amber" | "accent" | "" {
  switch (s) {
    case "completed":
      return "green";
    case "failed":
    case "error":
    case "rejected":
      return "red";
    case "waiting_for_approval":
      return "amber";
    case "running":
    case "pending":
      return "accent";
    default:
      return "";
  }
}

export const runLabel = (s: RunStatus) => RUN_STATUS_LABEL[s] ?? s;

export const TRIGGER_LABEL: Record<Trigger, string> = {
  manual: "Manual",
  schedule: "Schedule",
  webhook: "Webhook",
  file: "File",
  record: "Record",
  sub_workflow: "Sub-workflow",
  restart_from_task: "Restart from task",
  rerun_after_edit: "Re-run after edit",
};

/** What a task's state is called in lists ("Waiting for approval", "Skipped (simulation)"…). */
export function taskLabel(t: Pick<TaskRecord, "status" | "waitReason" | "reused">): string {
  if (t.reused) return "Reused";
  switch (t.status) {
    case "ready":
      return "Queued";
    case "running":
      return "Running";
    case "succeeded":
      return "Succeeded";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    case "waiting":
      return t.waitReason === "approval"
        ? "Waiting for approval"
        : t.waitReason === "hold"
          ? "Pending (enabled, not executed)"
          : t.waitReason === "retry"
            ? "Waiting to retry"
            : t.waitReason === "sub_workflow"
              ? "Waiting for the sub-workflow"
              : t.waitReason === "breakpoint"
                ? "Paused at a breakpoint"
                : "Waiting";
    case "skipped":
      return t.waitReason === "simulation"
        ? "Skipped (simulation)"
        : t.waitReason === "disabled"
          ? "Skipped (not enabled)"
          : t.waitReason === "other_trigger"
            ? "Skipped (other trigger)"
            : "Skipped";
  }
}

/** The canvas/run-state class of a task: what the outline and animation show. */
export function taskVisual(t: Pick<TaskRecord, "status" | "waitReason">): "done" | "running" | "pending" | "approval" | "failed" | "skipped" | "cancelled" {
  switch (t.status) {
    case "succeeded":
      return "done";
    case "running":
    case "ready":
      return "running";
    case "waiting":
      return t.waitReason === "approval" ? "approval" : t.waitReason === "sub_workflow" ? "running" : "pending";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
    case "skipped":
      return "skipped";
  }
}

/** Splits tasks into the run dialog's three groups, each in scheduling order. */
export function groupTasks<T extends Pick<TaskRecord, "id" | "status" | "waitReason">>(tasks: T[]) {
  const sorted = [...tasks].sort((a, b) => a.id - b.id);
  return {
    running: sorted.filter((t) => t.status === "running" || t.status === "ready" || (t.status === "waiting" && t.waitReason !== "approval")),
    waiting: sorted.filter((t) => t.status === "waiting" && t.waitReason === "approval"),
    finished: sorted.filter((t) => t.status !== "running" && t.status !== "ready" && t.status !== "waiting"),
  };
}

/** "850 ms", "12.4 s", "3 min 5 s", "1 h 2 min"; "—" when not both ends are known. */
export function formatDuration(start: number | null, end: number | null, now?: number): string {
  if (!start) return "—";
  const stop = end ?? now;
  if (!stop) return "—";
  const ms = Math.max(0, stop - start);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export const formatTime = (ms: number | null) =>
  ms ? new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "—";
