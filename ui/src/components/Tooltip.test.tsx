import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TIP_DELAY_MS, TIP_ID, TooltipHost, covered, placeTip, tipTarget } from "./Tooltip";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function page(extra: React.ReactNode = null) {
  render(
    <>
      <button type="button" data-tip="Undo (Ctrl+Z)">
        <span data-testid="inner">U</span>
      </button>
      <button type="button">No tip</button>
      {extra}
      <TooltipHost />
    </>,
  );
  return screen.getByRole("button", { name: "U" });
}

const hover = (el: Element) => {
  fireEvent.pointerOver(el, { buttons: 0 });
  act(() => vi.advanceTimersByTime(TIP_DELAY_MS + 10));
};

describe("tooltips", () => {
  it("find the element that asks for one from anything inside it", () => {
    const button = page();
    expect(tipTarget(screen.getByTestId("inner"))?.el).toBe(button);
    expect(tipTarget(screen.getByRole("button", { name: "No tip" }))).toBeNull();
  });

  it("show after a rest on the element, described by aria-describedby, and go when it is left", () => {
    const button = page();
    fireEvent.pointerOver(button, { buttons: 0 });
    expect(screen.queryByRole("tooltip")).toBeNull();
    act(() => vi.advanceTimersByTime(TIP_DELAY_MS + 10));
    const tip = screen.getByRole("tooltip");
    expect(tip.textContent).toBe("Undo (Ctrl+Z)");
    expect(button.getAttribute("aria-describedby")).toBe(TIP_ID);
    expect(tip.id).toBe(TIP_ID);
    fireEvent.pointerOut(button, { relatedTarget: document.body });
    expect(screen.queryByRole("tooltip")).toBeNull();
    expect(button.hasAttribute("aria-describedby")).toBe(false);
  });

  it.each(["contextmenu", "pointerdown", "wheel", "keydown", "scroll"])("close on %s", (type) => {
    const button = page();
    hover(button);
    expect(screen.getByRole("tooltip")).toBeTruthy();
    act(() => {
      window.dispatchEvent(new Event(type));
    });
    expect(screen.queryByRole("tooltip")).toBeNull();
  });

  it("are never shown while a menu or a dialog is open", () => {
    const button = page(<div role="menu" aria-label="Context menu" />);
    hover(button);
    expect(screen.queryByRole("tooltip")).toBeNull();
    expect(covered(button)).toBe(true);
    // An element inside the menu is not covered by it.
    expect(covered(screen.getByRole("menu"))).toBe(false);
  });

  it("close when a dialog opens over them", async () => {
    const button = page();
    hover(button);
    expect(screen.getByRole("tooltip")).toBeTruthy();
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "alertdialog");
    await act(async () => {
      document.body.append(dialog);
      await Promise.resolve();
    });
    expect(screen.queryByRole("tooltip")).toBeNull();
    dialog.remove();
  });

  it("close when their element goes away (its screen was left)", async () => {
    const { rerender } = render(
      <>
        <button type="button" data-tip="Back to workflows">
          B
        </button>
        <TooltipHost />
      </>,
    );
    hover(screen.getByRole("button", { name: "B" }));
    expect(screen.getByRole("tooltip")).toBeTruthy();
    // Leaving the screen: the button is gone.
    rerender(<TooltipHost />);
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByRole("tooltip")).toBeNull();
  });

  it("are placed below the element, above it at the bottom of the window, inside the window", () => {
    const view = { width: 800, height: 600 };
    expect(placeTip({ left: 100, top: 100, width: 40, height: 20 }, { width: 100, height: 24 }, view)).toEqual({ left: 70, top: 126 });
    expect(placeTip({ left: 100, top: 570, width: 40, height: 20 }, { width: 100, height: 24 }, view).top).toBe(540);
    expect(placeTip({ left: 780, top: 100, width: 20, height: 20 }, { width: 100, height: 24 }, view).left).toBe(692);
  });
});
