//! Inspect at a task: for one activity of the run shown on the canvas, its rendered
//! configuration (templates resolved), the records that came in and went out (sets, counts,
//! the first 200, a search), the run's variables — editable while the run is paused at a
//! breakpoint, then Continue — its attempts with stdout and stderr, and its timing. Live while
//! the run is active. Everything shown is read from the engine.
import { Plus, Trash2, X } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { backend } from "../bridge";
import type { AttemptRecord, RecordSide, TaskRecord, TaskRecords } from "../bridge/types";
import { formatDuration, formatTime, taskLabel } from "../runs/status";
import { useCanvasRun } from "./canvasRun";
import { runCommand } from "./commands";
import { useRunReload } from "./useRunReload";
import { type VarRow, rowsToVars, varsToRows } from "./variables";

type Tab = "configuration" | "input" | "output" | "variables" | "attempts" | "timing";
const TABS: { id: Tab; label: string }[] = [
  { id: "configuration", label: "Configuration" },
  { id: "input", label: "Input" },
  { id: "output", label: "Output" },
  { id: "variables", label: "Variables" },
  { id: "attempts", label: "Attempts" },
  { id: "timing", label: "Timing" },
];

export function Inspector({ label }: { label: (id: string) => string }) {
  const runId = useCanvasRun((s) => s.runId);
  const run = useCanvasRun((s) => s.run);
  const activityId = useCanvasRun((s) => s.inspectFor);
  const state = useCanvasRun((s) => (s.inspectFor ? s.byActivity[s.inspectFor] : undefined));
  const paused = useCanvasRun((s) => Object.values(s.byActivity).some((a) => a.tasks.some((t) => t.status === "waiting" && t.waitReason === "breakpoint")));
  const tasks = state?.tasks ?? [];
  // A task picked among the activity's tasks (a loop, a retry), for this run and activity only.
  const [picked, setPicked] = useState<{ key: string; id: number } | null>(null);
  const key = `${runId}:${activityId}`;
  const [tab, setTab] = useState<Tab>("configuration");
  // Follow the activity's latest task unless an earlier one was picked.
  const task = tasks.find((t) => picked?.key === key && t.id === picked.id) ?? tasks[tasks.length - 1];
  if (runId === null || !activityId || !run) return null;
  const close = () => useCanvasRun.getState().set({ inspectFor: null });
  return (
    <aside className="logs-panel inspector" aria-label="Inspect" data-testid="inspector">
      <div className="lp-head">
        <strong>Inspect · {label(activityId)}</strong>
        <span className="muted">run #{runId}</span>
        <div className="spacer" />
        <button type="button" className="btn ghost icon" aria-label="Close the inspector" onClick={close}>
          <X size={15} />
        </button>
      </div>
      {tasks.length > 1 && (
        <select className="select sm" aria-label="Task" value={task?.id ?? ""} onChange={(e) => setPicked({ key, id: Number(e.target.value) })}>
          {tasks.map((t, i) => (
            <option key={t.id} value={t.id}>
              Task #{t.id} ({i + 1} of {tasks.length}) · {taskLabel(t)}
            </option>
          ))}
        </select>
      )}
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? " on" : ""}`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="insp-body">
        {!task ? (
          <p className="muted">This activity has not been reached in this run.</p>
        ) : tab === "configuration" ? (
          <Configuration task={task} />
        ) : tab === "input" || tab === "output" ? (
          <Records key={`${task.id}-${tab}`} task={task} side={tab} label={label} />
        ) : tab === "variables" ? (
          <Variables key={run.id} workflowId={run.workflowId} runId={run.id} vars={run.vars} paused={paused} />
        ) : tab === "attempts" ? (
          <Attempts task={task} />
        ) : (
          <Timing task={task} />
        )}
      </div>
    </aside>
  );
}

function Configuration({ task }: { task: TaskRecord }) {
  const hasArgs = task.args !== null && !(typeof task.args === "object" && Object.keys(task.args as object).length === 0);
  return (
    <div className="insp-section">
      <p className="muted">{hasArgs ? "As the last attempt received it, templates resolved." : task.attempt === 0 ? "Not run yet: the configuration is resolved when it starts." : "No configuration."}</p>
      {hasArgs && <pre className="code" data-testid="inspect-args">{JSON.stringify(task.args, null, 2)}</pre>}
      {task.result !== null && task.result !== undefined && (
        <>
          <h4>Result{task.port ? ` · left by ${task.port}` : ""}</h4>
          <pre className="code" data-testid="inspect-result">{JSON.stringify(task.result, null, 2)}</pre>
        </>
      )}
      {task.error && <p className="sev-error">{task.error}</p>}
    </div>
  );
}

function Records({ task, side, label }: { task: TaskRecord; side: RecordSide; label: (id: string) => string }) {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(search), 200);
    return () => clearTimeout(t);
  }, [search]);
  const { data, error } = useRunReload<TaskRecords>(task.runId, () => backend.taskRecords(task.id, side, query || null, 200), [task.id, side, query]);
  return (
    <div className="insp-section">
      <div className="lp-filters">
        <input className="input" placeholder="Search records" aria-label="Search records" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {error && <p className="sev-error">{error}</p>}
      {data && (
        <>
          <p className="muted" data-testid="records-summary">
            {data.sets.length === 0
              ? side === "input"
                ? "No records came in: no taken transition into this activity carried a record set."
                : "This task made no record set."
              : `${data.total} record${data.total === 1 ? "" : "s"}${query ? `, ${data.matching} matching` : ""}${data.rows.length < data.matching ? ` — the first ${data.rows.length} shown` : ""}`}
          </p>
          {data.sets.length > 0 && (
            <ul className="insp-sets">
              {data.sets.map((s) => (
                <li key={`${s.taskId}-${s.port}`}>
                  {side === "input" ? `from ${label(s.activityId)}` : "made"} · {s.port} · {s.count}
                </li>
              ))}
            </ul>
          )}
          {data.rows.length > 0 && (
            <div className="insp-table-wrap">
              <table className="table insp-table" data-testid="records-table">
                <thead>
                  <tr>
                    <th>Email</th>
                    <th>Name</th>
                    <th>Status</th>
                    <th>Tags</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((c) => (
                    <tr key={c.id}>
                      <td>{c.email}</td>
                      <td>{c.name}</td>
                      <td>{c.status}</td>
                      <td>{c.tags.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

function Variables({ workflowId, runId, vars, paused }: { workflowId: string; runId: number; vars: Record<string, unknown>; paused: boolean }) {
  const fromRun = useMemo(() => varsToRows(vars ?? {}), [vars]);
  const [rows, setRows] = useState<VarRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const shown = rows ?? fromRun;
  const edit = (i: number, patch: Partial<VarRow>) => setRows(shown.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    const parsed = rowsToVars(shown);
    if ("error" in parsed) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    setSaving(true);
    const out = await runCommand(workflowId, { type: "set_variables", run_id: runId, vars: parsed.vars }, "Set variables");
    setSaving(false);
    if (out?.ok) setRows(null);
  };
  if (!paused) {
    return (
      <div className="insp-section">
        <p className="muted">The run's variables now. They can be changed while the run is paused at a breakpoint.</p>
        {fromRun.length === 0 ? (
          <p className="muted">No variables.</p>
        ) : (
          <table className="table insp-table" data-testid="variables-table">
            <tbody>
              {fromRun.map((r) => (
                <tr key={r.name}>
                  <th>{r.name}</th>
                  <td>
                    <code>{r.value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }
  return (
    <div className="insp-section">
      <p className="muted">Paused: change the variables, save, then Continue. A value that reads as JSON (42, true, [1, 2]) is that value; anything else is text.</p>
      <div className="var-rows" data-testid="variables-editor">
        {shown.map((r, i) => (
          // Rows are edited in place: names may be blank or repeated while typing.
          <div className="var-row" key={i}>
            <input className="input" aria-label={`Name of variable ${i + 1}`} value={r.name} onChange={(e) => edit(i, { name: e.target.value })} />
            <input className="input" aria-label={`Value of ${r.name || `variable ${i + 1}`}`} value={r.value} onChange={(e) => edit(i, { value: e.target.value })} />
            <button type="button" className="btn ghost icon" aria-label={`Remove ${r.name || `variable ${i + 1}`}`} onClick={() => setRows(shown.filter((_, j) => j !== i))}>
              <Trash2 size={14} />
            </button>
          </div>
        ))}
      </div>
      {problem && <p className="sev-error">{problem}</p>}
      <div className="row-actions">
        <button type="button" className="btn sm" onClick={() => setRows([...shown, { name: "", value: "" }])}>
          <Plus size={14} /> Add variable
        </button>
        <div className="spacer" />
        <button type="button" className="btn sm" disabled={rows === null || saving} onClick={() => setRows(null)}>
          Undo changes
        </button>
        <button type="button" className="btn primary sm" disabled={rows === null || saving} onClick={() => void save()}>
          Save variables
        </button>
      </div>
    </div>
  );
}

function Attempts({ task }: { task: TaskRecord }) {
  const { data, error } = useRunReload<AttemptRecord[]>(task.runId, () => backend.taskAttempts(task.id), [task.id]);
  if (error) return <p className="sev-error">{error}</p>;
  if (!data) return null;
  if (data.length === 0) return <p className="muted">Not executed yet{task.reused ? ": its result was reused from the earlier run." : "."}</p>;
  return (
    <div className="insp-section" data-testid="inspect-attempts">
      {data.map((a) => (
        <div key={a.attempt} className="attempt">
          <strong>Attempt {a.attempt}</strong> <span className="muted">· {a.status} · {formatTime(a.startedAt)}{a.endedAt ? ` · ${formatDuration(a.startedAt, a.endedAt)}` : ""}</span>
          {a.error && <p className="sev-error">{a.error}</p>}
          {a.stdout && (
            <>
              <h4>stdout</h4>
              <pre className="code">{a.stdout}</pre>
            </>
          )}
          {a.stderr && (
            <>
              <h4>stderr</h4>
              <pre className="code">{a.stderr}</pre>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function Timing({ task }: { task: TaskRecord }) {
  const rows: [string, string][] = [
    ["State", taskLabel(task)],
    ["Scheduled", formatTime(task.createdAt)],
    ["Started", task.startedAt ? formatTime(task.startedAt) : "—"],
    ["Ended", task.endedAt ? formatTime(task.endedAt) : "—"],
    ["Waited before starting", task.startedAt ? formatDuration(task.createdAt, task.startedAt) : "—"],
    ["Ran for", task.startedAt && task.endedAt ? formatDuration(task.startedAt, task.endedAt) : "—"],
    ["Attempts", String(task.attempt)],
    ["Interruptions", String(task.interruptions)],
  ];
  if (task.recordCount !== null) rows.push(["Records", String(task.recordCount)]);
  return (
    <table className="table insp-table" data-testid="inspect-timing">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
