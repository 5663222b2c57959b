//! Actions ▸ Breakpoints… (or right-click an activity ▸ Breakpoint…): every breakpoint of the
//! workflow as a row — where (before or after an activity, or when a transition is taken) and an
//! optional condition in the expression language — added, changed and removed, then saved as
//! one list. The engine checks each against the saved workflow and the expression parser and
//! keeps all or none; what it refuses is shown here, the rows kept for a correction.
import { CircleDot, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import type { Breakpoint, WorkflowFile } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { FormDialog } from "../components/FormDialog";
import { breakpointSpec, useBreakpoints } from "./breakpoints";

type Where = "before" | "after" | "transition";

export function BreakpointsDialog({ body }: { body: WorkflowFile }) {
  const dialog = useBreakpoints((s) => s.dialog);
  const stored = useBreakpoints((s) => s.list);
  const [rows, setRows] = useState<Breakpoint[]>(() => {
    const forActivity = useBreakpoints.getState().dialog?.forActivity;
    const list = useBreakpoints.getState().list;
    const fresh = forActivity && !list.some((b) => b.activity === forActivity && b.kind !== "transition");
    return fresh ? [...list, { kind: "before", activity: forActivity, port: null, to: null, condition: null }] : list;
  });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const label = (id: string) => body.activities.find((a) => a.id === id)?.label || id;
  const transitions = useMemo(() => body.transitions.map((t) => ({ key: `${t.from}\u0000${t.port}\u0000${t.to}`, t })), [body.transitions]);
  const activities = body.activities.filter((a) => a.kind !== "start");
  if (!dialog) return null;
  const close = () => useBreakpoints.getState().closeDialog();
  const edit = (i: number, patch: Partial<Breakpoint>) => {
    setError(null);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const setWhere = (i: number, where: Where) => {
    const r = rows[i];
    if (where === "transition") {
      const first = transitions.find((x) => x.t.from === r.activity) ?? transitions[0];
      edit(i, { kind: "transition", activity: first?.t.from ?? r.activity, port: first?.t.port ?? null, to: first?.t.to ?? null });
    } else {
      edit(i, { kind: where, port: null, to: null });
    }
  };
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await useBreakpoints.getState().replace(rows.map((r) => ({ ...r, condition: r.condition?.trim() ? r.condition.trim() : null })));
      close();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const unchanged = JSON.stringify(rows) === JSON.stringify(stored);
  return (
    <FormDialog
      title="Breakpoints"
      subtitle="A debug run (Actions ▸ Debug run) pauses where one holds. Kept beside the workflow, not in its file."
      icon={<CircleDot size={18} />}
      submitLabel={saving ? "Saving…" : "Save breakpoints"}
      submitDisabled={saving || unchanged}
      onSubmit={() => void save()}
      onClose={close}
    >
      <div className="bp-rows" data-testid="breakpoint-rows">
        {rows.length === 0 && <p className="muted">No breakpoints. Add one, or select activities on the canvas and press F9.</p>}
        {rows.map((r, i) => (
          // Rows are edited in place: two may say the same while a person types.
          <div className="bp-row" key={i} data-testid="breakpoint-row">
            <select className="select" aria-label={`Where breakpoint ${i + 1} pauses`} value={r.kind} onChange={(e) => setWhere(i, e.target.value as Where)}>
              <option value="before">Before</option>
              <option value="after">After</option>
              <option value="transition" disabled={transitions.length === 0}>
                When taken
              </option>
            </select>
            {r.kind === "transition" ? (
              <select
                className="select"
                aria-label={`Transition of breakpoint ${i + 1}`}
                value={`${r.activity}\u0000${r.port ?? "ok"}\u0000${r.to}`}
                onChange={(e) => {
                  const found = transitions.find((x) => x.key === e.target.value)?.t;
                  if (found) edit(i, { activity: found.from, port: found.port, to: found.to });
                }}
              >
                {transitions.map(({ key, t }) => (
                  <option key={key} value={key}>
                    {label(t.from)} ({t.port}) → {label(t.to)}
                  </option>
                ))}
              </select>
            ) : (
              <select className="select" aria-label={`Activity of breakpoint ${i + 1}`} value={r.activity} onChange={(e) => edit(i, { activity: e.target.value })}>
                {activities.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label || a.id}
                  </option>
                ))}
              </select>
            )}
            <input
              className="input mono"
              aria-label={`Condition of breakpoint ${i + 1}`}
              placeholder="Always, or when…"
              data-tip={'A condition in the expression language, e.g. tasks.query.recordCount > 1000 or vars.segment == "vip"'}
              value={r.condition ?? ""}
              onChange={(e) => edit(i, { condition: e.target.value })}
            />
            <button type="button" className="btn ghost icon" aria-label={`Remove breakpoint ${i + 1}`} data-tip={breakpointSpec(r)} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              <Trash2 size={14} />
            </button>
          </div>
        ))}
      </div>
      {error && (
        <p className="sev-error" role="alert" data-testid="breakpoint-error">
          {error}
        </p>
      )}
      <button
        type="button"
        className="btn sm"
        disabled={activities.length === 0}
        onClick={() => setRows([...rows, { kind: "before", activity: dialog.forActivity ?? activities[0]?.id ?? "", port: null, to: null, condition: null }])}
      >
        <Plus size={14} /> Add breakpoint
      </button>
    </FormDialog>
  );
}
