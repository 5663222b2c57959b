import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../bridge/types";
import { edgeLabel } from "./canvasRun";
import { Replayer, clockLabel, countUntil, stateAt } from "./replay";

const base = { taskId: null, to: null, port: null, attempt: null, status: null, waitReason: null, records: null, warned: false };
const created = (at: number, activityId: string, taskId: number): TimelineEntry => ({ ...base, at, kind: "task_created", activityId, taskId });
const started = (at: number, activityId: string, taskId: number, attempt = 1): TimelineEntry => ({ ...base, at, kind: "attempt_started", activityId, taskId, attempt });
const attemptEnded = (at: number, activityId: string, taskId: number, attempt: number, status: "failed" | "succeeded"): TimelineEntry => ({
  ...base,
  at,
  kind: "attempt_ended",
  activityId,
  taskId,
  attempt,
  status,
});
const ended = (at: number, activityId: string, taskId: number, status: TimelineEntry["status"] = "succeeded", records: number | null = null): TimelineEntry => ({
  ...base,
  at,
  kind: "task_ended",
  activityId,
  taskId,
  status,
  port: "ok",
  records,
});
const taken = (at: number, from: string, to: string, records: number | null = null, port = "ok"): TimelineEntry => ({ ...base, at, kind: "edge_taken", activityId: from, port, to, records });
const dead = (at: number, from: string, to: string, port = "ok"): TimelineEntry => ({ ...base, at, kind: "edge_dead", activityId: from, port, to });

// start → query (574 records) → send, with `alert` on query's error port never taken.
const RUN: TimelineEntry[] = [
  created(0, "start", 1),
  started(0, "start", 1),
  ended(0, "start", 1),
  taken(0, "start", "query"),
  created(0, "query", 2),
  started(10, "query", 2),
  ended(400, "query", 2, "succeeded", 574),
  taken(400, "query", "send", 574),
  dead(400, "query", "alert", "error"),
  created(400, "send", 3),
  started(410, "send", 3),
  ended(510, "send", 3),
];

describe("stateAt", () => {
  it("shows nothing before the run's first entry", () => {
    expect(stateAt(RUN, -1)).toEqual({ byActivity: {}, edges: {} });
  });

  it("shows the activity running and its duration growing while the playhead is inside it", () => {
    const f = stateAt(RUN, 200);
    expect(f.byActivity.start.visual).toBe("done");
    expect(f.byActivity.query).toMatchObject({ visual: "running", durationMs: 190, heat: 1 });
    expect(f.byActivity.send).toBeUndefined();
    expect(edgeLabel(f.edges["query:ok->send"])).toBeNull();
  });

  it("counts records on a transition once it is taken, and marks the branch not taken", () => {
    const f = stateAt(RUN, 400);
    expect(f.byActivity.query).toMatchObject({ visual: "done", recordCount: 574, durationMs: 390 });
    expect(edgeLabel(f.edges["query:ok->send"])).toBe("574 - Ok");
    expect(f.edges["query:error->alert"]).toMatchObject({ taken: 0, dead: true });
    expect(f.byActivity.send.visual).toBe("running");
  });

  it("ends with every task's final state and heat relative to the longest activity", () => {
    const f = stateAt(RUN, 10_000);
    expect(Object.fromEntries(Object.entries(f.byActivity).map(([k, v]) => [k, v.visual]))).toEqual({ start: "done", query: "done", send: "done" });
    expect(f.byActivity.query.heat).toBe(1);
    expect(f.byActivity.send.heat).toBeCloseTo(100 / 390, 2);
  });

  it("shows a failed attempt waiting for its retry, and a success after retries as a warning", () => {
    const run = [created(0, "flaky", 1), started(0, "flaky", 1, 1), attemptEnded(5, "flaky", 1, 1, "failed"), started(1000, "flaky", 1, 2), attemptEnded(1005, "flaky", 1, 2, "succeeded"), ended(1005, "flaky", 1)];
    expect(stateAt(run, 500).byActivity.flaky.visual).toBe("pending");
    expect(stateAt(run, 1001).byActivity.flaky.visual).toBe("running");
    expect(stateAt(run, 1005).byActivity.flaky).toMatchObject({ visual: "warning", durationMs: 1005 });
  });

  it("shows a task waiting for approval from its opening to its answer", () => {
    const run: TimelineEntry[] = [created(0, "ask", 1), { ...base, at: 0, kind: "approval_opened", activityId: "ask", taskId: 1 }, { ...ended(5000, "ask", 1), port: "approved" }];
    expect(stateAt(run, 10).byActivity.ask.visual).toBe("approval");
    expect(stateAt(run, 5000).byActivity.ask.visual).toBe("done");
  });

  it("shows a success that wrote errors as a warning", () => {
    const run = [created(0, "noisy", 1), started(0, "noisy", 1), { ...ended(9, "noisy", 1), warned: true }];
    expect(stateAt(run, 9).byActivity.noisy.visual).toBe("warning");
  });

  it("adds up a loop's transition each time round, and the newest task of an activity decides", () => {
    const run: TimelineEntry[] = [];
    let id = 1;
    for (let i = 0; i < 3; i++) {
      const t = i * 100;
      run.push(taken(t, "loop", "tick", 10, "again"), created(t, "tick", id), started(t + 1, "tick", id), ended(t + 50, "tick", id, i === 2 ? "failed" : "succeeded", 10));
      id++;
    }
    expect(edgeLabel(stateAt(run, 120).edges["loop:again->tick"])).toBe("20 - Again");
    expect(stateAt(run, 160).byActivity.tick).toMatchObject({ visual: "done", durationMs: 98 });
    expect(stateAt(run, 260).byActivity.tick.visual).toBe("failed");
    expect(stateAt(run, 260).edges["loop:again->tick"].taken).toBe(3);
  });
});

