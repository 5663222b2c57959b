//! The run dialog: the workflow's parameter form (generated from its parameters schema), Start
//! execution, then in the same dialog the live status, progress, tasks, approvals, Cancel, View
//! details and, once finished, the per-task outcomes, the results JSON and Test again.
import Form from "@rjsf/core";
import { ExternalLink, Play, RotateCcw, Square } from "lucide-react";
import { useMemo, useState } from "react";
import { useNav } from "../app/navStore";
import { runCommand } from "../operate/commands";
import { formValidator, prepareForm } from "../section-modal/schemaForm";
import { widgets } from "../section-modal/widgets";
import { ApprovalBox, CopyButton, ProgressBar, RunStatusBadge, TaskLine, json } from "./parts";
import { useRunNow } from "./runNow";
import { formatDuration, groupTasks, isActive } from "./status";
import { labelOf, useRunLive } from "./useRunLive";

export function RunNowDialog() {
  const pending = useRunNow((s) => s.pending);
  if (!pending) return null;
  return <RunDialog key={pending.workflowId} {...pending} />;
}

function RunDialog({ workflowId, name, schema }: { workflowId: string; name: string; schema: Record<string, unknown> }) {
  const [runId, setRunId] = useState<number | null>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const close = useRunNow((s) => s.close);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog wide run-dialog" role="dialog" aria-label={`Run ${name}`} onKeyDown={(e) => e.key === "Escape" && close()}>
        <div className="dialog-head">
          <div className="card-icon">
            <Play size={18} />
          </div>
          <div>
            <h2>Run “{name}”</h2>
            <p>{runId === null ? "Parameters of this run." : `Run #${runId} — updates live.`}</p>
          </div>
        </div>
        {runId === null ? (
          <ParamsStep workflowId={workflowId} name={name} schema={schema} data={data} setData={setData} onStarted={setRunId} onClose={close} />
        ) : (
          <LiveStep runId={runId} onTestAgain={() => setRunId(null)} onClose={close} />
        )}
      </div>
    </div>
  );
}

function ParamsStep(p: {
  workflowId: string;
  name: string;
  schema: Record<string, unknown>;
  data: Record<string, unknown>;
  setData: (d: Record<string, unknown>) => void;
  onStarted: (runId: number) => void;
  onClose: () => void;
}) {
  const form = useMemo(() => prepareForm(p.schema), [p.schema]);
  const [errors, setErrors] = useState(0);
  const [busy, setBusy] = useState(false);
  const hasFields = Object.keys((p.schema as { properties?: object }).properties ?? {}).length > 0;
  const start = async () => {
    setBusy(true);
    const out = await runCommand(p.workflowId, { type: "run_now", params: p.data, simulate: false }, "Run now");
    setBusy(false);
    if (out?.runId) p.onStarted(out.runId);
  };
  return (
    <>
      <div className="dialog-body">
        {hasFields ? (
          <Form
            className="rjsf"
            tagName="div"
            schema={form.schema}
            uiSchema={form.uiSchema}
            formData={p.data}
            validator={formValidator}
            widgets={widgets}
            liveValidate
            showErrorList={false}
            noHtml5Validate
            onChange={(e) => {
              p.setData((e.formData ?? {}) as Record<string, unknown>);
              setErrors(e.errors?.length ?? 0);
            }}
          />
        ) : (
          <p className="muted">This workflow takes no parameters.</p>
        )}
      </div>
      <div className="dialog-foot">
        <button type="button" className="btn" onClick={p.onClose}>
          Cancel
        </button>
        <button type="button" className="btn primary" disabled={errors > 0 || busy} onClick={() => void start()}>
          <Play size={14} /> {busy ? "Starting…" : "Start execution"}
        </button>
      </div>
    </>
  );
}

function LiveStep({ runId, onTestAgain, onClose }: { runId: number; onTestAgain: () => void; onClose: () => void }) {
  const { run, tasks, approvals, body } = useRunLive(runId);
  const go = useNav((s) => s.go);
  const [cancelling, setCancelling] = useState(false);
  if (!run) return <div className="dialog-body muted">Starting…</div>;
  const active = isActive(run.status);
  const groups = groupTasks(tasks);
  const results = Object.fromEntries(tasks.filter((t) => t.result !== null).map((t) => [t.activityId, t.result]));
  const resultsJson = json({ status: run.status, vars: run.vars, results, ...(run.error ? { error: run.error } : {}) });
  return (
    <>
      <div className="dialog-body run-live" data-testid="run-live">
        <div className="run-live-head">
          <RunStatusBadge status={run.status} />
          <span className="muted">{formatDuration(run.startedAt, run.endedAt, Date.now())}</span>
          <div className="spacer" />
          <span className="pct" data-testid="run-progress">
            {run.progress}%
          </span>
        </div>
        <ProgressBar value={run.progress} status={run.status} />
        {run.error && <p className="sev-error">{run.error}</p>}
        {groups.waiting.length > 0 && (
          <section className="task-group">
            <h4>Waiting for approval</h4>
            {groups.waiting.map((t) => {
              const ap = approvals.find((a) => a.taskId === t.id);
              return ap ? <ApprovalBox key={t.id} approval={ap} label={labelOf(body, t.activityId)} workflowId={run.workflowId} /> : <TaskLine key={t.id} task={t} label={labelOf(body, t.activityId)} />;
            })}
          </section>
        )}
        {groups.running.length > 0 && (
          <section className="task-group">
            <h4>Running</h4>
            {groups.running.map((t) => (
              <TaskLine key={t.id} task={t} label={labelOf(body, t.activityId)} />
            ))}
          </section>
        )}
        {groups.finished.length > 0 && (
          <section className="task-group">
            <h4>Finished</h4>
            {groups.finished.map((t) => (
              <TaskLine key={t.id} task={t} label={labelOf(body, t.activityId)} right={<span className="t-time">{formatDuration(t.startedAt, t.endedAt)}</span>} />
            ))}
          </section>
        )}
        {!active && (
          <section className="task-group">
            <h4>
              Results <CopyButton text={resultsJson} label="results" />
            </h4>
            <pre className="code" data-testid="run-results">
              {resultsJson}
            </pre>
          </section>
        )}
      </div>
      <div className="dialog-foot">
        {active && (
          <button
            type="button"
            className="btn danger-outline"
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
        <div className="spacer" />
        <button
          type="button"
          className="btn"
          onClick={() => {
            onClose();
            void go({ name: "run", id: run.id });
          }}
        >
          <ExternalLink size={14} /> View details
        </button>
        {!active && (
          <button type="button" className="btn" onClick={onTestAgain}>
            <RotateCcw size={14} /> Test again
          </button>
        )}
        <button type="button" className={`btn${active ? "" : " primary"}`} onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}
