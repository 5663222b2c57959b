// Canvas benchmark (not a test; `make bench-canvas`). A workflow of N activities (default 1,000
// and 5,000) with N + 200 transitions, all in view, opened and then panned and zoomed:
//
//   - in the desktop app's own webview: the real Tauri app (WebKitGTK) under Xvfb, driven through
//     tauri-driver and WebKitWebDriver, on a fresh store into which the CLI imported the file;
//   - in Debian's Chromium (headless, --disable-gpu), the built UI served by a real
//     `weft serve --http` on a fresh store;
//   - and in both engines, in the same run, a bare @xyflow/react page of the same file
//     (ui/bench/bare.tsx: default nodes and edges, no app code) as the baseline.
//
// Everything is timed in the page by the same code: opening by bench/watch-open.js (from the click
// on Open in the app; from the page's start, file fetch included, for the bare page), pan and
// zoom by `drive` below, which sends the pane the mouse and wheel events a person's drag and wheel
// make (at 60 and 30 per second) while counting animation frames; a drive that moved nothing is
// an error, not a figure. Prints one Markdown table. ENGINES=chromium,webkit and NODES=1000,5000
// choose what runs; SECONDS (default 3) how long each drive lasts; LONG_FRAMES=1 also prints
// every frame over 34 ms and when it came (the worst frame alone does not say what caused it).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { homedir, tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { watchOpen } from "../../bench/watch-open.js";
import { startEngine } from "../browser/weft-server.mjs";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const root = resolve(ui, "..");
const dist = process.env.DIST ?? join(ui, "dist");
const distBench = join(ui, "dist-bench");
for (const d of [dist, distBench]) if (!existsSync(join(d, d === dist ? "index.html" : "bare.html"))) throw new Error(`build ${d} first (make bench-canvas does)`);
const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache", "weft", "target");
const APP = process.env.WEFT_APP || join(targetDir, "debug", "weft-desktop");
const WEFT = process.env.WEFT_BIN || join(targetDir, "debug", "weft");
const SIZES = (process.env.NODES ?? "1000,5000").split(",").map(Number);
const ENGINES = (process.env.ENGINES ?? "webkit,chromium").split(",");
const SECONDS = Number(process.env.SECONDS ?? 3);
const EXTRA = 200;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A workflow of `n` activities in a grid, chained, with EXTRA transitions more. */
function workflow(n) {
  const activities = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} }];
  const transitions = [];
  const cols = 25;
  for (let i = 0; i < n; i++) {
    activities.push({ id: `a${i}`, kind: "set_variables", label: `Step ${i}`, position: { x: (i % cols) * 260, y: 140 + Math.floor(i / cols) * 130 }, config: { variables: {} } });
    transitions.push({ from: i === 0 ? "start" : `a${i - 1}`, port: "ok", to: `a${i}` });
  }
  activities.push({ id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 140 + Math.ceil(n / cols) * 130 }, config: {} });
  transitions.push({ from: `a${n - 1}`, port: "ok", to: "finish" });
  for (let k = 0; k < EXTRA - 1; k++) {
    const from = (k * 7) % (n - 10);
    transitions.push({ from: `a${from}`, port: "ok", to: `a${from + 5 + (k % 4)}` });
  }
  return { format: 1, name: `Stress ${n}`, activities, transitions };
}

