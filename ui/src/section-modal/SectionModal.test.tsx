import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledCatalog } from "../bridge/catalog";
import { insertOnTransition } from "../editor/edits";
import { currentBody, useEditor } from "../editor/editorStore";
import { blankWorkflow, newActivity, portsOf } from "../editor/model";
import { useEditorUi } from "../editor/uiStore";
import { useValidation } from "../problems/validationStore";
import { SectionModal } from "./SectionModal";

afterEach(cleanup);

beforeEach(() => {
  const b0 = blankWorkflow("t");
  const cmd = newActivity(bundledCatalog, "run_command", { x: 0, y: 100 }, new Set(["start", "finish"]));
  const body = insertOnTransition(cmd, b0.transitions[0], (k) => portsOf(bundledCatalog, k))(b0);
  useEditor.getState().open(
    { id: "w", name: "t", state: "being_edited", revision: 1, lastRunStatus: null, schedule: null, simulate: false, commands: [], updatedAt: 0 },
    body,
  );
  useEditorUi.getState().openModal("run_command");
});

describe("section modal", () => {
  it("Cancel leaves the workflow untouched", () => {
    const before = currentBody();
    render(<SectionModal />);
    fireEvent.change(screen.getByLabelText("Label"), { target: { value: "Build it" } });
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(currentBody()).toBe(before);
    expect(useEditorUi.getState().modal).toBeNull();
  });

  it("renders the generated form and OK applies one undoable edit", () => {
    render(<SectionModal />);
    expect(screen.getByText("Run command")).toBeTruthy();
    const command = screen.getByLabelText("Command") as HTMLInputElement;
    fireEvent.change(command, { target: { value: "make report" } });
    fireEvent.change(screen.getByLabelText("Label"), { target: { value: "Build it" } });
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    const act = currentBody()!.activities.find((a) => a.id === "run_command")!;
    expect(act.label).toBe("Build it");
    expect((act.config as { command: string }).command).toBe("make report");
    useEditor.getState().undo();
    expect(currentBody()!.activities.find((a) => a.id === "run_command")!.label).toBe("Run command");
  });
});

describe("the form's buttons and keys", () => {
  it("map and list fields have buttons a person can tell apart, and entries are named, not keyed", () => {
    render(<SectionModal />);
    const dialog = screen.getByTestId("section-modal");
    const adds = screen.getAllByRole("button", { name: "Add" });
    expect(adds.length).toBe(2); // Environment (a map) and OK exit codes (a list)
    for (const add of adds) {
      expect(add.textContent).toBe("Add");
      expect(add.querySelector("svg")).toBeTruthy();
      fireEvent.click(add);
    }
    const removes = screen.getAllByRole("button", { name: "Remove" });
    expect(removes.length).toBe(2);
    for (const remove of removes) expect(remove.textContent).toBe("Remove");
    expect(dialog.querySelector(".glyphicon")).toBeNull();
    expect(dialog.textContent).not.toMatch(/ Key/);
    expect(screen.getAllByText("Name").length).toBeGreaterThan(0);
    fireEvent.click(removes[0]);
    expect(screen.getAllByRole("button", { name: "Remove" }).length).toBe(1);
  });

  it("a map is a table of names and values, its values with the expression hint", () => {
    render(<SectionModal />);
    const env = screen.getByRole("table", { name: "Environment variables" });
    fireEvent.click(screen.getAllByRole("button", { name: "Add" })[0]);
    const heads = env.querySelectorAll('[role="columnheader"]');
    expect([...heads].map((h) => h.textContent || h.getAttribute("aria-label"))).toEqual(["Name", "Value", "Remove"]);
    const row = env.querySelectorAll('[role="row"]:not(.map-head)');
    expect(row.length).toBe(1);
    expect(row[0].querySelectorAll('[role="cell"]').length).toBe(3);
    expect(screen.getByRole("textbox", { name: "Name" })).toBeTruthy();
    expect(env.parentElement?.textContent).toContain("Values take expressions");
  });

  it("Enter in a one-line field confirms (not in a text area); the close button closes", async () => {
    render(<SectionModal />);
    const command = screen.getByLabelText("Command") as HTMLTextAreaElement;
    fireEvent.change(command, { target: { value: "make all" } });
    fireEvent.keyDown(command, { key: "Enter" });
    await new Promise((r) => setTimeout(r, 10));
    expect(useEditorUi.getState().modal, "Enter in a text area is a new line").not.toBeNull();
    const label = screen.getByLabelText("Label");
    fireEvent.change(label, { target: { value: "Build" } });
    fireEvent.keyDown(label, { key: "Enter" });
    await new Promise((r) => setTimeout(r, 10));
    expect(useEditorUi.getState().modal).toBeNull();
    const saved = currentBody()!.activities.find((a) => a.id === "run_command")!;
    expect([saved.label, (saved.config as { command: string }).command]).toEqual(["Build", "make all"]);
    cleanup();
    useEditorUi.getState().openModal("run_command");
    render(<SectionModal />);
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(useEditorUi.getState().modal).toBeNull();
  });

  it("Escape closes the modal also when the focus is on nothing", () => {
    render(<SectionModal />);
    (document.activeElement as HTMLElement | null)?.blur();
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(useEditorUi.getState().modal).toBeNull();
  });
});

