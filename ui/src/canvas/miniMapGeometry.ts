//! Where the minimap looks and what it greys out: the workflow and the view, fitted into the
//! minimap's box the way xyflow's own minimap fits them (so it looks and moves the same).
import type { Viewport } from "@xyflow/react";

export type Rect = { x: number; y: number; width: number; height: number };

/** The minimap's margin, in its own pixels. */
const MARGIN_PX = 5;

/** The part of the canvas a `paneWidth` × `paneHeight` pane shows at viewport `v`, in canvas units. */
export function viewRect(v: Viewport, paneWidth: number, paneHeight: number): Rect {
  return { x: -v.x / v.zoom, y: -v.y / v.zoom, width: paneWidth / v.zoom, height: paneHeight / v.zoom };
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

export type MiniMapFrame = {
  /** The SVG viewBox: the workflow and the view together, centred, with a margin. */
  box: Rect;
  /** Canvas units per minimap pixel. */
  unitsPerPixel: number;
  /** Everything outside the view (even-odd fill): the grey veil. */
  mask: string;
};

/** The minimap of `content` (the workflow's bounds, null when empty) seen through `view`, in a `width` × `height` box. */
export function miniMapFrame(content: Rect | null, view: Rect, width: number, height: number): MiniMapFrame {
  const all = content ? union(content, view) : view;
  const unitsPerPixel = Math.max(all.width / width, all.height / height) || 1;
  const fittedWidth = unitsPerPixel * width;
  const fittedHeight = unitsPerPixel * height;
  const margin = MARGIN_PX * unitsPerPixel;
  const box = {
    x: all.x - (fittedWidth - all.width) / 2 - margin,
    y: all.y - (fittedHeight - all.height) / 2 - margin,
    width: fittedWidth + 2 * margin,
    height: fittedHeight + 2 * margin,
  };
  const r = (n: number) => Math.round(n * 10) / 10;
  const mask =
    `M${r(box.x - margin)},${r(box.y - margin)}h${r(box.width + 2 * margin)}v${r(box.height + 2 * margin)}h${r(-box.width - 2 * margin)}z` +
    `M${r(view.x)},${r(view.y)}h${r(view.width)}v${r(view.height)}h${r(-view.width)}z`;
  // The drawn box is a little larger than the fitted one: a pixel is worth the wider span.
  return { box, unitsPerPixel: box.width / width, mask };
}

/**
 * The viewport after dragging the minimap by (`dx`, `dy`) pixels from `start`: the view follows
 * the pointer, so the canvas moves the other way.
 */
export function draggedViewport(start: Viewport, dx: number, dy: number, unitsPerPixel: number): Viewport {
  return { x: start.x - dx * unitsPerPixel * start.zoom, y: start.y - dy * unitsPerPixel * start.zoom, zoom: start.zoom };
}

/** The zoom after one wheel turn of `deltaY` over the minimap, as xyflow's minimap zooms. */
export function wheelZoom(zoom: number, deltaY: number, deltaMode: number, min: number, max: number): number {
  const factor = deltaMode === 1 ? 0.05 : deltaMode ? 1 : 0.002;
  return Math.min(max, Math.max(min, zoom * 2 ** (-deltaY * factor * 10)));
}
