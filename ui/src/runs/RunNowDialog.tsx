//! The parameter form of Run now, generated from the workflow's parameters schema.
import Form from "@rjsf/core";
import { Play } from "lucide-react";
import { useMemo, useState } from "react";
import { formValidator, prepareForm } from "../section-modal/schemaForm";
import { widgets } from "../section-modal/widgets";
import { queueRun, useRunNow } from "./runNow";

export function RunNowDialog() {
  const pending = useRunNow((s) => s.pending);
  if (!pending) return null;
  return <RunNowForm key={pending.workflowId} {...pending} />;
}

function RunNowForm({ workflowId, name, schema }: { workflowId: string; name: string; schema: Record<string, unknown> }) {
  const form = useMemo(() => prepareForm(schema), [schema]);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState(0);
  const close = useRunNow((s) => s.close);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog wide" role="dialog" aria-label={`Run ${name}`} onKeyDown={(e) => e.key === "Escape" && close()}>
        <div className="dialog-head">
          <div className="card-icon">
            <Play size={18} />
          </div>
          <div>
            <h2>Run “{name}”</h2>
            <p>Parameters of this run.</p>
          </div>
        </div>
        <div className="dialog-body">
          <Form
            className="rjsf"
            tagName="div"
            schema={form.schema}
            uiSchema={form.uiSchema}
            formData={data}
            validator={formValidator}
            widgets={widgets}
            liveValidate
            showErrorList={false}
            noHtml5Validate
            onChange={(e) => {
              setData((e.formData ?? {}) as Record<string, unknown>);
              setErrors(e.errors?.length ?? 0);
            }}
          />
        </div>
        <div className="dialog-foot">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary"
            disabled={errors > 0}
            onClick={async () => {
              if (await queueRun(workflowId, name, data)) close();
            }}
          >
            <Play size={14} /> Start execution
          </button>
        </div>
      </div>
    </div>
  );
}
