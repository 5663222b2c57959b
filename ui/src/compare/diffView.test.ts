import { describe, expect, it } from "vitest";
import type { Activity, RevisionDiff, WorkflowFile } from "../bridge/types";
import { changeLine, diffCounts, diffView } from "./diffView";

const act = (id: string, kind: string, x: number, config: Record<string, unknown> = {}): Activity =>
  ({ id, kind, config, role: null, label: "", position: { x, y: 0 }, mode: "normal", retry: null, timeout: null }) as Activity;
const wf = (activities: Activity[], transitions: [string, string][]): WorkflowFile =>
  ({ format: 1, name: "W", activities, transitions: transitions.map(([from, to]) => ({ from, port: "ok", to })) }) as unknown as WorkflowFile;

const before = wf([act("start", "start", 0), act("a", "run_command", 100, { command: "echo one" }), act("mail", "notify", 200), act("finish", "finish", 300)], [["start", "a"], ["a", "mail"], ["mail", "finish"]]);
const after = wf([act("start", "start", 0), act("a", "run_command", 140, { command: "echo two" }), act("write", "write_file", 200), act("finish", "finish", 300)], [["start", "a"], ["a", "write"], ["write", "finish"]]);
// As the engine answers it for these two bodies.
const diff: RevisionDiff = {
  workflowId: "w",
  from: 1,
  to: 2,
  diff: {
    added: [{ id: "write", kind: "write_file", label: "" }],
    removed: [{ id: "mail", kind: "notify", label: "" }],
    moved: [{ id: "a", before: { x: 100, y: 0 }, after: { x: 140, y: 0 } }],
    changed: [
      { activity: "a", field: "config.command", before: "echo one", after: "echo two" },
      { activity: null, field: "name", before: "V", after: "W" },
    ],
    transitionsAdded: [{ from: "a", port: "ok", to: "write" }, { from: "write", port: "ok", to: "finish" }],
    transitionsRemoved: [{ from: "a", port: "ok", to: "mail" }, { from: "mail", port: "ok", to: "finish" }],
  },
};

describe("a revision diff on the canvas", () => {
  const v = diffView(before, after, diff);
  it("draws the later revision with the removed activities and transitions as ghosts", () => {
    expect(v.body.activities.map((a) => a.id)).toEqual(["start", "a", "write", "finish", "mail"]);
    expect(v.body.activities.find((a) => a.id === "mail")?.position).toEqual({ x: 200, y: 0 });
    expect(v.body.transitions).toHaveLength(5);
  });
  it("marks activities added, removed, moved and changed, and leaves the rest unmarked", () => {
    expect(v.nodes.write.status).toBe("added");
    expect(v.nodes.mail.status).toBe("removed");
    expect(v.nodes.a).toEqual({ status: "same", movedFrom: { x: 100, y: 0 }, changes: [diff.diff.changed[0]] });
    expect(v.nodes.start).toBeUndefined();
    expect(changeLine(v.nodes.a.changes[0])).toBe("config.command: “echo one” → “echo two”");
  });
  it("marks transitions added and removed, and keeps the workflow's own changes apart", () => {
    expect(v.edges).toEqual({ "a:ok->write": "added", "write:ok->finish": "added", "a:ok->mail": "removed", "mail:ok->finish": "removed" });
    expect(v.settings.map((f) => f.field)).toEqual(["name"]);
    expect(diffCounts(v)).toEqual({ added: 1, removed: 1, moved: 1, changed: 1, transitionsAdded: 2, transitionsRemoved: 2 });
  });
  it("has no marks for the same revision", () => {
    const same = diffView(after, after, { ...diff, diff: { added: [], removed: [], moved: [], changed: [], transitionsAdded: [], transitionsRemoved: [] } });
    expect(same.nodes).toEqual({});
    expect(same.edges).toEqual({});
    expect(same.body.activities).toHaveLength(4);
  });
});
