//! The run strip over the canvas: which run is shown (follows new runs of this workflow), its
//! status and progress, the approval waiting, a debug run's pause (Continue, Step, Skip, Stop),
//! the durations toggle, Replay (a past run's history on the canvas, `ReplayBar`), and a link to
//! the detail.
//! Feeds `useCanvasRun`, which the nodes, edges and the right-click menu read.
import { Clock, ExternalLink, FastForward, History, Play, RefreshCw, Search, SkipForward, Square, X } from "lucide-react";
import { useEffect, useState } from "react";
import { useNav } from "../app/navStore";
import { backend } from "../bridge";
import type { DebugAction, RerunPreview, RunDetail, RunFilter, RunSummary, TaskRecord } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { toast } from "../app/toastStore";
import { useDirty } from "../editor/editorStore";
import { flow } from "../canvas/flowRef";
import { ApprovalBox, ProgressBar, RunStatusBadge } from "../runs/parts";
import { ACTIVE_STATUSES, formatTime, isActive, runLabel } from "../runs/status";
import { labelOf, useRunLive } from "../runs/useRunLive";
import { activityStates, edgeKey, useCanvasRun } from "./canvasRun";
import { runCommand } from "./commands";
import { answerOrder, coalesce, onLive } from "./liveEvents";

const FILTER: Omit<RunFilter, "workflowId"> = { statuses: [], trigger: null, from: null, to: null, ascending: false };

export function CanvasRunBar({ workflowId, initialRunId, replay = false }: { workflowId: string; initialRunId: number | null; replay?: boolean }) {
  const runId = useCanvasRun((s) => s.runId);
  const replaying = useCanvasRun((s) => s.replay !== null);
  const showDurations = useCanvasRun((s) => s.showDurations);
  const [recent, setRecent] = useState<RunSummary[]>([]);
  const live = useRunLive(runId);
  const go = useNav((s) => s.go);

  // Which run: the one asked for, else an active one of this workflow; then follow new runs.
  useEffect(() => {
    const store = useCanvasRun.getState();
    store.set({ runId: initialRunId, replay: replay ? initialRunId : null, run: null, byActivity: {}, edges: {}, approvals: [], logsFor: null, inspectFor: null, rerun: null });
    if (initialRunId === null) {
      void backend.listRuns({ ...FILTER, workflowId, statuses: [...ACTIVE_STATUSES] }, null, 1).then((p) => {
        if (p.runs[0] && useCanvasRun.getState().runId === null) useCanvasRun.getState().set({ runId: p.runs[0].id });
      });
    }
    const order = answerOrder();
    const loadRecent = coalesce(() => {
      const ticket = order.start();
      void backend.listRuns({ ...FILTER, workflowId }, null, 20).then((p) => order.show(ticket) && setRecent(p.runs));
    }, 200);
    loadRecent();
    const off = onLive((e) => {
      if (e.workflowId !== workflowId) return;
      if (e.kind === "run_created" && e.runId !== null) useCanvasRun.getState().set({ runId: e.runId, rerun: null, inspectFor: null, logsFor: null });
      if (e.kind === "run_created" || e.kind === "purged" || e.kind === "run_status") loadRecent();
    });
    return () => {
      off();
      useCanvasRun.getState().set({ runId: null, replay: null, run: null, byActivity: {}, edges: {}, approvals: [], logsFor: null, inspectFor: null, rerun: null });
    };
  }, [workflowId, initialRunId, replay]);

  useEffect(() => {
    // A replay feeds the overlay itself; leaving it brings the run's state back.
    if (replaying) {
      useCanvasRun.getState().set({ run: live.run, approvals: live.approvals });
      return;
    }
    useCanvasRun.getState().set({
      run: live.run,
      byActivity: activityStates(live.tasks),
      edges: Object.fromEntries(live.edges.map((e) => [edgeKey(e), e])),
      approvals: live.approvals,
    });
  }, [live.run, live.tasks, live.edges, live.approvals, replaying]);

  const run = live.run;
  const options = run && !recent.some((r) => r.id === run.id) ? [run, ...recent] : recent;
  return (
    <div className={`run-strip${run ? " on" : ""}`} data-testid="run-strip">
      <select
        className="select sm"
        aria-label="Run shown on the canvas"
        value={runId ?? ""}
        onChange={(e) => useCanvasRun.getState().set({ runId: e.target.value ? Number(e.target.value) : null, replay: null, logsFor: null, inspectFor: null, rerun: null })}
      >
        <option value="">No run shown</option>
        {options.map((r) => (
          <option key={r.id} value={r.id}>
            Run #{r.id} · {runLabel(r.status)} · {formatTime(r.startedAt ?? r.createdAt)}
          </option>
        ))}
      </select>
      {run && (
        <>
          <RunStatusBadge status={run.status} />
          <div className="strip-progress">
            <ProgressBar value={run.progress} status={run.status} />
          </div>
          <span className="pct">{run.progress}%</span>
          {run.simulate && <span className="badge amber">Simulation</span>}
          <div className="spacer" />
          <button
            type="button"
            className={`btn ghost sm${showDurations ? " on" : ""}`}
            aria-pressed={showDurations}
            data-tip="Show how long each activity took"
            onClick={() => useCanvasRun.getState().set({ showDurations: !showDurations })}
          >
            <Clock size={14} /> Durations
          </button>
          {!isActive(run.status) && (
            <>
              <button
                type="button"
                className={`btn ghost sm${replaying ? " on" : ""}`}
                aria-pressed={replaying}
                data-testid="replay-open"
                data-tip="Play this run's history on the canvas"
                onClick={() => useCanvasRun.getState().set({ replay: replaying ? null : run.id })}
              >
                <History size={14} /> Replay
              </button>
              <button
                type="button"
                className="btn ghost sm"
                data-tip="Run this run again on the latest revision, reusing the results of what an edit did not change"
                onClick={() =>
                  void backend
                    .rerunPreview(run.id)
                    .then((rerun) => useCanvasRun.getState().set({ rerun }))
                    .catch((e) => toast(`Re-run: ${errorMessage(e)}`, "error"))
                }
              >
                <RefreshCw size={14} /> Re-run after edit
              </button>
            </>
          )}
          <button type="button" className="btn ghost sm" onClick={() => void go({ name: "run", id: run.id })}>
            <ExternalLink size={14} /> Run detail
          </button>
          <button type="button" className="btn ghost icon" aria-label="Hide the run" data-tip="Hide the run" onClick={() => useCanvasRun.getState().set({ runId: null, replay: null, logsFor: null, inspectFor: null, rerun: null })}>
            <X size={15} />
          </button>
        </>
      )}
      {!run && <span className="muted">Run something, or pick a past run, to see its state on the canvas.</span>}
      {run && <RerunBar run={run} />}
      {run && isActive(run.status) && <DebugControls run={run} tasks={live.tasks} label={(a) => labelOf(live.body, a)} />}
      {run && isActive(run.status) && live.approvals.length > 0 && (
        <div className="strip-approvals">
          {live.approvals.map((a) => (
            <ApprovalBox key={a.taskId} approval={a} label={labelOf(live.body, a.activityId)} workflowId={run.workflowId} />
          ))}
        </div>
      )}
    </div>
  );
}

