import { describe, expect, it } from "vitest";
import { folderProblem } from "./folderName";

describe("folderProblem", () => {
  it("accepts one plain folder name", () => {
    expect(folderProblem("Sales")).toBeNull();
    expect(folderProblem("  Relances clients 2026 ")).toBeNull();
  });
  it("refuses what the shell refuses, with the reason", () => {
    expect(folderProblem("")).toMatch(/Name/);
    expect(folderProblem("   ")).toMatch(/Name/);
    expect(folderProblem("../up")).toMatch(/dot/);
    expect(folderProblem("a/b")).toMatch(/slashes/);
    expect(folderProblem("a\\b")).toMatch(/slashes/);
    expect(folderProblem("a\tb")).toMatch(/control/);
    expect(folderProblem("C:x")).toMatch(/cannot hold/);
    expect(folderProblem("nul")).toMatch(/reserves/);
    expect(folderProblem("COM1.txt")).toMatch(/reserves/);
    expect(folderProblem("x.")).toMatch(/end with/);
  });
});
