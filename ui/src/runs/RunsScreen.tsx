//! Runs history (first cut): one page of runs, for all workflows or one.
import { useEffect, useState } from "react";
import { useNav } from "../app/navStore";
import { RUN_STATUS_LABEL } from "../app/roles";
import { backend } from "../bridge";
import type { RunSummary } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { useWorkflows } from "../workflows/workflowsStore";

const fmt = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : "—");
const dur = (r: RunSummary) => (r.startedAt && r.endedAt ? `${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s` : "—");

export function RunsScreen({ workflowId }: { workflowId: string | null }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = useWorkflows((s) => s.items.find((w) => w.id === workflowId)?.name);
  const go = useNav((s) => s.go);
  useEffect(() => {
    backend
      .listRuns({ workflowId, statuses: [], trigger: null, from: null, to: null, ascending: false }, null, 100)
      .then((p) => setRuns(p.runs))
      .catch((e) => setError(errorMessage(e)));
  }, [workflowId]);
  return (
    <div className="page">
      <div className="page-inner">
        <div className="page-head">
          <div>
            <h1>{workflowId ? `Runs of ${name ?? workflowId}` : "Runs"}</h1>
            <p>Every execution, newest first.</p>
          </div>
          <div className="spacer" />
          {workflowId && (
            <button type="button" className="btn" onClick={() => go({ name: "runs", workflowId: null })}>
              All workflows
            </button>
          )}
        </div>
        {error && <p className="sev-error">{error}</p>}
        {runs && runs.length === 0 && (
          <div className="empty">
            <h3>No runs yet</h3>
            <p>Use Run now on a workflow to start one.</p>
          </div>
        )}
        {runs && runs.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Workflow</th>
                <th>Trigger</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Revision</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>{RUN_STATUS_LABEL[r.status]}</td>
                  <td>{r.workflowName}</td>
                  <td style={{ textTransform: "capitalize" }}>{r.trigger.replace(/_/g, " ")}</td>
                  <td>{fmt(r.startedAt)}</td>
                  <td>{dur(r)}</td>
                  <td>{r.revision}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
