import { describe, expect, it } from "vitest";
import { parseValue, rowsToVars, varsToRows } from "./variables";

describe("variables as rows", () => {
  it("reads JSON where it is JSON and text elsewhere", () => {
    expect(parseValue("42")).toBe(42);
    expect(parseValue("true")).toBe(true);
    expect(parseValue('{"a": [1]}')).toEqual({ a: [1] });
    expect(parseValue("vip")).toBe("vip");
    expect(parseValue('"quoted"')).toBe("quoted");
    expect(parseValue("  ")).toBe("");
  });

  it("round-trips a run's variables", () => {
    const vars = { segment: "vip", code: "42", yes: "true", limit: 1200, flags: { a: true }, list: [1, "x"], empty: "" };
    expect(rowsToVars(varsToRows(vars))).toEqual({ vars });
  });

  it("refuses blank and repeated names", () => {
    expect(rowsToVars([{ name: " ", value: "1" }])).toEqual({ error: "Row 1 has no name." });
    expect(rowsToVars([{ name: "a", value: "1" }, { name: "a ", value: "2" }])).toEqual({ error: "“a” is there twice." });
  });
});
