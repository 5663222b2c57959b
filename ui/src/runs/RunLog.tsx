//! The run-wide log: every activity's log lines of one run, in order, searchable, with a level
//! filter; live while the run is active.
import { useCallback, useEffect, useState } from "react";
import { backend } from "../bridge";
import type { LogLine } from "../bridge/types";
import { answerOrder, coalesce, onLive } from "../operate/liveEvents";
import { LogFilters, LogList, useLogFilter } from "../operate/logView";
import { CopyButton } from "./parts";

export function RunLog({ runId, label }: { runId: number; label: (activityId: string) => string }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  useEffect(() => {
    let live = true;
    const order = answerOrder();
    const load = coalesce(() => {
      const ticket = order.start();
      void backend.runLogs(runId, null).then((l) => live && order.show(ticket) && setLines(l));
    }, 80);
    load();
    const off = onLive((e) => {
      if (e.runId === runId && e.kind === "log") load();
    });
    return () => {
      live = false;
      off();
    };
  }, [runId]);
  const byActivity = useCallback((l: LogLine) => label(l.activityId), [label]);
  const filter = useLogFilter(lines, byActivity);
  const shown = filter.shown;
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
      <LogFilters filter={filter} searchLabel="Search the run log" levelLabel="Run log level" />
      <LogList lines={lines} shown={shown} tag={byActivity} empty="No log lines in this run." />
    </section>
  );
}
