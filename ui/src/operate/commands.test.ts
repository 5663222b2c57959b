import { describe, expect, it } from "vitest";
import { commandAvailability, readOutcome } from "./commands";

describe("commands", () => {
  it("reads typed outcomes", () => {
    expect(readOutcome({ outcome: "applied", run: null, detail: "" })).toEqual({ ok: true, detail: "", runId: null, code: null });
    expect(readOutcome({ outcome: "applied", run: 12, detail: "" })).toEqual({ ok: true, detail: "", runId: 12, code: null });
    expect(readOutcome({ outcome: "refused", code: "WEFT-R002", reason: "not started" })).toEqual({ ok: false, detail: "not started", runId: null, code: "WEFT-R002" });
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
