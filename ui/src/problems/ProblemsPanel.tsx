//! The problems panel: every diagnostic of the body; clicking one selects and shows its activity.
import { AlertTriangle, ChevronDown, ChevronUp, CircleAlert, CheckCircle2 } from "lucide-react";
import { flow } from "../canvas/flowRef";
import { useBody, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import { useValidation } from "./validationStore";

export function ProblemsPanel() {
  const diagnostics = useValidation((s) => s.diagnostics);
  const open = useEditorUi((s) => s.problemsOpen);
  const body = useBody();
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const label = (id: string | null) => body?.activities.find((a) => a.id === id)?.label ?? id ?? "Workflow";
  return (
    <section className="problems" aria-label="Problems" data-testid="problems">
      <div className="problems-head" onClick={() => useEditorUi.getState().set({ problemsOpen: !open })}>
        {diagnostics.length === 0 ? <CheckCircle2 size={15} style={{ color: "var(--success)" }} /> : <CircleAlert size={15} className={errors ? "sev-error" : "sev-warning"} />}
        Problems
        <span className={`badge ${errors ? "red" : warnings ? "amber" : "green"}`} data-testid="problem-count">
          {diagnostics.length === 0 ? "None" : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`}
        </span>
        <span className="spacer" />
        {open ? <ChevronDown size={15} /> : <ChevronUp size={15} />}
      </div>
      {open && (
        <div className="problems-list">
          {diagnostics.length === 0 && <div className="problem">The workflow is valid.</div>}
          {diagnostics.map((d, i) => (
            <button
              key={`${d.code}-${d.activity}-${i}`}
              type="button"
              className="problem"
              onClick={() => {
                if (!d.activity) return;
                useEditor.getState().select([d.activity]);
                flow()?.fitView({ nodes: [{ id: d.activity }], duration: 300, maxZoom: 1.2, padding: 0.6 });
              }}
            >
              <AlertTriangle size={13} className={d.severity === "error" ? "sev-error" : "sev-warning"} />
              <span>{d.message}</span>
              <code>{d.code}</code>
              <span className="where">{label(d.activity)}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
