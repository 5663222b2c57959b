//! A workflow's detail page: header with Run now, Pause / Resume and Edit; its schedules with
//! the next fire times; its recent runs (Manual marks a Run now, Pending ones are queued); and
//! the approvals its runs wait for. Everything is the engine's `workflow_overview`.
import { ArrowLeft, ExternalLink } from "lucide-react";
import { useCallback } from "react";
import { useNav } from "../app/navStore";
import { STATE_LABEL } from "../app/roles";
import { backend } from "../bridge";
import { ApprovalBox, RunStatusBadge } from "../runs/parts";
import { TRIGGER_LABEL, formatDuration, formatTime } from "../runs/status";
import { QueueChips, RowActions, ScheduleLines, useLive } from "./SchedulersScreen";

export function WorkflowPage({ id }: { id: string }) {
  const go = useNav((s) => s.go);
  const load = useCallback(() => backend.workflowOverview(id), [id]);
  const { data, error } = useLive(load);
  if (error) return <div className="page"><div className="page-inner"><p className="sev-error">{error}</p></div></div>;
  if (!data) return <div className="page"><div className="page-inner muted">Loading…</div></div>;
  const { row, recentRuns, approvals, labels } = data;
  return (
    <div className="page">
      <div className="page-inner wide">
        <button type="button" className="btn ghost sm" onClick={() => void go({ name: "schedulers" })}>
          <ArrowLeft size={14} /> Schedulers
        </button>
        <div className="page-head">
          <div>
            <h1>{row.workflow.name}</h1>
            <p>
              {STATE_LABEL[row.workflow.state]} · revision {row.workflow.revision} · concurrency: {row.concurrency}
            </p>
          </div>
          <div className="spacer" />
          <RowActions row={row} showOpen />
        </div>
        <section className="wf-section">
          <h2>Schedule</h2>
          {row.schedules.length === 0 ? <p className="muted">This workflow has no schedule trigger: it runs when started or triggered.</p> : <ScheduleLines row={row} />}
        </section>
        <section className="wf-section">
          <h2>
            Recent runs <QueueChips row={row} />
          </h2>
          {recentRuns.length === 0 ? (
            <p className="muted">No runs yet.</p>
          ) : (
            <div className="sched-runs" role="table" aria-label="Recent runs">
              {recentRuns.map((r) => (
                <div key={r.id} className="sched-run" role="row" data-testid="recent-run" data-run={r.id}>
                  <span role="cell">
                    <RunStatusBadge status={r.status} />
                  </span>
                  <span role="cell">#{r.id}</span>
                  <span role="cell">
                    {r.trigger === "manual" ? (
                      <span className="badge manual" data-testid="manual-marker">
                        Manual
                      </span>
                    ) : (
                      TRIGGER_LABEL[r.trigger]
                    )}
                  </span>
                  <span role="cell" className="num">
                    {formatTime(r.startedAt ?? r.createdAt)}
                  </span>
                  <span role="cell" className="num">
                    {formatDuration(r.startedAt, r.endedAt)}
                  </span>
                  <span role="cell">
                    <button type="button" className="btn sm ghost" onClick={() => void go({ name: "run", id: r.id })}>
                      <ExternalLink size={13} /> View details
                    </button>
                  </span>
                </div>
              ))}
            </div>
          )}
        </section>
        <section className="wf-section">
          <h2>Approvals waiting</h2>
          {approvals.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            approvals.map((a) => <ApprovalBox key={a.taskId} approval={a} label={`${labels[a.activityId] || a.activityId} · run #${a.runId}`} workflowId={row.workflow.id} />)
          )}
        </section>
      </div>
    </div>
  );
}
