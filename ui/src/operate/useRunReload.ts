//! A value read from the engine that is read again whenever the run it belongs to changes (its
//! events, coalesced), while the component is mounted: the inspector's records and attempts,
//! Display logs.
import { useEffect, useState } from "react";
import type { Event } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { answerOrder, coalesce, onLive } from "./liveEvents";

/**
 * `load`'s answer for run `runId` (nothing read while it is `null`), read again on the run's
 * events that `wants` (every one by default). `deps` name what `load` reads besides the run.
 */
export function useRunReload<T>(
  runId: number | null,
  load: () => Promise<T>,
  deps: unknown[],
  { wants = () => true, ms = 150 }: { wants?: (e: Event) => boolean; ms?: number } = {},
): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` reads.
  useEffect(() => {
    if (runId === null) return;
    let live = true;
    const order = answerOrder();
    const refresh = coalesce(() => {
      const ticket = order.start();
      load()
        .then((d) => {
          if (live && order.show(ticket)) {
            setData(d);
            setError(null);
          }
        })
        .catch((e) => live && order.show(ticket) && setError(errorMessage(e)));
    }, ms);
    refresh();
    const off = onLive((e) => {
      if (e.runId === runId && wants(e)) refresh();
    });
    return () => {
      live = false;
      off();
    };
  }, [runId, ...deps]);
  return { data, error };
}
