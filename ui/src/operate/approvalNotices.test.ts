import { describe, expect, it } from "vitest";
import type { ApprovalRecord } from "../bridge/types";
import { newApprovals } from "./approvalNotices";

const a = (taskId: number, createdAt: number) => ({ taskId, createdAt }) as ApprovalRecord;

describe("approvals to notify", () => {
  it("are those not seen before, oldest first, each once", () => {
    const seen = new Set<number>();
    expect(newApprovals(seen, [a(2, 20), a(1, 10)]).map((x) => x.taskId)).toEqual([1, 2]);
    expect(newApprovals(seen, [a(1, 10), a(2, 20)])).toEqual([]);
    expect(newApprovals(seen, [a(2, 20), a(3, 30)]).map((x) => x.taskId)).toEqual([3]);
  });
});
