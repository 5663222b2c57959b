import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MenuItems } from "../components/Popover";
import { contextMenuItems } from "./ContextMenu";

afterEach(cleanup);

const ORDER = [
  "Open",
  "Display logs",
  "Inspect",
  "Breakpoint…",
  "Execute pending task(s) now",
  "Workflow restart from a task",
  "Cut",
  "Copy",
  "Paste",
  "Delete",
  "Copy as bitmap",
  "Normal execution",
  "Enable but do not execute",
  "Do not enable",
  "Save",
  "Cancel",
];

describe("context menu", () => {
  it("lists the items in the spec's order, run items disabled with a reason", () => {
    render(<MenuItems items={contextMenuItems(["cmd"], { modes: ["hold"], onlyStart: false, canPaste: false, dirty: false })} onClose={() => {}} />);
    const items = screen.getAllByRole("menuitem");
    expect(items.map((i) => i.textContent?.replace(/^✓/, "").replace(/Ctrl\+.|Del$/, "").trim())).toEqual(ORDER);
    const byName = (n: string) => items.find((i) => i.textContent?.includes(n))!;
    expect((byName("Display logs") as HTMLButtonElement).disabled).toBe(true);
    expect(byName("Display logs").title).toMatch(/run/);
    expect((items.find((i) => i.textContent?.trim() === "Inspect") as HTMLButtonElement).disabled).toBe(true);
    expect((byName("Open") as HTMLButtonElement).disabled).toBe(false);
    expect((byName("Paste") as HTMLButtonElement).disabled).toBe(true);
    expect((byName("Save") as HTMLButtonElement).disabled).toBe(true);
    expect(byName("Enable but do not execute").getAttribute("aria-checked")).toBe("true");
  });
  it("on the empty canvas only Paste, Copy as bitmap, Save and Cancel can apply", () => {
    render(<MenuItems items={contextMenuItems([], { modes: [], onlyStart: false, canPaste: true, dirty: true })} onClose={() => {}} />);
    const enabled = screen.getAllByRole("menuitem").filter((i) => !(i as HTMLButtonElement).disabled).map((i) => i.textContent?.replace(/Ctrl\+.$/, ""));
    expect(enabled).toEqual(["Paste", "Copy as bitmap", "Save", "Cancel"]);
  });
});
