import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledCatalog } from "../bridge/catalog";
import { insertOnTransition } from "../editor/edits";
import { currentBody, useEditor } from "../editor/editorStore";
import { blankWorkflow, newActivity, portsOf } from "../editor/model";
import { useEditorUi } from "../editor/uiStore";
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
      unmount();
    }
  });
});
