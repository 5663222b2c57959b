//! Holding xyflow's store still while the view of a large workflow moves behind its drawing.
//!
//! Every change of xyflow's transform runs the store selectors of every card, handle, transition
//! and minimap block it has mounted (about 7,600 at 1,000 activities, each with a comparison:
//! most of a pan frame in WebKitGTK), although while the drawing stands in for them none of them
//! is shown. So the flow's viewport is controlled: at any other time each new viewport goes to
//! the store as xyflow would put it there; while `holding`, the pan and zoom go on as before
//! (xyflow's own handling) but each new viewport only moves the viewport element and reaches
//! whoever listens here (the minimap); the store takes the last one when the move ends.
import { useStoreApi, type Viewport } from "@xyflow/react";
import { type RefObject, useCallback, useLayoutEffect, useMemo, useRef } from "react";

/** The viewport element's transform, as xyflow writes it. */
const transformOf = (v: Viewport) => `translate(${v.x}px, ${v.y}px) scale(${v.zoom})`;

type Listener = (v: Viewport) => void;

const NOT_OPENED: Viewport = { x: 0, y: 0, zoom: 1 };

export type HeldViewport = {
  /**
   * Props for `<ReactFlow>`, the same objects at every render: the viewport is always controlled,
   * so that holding starts without handing xyflow a new viewport (which would update its store
   * once more, in the frame the move starts). `viewport` is the one the canvas opened at.
   */
  flowProps: { viewport: Viewport; onViewportChange: (v: Viewport) => void };
  /** Whether a move holds the store still now. */
  holding: boolean;
  /** The view as it is now, held or not. */
  current: () => Viewport;
  /** Calls `listener` with every viewport while holding; returns the unsubscribe. */
  onHeldChange: (listener: Listener) => () => void;
};

export function useHeldViewport(opened: Viewport | null, holding: boolean, wrapper: RefObject<HTMLElement | null>): HeldViewport {
  const store = useStoreApi();
  // The latest viewport while holding, and the one to give the store as the hold ends.
  const held = useRef(holding);
  const live = useRef<Viewport | null>(null);
  const release = useRef<Viewport | null>(null);
  const listeners = useRef(new Set<Listener>());
  if (holding && !held.current) {
    const [x, y, zoom] = store.getState().transform;
    live.current = { x, y, zoom };
  } else if (!holding && held.current && live.current) {
    release.current = live.current;
    live.current = null;
  }
  held.current = holding;
  useLayoutEffect(() => {
    const v = release.current;
    if (!v) return;
    release.current = null;
    store.setState({ transform: [v.x, v.y, v.zoom] });
  });
  const element = useRef<HTMLElement | null>(null);
  const onViewportChange = useCallback(
    (v: Viewport) => {
      if (!held.current) {
        // As xyflow does with a viewport of its own; it calls this twice per change.
        const [x, y, zoom] = store.getState().transform;
        if (x !== v.x || y !== v.y || zoom !== v.zoom) store.setState({ transform: [v.x, v.y, v.zoom] });
        return;
      }
      live.current = v;
      if (!element.current?.isConnected) element.current = wrapper.current?.querySelector<HTMLElement>(".react-flow__viewport") ?? null;
      if (element.current) element.current.style.transform = transformOf(v);
      for (const l of listeners.current) l(v);
    },
    [store, wrapper],
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
  // The first viewport only, once there is one (the canvas renders no flow before): a new object
  // would make xyflow go back to it.
  const first = useRef<Viewport | null>(null);
  if (!first.current && opened) first.current = opened;
  const firstViewport = first.current ?? NOT_OPENED;
  const flowProps = useMemo(() => ({ viewport: firstViewport, onViewportChange }), [firstViewport, onViewportChange]);
  return { flowProps, holding, current, onHeldChange };
}
