//! Zoomed far out, the canvas draws the transitions itself: one SVG under the blocks, a path per
//! transition, painted as the run or comparison shown marks it, the selected one and the one a
//! dragged activity would drop into highlighted. xyflow then holds no transitions at all: each
//! one it holds runs three store selectors at every change of its store (a pan starting or
//! ending, a click), 3,600 at 1,200 transitions — more than a frame in WebKitGTK. Far out a
//! transition is a bare curve (no arrow, label or "+"), which is all this draws; it is picked by
//! a click near it (Canvas.tsx, `nearestTransition`).
import { getBezierPath, Position, ViewportPortal } from "@xyflow/react";
import { memo } from "react";
import { useCompare } from "../compare/compareStore";
import { compareEdgeClass } from "../compare/CanvasMarks";
import { transitionClass, useCanvasRun } from "../operate/canvasRun";
import type { ActivityFlowNode } from "./ActivityNode";
import type { FarShapes } from "./FarDrawing";
import type { TransitionFlowEdge } from "./TransitionEdge";

/** One transition's curve in flow coordinates; `id` is its edge id (geometry.ts `edgeId`). */
export type TransitionPath = { id: string; d: string };

/** The curves xyflow would draw: from the output handle's bottom to the input handle's top. */
export function transitionPathsOf(nodes: ActivityFlowNode[], edges: TransitionFlowEdge[]): TransitionPath[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: TransitionPath[] = [];
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    const from = s?.handles?.find((h) => h.type === "source" && h.id === e.sourceHandle);
    const into = t?.handles?.find((h) => h.type === "target");
    if (!s || !t || !from || !into) continue;
    const [d] = getBezierPath({
      sourceX: s.position.x + from.x + (from.width ?? 0) / 2,
      sourceY: s.position.y + from.y + (from.height ?? 0),
      sourcePosition: Position.Bottom,
      targetX: t.position.x + into.x + (into.width ?? 0) / 2,
      targetY: t.position.y + into.y,
      targetPosition: Position.Top,
    });
    out.push({ id: e.id, d });
  }
  return out;
}

type Props = {
  paths: TransitionPath[];
  box: FarShapes["box"];
  /** Edge ids of the selected transitions. */
  selected: readonly string[];
  /** The transition a dragged activity would be inserted into. */
  dropTarget: string | null;
};

function FarTransitionsView({ paths, box, selected, dropTarget }: Props) {
  const compare = useCompare((s) => s.view);
  const runShown = useCanvasRun((s) => s.runId !== null);
  const records = useCanvasRun((s) => s.edges);
  return (
    <ViewportPortal>
      <svg
        className="far-transitions"
        data-testid="far-transitions"
        aria-hidden="true"
        style={{ left: box.x, top: box.y, width: box.width, height: box.height }}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
      >
        {paths.map(({ id, d }) => {
          const compareClass = compareEdgeClass(compare, id);
          const painted = transitionClass(compareClass, runShown && !compareClass, records[id]);
          const state = selected.includes(id) ? " selected" : id === dropTarget ? " drop-target" : "";
          return <path key={id} d={d} data-id={id} className={`react-flow__edge-path ${painted}${state}`} />;
        })}
      </svg>
    </ViewportPortal>
  );
}

export const FarTransitions = memo(FarTransitionsView);
