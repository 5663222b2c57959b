//! One subscription to the engine's events for the whole UI. Remembers the last `seq` and, when
//! an event arrives after a gap, asks `eventsAfter` for what was missed before passing it on, so
//! that screens can refresh from events instead of polling.
import { backend } from "../bridge";
import type { Event } from "../bridge/types";

type Handler = (e: Event) => void;
const handlers = new Set<Handler>();
let lastSeq: number | null = null;
let started = false;
let catchingUp: Promise<void> | null = null;

function dispatch(e: Event) {
  if (lastSeq !== null && e.seq <= lastSeq) return;
  lastSeq = e.seq;
  for (const h of handlers) h(e);
}

async function receive(e: Event) {
  if (catchingUp) await catchingUp;
  if (lastSeq !== null && e.seq > lastSeq + 1) {
    catchingUp = backend
      .eventsAfter(lastSeq)
      .then((missed) => {
        for (const m of missed.sort((a, b) => a.seq - b.seq)) if (m.seq < e.seq) dispatch(m);
      })
      .catch(() => {})
      .finally(() => {
        catchingUp = null;
      });
    await catchingUp;
  }
  dispatch(e);
}

/** Subscribes to live engine events (in order, gaps filled); returns the unsubscribe function. */
export function onLive(handler: Handler): () => void {
  if (!started) {
    started = true;
    void backend.onEvent((e) => void receive(e));
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/**
 * Orders the answers of overlapping loads of one thing. Loads overlap when events come while
 * one is in flight, and may answer out of order; shown last, an older answer puts back what
 * was true before (a finished run shown "Running" again). `start()` gives a load its ticket;
 * `show(ticket)` says whether its answer may still be shown — not when a load started after it
 * has been shown already — and records it as shown.
 */
export function answerOrder(): { start: () => number; show: (ticket: number) => boolean } {
  let started = 0;
  let shown = 0;
  return {
    start: () => ++started,
    show: (ticket) => {
      if (ticket < shown) return false;
      shown = ticket;
      return true;
    },
  };
}

/** Calls `fn` at most once per `ms` (trailing), to batch refreshes caused by bursts of events. */
export function coalesce(fn: () => void, ms = 60): () => void {
  let t: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (t) return;
    t = setTimeout(() => {
      t = null;
      fn();
    }, ms);
  };
}
