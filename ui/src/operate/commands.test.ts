import { describe, expect, it } from "vitest";
import { commandAvailability, readOutcome } from "./commands";

describe("commands", () => {
  it("reads typed outcomes", () => {
    expect(readOutcome({ outcome: "applied", run: null, detail: "" })).toEqual({ ok: true, detail: "", runId: null, code: null });
    expect(readOutcome({ outcome: "applied", run: 12, detail: "" })).toEqual({ ok: true, detail: "", runId: 12, code: null });
    expect(readOutcome({ outcome: "refused", code: "WEFT-R002", reason: "not started" })).toEqual({ ok: false, detail: "not started", runId: null, code: "WEFT-R002" });
  });
  it("takes whether a command applies from the engine's card", () => {
    const summary = { commands: [{ command: "pause" as const, enabled: false, reason: "only a started workflow can be paused (it is finished)" }] };
    expect(commandAvailability("pause", summary)).toEqual({ enabled: false, reason: "only a started workflow can be paused (it is finished)" });
    expect(commandAvailability("start", summary).enabled).toBe(false);
    expect(commandAvailability("start", null).enabled).toBe(false);
  });
});
