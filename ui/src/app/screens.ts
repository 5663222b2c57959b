//! Screens reached from outside the UI: a `weft://` link handed over by the system, and the
//! screen the main window showed when it was last closed. Pure: what a link or a kept text
//! means as a [`View`]; `startScreens` wires them to the shell.
import { shell } from "../bridge/shell";
import type { Link } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { toast } from "./toastStore";
import { type View, useNav } from "./navStore";

/** The screen a link opens. */
export function viewOfLink(link: Link): View {
  switch (link.kind) {
    case "workflow":
      return { name: "editor", id: link.id };
    case "run":
      return { name: "run", id: link.id };
    case "approve":
      return { name: "approvals", runId: link.run };
  }
}

const isId = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/** A view as kept between runs. */
export function screenText(view: View): string {
  return JSON.stringify(view);
}

/** The view a kept text names, or null when it names none (an older or damaged file). */
export function viewOfScreen(text: string | null): View | null {
  if (!text) return null;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== "object") return null;
  switch (v.name) {
    case "list":
    case "contacts":
    case "schedulers":
      return { name: v.name };
    case "approvals":
      return { name: "approvals" };
    case "editor":
      return typeof v.id === "string" && v.id ? { name: "editor", id: v.id } : null;
    case "workflow":
      return typeof v.id === "string" && v.id ? { name: "workflow", id: v.id } : null;
    case "runs":
      return { name: "runs", workflowId: typeof v.workflowId === "string" ? v.workflowId : null };
    case "run":
      return isId(v.id) ? { name: "run", id: v.id } : null;
    default:
      return null;
  }
}

async function openWaitingLink(): Promise<boolean> {
  try {
    const link = await shell.takeLink();
    if (!link) return false;
    await useNav.getState().go(viewOfLink(link));
    return true;
  } catch (e) {
    toast(`This link cannot be opened: ${errorMessage(e)}`, "error");
    return false;
  }
}

let started = false;

/**
 * The main window's first screen: the link it was started with, else the screen it showed last
 * (a window opened on one workflow keeps its own). Then: every link that arrives, and every
 * screen shown is kept.
 */
export async function startScreens(isMainWindow: boolean): Promise<void> {
  if (started) return;
  started = true;
  void shell.onLink(() => void openWaitingLink());
  if (!isMainWindow) return;
  if (!(await openWaitingLink())) {
    const last = viewOfScreen(await shell.lastScreen().catch(() => null));
    if (last && useNav.getState().view.name === "list") await useNav.getState().go(last);
  }
  useNav.subscribe((s, prev) => {
    if (s.view !== prev.view) void shell.rememberScreen(screenText(s.view)).catch(() => {});
  });
}