/** A debug run's pause: where it waits, and Continue, Step, Skip (simulation only) and Stop. */
function DebugControls({ run, tasks, label }: { run: RunDetail; tasks: TaskRecord[]; label: (activityId: string) => string }) {
  const paused = tasks.filter((t) => t.status === "waiting" && t.waitReason === "breakpoint");
  // Each new pause brings its activity to the middle of the canvas (the first, when branches
  // wait at several).
  const pausedAt = paused[0]?.activityId;
  const pausedTask = paused[0]?.id;
  useEffect(() => {
    // A new pause is a new task (a loop may pause at the same activity again).
    if (pausedAt && pausedTask !== undefined) void flow()?.fitView({ nodes: [{ id: pausedAt }], duration: 300, maxZoom: 1, padding: 0.5 });
  }, [pausedAt, pausedTask]);
  if (paused.length === 0) return null;
  const first = paused[0];
  const send = (action: DebugAction, name: string) =>
    void runCommand(run.workflowId, { type: "debug", run_id: run.id, task_id: action === "stop" ? null : first.id, action }, name);
  return (
    <div className="strip-debug" data-testid="debug-controls">
      <span className="badge amber" data-testid="paused-at">
        Paused at {paused.map((t) => label(t.activityId)).join(", ")}
      </span>
      <button type="button" className="btn sm" onClick={() => useCanvasRun.getState().set({ inspectFor: first.activityId })}>
        <Search size={14} /> Inspect
      </button>
      <button type="button" className="btn sm" onClick={() => send("continue", "Continue")}>
        <Play size={14} /> Continue
      </button>
      <button type="button" className="btn sm" title="Go on and pause again at the next activity on this branch" onClick={() => send("step", "Step")}>
        <FastForward size={14} /> Step
      </button>
      <button
        type="button"
        className="btn sm"
        disabled={!run.simulate || first.attempt > 0}
        title={run.simulate ? "Take the ok port without running it" : "Skip — only in a simulation run: what follows would act on a result that was never made"}
        onClick={() => send("skip", "Skip")}
      >
        <SkipForward size={14} /> Skip
      </button>
      <button type="button" className="btn sm" onClick={() => send("stop", "Stop")}>
        <Square size={13} /> Stop
      </button>
    </div>
  );
}

/** A re-run after an edit being considered: what it reuses and runs again (the canvas marks
 * the same), and the button that makes it. */
function RerunBar({ run }: { run: RunDetail }) {
  const preview = useCanvasRun((s) => s.rerun);
  const dirty = useDirty();
  if (!preview || preview.runId !== run.id) return null;
  const close = () => useCanvasRun.getState().set({ rerun: null });
  const start = (p: RerunPreview) =>
    void runCommand(p.workflowId, { type: "rerun_after_edit", run_id: p.runId }, "Re-run after edit").then((out) => {
      if (out?.ok) toast(`Re-run of run #${p.runId}${out.runId ? ` as run #${out.runId}` : ""}: ${p.reused.length} reused`);
    });
  return (
    <div className="strip-rerun" data-testid="rerun-bar">
      <span>
        Re-run #{preview.runId} on revision {preview.toRevision}
        {preview.toRevision === preview.fromRevision ? " (unchanged since)" : ` (it ran revision ${preview.fromRevision})`}:
      </span>
      <span className="badge accent" data-testid="rerun-reused">{preview.reused.length} reused</span>
      <span className="badge amber" data-testid="rerun-changed">{preview.changed.length} changed</span>
      <span className="badge">{preview.runAgain.length} run again</span>
      {preview.changed.length === 0 && <span className="muted">Nothing that runs changed: everything runs again.</span>}
      {dirty && <span className="sev-error">Unsaved changes are not part of it: save first.</span>}
      <div className="spacer" />
      <button type="button" className="btn primary sm" onClick={() => start(preview)}>
        <Play size={14} /> Re-run
      </button>
      <button type="button" className="btn ghost sm" onClick={close}>
        Cancel
      </button>
    </div>
  );
}
