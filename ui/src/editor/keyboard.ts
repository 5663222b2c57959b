//! Editor keyboard shortcuts, as a pure mapping from a key event to a command name.
export type Shortcut = "delete" | "copy" | "cut" | "paste" | "undo" | "redo" | "save" | "selectAll" | "escape";

export function shortcutOf(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): Shortcut | null {
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  if (!mod && (e.key === "Delete" || e.key === "Backspace")) return "delete";
  if (e.key === "Escape") return "escape";
  if (!mod) return null;
  if (k === "c") return "copy";
  if (k === "x") return "cut";
  if (k === "v") return "paste";
  if (k === "z") return e.shiftKey ? "redo" : "undo";
  if (k === "y") return "redo";
  if (k === "s") return "save";
  if (k === "a") return "selectAll";
  return null;
}