/** Runs in the page: drags the pane or turns the wheel over it for `seconds`, counting frames. */
async function drive({ kind, seconds }) {
  const pane = document.querySelector(".react-flow__pane");
  const viewport = document.querySelector(".react-flow__viewport");
  if (!pane || !viewport) throw new Error("no canvas on the page");
  const r = pane.getBoundingClientRect();
  const before = viewport.style.transform;
  const frames = [];
  let stop = false;
  const tick = (t) => {
    frames.push(t);
    if (!stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const wait = (ms) => new Promise((res) => setTimeout(res, ms));
  const started = performance.now();
  const going = () => performance.now() - started < seconds * 1000;
  let changed = false;
  if (kind === "pan") {
    // Grabbed in the pane's empty margin (fitView leaves padding), never on an activity.
    const gx = r.x + 12;
    const gy = r.y + r.height - 12;
    const target = document.elementFromPoint(gx, gy) ?? pane;
    const mouse = (type, x, y) =>
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: type === "mouseup" ? 0 : 1 }));
    mouse("mousedown", gx, gy);
    for (let i = 0; going(); i++) {
      mouse("mousemove", gx + 300 + Math.sin(i / 20) * 300, gy - 200 + Math.cos(i / 25) * 200);
      changed ||= viewport.style.transform !== before;
      await wait(16);
    }
    mouse("mouseup", gx, gy);
  } else {
    const cx = r.x + r.width / 2;
    const cy = r.y + r.height / 2;
    const target = document.elementFromPoint(cx, cy) ?? pane;
    for (let i = 0; going(); i++) {
      target.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, view: window, clientX: cx, clientY: cy, deltaMode: 0, deltaY: i % 30 < 15 ? -60 : 60 }));
      changed ||= viewport.style.transform !== before;
      await wait(33);
    }
  }
  stop = true;
  await new Promise((res) => requestAnimationFrame(res));
  if (!changed) throw new Error(`${kind}: the canvas did not move (viewport ${before})`);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  // Frames over 34 ms (two at 60 Hz): [how long, when it began in ms after the drive's start].
  const long = gaps.map((g, i) => [Math.round(g), Math.round(frames[i] - started)]).filter(([g]) => g > 34);
  return { fps: (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000), worst: Math.max(...gaps), long };
}

