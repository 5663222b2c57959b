//! Display logs: one activity's log lines across its tasks and attempts in the shown run,
//! searchable, with a level filter. Live while the run is active.
import { X } from "lucide-react";
import { backend } from "../bridge";
import type { LogLine } from "../bridge/types";
import { CopyButton } from "../runs/parts";
import { useCanvasRun } from "./canvasRun";
import { LogFilters, LogList, useLogFilter } from "./logView";
import { useRunReload } from "./useRunReload";

const NO_LINES: LogLine[] = [];

export function LogsPanel({ label }: { label: (id: string) => string }) {
  const runId = useCanvasRun((s) => s.runId);
  const activityId = useCanvasRun((s) => s.logsFor);
  const { data } = useRunReload<LogLine[]>(activityId ? runId : null, () => backend.runLogs(runId ?? 0, activityId), [activityId], {
    wants: (e) => e.kind === "log",
    ms: 80,
  });
  const lines = data ?? NO_LINES;
  const filter = useLogFilter(lines);
  const shown = filter.shown;
  if (runId === null || !activityId) return null;
  const text = shown.map((l) => `${new Date(l.at).toISOString()} ${l.level.toUpperCase()} task ${l.taskId} attempt ${l.attempt}: ${l.message}`).join("\n");
  return (
    <aside className="logs-panel" aria-label="Logs" data-testid="logs-panel">
      <div className="lp-head">
        <strong>Logs · {label(activityId)}</strong>
        <span className="muted">run #{runId}</span>
        <div className="spacer" />
        <CopyButton text={text} label="logs" />
        <button type="button" className="btn ghost icon" aria-label="Close logs" onClick={() => useCanvasRun.getState().set({ logsFor: null })}>
          <X size={15} />
        </button>
      </div>
      <LogFilters filter={filter} searchLabel="Search logs" levelLabel="Level" />
      <LogList lines={lines} shown={shown} tag={(l) => `#${l.taskId}.${l.attempt}`} empty="No log lines for this activity in this run." />
    </aside>
  );
}
