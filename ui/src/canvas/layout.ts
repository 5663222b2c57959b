//! Tidy-up: a top-down layered layout (dagre) where triggers sit in one horizontal row under
//! Start and the actions flow vertically below, their first rank centred under Start (a chain
//! fed by several triggers is one column). Pure: positions in, positions out.
import dagre from "@dagrejs/dagre";
import type { WorkflowFile } from "../bridge/types";

export type Size = { width: number; height: number };
export const DEFAULT_SIZE: Size = { width: 240, height: 64 };
/** Start and Finish are smaller pills. */
export const TERMINAL_SIZE: Size = { width: 160, height: 48 };

/**
 * The size an activity card has before it is measured (app.css: `.wnode` and `.wnode.terminal`
 * have a fixed width and a minimum height that one-line labels never exceed). Knowing it up front
 * lets the canvas lay out, fit and draw transitions in its first frame.
 */
export const estimatedSize = (role: string | null | undefined): Size =>
  role === "start" || role === "finish" ? TERMINAL_SIZE : DEFAULT_SIZE;

export function tidyPositions(
  body: WorkflowFile,
  sizes: Record<string, Size | undefined> = {},
): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 64, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = new Map(body.activities.map((a) => [a.id, a]));
  // Unmeasured cards: their estimated size (Start and Finish are the only kinds of their roles).
  const size = (id: string) => {
    const a = byId.get(id);
    return sizes[id] ?? estimatedSize(a?.role ?? a?.kind);
  };
  for (const a of body.activities) g.setNode(a.id, { ...size(a.id) });
  const ids = new Set(body.activities.map((a) => a.id));
  for (const t of body.transitions) {
    if (ids.has(t.from) && ids.has(t.to) && t.from !== t.to) g.setEdge(t.from, t.to);
  }
  dagre.layout(g);
  const centre: Record<string, { x: number; y: number }> = {};
  for (const a of body.activities) {
    const n = g.node(a.id) as { x: number; y: number };
    centre[a.id] = { x: n.x, y: n.y };
  }
  // Triggers: one row right under Start, centred on it, in their current left-to-right order.
  const start = body.activities.find((a) => a.kind === "start");
  // The order is the canvas's (by position, then file order), not dagre's, so a tidy-up never
  // shuffles a row a person arranged.
  const triggers = body.activities.filter((a) => a.role === "trigger").sort((a, b) => a.position.x - b.position.x);
  if (start && triggers.length) {
    const rowY = centre[start.id].y + size(start.id).height / 2 + 64 + Math.max(...triggers.map((t) => size(t.id).height)) / 2;
    const gap = 48;
    const total = triggers.reduce((w, t) => w + size(t.id).width, 0) + gap * (triggers.length - 1);
    let x = centre[start.id].x - total / 2;
    for (const t of triggers) {
      centre[t.id] = { x: x + size(t.id).width / 2, y: rowY };
      x += size(t.id).width + gap;
    }
  }
  // Actions: the rest hangs below the trigger row as dagre ordered it, its first rank centred
  // under Start — so one chain fed by several triggers is one straight column under Start.
  const actions = body.activities.filter((a) => a !== start && a.role !== "trigger");
  if (start && triggers.length && actions.length) {
    const top = Math.min(...actions.map((a) => centre[a.id].y - size(a.id).height / 2));
    const first = actions.filter((a) => centre[a.id].y - size(a.id).height / 2 === top);
    const firstX = first.reduce((sum, a) => sum + centre[a.id].x, 0) / first.length;
    const rowBottom = Math.max(...triggers.map((t) => centre[t.id].y + size(t.id).height / 2));
    const dx = centre[start.id].x - firstX;
    const dy = Math.max(0, rowBottom + 64 - top);
    for (const a of actions) centre[a.id] = { x: centre[a.id].x + dx, y: centre[a.id].y + dy };
  }
  // Top-left corners, with Start at the origin so a tidy canvas always starts in the same place.
  const origin = start
    ? { x: centre[start.id].x - size(start.id).width / 2, y: centre[start.id].y - size(start.id).height / 2 }
    : { x: 0, y: 0 };
  const out: Record<string, { x: number; y: number }> = {};
  for (const a of body.activities) {
    const s = size(a.id);
    out[a.id] = {
      x: Math.round(centre[a.id].x - s.width / 2 - origin.x),
      y: Math.round(centre[a.id].y - s.height / 2 - origin.y),
    };
  }
  return out;
}
