// Runs history benchmark in the real desktop app (not a test): a store holding 1,000,000 runs
// (made by `cargo bench -p weft-engine`, or given in WEFT_BENCH_DB), opened with tauri-driver;
// measures the time from clicking Runs to the first rows, and frames per second while scrolling.
// `make bench-runs` runs it. Plain Node 20, no dependencies.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'weft', 'target');
const APP = process.env.WEFT_APP || join(target, 'debug', 'weft-desktop');
const SOURCE = process.env.WEFT_BENCH_DB || join(target, 'weft-bench-1m-runs.db');
if (!existsSync(SOURCE)) throw new Error(`no store at ${SOURCE}: run make bench first (it generates it)`);
const DRIVER = 'http://127.0.0.1:4444';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
const http = async (method, path, body) => {
  const res = await fetch(DRIVER + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
};
const up = () => fetch(DRIVER + '/status').then(() => true, () => false);

const scratch = mkdtempSync(join(tmpdir(), 'weft-runs-bench-'));
copyFileSync(SOURCE, join(scratch, 'weft.db'));
// DMA-BUF rendering off: measured here to be what makes WebKitGTK smooth under Xvfb (PLATFORM.md).
const env = { ...process.env, WEFT_DB: join(scratch, 'weft.db'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CONFIG_HOME: join(scratch, 'config'), WEBKIT_DISABLE_DMABUF_RENDERER: '1' };
if (!env.DISPLAY) {
  env.DISPLAY = ':99';
  if (!existsSync('/tmp/.X11-unix/X99')) children.push(spawn('Xvfb', [':99', '-screen', '0', '1280x800x24'], { stdio: 'ignore' }));
  await sleep(800);
}
if (!(await up())) {
  children.push(spawn('tauri-driver', [], { env, stdio: 'ignore' }));
  for (let i = 0; i < 50 && !(await up()); i++) await sleep(100);
}
const { sessionId } = await http('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } } });
const S = `/session/${sessionId}`;
const script = (body, args = []) => http('POST', `${S}/execute/sync`, { script: body, args });
const asyncScript = (body, args = []) => http('POST', `${S}/execute/async`, { script: body, args });
try {
  for (let i = 0; i < 100 && !(await script('return !!document.querySelector("nav") && !!window.__TAURI_INTERNALS__;').catch(() => false)); i++) await sleep(100);
  await http('POST', `${S}/timeouts`, { script: 60000 });
  const opened = await asyncScript(`const done = arguments[arguments.length - 1];
    const b = [...document.querySelectorAll('nav button, header button')].find((e) => e.innerText.trim() === 'Runs');
    const t0 = performance.now(); b.click();
    const wait = () => document.querySelector("[data-testid='run-row']") ? done(performance.now() - t0) : requestAnimationFrame(wait);
    wait();`);
  const scrolled = await asyncScript(`const done = arguments[arguments.length - 1];
    const el = document.querySelector("[data-testid='runs-scroll']");
    const frames = []; const t0 = performance.now();
    const step = (t) => { frames.push(t); el.scrollTop += 120; if (t - t0 < 3000) requestAnimationFrame(step); else {
      const gaps = frames.slice(1).map((x, i) => x - frames[i]);
      done({ fps: (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000), worst: Math.max(...gaps), rows: document.querySelectorAll("[data-testid='run-row']").length, top: el.scrollTop }); } };
    requestAnimationFrame(step);`);
  const count = await script(`return document.querySelector("[data-testid='runs-count']")?.innerText ?? '';`);
  console.log(`runs history over 1,000,000 runs: first rows ${opened.toFixed(0)} ms after clicking Runs (target < 300 ms)`);
  console.log(`scrolling 3 s: ${scrolled.fps.toFixed(1)} fps, worst frame ${scrolled.worst.toFixed(0)} ms, ${scrolled.rows} rows in the DOM, scrolled ${scrolled.top}px (${count.replace(/\\n/g, ' ')})`);
} finally {
  await http('DELETE', S).catch(() => {});
  for (const c of children) c.kill();
  rmSync(scratch, { recursive: true, force: true });
}
