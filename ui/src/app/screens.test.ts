import { describe, expect, it } from "vitest";
import { screenText, viewOfLink, viewOfScreen } from "./screens";

describe("links and kept screens", () => {
  it("opens each kind of link on its screen", () => {
    expect(viewOfLink({ kind: "workflow", id: "wf-1" })).toEqual({ name: "editor", id: "wf-1" });
    expect(viewOfLink({ kind: "run", id: 42 })).toEqual({ name: "run", id: 42 });
    expect(viewOfLink({ kind: "approve", run: 7 })).toEqual({ name: "approvals", runId: 7 });
  });

  it("reads back the screens it keeps, without a run shown on the canvas", () => {
    for (const v of [
      { name: "list" },
      { name: "contacts" },
      { name: "runs", workflowId: null },
      { name: "runs", workflowId: "wf" },
      { name: "run", id: 3 },
      { name: "editor", id: "wf" },
      { name: "schedulers" },
      { name: "workflow", id: "wf" },
    ] as const) {
      expect(viewOfScreen(screenText(v))).toEqual(v);
    }
    expect(viewOfScreen(screenText({ name: "editor", id: "wf", runId: 9 }))).toEqual({ name: "editor", id: "wf" });
  });

  it("ignores a kept text that names no screen", () => {
    for (const t of [null, "", "{", "[]", "null", '{"name":"settings"}', '{"name":"run","id":"x"}', '{"name":"editor"}']) {
      expect(viewOfScreen(t)).toBeNull();
    }
  });
});
