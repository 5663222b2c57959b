import { describe, expect, it, vi } from "vitest";
import type { Event } from "../bridge/types";

const ev = (seq: number): Event => ({ seq, at: 0, kind: "log", workflowId: "w", runId: 1, taskId: null, payload: { level: "info", message: "" } });
let push: (e: Event) => void = () => {};
const eventsAfter = vi.fn(async (seq: number) => [ev(seq + 1), ev(seq + 2), ev(seq + 3)].filter((e) => e.seq < 5));

vi.mock("../bridge", () => ({
  backend: {
    onEvent: async (h: (e: Event) => void) => {
      push = h;
      return () => {};
    },
    eventsAfter: (seq: number) => eventsAfter(seq),
  },
}));

describe("live events", () => {
  it("passes events on in order and fills a gap with eventsAfter", async () => {
    const { onLive } = await import("./liveEvents");
    const seen: number[] = [];
    onLive((e) => seen.push(e.seq));
    await new Promise((r) => setTimeout(r, 0));
    push(ev(1));
    await new Promise((r) => setTimeout(r, 0));
    push(ev(5)); // 2, 3 and 4 were missed
    await new Promise((r) => setTimeout(r, 10));
    push(ev(5)); // a duplicate is dropped
    await new Promise((r) => setTimeout(r, 10));
    expect(eventsAfter).toHaveBeenCalledWith(1);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("answer order", () => {
  it("drops an answer that comes after a later load's answer was shown, keeps every other", async () => {
    const { answerOrder } = await import("./liveEvents");
    const order = answerOrder();
    const first = order.start();
    const second = order.start();
    const third = order.start();
    expect(order.show(second)).toBe(true); // answered before the first: shown
    expect(order.show(first)).toBe(false); // older than what is shown: dropped
    expect(order.show(third)).toBe(true);
    expect(order.show(third)).toBe(true); // the same answer again (an error after data) may show
    const fourth = order.start();
    expect(order.show(fourth)).toBe(true);
  });
});
