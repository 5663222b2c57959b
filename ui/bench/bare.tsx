// The baseline of `make bench-canvas`: the same workflow file drawn by a bare @xyflow/react
// canvas — default nodes and edges, no app code — so the app's canvas is measured side by side
// with what the library does alone, in the same browser engine, in the same run.
import { type Edge, type Node, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { createRoot } from "react-dom/client";
import { watchOpen } from "./watch-open.js";

type Activity = { id: string; label?: string; position?: { x: number; y: number } };
type Transition = { from: string; to: string; port?: string };
type Flow = { activities: Activity[]; transitions: Transition[] };

const flow: Flow = await (await fetch(new URL("graph.json", location.href))).json();
const nodes: Node[] = flow.activities.map((a) => ({
  id: a.id,
  position: a.position ?? { x: 0, y: 0 },
  data: { label: a.label ?? a.id },
}));
const edges: Edge[] = flow.transitions.map((t, i) => ({
  id: `e${i}`,
  source: t.from,
  target: t.to,
  label: t.port,
}));

// Timed from the page's start, fetching the file included.
watchOpen(0, Math.min(20, nodes.length));
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <ReactFlow defaultNodes={nodes} defaultEdges={edges} fitView minZoom={0.02} onlyRenderVisibleElements={false} />,
  );
}
