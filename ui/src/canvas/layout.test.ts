import { describe, expect, it } from "vitest";
import type { WorkflowFile } from "../bridge/types";
import templateText from "../../../workflows-templates/lead-intake-three-triggers.weft.json?raw";
import { bundledCatalog } from "../bridge/catalog";
import { insertAfter } from "../editor/edits";
import { blankWorkflow, newActivity, portsOf, roleOf } from "../editor/model";
import { nearestTransition, nodeHandles } from "./geometry";
import { estimatedSize, tidyPositions } from "./layout";

const ports = (k: string) => portsOf(bundledCatalog, k);

function sample() {
  let b = blankWorkflow("x");
  const add = (kind: Parameters<typeof newActivity>[1], from: string, port = "ok") => {
    const a = newActivity(bundledCatalog, kind, { x: 0, y: 0 }, new Set(b.activities.map((x) => x.id)));
    b = { ...insertAfter(a, from, port, ports)(b), transitions: [...insertAfter(a, from, port, ports)(b).transitions] };
    return a.id;
  };
  const cmd = add("run_command", "start");
  b = { ...b, transitions: b.transitions.filter((t) => !(t.from === "start")) };
  const t1 = newActivity(bundledCatalog, "manual_trigger", { x: 0, y: 0 }, new Set(b.activities.map((x) => x.id)));
  const t2 = newActivity(bundledCatalog, "schedule_trigger", { x: 0, y: 0 }, new Set(b.activities.map((x) => x.id)));
  b = {
    ...b,
    activities: [...b.activities, t1, t2],
    transitions: [...b.transitions, { from: "start", port: "ok", to: t1.id }, { from: "start", port: "ok", to: t2.id }, { from: t1.id, port: "ok", to: cmd }, { from: t2.id, port: "ok", to: cmd }],
  };
  return { b, cmd, t1: t1.id, t2: t2.id };
}

describe("tidy-up layout", () => {
  it("puts Start at the origin, triggers in one row under it, actions below", () => {
    const { b, cmd, t1, t2 } = sample();
    const p = tidyPositions(b);
    expect(p.start.y).toBe(0);
    expect(p[t1].y).toBe(p[t2].y);
    expect(p[t1].y).toBeGreaterThan(p.start.y);
    expect(p[t1].x).not.toBe(p[t2].x);
    expect(p[cmd].y).toBeGreaterThan(p[t1].y);
    expect(p.finish.y).toBeGreaterThan(p[cmd].y);
  });
  it("lays the shipped three-trigger template out as a row of triggers over a column of actions", () => {
    const body = JSON.parse(templateText) as WorkflowFile;
    // Scrambled first, so the positions below are the layout's, not the file's.
    // Roles as the engine fills them in on loading (the file leaves them out).
    const scrambled = {
      ...body,
      activities: body.activities.map((a, i) => ({ ...a, role: roleOf(bundledCatalog, a.kind), position: { x: (i * 97) % 500, y: (i * 53) % 300 } })),
    };
    const p = tidyPositions(scrambled);
    // Start at the origin (a 160×48 pill, centre x 80); three 240-wide triggers 48 apart in one
    // row 64 below it, centred on Start; the chain of actions in one column centred on Start,
    // 64 apart; Finish (a pill) under it.
    expect(p.start).toEqual({ x: 0, y: 0 });
    expect([p.sweep, p.form, p.contact]).toEqual([
      { x: -328, y: 112 },
      { x: -40, y: 112 },
      { x: 248, y: 112 },
    ]);
    expect([p.note, p.log, p.tell]).toEqual([
      { x: -40, y: 240 },
      { x: -40, y: 368 },
      { x: -40, y: 496 },
    ]);
    expect(p.finish).toEqual({ x: 0, y: 624 });
    // The file ships tidy: what Tidy up would make of it.
    for (const a of body.activities) expect(a.position, a.id).toEqual(p[a.id]);
  });
  it("finds the transition under a drop point", () => {
    const b = blankWorkflow("x");
    // Start (0,0) is a 160x48 pill → Finish (0,240), also a pill: the segment runs down x = 80.
    expect(nearestTransition({ x: 95, y: 150 }, b, ports)).toEqual(b.transitions[0]);
    expect(nearestTransition({ x: 400, y: 150 }, b, ports)).toBeNull();
  });
});

describe("nodeHandles", () => {
  it("puts one input on top (none on Start) and spreads the outputs along the bottom", () => {
    const hs = nodeHandles({ width: 240, height: 64 }, ["ok", "error"], true);
    const centre = (h: (typeof hs)[number]) => ({ x: h.x + h.width / 2, y: h.y + h.height / 2 });
    expect(hs.map((h) => [h.type, h.id])).toEqual([
      ["source", "ok"],
      ["source", "error"],
      ["target", null],
    ]);
    expect(centre(hs[0])).toEqual({ x: 80, y: 64 });
    expect(centre(hs[1])).toEqual({ x: 160, y: 64 });
    expect(centre(hs[2])).toEqual({ x: 120, y: -5 });
    expect(nodeHandles(estimatedSize("start"), ["ok"], false).map((h) => h.type)).toEqual(["source"]);
  });
  it("sizes Start and Finish as pills and everything else as cards", () => {
    expect(estimatedSize("start")).toEqual({ width: 160, height: 48 });
    expect(estimatedSize("action")).toEqual({ width: 240, height: 64 });
    expect(estimatedSize(undefined)).toEqual({ width: 240, height: 64 });
  });
});
