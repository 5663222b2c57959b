//! Runs history: all workflows or one; filters by status, trigger, workflow and dates; newest or
//! oldest first; keyset pages loaded on scroll into a virtualised list (only visible rows are in
//! the DOM); View details on hover; two runs selected can be compared side by side.
import { Columns2, ExternalLink, History, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNav } from "../app/navStore";
import { RUN_STATUS_LABEL } from "../app/roles";
import { backend } from "../bridge";
import type { RunStatus, RunSummary, Trigger } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { coalesce, onLive } from "../operate/liveEvents";
import { useWorkflows } from "../workflows/workflowsStore";
import { RunCompare } from "./RunCompare";
import { type HistoryFilters, NO_FILTERS, shouldLoadMore, toRunFilter, visibleWindow } from "./history";
import { RunStatusBadge } from "./parts";
import { TRIGGER_LABEL, formatDuration, formatTime, isActive } from "./status";

const ROW = 44;
const PAGE = 50;

export function RunsScreen({ workflowId }: { workflowId: string | null }) {
  const [filters, setFilters] = useState<HistoryFilters>({ ...NO_FILTERS, workflowId });
  const [rows, setRows] = useState<RunSummary[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  const [picked, setPicked] = useState<number[]>([]);
  const [comparing, setComparing] = useState(false);
  const workflows = useWorkflows((s) => s.items);
  const go = useNav((s) => s.go);
  const list = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const reload = useCallback((f: HistoryFilters, keep = PAGE) => {
    const gen = ++generation.current;
    setLoading(true);
    backend
      .listRuns(toRunFilter(f), null, Math.max(PAGE, keep))
      .then((p) => {
        if (gen !== generation.current) return;
        setRows(p.runs);
        setNext(p.next);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)))
      .finally(() => {
        if (gen === generation.current) {
          setLoading(false);
          setLoaded(true);
        }
      });
  }, []);

  useEffect(() => {
    void useWorkflows.getState().refresh();
  }, []);
  useEffect(() => setFilters((f) => ({ ...f, workflowId })), [workflowId]);
  useEffect(() => {
    reload(filters);
    list.current?.scrollTo({ top: 0 });
  }, [filters, reload]);
  // Live: new runs and status changes refresh what is loaded (coalesced).
  const rowsRef = useRef(rows.length);
  rowsRef.current = rows.length;
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  useEffect(() => {
    const refresh = coalesce(() => reload(filtersRef.current, rowsRef.current), 250);
    return onLive((e) => {
      if (e.kind === "run_created" || e.kind === "purged" || (e.kind === "run_status" && !["running", "waiting_for_approval"].includes(e.payload.status))) refresh();
    });
  }, [reload]);

  const loadMore = useCallback(() => {
    if (loading || next === null) return;
    const gen = generation.current;
    setLoading(true);
    backend
      .listRuns(toRunFilter(filters), next, PAGE)
      .then((p) => {
        if (gen !== generation.current) return;
        setRows((r) => [...r, ...p.runs.filter((x) => !r.some((y) => y.id === x.id))]);
        setNext(p.next);
      })
      .catch((e) => setError(errorMessage(e)))
      .finally(() => gen === generation.current && setLoading(false));
  }, [filters, loading, next]);

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const win = visibleWindow(scroll.top, scroll.height, ROW, rows.length);
  useEffect(() => {
    if (shouldLoadMore(win.last, rows.length, next !== null)) loadMore();
  }, [win.last, rows.length, next, loadMore]);

  const set = (patch: Partial<HistoryFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const name = workflows.find((w) => w.id === filters.workflowId)?.name;
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const filtered = filters.status || filters.trigger || filters.from || filters.to;

  return (
    <div className="page runs-page">
      <div className="page-inner wide runs-inner">
        <div className="page-head">
          <div>
            <h1>{filters.workflowId ? `Runs of ${name ?? filters.workflowId}` : "Runs"}</h1>
            <p>Every execution{filters.workflowId ? " of this workflow" : " of every workflow"}, {filters.order === "newest" ? "newest" : "oldest"} first.</p>
          </div>
          <div className="spacer" />
          {picked.length > 0 && (
            <button type="button" className="btn" onClick={() => setPicked([])}>
              <X size={14} /> Clear selection
            </button>
          )}
          <button type="button" className="btn primary" disabled={picked.length !== 2} title={picked.length === 2 ? "Compare the two selected runs" : "Select two runs to compare"} onClick={() => setComparing(true)}>
            <Columns2 size={14} /> Compare{picked.length ? ` (${picked.length}/2)` : ""}
          </button>
        </div>
        <div className="filter-bar" role="search" aria-label="Filter runs">
          <select className="select" aria-label="Status" value={filters.status} onChange={(e) => set({ status: e.target.value as RunStatus | "" })}>
            <option value="">All statuses</option>
            {Object.entries(RUN_STATUS_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
          <select className="select" aria-label="Trigger" value={filters.trigger} onChange={(e) => set({ trigger: e.target.value as Trigger | "" })}>
            <option value="">All triggers</option>
            {Object.entries(TRIGGER_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
          <select className="select" aria-label="Workflow" value={filters.workflowId ?? ""} onChange={(e) => set({ workflowId: e.target.value || null })}>
            <option value="">All workflows</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
          <label className="date">
            From <input className="input" type="date" aria-label="From date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label className="date">
            To <input className="input" type="date" aria-label="To date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
          </label>
          <select className="select" aria-label="Sort" value={filters.order} onChange={(e) => set({ order: e.target.value as "newest" | "oldest" })}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
          {filtered && (
            <button type="button" className="btn ghost sm" onClick={() => set({ ...NO_FILTERS })}>
              Reset
            </button>
          )}
        </div>
        {error && <p className="sev-error">{error}</p>}
        <div className="runs-table" role="table" aria-label="Runs" aria-rowcount={rows.length}>
          <div className="rt-row rt-head" role="row">
            <span role="columnheader" className="c-pick" />
            <span role="columnheader">Status</span>
            <span role="columnheader">Workflow</span>
            <span role="columnheader">Trigger</span>
            <span role="columnheader">Started</span>
            <span role="columnheader">Duration</span>
            <span role="columnheader">Revision</span>
            <span role="columnheader" className="c-act" />
          </div>
          <div className="rt-body" ref={list} data-testid="runs-scroll" onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
            {loaded && rows.length === 0 && (
              <div className="empty slim">
                <h3>{filtered ? "No runs match these filters" : "No runs yet"}</h3>
                <p>{filtered ? "Loosen a filter or reset them." : "Use Run now on a workflow to start one."}</p>
              </div>
            )}
            <div style={{ height: rows.length * ROW, position: "relative" }}>
              {rows.slice(win.first, win.last).map((r, i) => (
                <div
                  key={r.id}
                  role="row"
                  aria-rowindex={win.first + i + 1}
                  className={`rt-row${picked.includes(r.id) ? " picked" : ""}`}
                  style={{ position: "absolute", top: (win.first + i) * ROW, left: 0, right: 0, height: ROW }}
                  data-testid="run-row"
                  data-run={r.id}
                  onDoubleClick={() => void go({ name: "run", id: r.id })}
                >
                  <span role="cell" className="c-pick">
                    <input type="checkbox" aria-label={`Select run ${r.id} to compare`} checked={picked.includes(r.id)} onChange={() => toggle(r.id)} />
                  </span>
                  <span role="cell">
                    <RunStatusBadge status={r.status} />
                  </span>
                  <span role="cell" className="c-wf">
                    {r.workflowName}
                    <span className="muted"> #{r.id}</span>
                  </span>
                  <span role="cell">
                    {TRIGGER_LABEL[r.trigger]}
                    {r.parentRun ? <span className="muted"> · of #{r.parentRun}</span> : null}
                  </span>
                  <span role="cell" className="num">
                    {formatTime(r.startedAt ?? r.createdAt)}
                  </span>
                  <span role="cell" className="num">
                    {formatDuration(r.startedAt, r.endedAt)}
                  </span>
                  <span role="cell" className="num">
                    {r.revision}
                  </span>
                  <span role="cell" className="c-act">
                    <button type="button" className="btn sm view-details" onClick={() => void go({ name: "run", id: r.id })}>
                      <ExternalLink size={13} /> View details
                    </button>
                    {!isActive(r.status) && (
                      <button
                        type="button"
                        className="btn sm icon view-details"
                        aria-label={`Replay run ${r.id} on the canvas`}
                        data-tip="Replay on canvas"
                        onClick={() => void go({ name: "editor", id: r.workflowId, runId: r.id, replay: true })}
                      >
                        <History size={13} />
                      </button>
                    )}
                  </span>
                </div>
              ))}
            </div>
          </div>
          <div className="rt-foot muted" data-testid="runs-count">
            {rows.length} run{rows.length === 1 ? "" : "s"} loaded{next !== null ? " · scroll for more" : ""}
            {loading ? " · loading…" : ""}
          </div>
        </div>
      </div>
      {comparing && picked.length === 2 && <RunCompare ids={picked as [number, number]} onClose={() => setComparing(false)} />}
    </div>
  );
}
