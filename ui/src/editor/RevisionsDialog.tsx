//! Revisions of the open workflow: each with when, by which front door and why; what changed
//! between two (activities added, removed, moved; fields changed with before and after;
//! transitions added and removed), shown on the canvas if asked, and restoring one as a new
//! revision.
import { GitCompareArrows, History } from "lucide-react";
import { useEffect, useState } from "react";
import { useCatalog } from "../app/catalogStore";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { RevisionDiff, RevisionInfo } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { changeLine } from "../compare/diffView";
import { showDiffOnCanvas } from "../compare/show";
import { FormDialog } from "../components/FormDialog";
import { formatTime } from "../runs/status";
import { useEditor } from "./editorStore";
import { normalize } from "./model";

/** The diff as lines: `+` added, `-` removed, `~` changed or moved. */
export function diffLines(d: RevisionDiff): string[] {
  const c = d.diff;
  return [
    ...c.added.map((a) => `+ activity ${a.label || a.id} (${a.kind})`),
    ...c.removed.map((a) => `- activity ${a.label || a.id} (${a.kind})`),
    ...c.moved.map((m) => `~ moved ${m.id}`),
    ...c.changed.map((f) => `~ ${f.activity ? `${f.activity}.` : ""}${changeLine(f)}`),
    ...c.transitionsAdded.map((t) => `+ transition ${t.from}:${t.port} → ${t.to}`),
    ...c.transitionsRemoved.map((t) => `- transition ${t.from}:${t.port} → ${t.to}`),
  ];
}

/** A revision's line in a picker: number, when, which front door, why. */
const revisionLabel = (r: RevisionInfo) => `Revision ${r.revision} · ${formatTime(r.createdAt)} · ${r.source ?? "unknown"}${r.note ? ` · ${r.note}` : ""}`;

/** One of the two revision pickers (From, To). */
function RevisionSelect({ id, name, list, value, onChange }: { id: string; name: string; list: RevisionInfo[]; value: number | null; onChange: (revision: number) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{name}</label>
      <select id={id} className="select" value={value ?? ""} onChange={(e) => onChange(Number(e.target.value))}>
        {list.map((r) => (
          <option key={r.revision} value={r.revision}>
            {revisionLabel(r)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RevisionsDialog({ workflowId, dirty, onClose }: { workflowId: string; dirty: boolean; onClose: () => void }) {
  const [list, setList] = useState<RevisionInfo[]>([]);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void backend
      .listRevisions(workflowId)
      .then((l) => {
        setList(l);
        setTo(l[0]?.revision ?? null);
        setFrom(l[1]?.revision ?? l[0]?.revision ?? null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [workflowId]);
  useEffect(() => {
    if (from === null || to === null) return;
    let current = true;
    void backend
      .diffRevisions(workflowId, from, to)
      .then((d) => current && setDiff(d))
      .catch((e) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [workflowId, from, to]);
  const restore = async () => {
    if (from === null || dirty) return;
    setBusy(true);
    try {
      const saved = await backend.restoreRevision(workflowId, from);
      const d = await backend.getWorkflow(workflowId);
      useEditor.getState().open(d.summary, normalize(d.body, useCatalog.getState().entries));
      toast(`Revision ${from} restored as revision ${saved.revision}`);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const showOnCanvas = async () => {
    if (from === null || to === null) return;
    setBusy(true);
    try {
      await showDiffOnCanvas(workflowId, from, to);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const lines = diff ? diffLines(diff) : [];
  return (
    <FormDialog
      title="Revisions"
      subtitle={dirty ? "Save or cancel your changes before restoring a revision." : "What changed between two revisions; restore the first as a new revision."}
      icon={<History size={18} />}
      submitLabel={from === null ? "Restore" : `Restore revision ${from}`}
      submitDisabled={busy || dirty || from === null}
      onSubmit={() => void restore()}
      onClose={onClose}
    >
      <RevisionSelect id="rev-from" name="From" list={list} value={from} onChange={setFrom} />
      <RevisionSelect id="rev-to" name="To" list={list} value={to} onChange={setTo} />
      <div className="revision-actions">
        <button
          type="button"
          className="btn sm"
          disabled={busy || from === null || to === null}
          data-tip={`Draw revision ${to ?? ""} on the canvas with what changed since revision ${from ?? ""} marked`}
          onClick={() => void showOnCanvas()}
        >
          <GitCompareArrows size={14} /> Show on canvas
        </button>
      </div>
      <ul className="revision-diff" data-testid="revision-diff" aria-label="Changes">
        {diff && lines.length === 0 && <li>No changes.</li>}
        {lines.map((l, i) => (
          <li key={`${i}-${l}`} className={l[0] === "+" ? "added" : l[0] === "-" ? "removed" : "changed"}>
            {l}
          </li>
        ))}
      </ul>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </FormDialog>
  );
}
