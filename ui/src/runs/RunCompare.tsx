//! Two runs side by side: header, tasks with their states and durations, and results; Show on
//! canvas draws both on the workflow's graph (`compare/`).
import { GitCompareArrows } from "lucide-react";
import { useEffect, useState } from "react";
import { useNav } from "../app/navStore";
import { backend } from "../bridge";
import type { RunDetail, TaskRecord, WorkflowFile } from "../bridge/types";
import { RunStatusBadge, TaskStateDot, json } from "./parts";
import { TRIGGER_LABEL, formatDuration, formatTime, taskLabel } from "./status";
import { labelOf } from "./useRunLive";

type Side = { run: RunDetail; tasks: TaskRecord[]; body: WorkflowFile | null };

async function loadSide(id: number): Promise<Side> {
  const [run, tasks] = await Promise.all([backend.getRun(id), backend.runTasks(id)]);
  const body = await backend
    .getWorkflow(run.workflowId)
    .then((w) => w.body)
    .catch(() => null);
  return { run, tasks, body };
}

export function RunCompare({ ids, onClose }: { ids: [number, number]; onClose: () => void }) {
  const [sides, setSides] = useState<Side[] | null>(null);
  useEffect(() => {
    void Promise.all(ids.map(loadSide)).then(setSides);
  }, [ids]);
  const go = useNav((s) => s.go);
  const sameWorkflow = sides !== null && sides[0].run.workflowId === sides[1].run.workflowId;
  const activities = sides ? [...new Set(sides.flatMap((s) => s.tasks.map((t) => t.activityId)))] : [];
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog compare" role="dialog" aria-label="Compare runs" onKeyDown={(e) => e.key === "Escape" && onClose()}>
        <div className="dialog-head">
          <div>
            <h2>Compare runs</h2>
            <p>Tasks, durations and results side by side.</p>
          </div>
        </div>
        <div className="dialog-body">
          {!sides ? (
            <p className="muted">Loading…</p>
          ) : (
            <table className="table compare-table">
              <thead>
                <tr>
                  <th />
                  {sides.map((s) => (
                    <th key={s.run.id}>
                      Run #{s.run.id} · {s.run.workflowName}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td className="muted">Status</td>
                  {sides.map((s) => (
                    <td key={s.run.id}>
                      <RunStatusBadge status={s.run.status} />
                    </td>
                  ))}
                </tr>
                <tr>
                  <td className="muted">Trigger · revision</td>
                  {sides.map((s) => (
                    <td key={s.run.id}>
                      {TRIGGER_LABEL[s.run.trigger]} · rev {s.run.revision}
                    </td>
                  ))}
                </tr>
                <tr>
                  <td className="muted">Started · duration</td>
                  {sides.map((s) => (
                    <td key={s.run.id}>
                      {formatTime(s.run.startedAt)} · {formatDuration(s.run.startedAt, s.run.endedAt)}
                    </td>
                  ))}
                </tr>
                {activities.map((a) => (
                  <tr key={a}>
                    <td>{sides.map((s) => labelOf(s.body, a)).find((l) => l !== a) ?? a}</td>
                    {sides.map((s) => {
                      const t = s.tasks.find((x) => x.activityId === a);
                      return (
                        <td key={s.run.id}>
                          {t ? (
                            <span className="cmp-task">
                              <TaskStateDot task={t} /> {taskLabel(t)} · {formatDuration(t.startedAt, t.endedAt)}
                              {t.recordCount !== null && ` · ${t.recordCount} records`}
                              {t.result !== null && <code>{json(t.result).replace(/\s+/g, " ")}</code>}
                            </span>
                          ) : (
                            <span className="muted">not run</span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
                {activities.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      No task records for these runs.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          )}
        </div>
        <div className="dialog-foot">
          <button
            type="button"
            className="btn"
            disabled={!sameWorkflow}
            data-tip={sameWorkflow ? "Both runs' states and counts on the workflow's canvas" : "Only two runs of the same workflow share a canvas"}
            onClick={() => sides && void go({ name: "editor", id: sides[0].run.workflowId, compare: [sides[0].run.id, sides[1].run.id] })}
          >
            <GitCompareArrows size={14} /> Show on canvas
          </button>
          <button type="button" className="btn primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
