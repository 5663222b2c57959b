//! The engine's diagnostics about an activity, placed on the fields of its section modal: each
//! diagnostic carries the JSON path of the value at fault (`activities[3].config.schedule.every`),
//! which becomes an rjsf error schema under that field. Pure.
import type { ErrorSchema } from "@rjsf/utils";
import type { Diagnostic } from "../bridge/types";

/** `a.b[2].c` → `["a", "b", "2", "c"]`. */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((s) => s.length > 0);
}

function valueAt(root: unknown, segments: string[]): unknown {
  let at: unknown = root;
  for (const s of segments) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[s];
  }
  return at;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the modal shows of the engine's diagnostics for one activity. */
export type PlacedDiagnostics = {
  /** Errors under the config fields they name (rjsf `extraErrors`). */
  fields: ErrorSchema;
  /** Diagnostics of the activity that name no config field (shown above the form). */
  general: Diagnostic[];
};

/**
 * Places the diagnostics of the activity at `index` (id `activityId`) on its config fields.
 * A field the form has changed since (`config` differs from `checked` there) loses its
 * diagnostic: the engine has not seen the edit yet.
 */
export function placeDiagnostics(
  diagnostics: Diagnostic[],
  index: number,
  activityId: string,
  config: unknown,
  checked: unknown,
): PlacedDiagnostics {
  const fields: ErrorSchema = {};
  const general: Diagnostic[] = [];
  const prefix = `activities[${index}].config`;
  for (const d of diagnostics) {
    const mine = d.activity === activityId || (d.path?.startsWith(`activities[${index}]`) ?? false);
    if (!mine) continue;
    const path = d.path ?? "";
    if (!(path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))) {
      general.push(d);
      continue;
    }
    const segments = pathSegments(path.slice(prefix.length));
    if (segments.length === 0) {
      general.push(d);
      continue;
    }
    if (!same(valueAt(config, segments), valueAt(checked, segments))) continue;
    let node = fields as Record<string, unknown>;
    for (const s of segments) {
      node[s] ??= {};
      node = node[s] as Record<string, unknown>;
    }
    node.__errors = [...((node.__errors as string[] | undefined) ?? []), `${d.code}: ${d.message}`];
  }
  return { fields, general };
}
