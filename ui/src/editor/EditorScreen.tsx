//! The editor screen: toolbar, palette, canvas, problems panel, and the menus and modals on top.
import {
  ArrowLeft,
  ChevronDown,
  Download,
  Image,
  LayoutDashboard,
  Maximize,
  Pause,
  Play,
  Redo2,
  Save,
  Square,
  Undo2,
  Zap,
} from "lucide-react";
import { useEffect, useState } from "react";
import { SaveTemplateDialog } from "../workflows/SaveTemplateDialog";
import { CompareBar } from "../compare/CompareBar";
import { isComparing, useCompare } from "../compare/compareStore";
import { showRunsOnCanvas } from "../compare/show";
import { useNav } from "../app/navStore";
import { STATE_LABEL } from "../app/roles";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { Command, WorkflowState } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { Canvas, clearEdges, selectedEdges } from "../canvas/Canvas";
import { ContextMenu } from "../canvas/ContextMenu";
import { flow } from "../canvas/flowRef";
import { useCatalog } from "../app/catalogStore";
import { ask } from "../app/dialogStore";
import { MenuButton } from "../components/Popover";
import { Palette } from "../palette/Palette";
import { ProblemsPanel } from "../problems/ProblemsPanel";
import { useValidation } from "../problems/validationStore";
import { requestRunNow } from "../runs/runNow";
import { SectionMenu } from "../section-menu/SectionMenu";
import { SectionModal } from "../section-modal/SectionModal";
import { type LifeCycleCommand, PROGRESS_LABEL, commandAvailability, runCommand, useCommands } from "../operate/commands";
import { CanvasRunBar } from "../operate/CanvasRunBar";
import { BreakpointsDialog } from "../operate/BreakpointsDialog";
import { Inspector } from "../operate/Inspector";
import { LogsPanel } from "../operate/LogsPanel";
import { ReplayBar } from "../operate/ReplayBar";
import { useBreakpoints } from "../operate/breakpoints";
import { onLive } from "../operate/liveEvents";
import * as actions from "./actions";
import { deleteTransitions } from "./edits";
import { useBody, useDirty, useEditor } from "./editorStore";
import { shortcutOf } from "./keyboard";
import { normalize } from "./model";
import { RevisionsDialog } from "./RevisionsDialog";
import { useEditorUi } from "./uiStore";
import { useLacking } from "../app/sessionStore";

