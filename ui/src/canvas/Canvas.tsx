//! The workflow canvas: activities and transitions from the editor store, drag/drop from the
//! palette (onto the canvas or onto a transition), selection, connections, context menu.
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
  useReactFlow,
  ReactFlowProvider,
  useStore,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState } from "react";
import { portsOfKind, useCatalog } from "../app/catalogStore";
import { useTheme } from "../app/themeStore";
import type { ActivityKind } from "../bridge/types";
import { insertKind } from "../editor/actions";
import { connect, moveActivities } from "../editor/edits";
import { useBody, useEditor } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import { byActivity, useValidation } from "../problems/validationStore";
import { ActivityNode, type ActivityFlowNode } from "./ActivityNode";
import { setFlow } from "./flowRef";
import { edgeId, nearestTransition, parseEdgeId } from "./geometry";
import type { Size } from "./layout";
import { TransitionEdge, type TransitionFlowEdge } from "./TransitionEdge";

// Module scope: a new object per render would remount every node.
const nodeTypes = { activity: ActivityNode };
const edgeTypes = { transition: TransitionEdge };
const NO_PROBLEMS: never[] = [];
const NO_PORTS: string[] = [];

/** Below this zoom, activities show as plain blocks (labels are unreadable there anyway). */
const FAR_ZOOM = 0.45;

/** Above this many activities the canvas renders only the visible ones. */
const LARGE_WORKFLOW = 300;

export const PALETTE_MIME = "application/x-weft-kind";

function CanvasInner() {
  const body = useBody();
  const selection = useEditor((s) => s.selection);
  const diagnostics = useValidation((s) => s.diagnostics);
  const dropEdge = useEditorUi((s) => s.dropEdge);
  const catalog = useCatalog((s) => s.entries);
  const theme = useTheme((s) => s.resolved);
  const [sizes, setSizes] = useState<Record<string, Size>>({});
  const [edgeSelection, setEdgeSelection] = useState<string[]>([]);
  const rf = useReactFlow();
  // Zoomed far out, cards are drawn as plain coloured blocks (CSS): far less to paint per frame.
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const wrapper = useRef<HTMLDivElement>(null);

  const problems = useMemo(() => byActivity(diagnostics), [diagnostics]);
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
  const portCount = useMemo(() => new Map(catalog.map((c) => [c.kind as string, c.ports.length])), [catalog]);
  // Node objects are reused while what they show is unchanged, so that panning (which mounts
  // nodes and reports their sizes) re-renders only the nodes that changed.
  const nodeCache = useRef(new Map<string, { key: unknown[]; node: ActivityFlowNode }>());
  const nodes: ActivityFlowNode[] = useMemo(() => {
    const cache = nodeCache.current;
    const next = new Map<string, { key: unknown[]; node: ActivityFlowNode }>();
    const out = (body?.activities ?? []).map((a) => {
      const key = [a, problems.get(a.id) ?? NO_PROBLEMS, portsByActivity.get(a.id) ?? NO_PORTS, selection.includes(a.id), sizes[a.id]];
      const hit = cache.get(a.id);
      if (hit && hit.key.every((k, i) => k === key[i])) {
        next.set(a.id, hit);
        return hit.node;
      }
      const node: ActivityFlowNode = {
        id: a.id,
        type: "activity" as const,
        position: a.position,
        data: { activity: a, problems: key[1] as typeof NO_PROBLEMS, connectedPorts: key[2] as string[] },
        selected: key[3] as boolean,
        measured: sizes[a.id],
        deletable: false,
      };
      next.set(a.id, { key, node });
      return node;
    });
    nodeCache.current = next;
    return out;
  }, [body, problems, selection, sizes, portsByActivity]);
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
          data: { port: t.port, showPort: (portCount.get(kind) ?? 1) > 1 },
          selected: edgeSelection.includes(id),
          className: dropEdge === id ? "drop-target" : undefined,
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          deletable: false,
        };
      }),
    [body, kindById, portCount, edgeSelection, dropEdge],
  );

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

  const onDragOver = (e: React.DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    const t = body ? nearestTransition(toFlow(e), body, portsOfKind, sizes) : null;
    const id = t ? edgeId(t) : null;
    if (id !== useEditorUi.getState().dropEdge) useEditorUi.getState().set({ dropEdge: id });
  };
  const onDrop = (e: React.DragEvent) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME) as ActivityKind;
    useEditorUi.getState().set({ dropEdge: null });
    if (!kind || !body) return;
    e.preventDefault();
    const p = toFlow(e);
    const t = nearestTransition(p, body, portsOfKind, sizes);
    const entry = catalog.find((c) => c.kind === kind);
    if (t && entry?.role !== "start" && entry?.role !== "finish") insertKind(kind, { type: "transition", transition: t });
    else insertKind(kind, { type: "point", x: p.x - 120, y: p.y - 32 });
  };

  return (
    <div
      className={`canvas${(body?.activities.length ?? 0) > LARGE_WORKFLOW ? " large" : ""}${far ? " far" : ""}`}
      ref={wrapper}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!wrapper.current?.contains(e.relatedTarget as Node)) useEditorUi.getState().set({ dropEdge: null });
      }}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <ReactFlow<ActivityFlowNode, TransitionFlowEdge>
        nodes={nodes}
        edges={edges}
        // Large workflows: only what is on screen is in the DOM (pan and zoom stay smooth).
        onlyRenderVisibleElements={nodes.length > LARGE_WORKFLOW}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onInit={(i: ReactFlowInstance<ActivityFlowNode, TransitionFlowEdge>) => setFlow(i as unknown as ReactFlowInstance)}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={() => useEditor.getState().commit()}
        onConnect={(c) => {
          if (c.source && c.target && c.sourceHandle) useEditor.getState().apply(connect({ from: c.source, port: c.sourceHandle, to: c.target }));
        }}
        onNodeDoubleClick={(_, n) => useEditorUi.getState().openModal(n.id)}
        onNodeContextMenu={(e, n) => {
          e.preventDefault();
          const sel = useEditor.getState().selection;
          const targets = sel.includes(n.id) ? sel : [n.id];
          useEditor.getState().select(targets);
          useEditorUi.getState().openContextMenu(e.clientX, e.clientY, targets);
        }}
        onSelectionContextMenu={(e, ns) => {
          e.preventDefault();
          useEditorUi.getState().openContextMenu(e.clientX, e.clientY, ns.map((n) => n.id));
        }}
        onPaneContextMenu={(e) => {
          e.preventDefault();
          useEditor.getState().select([]);
          const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
          useEditorUi.getState().set({ pastePoint: p });
          useEditorUi.getState().openContextMenu(e.clientX, e.clientY, []);
        }}
        onPaneClick={() => useEditorUi.getState().set({ sectionMenu: null, contextMenu: null })}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        snapToGrid
        snapGrid={[16, 16]}
        fitView
        fitViewOptions={{ padding: 0.25, maxZoom: 1.1 }}
        minZoom={0.15}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.3} color="var(--canvas-dot)" />
        <Controls className="weft-no-export" showInteractive={false} />
        <MiniMap
          className="weft-no-export"
          pannable
          zoomable
          nodeColor={(n) => `var(--role-${(n.data as { activity: { role: string } }).activity.role ?? "action"})`}
          nodeBorderRadius={6}
          maskColor="color-mix(in srgb, var(--canvas-bg) 70%, transparent)"
        />
      </ReactFlow>
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
