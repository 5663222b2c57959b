//! Create workflow: a name, and blank or one of the templates.
import { FilePlus2 } from "lucide-react";
import { FormDialog } from "../components/FormDialog";
import { useEffect, useState } from "react";
import { TemplatePreview } from "./TemplatePreview";
import { useWorkflows } from "./workflowsStore";

export function CreateWorkflowDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { templates, loadTemplates, create } = useWorkflows();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // In the backend's order: shipped folders first, then the user's.
  const folders = [...new Set(templates.map((t) => t.folder))];
  useEffect(() => {
    void loadTemplates();
  }, [loadTemplates]);
  const submit = async () => {
    // A blank name lets the engine pick a free one ("Untitled workflow (2)", "Daily report (2)"…).
    setBusy(true);
    const s = await create(name.trim(), template);
    setBusy(false);
    if (s) onCreated(s.id);
  };
  return (
    <FormDialog
      title="Create workflow"
      subtitle="Start blank (Start → Finish) or from a template."
      icon={<FilePlus2 size={18} />}
      submitLabel="Create"
      submitDisabled={busy}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor="wf-name">Name</label>
        <input
          id="wf-name"
          className="input"
          autoFocus
          placeholder={templates.find((t) => t.id === template)?.name ?? "Untitled workflow"}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <span className="field-label">Start from</span>
        <div className="template-grid">
          <button type="button" className="template" aria-pressed={template === null} onClick={() => setTemplate(null)}>
            <strong>Blank workflow</strong>
            <span>Just Start and Finish.</span>
          </button>
          {folders.map((folder) => (
            <div key={folder} className="template-folder">
              <h3 className="template-folder-name">{folder}</h3>
              <div className="template-folder-grid">
                {templates
                  .filter((t) => t.folder === folder)
                  .map((t) => (
                    <button key={t.id} type="button" className="template" aria-pressed={template === t.id} onClick={() => setTemplate(t.id)} title={t.description}>
                      <TemplatePreview body={t.body} />
                      <strong>{t.name}</strong>
                      <span>{t.description || t.folder}</span>
                    </button>
                  ))}
              </div>
            </div>
          ))}
        </div>
      </div>
    </FormDialog>
  );
}
