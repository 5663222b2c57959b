// Canvas stress benchmark (not a test): imports a workflow of 1,000 activities and 1,200
// transitions into the built UI, served with a fresh store by a real `weft serve --http`, in
// Debian's Chromium, measures how long it takes to
// open, then frames per second while panning and zooming. `make bench-canvas` runs it.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startEngine } from "../browser/weft-server.mjs";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = process.env.DIST ?? join(ui, "dist");
if (!existsSync(join(dist, "index.html"))) throw new Error("build the UI first (npm run build)");

const N = Number(process.env.NODES ?? 1000);
const EXTRA = Number(process.env.EXTRA_EDGES ?? 200);
const ZP = Number(process.env.ZOOM_PERIOD ?? 30);
const activities = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} }];
const transitions = [];
const cols = 25;
for (let i = 0; i < N; i++) {
  activities.push({ id: `a${i}`, kind: "set_variables", label: `Step ${i}`, position: { x: (i % cols) * 260, y: 140 + Math.floor(i / cols) * 130 }, config: { variables: {} } });
  transitions.push({ from: i === 0 ? "start" : `a${i - 1}`, port: "ok", to: `a${i}` });
}
activities.push({ id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 140 + Math.ceil(N / cols) * 130 }, config: {} });
transitions.push({ from: `a${N - 1}`, port: "ok", to: "finish" });
for (let k = 0; k < EXTRA - 1; k++) {
  const from = (k * 7) % (N - 10);
  transitions.push({ from: `a${from}`, port: process.env.EXTRA_PORT ?? "ok", to: `a${from + 5 + (k % 4)}` });
}
const file = join(mkdtempSync(join(tmpdir(), "weft-stress-")), "stress.weft.json");
writeFileSync(file, JSON.stringify({ format: 1, name: `Stress ${N}`, activities, transitions }));
if (process.env.FILE) {
  const body = JSON.parse((await import("node:fs")).readFileSync(process.env.FILE, "utf8"));
  body.name = `Stress ${N}`;
  writeFileSync(file, JSON.stringify(body));
}

const { server, stop } = await startEngine([]);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await server.authorize(context);
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
await page.goto(server.url);
await page.getByTestId("import-file").setInputFiles(file);
const card = page.getByTestId("workflow-card").filter({ hasText: `Stress ${N}` });
await card.waitFor({ timeout: 30000 });
// First picture: the first frame with the whole workflow on screen (the far drawing or cards),
// timed in the page from the click.
await page.evaluate(() => {
  window.__picture = null;
  document.addEventListener("click", () => { window.__clicked = performance.now(); }, { capture: true, once: true });
  const look = () => {
    const shown = document.querySelector(".far-drawing") || [...document.querySelectorAll(".react-flow__node")].some((e) => getComputedStyle(e).visibility !== "hidden");
    if (shown && window.__clicked) window.__picture = performance.now() - window.__clicked;
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
});
const t0 = Date.now();
await card.getByRole("button", { name: "Open" }).click();
try {
  await page.locator(".react-flow__node").first().waitFor({ timeout: 30000 });
} catch (e) {
  await page.screenshot({ path: join(tmpdir(), "weft-stress-failure.png") });
  throw new Error(`the canvas did not open (screenshot in ${tmpdir()}/weft-stress-failure.png): ${errors.join("; ")} ${e.message}`);
}
// Open = cards visible and transitions drawn, then two animation frames so that the frame with
// them has been painted.
await page.waitForFunction(
  (n) => {
    const nodes = document.querySelectorAll(".react-flow__node");
    const shown = [...nodes].filter((e) => getComputedStyle(e).visibility !== "hidden").length;
    return shown >= n && document.querySelectorAll(".react-flow__edge").length >= n;
  },
  Math.min(20, N),
  { timeout: 30000, polling: "raf" },
);
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const openMs = Date.now() - t0;
const pictureMs = Math.round(await page.evaluate(() => window.__picture ?? Number.NaN));
const rendered = await page.locator(".react-flow__node").count();
if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });

async function measure(label, action) {
  await page.evaluate(() => {
    window.__frames = [];
    window.__stop = false;
    const tick = (t) => {
      window.__frames.push(t);
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await action();
  const seconds = (Date.now() - started) / 1000;
  const frames = await page.evaluate(() => {
    window.__stop = true;
    return window.__frames;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const fps = (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000);
  const worst = Math.max(...gaps);
  console.log(`${label}: ${fps.toFixed(1)} fps over ${seconds.toFixed(1)} s, worst frame ${worst.toFixed(0)} ms`);
  return fps;
}

const pane = await page.locator(".react-flow__pane").boundingBox();
const cx = pane.x + pane.width / 2;
const cy = pane.y + pane.height / 2;
// Grab the pane in its empty margin (fitView leaves padding), never on an activity: a press on an
// activity would drag it instead of panning.
const gx = pane.x + 12;
const gy = pane.y + pane.height - 12;
const pan = await measure("pan (drag, 3 s)", async () => {
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  for (let i = 0; i < 180; i++) {
    await page.mouse.move(gx + 300 + Math.sin(i / 20) * 300, gy - 200 + Math.cos(i / 25) * 200);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
});
const moved = await page.evaluate(() => document.querySelector(".react-flow__node")?.classList.contains("dragging"));
if (moved) console.log("warning: an activity was dragged instead of the pane");
const zoom = await measure("zoom (wheel, 3 s)", async () => {
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 90; i++) {
    await page.mouse.wheel(0, i % ZP < ZP / 2 ? -60 : 60);
    await page.waitForTimeout(33);
  }
});
console.log(`open: whole workflow on screen after ${pictureMs} ms, cards built after ${openMs} ms (${rendered} nodes in the DOM of ${N + 2}); ${transitions.length} transitions`);
console.log(`canvas stress: open ${pictureMs} ms (cards ${openMs} ms), pan ${pan.toFixed(1)} fps, zoom ${zoom.toFixed(1)} fps (target ≥ 50 fps, open < 1000 ms)`);
await browser.close();
await stop();
