//! The right-click menu on an activity, a selection or the empty canvas. Items and order are
//! fixed by the spec; those that do not apply are disabled with a reason, never hidden.
import { Ban, ClipboardPaste, Copy, FileText, FolderOpen, Image, PauseCircle, PlayCircle, RotateCcw, Save, Scissors, Trash2, Undo2, Zap } from "lucide-react";
import { type MenuEntry, MenuItems, Popover } from "../components/Popover";
import { copy, copyBitmap, cut, deleteSelection, hasClip, pasteFromClipboard, revert, save, setModeFor } from "../editor/actions";
import { isDirty, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import type { ExecutionMode } from "../bridge/types";

const NEEDS_RUN = "Select a run to use this (run monitoring on the canvas).";

export function contextMenuItems(targets: string[], opts: { modes: ExecutionMode[]; onlyStart: boolean; canPaste: boolean; dirty: boolean; pastePoint?: { x: number; y: number } | null }): MenuEntry[] {
  const none = targets.length === 0;
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
    { label: "Display logs", icon: <FileText size={14} />, disabled: true, reason: NEEDS_RUN, onSelect: () => {} },
    { label: "Execute pending task(s) now", icon: <Zap size={14} />, disabled: true, reason: NEEDS_RUN, onSelect: () => {} },
    { label: "Workflow restart from a task", icon: <RotateCcw size={14} />, disabled: true, reason: NEEDS_RUN, onSelect: () => {} },
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
  if (!menu) return null;
  const close = () => useEditorUi.getState().set({ contextMenu: null });
  const acts = (body?.activities ?? []).filter((a) => menu.targets.includes(a.id));
  const items = contextMenuItems(menu.targets, {
    modes: acts.map((a) => a.mode),
    onlyStart: acts.length > 0 && acts.every((a) => a.kind === "start"),
    canPaste: hasClip(),
    dirty,
    pastePoint: menu.targets.length === 0 ? pastePoint : null,
  });
  return (
    <Popover x={menu.x} y={menu.y} onClose={close} label="Activity menu">
      <MenuItems items={items} onClose={close} />
    </Popover>
  );
}
