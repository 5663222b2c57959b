//! A transition: a curve from an output port to an activity, with the port's name when the
//! source branches, and a "+" in the middle that inserts an activity there (section menu); a run's
//! counts, or the comparison shown (`compare/CanvasMarks`). Zoomed far out the canvas draws its
//! transitions itself (FarTransitions.tsx): this component then has none to draw.
import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from "@xyflow/react";
import { Plus } from "lucide-react";
import { memo } from "react";
import { CompareEdgeLabel, compareEdgeClass } from "../compare/CanvasMarks";
import { useCompare } from "../compare/compareStore";
import { useEditorUi } from "../editor/uiStore";
import { transitionBreakpointHint, useBreakpoints } from "../operate/breakpoints";
import { edgeKey, edgeLabel, transitionClass, useCanvasRun } from "../operate/canvasRun";

export type TransitionEdgeData = { port: string; showPort: boolean };
export type TransitionFlowEdge = Edge<TransitionEdgeData, "transition">;

function TransitionEdgeView(props: EdgeProps<TransitionFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, source, target, markerEnd, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const port = data?.port ?? "ok";
  const key = edgeKey({ from: source, port, to: target });
  const compareClass = useCompare((s) => compareEdgeClass(s.view, key));
  const compareLabel = useCompare((s) => s.view !== null && (s.view.mode === "runs" || s.view.edges[key] !== undefined));
  const showRun = useCanvasRun((s) => s.runId !== null) && !compareClass;
  const record = useCanvasRun((s) => s.edges[key]);
  const count = compareClass ? null : edgeLabel(record);
  const runClass = transitionClass(compareClass, showRun, record);
  const breakpoint = useBreakpoints((s) => transitionBreakpointHint(s.list, { from: source, port, to: target }));
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} interactionWidth={24} className={runClass} />
      <EdgeLabelRenderer>
        <div
          className={`edge-tools nodrag nopan${selected ? " show" : ""}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {breakpoint && <span className="n-breakpoint edge-breakpoint" title={breakpoint} aria-label={breakpoint} data-testid="edge-breakpoint-dot" />}
          {compareLabel ? (
            <CompareEdgeLabel from={source} port={port} to={target} />
          ) : count ? (
            <span className="edge-count" data-testid={`edge-count-${source}-${port}`}>
              {count}
            </span>
          ) : (
            data?.showPort && <span className={`edge-label ${port}`}>{port}</span>
          )}
          {!compareClass && (
            <button
              type="button"
              className="edge-plus"
              aria-label={`Insert between ${source} and ${target}`}
              data-testid={`edge-plus-${id}`}
              onClick={(e) => {
                e.stopPropagation();
                const r = e.currentTarget.getBoundingClientRect();
                useEditorUi.getState().openSectionMenu({ type: "transition", transition: { from: source, port, to: target } }, r.left, r.bottom + 6);
              }}
            >
              <Plus size={12} strokeWidth={2.5} />
            </button>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const TransitionEdge = memo(TransitionEdgeView);
