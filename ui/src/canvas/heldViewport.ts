//! Holding xyflow's store still while the view of a large workflow moves behind its drawing.
//!
//! Every change of xyflow's transform runs the store selectors of every card, handle, transition
//! and minimap block it has mounted (about 7,600 at 1,000 activities, each with a comparison:
//! most of a pan frame in WebKitGTK), although while the drawing stands in for them none of them
//! is shown. So while `holding`, the flow's viewport is controlled: the pan and zoom go on as
//! before (xyflow's own handling), but each new viewport only moves the viewport element and
//! reaches whoever listens here (the minimap); the store takes the last one when the move ends.
import { useStoreApi, type Viewport } from "@xyflow/react";
import { type RefObject, useCallback, useLayoutEffect, useRef } from "react";

/** The viewport element's transform, as xyflow writes it. */
export const transformOf = (v: Viewport) => `translate(${v.x}px, ${v.y}px) scale(${v.zoom})`;

type Listener = (v: Viewport) => void;

export type HeldViewport = {
  /** Props for `<ReactFlow>`: a controlled viewport while holding, nothing otherwise. */
  flowProps: { viewport?: Viewport; onViewportChange?: (v: Viewport) => void };
  /** The view as it is now, held or not. */
  current: () => Viewport;
  /** Calls `listener` with every viewport while holding; returns the unsubscribe. */
  onHeldChange: (listener: Listener) => () => void;
};

export function useHeldViewport(holding: boolean, wrapper: RefObject<HTMLElement | null>): HeldViewport {
  const store = useStoreApi();
  // The viewport handed to xyflow while holding (the same object throughout: a new one would make
  // xyflow jump back to it), the latest one, and the one to give the store as the hold ends.
  const held = useRef<Viewport | null>(null);
  const live = useRef<Viewport | null>(null);
  const release = useRef<Viewport | null>(null);
  const listeners = useRef(new Set<Listener>());
  if (holding && !held.current) {
    const [x, y, zoom] = store.getState().transform;
    held.current = { x, y, zoom };
    live.current = held.current;
  } else if (!holding && held.current) {
    release.current = live.current;
    held.current = null;
  }
  useLayoutEffect(() => {
    const v = release.current;
    if (!v) return;
    release.current = null;
    store.setState({ transform: [v.x, v.y, v.zoom] });
  });
  const element = useRef<HTMLElement | null>(null);
  const onViewportChange = useCallback(
    (v: Viewport) => {
      live.current = v;
      if (!element.current?.isConnected) element.current = wrapper.current?.querySelector<HTMLElement>(".react-flow__viewport") ?? null;
      if (element.current) element.current.style.transform = transformOf(v);
      for (const l of listeners.current) l(v);
    },
    [wrapper],
  );
  const current = useCallback((): Viewport => {
    if (held.current && live.current) return live.current;
    const [x, y, zoom] = store.getState().transform;
    return { x, y, zoom };
  }, [store]);
  const onHeldChange = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  return { flowProps: holding && held.current ? { viewport: held.current, onViewportChange } : {}, current, onHeldChange };
}
