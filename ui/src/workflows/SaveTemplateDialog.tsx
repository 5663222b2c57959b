//! Save as template: a name, and the folder to file it under — one of the user's template
//! folders (with what they already hold) or a new one. Built-in folders are read-only.
import { FolderOpen, FolderPlus, LayoutTemplate } from "lucide-react";
import { FormDialog } from "../components/FormDialog";
import { useEffect, useMemo, useState } from "react";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import { errorMessage } from "../bridge/types";
import { folderProblem } from "./folderName";
import { TemplatePreview } from "./TemplatePreview";
import { useWorkflows } from "./workflowsStore";

const NEW = "\u0000new";
const DEFAULT_FOLDER = "My templates";

export function SaveTemplateDialog({ workflowId, workflowName, onClose }: { workflowId: string; workflowName: string; onClose: () => void }) {
  const { templates, loadTemplates } = useWorkflows();
  const [name, setName] = useState(workflowName);
  const [choice, setChoice] = useState<string | null>(null);
  const [newFolder, setNewFolder] = useState(DEFAULT_FOLDER);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadTemplates();
  }, [loadTemplates]);
  // The user's folders, each with its templates (a folder exists once it holds one).
  const folders = useMemo(() => {
    const m = new Map<string, typeof templates>();
    for (const t of templates.filter((x) => !x.shipped)) m.set(t.folder, [...(m.get(t.folder) ?? []), t]);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [templates]);
  // Until the user picks: the first folder they have, else a new one (named "My templates").
  const selected = choice ?? (folders[0]?.[0] ?? NEW);
  const creating = selected === NEW;
  const folderName = creating ? newFolder : selected;
  const problem = creating ? folderProblem(folderName) : null;
  const nameProblem = name.trim() ? null : "Give the template a name.";

  const submit = async () => {
    if (problem || nameProblem) return;
    setBusy(true);
    setError(null);
    try {
      const t = await backend.saveAsTemplate(workflowId, folderName.trim(), name.trim());
      await loadTemplates();
      toast(`Saved “${t.name}” as a template in ${t.folder}`);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title="Save as template"
      subtitle="New workflows can start from it (Create workflow → template gallery)."
      icon={<LayoutTemplate size={18} />}
      submitLabel="Save template"
      submitDisabled={busy || problem !== null || nameProblem !== null}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor="tpl-name">Template name</label>
        <input id="tpl-name" className="input" autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={nameProblem !== null} />
        {nameProblem && <p className="field-error">{nameProblem}</p>}
      </div>
      <fieldset className="field folder-picker">
        <legend className="field-label">Folder</legend>
        {folders.map(([folder, items]) => (
          <label key={folder} className={`folder-choice${selected === folder ? " chosen" : ""}`}>
            <input type="radio" name="tpl-folder" value={folder} checked={selected === folder} onChange={() => setChoice(folder)} />
            <FolderOpen size={16} />
            <span className="folder-name">{folder}</span>
            <span className="folder-count">
              {items.length} template{items.length === 1 ? "" : "s"}
            </span>
            <span className="folder-previews" aria-hidden="true">
              {items.slice(0, 3).map((t) => (
                <TemplatePreview key={t.id} body={t.body} />
              ))}
            </span>
          </label>
        ))}
        <label className={`folder-choice${creating ? " chosen" : ""}`}>
          <input type="radio" name="tpl-folder" value={NEW} checked={creating} onChange={() => setChoice(NEW)} />
          <FolderPlus size={16} />
          <span className="folder-name">New folder</span>
          <input
            className="input sm"
            aria-label="New folder name"
            placeholder="Folder name"
            value={newFolder}
            onFocus={() => setChoice(NEW)}
            onChange={(e) => {
              setChoice(NEW);
              setNewFolder(e.target.value);
            }}
            aria-invalid={creating && problem !== null}
          />
        </label>
        {creating && problem && <p className="field-error">{problem}</p>}
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </FormDialog>
  );
}
