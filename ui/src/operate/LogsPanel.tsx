//! Display logs: one activity's log lines across its tasks and attempts in the shown run,
//! searchable, with a level filter. Live while the run is active.
import { X } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { backend } from "../bridge";
import type { LogLine } from "../bridge/types";
import { CopyButton } from "../runs/parts";
import { useCanvasRun } from "./canvasRun";
import { coalesce, onLive } from "./liveEvents";

export function LogsPanel({ label }: { label: (id: string) => string }) {
  const runId = useCanvasRun((s) => s.runId);
  const activityId = useCanvasRun((s) => s.logsFor);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [query, setQuery] = useState("");
  const [level, setLevel] = useState("");
  useEffect(() => {
    if (runId === null || !activityId) return;
    let live = true;
    const load = coalesce(() => void backend.runLogs(runId, activityId).then((l) => live && setLines(l)), 80);
    load();
    const off = onLive((e) => {
      if (e.runId === runId && e.kind === "log") load();
    });
    return () => {
      live = false;
      off();
    };
  }, [runId, activityId]);
  const shown = useMemo(
    () => lines.filter((l) => (!level || l.level === level) && (!query || l.message.toLowerCase().includes(query.toLowerCase()))),
    [lines, level, query],
  );
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
      <div className="lp-filters">
        <input className="input" placeholder="Search logs" aria-label="Search logs" value={query} onChange={(e) => setQuery(e.target.value)} />
        <select className="select" aria-label="Level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">All levels</option>
          <option value="info">Info</option>
          <option value="warn">Warning</option>
          <option value="error">Error</option>
        </select>
      </div>
      <div className="log-lines">
        {shown.length === 0 && <p className="muted">{lines.length ? "No line matches." : "No log lines for this activity in this run."}</p>}
        {shown.map((l) => (
          <div key={l.id} className={`log-line lvl-${l.level}`}>
            <span className="l-time">{new Date(l.at).toLocaleTimeString()}</span>
            <span className="l-lvl">{l.level}</span>
            <span className="l-att">#{l.taskId}.{l.attempt}</span>
            <span className="l-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </aside>
  );
}
