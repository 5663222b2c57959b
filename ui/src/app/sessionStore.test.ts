import { describe, expect, it } from "vitest";
import type { Session } from "../bridge/types";
import { lacking } from "./sessionStore";

const operator = (capabilities: Session["capabilities"], readOnly = false): Session => ({
  operator: "ana",
  groups: ["marketing"],
  capabilities,
  readOnly,
});

describe("lacking", () => {
  it("lets through what the session holds", () => {
    expect(lacking(operator(["list", "run"]), "run")).toBeNull();
    expect(lacking(operator(["list", "run"]), "list")).toBeNull();
  });

  it("names the operator and the capability they miss", () => {
    expect(lacking(operator(["list"]), "update")).toBe("Operator ana may not edit workflows (needs the update capability).");
    expect(lacking(operator(["list"]), "approve")).toBe("Operator ana may not answer approvals (needs the approve capability).");
  });

  it("says a read-only token is the reason", () => {
    expect(lacking(operator(["list"], true), "run")).toBe("This access token is read-only: it may not start, stop or run workflows.");
  });
});