function isTyping(t: EventTarget | null) {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useEditorUi.getState();
      if (isComparing()) {
        // A comparison on the canvas: nothing to edit; Escape goes back to editing.
        if (e.key === "Escape" && !document.querySelector(".overlay")) {
          e.preventDefault();
          const compare = useCompare.getState();
          // An open list of changed fields closes first, then the comparison.
          if (compare.openChanges) compare.toggleChanges(compare.openChanges);
          else compare.close();
        }
        return;
      }
      if (e.key === "F9" && !isTyping(e.target) && !ui.modal) {
        // The debugger's classic key: a breakpoint before each selected activity, or none.
        e.preventDefault();
        void useBreakpoints.getState().toggle(useEditor.getState().selection);
        return;
      }
      const cmd = shortcutOf(e);
      if (!cmd) return;
      if (cmd === "save") {
        e.preventDefault();
        if (!ui.modal) void actions.save();
        return;
      }
      if (isTyping(e.target) || ui.modal || document.querySelector(".overlay")) return;
      const sel = useEditor.getState().selection;
      switch (cmd) {
        case "delete":
          if (sel.length) actions.deleteSelection(sel);
          else if (selectedEdges.current.length) {
            useEditor.getState().apply(deleteTransitions(selectedEdges.current));
            clearEdges.current();
          }
          break;
        case "copy":
          void actions.copy(sel);
          break;
        case "cut":
          void actions.cut(sel);
          break;
        case "paste":
          void actions.pasteFromClipboard();
          break;
        case "undo":
          useEditor.getState().undo();
          break;
        case "redo":
          useEditor.getState().redo();
          break;
        case "selectAll":
          actions.selectAll();
          break;
        case "escape":
          ui.closeAll();
          useEditor.getState().select([]);
          break;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

const COMMANDS: { label: string; type: LifeCycleCommand; confirm?: string }[] = [
  { label: "Start", type: "start" },
  { label: "Pause", type: "pause" },
  { label: "Stop", type: "stop" },
  { label: "Restart", type: "restart" },
  { label: "Start in simulation mode", type: "start_simulation" },
  { label: "Execute pending tasks now", type: "execute_pending" },
  { label: "Unconditional stop", type: "unconditional_stop", confirm: "Mark the workflow Finished and its runs Cancelled without waiting for operations in progress?" },
  { label: "Purge history", type: "purge_history", confirm: "Delete the finished runs, tasks and logs of this workflow? This cannot be undone." },
];

const NO_PENDING: never[] = [];

const STATE_TONE: Record<WorkflowState, string> = { being_edited: "", started: "green", paused: "amber", stopping: "red", finished: "" };

/**
 * Keeps the editor's summary (life-cycle state) in step with engine events. Only the latest
 * request's answer is kept: the engine changes states within milliseconds (started → stopping →
 * finished), and over HTTP an older request may be answered after a newer one.
 */
function useLiveSummary() {
  useEffect(() => {
    let asked = 0;
    return onLive((e) => {
        const id = useEditor.getState().workflowId;
        if (!id || e.workflowId !== id) return;
        // Which toolbar commands apply follows the state and the runs in progress.
        if (e.kind === "workflow_state" || e.kind === "workflow_changed" || e.kind === "run_created" || e.kind === "run_status") {
          const mine = ++asked;
          void backend.listWorkflows().then((ws) => {
            if (mine !== asked) return;
            const w = ws.find((x) => x.id === id);
            const cur = useEditor.getState();
            if (w && cur.summary && cur.workflowId === id)
              useEditor.setState({ summary: { ...cur.summary, name: w.name, state: w.state, revision: w.revision, simulate: w.simulate, commands: w.commands } });
          });
        }
      });
  }, []);
}


function Toolbar() {
  const summary = useEditor((s) => s.summary);
  const canUndo = useEditor((s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useEditor((s) => (s.history?.future.length ?? 0) > 0);
  const dirty = useDirty();
  const body = useBody();
  const go = useNav((s) => s.go);
  const selection = useEditor((s) => s.selection);
  const pending = useCommands((s) => (summary ? s.pending[summary.id] : undefined) ?? NO_PENDING);
  const state: WorkflowState = summary?.state ?? "being_edited";
  const busy = pending.find((p) => PROGRESS_LABEL[p.type]);
  const [savingTemplate, setSavingTemplate] = useState(false);
  const [revisions, setRevisions] = useState(false);
  const comparing = useCompare((s) => s.view !== null);
  const stateText = state === "stopping" ? "Stopping…" : busy ? (PROGRESS_LABEL[busy.type] ?? STATE_LABEL[state]) : STATE_LABEL[state];
  // What the caller may not do, with why (on a team server, per their operator's capabilities).
  const noRun = useLacking("run");
  const noEdit = useLacking("update");
  const avail = (t: LifeCycleCommand) => {
    if (noRun) return { enabled: false, reason: noRun };
    const a = commandAvailability(t, summary);
    if (a.enabled && pending.some((p) => p.type === t)) return { enabled: false, reason: "Already queued." };
    return a;
  };
  const send = async (type: LifeCycleCommand, label: string, confirm?: string) => {
    if (!summary) return;
    if (confirm && (await ask({ title: `${label}?`, message: confirm, confirm: label, danger: true })).choice !== "confirm") return;
    if ((type === "start" || type === "start_simulation") && useValidation.getState().diagnostics.some((d) => d.severity === "error")) {
      toast("This workflow has problems: fix them before starting it.", "error");
      useEditorUi.getState().set({ problemsOpen: true });
      return;
    }
    const out = await runCommand(summary.id, { type } as Command, label);
    if (out?.ok) toast(`${label}: ${out.detail || "done"}`);
  };
  const quick = (type: LifeCycleCommand, label: string, icon: React.ReactNode) => {
    const a = avail(type);
    return (
      <button type="button" className="btn ghost icon" aria-label={label} data-tip={a.enabled ? label : `${label} — ${a.reason}`} disabled={!a.enabled} onClick={() => void send(type, label)}>
        {icon}
      </button>
    );
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <button type="button" className="btn ghost icon" aria-label="Back to workflows" data-tip="Back to workflows" onClick={() => go({ name: "list" })}>
        <ArrowLeft size={17} />
      </button>
      <div className="title">
        <span className="name" data-testid="workflow-name">{body?.name ?? "…"}</span>
        {dirty && <span className="dirty-dot" data-tip="Unsaved changes" data-testid="dirty-marker" />}
        {summary && (
          <span className={`badge state-pill ${STATE_TONE[state]}`} data-testid="workflow-state" data-state={state} data-tip={`Life-cycle state: ${stateText}`}>
            <span className={`dot${state === "stopping" || busy ? " pulse" : ""}`} />
            {stateText}
          </span>
        )}
        {summary && <span className="rev">rev {summary.revision}</span>}
      </div>
      <div className="tb-sep" />
      <button type="button" className="btn ghost icon" aria-label="Undo" data-tip="Undo (Ctrl+Z)" disabled={!canUndo || comparing} onClick={() => useEditor.getState().undo()}>
        <Undo2 size={16} />
      </button>
      <button type="button" className="btn ghost icon" aria-label="Redo" data-tip="Redo (Ctrl+Shift+Z)" disabled={!canRedo || comparing} onClick={() => useEditor.getState().redo()}>
        <Redo2 size={16} />
      </button>
      <div className="tb-sep" />
      <button type="button" className="btn ghost sm" data-tip={noEdit ?? "Tidy up (auto layout)"} disabled={comparing || !!noEdit} onClick={actions.tidy}>
        <LayoutDashboard size={15} /> Tidy up
      </button>
      <button type="button" className="btn ghost icon" aria-label="Fit view" data-tip="Fit view" onClick={() => flow()?.fitView({ duration: 250, padding: 0.25, maxZoom: 1.1 })}>
        <Maximize size={15} />
      </button>
      <MenuButton
        label="Export"
        button={(open) => (
          <button type="button" className="btn ghost sm" onClick={open}>
            <Download size={15} /> Export <ChevronDown size={13} />
          </button>
        )}
        items={[
          { label: "Copy as bitmap", icon: <Image size={14} />, onSelect: () => void actions.copyBitmap() },
          "sep",
          { label: "Export as PNG", icon: <Image size={14} />, onSelect: () => void actions.exportImage("png") },
          { label: "Export as SVG", icon: <Image size={14} />, onSelect: () => void actions.exportImage("svg") },
          { label: "Export .weft.json", icon: <Download size={14} />, onSelect: actions.exportJson },
        ]}
      />
      <div className="spacer" />
      {quick("start", "Start", <Play size={15} />)}
      {quick("pause", "Pause", <Pause size={15} />)}
      {quick("stop", "Stop", <Square size={14} />)}
      <div className="tb-sep" />
      <button
        type="button"
        className="btn sm"
        data-tip={noRun ?? (dirty ? "Runs the last saved revision" : "Queue a manual run")}
        disabled={!!noRun}
        onClick={() => summary && void requestRunNow(summary.id)}
      >
        <Play size={14} /> Run now
      </button>
      <MenuButton
        label="Actions"
        button={(open) => (
          <button type="button" className="btn sm" onClick={open}>
            <Zap size={14} /> Actions <ChevronDown size={13} />
          </button>
        )}
        items={[
          ...COMMANDS.map((c) => {
            const a = avail(c.type);
            return {
              // Like the state pill: from the click until the engine has stopped the workflow.
              label: c.type === "stop" && (state === "stopping" || busy?.type === "stop") ? "Stopping…" : c.label,
              icon: c.type === "pause" ? <Pause size={14} /> : c.type === "stop" ? <Square size={14} /> : c.type === "start" ? <Play size={14} /> : undefined,
              danger: !!c.confirm,
              disabled: !a.enabled,
              reason: a.reason,
              onSelect: () => void send(c.type, c.label, c.confirm),
            };
          }),
          "sep" as const,
          {
            label: "Toggle breakpoint on the selection",
            shortcut: "F9",
            disabled: selection.length === 0 || !!noEdit,
            reason: noEdit ?? "Select activities first.",
            onSelect: () => void useBreakpoints.getState().toggle(selection),
          },
          { label: "Breakpoints…", disabled: !!noEdit, reason: noEdit ?? undefined, onSelect: () => useBreakpoints.getState().openDialog() },
          {
            label: "Debug run",
            disabled: !!noRun,
            reason: noRun ?? undefined,
            // Pauses at the workflow's breakpoints (kept beside it in the store; `weft breakpoints`).
            onSelect: () => summary && void runCommand(summary.id, { type: "debug_run", params: {}, simulate: false }, "Debug run"),
          },
          { label: "Revisions…", onSelect: () => setRevisions(true) },
          {
            label: "Save as template…",
            disabled: dirty || !!noEdit,
            reason: noEdit ?? "Save your changes first.",
            onSelect: () => setSavingTemplate(true),
          },
        ]}
      />
      <div className="tb-sep" />
      <button type="button" className="btn sm" disabled={!dirty || !!noEdit} onClick={actions.revert} data-tip={noEdit ?? "Revert to the last saved revision"}>
        Cancel
      </button>
      <div className="btn-group">
        <button type="button" className="btn sm primary" disabled={!dirty || !!noEdit} onClick={() => void actions.save()} data-tip={noEdit ?? "Save (Ctrl+S)"}>
          <Save size={14} /> Save
        </button>
        <MenuButton
          label="Save options"
          button={(open) => (
            <button type="button" className="btn sm primary" aria-label="Save options" disabled={!!noEdit} data-tip={noEdit ?? undefined} onClick={open}>
              <ChevronDown size={13} />
            </button>
          )}
          items={[
            { label: "Save", shortcut: "Ctrl+S", onSelect: () => void actions.save() },
            { label: "Save as Active", onSelect: () => void actions.save(true) },
            { label: "Save as Inactive", onSelect: () => void actions.save(false) },
          ]}
        />
      </div>
      {revisions && summary && <RevisionsDialog workflowId={summary.id} dirty={dirty} onClose={() => setRevisions(false)} />}
      {savingTemplate && summary && <SaveTemplateDialog workflowId={summary.id} workflowName={body?.name ?? summary.name} onClose={() => setSavingTemplate(false)} />}
    </div>
  );
}

/**
 * The window (or browser tab) is named after the workflow it shows, as saved, and follows a
 * rename made anywhere (the live summary carries the name): a person with several windows open
 * tells them apart in the task bar. Back to "Weft" on leaving.
 */
function useWindowTitle(name: string | null) {
  useEffect(() => {
    if (name) void backend.setWindowTitle(`${name} — Weft`).catch(() => {});
  }, [name]);
  useEffect(() => () => void backend.setWindowTitle("Weft").catch(() => {}), []);
}

/** Two runs asked for on the canvas (from the runs history's Compare), once the workflow is open. */
function useRunsComparison(workflowOpen: boolean, runs: [number, number] | null) {
  const [a, b] = runs ?? [null, null];
  useEffect(() => {
    if (!workflowOpen || a === null || b === null) return;
    showRunsOnCanvas(a, b).catch((e) => toast(`Could not compare the runs: ${errorMessage(e)}`, "error"));
  }, [workflowOpen, a, b]);
}

export function EditorScreen({
  id,
  runId = null,
  replay = false,
  compareRuns = null,
}: { id: string; runId?: number | null; replay?: boolean; compareRuns?: [number, number] | null }) {
  const body = useBody();
  const comparison = useCompare((s) => (s.view ? s.seq : null));
  const [error, setError] = useState<string | null>(null);
  useShortcuts();
  useLiveSummary();
  useEffect(() => {
    let live = true;
    backend
      .getWorkflow(id)
      .then((d) => {
        if (live) useEditor.getState().open(d.summary, normalize(d.body, useCatalog.getState().entries));
      })
      .catch((e) => setError(errorMessage(e)));
    void useBreakpoints.getState().load(id);
    useNav.setState({ guard: actions.confirmLeave });
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (actions.confirmLeaveNeeded()) e.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    const offClose = backend.onCloseRequested(actions.confirmLeave);
    return () => {
      void offClose.then((f) => f());
      live = false;
      useNav.setState({ guard: null });
      window.removeEventListener("beforeunload", beforeUnload);
      useEditor.getState().close();
      useEditorUi.getState().closeAll();
      useValidation.getState().clear();
      useBreakpoints.getState().clear();
      useCompare.getState().close();
    };
  }, [id]);
  useRunsComparison(body !== null, compareRuns);
  useEffect(() => {
    if (body) useValidation.getState().schedule(body);
  }, [body]);
  useWindowTitle(useEditor((s) => s.summary?.name ?? null));
  const breakpointsOpen = useBreakpoints((s) => s.dialog !== null);
  // Nothing to insert for an operator who may not edit.
  const mayEdit = useLacking("update") === null;
  if (error) return <div className="page-inner">Could not open the workflow: {error}</div>;
  return (
    <div className="editor">
      <Toolbar />
      <div className="editor-body">
        {comparison === null && mayEdit && <Palette />}
        <div className="canvas-wrap">
          {/* A comparison is framed afresh, and so is the workflow when editing resumes. */}
          {body && <Canvas key={comparison === null ? "edit" : `compare-${comparison}`} />}
          {comparison === null ? <CanvasRunBar workflowId={id} initialRunId={runId} replay={replay} /> : <CompareBar />}
          {comparison === null && <ReplayBar />}
          <LogsPanel label={(a) => body?.activities.find((x) => x.id === a)?.label || a} />
          <Inspector label={(a) => body?.activities.find((x) => x.id === a)?.label || a} />
          <ProblemsPanel />
        </div>
      </div>
      <SectionMenu />
      <SectionModal />
      <ContextMenu />
      {breakpointsOpen && body && <BreakpointsDialog body={body} />}
    </div>
  );
}
