//! The workflows list and its operations (create, rename, duplicate, delete, import, export).
import { create } from "zustand";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import type { TemplateInfo, WorkflowSummary } from "../bridge/types";
import { errorMessage } from "../bridge/types";

type WorkflowsState = {
  items: WorkflowSummary[];
  loaded: boolean;
  templates: TemplateInfo[];
  refresh: () => Promise<void>;
  loadTemplates: () => Promise<void>;
  create: (name: string, template: string | null) => Promise<WorkflowSummary | null>;
  rename: (id: string, name: string) => Promise<void>;
  duplicate: (id: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  importText: (json: string) => Promise<WorkflowSummary | null>;
  exportText: (id: string) => Promise<string | null>;
};

async function guarded<T>(what: string, f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (e) {
    toast(`${what}: ${errorMessage(e)}`, "error");
    return null;
  }
}

/**
 * How many list requests were made: only the latest one's answer is kept. The engine changes a
 * workflow's state within milliseconds (started → stopping → finished), and over HTTP an older
 * request may be answered after a newer one.
 */
let asked = 0;

export const useWorkflows = create<WorkflowsState>((set, get) => ({
  items: [],
  loaded: false,
  templates: [],
  refresh: async () => {
    const mine = ++asked;
    const items = await guarded("Could not list workflows", () => backend.listWorkflows());
    if (items && mine === asked) set({ items, loaded: true });
  },
  loadTemplates: async () => {
    const templates = await guarded("Could not list templates", () => backend.listTemplates());
    if (templates) set({ templates });
  },
  create: async (name, template) => {
    const s = await guarded("Could not create the workflow", () => backend.createWorkflow(name, template));
    await get().refresh();
    return s;
  },
  rename: async (id, name) => {
    await guarded("Could not rename", () => backend.renameWorkflow(id, name));
    await get().refresh();
  },
  duplicate: async (id) => {
    const s = await guarded("Could not duplicate", () => backend.duplicateWorkflow(id));
    if (s) toast(`Created “${s.name}”`);
    await get().refresh();
  },
  remove: async (id) => {
    await guarded("Could not delete", () => backend.deleteWorkflow(id));
    await get().refresh();
  },
  importText: async (json) => {
    const s = await guarded("Could not import", () => backend.importWorkflow(json));
    if (s) toast(`Imported “${s.name}”`);
    await get().refresh();
    return s;
  },
  exportText: (id) => guarded("Could not export", () => backend.exportWorkflow(id)),
}));
