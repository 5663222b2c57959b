// Times how a canvas opens, in the page itself, frame by frame: `picture` is the first frame with
// the workflow on screen (the app's far drawing, or any drawn node), `clickable` the first frame
// with cards and transitions built (at least `n` of each, shown; far out the app draws its
// transitions in one SVG, `.far-transitions`, where xyflow's page has its edges). Milliseconds after `origin`
// (performance.now() of the click on Open; 0 for a page that opens the canvas as it loads), in
// window.__open. Used by the bare page (bench/bare.tsx) and injected into the app by
// tests/bench/canvas-stress.mjs, so that both are timed by the same code.
export function watchOpen(origin, n) {
  window.__open = {};
  const look = (t) => {
    const open = window.__open;
    const nodes = document.querySelectorAll(".react-flow__node");
    const first = nodes[0];
    const drawn = first !== undefined && getComputedStyle(first).visibility !== "hidden";
    if (open.picture === undefined && (document.querySelector(".far-drawing.shown") || drawn)) open.picture = t - origin;
    if (drawn && nodes.length >= n && document.querySelectorAll(".react-flow__edge, .far-transitions path").length >= n) {
      let shown = 0;
      for (let i = 0; i < n; i++) if (getComputedStyle(nodes[i]).visibility !== "hidden") shown += 1;
      if (shown >= n) {
        open.clickable = t - origin;
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
