//! Sending engine commands from the UI: queue, wait for the outcome, show refusals as a toast,
//! and keep which commands are still in flight (per workflow) so buttons can show progress.
import { create } from "zustand";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { Command, CommandOutcome, LifeCycle, WorkflowSummary } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { onLive } from "./liveEvents";

type Pending = { id: number; type: Command["type"] };
type CommandsState = { pending: Record<string, Pending[]> };

export const useCommands = create<CommandsState>(() => ({ pending: {} }));

const key = (workflowId: string | null) => workflowId ?? "*";

/** What the UI shows of an outcome: applied (with the run it made) or refused (code and why). */
export function readOutcome(outcome: CommandOutcome | null): { ok: boolean; detail: string; runId: number | null; code: string | null } {
  if (outcome === null) return { ok: false, detail: "not applied yet", runId: null, code: null };
  if (outcome.outcome === "applied") return { ok: true, detail: outcome.detail, runId: outcome.run, code: null };
  return { ok: false, detail: outcome.reason, runId: null, code: outcome.code };
}

/**
 * Queues `command`, waits until the engine applied or refused it, toasts a refusal and returns
 * the parsed outcome (null when it could not even be queued).
 */
export async function runCommand(workflowId: string | null, command: Command, label?: string) {
  let id: number;
  try {
    id = await backend.sendCommand(workflowId, command);
  } catch (e) {
    toast(`${label ?? command.type}: ${errorMessage(e)}`, "error");
    return null;
  }
  const k = key(workflowId);
  useCommands.setState((s) => ({ pending: { ...s.pending, [k]: [...(s.pending[k] ?? []), { id, type: command.type }] } }));
  try {
    const out = readOutcome(await outcomeOf(id));
    if (!out.ok) toast(`${label ?? command.type} refused: ${out.detail}`, "error");
    return out;
  } catch (e) {
    toast(`${label ?? command.type}: ${errorMessage(e)}`, "error");
    return null;
  } finally {
    useCommands.setState((s) => ({ pending: { ...s.pending, [k]: (s.pending[k] ?? []).filter((p) => p.id !== id) } }));
  }
}

/**
 * The outcome of a queued command: `wait_command` resolves once it is applied; should it come
 * back with no outcome yet, the `command_applied` event for that id settles it.
 */
function outcomeOf(id: number): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    let done = false;
    const off = onLive((e) => {
      if (e.kind === "command_applied" && e.payload.command === id) finish(e.payload.outcome);
    });
    const finish = (outcome: CommandOutcome) => {
      if (done) return;
      done = true;
      off();
      resolve(outcome);
    };
    backend
      .waitCommand(id)
      .then((rec) => {
        if (rec.outcome !== null) finish(rec.outcome);
      })
      .catch((e) => {
        if (done) return;
        done = true;
        off();
        reject(e);
      });
  });
}

/** The life-cycle commands of the toolbar and Actions menu. */
export type LifeCycleCommand = LifeCycle;

/**
 * Whether a life-cycle command applies now, and why not: the engine says so on the workflow's
 * card (`summary.commands`, from the rule it applies commands by); the UI keeps no rule of its own.
 */
export function commandAvailability(type: LifeCycleCommand, summary: Pick<WorkflowSummary, "commands"> | null): { enabled: boolean; reason: string } {
  const a = summary?.commands.find((c) => c.command === type);
  if (!a) return { enabled: false, reason: "Not known yet." };
  return { enabled: a.enabled, reason: a.reason ?? "" };
}

/** The word shown while a command is in flight ("Stopping…"). */
export const PROGRESS_LABEL: Partial<Record<Command["type"], string>> = {
  start: "Starting…",
  start_simulation: "Starting…",
  pause: "Pausing…",
  stop: "Stopping…",
  restart: "Restarting…",
  unconditional_stop: "Stopping…",
  purge_history: "Purging…",
  execute_pending: "Executing…",
};
