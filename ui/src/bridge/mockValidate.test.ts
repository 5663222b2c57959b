import { describe, expect, it } from "vitest";
import { blankWorkflow } from "../editor/model";
import { bundledCatalog } from "./catalog";
import { mockValidate } from "./mockValidate";

describe("mock validation", () => {
  it("a blank workflow is valid", () => {
    expect(mockValidate(blankWorkflow("x"), bundledCatalog)).toEqual([]);
  });
  it("reports unreachable activities, missing finish and missing required config", () => {
    const b = blankWorkflow("x");
    b.activities.push({ id: "cmd", kind: "run_command", role: "action", label: "c", position: { x: 0, y: 0 }, mode: "normal", retry: null, timeout: null, config: { command: "" } } as never);
    const codes = mockValidate(b, bundledCatalog).map((d) => d.code);
    expect(codes).toContain("WEFT-V005");
    expect(codes).toContain("WEFT-V009");
    b.transitions = [];
    expect(mockValidate(b, bundledCatalog).map((d) => d.code)).toContain("WEFT-V006");
  });
});
