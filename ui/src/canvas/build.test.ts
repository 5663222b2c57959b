import { describe, expect, it } from "vitest";
import { BUILD_CHUNK, nextBuilt } from "./build";

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
