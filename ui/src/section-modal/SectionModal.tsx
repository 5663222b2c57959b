//! The section modal: an activity's label, execution mode and configuration form (generated from
//! the kind's JSON Schema, validated as you type). OK applies one undoable edit; Cancel nothing.
import Form from "@rjsf/core";
import type { RJSFValidationError } from "@rjsf/utils";
import { X } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useCatalog } from "../app/catalogStore";
import { MODE_LABEL, kindIcon, roleColor } from "../app/roles";
import type { ExecutionMode, OnInterrupt } from "../bridge/types";
import { updateActivity } from "../editor/edits";
import { useBody, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import { useValidation } from "../problems/validationStore";
import { translateString } from "./buttons";
import { placeDiagnostics } from "./fieldErrors";
import { formValidator, prepareForm } from "./schemaForm";
import { formTemplates } from "./templates";
import { widgets } from "./widgets";

export function SectionModal() {
  const modal = useEditorUi((s) => s.modal);
  if (!modal) return null;
  return <SectionModalDialog key={modal.activityId} activityId={modal.activityId} />;
}

function SectionModalDialog({ activityId }: { activityId: string }) {
  const body = useBody();
  const activity = body?.activities.find((a) => a.id === activityId);
  const entry = useCatalog((s) => s.entries.find((c) => c.kind === activity?.kind));
  const [label, setLabel] = useState(activity?.label ?? "");
  const [mode, setMode] = useState<ExecutionMode>(activity?.mode ?? "normal");
  const [onInterrupt, setOnInterrupt] = useState<OnInterrupt>(activity?.on_interrupt ?? "rerun");
  const [config, setConfig] = useState<Record<string, unknown>>(() => structuredClone((activity?.config ?? {}) as Record<string, unknown>));
  const [errors, setErrors] = useState<RJSFValidationError[]>([]);
  // The form's latest answer, also between its change and the next render (Enter right after a
  // map entry's name was typed: the rename arrives as the field loses the focus).
  const latest = useRef(config);
  latest.current = config;
  const form = useMemo(() => prepareForm(entry?.configSchema ?? { type: "object" }), [entry]);
  const diagnostics = useValidation((s) => s.diagnostics);
  const checkedBody = useValidation((s) => s.checkedBody);
  const index = body?.activities.findIndex((a) => a.id === activityId) ?? -1;
  // The engine's own diagnostics, on the fields they name (its paths: activities[N].config.…).
  const placed = useMemo(
    () => placeDiagnostics(diagnostics, index, activityId, config, checkedBody?.activities[index]?.config ?? activity?.config ?? {}),
    [diagnostics, index, activityId, config, checkedBody, activity],
  );
  const close = () => useEditorUi.getState().set({ modal: null });
  // Escape closes the modal wherever the focus is — also when it is on nothing (after a click
  // on the dialog's background), where the dialog's own key handler never hears it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented) useEditorUi.getState().set({ modal: null });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  if (!activity) return null;
  const role = activity.role ?? entry?.role ?? "action";
  const Icon = kindIcon(activity.kind, role);
  const hasFields = Object.keys((form.schema.properties as object) ?? {}).length > 0;
  const ok = () => {
    const config = latest.current;
    const changed =
      label !== activity.label ||
      mode !== activity.mode ||
      onInterrupt !== (activity.on_interrupt ?? "rerun") ||
      JSON.stringify(config) !== JSON.stringify(activity.config ?? {});
    if (changed)
      useEditor.getState().apply(
        updateActivity(activity.id, {
          label: label.trim() || entry?.label || activity.kind,
          mode,
          config,
          // "rerun" is the default and is left out of the file.
          on_interrupt: onInterrupt === "rerun" ? undefined : onInterrupt,
        }),
      );
    close();
  };
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="dialog wide"
        role="dialog"
        aria-label={`${entry?.label ?? activity.kind} — ${activity.label}`}
        data-testid="section-modal"
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Escape") close();
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) ok();
          else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && isOneLineField(e.target)) {
            // Enter in a one-line field confirms, as in any dialog; the field is left first, so
            // that what it holds (a map entry's new name) is in the form's answer.
            e.preventDefault();
            (e.target as HTMLElement).blur();
            setTimeout(ok, 0);
          }
        }}
      >
        <div className="dialog-head">
          <div className="modal-kind role-tint" style={{ "--c": roleColor(role) } as React.CSSProperties}>
            <Icon size={19} />
          </div>
          <div style={{ flex: 1, minWidth: 0 }}>
            <h2>{entry?.label ?? activity.kind}</h2>
            <p>{entry?.description}</p>
          </div>
          <button type="button" className="btn ghost icon" aria-label="Close" onClick={close}>
            <X size={17} />
          </button>
        </div>
        <div className="dialog-body">
          <div className="modal-grid">
            <div className="field">
              <label htmlFor="sm-label">Label</label>
              <input id="sm-label" className="input" value={label} autoFocus onChange={(e) => setLabel(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="sm-mode">Execution</label>
              <select id="sm-mode" className="input" value={mode} onChange={(e) => setMode(e.target.value as ExecutionMode)}>
                {(Object.keys(MODE_LABEL) as ExecutionMode[]).map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABEL[m]}
                  </option>
                ))}
              </select>
            </div>
            {entry?.sideEffects && (
              <div className="field" style={{ gridColumn: "1 / -1" }}>
                <label htmlFor="sm-interrupt">If the engine stops while it runs</label>
                <select
                  id="sm-interrupt"
                  className="input"
                  value={onInterrupt}
                  onChange={(e) => setOnInterrupt(e.target.value as OnInterrupt)}
                >
                  <option value="rerun">Run it again when the engine is back (at least once)</option>
                  <option value="fail">Fail the run: its effect must never happen twice</option>
                </select>
              </div>
            )}
          </div>
          {placed.general.length > 0 && (
            <ul className="modal-problems" data-testid="modal-problems">
              {placed.general.map((d) => (
                <li key={`${d.code}${d.path}${d.message}`} className={d.severity}>
                  <code>{d.code}</code> {d.message}
                </li>
              ))}
            </ul>
          )}
          {hasFields ? (
            <Form
              className="rjsf"
              tagName="div"
              schema={form.schema}
              uiSchema={form.uiSchema}
              formData={config}
              validator={formValidator}
              widgets={widgets}
              templates={formTemplates}
              translateString={translateString}
              extraErrors={placed.fields}
              liveValidate
              showErrorList={false}
              noHtml5Validate
              onChange={(e) => {
                latest.current = (e.formData ?? {}) as Record<string, unknown>;
                setConfig(latest.current);
                setErrors(e.errors ?? []);
              }}
            />
          ) : (
            <p className="hint" style={{ color: "var(--text-3)" }}>
              This activity has nothing to configure.
            </p>
          )}
        </div>
        <div className="dialog-foot">
          {errors.length > 0 && (
            <span style={{ marginRight: "auto", color: "var(--danger)", fontSize: "var(--text-sm)", alignSelf: "center" }}>
              {errors.length} {errors.length === 1 ? "problem" : "problems"} in the form
            </span>
          )}
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={ok}>
            OK
          </button>
        </div>
      </div>
    </div>
  );
}

/** Text typed on one line (not a text area, a list, a check box or a button). */
function isOneLineField(target: EventTarget): boolean {
  if (!(target instanceof HTMLInputElement)) return false;
  return ["text", "number", "url", "email", "search", "tel", "password", ""].includes(target.type);
}
