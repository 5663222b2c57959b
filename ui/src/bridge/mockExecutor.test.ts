import { describe, expect, it } from "vitest";
import { createMockBackend } from "./mock";

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

async function until<T>(f: () => Promise<T | undefined | null | false>, ms = 3000): Promise<T> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await f();
    if (v) return v;
    await settle(20);
  }
  throw new Error("timed out");
}

describe("mock executor", () => {
  it("runs an approval-gated workflow to completion once approved, with events", async () => {
    localStorage.setItem("weft.mock.step", "5");
    const b = createMockBackend({ persist: false });
    const kinds = new Set<string>();
    await b.onEvent((e) => kinds.add(e.kind));
    const wf = (await b.listWorkflows()).find((w) => w.name.startsWith("Approval"));
    if (!wf) throw new Error("no approval workflow");
    const cmd = await b.sendCommand(wf.id, { type: "run_now", params: {}, simulate: false });
    const rec = await b.waitCommand(cmd);
    expect(rec.outcome?.outcome).toBe("applied");
    const runId = rec.outcome?.outcome === "applied" ? Number(rec.outcome.run) : Number.NaN;
    const ap = await until(async () => (await b.openApprovals()).find((a) => a.runId === runId));
    expect((await b.getRun(runId)).status).toBe("waiting_for_approval");
    const ok = await b.waitCommand(await b.sendCommand(wf.id, { type: "approve", task_id: ap.taskId, comment: "fine", by: "me" }));
    expect(ok.outcome?.outcome).toBe("applied");
    const again = await b.waitCommand(await b.sendCommand(wf.id, { type: "reject", task_id: ap.taskId, comment: null, by: "other" }));
    expect(again.outcome?.outcome).toBe("refused");
    const run = await until(async () => {
      const r = await b.getRun(runId);
      return r.status === "completed" && r;
    });
    expect(run.progress).toBe(100);
    const tasks = await b.runTasks(runId);
    expect(tasks[0].activityId).toBe("start");
    expect(tasks.find((t) => t.activityId === "declined")).toBeUndefined();
    const edges = await b.runEdges(runId);
    expect(edges.find((e) => e.from === "review" && e.port === "rejected")?.dead).toBe(true);
    for (const k of ["run_created", "run_status", "task_changed", "edge_taken", "log", "command_applied"]) expect(kinds.has(k)).toBe(true);
  });

  it("holds tasks until executed now and refuses life-cycle commands that do not apply", async () => {
    localStorage.setItem("weft.mock.step", "5");
    const b = createMockBackend({ persist: false });
    const wf = (await b.listWorkflows()).find((w) => w.state === "being_edited");
    if (!wf) throw new Error("no workflow");
    expect((await b.waitCommand(await b.sendCommand(wf.id, { type: "pause" }))).outcome?.outcome).toBe("refused");
    const d = await b.getWorkflow(wf.id);
    const target = d.body.activities.find((a) => a.kind !== "start" && a.kind !== "finish" && !a.kind.endsWith("trigger"));
    if (!target) throw new Error("no action");
    target.mode = "hold";
    await b.saveWorkflow(wf.id, d.body);
    const rec = await b.waitCommand(await b.sendCommand(wf.id, { type: "run_now", params: {}, simulate: false }));
    const runId = rec.outcome?.outcome === "applied" ? Number(rec.outcome.run) : Number.NaN;
    const held = await until(async () => (await b.runTasks(runId)).find((t) => t.waitReason === "hold"));
    expect(held.activityId).toBe(target.id);
    await b.waitCommand(await b.sendCommand(wf.id, { type: "execute_pending" }));
    await until(async () => ["completed", "failed"].includes((await b.getRun(runId)).status));
  });

  it("forks and joins: the join runs once, after both branches", async () => {
    localStorage.setItem("weft.mock.step", "5");
    const b = createMockBackend({ persist: false });
    const wf = await b.createWorkflow("Par", "shipped:parallel-fetch-join.weft.json");
    const rec = await b.waitCommand(await b.sendCommand(wf.id, { type: "run_now", params: {}, simulate: false }));
    const runId = rec.outcome?.outcome === "applied" ? Number(rec.outcome.run) : Number.NaN;
    await until(async () => (await b.getRun(runId)).status === "completed");
    const tasks = await b.runTasks(runId);
    const at = (id: string) => tasks.findIndex((t) => t.activityId === id);
    expect(tasks.filter((t) => t.activityId === "join")).toHaveLength(1);
    expect(at("join")).toBeGreaterThan(at("fetch_a"));
    expect(at("join")).toBeGreaterThan(at("fetch_b"));
    expect(at("summary")).toBeGreaterThan(at("join"));
  });

  it("pages runs by keyset, newest first, with filters", async () => {
    const b = createMockBackend({ persist: false });
    const f = { workflowId: null, statuses: [], trigger: null, from: null, to: null, ascending: false };
    const p1 = await b.listRuns(f, null, 50);
    expect(p1.runs).toHaveLength(50);
    const p2 = await b.listRuns(f, p1.next, 50);
    expect(p2.runs[0].id).toBeLessThan(p1.runs[49].id);
    const failed = await b.listRuns({ ...f, statuses: ["failed"] }, null, 500);
    expect(failed.runs.every((r) => r.status === "failed")).toBe(true);
    const asc = await b.listRuns({ ...f, ascending: true }, null, 5);
    expect(asc.runs[0].id).toBeLessThan(asc.runs[1].id);
  });
});
