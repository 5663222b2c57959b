import { describe, expect, it } from "vitest";
import type { Activity, EdgeRecord, RunSummary, TaskRecord, WorkflowFile } from "../bridge/types";
import { edgePair, runsView, sideCount } from "./runsView";

const act = (id: string, kind = "run_command"): Activity =>
  ({ id, kind, config: {}, role: null, label: "", position: { x: 0, y: 0 }, mode: "normal", retry: null, timeout: null }) as Activity;
const wf = (ids: string[], transitions: [string, string, string][]): WorkflowFile =>
  ({ format: 1, name: "W", activities: ids.map((i) => act(i)), transitions: transitions.map(([from, port, to]) => ({ from, port, to })) }) as unknown as WorkflowFile;
const run = (id: number, revision: number): RunSummary =>
  ({ id, workflowId: "w", workflowName: "W", revision, status: "completed", trigger: "manual", simulate: false, createdAt: 0, startedAt: 0, endedAt: 1, restartOf: null, parentRun: null }) as RunSummary;
let next = 1;
const task = (activityId: string, status: TaskRecord["status"], extra: Partial<TaskRecord> = {}): TaskRecord => ({
  id: next++, runId: 1, activityId, status, waitReason: null, attempt: 1, wakeAt: null, port: null, args: null, result: null, recordCount: null,
  stdout: "", stderr: "", error: null, reused: false, interruptions: 0, createdAt: 0, startedAt: 1000, endedAt: 1500, ...extra,
});
const edge = (from: string, port: string, to: string, taken: number, records: number | null = null): EdgeRecord => ({ from, port, to, taken, dead: taken === 0, records });

const graph = wf(["start", "check", "yes", "no", "finish"], [["start", "ok", "check"], ["check", "true", "yes"], ["check", "false", "no"], ["yes", "ok", "finish"], ["no", "ok", "finish"]]);

describe("two runs on one canvas", () => {
  const a = { run: run(1, 1), body: graph, tasks: [task("start", "succeeded"), task("check", "succeeded"), task("yes", "succeeded", { recordCount: 574 }), task("finish", "succeeded")], edges: [edge("start", "ok", "check", 1), edge("check", "true", "yes", 1, 574), edge("yes", "ok", "finish", 1)] };
  const b = { run: run(2, 1), body: graph, tasks: [task("start", "succeeded"), task("check", "succeeded"), task("no", "failed")], edges: [edge("start", "ok", "check", 1), edge("check", "false", "no", 1)] };
  const v = runsView(a, b);
  it("gives every activity both runs' states and says what differs", () => {
    expect(v.nodes.start.differs).toEqual([]);
    expect(v.nodes.yes.a).toEqual({ visual: "done", label: "Succeeded", records: 574, runs: 1 });
    expect(v.nodes.yes.b).toEqual({ visual: "not-reached", label: "Not reached", records: null, runs: 0 });
    expect(v.nodes.yes.differs).toEqual(["reached"]);
    expect(v.nodes.no.b.visual).toBe("failed");
    expect(v.nodes.finish.differs).toEqual(["reached"]);
    expect(sideCount(v.nodes.yes.a)).toBe("574");
  });
  it("counts transitions per run, records when records went through", () => {
    expect(v.edges["start:ok->check"]).toEqual({ a: 1, b: 1, differs: false });
    expect(v.edges["check:true->yes"]).toEqual({ a: 574, b: 0, differs: true });
    expect(edgePair(v.edges["check:false->no"])).toBe("0 | 1");
  });
  it("sees a state or a count that differs where both runs went", () => {
    const c = { ...a, tasks: [task("start", "succeeded"), task("check", "failed"), task("yes", "succeeded", { recordCount: 612 })] };
    const w = runsView(a, c);
    expect(w.nodes.check.differs).toEqual(["state"]);
    expect(w.nodes.yes.differs).toEqual(["count"]);
  });
  it("counts a branch not taken (a skipped task) as not reached", () => {
    const c = { ...b, tasks: [...b.tasks, task("yes", "skipped", { waitReason: "not_taken" })] };
    const w = runsView(a, c);
    expect(w.nodes.yes.b.visual).toBe("skipped");
    expect(w.nodes.yes.differs).toEqual(["reached"]);
  });
  it("draws the later revision and marks what one run's revision did not have", () => {
    const later = wf(["start", "check", "yes", "extra", "finish"], [["start", "ok", "check"], ["check", "true", "yes"], ["yes", "ok", "extra"], ["extra", "ok", "finish"]]);
    const c = { run: run(3, 2), body: later, tasks: [task("start", "succeeded"), task("check", "succeeded"), task("yes", "succeeded"), task("extra", "succeeded")], edges: [] };
    const w = runsView(b, c);
    expect(w.body.name).toBe("W");
    expect(w.body.activities.map((x) => x.id)).toEqual(["start", "check", "yes", "extra", "finish", "no"]);
    expect(w.nodes.extra.a).toMatchObject({ visual: "absent", label: "Not in rev 1" });
    expect(w.nodes.extra.differs).toEqual(["revision", "reached"]);
    // Only the earlier run reached `no`: a ghost from its revision, absent from the later one.
    expect(w.nodes.no.b.visual).toBe("absent");
    expect(w.body.transitions.some((t) => t.from === "check" && t.to === "no")).toBe(true);
    expect(w.edges["extra:ok->finish"]).toEqual({ a: null, b: 0, differs: true });
    // A transition the earlier run took that the later revision dropped keeps its count.
    const v = runsView(a, c);
    expect(v.edges["yes:ok->finish"]).toEqual({ a: 1, b: null, differs: true });
    expect(v.body.transitions.filter((t) => t.from === "yes").map((t) => t.to)).toEqual(["extra", "finish"]);
  });
});
