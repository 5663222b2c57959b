//! The row actions of the Schedulers view and of a workflow's page: Run now (queued behind a
//! running execution when the workflow's concurrency says so), Pause / Resume schedule. Which
//! applies is the engine's answer (`summary.commands`); nothing is decided here.
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { ScheduleState, SchedulerRow, WorkflowSummary } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { commandAvailability, runCommand } from "../operate/commands";
import { hasParameters, requestRunNow } from "../runs/runNow";

/** Run now: a workflow with parameters opens the run dialog; one without is queued at once. */
export async function runNowFromSchedulers(w: Pick<WorkflowSummary, "id" | "name">): Promise<void> {
  try {
    const { body } = await backend.getWorkflow(w.id);
    if (hasParameters(body)) {
      await requestRunNow(w.id);
      return;
    }
  } catch (e) {
    toast(`Could not run: ${errorMessage(e)}`, "error");
    return;
  }
  const out = await runCommand(w.id, { type: "run_now", params: {}, simulate: false }, "Run now");
  if (out?.ok && out.runId !== null) toast(`Run now: run #${out.runId} of “${w.name}”`);
}

/** The Pause / Resume schedule button of a row: what it says and which command it sends. */
export function pauseResume(row: Pick<SchedulerRow, "workflow">): { label: string; command: "pause" | "start"; enabled: boolean; reason: string } {
  const pause = commandAvailability("pause", row.workflow);
  if (pause.enabled) return { label: "Pause schedule", command: "pause", ...pause };
  const start = commandAvailability("start", row.workflow);
  return { label: row.workflow.state === "paused" ? "Resume schedule" : "Start schedule", command: "start", ...start };
}

export const SCHEDULE_STATE_LABEL: Record<ScheduleState, string> = {
  armed: "Active",
  paused: "Paused",
  not_started: "Not started",
  disabled: "Disabled",
  on_demand: "On demand",
};

export const SCHEDULE_STATE_TONE: Record<ScheduleState, string> = {
  armed: "green",
  paused: "amber",
  not_started: "",
  disabled: "",
  on_demand: "accent",
};
