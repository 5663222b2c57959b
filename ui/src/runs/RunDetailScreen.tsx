//! Run detail: header (status, progress, trigger, parameters, revision), the tasks in scheduling
//! order and, per task, its arguments, result, stdout, stderr, log lines and attempts. Live while
//! the run is active; Cancel; Open on canvas.
import { ArrowLeft, History, Map as MapIcon, RotateCcw, Square } from "lucide-react";
import { useEffect, useState } from "react";
import { useNav } from "../app/navStore";
import { backend } from "../bridge";
import type { AttemptRecord, LogLine, TaskRecord } from "../bridge/types";
import { runCommand } from "../operate/commands";
import { onLive } from "../operate/liveEvents";
import { RunLog } from "./RunLog";
import { CopyButton, ProgressBar, RunStatusBadge, TaskStateDot, json } from "./parts";
import { TRIGGER_LABEL, formatDuration, formatTime, isActive, taskLabel } from "./status";
import { labelOf, useRunLive } from "./useRunLive";

type Tab = "arguments" | "result" | "stdout" | "stderr" | "logs" | "attempts";
const TABS: { id: Tab; label: string }[] = [
  { id: "arguments", label: "Arguments" },
  { id: "result", label: "Result" },
  { id: "stdout", label: "Stdout" },
  { id: "stderr", label: "Stderr" },
  { id: "logs", label: "Logs" },
  { id: "attempts", label: "Attempts" },
];

export function RunDetailScreen({ id }: { id: number }) {
  const { run, tasks, body, error } = useRunLive(id);
  const go = useNav((s) => s.go);
  const [selected, setSelected] = useState<number | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const task = tasks.find((t) => t.id === selected) ?? tasks[0] ?? null;
  if (error && !run) return <div className="page-inner">Could not open run #{id}: {error}</div>;
  if (!run) return <div className="page-inner muted">Loading run #{id}…</div>;
  const active = isActive(run.status);
  return (
    <div className="page run-detail" data-testid="run-detail">
      <div className="page-inner wide">
        <div className="rd-head">
          <button type="button" className="btn ghost icon" aria-label="Back to runs" title="Back to runs" onClick={() => void go({ name: "runs", workflowId: null })}>
            <ArrowLeft size={17} />
          </button>
          <div className="rd-title">
            <h1>
              Run #{run.id} <span className="muted">·</span> {run.workflowName}
            </h1>
            <div className="rd-meta">
              <RunStatusBadge status={run.status} />
              <span>{TRIGGER_LABEL[run.trigger]}</span>
              {run.simulate && <span className="badge amber">Simulation</span>}
              <span>rev {run.revision}</span>
              <span>Started {formatTime(run.startedAt)}</span>
              <span>{formatDuration(run.startedAt, run.endedAt, Date.now())}</span>
              {run.restartOf && (
                <button type="button" className="link" onClick={() => void go({ name: "run", id: run.restartOf as number })}>
                  restarted from run #{run.restartOf}
                  {run.restartFrom ? ` at ${labelOf(body, run.restartFrom)}` : ""}
                </button>
              )}
              {run.parentRun && (
                <button type="button" className="link" data-testid="parent-run" onClick={() => void go({ name: "run", id: run.parentRun as number })}>
                  called by run #{run.parentRun}
                </button>
              )}
            </div>
          </div>
          <div className="spacer" />
          {active && (
            <button
              type="button"
              className="btn sm danger-outline"
              disabled={cancelling}
              onClick={async () => {
                setCancelling(true);
                await runCommand(run.workflowId, { type: "cancel_run", run_id: run.id }, "Cancel run");
                setCancelling(false);
              }}
            >
              <Square size={13} /> {cancelling ? "Cancelling…" : "Cancel run"}
            </button>
          )}
          <button type="button" className="btn sm" onClick={() => void go({ name: "editor", id: run.workflowId, runId: run.id })}>
            <MapIcon size={14} /> Open on canvas
          </button>
          {!active && (
            <button type="button" className="btn sm" data-testid="replay-on-canvas" onClick={() => void go({ name: "editor", id: run.workflowId, runId: run.id, replay: true })}>
              <History size={14} /> Replay on canvas
            </button>
          )}
        </div>
        <div className="rd-progress">
          <ProgressBar value={run.progress} status={run.status} />
          <span className="pct">{run.progress}%</span>
        </div>
        {run.error && <p className="sev-error">{run.error}</p>}
        <div className="rd-params">
          <span className="muted">Parameters</span>
          <code>{Object.keys(run.params).length ? JSON.stringify(run.params) : "none"}</code>
          {Object.keys(run.params).length > 0 && <CopyButton text={json(run.params)} label="parameters" />}
        </div>
        <div className="rd-body">
          <div className="rd-tasks" role="listbox" aria-label="Tasks">
            {tasks.length === 0 && <p className="muted pad">No tasks recorded for this run.</p>}
            {tasks.map((t) => (
              <button
                type="button"
                role="option"
                aria-selected={task?.id === t.id}
                key={t.id}
                className={`rd-task${task?.id === t.id ? " on" : ""}`}
                data-testid={`rd-task-${t.activityId}`}
                onClick={() => setSelected(t.id)}
              >
                <TaskStateDot task={t} />
                <span className="t-name">{labelOf(body, t.activityId)}</span>
                <span className="t-state">{taskLabel(t)}</span>
                <span className="t-time">{formatDuration(t.startedAt, t.endedAt)}</span>
              </button>
            ))}
          </div>
          {task && (
            <TaskPanel
              key={task.id}
              task={task}
              label={labelOf(body, task.activityId)}
              canRestart={!active && body?.activities.find((a) => a.id === task.activityId)?.kind !== "start"}
              onRestart={async () => {
                const out = await runCommand(run.workflowId, { type: "restart_from_task", run_id: run.id, activity_id: task.activityId }, "Restart from this task");
                if (out?.runId) void go({ name: "run", id: out.runId });
              }}
            />
          )}
        </div>
        <RunLog runId={run.id} label={(a) => labelOf(body, a)} />
      </div>
    </div>
  );
}

