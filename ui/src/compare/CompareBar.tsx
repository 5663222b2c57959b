//! The strip over the canvas while it shows a comparison: what is compared, a legend with the
//! figures, the workflow's own changes, and the way back to editing (Close, or Escape).
import { GitCompareArrows, X } from "lucide-react";
import { RunStatusBadge } from "../runs/parts";
import { formatTime } from "../runs/status";
import { useCompare } from "./compareStore";
import { changeLine, diffCounts, type DiffView } from "./diffView";
import type { RunsView } from "./runsView";

function DiffLegend({ view }: { view: DiffView }) {
  const n = diffCounts(view);
  return (
    <>
      <span className="cmp-title">
        Revision {view.from} → {view.to}
      </span>
      <div className="cmp-legend" data-testid="compare-legend" aria-label="Legend">
        <span className="lg added">Added · {n.added}</span>
        <span className="lg removed">Removed · {n.removed}</span>
        <span className="lg moved">Moved · {n.moved}</span>
        <span className="lg changed">Changed · {n.changed}</span>
        <span className="lg edge-added">Transitions added · {n.transitionsAdded}</span>
        <span className="lg edge-removed">removed · {n.transitionsRemoved}</span>
      </div>
      {view.settings.length > 0 && (
        <span className="cmp-settings" data-testid="diff-settings" data-tip={view.settings.map(changeLine).join("\n")}>
          Workflow: {view.settings.map(changeLine).join(" · ")}
        </span>
      )}
    </>
  );
}

function RunsLegend({ view }: { view: RunsView }) {
  const differing = Object.values(view.nodes).filter((m) => m.differs.length > 0).length;
  return (
    <>
      <span className="cmp-title">
        <b>A</b> Run #{view.a.id} <RunStatusBadge status={view.a.status} /> <span className="muted">rev {view.a.revision} · {formatTime(view.a.startedAt ?? view.a.createdAt)}</span>
      </span>
      <span className="cmp-title">
        <b>B</b> Run #{view.b.id} <RunStatusBadge status={view.b.status} /> <span className="muted">rev {view.b.revision} · {formatTime(view.b.startedAt ?? view.b.createdAt)}</span>
      </span>
      <div className="cmp-legend" data-testid="compare-legend" aria-label="Legend">
        <span className="lg">Cards: A’s state, then B’s · transitions: A | B</span>
        <span className="lg changed">Differs · {differing}</span>
        <span className="lg faded">Not reached</span>
        {view.a.revision !== view.b.revision && <span className="lg removed">Not in that run’s revision</span>}
      </div>
    </>
  );
}

export function CompareBar() {
  const view = useCompare((s) => s.view);
  if (!view) return null;
  return (
    <div className="run-strip on compare-strip" data-testid="compare-strip" role="region" aria-label={view.mode === "diff" ? "Revision diff on the canvas" : "Two runs on the canvas"}>
      <GitCompareArrows size={16} />
      {view.mode === "diff" ? <DiffLegend view={view} /> : <RunsLegend view={view} />}
      <div className="spacer" />
      <button type="button" className="btn sm" data-tip="Editing is off while comparing: back to editing (Escape)" onClick={() => useCompare.getState().close()}>
        <X size={14} /> Close
      </button>
    </div>
  );
}
