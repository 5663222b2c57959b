//! The replay timeline under the canvas: plays a past run's recorded history in order (play,
//! pause, speed), or shows any moment dragged to; the overlay of cards and transitions follows
//! the playhead. The history is read in pages (`runTimeline`) while the first ones play.
//! Escape or × leaves the replay and the canvas shows the run as it ended.
import { Pause, Play, RotateCcw, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { backend } from "../bridge";
import type { RunSummary, TimelineCursor } from "../bridge/types";
import { errorMessage } from "../bridge/types";
import { formatTime } from "../runs/status";
import { useCanvasRun } from "./canvasRun";
import { Replayer, SPEEDS, clockLabel } from "./replay";

/** Entries a page (the engine's most): a page costs the store about what a scan of the run's
 * tasks costs, whatever its size, so a 10,000-task run (some 50,000 entries) is read in ten
 * pages while the first plays. */
const PAGE = 5_000;

/** The bar, while a run is replayed. */
export function ReplayBar() {
  const replay = useCanvasRun((s) => s.replay);
  return replay === null ? null : <ReplayPlayer key={replay} runId={replay} />;
}

/** The slowest speed that plays the whole run within a minute. */
const speedFor = (durationMs: number) => SPEEDS.find((s) => durationMs / s <= 60_000) ?? SPEEDS[SPEEDS.length - 1];

function ReplayPlayer({ runId }: { runId: number }) {
  const replayer = useRef(new Replayer());
  const [run, setRun] = useState<RunSummary | null>(null);
  const [last, setLast] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(0);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [t, setT] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const tRef = useRef(0);
  tRef.current = t;

  // Read the history page by page; each page can be played as soon as it arrives.
  useEffect(() => {
    let live = true;
    void (async () => {
      let after: TimelineCursor | null = null;
      for (;;) {
        const page = await backend.runTimeline(runId, after, PAGE);
        if (!live) return;
        if (after === null) {
          setRun(page.run);
          const end = page.run.endedAt ?? page.run.createdAt;
          setSpeed(speedFor(end - page.run.createdAt));
        }
        replayer.current.append(page.entries);
        const tail = page.entries[page.entries.length - 1];
        if (tail) setLast(tail.at);
        setLoaded(replayer.current.length);
        if (!page.next) break;
        after = page.next;
      }
      setDone(true);
    })().catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [runId]);

  const start = run?.createdAt ?? 0;
  const duration = run ? Math.max((run.endedAt ?? 0) - start, (last ?? start) - start, 0) : 0;

  // The overlay as of the playhead (and again when a page arrives).
  useEffect(() => {
    if (!run || loaded === 0) return;
    const frame = replayer.current.seek(start + t);
    useCanvasRun.getState().set({ byActivity: frame.byActivity, edges: frame.edges });
  }, [run, start, t, loaded]);

  // Playing: the playhead moves with the clock at the chosen speed, and stops at the end.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let before = performance.now();
    const step = (now: number) => {
      const next = Math.min(duration, tRef.current + (now - before) * speed);
      before = now;
      setT(next);
      if (next >= duration) setPlaying(false);
      else frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, duration]);

  const close = useCallback(() => useCanvasRun.getState().set({ replay: null }), []);
  const toggle = useCallback(() => {
    if (!playing && tRef.current >= duration) setT(0);
    setPlaying(!playing);
  }, [playing, duration]);

  // Escape leaves, unless it closes something on top first (a menu, a dialog) or a field is being
  // typed in. (Space is left to the canvas, where holding it pans.)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA") && el.getAttribute("type") !== "range") return;
      if (document.querySelector('[role="menu"], [role="dialog"], [role="alertdialog"], .overlay')) return;
      close();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [close]);

  const fraction = duration > 0 ? t / duration : 0;
  return (
    <div className="replay-bar" data-testid="replay-bar" role="group" aria-label={`Replay of run #${runId}`}>
      <span className="badge accent" data-tip="The canvas shows this run as it was at the moment below">
        Replay · run #{runId}
      </span>
      <button type="button" className="btn sm icon" aria-label={playing ? "Pause" : "Play"} data-tip={playing ? "Pause" : "Play"} onClick={toggle} disabled={!run}>
        {playing ? <Pause size={15} /> : <Play size={15} />}
      </button>
      <button
        type="button"
        className="btn ghost sm icon"
        aria-label="Back to the start"
        data-tip="Back to the start"
        onClick={() => {
          setPlaying(false);
          setT(0);
        }}
      >
        <RotateCcw size={14} />
      </button>
      <select className="select sm" aria-label="Speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
      <span className="replay-time" data-testid="replay-time">
        {clockLabel(t)}
      </span>
      <div className="replay-track">
        <div className="replay-loaded" style={{ width: done ? "100%" : `${duration > 0 && last !== null ? ((last - start) / duration) * 100 : 0}%` }} />
        <div className="replay-played" style={{ width: `${fraction * 100}%` }} />
        <input
          type="range"
          className="replay-scrubber"
          aria-label="Moment of the run"
          data-testid="replay-scrubber"
          min={0}
          max={Math.max(duration, 1)}
          step={1}
          value={Math.round(t)}
          disabled={!run}
          aria-valuetext={`${clockLabel(t)} of ${clockLabel(duration)}`}
          onChange={(e) => {
            setPlaying(false);
            setT(Number(e.target.value));
          }}
        />
      </div>
      <span className="replay-time muted" data-testid="replay-duration">
        {clockLabel(duration)}
      </span>
      <span className="replay-at muted" data-tip="The moment shown">
        {run ? formatTime(start + t) : "Loading…"}
      </span>
      {!done && !error && <span className="muted">reading {loaded.toLocaleString()} entries…</span>}
      {error && <span className="sev-error">{error}</span>}
      <button type="button" className="btn ghost icon" aria-label="Leave the replay" data-tip="Leave the replay (Escape)" onClick={close}>
        <X size={15} />
      </button>
    </div>
  );
}
