import { describe, expect, it } from "vitest";
import { initialView } from "./navStore";

describe("initialView", () => {
  it("opens the workflow a window was opened for", () => {
    expect(initialView("#/workflow/daily-report")).toEqual({ name: "editor", id: "daily-report" });
    expect(initialView("#/workflow/a%20b%2Fc")).toEqual({ name: "editor", id: "a b/c" });
  });
  it("falls back to the workflows list", () => {
    expect(initialView("")).toEqual({ name: "list" });
    expect(initialView("#/runs")).toEqual({ name: "list" });
    expect(initialView("#/workflow/%E0%A4%A")).toEqual({ name: "list" });
  });
});
