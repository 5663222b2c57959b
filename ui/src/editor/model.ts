//! Pure helpers over the workflow file: blank workflows, new activities, normalisation of files
//! that omit defaulted fields (templates written by hand do).
import type { Activity, ActivityKind, CatalogEntry, Role, WorkflowFile } from "../bridge/types";

export const DEFAULT_RETRY: WorkflowFile["retry"] = {
  max_attempts: 1,
  backoff: "exponential",
  initial_delay: "1s",
  max_delay: "5m",
};

export function catalogByKind(catalog: CatalogEntry[]): Map<string, CatalogEntry> {
  return new Map(catalog.map((c) => [c.kind, c]));
}

/** Output ports of an activity kind (from the catalogue; none for unknown kinds). */
export function portsOf(catalog: CatalogEntry[], kind: string): string[] {
  return catalog.find((c) => c.kind === kind)?.ports ?? [];
}

export function roleOf(catalog: CatalogEntry[], kind: string): Role {
  return catalog.find((c) => c.kind === kind)?.role ?? "action";
}

/** A fresh id for `kind` not in `taken`: `run_command`, `run_command_2`… */
export function freshId(kind: string, taken: Set<string>): string {
  if (!taken.has(kind)) return kind;
  let n = 2;
  while (taken.has(`${kind}_${n}`)) n++;
  return `${kind}_${n}`;
}

export function newActivity(
  catalog: CatalogEntry[],
  kind: ActivityKind,
  position: { x: number; y: number },
  taken: Set<string>,
): Activity {
  const entry = catalog.find((c) => c.kind === kind);
  return {
    id: freshId(kind, taken),
    kind,
    role: entry?.role ?? null,
    label: entry?.label ?? kind,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    mode: "normal",
    retry: null,
    timeout: null,
    config: structuredClone(entry?.defaultConfig ?? {}),
  } as Activity;
}

export function blankWorkflow(name: string): WorkflowFile {
  return {
    format: 1,
    name,
    description: "",
    parameters: { type: "object", properties: {} },
    concurrency: "queue",
    retry: { ...DEFAULT_RETRY },
    timeout: null,
    notify: { on_completion: false, on_failure: true },
    activities: [
      {
        id: "start",
        kind: "start",
        role: "start",
        label: "Start",
        position: { x: 0, y: 0 },
        mode: "normal",
        retry: null,
        timeout: null,
        config: {},
      },
      {
        id: "finish",
        kind: "finish",
        role: "finish",
        label: "Finish",
        position: { x: 0, y: 240 },
        mode: "normal",
        retry: null,
        timeout: null,
        config: {},
      },
    ],
    transitions: [{ from: "start", port: "ok", to: "finish" }],
  };
}

/** Fills the fields a hand-written file may omit, so the editor can rely on them. */
export function normalize(body: Partial<WorkflowFile> & { activities?: unknown[] }, catalog: CatalogEntry[]): WorkflowFile {
  const activities = ((body.activities ?? []) as Partial<Activity>[]).map(
    (a) =>
      ({
        ...a,
        id: a.id ?? "",
        kind: a.kind ?? "run_command",
        role: a.role ?? roleOf(catalog, a.kind ?? ""),
        label: a.label ?? a.kind ?? "",
        position: a.position ?? { x: 0, y: 0 },
        mode: a.mode ?? "normal",
        retry: a.retry ?? null,
        timeout: a.timeout ?? null,
        config: a.config ?? {},
      }) as Activity,
  );
  return {
    format: body.format ?? 1,
    name: body.name ?? "Untitled",
    description: body.description ?? "",
    parameters: body.parameters ?? { type: "object", properties: {} },
    concurrency: body.concurrency ?? "queue",
    retry: body.retry ?? { ...DEFAULT_RETRY },
    timeout: body.timeout ?? null,
    notify: body.notify ?? { on_completion: false, on_failure: true },
    activities,
    transitions: body.transitions ?? [],
  };
}
