//! Every approval waiting across workflows, kept live from events (the top bar's badge count and
//! the approvals screen read it).
import { create } from "zustand";
import { backend, inTauri } from "../bridge";
import type { ApprovalRecord } from "../bridge/types";
import { useWorkflows } from "../workflows/workflowsStore";
import { newApprovals, notifyApprovals } from "./approvalNotices";
import { coalesce, onLive } from "./liveEvents";

/** Approvals already known to this page (the first load's are not news). */
const seen = new Set<number>();

type ApprovalsState = { items: ApprovalRecord[]; loaded: boolean; refresh: () => Promise<void> };

export const useApprovals = create<ApprovalsState>((set) => ({
  items: [],
  loaded: false,
  refresh: async () => {
    try {
      const items = await backend.openApprovals();
      const first = !useApprovals.getState().loaded;
      const fresh = newApprovals(seen, items);
      set({ items: items.sort((a, b) => a.createdAt - b.createdAt), loaded: true });
      // In a browser; the desktop app's engine notifies through the system itself.
      if (!first && !inTauri && fresh.length > 0) {
        notifyApprovals(fresh, (id) => useWorkflows.getState().items.find((w) => w.id === id)?.name ?? id);
      }
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
