//! Editor commands shared by the keyboard, the toolbar, the context menu and the section menu.
//! They read and write the stores; the edits themselves are the pure functions of `edits.ts`.
import { catalogEntries, portsOfKind } from "../app/catalogStore";
import { ask } from "../app/dialogStore";
import { useNav } from "../app/navStore";
import { useTheme } from "../app/themeStore";
import { toast } from "../app/toastStore";
import { useWorkflows } from "../workflows/workflowsStore";
import { backend } from "../bridge";
import type { ActivityKind, ExecutionMode, PictureRequest, WorkflowFile, WorkflowSummary } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { download } from "../canvas/download";
import { flow } from "../canvas/flowRef";
import { tidyPositions } from "../canvas/layout";
import {
  type Clip,
  batch,
  copySelection,
  deleteActivities,
  insertAfter,
  insertOnTransition,
  addActivity,
  moveActivities,
  paste as pasteClip,
  parseClip,
  setMode,
} from "./edits";
import { currentBody, isDirty, useEditor } from "./editorStore";
import { newActivity, normalize } from "./model";
import { useCanvasRun } from "../operate/canvasRun";
import { type InsertAt, useEditorUi } from "./uiStore";

const STEP = 120;
let lastClip: Clip | null = null;
/** The clipboard text of the last copy or paste here: while it is unchanged, `lastClip` (shifted
 * after each paste) is what to paste, so repeated pastes do not land on top of each other. */
let lastClipText: string | null = null;

const body = () => currentBody();

/** Inserts a new activity of `kind` at a step (section menu, drop on a transition) or a point. */
export function insertKind(kind: ActivityKind, at: InsertAt | { type: "point"; x: number; y: number }, openModal = true) {
  const b = body();
  if (!b) return;
  const taken = new Set(b.activities.map((a) => a.id));
  const byId = new Map(b.activities.map((a) => [a.id, a]));
  if (at.type === "point") {
    const act = newActivity(catalogEntries(), kind, { x: at.x, y: at.y }, taken);
    useEditor.getState().apply(addActivity(act));
    useEditor.getState().select([act.id]);
    if (openModal) useEditorUi.getState().openModal(act.id);
    return act.id;
  }
  const fromId = at.type === "after" ? at.from : at.transition.from;
  const from = byId.get(fromId);
  if (!from) return;
  const port = at.type === "after" ? at.port : at.transition.port;
  const ports = portsOfKind(from.kind);
  const siblings = b.transitions.filter((t) => t.from === fromId && t.port === port).length;
  const portIndex = Math.max(0, ports.indexOf(port));
  // Below the source, shifted sideways for the second output of a branching activity.
  const x = from.position.x + (ports.length > 1 ? (portIndex - (ports.length - 1) / 2) * 280 : 0);
  const y = from.position.y + STEP;
  const act = newActivity(catalogEntries(), kind, { x, y }, taken);
  // Make room: what sits below the insertion point moves down one step.
  const pushDown: Record<string, { x: number; y: number }> = {};
  if (at.type === "transition" || siblings > 0) {
    for (const a of b.activities) if (a.position.y > from.position.y + 8) pushDown[a.id] = { x: a.position.x, y: a.position.y + STEP };
  }
  const insert =
    at.type === "after" ? insertAfter(act, at.from, at.port, portsOfKind) : insertOnTransition(act, at.transition, portsOfKind);
  useEditor.getState().apply(batch(moveActivities(pushDown), insert));
  useEditor.getState().select([act.id]);
  useEditorUi.getState().set({ sectionMenu: null });
  if (openModal) useEditorUi.getState().openModal(act.id);
  return act.id;
}

export function deleteSelection(ids = useEditor.getState().selection) {
  if (ids.length === 0) return;
  const b = body();
  if (b && ids.every((id) => b.activities.find((a) => a.id === id)?.kind === "start")) {
    toast("Start cannot be deleted: every workflow has one.");
    return;
  }
  useEditor.getState().apply(deleteActivities(ids));
  useEditor.getState().select([]);
}

export async function copy(ids = useEditor.getState().selection): Promise<boolean> {
  const b = body();
  if (!b || ids.length === 0) return false;
  lastClip = copySelection(b, ids);
  const what = `${ids.length} ${ids.length === 1 ? "activity" : "activities"}`;
  try {
    // JSON on the system clipboard: another workflow, another window, or a text editor gets it.
    lastClipText = JSON.stringify(lastClip, null, 2);
    await backend.writeClipboardText(lastClipText);
    toast(`Copied ${what}`);
  } catch (e) {
    // The window's own copy still serves Paste here.
    toast(`Copied ${what} in this window only: the system clipboard refused it (${errorMessage(e)})`, "error");
  }
  return true;
}

