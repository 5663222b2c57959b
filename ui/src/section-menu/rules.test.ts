import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../bridge/catalog";
import { allowedRoles, sectionMenuItems } from "./rules";

const kinds = (...a: Parameters<typeof sectionMenuItems>) => sectionMenuItems(...a).map((c) => c.kind);

describe("section menu rules", () => {
  it("after a trigger: actions, conditions, waits, parallel, approval, finish — no trigger, no start", () => {
    const roles = allowedRoles({ fromRole: "trigger", onTransition: false });
    expect(roles).toEqual(["action", "condition", "wait", "parallel", "approval", "finish"]);
    const ks = kinds(bundledCatalog, { fromRole: "trigger", onTransition: false });
    expect(ks).not.toContain("start");
    expect(ks).not.toContain("schedule_trigger");
    expect(ks).toContain("run_command");
    expect(ks).toContain("finish");
  });
  it("triggers are offered only right after Start, and Start never", () => {
    expect(kinds(bundledCatalog, { fromRole: "start", onTransition: false })).toContain("schedule_trigger");
    for (const role of ["action", "condition", "wait", "parallel", "approval"] as const) {
      const ks = kinds(bundledCatalog, { fromRole: role, onTransition: false });
      expect(ks).not.toContain("manual_trigger");
      expect(ks).not.toContain("start");
    }
  });
  it("nothing follows a Finish; Finish is not inserted into a transition", () => {
    expect(allowedRoles({ fromRole: "finish", onTransition: false })).toEqual([]);
    expect(kinds(bundledCatalog, { fromRole: "action", onTransition: true })).not.toContain("finish");
  });
  it("search filters by label, kind and description", () => {
    expect(kinds(bundledCatalog, { fromRole: "action", onTransition: false }, "http")).toEqual(["http_request"]);
  });
});
