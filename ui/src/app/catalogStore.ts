//! The activity catalogue, fetched once from the backend.
import { create } from "zustand";
import { backend } from "../bridge";
import { bundledCatalog } from "../bridge/catalog";
import type { CatalogEntry } from "../bridge/types";

type CatalogState = { entries: CatalogEntry[]; load: () => Promise<void> };

export const useCatalog = create<CatalogState>((set) => ({
  // The bundled copy until the backend answers, so the first paint has labels and icons.
  entries: bundledCatalog,
  load: async () => set({ entries: await backend.activityCatalog() }),
}));

export const catalogEntries = () => useCatalog.getState().entries;
export const portsOfKind = (kind: string) => catalogEntries().find((c) => c.kind === kind)?.ports ?? [];
