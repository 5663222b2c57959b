//! Canvas geometry shared by the node component, edge ids and drop-on-transition. Pure.
import { Position } from "@xyflow/react";
import type { Transition, WorkflowFile } from "../bridge/types";
import { estimatedSize, type Size } from "./layout";

export const edgeId = (t: Transition) => `${t.from}:${t.port}->${t.to}`;

export function parseEdgeId(id: string): Transition | null {
  const m = /^(.*):([^:]*)->(.*)$/.exec(id);
  return m ? { from: m[1], port: m[2], to: m[3] } : null;
}

/** Side of a handle's square (app.css `.react-flow__handle`). */
export const HANDLE_SIZE = 10;

/** Where a card's handles are, relative to its top-left corner (the shape xyflow takes in `node.handles`). */
export type HandleBox = {
  id: string | null;
  type: "source" | "target";
  position: Position;
  x: number;
  y: number;
  width: number;
  height: number;
};

/**
 * The handles of a card of `size`: one input centred above it (none on Start) and one output per
 * port spread along the bottom edge, where app.css puts them. Given to xyflow up front so that it
 * can draw transitions without measuring every handle in the DOM (a browser test checks that
 * transitions start and end on the drawn handles).
 */
export function nodeHandles(size: Size, ports: readonly string[], hasInput: boolean): HandleBox[] {
  const h = HANDLE_SIZE;
  const out: HandleBox[] = ports.map((port, i) => ({
    id: port,
    type: "source",
    position: Position.Bottom,
    x: portX(i, ports.length, size.width) - h / 2,
    y: size.height - h / 2,
    width: h,
    height: h,
  }));
  // `.react-flow__handle.target { top: -5px }` then xyflow's translate(-50%, -50%).
  if (hasInput) out.push({ id: null, type: "target", position: Position.Top, x: size.width / 2 - h / 2, y: -h, width: h, height: h });
  return out;
}

/** Horizontal position of output `index` of `count` on a node of `width` (evenly spread). */
export const portX = (index: number, count: number, width: number) => ((index + 1) / (count + 1)) * width;

function distanceToSegment(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * The transition passing closest to `point` (canvas units), within `tolerance`; used to insert a
 * dropped activity into a transition. Edges are approximated by the straight segment between the
 * output handle and the target's top centre.
 */
export function nearestTransition(
  point: { x: number; y: number },
  body: WorkflowFile,
  portsOf: (kind: string) => string[],
  sizes: Record<string, Size | undefined> = {},
  tolerance = 28,
): Transition | null {
  const byId = new Map(body.activities.map((a) => [a.id, a]));
  let best: { t: Transition; d: number } | null = null;
  for (const t of body.transitions) {
    const from = byId.get(t.from);
    const to = byId.get(t.to);
    if (!from || !to) continue;
    // Start and Finish are the only kinds of their roles, so the kind stands in for a missing role.
    const fs = sizes[from.id] ?? estimatedSize(from.role ?? from.kind);
    const ts = sizes[to.id] ?? estimatedSize(to.role ?? to.kind);
    const ports = portsOf(from.kind);
    const i = Math.max(0, ports.indexOf(t.port));
    const a = { x: from.position.x + portX(i, ports.length, fs.width), y: from.position.y + fs.height };
    const b = { x: to.position.x + ts.width / 2, y: to.position.y };
    const d = distanceToSegment(point, a, b);
    if (d <= tolerance && (!best || d < best.d)) best = { t, d };
  }
  return best?.t ?? null;
}

/** The rectangle around cards at `position` with their `measured` size (null when there are none). */
export function cardBounds(cards: readonly { position: { x: number; y: number }; measured?: { width?: number; height?: number } }[]) {
  if (!cards.length) return null;
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const { position, measured } of cards) {
    x0 = Math.min(x0, position.x);
    y0 = Math.min(y0, position.y);
    x1 = Math.max(x1, position.x + (measured?.width ?? 0));
    y1 = Math.max(y1, position.y + (measured?.height ?? 0));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