export async function cut(ids = useEditor.getState().selection) {
  const b = body();
  const cuttable = ids.filter((id) => b?.activities.find((a) => a.id === id)?.kind !== "start");
  if (await copy(cuttable)) {
    useEditor.getState().apply(deleteActivities(cuttable));
    useEditor.getState().select([]);
  }
}

export const hasClip = () => lastClip !== null;

/** The system clipboard's text; empty when it cannot be read. */
async function clipboardText(): Promise<string> {
  try {
    return await backend.readClipboardText();
  } catch {
    return "";
  }
}

/** Activities on the system clipboard (copied in any Weft window), if it holds some. */
export const systemClip = async (): Promise<Clip | null> => parseClip(await clipboardText());

export async function pasteFromClipboard(at?: { x: number; y: number }) {
  const b = body();
  if (!b) return;
  const text = await clipboardText();
  const fresh = text && text !== lastClipText ? parseClip(text) : null;
  if (fresh) lastClipText = text;
  let clip = fresh ?? lastClip;
  if (!clip || clip.activities.length === 0) {
    toast("Nothing to paste: copy activities first.");
    return;
  }
  // Activities of kinds this version does not know (a clip from a newer Weft) are left out.
  const known = new Set(catalogEntries().map((c) => c.kind as string));
  const unknown = clip.activities.filter((a) => !known.has(a.kind));
  if (unknown.length) {
    toast(`Not pasted: ${unknown.map((a) => `“${a.label || a.id}” (${a.kind})`).join(", ")} — unknown kind`, "error");
    // Their transitions go too: `paste` keeps only those between pasted activities.
    clip = { ...clip, activities: clip.activities.filter((a) => known.has(a.kind)) };
    if (clip.activities.length === 0) return;
  }
  // Fields a hand-made clip may omit, filled as when a file is opened.
  clip = { ...clip, activities: normalize({ activities: clip.activities }, catalogEntries()).activities };
  let offset = { x: 40, y: 40 };
  if (at) {
    const minX = Math.min(...clip.activities.map((a) => a.position.x));
    const minY = Math.min(...clip.activities.map((a) => a.position.y));
    offset = { x: at.x - minX, y: at.y - minY };
  }
  const { edit, ids } = pasteClip(clip, b, offset);
  useEditor.getState().apply(edit);
  useEditor.getState().select(ids);
  // A second paste of the same clip lands a little further.
  lastClip = { ...clip, activities: clip.activities.map((a) => ({ ...a, position: { x: a.position.x + 40, y: a.position.y + 40 } })) };
}

export function setModeFor(ids: string[], mode: ExecutionMode) {
  if (ids.length) useEditor.getState().apply(setMode(ids, mode));
}

export function selectAll() {
  const b = body();
  if (b) useEditor.getState().select(b.activities.map((a) => a.id));
}

export function tidy() {
  const b = body();
  const f = flow();
  if (!b) return;
  const sizes: Record<string, { width: number; height: number }> = {};
  for (const n of f?.getNodes() ?? []) if (n.measured?.width && n.measured.height) sizes[n.id] = { width: n.measured.width, height: n.measured.height };
  useEditor.getState().apply(moveActivities(tidyPositions(b, sizes)));
  setTimeout(() => f?.fitView({ duration: 250, padding: 0.2 }), 30);
}

/** The code of a save refused because another revision was saved since the editor's base. */
const SAVED_ELSEWHERE = "WEFT-X009";

const codeOf = (e: unknown) => (e && typeof e === "object" && "code" in e ? (e as { code: unknown }).code : null);

/**
 * Saves a new revision made from the one the editor opened; `activate` true saves as Active
 * (starts it), false as Inactive. When another revision was saved in between (another window,
 * the CLI, another browser), asks whether to overwrite it, reload it (dropping these changes) or
 * save these changes as a copy.
 */
export async function save(activate: boolean | null = null): Promise<boolean> {
  const { workflowId, history, base } = useEditor.getState();
  if (!workflowId || !history) return false;
  const b = history.present;
  try {
    const summary = await backend.saveWorkflow(workflowId, b, activate === true ? true : null, base);
    return await afterSave(workflowId, summary, b, activate);
  } catch (e) {
    if (codeOf(e) === SAVED_ELSEWHERE) return savedElsewhere(workflowId, b, activate, e);
    toast(`Could not save: ${errorMessage(e)}`, "error");
    return false;
  }
}

