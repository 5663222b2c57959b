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
import { useNav } from "../app/navStore";
import { STATE_LABEL } from "../app/roles";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { Command } from "../bridge/types";
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
import * as actions from "./actions";
import { deleteTransitions } from "./edits";
import { useBody, useDirty, useEditor } from "./editorStore";
import { shortcutOf } from "./keyboard";
import { normalize } from "./model";
import { useEditorUi } from "./uiStore";

function isTyping(t: EventTarget | null) {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useEditorUi.getState();
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

const COMMANDS: { label: string; command: Command; confirm?: string }[] = [
  { label: "Start", command: { type: "start" } },
  { label: "Pause", command: { type: "pause" } },
  { label: "Stop", command: { type: "stop" } },
  { label: "Restart", command: { type: "restart" } },
  { label: "Start in simulation mode", command: { type: "start_simulation" } },
  { label: "Execute pending tasks now", command: { type: "execute_pending" } },
  { label: "Unconditional stop", command: { type: "unconditional_stop" }, confirm: "Mark the workflow Finished and its runs Cancelled without waiting?" },
  { label: "Purge history", command: { type: "purge_history" }, confirm: "Delete the finished runs, tasks and logs of this workflow?" },
];

async function saveAsTemplate() {
  const summary = useEditor.getState().summary;
  if (!summary) return;
  const a = await ask({ title: "Save as template", message: "Folder to list the template under:", input: "My templates", confirm: "Save template" });
  if (a.choice !== "confirm" || !a.value.trim()) return;
  try {
    const t = await backend.saveAsTemplate(summary.id, a.value.trim());
    toast(`Saved “${t.name}” as a template in ${t.folder}`);
  } catch (e) {
    toast(`Could not save the template: ${errorMessage(e)}`, "error");
  }
}

function Toolbar() {
  const summary = useEditor((s) => s.summary);
  const canUndo = useEditor((s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useEditor((s) => (s.history?.future.length ?? 0) > 0);
  const dirty = useDirty();
  const body = useBody();
  const go = useNav((s) => s.go);
  const send = async (c: Command, confirm?: string) => {
    if (!summary) return;
    if (confirm && (await ask({ title: "Are you sure?", message: confirm, confirm: "Continue", danger: true })).choice !== "confirm") return;
    if ((c.type === "start" || c.type === "start_simulation" || c.type === "run_now") && useValidation.getState().diagnostics.some((d) => d.severity === "error")) {
      toast("This workflow has problems: fix them before starting it.", "error");
      useEditorUi.getState().set({ problemsOpen: true });
      return;
    }
    try {
      await backend.sendCommand(summary.id, c);
      toast(`${c.type === "run_now" ? "Run now" : COMMANDS.find((x) => x.command.type === c.type)?.label}: queued`);
    } catch (e) {
      toast(errorMessage(e), "error");
    }
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <button type="button" className="btn ghost icon" aria-label="Back to workflows" title="Back to workflows" onClick={() => go({ name: "list" })}>
        <ArrowLeft size={17} />
      </button>
      <div className="title">
        <span className="name" data-testid="workflow-name">{body?.name ?? "…"}</span>
        {dirty && <span className="dirty-dot" title="Unsaved changes" data-testid="dirty-marker" />}
        {summary && <span className="badge">{STATE_LABEL[summary.state]} · rev {summary.revision}</span>}
      </div>
      <div className="tb-sep" />
      <button type="button" className="btn ghost icon" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!canUndo} onClick={() => useEditor.getState().undo()}>
        <Undo2 size={16} />
      </button>
      <button type="button" className="btn ghost icon" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!canRedo} onClick={() => useEditor.getState().redo()}>
        <Redo2 size={16} />
      </button>
      <div className="tb-sep" />
      <button type="button" className="btn ghost sm" title="Tidy up (auto layout)" onClick={actions.tidy}>
        <LayoutDashboard size={15} /> Tidy up
      </button>
      <button type="button" className="btn ghost icon" aria-label="Fit view" title="Fit view" onClick={() => flow()?.fitView({ duration: 250, padding: 0.25, maxZoom: 1.1 })}>
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
      <button
        type="button"
        className="btn sm"
        title={dirty ? "Runs the last saved revision" : "Queue a manual run"}
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
          ...COMMANDS.map((c) => ({
            label: c.label,
            icon: c.command.type === "pause" ? <Pause size={14} /> : c.command.type === "stop" ? <Square size={14} /> : undefined,
            danger: !!c.confirm,
            disabled: c.command.type === "stop" && summary?.state === "stopping",
            reason: "Already stopping.",
            onSelect: () => void send(c.command, c.confirm),
          })),
          "sep" as const,
          { label: "Save as template…", disabled: dirty, reason: "Save your changes first.", onSelect: () => void saveAsTemplate() },
        ]}
      />
      <div className="tb-sep" />
      <button type="button" className="btn sm" disabled={!dirty} onClick={actions.revert} title="Revert to the last saved revision">
        Cancel
      </button>
      <div className="btn-group">
        <button type="button" className="btn sm primary" disabled={!dirty} onClick={() => void actions.save()} title="Save (Ctrl+S)">
          <Save size={14} /> Save
        </button>
        <MenuButton
          label="Save options"
          button={(open) => (
            <button type="button" className="btn sm primary" aria-label="Save options" onClick={open}>
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
    </div>
  );
}

export function EditorScreen({ id }: { id: string }) {
  const body = useBody();
  const [error, setError] = useState<string | null>(null);
  useShortcuts();
  useEffect(() => {
    let live = true;
    backend
      .getWorkflow(id)
      .then((d) => {
        if (live) useEditor.getState().open(d.summary, normalize(d.body, useCatalog.getState().entries));
      })
      .catch((e) => setError(errorMessage(e)));
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
    };
  }, [id]);
  useEffect(() => {
    if (body) useValidation.getState().schedule(body);
  }, [body]);
  if (error) return <div className="page-inner">Could not open the workflow: {error}</div>;
  return (
    <div className="editor">
      <Toolbar />
      <div className="editor-body">
        <Palette />
        <div className="canvas-wrap">
          {body && <Canvas />}
          <ProblemsPanel />
        </div>
      </div>
      <SectionMenu />
      <SectionModal />
      <ContextMenu />
    </div>
  );
}
