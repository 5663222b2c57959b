//! Every edit of a workflow as a pure function `body -> body`. The editor store records them for
//! undo/redo; nothing here knows about React or the canvas.
import type { Activity, ExecutionMode, OnInterrupt, Transition, WorkflowFile } from "../bridge/types";
import { freshId } from "./model";

export type Edit = (body: WorkflowFile) => WorkflowFile;
type Ports = (kind: string) => string[];

const same = (a: Transition, b: Transition) => a.from === b.from && a.port === b.port && a.to === b.to;

export function addActivity(activity: Activity): Edit {
  return (body) => ({ ...body, activities: [...body.activities, activity] });
}

/**
 * Inserts `activity` after output `port` of `from`. What that output led to now follows the new
 * activity's first output, so a chain stays a chain.
 */
export function insertAfter(activity: Activity, from: string, port: string, ports: Ports): Edit {
  return (body) => {
    const out = ports(activity.kind)[0];
    const moved = body.transitions.filter((t) => t.from === from && t.port === port);
    const kept = body.transitions.filter((t) => !(t.from === from && t.port === port));
    const next: Transition[] = [...kept, { from, port, to: activity.id }];
    if (out) for (const t of moved) next.push({ from: activity.id, port: out, to: t.to });
    return { ...body, activities: [...body.activities, activity], transitions: next };
  };
}

/** Inserts `activity` in the middle of transition `on`. */
export function insertOnTransition(activity: Activity, on: Transition, ports: Ports): Edit {
  return (body) => {
    const out = ports(activity.kind)[0];
    const transitions = body.transitions.filter((t) => !same(t, on));
    transitions.push({ from: on.from, port: on.port, to: activity.id });
    if (out) transitions.push({ from: activity.id, port: out, to: on.to });
    return { ...body, activities: [...body.activities, activity], transitions };
  };
}

/**
 * Deletes activities and their transitions. Start cannot be deleted. Deleting one activity that
 * sits in a chain (one way in, one way out) joins its neighbours.
 */
export function deleteActivities(ids: string[]): Edit {
  return (body) => {
    const gone = new Set(
      ids.filter((id) => body.activities.find((a) => a.id === id)?.kind !== "start"),
    );
    if (gone.size === 0) return body;
    const bridge: Transition[] = [];
    if (gone.size === 1) {
      const [id] = [...gone];
      const ins = body.transitions.filter((t) => t.to === id);
      const outs = body.transitions.filter((t) => t.from === id);
      if (ins.length === 1 && outs.length === 1 && ins[0].from !== outs[0].to) {
        bridge.push({ from: ins[0].from, port: ins[0].port, to: outs[0].to });
      }
    }
    return {
      ...body,
      activities: body.activities.filter((a) => !gone.has(a.id)),
      transitions: [...body.transitions.filter((t) => !gone.has(t.from) && !gone.has(t.to)), ...bridge],
    };
  };
}

/** Adds a transition unless it already exists, loops on itself or enters Start. */
export function connect(t: Transition): Edit {
  return (body) => {
    if (t.from === t.to) return body;
    if (body.transitions.some((x) => same(x, t))) return body;
    if (body.activities.find((a) => a.id === t.to)?.kind === "start") return body;
    return { ...body, transitions: [...body.transitions, t] };
  };
}

export function deleteTransitions(list: Transition[]): Edit {
  return (body) => ({
    ...body,
    transitions: body.transitions.filter((t) => !list.some((x) => same(x, t))),
  });
}

export function moveActivities(positions: Record<string, { x: number; y: number }>): Edit {
  return (body) => ({
    ...body,
    activities: body.activities.map((a) =>
      positions[a.id] ? { ...a, position: { x: Math.round(positions[a.id].x), y: Math.round(positions[a.id].y) } } : a,
    ),
  });
}

export type ActivityPatch = { label?: string; mode?: ExecutionMode; config?: Record<string, unknown>; on_interrupt?: OnInterrupt };

export function updateActivity(id: string, patch: ActivityPatch): Edit {
  return (body) => ({
    ...body,
    activities: body.activities.map((a) => (a.id === id ? ({ ...a, ...patch } as Activity) : a)),
  });
}

export function setMode(ids: string[], mode: ExecutionMode): Edit {
  const set = new Set(ids);
  return (body) => ({
    ...body,
    activities: body.activities.map((a) => (set.has(a.id) ? { ...a, mode } : a)),
  });
}

/** What Cut/Copy put on the clipboard: the activities and the transitions between them. */
export type Clip = { weft: "activities"; activities: Activity[]; transitions: Transition[] };

export function copySelection(body: WorkflowFile, ids: string[]): Clip {
  const set = new Set(ids);
  return {
    weft: "activities",
    activities: structuredClone(body.activities.filter((a) => set.has(a.id))),
    transitions: structuredClone(body.transitions.filter((t) => set.has(t.from) && set.has(t.to))),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses clipboard text; null when it is not a Weft clip. The text may come from any program,
 * so each activity must have the shape the editor relies on (string id and kind, numeric
 * position, object config); transitions that do not join two of them are dropped.
 */
export function parseClip(text: string): Clip | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(v) || v.weft !== "activities" || !Array.isArray(v.activities) || !Array.isArray(v.transitions)) return null;
  const wellFormed = v.activities.every(
    (a) =>
      isObject(a) &&
      typeof a.id === "string" &&
      a.id !== "" &&
      typeof a.kind === "string" &&
      isObject(a.position) &&
      Number.isFinite(a.position.x) &&
      Number.isFinite(a.position.y) &&
      (a.config === undefined || isObject(a.config)),
  );
  if (!wellFormed) return null;
  const activities = v.activities as Activity[];
  const ids = new Set(activities.map((a) => a.id));
  const transitions = (v.transitions as unknown[]).filter(
    (t): t is Transition => isObject(t) && typeof t.port === "string" && typeof t.from === "string" && typeof t.to === "string" && ids.has(t.from) && ids.has(t.to),
  );
  return { weft: "activities", activities, transitions };
}

/**
 * Pastes a clip with fresh ids (transitions follow), shifted by `offset`. A second Start is never
 * pasted. Returns the edit and the ids the pasted activities get, to select them.
 */
export function paste(clip: Clip, body: WorkflowFile, offset: { x: number; y: number }): { edit: Edit; ids: string[] } {
  const taken = new Set(body.activities.map((a) => a.id));
  const hasStart = body.activities.some((a) => a.kind === "start");
  const map = new Map<string, string>();
  const activities: Activity[] = [];
  for (const a of clip.activities) {
    if (a.kind === "start" && hasStart) continue;
    const id = freshId(a.id.replace(/_\d+$/, "") || a.kind, taken);
    taken.add(id);
    map.set(a.id, id);
    activities.push({ ...structuredClone(a), id, position: { x: a.position.x + offset.x, y: a.position.y + offset.y } });
  }
  const transitions = clip.transitions
    .filter((t) => map.has(t.from) && map.has(t.to))
    .map((t) => ({ from: map.get(t.from)!, port: t.port, to: map.get(t.to)! }));
  return {
    ids: activities.map((a) => a.id),
    edit: (b) => ({ ...b, activities: [...b.activities, ...activities], transitions: [...b.transitions, ...transitions] }),
  };
}

/** Applies several edits as one step (one undo). */
export function batch(...edits: Edit[]): Edit {
  return (body) => edits.reduce((b, e) => e(b), body);
}