/** The bare page's files and the workflow as graph.json, on a loopback port. */
async function serveBare(body) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/graph.json") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(body);
    }
    const file = join(distBench, path === "/" ? "bare.html" : path.replace(/^\/+/, ""));
    if (!file.startsWith(distBench) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/bare.html`, close: () => server.close() };
}

const openScript = (name, n) => `
  (${watchOpen.toString()})(performance.now(), ${n});
  const card = document.querySelector(${JSON.stringify(`article[aria-label="${name}"]`)});
  const open = card && [...card.querySelectorAll("button")].find((b) => b.textContent.trim() === "Open");
  if (!open) throw new Error("no Open button on the card of ${name}");
  open.click();`;

/** Measures one page (app or bare) through `ev`, which evaluates a script and returns its value. */
async function measurePage(ev, openedBy) {
  let open;
  for (let i = 0; i < 1200; i++) {
    open = await ev("return window.__open ?? {}");
    if (open.clickable !== undefined) break;
    await sleep(100);
  }
  if (open?.clickable === undefined) throw new Error(`${openedBy}: the canvas did not open in 120 s`);
  await sleep(500);
  const pan = await ev(`return (${drive.toString()})({ kind: "pan", seconds: ${SECONDS} })`);
  const zoom = await ev(`return (${drive.toString()})({ kind: "zoom", seconds: ${SECONDS} })`);
  return { picture: open.picture, clickable: open.clickable, pan, zoom };
}

async function chromiumRun(n, file, bareUrl) {
  const { server, stop } = await startEngine([]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await server.authorize(context);
    const page = await context.newPage();
    const ev = (script) => page.evaluate(`(async () => { ${script} })()`);
    await page.goto(server.url);
    await page.getByTestId("import-file").setInputFiles(file);
    await page.locator(`article[aria-label="Stress ${n}"]`).waitFor({ timeout: 60000 });
    await ev(openScript(`Stress ${n}`, Math.min(20, n)));
    const app = await measurePage(ev, "chromium app");
    await page.goto(bareUrl);
    const bare = await measurePage(ev, "chromium bare");
    return { app, bare };
  } finally {
    await browser.close();
    await stop();
  }
}

const DRIVER = "http://127.0.0.1:4444";
async function wd(method, path, body) {
  const res = await fetch(DRIVER + path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(180000) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}
const driverUp = () => fetch(`${DRIVER}/status`).then(() => true, () => false);

async function webkitRun(n, file, bareUrl) {
  if (!existsSync(APP)) throw new Error(`no app at ${APP}: cargo build -p weft-desktop (or set WEFT_APP)`);
  const scratch = mkdtempSync(join(tmpdir(), "weft-bench-canvas-"));
  const db = join(scratch, "weft.db");
  execFileSync(WEFT, ["--db", db, "import", file], { stdio: "ignore" });
  const env = {
    ...process.env,
    WEFT_DB: db,
    WEFT_TEMPLATES: join(root, "workflows-templates"),
    WEBKIT_DISABLE_DMABUF_RENDERER: "1",
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_CONFIG_HOME: join(scratch, "config"),
  };
  const started = [];
  if (!env.DISPLAY) {
    env.DISPLAY = ":97";
    started.push(spawn("Xvfb", [":97", "-screen", "0", "1280x800x24"], { stdio: "ignore" }));
    await sleep(800);
  }
  if (await driverUp()) throw new Error("something already answers on 127.0.0.1:4444: stop it first");
  started.push(spawn("tauri-driver", [], { env, stdio: "ignore" }));
  for (let i = 0; i < 100 && !(await driverUp()); i++) await sleep(100);
  let sid;
  try {
    sid = (await wd("POST", "/session", { capabilities: { alwaysMatch: { "tauri:options": { application: APP } } } })).sessionId;
    const S = `/session/${sid}`;
    await wd("POST", `${S}/timeouts`, { script: 120000 });
    await wd("POST", `${S}/window/rect`, { width: 1280, height: 800 }).catch(() => {});
    const ev = async (script) => {
      const out = await wd("POST", `${S}/execute/async`, {
        script: `const done = arguments[arguments.length - 1];
          (async () => { ${script} })().then((value) => done({ value }), (e) => done({ error: String(e) }));`,
        args: [],
      });
      if (out?.error) throw new Error(out.error);
      return out?.value;
    };
    for (let i = 0; i < 600; i++) {
      if (await ev(`return !!document.querySelector(${JSON.stringify(`article[aria-label="Stress ${n}"]`)})`)) break;
      await sleep(100);
    }
    await ev(openScript(`Stress ${n}`, Math.min(20, n)));
    const app = await measurePage(ev, "webkit app");
    await wd("POST", `${S}/url`, { url: bareUrl });
    const bare = await measurePage(ev, "webkit bare");
    return { app, bare };
  } finally {
    if (sid) await wd("DELETE", `/session/${sid}`).catch(() => {});
    for (const c of started.reverse()) c.kill("SIGTERM");
    await sleep(300);
  }
}

const rows = [];
const f = (x) => (x === undefined ? "—" : `${Math.round(x)}`);
for (const n of SIZES) {
  const body = JSON.stringify(workflow(n));
  const file = join(mkdtempSync(join(tmpdir(), "weft-stress-")), "stress.weft.json");
  writeFileSync(file, body);
  const bare = await serveBare(body);
  try {
    for (const engine of ENGINES) {
      const run = engine === "webkit" ? await webkitRun(n, file, bare.url) : await chromiumRun(n, file, bare.url);
      for (const [page, m] of [["Weft", run.app], ["bare @xyflow/react", run.bare]]) {
        const row = `| ${engine === "webkit" ? "WebKitGTK (the app)" : "Chromium"} | ${n.toLocaleString("en")} | ${page} | ${f(m.picture)} ms | ${f(m.clickable)} ms | ${m.pan.fps.toFixed(1)} fps (worst ${f(m.pan.worst)} ms) | ${m.zoom.fps.toFixed(1)} fps (worst ${f(m.zoom.worst)} ms) |`;
        if (process.env.LONG_FRAMES) console.log(`${engine} ${n} ${page}: long frames [ms, at ms] pan ${JSON.stringify(m.pan.long)} zoom ${JSON.stringify(m.zoom.long)}`);
        console.error(row);
        rows.push(row);
      }
    }
  } finally {
    bare.close();
  }
}
console.log("| engine | activities | page | first picture | clickable | pan | zoom |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
