import { describe, expect, it } from "vitest";
import type { TaskRecord } from "../bridge/types";
import { activityStates, edgeLabel } from "./canvasRun";

const task = (id: number, activityId: string, status: TaskRecord["status"], extra: Partial<TaskRecord> = {}): TaskRecord => ({
  id, runId: 1, activityId, status, waitReason: null, attempt: 1, wakeAt: null, port: null, args: null, result: null, recordCount: null,
  stdout: "", stderr: "", error: null, reused: false, interruptions: 0, createdAt: 0, startedAt: 1000, endedAt: 1500, ...extra,
});

describe("canvas run state", () => {
  it("maps tasks to what the canvas shows", () => {
    const s = activityStates([
      task(1, "start", "succeeded"),
      task(2, "a", "running", { endedAt: null }),
      task(3, "b", "waiting", { waitReason: "hold" }),
      task(4, "c", "waiting", { waitReason: "approval" }),
      task(5, "d", "failed"),
      task(6, "e", "skipped", { waitReason: "simulation" }),
      task(7, "f", "succeeded", { attempt: 2 }),
      task(8, "g", "cancelled"),
    ]);
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.visual]))).toEqual({
      start: "done", a: "running", b: "pending", c: "approval", d: "failed", e: "skipped", f: "warning", g: "warning",
    });
    expect(s.start.durationMs).toBe(500);
    expect(s.a.durationMs).toBeNull();
  });
  it("adds up the time of an activity's tasks, keeps them in order, and the last decides", () => {
    const s = activityStates([task(3, "loop", "failed", { startedAt: 5000, endedAt: 5100 }), task(1, "loop", "succeeded"), task(2, "loop", "running", { endedAt: null })]);
    expect(s.loop.tasks.map((t) => t.id)).toEqual([1, 2, 3]);
    expect(s.loop.durationMs).toBe(600);
    expect(s.loop.visual).toBe("failed");
  });
  it("labels transitions with record counts", () => {
    expect(edgeLabel({ from: "q", port: "ok", to: "x", taken: 1, dead: false, records: 574 })).toBe("574 - Ok");
    expect(edgeLabel({ from: "q", port: "ok", to: "x", taken: 1, dead: false, records: null })).toBeNull();
    expect(edgeLabel(undefined)).toBeNull();
  });
});
