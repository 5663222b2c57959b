//! The Schedulers view: every workflow with a schedule trigger — its schedule in words, the next
//! three fire times, the missed-run policy, the last run (marked Manual when it was a Run now)
//! and the runs queued behind a running one — with Run now, Pause / Resume schedule and Edit.
//! Everything shown is the engine's answer (`list_schedulers`).
import { CalendarClock, History, Pause, Pencil, Play, PlayCircle } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useNav } from "../app/navStore";
import { backend } from "../bridge";
import type { SchedulerRow } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { runCommand } from "../operate/commands";
import { answerOrder, coalesce, onLive } from "../operate/liveEvents";
import { RunStatusBadge } from "../runs/parts";
import { TRIGGER_LABEL, formatTime } from "../runs/status";
import { SCHEDULE_STATE_LABEL, SCHEDULE_STATE_TONE, pauseResume, runNowFromSchedulers } from "./schedulerActions";

/** Loads `load` now, again on every engine event that can change it, and every 30 s (fire times move on). */
export function useLive<T>(load: () => Promise<T>): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const order = useMemo(answerOrder, []);
  const reload = useCallback(() => {
    const ticket = order.start();
    load()
      .then((d) => {
        if (!order.show(ticket)) return;
        setData(d);
        setError(null);
      })
      .catch((e) => order.show(ticket) && setError(errorMessage(e)));
  }, [load, order]);
  useEffect(() => {
    reload();
    const later = coalesce(reload, 200);
    const off = onLive((e) => {
      if (["run_created", "run_status", "workflow_state", "workflow_changed", "purged", "task_changed", "command_applied"].includes(e.kind)) later();
    });
    const timer = setInterval(reload, 30_000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [reload]);
  return { data, error, reload };
}

export function LastRun({ row }: { row: SchedulerRow }) {
  const go = useNav((s) => s.go);
  const r = row.lastRun;
  if (!r) return <span className="muted">Never run</span>;
  return (
    <span className="sched-last">
      <RunStatusBadge status={r.status} />
      <button type="button" className="link" onClick={() => void go({ name: "run", id: r.id })}>
        #{r.id}
      </button>
      {r.trigger === "manual" ? (
        <span className="badge manual" data-testid="manual-marker" title="Started with Run now">
          Manual
        </span>
      ) : (
        <span className="muted">{TRIGGER_LABEL[r.trigger]}</span>
      )}
      <span className="muted">{formatTime(r.startedAt ?? r.createdAt)}</span>
    </span>
  );
}

export function QueueChips({ row }: { row: SchedulerRow }) {
  return (
    <>
      {row.running > 0 && <span className="badge accent">{row.running} running</span>}
      {row.queued > 0 && (
        <span className="badge amber" data-testid="queued" title={`Waiting for the running execution to finish (concurrency: ${row.concurrency})`}>
          {row.queued} queued
        </span>
      )}
    </>
  );
}

export function ScheduleLines({ row }: { row: SchedulerRow }) {
  return (
    <>
      {row.schedules.map((s) => (
        <div key={s.activityId} className="sched-line" data-testid="schedule">
          <div className="sched-words">
            <CalendarClock size={14} />
            <strong data-testid="schedule-words">{s.words}</strong>
            <span className={`badge ${SCHEDULE_STATE_TONE[s.state]}`} data-testid="schedule-state" data-state={s.state}>
              {SCHEDULE_STATE_LABEL[s.state]}
            </span>
          </div>
          <div className="sched-sub muted">
            {s.label} · {s.missedWords}
          </div>
          {s.next.length > 0 && (
            <ol className="sched-next" aria-label={`Next fire times of ${s.label}`}>
              {s.next.map((t) => (
                <li key={t.at} data-testid="fire-time">
                  {t.local}
                </li>
              ))}
            </ol>
          )}
        </div>
      ))}
    </>
  );
}

export function RowActions({ row, showOpen }: { row: SchedulerRow; showOpen?: boolean }) {
  const go = useNav((s) => s.go);
  const w = row.workflow;
  const pr = pauseResume(row);
  return (
    <div className="sched-actions">
      <button type="button" className="btn sm primary" onClick={() => void runNowFromSchedulers(w)}>
        <Play size={13} /> Run now
      </button>
      <button type="button" className="btn sm" disabled={!pr.enabled} title={pr.reason || undefined} onClick={() => void runCommand(w.id, { type: pr.command }, pr.label)}>
        {pr.command === "pause" ? <Pause size={13} /> : <PlayCircle size={13} />} {pr.label}
      </button>
      <button type="button" className="btn sm ghost" onClick={() => void go({ name: "editor", id: w.id })}>
        <Pencil size={13} /> Edit
      </button>
      {showOpen && (
        <button type="button" className="btn sm ghost" onClick={() => void go({ name: "runs", workflowId: w.id })}>
          <History size={13} /> View runs
        </button>
      )}
    </div>
  );
}

export function SchedulersScreen() {
  const go = useNav((s) => s.go);
  const load = useCallback(() => backend.listSchedulers(), []);
  const { data: rows, error } = useLive(load);
  return (
    <div className="page">
      <div className="page-inner wide">
        <div className="page-head">
          <div>
            <h1>Schedulers</h1>
            <p>Every workflow with a schedule: when it fires next, what happens to missed runs, and how its last run went.</p>
          </div>
        </div>
        {error && <p className="sev-error">{error}</p>}
        {rows && rows.length === 0 && (
          <div className="empty">
            <h3>No scheduled workflows</h3>
            <p>Add a Schedule trigger to a workflow to see it here.</p>
          </div>
        )}
        <div className="sched-table" role="table" aria-label="Schedulers">
          {rows && rows.length > 0 && (
            <div className="sched-row sched-head" role="row">
              <span role="columnheader">Workflow</span>
              <span role="columnheader">Schedule and next fire times</span>
              <span role="columnheader">Last run</span>
              <span role="columnheader">Actions</span>
            </div>
          )}
          {rows?.map((row) => (
            <div key={row.workflow.id} className="sched-row" role="row" data-testid="scheduler-row" aria-label={row.workflow.name}>
              <span role="cell" className="sched-wf">
                <button type="button" className="link strong" onClick={() => void go({ name: "workflow", id: row.workflow.id })}>
                  {row.workflow.name}
                </button>
                <span className="muted">Concurrency: {row.concurrency}</span>
              </span>
              <span role="cell">
                <ScheduleLines row={row} />
              </span>
              <span role="cell" className="sched-lastcell">
                <LastRun row={row} />
                <span className="sched-chips">
                  <QueueChips row={row} />
                </span>
              </span>
              <span role="cell">
                <RowActions row={row} />
              </span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
