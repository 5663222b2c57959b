//! The workflows list: cards with state, last run and schedule; create, import, and per-card
//! Open, Run now, View runs, rename, duplicate, export, delete.
import { useLacking } from "../app/sessionStore";
import { AppWindow, CalendarClock, Copy, Download, MoreHorizontal, Pencil, Play, Plus, Search, Trash2, Upload, History, Workflow } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { ask } from "../app/dialogStore";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import { useNav } from "../app/navStore";
import { RUN_STATUS_LABEL, STATE_LABEL } from "../app/roles";
import { errorMessage, type RunStatus, type WorkflowState, type WorkflowSummary } from "../bridge/types";
import { download } from "../canvas/download";
import { MenuButton } from "../components/Popover";
import { requestRunNow } from "../runs/runNow";
import { CreateWorkflowDialog } from "./CreateWorkflowDialog";
import { FirstRun } from "./FirstRun";
import { useWorkflows } from "./workflowsStore";

const STATE_TONE: Record<WorkflowState, string> = {
  being_edited: "",
  started: "green",
  paused: "amber",
  stopping: "amber",
  finished: "accent",
};
const RUN_TONE: Record<RunStatus, string> = {
  pending: "",
  running: "accent",
  completed: "green",
  failed: "red",
  cancelled: "",
  waiting_for_approval: "amber",
  rejected: "red",
  error: "red",
};

function ago(ms: number): string {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

function WorkflowCard({ w }: { w: WorkflowSummary }) {
  const go = useNav((s) => s.go);
  const { rename, duplicate, remove, exportText } = useWorkflows.getState();
  const runNow = () => requestRunNow(w.id);
  const noRun = useLacking("run");
  const noEdit = useLacking("update");
  return (
    <article className="card" data-testid="workflow-card" aria-label={w.name}>
      <div className="card-top">
        <div className="card-icon">
          <Workflow size={18} />
        </div>
        <div className="card-title">
          <h3 onClick={() => go({ name: "editor", id: w.id })}>{w.name}</h3>
          <p>
            Revision {w.revision} · edited {ago(w.updatedAt)}
          </p>
        </div>
        <MenuButton
          label={`More actions for ${w.name}`}
          button={(open) => (
            <button type="button" className="btn ghost icon sm" aria-label={`More actions for ${w.name}`} onClick={open}>
              <MoreHorizontal size={16} />
            </button>
          )}
          items={[
            {
              label: "Rename…",
              icon: <Pencil size={14} />,
              disabled: !!noEdit,
              reason: noEdit ?? undefined,
              onSelect: async () => {
                const a = await ask({ title: "Rename workflow", input: w.name, confirm: "Rename" });
                if (a.choice === "confirm" && a.value.trim() && a.value !== w.name) await rename(w.id, a.value.trim());
              },
            },
            {
              label: "Open in new window",
              icon: <AppWindow size={14} />,
              onSelect: () => backend.openWorkflowWindow(w.id).catch((e) => toast(`Could not open a window: ${errorMessage(e)}`, "error")),
            },
            { label: "Duplicate", icon: <Copy size={14} />, disabled: !!noEdit, reason: noEdit ?? undefined, onSelect: () => duplicate(w.id) },
            {
              label: "Export .weft.json",
              icon: <Download size={14} />,
              onSelect: async () => {
                const text = await exportText(w.id);
                if (text) download(`data:application/json;charset=utf-8,${encodeURIComponent(text)}`, `${w.name.replace(/[^\w.-]+/g, "-").toLowerCase()}.weft.json`);
              },
            },
            "sep",
            {
              label: "Delete…",
              icon: <Trash2 size={14} />,
              danger: true,
              disabled: !!noEdit,
              reason: noEdit ?? undefined,
              onSelect: async () => {
                const a = await ask({
                  title: `Delete “${w.name}”?`,
                  message: "The workflow, its revisions and its run history are deleted. This cannot be undone.",
                  confirm: "Delete",
                  danger: true,
                });
                if (a.choice === "confirm") await remove(w.id);
              },
            },
          ]}
        />
      </div>
      <div className="card-meta">
        <span className={`badge ${STATE_TONE[w.state]}`} title="Life-cycle state">
          <span className="dot" />
          {STATE_LABEL[w.state]}
        </span>
        {w.lastRunStatus ? (
          <span className={`badge ${RUN_TONE[w.lastRunStatus]}`} title="Last run">
            Last run: {RUN_STATUS_LABEL[w.lastRunStatus]}
          </span>
        ) : (
          <span className="badge">Never run</span>
        )}
        {w.schedule && (
          <span className="sched" title="Schedule">
            <CalendarClock size={13} />
            {w.schedule}
          </span>
        )}
      </div>
      <div className="card-actions">
        <button type="button" className="btn sm primary" onClick={() => go({ name: "editor", id: w.id })}>
          Open
        </button>
        <button type="button" className="btn sm" disabled={!!noRun} data-tip={noRun ?? undefined} onClick={runNow}>
          <Play size={13} />
          Run now
        </button>
        <button type="button" className="btn sm ghost" onClick={() => go({ name: "runs", workflowId: w.id })}>
          <History size={13} />
          View runs
        </button>
      </div>
    </article>
  );
}

export function WorkflowsScreen() {
  const { items, loaded, refresh, importText } = useWorkflows();
  const go = useNav((s) => s.go);
  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const noEdit = useLacking("update");
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const shown = useMemo(() => items.filter((w) => w.name.toLowerCase().includes(query.toLowerCase())), [items, query]);
  return (
    <div className="page">
      <div className="page-inner">
        <div className="page-head">
          <div>
            <h1>Workflows</h1>
            <p>Design, start and follow your automations — everything runs on this machine.</p>
          </div>
          <div className="spacer" />
          <div className="search">
            <Search size={15} />
            <input className="input" placeholder="Search workflows" aria-label="Search workflows" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <button type="button" className="btn ghost" onClick={() => void go({ name: "runs", workflowId: null })}>
            <History size={15} />
            View runs
          </button>
          <button type="button" className="btn ghost" onClick={() => void go({ name: "schedulers" })}>
            <CalendarClock size={15} />
            View schedulers
          </button>
          <button type="button" className="btn" disabled={!!noEdit} data-tip={noEdit ?? undefined} onClick={() => file.current?.click()}>
            <Upload size={15} />
            Import
          </button>
          <input
            ref={file}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="import-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (f) await importText(await f.text());
            }}
          />
          <button type="button" className="btn primary" disabled={!!noEdit} data-tip={noEdit ?? undefined} onClick={() => setCreating(true)}>
            <Plus size={15} />
            Create workflow
          </button>
        </div>
        {loaded && items.length === 0 ? (
          <FirstRun onBlank={() => setCreating(true)} onCreated={(id) => void go({ name: "editor", id })} />
        ) : (
          <div className="cards">
            {shown.map((w) => (
              <WorkflowCard key={w.id} w={w} />
            ))}
          </div>
        )}
      </div>
      {creating && (
        <CreateWorkflowDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            void go({ name: "editor", id });
          }}
        />
      )}
    </div>
  );
}
