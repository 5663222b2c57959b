import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../bridge/catalog";
import type { WorkflowFile } from "../bridge/types";
import { batch, connect, copySelection, deleteActivities, deleteTransitions, insertAfter, insertOnTransition, moveActivities, parseClip, paste, setMode, updateActivity } from "./edits";
import { record, redo, startHistory, undo, replace } from "./history";
import { blankWorkflow, newActivity, portsOf } from "./model";

const ports = (k: string) => portsOf(bundledCatalog, k);
const act = (kind: Parameters<typeof newActivity>[1], body: WorkflowFile) =>
  newActivity(bundledCatalog, kind, { x: 0, y: 100 }, new Set(body.activities.map((a) => a.id)));

describe("edits", () => {
  it("a blank workflow is Start → Finish", () => {
    const b = blankWorkflow("x");
    expect(b.activities.map((a) => a.kind)).toEqual(["start", "finish"]);
    expect(b.transitions).toEqual([{ from: "start", port: "ok", to: "finish" }]);
  });

  it("inserting on a transition splits it through the new activity's first port", () => {
    const b = blankWorkflow("x");
    const a = act("run_command", b);
    const next = insertOnTransition(a, b.transitions[0], ports)(b);
    expect(next.transitions).toEqual([
      { from: "start", port: "ok", to: "run_command" },
      { from: "run_command", port: "ok", to: "finish" },
    ]);
    expect(a.config).toEqual(bundledCatalog.find((c) => c.kind === "run_command")!.defaultConfig);
  });

  it("inserting after an output moves what followed it behind the new activity", () => {
    const b = blankWorkflow("x");
    const next = insertAfter(act("manual_trigger", b), "start", "ok", ports)(b);
    expect(next.transitions).toContainEqual({ from: "start", port: "ok", to: "manual_trigger" });
    expect(next.transitions).toContainEqual({ from: "manual_trigger", port: "ok", to: "finish" });
    expect(next.transitions).toHaveLength(2);
  });

  it("deleting an activity in a chain reconnects its neighbours; Start is never deleted", () => {
    const b = blankWorkflow("x");
    const withCmd = insertOnTransition(act("run_command", b), b.transitions[0], ports)(b);
    const back = deleteActivities(["run_command"])(withCmd);
    expect(back.transitions).toEqual([{ from: "start", port: "ok", to: "finish" }]);
    expect(deleteActivities(["start"])(b)).toBe(b);
  });

  it("connect refuses duplicates, self loops and transitions into Start", () => {
    const b = blankWorkflow("x");
    expect(connect({ from: "start", port: "ok", to: "finish" })(b)).toBe(b);
    expect(connect({ from: "finish", port: "ok", to: "finish" })(b)).toBe(b);
    expect(connect({ from: "finish", port: "ok", to: "start" })(b)).toBe(b);
    expect(deleteTransitions([{ from: "start", port: "ok", to: "finish" }])(b).transitions).toEqual([]);
  });

  it("updates label, mode and config; moves and sets modes", () => {
    const b = blankWorkflow("x");
    const u = batch(updateActivity("finish", { label: "Done" }), setMode(["finish"], "hold"), moveActivities({ finish: { x: 10.4, y: 20.6 } }))(b);
    const f = u.activities.find((a) => a.id === "finish")!;
    expect([f.label, f.mode, f.position]).toEqual(["Done", "hold", { x: 10, y: 21 }]);
  });

  it("paste remaps ids, keeps inner transitions and never pastes a second Start", () => {
    const b0 = blankWorkflow("x");
    const b = insertOnTransition(act("run_command", b0), b0.transitions[0], ports)(b0);
    const clip = parseClip(JSON.stringify(copySelection(b, ["start", "run_command", "finish"])))!;
    expect(clip.transitions).toHaveLength(2);
    const { edit, ids } = paste(clip, b, { x: 40, y: 40 });
    const after = edit(b);
    expect([...ids].sort()).toEqual(["finish_2", "run_command_2"]);
    expect(after.activities.filter((a) => a.kind === "start")).toHaveLength(1);
    expect(after.transitions).toContainEqual({ from: "run_command_2", port: "ok", to: "finish_2" });
    expect(after.activities.find((a) => a.id === "finish_2")!.position).toEqual({ x: 40, y: 280 });
    expect(parseClip("not json")).toBeNull();
    // Text from another program: refused unless every activity has the shape the editor needs.
    expect(parseClip(JSON.stringify({ weft: "activities", activities: [{ kind: "wait" }], transitions: [] }))).toBeNull();
    expect(parseClip(JSON.stringify({ weft: "activities", activities: [{ id: "a", kind: "wait", position: { x: "1", y: 2 } }], transitions: [] }))).toBeNull();
    const loose = parseClip(
      JSON.stringify({ weft: "activities", activities: [{ id: "a", kind: "wait", position: { x: 1, y: 2 } }], transitions: [{ from: "a", port: "ok", to: "elsewhere" }, 7] }),
    );
    expect(loose?.activities.map((a) => a.id)).toEqual(["a"]);
    expect(loose?.transitions).toEqual([]);
  });
});

describe("history", () => {
  it("undo and redo walk the recorded steps; a new edit clears redo", () => {
    const b = blankWorkflow("x");
    let h = startHistory(b);
    const b1 = setMode(["finish"], "hold")(b);
    h = record(h, b1);
    const b2 = updateActivity("finish", { label: "End" })(b1);
    h = record(h, b2);
    h = undo(h);
    expect(h.present).toBe(b1);
    h = undo(h);
    expect(h.present).toBe(b);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(b1);
    h = record(h, b2);
    expect(h.future).toEqual([]);
    expect(record(h, h.present)).toBe(h);
    expect(replace(h, b).past).toEqual(h.past);
  });
});
