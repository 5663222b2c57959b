//! The whole workflow's activities as one SVG drawing, shown instead of the cards while the view
//! moves, zoomed far out on a large workflow (and while its cards are built as it opens). There
//! the cards are plain blocks anyway; as thousands of DOM elements (each card its own layer) they
//! cost every frame layout, hit testing and layer updates; as plain SVG shapes they cost a raster
//! of what is on screen. At rest the DOM is back (selection, drag, menus). One element per shape,
//! not one path for all: the rasteriser then skips what lies outside each tile (measured: 25×
//! less raster time while zooming). Far out it stays in the page at rest, under the cards, which
//! cover it exactly: a move then only has to skip the cards (app.css). `shown` marks the moments it
//! is what is seen. The transitions are drawn by FarTransitions.tsx, under both.
import { ViewportPortal } from "@xyflow/react";
import { memo } from "react";
import type { ActivityFlowNode } from "./ActivityNode";
import { cardBounds } from "./geometry";

/** A block in flow coordinates: a card's rectangle and its corners' radius. */
export type Block = { x: number; y: number; width: number; height: number; r: number };

/** The blocks in flow coordinates, grouped by how they are painted. */
export type FarShapes = {
  box: { x: number; y: number; width: number; height: number };
  byRole: [string, Block[]][];
  errors: Block[];
};

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The cards' bounds with a margin: curves bulge a little past the cards and stay inside it. */
export function drawingBox(nodes: ActivityFlowNode[]): FarShapes["box"] {
  const m = 200;
  const b = cardBounds(nodes);
  return b ? { x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m } : { x: 0, y: 0, width: 1, height: 1 };
}

/** A card's block, as the drawing (and the minimap) draw it: Start and Finish are pills. */
function blockOf(n: ActivityFlowNode): Block {
  const { width = 0, height = 0 } = n.measured ?? {};
  const role = n.data.role;
  const r = Math.min(role === "start" || role === "finish" ? height / 2 : 10, height / 2, width / 2);
  return { x: r1(n.position.x), y: r1(n.position.y), width: r1(width), height: r1(height), r: r1(r) };
}

/** A block as path data (the minimap draws all of a role's blocks as one path). */
export function blockPath({ x, y, width: w, height: h, r: k }: Block) {
  return `M${r1(x + k)} ${y}h${r1(w - 2 * k)}a${k} ${k} 0 0 1 ${k} ${k}v${r1(h - 2 * k)}a${k} ${k} 0 0 1 ${-k} ${k}h${r1(-(w - 2 * k))}a${k} ${k} 0 0 1 ${-k} ${-k}v${r1(-(h - 2 * k))}a${k} ${k} 0 0 1 ${k} ${-k}z`;
}

/**
 * The outline of the selected activities, apart from the rest of the drawing: a click on the
 * drawing redraws this one path, not the thousands of the workflow.
 */
export function selectionPathOf(nodes: ActivityFlowNode[], selection: ReadonlySet<string>): string {
  if (selection.size === 0) return "";
  return nodes
    .filter((n) => selection.has(n.id))
    .map((n) => blockPath(blockOf(n)))
    .join("");
}

export function farShapesOf(nodes: ActivityFlowNode[]): FarShapes {
  const byRole = new Map<string, Block[]>();
  const errors: Block[] = [];
  for (const n of nodes) {
    const role = n.data.role;
    const b = blockOf(n);
    const group = byRole.get(role);
    if (group) group.push(b);
    else byRole.set(role, [b]);
    if (n.data.problems.some((p) => p.severity === "error")) errors.push(b);
  }
  return { box: drawingBox(nodes), byRole: [...byRole], errors };
}

/** The drawing; at rest (not `shown`) it lies under the cards, ready for the next move. */
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

/** A block as an SVG rectangle: rasterised as a rounded rectangle, far cheaper than the same
 * outline as a path of arcs (each zoom step far out re-rasterises every block in view). */
const rect = (b: Block, i: number) => <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height} rx={b.r} />;

/** Everything but the selection: redrawn only when the workflow changes. */
const FarShapesView = memo(function FarShapesView({ shapes: s }: { shapes: FarShapes }) {
  return (
    <>
      {s.byRole.map(([role, blocks]) => (
        <g key={role} className="fd-role" style={{ "--c": `var(--role-${role})` } as React.CSSProperties}>
          {blocks.map(rect)}
        </g>
      ))}
      <g className="fd-error">{s.errors.map(rect)}</g>
    </>
  );
});

export const FarDrawing = memo(FarDrawingView);