async function afterSave(workflowId: string, summary: WorkflowSummary, b: WorkflowFile, activate: boolean | null): Promise<boolean> {
  if (activate === false && (summary.state === "started" || summary.state === "paused")) {
    await backend.sendCommand(workflowId, { type: "stop" });
  }
  useEditor.getState().markSaved(summary, b);
  void useWorkflows.getState().refresh();
  toast(activate === true ? `Saved revision ${summary.revision} and started` : `Saved revision ${summary.revision}`);
  return true;
}

/** The choice after a save refused with `WEFT-X009`; each does what its button says. */
async function savedElsewhere(workflowId: string, b: WorkflowFile, activate: boolean | null, e: unknown): Promise<boolean> {
  const details = (e as { details?: { base?: number; latest?: number } }).details ?? {};
  const a = await ask({
    title: "Saved elsewhere",
    message:
      `Revision ${details.latest ?? "?"} of this workflow was saved elsewhere (another window, the command line or another browser) ` +
      `after revision ${details.base ?? "?"} you started from. Overwrite it with your changes, reload it and drop your changes, ` +
      "or save your changes as a copy?",
    confirm: "Overwrite",
    danger: true,
    extra: "Reload",
    extra2: "Save as a copy",
  });
  try {
    if (a.choice === "confirm") {
      // Saved over whatever is latest now: the person chose to replace it.
      const summary = await backend.saveWorkflow(workflowId, b, activate === true ? true : null, null);
      return await afterSave(workflowId, summary, b, activate);
    }
    if (a.choice === "extra") {
      const d = await backend.getWorkflow(workflowId);
      useEditor.getState().open(d.summary, normalize(d.body, catalogEntries()));
      toast(`Reloaded revision ${d.summary.revision}`);
      return false;
    }
    if (a.choice === "extra2") {
      const copy = await backend.duplicateWorkflow(workflowId, b);
      // These changes live on in the copy: the original is left as it was saved elsewhere.
      useEditor.getState().markSaved(useEditor.getState().summary ?? copy, b);
      void useWorkflows.getState().refresh();
      useNav.setState({ view: { name: "editor", id: copy.id } });
      toast(`Saved as “${copy.name}”`);
      return true;
    }
  } catch (err) {
    toast(`Could not save: ${errorMessage(err)}`, "error");
  }
  return false;
}

/** Cancel: back to the last saved revision (one undoable step). */
export function revert() {
  const { saved } = useEditor.getState();
  if (!saved || !isDirty(useEditor.getState())) return;
  useEditor.getState().apply(() => saved);
  useEditor.getState().select([]);
  toast("Reverted to the last saved revision");
}

/** Asks what to do with unsaved changes before leaving; false keeps the user in the editor. */
export async function confirmLeave(): Promise<boolean> {
  if (!isDirty(useEditor.getState())) return true;
  const a = await ask({
    title: "Unsaved changes",
    message: "This workflow has changes that are not saved. Save them before leaving?",
    confirm: "Save",
    extra: "Discard",
    cancel: "Keep editing",
  });
  if (a.choice === "confirm") return save();
  return a.choice === "extra";
}

/**
 * What a picture of the editor's workflow shows: the workflow as it is on the canvas (saved or
 * not), the selection (else everything), the theme, and the run shown on the canvas.
 */
function pictureOf(ids: string[], format: "png" | "svg"): PictureRequest | null {
  const b = body();
  if (!b) return null;
  const present = new Set(b.activities.map((a) => a.id));
  return {
    body: b,
    selection: ids.filter((id) => present.has(id)),
    theme: useTheme.getState().resolved,
    runId: useCanvasRun.getState().runId,
    format,
  };
}

export async function copyBitmap(ids = useEditor.getState().selection) {
  const request = pictureOf(ids, "png");
  if (!request) return;
  try {
    await backend.copyPicture(request);
    toast(request.selection.length ? "Copied the selection as an image" : "Copied the workflow as an image");
  } catch (e) {
    toast(`Could not copy the image: ${errorMessage(e)}`, "error");
  }
}

const fileName = (b: WorkflowFile | null, ext: string) =>
  `${(b?.name ?? "workflow").replace(/[^\w.-]+/g, "-").toLowerCase()}.${ext}`;

export async function exportImage(format: "png" | "svg", ids = useEditor.getState().selection) {
  const request = pictureOf(ids, format);
  if (!request) return;
  try {
    const picture = await backend.renderPicture(request);
    download(`data:${picture.mime};base64,${picture.base64}`, fileName(request.body, format));
  } catch (e) {
    toast(`Could not export: ${errorMessage(e)}`, "error");
  }
}

export function exportJson() {
  const b = body();
  if (!b) return;
  download(`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(b, null, 2))}`, fileName(b, "weft.json"));
}

/** True when leaving now would lose changes (for the window's beforeunload). */
export const confirmLeaveNeeded = () => isDirty(useEditor.getState());
