//! An empty store's welcome: the template gallery to start from (or a blank workflow), and the
//! offer of demo contacts while the contacts database is empty too.
import { Plus, Sparkles, Users } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import { errorMessage } from "../bridge/types";
import { TemplatePreview } from "./TemplatePreview";
import { useWorkflows } from "./workflowsStore";

/** As many as the contacts screen offers. */
const DEMO_COUNT = 3000;

export function FirstRun({ onCreated, onBlank }: { onCreated: (id: string) => void; onBlank: () => void }) {
  const templates = useWorkflows((s) => s.templates);
  const loadTemplates = useWorkflows((s) => s.loadTemplates);
  const create = useWorkflows((s) => s.create);
  const [contacts, setContacts] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void loadTemplates();
    backend.countContacts().then(setContacts, () => setContacts(null));
  }, [loadTemplates]);
  const shipped = templates.filter((t) => t.shipped);
  const use = async (id: string) => {
    setBusy(true);
    const made = await create("", id);
    setBusy(false);
    if (made) onCreated(made.id);
  };
  const addDemo = async () => {
    setBusy(true);
    try {
      const n = await backend.demoContacts(DEMO_COUNT);
      toast(`Added ${n.toLocaleString()} demo contacts`);
      setContacts(n);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="first-run" data-testid="first-run" aria-label="Get started">
      <div className="first-run-head">
        <div>
          <h2>Start from a template</h2>
          <p>No workflows yet. Pick one of the {shipped.length} templates that come with Weft, or start blank.</p>
        </div>
        <div className="spacer" />
        <button type="button" className="btn" onClick={onBlank}>
          <Plus size={15} />
          Blank workflow
        </button>
      </div>
      <div className="template-folder-grid" data-testid="template-gallery">
        {shipped.map((t) => (
          <button key={t.id} type="button" className="template" disabled={busy} title={t.description} data-template={t.id} onClick={() => void use(t.id)}>
            <TemplatePreview body={t.body} />
            <strong>{t.name}</strong>
            <span>{t.description}</span>
          </button>
        ))}
      </div>
      {contacts === 0 && (
        <div className="first-run-demo" data-testid="demo-offer">
          <Users size={18} />
          <span>Templates that work on leads need contacts: add {DEMO_COUNT.toLocaleString()} generated ones to try them (offered only while the database is empty).</span>
          <div className="spacer" />
          <button type="button" className="btn" disabled={busy} onClick={() => void addDemo()}>
            <Sparkles size={15} />
            Add demo contacts
          </button>
        </div>
      )}
    </section>
  );
}
