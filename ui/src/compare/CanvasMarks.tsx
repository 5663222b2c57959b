//! The marks a comparison puts on the canvas's own cards and transitions: a diff's Added,
//! Removed (a ghost card), Moved (the old place as a faint outline, with an arrow) and Changed
//! (the fields, before → after), and two runs' states and counts side by side.
import { memo } from "react";
import { edgeKey } from "../operate/canvasRun";
import { type CanvasComparison, useCompare } from "./compareStore";
import { changeLine, type DiffNodeMark } from "./diffView";
import { edgePair, type RunsNodeMark, type SideState, sideCount } from "./runsView";

/** The classes a comparison adds to an activity's card (empty when none is shown). */
export function compareNodeClass(view: CanvasComparison | null, id: string): string {
  if (!view) return "";
  if (view.mode === "diff") {
    const m = view.nodes[id];
    if (!m) return " cmp diff-same";
    return ` cmp diff-${m.status}${m.movedFrom ? " diff-moved" : ""}${m.changes.length ? " diff-changed" : ""}`;
  }
  const m = view.nodes[id];
  return ` cmp cmp-runs${m?.differs.length ? " cmp-differs" : ""}`;
}

/** The classes a comparison gives a transition's path (empty when none is shown). */
export function compareEdgeClass(view: CanvasComparison | null, key: string): string {
  if (!view) return "";
  if (view.mode === "diff") return view.edges[key] ? `diff-${view.edges[key]}` : "diff-same";
  const e = view.edges[key];
  return e?.differs ? "cmp-edge-differs" : e && (e.a || e.b) ? "cmp-edge-taken" : "cmp-edge-idle";
}

function DiffMarks({ id, mark, size }: { id: string; mark: DiffNodeMark; size: { width: number; height: number } }) {
  const open = useCompare((s) => s.openChanges === id);
  const lines = mark.changes.map(changeLine);
  const status = mark.status === "added" ? "Added" : mark.status === "removed" ? "Removed" : null;
  return (
    <>
      {mark.movedFrom && <MovedFrom id={id} mark={mark} size={size} />}
      <div className="cmp-badges">
        {status && (
          <span className={`n-badge diff-${mark.status}`} data-testid={`diff-${mark.status}-${id}`}>
            {status}
          </span>
        )}
        {mark.movedFrom && (
          <span className="n-badge diff-moved" data-testid={`diff-moved-${id}`}>
            Moved
          </span>
        )}
        {lines.length > 0 && (
          <button
            type="button"
            className="n-badge diff-changed nodrag nopan"
            data-testid={`diff-changed-${id}`}
            data-tip={lines.join("\n")}
            aria-expanded={open}
            onClick={(e) => {
              e.stopPropagation();
              useCompare.getState().toggleChanges(id);
            }}
          >
            Changed · {lines.length}
          </button>
        )}
      </div>
      {open && (
        <ul className="diff-fields nodrag nopan nowheel" data-testid={`diff-fields-${id}`} aria-label="Fields changed">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Where a moved activity was: a faint outline at its old place and an arrow to the new one. */
function MovedFrom({ id, mark, size }: { id: string; mark: DiffNodeMark; size: { width: number; height: number } }) {
  const from = mark.movedFrom;
  const here = useCompare((s) => s.view?.body.activities.find((a) => a.id === id)?.position);
  if (!from || !here) return null;
  const dx = from.x - here.x;
  const dy = from.y - here.y;
  const { width: w, height: h } = size;
  // The arrow from the old outline's edge to the card's, in the card's own coordinates: the
  // part of the way between the two centres that lies inside a card is left out at both ends.
  const left = Math.min(0, dx);
  const top = Math.min(0, dy);
  const inside = Math.min(dx ? w / 2 / Math.abs(dx) : 1, dy ? h / 2 / Math.abs(dy) : 1);
  if (inside >= 0.5) return <div className="diff-was" style={{ left: dx, top: dy, width: w, height: h }} data-testid={`diff-was-${id}`} />;
  const x1 = w / 2 - left + dx * (1 - inside);
  const y1 = h / 2 - top + dy * (1 - inside);
  const x2 = w / 2 - left + dx * inside;
  const y2 = h / 2 - top + dy * inside;
  return (
    <>
      <div className="diff-was" style={{ left: dx, top: dy, width: w, height: h }} data-testid={`diff-was-${id}`} />
      <svg className="diff-arrow" style={{ left, top }} width={Math.abs(dx) + w} height={Math.abs(dy) + h} aria-hidden="true">
        <defs>
          <marker id={`diff-arrow-${id}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        </defs>
        <line x1={x1} y1={y1} x2={x2} y2={y2} markerEnd={`url(#diff-arrow-${id})`} />
      </svg>
    </>
  );
}

function Side({ id, name, s, mark }: { id: string; name: "A" | "B"; s: SideState; mark: RunsNodeMark }) {
  const state = mark.differs.includes("state") || mark.differs.includes("reached") || mark.differs.includes("revision");
  const count = sideCount(s);
  return (
    <div className={`cmp-side run-${s.visual}${state ? " differs" : ""}`} data-testid={`cmp-${name.toLowerCase()}-${id}`} data-state={s.visual}>
      <b>{name}</b>
      <span className="cmp-dot" />
      <span className="cmp-label">{s.label}</span>
      {count && <span className={`cmp-count${mark.differs.includes("count") ? " differs" : ""}`}>{count}</span>}
    </div>
  );
}

function RunsMarks({ id, mark }: { id: string; mark: RunsNodeMark }) {
  return (
    <div className="cmp-sides" data-testid={`cmp-${id}`} data-differs={mark.differs.join(" ")}>
      <Side id={id} name="A" s={mark.a} mark={mark} />
      <Side id={id} name="B" s={mark.b} mark={mark} />
    </div>
  );
}

/** A card's marks in the comparison shown, if any. */
function NodeMarksView({ id, size }: { id: string; size: { width: number; height: number } }) {
  const view = useCompare((s) => s.view);
  if (!view) return null;
  if (view.mode === "runs") {
    const m = view.nodes[id];
    return m ? <RunsMarks id={id} mark={m} /> : null;
  }
  const m = view.nodes[id];
  return m ? <DiffMarks id={id} mark={m} size={size} /> : null;
}
export const CompareNodeMarks = memo(NodeMarksView);

/** A transition's label in the comparison shown: Added / Removed, or both runs' counts. */
export function CompareEdgeLabel({ from, port, to }: { from: string; port: string; to: string }) {
  const key = edgeKey({ from, port, to });
  const diff = useCompare((s) => (s.view?.mode === "diff" ? s.view.edges[key] : undefined));
  const runs = useCompare((s) => (s.view?.mode === "runs" ? s.view.edges[key] : undefined));
  if (diff)
    return (
      <span className={`edge-count diff-${diff}`} data-testid={`diff-edge-${diff}-${from}-${port}-${to}`}>
        {diff === "added" ? "Added" : "Removed"}
      </span>
    );
  if (runs)
    return (
      <span className={`edge-count cmp-pair${runs.differs ? " differs" : ""}`} data-testid={`cmp-edge-${from}-${port}-${to}`}>
        {edgePair(runs)}
      </span>
    );
  return null;
}
