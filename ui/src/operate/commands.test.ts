import { describe, expect, it } from "vitest";
import { commandAvailability, parseOutcome } from "./commands";

describe("commands", () => {
  it("parses outcomes", () => {
    expect(parseOutcome("applied")).toEqual({ ok: true, detail: "", runId: null });
    expect(parseOutcome("applied: run 12")).toEqual({ ok: true, detail: "run 12", runId: 12 });
    expect(parseOutcome("refused: not started")).toEqual({ ok: false, detail: "not started", runId: null });
  });
  it("enables life-cycle commands by state", () => {
    expect(commandAvailability("start", "being_edited").enabled).toBe(true);
    expect(commandAvailability("start", "started").enabled).toBe(false);
    expect(commandAvailability("start", "paused").enabled).toBe(true);
    expect(commandAvailability("pause", "started").enabled).toBe(true);
    expect(commandAvailability("pause", "paused").enabled).toBe(false);
    expect(commandAvailability("stop", "stopping")).toEqual({ enabled: false, reason: "The workflow is stopping." });
    expect(commandAvailability("stop", "finished").enabled).toBe(false);
    expect(commandAvailability("unconditional_stop", "stopping").enabled).toBe(true);
    expect(commandAvailability("start_simulation", "started").enabled).toBe(false);
  });
});
