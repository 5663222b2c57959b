//! The minimap: every activity as a block in its role's colour, the view as the clear part of a
//! grey veil; drag it to move the view, turn the wheel over it to zoom. Our own rather than
//! xyflow's: that one follows each card through the store (a selector per card, run at every
//! frame of a move: 1,000 of them at 1,000 activities) and cannot follow a move while the store
//! is held (heldViewport.ts). This one draws one path per role and redraws only the veil.
import { Panel, useReactFlow, useStore, type Viewport } from "@xyflow/react";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { ActivityFlowNode } from "./ActivityNode";
import { blockPath, farShapesOf } from "./FarDrawing";
import { cardBounds } from "./geometry";
import type { HeldViewport } from "./heldViewport";
import { draggedViewport, miniMapFrame, viewRect, wheelZoom } from "./miniMapGeometry";

const WIDTH = 200;
const HEIGHT = 150;

type Props = {
  nodes: ActivityFlowNode[];
  /** Whether a move holds xyflow's store (heldViewport.ts): the view then comes from `onHeldChange`. */
  holding: boolean;
  current: HeldViewport["current"];
  onHeldChange: HeldViewport["onHeldChange"];
  minZoom: number;
  maxZoom: number;
};

function MiniMapView({ nodes, holding, current, onHeldChange, minZoom, maxZoom }: Props) {
  const rf = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  // The view as the store has it, or as a held move has it (the store then stays put).
  const stored = useStore((s) => s.transform);
  const [moving, setMoving] = useState<Viewport | null>(null);
  useEffect(() => onHeldChange(setMoving), [onHeldChange]);
  const view = holding && moving ? moving : { x: stored[0], y: stored[1], zoom: stored[2] };
  if (!holding && moving) setMoving(null);

  // The far drawing's blocks, one path per role here (a 200-pixel picture has no tiles to skip).
  const blocks = useMemo(() => farShapesOf(nodes).byRole.map(([role, blocks]) => [role, blocks.map(blockPath).join("")] as const), [nodes]);
  const content = useMemo(() => cardBounds(nodes), [nodes]);
  const frame = miniMapFrame(content, viewRect(view, paneWidth, paneHeight), WIDTH, HEIGHT);

  // Dragging: the view follows the pointer from where the drag began.
  const drag = useRef<{ x: number; y: number; start: Viewport; unitsPerPixel: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    // Not a React handler: the page must not scroll, which a passive listener cannot prevent.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      rf.zoomTo(wheelZoom(current().zoom, e.deltaY, e.deltaMode, minZoom, maxZoom));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [rf, current, minZoom, maxZoom]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap weft-minimap" data-testid="minimap">
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${frame.box.x} ${frame.box.y} ${frame.box.width} ${frame.box.height}`}
        role="img"
        aria-label="Minimap: drag to move the view, turn the wheel to zoom"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY, start: current(), unitsPerPixel: frame.unitsPerPixel };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (d) rf.setViewport(draggedViewport(d.start, e.clientX - d.x, e.clientY - d.y, d.unitsPerPixel));
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
        onPointerCancel={() => {
          drag.current = null;
        }}
      >
        <MiniMapBlocks blocks={blocks} />
        <path className="weft-minimap-mask" d={frame.mask} fillRule="evenodd" />
      </svg>
    </Panel>
  );
}

/** The blocks: redrawn when the workflow changes, not when the view moves. */
const MiniMapBlocks = memo(function MiniMapBlocks({ blocks }: { blocks: (readonly [string, string])[] }) {
  return (
    <>
      {blocks.map(([role, d]) => (
        <path key={role} d={d} fill={`var(--role-${role})`} />
      ))}
    </>
  );
});

export const MiniMap = memo(MiniMapView);
