//! A revision diff (the engine's `diff_revisions`) as marks on the canvas: the later revision's
//! graph, with the activities and transitions the earlier one had and the later one dropped
//! added back as ghosts, and per activity and transition what happened to it. Nothing here
//! compares workflows: the engine's diff says what changed, this only says where to draw it.
import type { Activity, FieldChange, Position, RevisionDiff, WorkflowFile } from "../bridge/types";
import { edgeKey } from "../operate/canvasRun";

/** What happened to an activity from the earlier revision to the later one. */
export type DiffNodeMark = {
  /** `removed`: drawn as a ghost card from the earlier revision. */
  status: "added" | "removed" | "same";
  /** Moved on the canvas: where it was. */
  movedFrom: Position | null;
  /** Its fields that changed, with before and after. */
  changes: FieldChange[];
};

/** What happened to a transition. */
export type DiffEdgeMark = "added" | "removed";

export type DiffView = {
  mode: "diff";
  from: number;
  to: number;
  /** The later revision, with the removed activities and transitions added back as ghosts. */
  body: WorkflowFile;
  /** Only activities with a mark (added, removed, moved or changed). */
  nodes: Record<string, DiffNodeMark>;
  /** Only added or removed transitions, by `edgeKey`. */
  edges: Record<string, DiffEdgeMark>;
  /** Changes of the workflow itself (name, parameters, retry…), shown beside the legend. */
  settings: FieldChange[];
};

/** How many of each mark a diff view holds (the legend's figures). */
export function diffCounts(v: DiffView) {
  const marks = Object.values(v.nodes);
  const edges = Object.values(v.edges);
  return {
    added: marks.filter((m) => m.status === "added").length,
    removed: marks.filter((m) => m.status === "removed").length,
    moved: marks.filter((m) => m.movedFrom !== null).length,
    changed: marks.filter((m) => m.changes.length > 0).length,
    transitionsAdded: edges.filter((e) => e === "added").length,
    transitionsRemoved: edges.filter((e) => e === "removed").length,
  };
}

/** The diff of `before` → `after` (revisions `d.from` → `d.to`) as a view of the canvas. */
export function diffView(before: WorkflowFile, after: WorkflowFile, d: RevisionDiff): DiffView {
  const c = d.diff;
  const nodes: Record<string, DiffNodeMark> = {};
  const mark = (id: string) => {
    nodes[id] ??= { status: "same", movedFrom: null, changes: [] };
    return nodes[id];
  };
  for (const a of c.added) mark(a.id).status = "added";
  for (const a of c.removed) mark(a.id).status = "removed";
  for (const m of c.moved) mark(m.id).movedFrom = m.before;
  for (const f of c.changed) if (f.activity !== null) mark(f.activity).changes.push(f);
  const inAfter = new Set(after.activities.map((a) => a.id));
  const removedIds = new Set(c.removed.map((a) => a.id));
  const ghosts: Activity[] = before.activities.filter((a) => removedIds.has(a.id) && !inAfter.has(a.id));
  const edges: Record<string, DiffEdgeMark> = {};
  for (const t of c.transitionsAdded) edges[edgeKey(t)] = "added";
  const present = new Set(after.transitions.map(edgeKey));
  const ghostEdges = c.transitionsRemoved.filter((t) => !present.has(edgeKey(t)));
  for (const t of ghostEdges) edges[edgeKey(t)] = "removed";
  return {
    mode: "diff",
    from: d.from,
    to: d.to,
    body: { ...after, activities: [...after.activities, ...ghosts], transitions: [...after.transitions, ...ghostEdges] },
    nodes,
    edges,
    settings: c.changed.filter((f) => f.activity === null),
  };
}

const shown = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "string" ? `“${v}”` : JSON.stringify(v));

/** A changed field as a line: `config.command: “echo one” → “echo two”`. */
export const changeLine = (f: FieldChange) => `${f.field}: ${shown(f.before)} → ${shown(f.after)}`;