describe("Replayer", () => {
  it("answers what stateAt answers while the playhead moves both ways and pages arrive", () => {
    // A long run: 6,000 tasks, several in a millisecond, each taking the transition to the next.
    const entries: TimelineEntry[] = [];
    for (let i = 0; i < 6_000; i++) {
      const at = Math.floor(i / 3);
      const a = `a${i % 7}`;
      entries.push(created(at, a, i + 1), started(at, a, i + 1), ended(at + 2, a, i + 1, i % 11 === 0 ? "failed" : "succeeded", i), taken(at + 2, a, `a${(i + 1) % 7}`, i));
    }
    entries.sort((x, y) => x.at - y.at);
    const r = new Replayer();
    r.append(entries.slice(0, 10_000));
    const seen = (t: number) => stateAt(entries.slice(0, r.length), t);
    for (const t of [5, 900, 300, 1_999, 0, 1_200]) expect(r.seek(t)).toEqual(seen(t));
    r.append(entries.slice(10_000));
    for (const t of [1_999, 2_005, 700, 2_001, 1_500]) expect(r.seek(t)).toEqual(seen(t));
  });

  it("keeps unchanged cards as the same objects from one frame to the next", () => {
    const r = new Replayer();
    r.append(RUN);
    const a = r.seek(450);
    const b = r.seek(460);
    expect(b.byActivity.query).toBe(a.byActivity.query);
    expect(b.byActivity.send).not.toBe(a.byActivity.send);
  });
});

describe("helpers", () => {
  it("finds how many entries are at or before a time", () => {
    expect(countUntil(RUN, -1)).toBe(0);
    expect(countUntil(RUN, 0)).toBe(5);
    expect(countUntil(RUN, 400)).toBe(10);
    expect(countUntil(RUN, 9999)).toBe(RUN.length);
  });

  it("labels times since the run began", () => {
    expect(clockLabel(4250)).toBe("0:04.250");
    expect(clockLabel(723_000)).toBe("12:03.000");
    expect(clockLabel(3_723_000)).toBe("1:02:03.000");
  });
});
