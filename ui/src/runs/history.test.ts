import { describe, expect, it } from "vitest";
import { NO_FILTERS, shouldLoadMore, toRunFilter, visibleWindow } from "./history";

describe("runs history helpers", () => {
  it("turns the filter bar into a RunFilter", () => {
    const f = toRunFilter({ ...NO_FILTERS, workflowId: "wf-1", status: "failed", trigger: "manual", from: "2026-11-01", to: "2026-11-02", order: "oldest" });
    expect(f.workflowId).toBe("wf-1");
    expect(f.statuses).toEqual(["failed"]);
    expect(f.trigger).toBe("manual");
    expect(f.ascending).toBe(true);
    expect((f.to ?? 0) - (f.from ?? 0)).toBe(2 * 86_400_000);
    expect(toRunFilter({ ...NO_FILTERS, workflowId: null })).toEqual({ workflowId: null, statuses: [], trigger: null, from: null, to: null, ascending: false });
  });
  it("renders only the visible rows and loads more near the end", () => {
    expect(visibleWindow(0, 440, 44, 1000)).toEqual({ first: 0, last: 16 });
    expect(visibleWindow(4400, 440, 44, 1000)).toEqual({ first: 94, last: 116 });
    expect(visibleWindow(4400, 440, 44, 100)).toEqual({ first: 94, last: 100 });
    expect(shouldLoadMore(95, 100, true)).toBe(true);
    expect(shouldLoadMore(95, 100, false)).toBe(false);
    expect(shouldLoadMore(40, 100, true)).toBe(false);
  });
});
