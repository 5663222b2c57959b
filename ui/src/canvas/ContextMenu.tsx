//! The right-click menu on an activity, a selection or the empty canvas. Items and order are
//! fixed by the spec; those that do not apply are disabled with a reason, never hidden.
import { Ban, CircleDot, ClipboardPaste, Copy, FileText, FolderOpen, Image, PauseCircle, PlayCircle, RotateCcw, Save, Scissors, Search, Trash2, Undo2, Zap } from "lucide-react";
import { type MenuEntry, MenuItems, Popover } from "../components/Popover";
import { useEffect, useState } from "react";
import { copy, copyBitmap, cut, deleteSelection, hasClip, pasteFromClipboard, revert, save, setModeFor, systemClip } from "../editor/actions";
import { isDirty, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import type { ExecutionMode } from "../bridge/types";
import { toast } from "../app/toastStore";
import { useBreakpoints } from "../operate/breakpoints";
import { useCanvasRun } from "../operate/canvasRun";
import { runCommand } from "../operate/commands";
import { isActive } from "../runs/status";

const NEEDS_RUN = "Show a run on the canvas to use this (pick one in the run strip).";

/** What the right-click menu can do with the run shown on the canvas (none when no run is shown). */
export type MenuRun = {
  runId: number;
  workflowId: string;
  active: boolean;
  /** Activities of the targets that have tasks in the run. */
  withTasks: string[];
  /** Pending (hold / wait) task ids of the targets. */
  pendingTasks: number[];
};

export function contextMenuItems(
  targets: string[],
  opts: { modes: ExecutionMode[]; onlyStart: boolean; canPaste: boolean; dirty: boolean; pastePoint?: { x: number; y: number } | null; run?: MenuRun | null },
): MenuEntry[] {
  const none = targets.length === 0;
  const run = opts.run ?? null;
  const noneReason = "Right-click an activity or a selection.";
  const modeItem = (label: string, mode: ExecutionMode, icon: React.ReactNode): MenuEntry => ({
    label,
    icon,
    disabled: none,
    reason: noneReason,
    checked: !none && opts.modes.length > 0 && opts.modes.every((m) => m === mode),
    onSelect: () => setModeFor(targets, mode),
  });
  return [
    { label: "Open", icon: <FolderOpen size={14} />, disabled: targets.length !== 1, reason: none ? noneReason : "Open works on one activity.", onSelect: () => useEditorUi.getState().openModal(targets[0]) },
    {
      label: "Display logs",
      icon: <FileText size={14} />,
      disabled: !run || targets.length !== 1 || !run.withTasks.includes(targets[0]),
      reason: !run ? NEEDS_RUN : targets.length !== 1 ? "Display logs works on one activity." : "This activity has not run in the shown run.",
      onSelect: () => useCanvasRun.getState().set({ logsFor: targets[0] }),
    },
    {
      label: "Inspect",
      icon: <Search size={14} />,
      disabled: !run || targets.length !== 1 || !run.withTasks.includes(targets[0]),
      reason: !run ? NEEDS_RUN : targets.length !== 1 ? "Inspect works on one activity." : "This activity has not been reached in the shown run.",
      onSelect: () => useCanvasRun.getState().set({ inspectFor: targets[0] }),
    },
    {
      label: "Breakpoint…",
      icon: <CircleDot size={14} />,
      disabled: targets.length !== 1 || opts.onlyStart,
      reason: opts.onlyStart ? "A run begins at Start: put the breakpoint on the next activity." : "A breakpoint is set on one activity.",
      onSelect: () => useBreakpoints.getState().openDialog(targets[0]),
    },
    {
      label: "Execute pending task(s) now",
      icon: <Zap size={14} />,
      disabled: !run || run.pendingTasks.length === 0,
      reason: !run ? NEEDS_RUN : "No pending task for these activities in the shown run.",
      onSelect: () => {
        if (!run) return;
        for (const id of run.pendingTasks) void runCommand(run.workflowId, { type: "execute_task", task_id: id }, "Execute pending task");
      },
    },
    {
      label: "Workflow restart from a task",
      icon: <RotateCcw size={14} />,
      disabled: !run || run.active || targets.length !== 1 || opts.onlyStart,
      reason: !run ? NEEDS_RUN : run.active ? "The shown run is still active." : targets.length !== 1 ? "Restart from one activity." : "Restart from an activity after Start.",
      onSelect: () => {
        if (!run) return;
        void runCommand(run.workflowId, { type: "restart_from_task", run_id: run.runId, activity_id: targets[0] }, "Restart from a task").then((out) => {
          if (out?.ok) toast(`Restarted from “${targets[0]}”${out.runId ? ` as run #${out.runId}` : ""}`);
        });
      },
    },
    "sep",
    { label: "Cut", icon: <Scissors size={14} />, shortcut: "Ctrl+X", disabled: none || opts.onlyStart, reason: opts.onlyStart ? "Start cannot be removed." : noneReason, onSelect: () => void cut(targets) },
    { label: "Copy", icon: <Copy size={14} />, shortcut: "Ctrl+C", disabled: none, reason: noneReason, onSelect: () => void copy(targets) },
    { label: "Paste", icon: <ClipboardPaste size={14} />, shortcut: "Ctrl+V", disabled: !opts.canPaste, reason: "Copy activities first.", onSelect: () => void pasteFromClipboard(opts.pastePoint ?? undefined) },
    { label: "Delete", icon: <Trash2 size={14} />, shortcut: "Del", disabled: none || opts.onlyStart, reason: opts.onlyStart ? "Start cannot be removed." : noneReason, onSelect: () => deleteSelection(targets) },
    "sep",
    { label: "Copy as bitmap", icon: <Image size={14} />, onSelect: () => void copyBitmap(targets) },
    "sep",
    modeItem("Normal execution", "normal", <PlayCircle size={14} />),
    modeItem("Enable but do not execute", "hold", <PauseCircle size={14} />),
    modeItem("Do not enable", "disabled", <Ban size={14} />),
    "sep",
    { label: "Save", icon: <Save size={14} />, shortcut: "Ctrl+S", disabled: !opts.dirty, reason: "No unsaved changes.", onSelect: () => void save() },
    { label: "Cancel", icon: <Undo2 size={14} />, disabled: !opts.dirty, reason: "No unsaved changes.", onSelect: () => revert() },
  ];
}

export function ContextMenu() {
  const menu = useEditorUi((s) => s.contextMenu);
  const pastePoint = useEditorUi((s) => s.pastePoint);
  const dirty = useEditor(isDirty);
  const body = useEditor((s) => s.history?.present);
  const runId = useCanvasRun((s) => s.runId);
  const run = useCanvasRun((s) => s.run);
  const byActivity = useCanvasRun((s) => s.byActivity);
  // Paste also takes activities copied in another window: look at the system clipboard each time
  // the menu opens.
  const [clipElsewhere, setClipElsewhere] = useState(false);
  useEffect(() => {
    if (!menu) return;
    let current = true;
    void systemClip().then((c) => current && setClipElsewhere(c !== null && c.activities.length > 0));
    return () => {
      current = false;
    };
  }, [menu]);
  if (!menu) return null;
  const close = () => useEditorUi.getState().set({ contextMenu: null });
  const acts = (body?.activities ?? []).filter((a) => menu.targets.includes(a.id));
  const items = contextMenuItems(menu.targets, {
    modes: acts.map((a) => a.mode),
    onlyStart: acts.length > 0 && acts.every((a) => a.kind === "start"),
    canPaste: hasClip() || clipElsewhere,
    dirty,
    pastePoint: menu.targets.length === 0 ? pastePoint : null,
    run:
      runId !== null && run && run.id === runId
        ? {
            runId,
            workflowId: run.workflowId,
            active: isActive(run.status),
            withTasks: menu.targets.filter((t) => byActivity[t]),
            pendingTasks: menu.targets.flatMap((t) => (byActivity[t]?.tasks ?? []).filter((x) => x.status === "waiting" && (x.waitReason === "hold" || x.waitReason === "wait")).map((x) => x.id)),
          }
        : null,
  });
  return (
    <Popover x={menu.x} y={menu.y} onClose={close} label="Activity menu">
      <MenuItems items={items} onClose={close} />
    </Popover>
  );
}
