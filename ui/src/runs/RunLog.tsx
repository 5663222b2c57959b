//! The run-wide log: every activity's log lines of one run, in order, searchable, with a level
//! filter; live while the run is active.
import { useEffect, useMemo, useState } from "react";
import { backend } from "../bridge";
import type { LogLine } from "../bridge/types";
import { coalesce, onLive } from "../operate/liveEvents";
import { CopyButton } from "./parts";

export function RunLog({ runId, label }: { runId: number; label: (activityId: string) => string }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [query, setQuery] = useState("");
  const [level, setLevel] = useState("");
  useEffect(() => {
    let live = true;
    const load = coalesce(() => void backend.runLogs(runId, null).then((l) => live && setLines(l)), 80);
    load();
    const off = onLive((e) => {
      if (e.runId === runId && e.kind === "log") load();
    });
    return () => {
      live = false;
      off();
    };
  }, [runId]);
  const shown = useMemo(() => {
    const q = query.toLowerCase();
    return lines.filter((l) => (!level || l.level === level) && (!q || l.message.toLowerCase().includes(q) || label(l.activityId).toLowerCase().includes(q)));
  }, [lines, level, query, label]);
  const text = shown.map((l) => `${new Date(l.at).toISOString()} ${l.level.toUpperCase()} ${l.activityId} #${l.taskId}.${l.attempt}: ${l.message}`).join("\n");
  return (
    <section className="rd-runlog" aria-label="Run log" data-testid="run-log">
      <div className="lp-head">
        <strong>Run log</strong>
        <span className="muted">
          {shown.length} of {lines.length} line{lines.length === 1 ? "" : "s"}
        </span>
        <div className="spacer" />
        <CopyButton text={text} label="run log" />
      </div>
      <div className="lp-filters">
        <input className="input" placeholder="Search the run log" aria-label="Search the run log" value={query} onChange={(e) => setQuery(e.target.value)} />
        <select className="select" aria-label="Run log level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">All levels</option>
          <option value="info">Info</option>
          <option value="warn">Warning</option>
          <option value="error">Error</option>
        </select>
      </div>
      <div className="log-lines">
        {shown.length === 0 && <p className="muted">{lines.length ? "No line matches." : "No log lines in this run."}</p>}
        {shown.map((l) => (
          <div key={l.id} className={`log-line lvl-${l.level}`}>
            <span className="l-time">{new Date(l.at).toLocaleTimeString()}</span>
            <span className="l-lvl">{l.level}</span>
            <span className="l-att">{label(l.activityId)}</span>
            <span className="l-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
