//! Every approval waiting across workflows, kept live from events (the top bar's badge count and
//! the approvals screen read it).
import { create } from "zustand";
import { backend } from "../bridge";
import type { ApprovalRecord } from "../bridge/types";
import { coalesce, onLive } from "./liveEvents";

type ApprovalsState = { items: ApprovalRecord[]; loaded: boolean; refresh: () => Promise<void> };

export const useApprovals = create<ApprovalsState>((set) => ({
  items: [],
  loaded: false,
  refresh: async () => {
    try {
      const items = await backend.openApprovals();
      set({ items: items.sort((a, b) => a.createdAt - b.createdAt), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
}));

let watching = false;
/** Starts keeping the list live (idempotent). */
export function watchApprovals() {
  if (watching) return;
  watching = true;
  const refresh = coalesce(() => void useApprovals.getState().refresh(), 100);
  refresh();
  onLive((e) => {
    if (e.kind === "run_status" || e.kind === "task_changed" || e.kind === "purged" || e.kind === "command_applied") refresh();
  });
}
