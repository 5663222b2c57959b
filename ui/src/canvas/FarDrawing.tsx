//! The whole workflow's activities as one SVG drawing, shown instead of the cards while the view
//! moves, zoomed far out on a large workflow (and while its cards are built as it opens). There
//! the cards are plain blocks anyway; as thousands of DOM elements (each card its own layer) they
//! cost every frame layout, hit testing and layer updates; as plain SVG shapes they cost a raster
//! of what is on screen. At rest the DOM is back (selection, drag, menus). One element per shape,
//! not one path for all: the rasteriser then skips what lies outside each tile (measured: 25×
//! less raster time while zooming). Far out it stays in the page at rest, hidden (`shown`), so that a
//! move only has to show it. The transitions are drawn by FarTransitions.tsx, under both.
import { ViewportPortal } from "@xyflow/react";
import { memo } from "react";
import type { ActivityFlowNode } from "./ActivityNode";
import { cardBounds } from "./geometry";

/** Path data in flow coordinates, grouped by how it is painted. */
export type FarShapes = {
  box: { x: number; y: number; width: number; height: number };
  byRole: [string, string[]][];
  errors: string;
};

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The cards' bounds with a margin: curves bulge a little past the cards and stay inside it. */
export function drawingBox(nodes: ActivityFlowNode[]): FarShapes["box"] {
  const m = 200;
  const b = cardBounds(nodes);
  return b ? { x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m } : { x: 0, y: 0, width: 1, height: 1 };
}

/** A rounded rectangle as path data (`r` clamped to half the height). */
function roundRect(x: number, y: number, w: number, h: number, r: number) {
  const k = Math.min(r, h / 2, w / 2);
  return `M${r1(x + k)} ${r1(y)}h${r1(w - 2 * k)}a${k} ${k} 0 0 1 ${k} ${k}v${r1(h - 2 * k)}a${k} ${k} 0 0 1 ${-k} ${k}h${r1(-(w - 2 * k))}a${k} ${k} 0 0 1 ${-k} ${-k}v${r1(-(h - 2 * k))}a${k} ${k} 0 0 1 ${k} ${-k}z`;
}

/** A block's outline, as the drawing (and the minimap) draw it. */
function blockPath(n: ActivityFlowNode) {
  const { width = 0, height = 0 } = n.measured ?? {};
  const role = n.data.role;
  return roundRect(n.position.x, n.position.y, width, height, role === "start" || role === "finish" ? height / 2 : 10);
}

/**
 * The outline of the selected activities, apart from the rest of the drawing: a click on the
 * drawing redraws this one path, not the thousands of the workflow.
 */
export function selectionPathOf(nodes: ActivityFlowNode[], selection: ReadonlySet<string>): string {
  if (selection.size === 0) return "";
  return nodes
    .filter((n) => selection.has(n.id))
    .map(blockPath)
    .join("");
}

export function farShapesOf(nodes: ActivityFlowNode[]): FarShapes {
  const byRole = new Map<string, string[]>();
  const errors: string[] = [];
  for (const n of nodes) {
    const role = n.data.role;
    const d = blockPath(n);
    const group = byRole.get(role);
    if (group) group.push(d);
    else byRole.set(role, [d]);
    if (n.data.problems.some((p) => p.severity === "error")) errors.push(d);
  }
  // Errors are few: one outline path for all.
  return { box: drawingBox(nodes), byRole: [...byRole], errors: errors.join("") };
}

/** The drawing; at rest (not `shown`) it is kept hidden, ready for the next move. */
function FarDrawingView({ shapes: s, selected, shown }: { shapes: FarShapes; selected: string; shown: boolean }) {
  return (
    <ViewportPortal>
      <svg
        className={`far-drawing${shown ? " shown" : ""}`}
        data-testid="far-drawing"
        aria-hidden="true"
        style={{ left: s.box.x, top: s.box.y, width: s.box.width, height: s.box.height }}
        viewBox={`${s.box.x} ${s.box.y} ${s.box.width} ${s.box.height}`}
      >
        <FarShapesView shapes={s} />
        <path className="fd-selected" d={selected} />
      </svg>
    </ViewportPortal>
  );
}

/** Everything but the selection: redrawn only when the workflow changes. */
const FarShapesView = memo(function FarShapesView({ shapes: s }: { shapes: FarShapes }) {
  return (
    <>
      {s.byRole.map(([role, ds]) => (
        <g key={role} className="fd-role" style={{ "--c": `var(--role-${role})` } as React.CSSProperties}>
          {ds.map((d, i) => (
            <path key={i} d={d} />
          ))}
        </g>
      ))}
      <path className="fd-error" d={s.errors} />
    </>
  );
});

export const FarDrawing = memo(FarDrawingView);
