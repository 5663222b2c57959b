//! Pure helpers of the runs history: filters to the engine's `RunFilter`, virtual window maths.
import type { RunFilter, RunStatus, Trigger } from "../bridge/types";

export type HistoryFilters = {
  workflowId: string | null;
  status: RunStatus | "";
  trigger: Trigger | "";
  /** `YYYY-MM-DD` (local), inclusive. */
  from: string;
  /** `YYYY-MM-DD` (local), inclusive. */
  to: string;
  order: "newest" | "oldest";
};

export const NO_FILTERS: Omit<HistoryFilters, "workflowId"> = { status: "", trigger: "", from: "", to: "", order: "newest" };

const dayStart = (d: string) => {
  const [y, m, day] = d.split("-").map(Number);
  return new Date(y, m - 1, day).getTime();
};

export function toRunFilter(f: HistoryFilters): RunFilter {
  return {
    workflowId: f.workflowId,
    statuses: f.status ? [f.status] : [],
    trigger: f.trigger || null,
    from: f.from ? dayStart(f.from) : null,
    // Inclusive end day: runs created before the next midnight.
    to: f.to ? dayStart(f.to) + 86_400_000 : null,
    ascending: f.order === "oldest",
  };
}

/** Which rows to render for a scroll position (with `overscan` rows either side). */
export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 6) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}

/** Whether to ask for the next page: near the end of what is loaded and there is more. */
export const shouldLoadMore = (last: number, loaded: number, hasMore: boolean, margin = 10) => hasMore && last >= loaded - margin;
