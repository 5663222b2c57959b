import { describe, expect, it } from "vitest";
import { formatDuration, groupTasks, runTone, taskLabel, taskVisual } from "./status";

const t = (id: number, status: never | string, waitReason: string | null = null) => ({ id, status, waitReason, reused: false }) as never;

describe("run status helpers", () => {
  it("maps task states to labels and canvas visuals", () => {
    expect(taskLabel(t(1, "waiting", "approval"))).toBe("Waiting for approval");
    expect(taskLabel(t(1, "skipped", "simulation"))).toBe("Skipped (simulation)");
    expect(taskLabel(t(1, "waiting", "breakpoint"))).toBe("Paused at a breakpoint");
    expect(taskVisual(t(1, "waiting", "hold"))).toBe("pending");
    expect(taskVisual(t(1, "waiting", "approval"))).toBe("approval");
    expect(taskVisual(t(1, "ready"))).toBe("running");
    expect(taskVisual(t(1, "failed"))).toBe("failed");
  });
  it("groups tasks for the run dialog in scheduling order", () => {
    const g = groupTasks([t(3, "running"), t(1, "succeeded"), t(2, "waiting", "approval"), t(4, "waiting", "wait")]);
    expect(g.running.map((x: { id: number }) => x.id)).toEqual([3, 4]);
    expect(g.waiting.map((x: { id: number }) => x.id)).toEqual([2]);
    expect(g.finished.map((x: { id: number }) => x.id)).toEqual([1]);
  });
  it("formats durations and tones", () => {
    expect(formatDuration(1000, 1850)).toBe("850 ms");
    expect(formatDuration(0, 5)).toBe("—");
    expect(formatDuration(1000, 13_400)).toBe("12.4 s");
    expect(formatDuration(1000, 1000 + 185_000)).toBe("3 min 5 s");
    expect(runTone("rejected")).toBe("red");
    expect(runTone("waiting_for_approval")).toBe("amber");
  });
});
