import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../bridge/types";
import { pathSegments, placeDiagnostics } from "./fieldErrors";

const diag = (activity: string | null, path: string | null, code = "WEFT-V009", message = "bad"): Diagnostic => ({
  activity,
  path,
  code,
  message,
  severity: "error",
});

describe("pathSegments", () => {
  it("splits dots and indexes", () => {
    expect(pathSegments("a.b[2].c")).toEqual(["a", "b", "2", "c"]);
    expect(pathSegments(".url")).toEqual(["url"]);
  });
});

describe("placeDiagnostics", () => {
  const config = { url: "", schedule: { every: "0s" }, filter: { rules: [{ field: "shoe" }] } };

  it("puts each diagnostic under the field its path names, nested and in arrays", () => {
    const placed = placeDiagnostics(
      [
        diag("fetch", "activities[2].config.url", "WEFT-V005", "a URL is needed"),
        diag("fetch", "activities[2].config.schedule.every", "WEFT-V009", "longer than zero"),
        diag("fetch", "activities[2].config.filter.rules[0].field", "WEFT-C001", "unknown field"),
      ],
      2,
      "fetch",
      config,
      config,
    );
    expect(placed.fields).toEqual({
      url: { __errors: ["WEFT-V005: a URL is needed"] },
      schedule: { every: { __errors: ["WEFT-V009: longer than zero"] } },
      filter: { rules: { "0": { field: { __errors: ["WEFT-C001: unknown field"] } } } },
    });
    expect(placed.general).toEqual([]);
  });

  it("keeps diagnostics of the activity that name no field apart, and ignores other activities", () => {
    const general = diag("fetch", "activities[2]", "WEFT-V002", "not reachable from Start");
    const placed = placeDiagnostics(
      [general, diag("other", "activities[5].config.url"), diag(null, "transitions[0]")],
      2,
      "fetch",
      config,
      config,
    );
    expect(placed.fields).toEqual({});
    expect(placed.general).toEqual([general]);
  });

  it("drops the diagnostic of a field edited since the engine checked it", () => {
    const edited = { ...config, url: "https://example.com" };
    const placed = placeDiagnostics([diag("fetch", "activities[2].config.url")], 2, "fetch", edited, config);
    expect(placed.fields).toEqual({});
  });
});
