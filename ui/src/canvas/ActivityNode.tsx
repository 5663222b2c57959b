//! The card of one activity on the canvas: role colour and icon, label, kind, execution-mode
//! badge, problem badge, and one output handle per port with its "+" (section menu); the run shown
//! on the canvas, or the comparison shown (`compare/CanvasMarks`).
import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { AlertTriangle, CirclePause, CircleSlash, Plus } from "lucide-react";
import { memo, useContext } from "react";
import { useCatalog } from "../app/catalogStore";
import { MODE_LABEL, kindIcon, roleColor } from "../app/roles";
import type { Activity, Diagnostic, Role } from "../bridge/types";
import { CompareNodeMarks, compareNodeClass } from "../compare/CanvasMarks";
import { useCompare } from "../compare/compareStore";
import { useEditorUi } from "../editor/uiStore";
import { breakpointHint, useBreakpoints } from "../operate/breakpoints";
import { rerunMark, useCanvasRun } from "../operate/canvasRun";
import { formatDuration } from "../runs/status";
import { FarContext } from "./farContext";
import { portX } from "./geometry";

export type ActivityNodeData = {
  activity: Activity;
  /** The activity's role (from the file, else its kind's). */
  role: Role;
  problems: Diagnostic[];
  connectedPorts: string[];
  /** The card's size as last measured (or estimated): the far-zoom block keeps it exactly. */
  size: { width: number; height: number };
};
export type ActivityFlowNode = Node<ActivityNodeData, "activity">;

