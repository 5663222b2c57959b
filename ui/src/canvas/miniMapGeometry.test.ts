import { describe, expect, it } from "vitest";
import { draggedViewport, miniMapFrame, viewRect, wheelZoom } from "./miniMapGeometry";

describe("minimap geometry", () => {
  it("sees the part of the canvas a pane shows", () => {
    expect(viewRect({ x: -100, y: 50, zoom: 0.5 }, 800, 600)).toEqual({ x: 200, y: -100, width: 1600, height: 1200 });
  });

  it("fits the workflow and the view together, centred, keeping the box's proportions", () => {
    const content = { x: 0, y: 0, width: 2000, height: 500 };
    const view = { x: 0, y: 0, width: 1000, height: 500 };
    const f = miniMapFrame(content, view, 200, 150);
    // 2,000 wide into 200 px: 10 units a pixel, plus the 5 px margin on each side.
    expect(f.box.width).toBeCloseTo(2100);
    expect(f.box.height).toBeCloseTo(1600);
    expect(f.box.x + f.box.width / 2).toBeCloseTo(1000);
    expect(f.box.y + f.box.height / 2).toBeCloseTo(250);
    expect(f.unitsPerPixel).toBeCloseTo(10.5);
  });

  it("includes a view that lies beside the workflow", () => {
    const f = miniMapFrame({ x: 0, y: 0, width: 100, height: 100 }, { x: 1000, y: 0, width: 100, height: 100 }, 200, 150);
    expect(f.box.x).toBeLessThanOrEqual(0);
    expect(f.box.x + f.box.width).toBeGreaterThanOrEqual(1100);
  });

  it("veils everything but the view: an outer ring and the view as a hole", () => {
    const f = miniMapFrame(null, { x: 10, y: 20, width: 300, height: 200 }, 200, 150);
    const rings = f.mask.split("z").filter(Boolean);
    expect(rings).toHaveLength(2);
    expect(rings[1]).toBe("M10,20h300v200h-300");
  });

  it("moves the view with the pointer: the canvas the other way, scaled by the zoom", () => {
    expect(draggedViewport({ x: 0, y: 0, zoom: 0.5 }, 10, -4, 20)).toEqual({ x: -100, y: 40, zoom: 0.5 });
  });

  it("zooms in on a wheel turn up and out on a turn down, within the limits", () => {
    expect(wheelZoom(1, -100, 0, 0.15, 2.5)).toBeGreaterThan(1);
    expect(wheelZoom(1, 100, 0, 0.15, 2.5)).toBeLessThan(1);
    expect(wheelZoom(2.4, -10000, 0, 0.15, 2.5)).toBe(2.5);
    expect(wheelZoom(0.2, 10000, 0, 0.15, 2.5)).toBe(0.15);
  });
});
