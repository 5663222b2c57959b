//! How a large workflow's cards are handed to xyflow after its first picture, step by step.

/**
 * Cards (then transitions) handed to xyflow per step while a large workflow is built after its
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