function ActivityNodeView({ data, id }: NodeProps<ActivityFlowNode>) {
  const { activity, problems, connectedPorts } = data;
  const entry = useCatalog((s) => s.entries.find((c) => c.kind === activity.kind));
  const role = data.role;
  const ports = entry?.ports ?? [];
  const Icon = kindIcon(activity.kind, role);
  const terminal = role === "start" || role === "finish";
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");
  const showPortLabels = ports.length > 1;
  const runState = useCanvasRun((s) => (s.runId !== null ? s.byActivity[id] : undefined));
  const compareClass = useCompare((s) => compareNodeClass(s.view, id));
  const comparing = compareClass !== "";
  const showRun = useCanvasRun((s) => s.runId !== null) && !comparing;
  // A replay shows each card's time as it grows, and its heat colour.
  const showDuration = useCanvasRun((s) => s.showDurations || s.replay !== null);
  const rerun = useCanvasRun((s) => (comparing ? null : rerunMark(s.rerun, id)));
  const reused = !comparing && (runState?.tasks[runState.tasks.length - 1]?.reused ?? false);
  const visual = showRun ? (runState?.visual ?? "not-reached") : null;
  const breakpoint = useBreakpoints((s) => breakpointHint(s.list, id));
  const far = useContext(FarContext);
  // What the full card and the far-zoom block share: classes, colour, test and state attributes.
  const className = `wnode role-${role} mode-${activity.mode}${terminal ? " terminal" : ""}${visual ? ` run-${visual}` : ""}${rerun ? ` rerun-${rerun}` : ""}${compareClass}`;
  const shell = { "data-run-state": visual ?? undefined, "data-rerun": rerun ?? undefined, "data-testid": `activity-${id}`, "data-role": role, "data-mode": activity.mode };
  const colour = { "--c": roleColor(role) } as React.CSSProperties;
  const portLeft = (i: number) => `${portX(i, ports.length, 100)}%`;
  if (far) {
    // Zoomed far out: a plain block in the role's colour (run state and errors still show).
    return (
      <div {...shell} className={`${className} far-block${errors.length ? " has-error" : ""}`} style={{ ...colour, width: data.size.width, height: data.size.height }}>
        {/* Invisible, but xyflow measures handles in the DOM whenever a card resizes. */}
        {role !== "start" && <MeasuredHandle type="target" position={Position.Top} />}
        {ports.map((port, i) => (
          <MeasuredHandle key={port} type="source" id={port} position={Position.Bottom} left={portLeft(i)} />
        ))}
      </div>
    );
  }
  const name = activity.label || entry?.label || activity.kind;
  return (
    // The card's tooltip names it in full (a long label is cut short on the card) and its kind.
    <div {...shell} className={className} style={colour} data-tip={terminal ? name : `${name} — ${entry?.label ?? activity.kind}`}>
      {role !== "start" && <Handle type="target" position={Position.Top} />}
      <div className={`n-icon${terminal ? "" : " role-tint"}`}>
        <Icon size={terminal ? 15 : 17} strokeWidth={2.2} />
      </div>
      <div className="n-text">
        <div className="n-label">
          {activity.label || entry?.label}
        </div>
        {!terminal && <div className="n-kind">{entry?.label ?? activity.kind}</div>}
      </div>
      {comparing && <CompareNodeMarks id={id} size={data.size} />}
      {runState && showDuration && runState.durationMs !== null && (
        <span className="n-duration" data-testid="duration-badge">
          {formatDuration(1, 1 + runState.durationMs)}
        </span>
      )}
      {runState?.heat !== undefined && runState.heat !== null && (
        <span className="n-heat" style={{ "--heat": runState.heat } as React.CSSProperties} data-heat={runState.heat} data-testid="heat" />
      )}
      {runState?.visual === "approval" && <span className="n-approval">Waiting for approval</span>}
      {rerun ? (
        <span className={`n-rerun ${rerun}`} data-testid="rerun-mark">
          {rerun === "reused" ? "Reused" : rerun === "changed" ? "Changed · runs again" : "Runs again"}
        </span>
      ) : (
        reused && (
          <span className="n-rerun reused" data-testid="reused-mark" data-tip="Its result was reused from the earlier run">
            Reused
          </span>
        )
      )}
      {breakpoint && <span className="n-breakpoint" title={breakpoint} aria-label={breakpoint} data-testid="breakpoint-dot" />}
      <div className="n-badges">
        {activity.mode !== "normal" && (
          <span className="n-badge mode" data-tip={MODE_LABEL[activity.mode]} data-testid="mode-badge">
            {activity.mode === "hold" ? <CirclePause size={11} /> : <CircleSlash size={11} />}
            {activity.mode === "hold" ? "Hold" : "Off"}
          </span>
        )}
        {(errors.length > 0 || warnings.length > 0) && (
          <span
            className={`n-badge ${errors.length ? "error" : "warning"}`}
            data-tip={problems.map((p) => `${p.code}: ${p.message}`).join("\n")}
            data-testid="problem-badge"
          >
            <AlertTriangle size={10} />
            {errors.length + warnings.length}
          </span>
        )}
      </div>
      {ports.map((port, i) => {
        const left = portLeft(i);
        return (
          <span key={port}>
            <Handle type="source" id={port} position={Position.Bottom} style={{ left }} />
            {showPortLabels && !connectedPorts.includes(port) && (
              <span className="port-label" style={{ left }}>
                {port}
              </span>
            )}
            {!comparing && (
              <button
                type="button"
                className="port-plus nodrag nopan"
                style={{ left, bottom: showPortLabels ? -42 : -34 }}
                aria-label={`Add after ${activity.label} (${port})`}
                data-testid={`plus-${id}-${port}`}
                onClick={(e) => {
                  e.stopPropagation();
                  const r = e.currentTarget.getBoundingClientRect();
                  useEditorUi.getState().openSectionMenu({ type: "after", from: id, port }, r.left, r.bottom + 6);
                }}
              >
                <Plus size={12} strokeWidth={2.5} />
              </button>
            )}
          </span>
        );
      })}
    </div>
  );
}

export const ActivityNode = memo(ActivityNodeView);

/**
 * A handle as xyflow finds it in the DOM when it measures a card (its classes and data
 * attributes), without xyflow's `Handle` component: that one reads xyflow's store at every change
 * of it — each frame of a move, for every handle on the canvas. Far out no connection starts
 * from a block, so the measurement is all a handle is there for.
 */
function MeasuredHandle({ type, id, position, left }: { type: "source" | "target"; id?: string; position: Position; left?: string }) {
  return <div className={`react-flow__handle react-flow__handle-${position} ${type}`} data-handleid={id} data-handlepos={position} style={left ? { left } : undefined} />;
}