function TaskPanel({ task, label, canRestart, onRestart }: { task: TaskRecord; label: string; canRestart: boolean; onRestart: () => void }) {
  const [tab, setTab] = useState<Tab>("arguments");
  const [logs, setLogs] = useState<LogLine[]>([]);
  const [attempts, setAttempts] = useState<AttemptRecord[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => {
      void backend.runLogs(task.runId, task.activityId).then((l) => live && setLogs(l.filter((x) => x.taskId === task.id)));
      void backend.taskAttempts(task.id).then((a) => live && setAttempts(a));
    };
    load();
    const off = onLive((e) => {
      if (e.taskId === task.id) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [task.id, task.runId, task.activityId]);
  const text: Record<Tab, string> = {
    arguments: json(task.args),
    result: json(task.result),
    stdout: task.stdout,
    stderr: task.stderr,
    logs: logs.map((l) => `${new Date(l.at).toISOString()} ${l.level.toUpperCase()} [attempt ${l.attempt}] ${l.message}`).join("\n"),
    attempts: json(attempts),
  };
  return (
    <div className="rd-panel" data-testid="task-panel">
      <div className="rd-panel-head">
        <TaskStateDot task={task} />
        <strong>{label}</strong>
        <span className="muted">
          {taskLabel(task)} · attempt {task.attempt}
          {task.recordCount !== null && ` · ${task.recordCount} records`}
          {task.port && ` · → ${task.port}`}
          {task.reused && " · result reused from the earlier run"}
        </span>
        <div className="spacer" />
        {canRestart && (
          <button type="button" className="btn sm" title="A new run that reuses the results before this activity and executes from it onward" onClick={onRestart}>
            <RotateCcw size={13} /> Restart from this task
          </button>
        )}
      </div>
      {task.error && <p className="sev-error">{task.error}</p>}
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button type="button" role="tab" key={t.id} aria-selected={tab === t.id} className={tab === t.id ? "on" : ""} onClick={() => setTab(t.id)}>
            {t.label}
            {t.id === "logs" && logs.length > 0 && <span className="count">{logs.length}</span>}
            {t.id === "attempts" && attempts.length > 0 && <span className="count">{attempts.length}</span>}
          </button>
        ))}
        <div className="spacer" />
        <CopyButton text={text[tab]} label={TABS.find((t) => t.id === tab)?.label.toLowerCase() ?? tab} />
      </div>
      {tab === "logs" ? (
        <div className="log-lines" data-testid="task-logs">
          {logs.length === 0 && <p className="muted">No log lines.</p>}
          {logs.map((l) => (
            <div key={l.id} className={`log-line lvl-${l.level}`}>
              <span className="l-time">{new Date(l.at).toLocaleTimeString()}</span>
              <span className="l-lvl">{l.level}</span>
              <span className="l-msg">{l.message}</span>
            </div>
          ))}
        </div>
      ) : tab === "attempts" ? (
        <div className="attempts">
          {attempts.length === 0 && <p className="muted">Not executed yet.</p>}
          {attempts.map((a) => (
            <div key={a.attempt} className="attempt">
              <strong>Attempt {a.attempt}</strong>
              <span className="muted">
                {a.status} · {formatTime(a.startedAt)} · {formatDuration(a.startedAt, a.endedAt)}
              </span>
              {a.error && <span className="sev-error">{a.error}</span>}
            </div>
          ))}
        </div>
      ) : (
        <pre className="code tall" data-testid={`task-${tab}`}>
          {text[tab] || <span className="muted">(empty)</span>}
        </pre>
      )}
    </div>
  );
}
