//! Two runs on one canvas: per activity each run's state and count, per transition each run's
//! count (`574 | 612`), and what differs. Drawn on the later revision's graph; an activity or a
//! transition only the earlier revision had is added back as a ghost when its run went there. The states come
//! from the engine's task records, folded as the run canvas folds them (`activityStates`).
import type { Activity, EdgeRecord, RunSummary, TaskRecord, WorkflowFile } from "../bridge/types";
import { type ActivityRunState, activityStates, edgeKey } from "../operate/canvasRun";
import { taskLabel } from "../runs/status";

/** One run as loaded for the comparison: its record, tasks, transitions and revision's file. */
export type RunSide = { run: RunSummary; tasks: TaskRecord[]; edges: EdgeRecord[]; body: WorkflowFile };

/** One run's side of an activity. */
export type SideState = {
  /** `absent`: not in this run's revision; `not-reached`: there, but the run did not get to it. */
  visual: ActivityRunState["visual"] | "not-reached" | "absent";
  /** The state in words (`Succeeded`, `Failed`, `Not reached`, `Not in rev 2`). */
  label: string;
  /** Records its last task handed on, when it handles records. */
  records: number | null;
  /** How many times it ran (tasks). */
  runs: number;
};

/** What differs between the two runs at an activity. */
export type Difference = "state" | "count" | "reached" | "revision";

export type RunsNodeMark = { a: SideState; b: SideState; differs: Difference[] };

/** One run's count on a transition: records when records went through, else times taken; null when not in its revision. */
export type RunsEdgeMark = { a: number | null; b: number | null; differs: boolean };

export type RunsView = {
  mode: "runs";
  a: RunSummary;
  b: RunSummary;
  /** The later revision's graph (plus ghosts of activities only the earlier run reached). */
  body: WorkflowFile;
  /** Every activity drawn. */
  nodes: Record<string, RunsNodeMark>;
  /** Every transition drawn, by `edgeKey`. */
  edges: Record<string, RunsEdgeMark>;
};

function side(s: RunSide, id: string, states: Record<string, ActivityRunState>): SideState {
  const st = states[id];
  if (st) {
    const last = st.tasks[st.tasks.length - 1];
    return { visual: st.visual, label: taskLabel(last), records: st.recordCount, runs: st.tasks.length };
  }
  if (!s.body.activities.some((a) => a.id === id)) return { visual: "absent", label: `Not in rev ${s.run.revision}`, records: null, runs: 0 };
  return { visual: "not-reached", label: "Not reached", records: null, runs: 0 };
}

/** Whether a run got to an activity: a branch not taken is recorded as a skipped task. */
const reached = (s: SideState) => s.runs > 0 && s.visual !== "skipped";

function differences(a: SideState, b: SideState): Difference[] {
  const out: Difference[] = [];
  if ((a.visual === "absent") !== (b.visual === "absent")) out.push("revision");
  if (reached(a) !== reached(b)) out.push("reached");
  else if (a.visual !== b.visual || a.label !== b.label) out.push("state");
  if (reached(a) && reached(b) && (a.records !== b.records || a.runs !== b.runs)) out.push("count");
  return out;
}

/** Compares two runs of one workflow, activity by activity and transition by transition. */
export function runsView(a: RunSide, b: RunSide): RunsView {
  // Ties go to `b`: two runs of the same revision draw it once.
  const [early, late] = a.run.revision > b.run.revision ? [b, a] : [a, b];
  const statesA = activityStates(a.tasks);
  const statesB = activityStates(b.tasks);
  const earlyStates = early === a ? statesA : statesB;
  const lateIds = new Set(late.body.activities.map((x) => x.id));
  const ghosts: Activity[] = early.body.activities.filter((x) => !lateIds.has(x.id) && earlyStates[x.id]);
  const ghostIds = new Set(ghosts.map((x) => x.id));
  // Transitions only the earlier revision had: drawn when they touch a ghost or its run took them.
  const lateKeys = new Set(late.body.transitions.map(edgeKey));
  const drawn = (id: string) => lateIds.has(id) || ghostIds.has(id);
  const earlyTook = new Set(early.edges.filter((e) => e.taken > 0).map(edgeKey));
  const ghostEdges = early.body.transitions.filter(
    (t) => !lateKeys.has(edgeKey(t)) && drawn(t.from) && drawn(t.to) && (ghostIds.has(t.from) || ghostIds.has(t.to) || earlyTook.has(edgeKey(t))),
  );
  const body: WorkflowFile = { ...late.body, activities: [...late.body.activities, ...ghosts], transitions: [...late.body.transitions, ...ghostEdges] };

  const nodes: Record<string, RunsNodeMark> = {};
  for (const x of body.activities) {
    const sa = side(a, x.id, statesA);
    const sb = side(b, x.id, statesB);
    nodes[x.id] = { a: sa, b: sb, differs: differences(sa, sb) };
  }
  const count = (s: RunSide, key: string, useRecords: boolean): number | null => {
    const r = s.edges.find((e) => edgeKey(e) === key);
    if (!r) return s.body.transitions.some((t) => edgeKey(t) === key) ? 0 : null;
    return useRecords ? (r.records ?? 0) : r.taken;
  };
  const edges: Record<string, RunsEdgeMark> = {};
  for (const t of body.transitions) {
    const key = edgeKey(t);
    const records = [a, b].some((s) => s.edges.some((e) => edgeKey(e) === key && e.records !== null));
    const ca = count(a, key, records);
    const cb = count(b, key, records);
    edges[key] = { a: ca, b: cb, differs: ca !== cb };
  }
  return { mode: "runs", a: a.run, b: b.run, body, nodes, edges };
}

/** A side's count on a card: records, else how many times it ran when more than once. */
export function sideCount(s: SideState): string {
  if (s.records !== null) return String(s.records);
  return s.runs > 1 ? `×${s.runs}` : "";
}

/** A transition's label: `574 | 612` (`—` where the transition is not in a run's revision). */
export const edgePair = (e: RunsEdgeMark) => `${e.a ?? "—"} | ${e.b ?? "—"}`;
