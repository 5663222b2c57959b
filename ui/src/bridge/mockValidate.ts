//! A small client-side copy of the engine's main validation rules, for the mock backend only.
//! The real rules live in the engine (`validate_workflow`); codes match `docs/errors/`.
import type { CatalogEntry, Diagnostic, WorkflowFile } from "./types";

export function mockValidate(body: WorkflowFile, catalog: CatalogEntry[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (activity: string | null, code: string, message: string) =>
    out.push({ activity, path: null, code, message, severity: "error" });
  const byId = new Map(body.activities.map((a) => [a.id, a]));
  const starts = body.activities.filter((a) => a.kind === "start");
  if (starts.length !== 1) {
    err(starts[1]?.id ?? null, "WEFT-V001", `A workflow needs exactly one Start (found ${starts.length}).`);
  }
  const next = new Map<string, string[]>();
  for (const t of body.transitions) {
    if (!byId.has(t.from) || !byId.has(t.to)) {
      err(byId.has(t.from) ? t.from : null, "WEFT-V003", `A transition points at an unknown activity (${byId.has(t.from) ? t.to : t.from}).`);
      continue;
    }
    const ports = catalog.find((c) => c.kind === byId.get(t.from)!.kind)?.ports ?? [];
    if (!ports.includes(t.port)) err(t.from, "WEFT-V004", `There is no output "${t.port}" on this activity.`);
    next.set(t.from, [...(next.get(t.from) ?? []), t.to]);
  }
  // Reachability from Start.
  const reached = new Set<string>();
  const stack = starts.slice(0, 1).map((s) => s.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  // Which activities can reach a Finish (reverse search).
  const prev = new Map<string, string[]>();
  for (const [from, tos] of next) for (const to of tos) prev.set(to, [...(prev.get(to) ?? []), from]);
  const toFinish = new Set<string>();
  const back = body.activities.filter((a) => a.kind === "finish").map((a) => a.id);
  while (back.length) {
    const id = back.pop()!;
    if (toFinish.has(id)) continue;
    toFinish.add(id);
    back.push(...(prev.get(id) ?? []));
  }
  for (const a of body.activities) {
    if (starts.length && !reached.has(a.id)) err(a.id, "WEFT-V005", "Not reachable from Start.");
    else if (!toFinish.has(a.id)) err(a.id, "WEFT-V006", "This branch never reaches a Finish.");
    if (a.role === "trigger" || a.kind === "manual_trigger" || a.kind === "schedule_trigger") {
      for (const p of prev.get(a.id) ?? []) {
        if (byId.get(p)?.kind !== "start") err(a.id, "WEFT-V012", "A trigger can only follow Start.");
      }
    }
    const entry = catalog.find((c) => c.kind === a.kind);
    const required = (entry?.configSchema.required as string[] | undefined) ?? [];
    const config = (a.config ?? {}) as Record<string, unknown>;
    for (const key of required) {
      const v = config[key];
      if (v === undefined || v === null || v === "") {
        err(a.id, "WEFT-V009", `Required setting "${key}" is missing.`);
      }
    }
    // As the engine: an unconnected `error` output just means failures fail the run.
    const ports = entry?.ports ?? [];
    if (ports.length > 1) {
      for (const p of ports) {
        if (p !== "error" && !body.transitions.some((t) => t.from === a.id && t.port === p)) {
          out.push({ activity: a.id, path: null, code: "WEFT-V011", message: `Output "${p}" leads nowhere.`, severity: "warning" });
        }
      }
    }
  }
  return out;
}
