import { describe, expect, it } from "vitest";
import type { Breakpoint } from "../bridge/types";
import { breakpointHint, breakpointSpec, transitionBreakpointHint } from "./breakpoints";

const bp = (b: Partial<Breakpoint>): Breakpoint => ({ kind: "before", activity: "q", port: null, to: null, condition: null, ...b });

describe("breakpoints in words", () => {
  it("says each the way the command line writes it", () => {
    expect(breakpointSpec(bp({}))).toBe("q:before");
    expect(breakpointSpec(bp({ kind: "after", condition: "tasks.q.recordCount > 10" }))).toBe("q:after=tasks.q.recordCount > 10");
    expect(breakpointSpec(bp({ kind: "transition", port: "ok", to: "b" }))).toBe("q->b");
    expect(breakpointSpec(bp({ kind: "transition", port: "true", to: "b" }))).toBe("q:true->b");
  });

  it("finds a transition's breakpoints by source, port (ok when not given) and target", () => {
    const list = [bp({ kind: "transition", port: null, to: "b" }), bp({ kind: "transition", port: "false", to: "c", condition: "vars.x == 1" }), bp({})];
    expect(transitionBreakpointHint(list, { from: "q", port: "ok", to: "b" })).toBe("Breakpoint when taken");
    expect(transitionBreakpointHint(list, { from: "q", port: "false", to: "c" })).toBe("Breakpoint when taken, if vars.x == 1");
    expect(transitionBreakpointHint(list, { from: "q", port: "ok", to: "c" })).toBeNull();
    expect(breakpointHint(list, "q")).toBe("Breakpoint before");
  });
});
