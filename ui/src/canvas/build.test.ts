import { describe, expect, it } from "vitest";
import { BUILD_CHUNK, manyOffScreen, nextBuilt, offScreen } from "./build";

const stepsTo = (total: number) => {
  let built = 0;
  let steps = 0;
  while (built < total) {
    built = nextBuilt(built);
    steps++;
  }
  return steps;
};

describe("nextBuilt", () => {
  it("starts with a small step", () => {
    expect(nextBuilt(0)).toBe(BUILD_CHUNK);
    expect(nextBuilt(BUILD_CHUNK)).toBe(2 * BUILD_CHUNK);
  });

  it("grows, so that 5,000 activities and 5,200 transitions take a few dozen steps, not 170", () => {
    expect(stepsTo(10_200)).toBeLessThanOrEqual(30);
    expect(stepsTo(2_200)).toBeLessThanOrEqual(20);
  });

  it("never adds more than a quarter of what is built (past the first steps)", () => {
    for (const built of [1_000, 4_000, 8_000]) expect(nextBuilt(built) - built).toBeLessThanOrEqual(Math.ceil(built / 4));
  });
});

describe("offScreen", () => {
  const card = (x: number, y: number) => ({ position: { x, y }, measured: { width: 200, height: 60 } });
  const cards = [card(0, 0), card(900, 0), card(0, 900), card(-250, 0), card(-150, 0), card(2000, 2000)];

  it("counts the cards wholly outside the canvas; one cut by an edge is in view", () => {
    // 800 × 600 at zoom 1 from the origin: (900, 0), (0, 900), (-250, 0) and (2000, 2000) are out;
    // (-150, 0) reaches 50 px into view.
    expect(offScreen(cards, { x: 0, y: 0, zoom: 1 }, 800, 600)).toBe(4);
  });

  it("follows the viewport's pan and zoom", () => {
    // Zoomed out to 0.25 and moved 100 px right, everything fits; at zoom 1 panned 300 px right,
    // (-250, 0) comes in and (900, 0) stays out.
    expect(offScreen(cards, { x: 100, y: 0, zoom: 0.25 }, 800, 600)).toBe(0);
    expect(offScreen(cards, { x: 300, y: 0, zoom: 1 }, 800, 600)).toBe(3);
  });
});

describe("manyOffScreen", () => {
  const off = (n: number) => Array.from({ length: n }, (_, i) => ({ position: { x: 10_000 + i * 300, y: 0 }, measured: { width: 200, height: 60 } }));
  it("is true past 2,000 cards off screen, not at 2,000", () => {
    const view = { x: 0, y: 0, zoom: 1 };
    expect(manyOffScreen(off(2000), view, 800, 600)).toBe(false);
    expect(manyOffScreen(off(2001), view, 800, 600)).toBe(true);
  });
});
