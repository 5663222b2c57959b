//! The workflow canvas: activities and transitions from the editor store, drag/drop from the
//! palette (onto the canvas or onto a transition), selection, connections, context menu. While a
//! comparison is shown (a revision diff, two runs: `compare/`), it draws that instead, read-only.
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  type Connection,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
  useReactFlow,
  ReactFlowProvider,
  useStore,
} from "@xyflow/react";
import { getViewportForBounds, type Viewport } from "@xyflow/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { portsOfKind, useCatalog } from "../app/catalogStore";
import { useTheme } from "../app/themeStore";
import type { ActivityKind } from "../bridge/types";
import { insertKind } from "../editor/actions";
import { connect, moveActivities } from "../editor/edits";
import { useCompare } from "../compare/compareStore";
import { useBody, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import { byActivity, useValidation } from "../problems/validationStore";
import { ActivityNode, type ActivityFlowNode } from "./ActivityNode";
import { drawingBox, FarDrawing, farShapesOf, selectionPathOf } from "./FarDrawing";
import { FarTransitions, transitionPathsOf } from "./FarTransitions";
import { FarContext } from "./farContext";
import { setFlow } from "./flowRef";
import { cardBounds, edgeId, nearestTransition, nodeHandles, parseEdgeId } from "./geometry";
import { estimatedSize, type Size } from "./layout";
import { TransitionEdge, type TransitionFlowEdge } from "./TransitionEdge";
import { manyOffScreen, nextBuilt } from "./build";
import { useHeldViewport } from "./heldViewport";
import { MiniMap } from "./MiniMap";
import { useLacking } from "../app/sessionStore";

// Module scope: a new object per render would remount every node.
const nodeTypes = { activity: ActivityNode };
const edgeTypes = { transition: TransitionEdge };
const NO_PROBLEMS: never[] = [];
const NO_PORTS: string[] = [];
const NO_NODES: ActivityFlowNode[] = [];
const NO_EDGES: TransitionFlowEdge[] = [];

/** Below this zoom, activities show as plain blocks (labels are unreadable there anyway). */
const FAR_ZOOM = 0.45;

/**
 * Above this many activities the canvas renders only the visible ones, and zoomed far out it
 * opens and moves as one drawing (FarDrawing). From about a hundred, switching cards between
 * blocks and full cards in the middle of a zoom costs frames (measured: 49 fps at 100, 60 drawn).
 */
const LARGE_WORKFLOW = 100;

/** How near a click (screen pixels) picks a transition drawn far out. */
const PICK_PX = 6;

/** How long after the last movement the view counts as at rest. */
const MOVE_SETTLE_MS = 250;

/** Zoom limits and how the canvas frames a workflow when it opens (and on Fit view). */
const MIN_ZOOM = 0.15;
const MAX_ZOOM = 2.5;
export const FIT_OPTIONS = { padding: 0.25, maxZoom: 1.1 };


/** The viewport that fits every activity in a `width` × `height` canvas, like xyflow's fitView. */
function fittingViewport(nodes: ActivityFlowNode[], width: number, height: number): Viewport {
  const bounds = cardBounds(nodes);
  if (!bounds || !width || !height) return { x: 0, y: 0, zoom: 1 };
  return getViewportForBounds(bounds, width, height, MIN_ZOOM, FIT_OPTIONS.maxZoom, FIT_OPTIONS.padding);
}

export const PALETTE_MIME = "application/x-weft-kind";

const NO_SELECTION: string[] = [];
const MULTI_SELECTION_KEYS = ["Shift", "Meta", "Control"];
const SNAP_GRID: [number, number] = [16, 16];
const PRO_OPTIONS = { hideAttribution: true };

function CanvasInner() {
  const editing = useBody();
  // A comparison draws its own graph (the later revision, ghosts added) and nothing is editable.
  const comparison = useCompare((s) => s.view);
  const comparing = comparison !== null;
  // An operator without `update` looks, selects and runs, but moves and connects nothing.
  const noEdit = useLacking("update");
  const body = comparison?.body ?? editing;
  const editorSelection = useEditor((s) => s.selection);
  const selection = comparing ? NO_SELECTION : editorSelection;
  const diagnostics = useValidation((s) => s.diagnostics);
  const dropEdge = useEditorUi((s) => s.dropEdge);
  const catalog = useCatalog((s) => s.entries);
  const theme = useTheme((s) => s.resolved);
  const [sizes, setSizes] = useState<Record<string, Size>>({});
  const [edgeSelection, setEdgeSelection] = useState<string[]>([]);
  const rf = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  // The canvas's size, read before xyflow mounts, so that the first frame is already framed
  // (and already at the right level of detail) instead of fitting after a first full render.
  const [frame, setFrame] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = wrapper.current;
    if (el) setFrame({ width: el.clientWidth, height: el.clientHeight });
  }, []);

  const problems = useMemo(() => byActivity(comparing ? [] : diagnostics), [diagnostics, comparing]);
  // Lookups built once per body (not per node or per edge): large workflows stay linear.
  const portsByActivity = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const t of body?.transitions ?? []) {
      const list = m.get(t.from);
      if (list) list.push(t.port);
      else m.set(t.from, [t.port]);
    }
    return m;
  }, [body]);
  const kindById = useMemo(() => new Map((body?.activities ?? []).map((a) => [a.id, a.kind as string])), [body]);
  const entryByKind = useMemo(() => new Map(catalog.map((c) => [c.kind as string, c])), [catalog]);
  // Node objects are reused while what they show is unchanged, so that panning (which mounts
  // nodes and reports their sizes) re-renders only the nodes that changed.
  const selected = useMemo(() => new Set(selection), [selection]);
  const nodeCache = useRef(new Map<string, { key: unknown[]; node: ActivityFlowNode }>());
  const nodes: ActivityFlowNode[] = useMemo(() => {
    const cache = nodeCache.current;
    const next = new Map<string, { key: unknown[]; node: ActivityFlowNode }>();
    const out = (body?.activities ?? []).map((a) => {
      const entry = entryByKind.get(a.kind);
      const key = [a, problems.get(a.id) ?? NO_PROBLEMS, portsByActivity.get(a.id) ?? NO_PORTS, selected.has(a.id), sizes[a.id], entry];
      const hit = cache.get(a.id);
      if (hit?.key.every((k, i) => k === key[i])) {
        next.set(a.id, hit);
        return hit.node;
      }
      const role = a.role ?? entry?.role ?? "action";
      const size = sizes[a.id] ?? estimatedSize(role);
      const node: ActivityFlowNode = {
        id: a.id,
        type: "activity" as const,
        position: a.position,
        data: { activity: a, role, problems: key[1] as typeof NO_PROBLEMS, connectedPorts: key[2] as string[], size },
        selected: key[3] as boolean,
        // Known before the card is in the DOM: xyflow draws it, and its transitions, at once.
        measured: size,
        handles: nodeHandles(size, entry?.ports ?? NO_PORTS, role !== "start"),
        deletable: false,
      };
      next.set(a.id, { key, node });
      return node;
    });
    nodeCache.current = next;
    return out;
  }, [body, problems, selected, sizes, portsByActivity, entryByKind]);
  // Framed once, when the canvas opens: every activity in view, like xyflow's fitView.
  const initial = useRef<Viewport | null>(null);
  if (frame && !initial.current) {
    initial.current = fittingViewport(nodes, frame.width, frame.height);
  }
  // Zoomed far out, cards are drawn as plain coloured blocks: far less to build and paint. Until
  // xyflow has applied the initial viewport, its zoom is the one to go by.
  const ready = useStore((s) => s.panZoom !== null);
  const zoomedFar = useStore((s) => s.transform[2] < FAR_ZOOM);
  const far = ready ? zoomedFar : (initial.current?.zoom ?? 1) < FAR_ZOOM;
  const large = nodes.length > LARGE_WORKFLOW;
  // While a large workflow moves zoomed far out, one drawing stands in for its DOM (FarDrawing).
  // `moving` ends a moment after the last movement: a wheel zoom is many short gestures, and
  // swapping the drawing for the DOM between two of them would cost more than it saves.
  const [moving, setMoving] = useState(false);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Once a movement is drawn, it stays drawn until the view rests, even if it zooms in past
  // FAR_ZOOM: switching to full cards mid-gesture would stall it; they come back at rest.
  const [stayDrawn, setStayDrawn] = useState(false);
  // Only real movement counts (d3-zoom also "starts" on a plain click), and not the auto-pan of
  // dragging a card to the edge: the dragged card must stay in view.
  const dragging = useRef(false);
  const moved = useCallback(() => {
    if (dragging.current) return;
    clearTimeout(settle.current);
    setMoving(true);
  }, []);
  const rested = useCallback(() => {
    clearTimeout(settle.current);
    settle.current = setTimeout(() => {
      setMoving(false);
      setStayDrawn(false);
    }, MOVE_SETTLE_MS);
  }, []);
  useEffect(() => () => clearTimeout(settle.current), []);
  const drawnMove = large && moving && (far || stayDrawn);
  if (drawnMove && !stayDrawn) setStayDrawn(true);
  // Whether xyflow keeps every card mounted far out, at rest and while the drawing stands in for
  // a move. With few off screen, mounting them once is cheaper than changing the set on every
  // frame of a move; with many, only those in view (mounting every card in a move's first frame
  // cost 1.2 s at 5,000 activities; `manyOffScreen` in build.ts). Read from the store's view,
  // which a move holds still: a move starting changes nothing mounted (when only those in view
  // were mounted at rest, its first frame mounted the rest — 200 cards at 1,000 activities,
  // 50–130 ms in Chromium).
  const mountAllFar = useStore((s) => {
    if (!large || !far || !s.width) return false;
    const [x, y, zoom] = s.transform;
    return !manyOffScreen(nodes, { x, y, zoom }, s.width, s.height);
  });
  // A large workflow that opens zoomed far out shows its drawing in the first frame and builds
  // its cards after it, a chunk at a time: the whole workflow is on screen at once, and between
  // two chunks the page answers a click (on the drawing: see `pickOnDrawing`) instead of waiting
  // for one long render of every card. Decided once, when the canvas opens: an edit later never
  // makes it "open" again.
  const opensDrawn = useRef<boolean | null>(null);
  if (opensDrawn.current === null && initial.current) opensDrawn.current = large && initial.current.zoom < FAR_ZOOM;
  // How many cards are handed to xyflow so far (all of them once built).
  const [builtCount, setBuiltCount] = useState(0);
  const [built, setBuilt] = useState(false);
  const building = opensDrawn.current === true && !built;
  // The same choice while the cards are built behind the drawing, made as the workflow opens.
  const visibleOnlyWhileBuilding = useRef<boolean | null>(null);
  if (visibleOnlyWhileBuilding.current === null && initial.current && frame) {
    visibleOnlyWhileBuilding.current = manyOffScreen(nodes, initial.current, frame.width, frame.height);
  }
  // Only cards: while the drawing stands in, the transitions are drawn (FarTransitions), not built.
  const toBuild = nodes.length;
  useEffect(() => {
    if (!building) return;
    if (builtCount >= toBuild) {
      setBuilt(true);
      return;
    }
    // The first step waits two frames: the one with the drawing is painted before any card is
    // built. Each later step is a task of its own, so input events run between two of them.
    let frameId = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = () => setBuiltCount(nextBuilt);
    if (builtCount === 0) {
      frameId = requestAnimationFrame(() => {
        frameId = requestAnimationFrame(step);
      });
    } else {
      timer = setTimeout(step, 0);
    }
    return () => {
      cancelAnimationFrame(frameId);
      clearTimeout(timer);
    };
  }, [building, builtCount, toBuild]);
  const drawn = building || drawnMove;
  // While the drawing stands in for a move, xyflow's store stays where the move began (heldViewport.ts).
  const heldView = useHeldViewport(initial.current, drawnMove, wrapper);
  // While building, xyflow gets the cards of the workflow as it opened, a
  // chunk more each step, and the same array between two steps: a click then (a selection)
  // changes the drawing, not what xyflow holds — each update of xyflow's store costs a pass over
  // every card it already has. The cards as they are now come with the last step.
  const opened = useRef<{ nodes: ActivityFlowNode[]; edges: TransitionFlowEdge[] } | null>(null);
  const step = useRef<{ count: number; nodes: ActivityFlowNode[] } | null>(null);
  // Every card mounted behind the drawing (few are off screen), else only those in view.
  // Every card mounted: behind the drawing as the workflow opens (few off screen), else far out.
  const mountAll = building ? !visibleOnlyWhileBuilding.current : mountAllFar;
  // Level of detail: blocks when zoomed far out, and while the drawing stands in.
  const lod = far || drawn;

  const edges: TransitionFlowEdge[] = useMemo(
    () =>
      (body?.transitions ?? []).map((t) => {
        const id = edgeId(t);
        const kind = kindById.get(t.from) ?? "";
        return {
          id,
          type: "transition" as const,
          source: t.from,
          sourceHandle: t.port,
          target: t.to,
          data: { port: t.port, showPort: (entryByKind.get(kind)?.ports.length ?? 1) > 1 },
          selected: edgeSelection.includes(id),
          className: dropEdge === id ? "drop-target" : undefined,
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          deletable: false,
        };
      }),
    [body, kindById, entryByKind, edgeSelection, dropEdge],
  );

  if (building && !opened.current) opened.current = { nodes, edges };
  let flowNodes = nodes;
  let flowEdges = edges;
  if (building && opened.current) {
    if (step.current?.count !== builtCount) {
      const all = opened.current;
      step.current = {
        count: builtCount,
        nodes: builtCount === 0 ? NO_NODES : all.nodes.slice(0, builtCount),
      };
    }
    flowNodes = step.current.nodes;
  }
  // Zoomed far out (and whenever the drawing stands in) the transitions are drawn, not xyflow's.
  if (lod) flowEdges = NO_EDGES;
  const drawingNodes = building && opened.current ? opened.current.nodes : nodes;
  const drawingEdges = building && opened.current ? opened.current.edges : edges;
  // Far out on a large workflow the drawing stays in the page, under the cards at rest: a move
  // then only skips the cards (making it as the move began cost that frame 80–150 ms in
  // Chromium). It follows every edit, so a dragged card never leaves its block behind.
  const keepDrawing = large && lod;
  const farShapes = useMemo(() => (keepDrawing ? farShapesOf(drawingNodes) : null), [keepDrawing, drawingNodes]);
  const transitionPaths = useMemo(() => (lod ? transitionPathsOf(drawingNodes, drawingEdges) : null), [lod, drawingNodes, drawingEdges]);
  const transitionsBox = useMemo(() => (lod ? drawingBox(drawingNodes) : null), [lod, drawingNodes]);
  const selectionPath = useMemo(() => (drawn ? selectionPathOf(nodes, selected) : ""), [drawn, nodes, selected]);

  const onNodesChange = useCallback((changes: NodeChange<ActivityFlowNode>[]) => {
    const moved: Record<string, { x: number; y: number }> = {};
    let sel: string[] | null = null;
    const newSizes: Record<string, Size> = {};
    for (const c of changes) {
      if (c.type === "position" && c.position && c.dragging) moved[c.id] = c.position;
      if (c.type === "dimensions" && c.dimensions) newSizes[c.id] = c.dimensions;
      if (c.type === "select") {
        sel = sel ?? [...useEditor.getState().selection];
        if (c.selected && !sel.includes(c.id)) sel.push(c.id);
        if (!c.selected) sel = sel.filter((x) => x !== c.id);
      }
    }
    if (Object.keys(moved).length) useEditor.getState().live(moveActivities(moved));
    if (sel) useEditor.getState().select(sel);
    if (Object.keys(newSizes).length) setSizes((s) => ({ ...s, ...newSizes }));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<TransitionFlowEdge>[]) => {
    setEdgeSelection((cur) => {
      let next = cur;
      for (const c of changes) {
        if (c.type === "select") next = c.selected ? [...next.filter((x) => x !== c.id), c.id] : next.filter((x) => x !== c.id);
      }
      return next;
    });
  }, []);

  const toFlow = (e: React.DragEvent | React.MouseEvent) => rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });

  // While the cards are being built the drawing stands in for them (they are there but hidden):
  // a click on a block of the drawing selects its activity at once, as a click on its card would.
  const cardAt = (p: { x: number; y: number }) =>
    nodes.find((n) => {
      const { width = 0, height = 0 } = n.measured ?? {};
      return p.x >= n.position.x && p.x <= n.position.x + width && p.y >= n.position.y && p.y <= n.position.y + height;
    });
  const pickOnDrawing = (e: React.MouseEvent) => {
    if (!building || e.button !== 0) return;
    const hit = cardAt(toFlow(e));
    if (!hit) return;
    const sel = useEditor.getState().selection;
    useEditor.getState().select(e.shiftKey || e.ctrlKey || e.metaKey ? [...sel.filter((x) => x !== hit.id), hit.id] : [hit.id]);
  };

  // Far out the transitions are drawn, not xyflow's: a click near one selects it, as a click on
  // xyflow's curve would (within a few pixels on screen, whatever the zoom).
  // A click on a block (hidden while the cards are built) is the block's, not a transition's.
  const pickTransition = (e: React.MouseEvent) => {
    if (comparing || !body) return;
    const p = toFlow(e);
    if (cardAt(p)) return;
    const hit = nearestTransition(p, body, portsOfKind, sizes, PICK_PX / rf.getViewport().zoom);
    const ids = hit ? [edgeId(hit)] : [];
    setEdgeSelection((cur) => (cur.length === ids.length && cur.every((id, i) => id === ids[i]) ? cur : ids));
    if (hit) useEditor.getState().select([]);
  };
  const clearEdgeSelection = useCallback(() => setEdgeSelection((cur) => (cur.length ? [] : cur)), []);

  // What xyflow is handed keeps its identity from one render to the next: a new handler (or array,
  // or object) makes xyflow update its store, or re-render every card (the card handlers go to
  // each one) — 60 ms at 1,000 activities in the frame a pan starts (Chromium's profiler). The
  // handlers read what changes through `latest`.
  const latest = useRef({ comparing, lod, pickTransition, clearEdgeSelection });
  latest.current = { comparing, lod, pickTransition, clearEdgeSelection };
  const handlers = useMemo(
    () => ({
      onInit: (i: ReactFlowInstance<ActivityFlowNode, TransitionFlowEdge>) => setFlow(i as unknown as ReactFlowInstance),
      onNodeDragStart: () => {
        dragging.current = true;
      },
      onNodeDragStop: () => {
        dragging.current = false;
        useEditor.getState().commit();
      },
      // Always set: xyflow leaves a card without pointer events when it can be neither dragged
      // nor selected, and a comparison's cards keep theirs (tooltips, the Changed badge).
      onNodeClick: () => {
        if (latest.current.lod) latest.current.clearEdgeSelection();
      },
      onConnect: (c: Connection) => {
        if (latest.current.comparing) return;
        if (c.source && c.target && c.sourceHandle) useEditor.getState().apply(connect({ from: c.source, port: c.sourceHandle, to: c.target }));
      },
      onNodeDoubleClick: (_: React.MouseEvent, n: ActivityFlowNode) => {
        if (!latest.current.comparing) useEditorUi.getState().openModal(n.id);
      },
      onNodeContextMenu: (e: React.MouseEvent, n: ActivityFlowNode) => {
        e.preventDefault();
        if (latest.current.comparing) return;
        const sel = useEditor.getState().selection;
        const targets = sel.includes(n.id) ? sel : [n.id];
        useEditor.getState().select(targets);
        useEditorUi.getState().openContextMenu(e.clientX, e.clientY, targets);
      },
      onSelectionContextMenu: (e: React.MouseEvent, ns: ActivityFlowNode[]) => {
        e.preventDefault();
        if (latest.current.comparing) return;
        useEditorUi.getState().openContextMenu(e.clientX, e.clientY, ns.map((n) => n.id));
      },
      onPaneContextMenu: (e: React.MouseEvent | MouseEvent) => {
        e.preventDefault();
        if (latest.current.comparing) return;
        useEditor.getState().select([]);
        const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        useEditorUi.getState().set({ pastePoint: p });
        useEditorUi.getState().openContextMenu(e.clientX, e.clientY, []);
      },
      onPaneClick: (e: React.MouseEvent) => {
        useEditorUi.getState().set({ sectionMenu: null, contextMenu: null });
        if (latest.current.lod) latest.current.pickTransition(e);
      },
    }),
    [rf],
  );

  const onDragOver = (e: React.DragEvent) => {
    if (comparing || !e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    const t = body ? nearestTransition(toFlow(e), body, portsOfKind, sizes) : null;
    const id = t ? edgeId(t) : null;
    if (id !== useEditorUi.getState().dropEdge) useEditorUi.getState().set({ dropEdge: id });
  };
  const onDrop = (e: React.DragEvent) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME) as ActivityKind;
    useEditorUi.getState().set({ dropEdge: null });
    if (!kind || !body || comparing) return;
    e.preventDefault();
    const p = toFlow(e);
    const t = nearestTransition(p, body, portsOfKind, sizes);
    const entry = catalog.find((c) => c.kind === kind);
    if (t && entry?.role !== "start" && entry?.role !== "finish") insertKind(kind, { type: "transition", transition: t });
    else insertKind(kind, { type: "point", x: p.x - 120, y: p.y - 32 });
  };

  return (
    <div
      className={`canvas${comparing ? " comparing" : ""}${large ? " large" : ""}${lod ? " far" : ""}${moving ? " moving" : ""}${drawn ? " drawn" : ""}`}
      ref={wrapper}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!wrapper.current?.contains(e.relatedTarget as Node)) useEditorUi.getState().set({ dropEdge: null });
      }}
      onDrop={onDrop}
      onClickCapture={pickOnDrawing}
      data-testid="canvas"
    >
      <FarContext.Provider value={lod}>
        {initial.current && (
          <ReactFlow<ActivityFlowNode, TransitionFlowEdge>
            nodes={flowNodes}
            edges={flowEdges}
            // Large workflows: only what is on screen is in the DOM — zoomed in, and far out when
            // many cards are off screen (at rest, while the drawing stands in as they open, during
            // a move).
            onlyRenderVisibleElements={large && !mountAll}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            {...handlers}
            {...heldView.flowProps}
            onMove={moved}
            onMoveEnd={rested}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            nodesDraggable={!comparing && !noEdit}
            nodesConnectable={!comparing && !noEdit}
            elementsSelectable={!comparing}
            deleteKeyCode={null}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={MULTI_SELECTION_KEYS}
            snapToGrid
            snapGrid={SNAP_GRID}
            defaultViewport={initial.current}
            minZoom={MIN_ZOOM}
            maxZoom={MAX_ZOOM}
            colorMode={theme}
            proOptions={PRO_OPTIONS}
          >
            {lod && transitionPaths && transitionsBox && (
              <FarTransitions paths={transitionPaths} box={transitionsBox} selected={edgeSelection} dropTarget={dropEdge} />
            )}
            {farShapes && <FarDrawing shapes={farShapes} selected={selectionPath} shown={drawn} />}
            {/* Zoomed far out the dots are a grey haze, and repainting them is a cost of every frame. */}
            {!lod && <Background variant={BackgroundVariant.Dots} gap={16} size={1.3} color="var(--canvas-dot)" />}
            <Controls showInteractive={false} />
            <MiniMap
              nodes={nodes}
              holding={heldView.holding}
              current={heldView.current}
              onHeldChange={heldView.onHeldChange}
              minZoom={MIN_ZOOM}
              maxZoom={MAX_ZOOM}
            />
          </ReactFlow>
        )}
      </FarContext.Provider>
      <EdgeDeleteKey selected={edgeSelection} clear={() => setEdgeSelection([])} />
    </div>
  );
}

/** Registers the selected transitions for the editor's Delete key. */
function EdgeDeleteKey({ selected, clear }: { selected: string[]; clear: () => void }) {
  selectedEdges.current = selected.map(parseEdgeId).filter((t) => t !== null);
  clearEdges.current = clear;
  return null;
}
export const selectedEdges: { current: { from: string; port: string; to: string }[] } = { current: [] };
export const clearEdges: { current: () => void } = { current: () => {} };

export function Canvas() {
  return (
    <ReactFlowProvider>
      <CanvasInner />
    </ReactFlowProvider>
  );
}