describe("engine rules in the modal", () => {
  it("offers what happens to a side-effecting step when the engine stops, and saves it", () => {
    render(<SectionModal />);
    const choice = screen.getByLabelText("If the engine stops while it runs") as HTMLSelectElement;
    expect(choice.value).toBe("rerun");
    fireEvent.change(choice, { target: { value: "fail" } });
    fireEvent.click(screen.getByRole("button", { name: "OK" }));
    expect(currentBody()!.activities.find((a) => a.id === "run_command")!.on_interrupt).toBe("fail");
  });

  it("marks the field an engine diagnostic names, until it is edited", () => {
    const body = currentBody()!;
    const index = body.activities.findIndex((a) => a.id === "run_command");
    useValidation.setState({
      checkedBody: body,
      diagnostics: [
        { activity: "run_command", path: `activities[${index}].config.command`, code: "WEFT-V005", message: "a command is needed", severity: "error" },
        { activity: "run_command", path: `activities[${index}]`, code: "WEFT-V002", message: "not reachable from Start", severity: "warning" },
      ],
    });
    render(<SectionModal />);
    expect(screen.getByText(/WEFT-V005: a command is needed/)).toBeTruthy();
    expect(screen.getByTestId("modal-problems").textContent).toContain("not reachable from Start");
    fireEvent.change(screen.getByLabelText("Command"), { target: { value: "make report" } });
    expect(screen.queryByText(/WEFT-V005: a command is needed/)).toBeNull();
    useValidation.setState({ diagnostics: [], checkedBody: null });
  });
});

describe("every catalogue kind", () => {
  it("renders its generated form without unsupported fields", () => {
    for (const entry of bundledCatalog) {
      const act = newActivity(bundledCatalog, entry.kind, { x: 0, y: 0 }, new Set());
      useEditor.getState().open(
        { id: "w", name: "t", state: "being_edited", revision: 1, lastRunStatus: null, schedule: null, simulate: false, commands: [], updatedAt: 0 },
        { ...blankWorkflow("t"), activities: [act] },
      );
      useEditorUi.getState().openModal(act.id);
      const { container, unmount } = render(<SectionModal />);
      expect(container.textContent, entry.kind).not.toMatch(/Unsupported field/);
      // Every button can be told by name, with an entry in each list and map.
      for (const add of container.querySelectorAll<HTMLButtonElement>('button[aria-label="Add"]')) fireEvent.click(add);
      for (const button of container.querySelectorAll("button")) {
        const name = (button.getAttribute("aria-label") ?? button.textContent ?? "").trim();
        expect(name, `${entry.kind}: ${button.outerHTML.slice(0, 120)}`).not.toBe("");
      }
      expect(container.querySelector(".glyphicon"), entry.kind).toBeNull();
      unmount();
    }
  }, 30_000);
});
