//! How a large workflow's cards are handed to xyflow after its first picture, step by step.

/**
 * Cards handed to xyflow per step while a large workflow is built after its
 * first picture: small enough that one step stays well under the 100 ms a click may wait.
 */
export const BUILD_CHUNK = 60;
/**
 * Each step also adds this share of what is built so far. Every step costs xyflow a pass over
 * all it holds, so a fixed chunk made the build quadratic (5,000 activities: 170 steps, 13 s);
 * growing steps make it about 25 steps, each still one task between input events.
 */
const BUILD_GROWTH = 0.25;

/** How many items are built after the step that follows `built`. */
export const nextBuilt = (built: number) => built + Math.max(BUILD_CHUNK, Math.ceil(built * BUILD_GROWTH));

/**
 * Up to this many cards off screen, a move zoomed far out has xyflow mount them all once (hidden
 * behind the drawing) instead of changing the set it renders on every frame; above it, mounting
 * them would stall the move's first frame (5,000 activities: 1.2 s). At 500, a pan of 1,000
 * activities (fit to the canvas, a few hundred off screen) changed the set every frame: 23–34 fps
 * in WebKitGTK instead of 34–43.
 */
const MOUNT_ALL_UP_TO = 2000;

/** A card as far as its place on screen goes. */
type Placed = { position: { x: number; y: number }; measured?: { width?: number; height?: number } };

/** How many cards lie wholly outside a `width` × `height` canvas at viewport `v`. */
export function offScreen(nodes: Placed[], v: { x: number; y: number; zoom: number }, width: number, height: number): number {
  let count = 0;
  for (const n of nodes) {
    const { width: w = 0, height: h = 0 } = n.measured ?? {};
    const left = n.position.x * v.zoom + v.x;
    const top = n.position.y * v.zoom + v.y;
    if (left > width || top > height || left + w * v.zoom < 0 || top + h * v.zoom < 0) count += 1;
  }
  return count;
}

/** Whether so many cards are off screen that xyflow should keep rendering only those in view. */
export function manyOffScreen(nodes: Placed[], v: { x: number; y: number; zoom: number }, width: number, height: number): boolean {
  return offScreen(nodes, v, width, height) > MOUNT_ALL_UP_TO;
}
