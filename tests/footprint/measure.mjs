// Footprint of Weft's release build beside a bare Tauri shell of the same Tauri version, built
// and measured in the same run (`make bench-footprint`; not part of `make test`).
//
// For each app, RUNS times, on a fresh process and its own Xvfb display and tauri-driver port:
// - start: from asking tauri-driver for a session (which starts the app) to an interactive first
//   screen: Weft's workflows list showing its cards, the bare shell's page showing its text;
// - memory: proportional set size (PSS, /proc/PID/smaps_rollup) summed over the app and every
//   process it started (WebKitWebProcess, WebKitNetworkProcess), Weft with a 200-activity
//   workflow open on the canvas, 5 s after it is drawn;
// - idle CPU: CPU time of those processes over 10 s of doing nothing, as a share of one core.
// Then the store: tests run 100,000 runs with retention on (crates/weft-engine/examples/store_footprint.rs).
// Prints a Markdown table (the README's "Install" section) and writes $CACHE/footprint.json.
//
// env: CARGO_TARGET_DIR (default ~/.cache/weft/target), FOOTPRINT_RUNS (default 3),
// FOOTPRINT_STORE_RUNS (default 100000; 0 skips the store), FOOTPRINT_DETAIL=1 (also prints each
// process's largest mappings by PSS: the binary, libraries, anonymous memory).

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TARGET = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'weft', 'target');
const RELEASE = join(TARGET, 'release');
const CACHE = join(homedir(), '.cache', 'weft');
const RUNS = Number(process.env.FOOTPRINT_RUNS || 3);
const STORE_RUNS = Number(process.env.FOOTPRINT_STORE_RUNS ?? 100000);
const PORT = 4475;
const DRIVER = `http://127.0.0.1:${PORT}`;
const ACTIVITIES = 200;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = [];

function start(cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  started.push(child);
  return child;
}

async function until(what, fn, ms = 30000, every = 20) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < ms) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(every);
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (${last.message})` : ''}`);
}

async function http(method, path, body) {
  const res = await fetch(DRIVER + path, {
    method,
    signal: AbortSignal.timeout(60000),
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

function lockedTauri(lockFile) {
  const m = /name = "tauri"\nversion = "([^"]+)"/.exec(readFileSync(lockFile, 'utf8'));
  return m && m[1];
}

// ---- processes -------------------------------------------------------------------------------

function procs() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${d}/exe`);
      } catch {}
      out.push({ pid: +d, ppid: +rest[1], ticks: +rest[11] + +rest[12], exe });
    } catch {}
  }
  return out;
}

/** The app's process (by its binary) and every process below it. */
function family(binary) {
  const all = procs();
  const root = all.find((p) => p.exe === binary);
  if (!root) throw new Error(`no process of ${binary}`);
  const pids = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (pids.has(p.ppid) && !pids.has(p.pid)) (pids.add(p.pid), (grew = true));
  }
  return [...pids];
}

function pssMb(pids) {
  let kb = 0;
  const parts = [];
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pss = +/^Pss:\s+(\d+) kB/m.exec(rollup)[1];
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      kb += pss;
      parts.push(`${name} ${Math.round(pss / 1024)}`);
    } catch {}
  }
  return { mb: kb / 1024, parts: parts.join(' + ') };
}

/** A process's largest mappings by PSS (`/proc/PID/smaps`), e.g. "86 MB [anon]". */
function largestMappings(pid, count = 8) {
  const byName = new Map();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) name = mapping[1] || '[anon]';
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) byName.set(name, (byName.get(name) ?? 0) + Number(pss[1]));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([n, kb]) => `${(kb / 1024).toFixed(0)} MB ${n}`);
}

function ticks(pids) {
  const byPid = new Map(procs().map((p) => [p.pid, p.ticks]));
  return pids.reduce((sum, pid) => sum + (byPid.get(pid) ?? 0), 0);
}

// ---- fixtures --------------------------------------------------------------------------------

/** Start → 198 Set variables in a snake of rows of 20 → Finish: 200 activities. */
function bigWorkflow() {
  const activities = [];
  const transitions = [];
  const at = (i) => ({ x: (i % 20) * 260 * (Math.floor(i / 20) % 2 ? -1 : 1) + (Math.floor(i / 20) % 2 ? 19 * 260 : 0), y: Math.floor(i / 20) * 160 });
  for (let i = 0; i < ACTIVITIES; i++) {
    const id = i === 0 ? 'start' : i === ACTIVITIES - 1 ? 'finish' : `step${i}`;
    const kind = i === 0 ? 'start' : i === ACTIVITIES - 1 ? 'finish' : 'set_variables';
    const a = { id, kind, label: i === 0 ? 'Start' : i === ACTIVITIES - 1 ? 'Finish' : `Step ${i}`, position: at(i) };
    if (kind === 'set_variables') a.config = { variables: { [`v${i}`]: `{{ run.id }}-${i}` } };
    activities.push(a);
    if (i > 0) transitions.push({ from: activities[i - 1].id, to: id });
  }
  return { format: 1, name: `Footprint ${ACTIVITIES}`, activities, transitions };
}

// ---- one app ---------------------------------------------------------------------------------

async function measure(app, { ready, open }) {
  const t0 = performance.now();
  const session = await http('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application: app } } } });
  const S = `/session/${session.sessionId}`;
  const script = (body, args = []) => http('POST', `${S}/execute/sync`, { script: body, args });
  try {
    await until('the first screen', () => script(ready));
    const startMs = performance.now() - t0;
    if (open) await open(script);
    await sleep(5000);
    const pids = family(app);
    const memory = pssMb(pids);
    if (process.env.FOOTPRINT_DETAIL === '1') {
      for (const pid of pids) {
        try {
          console.log(`  ${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}: ${largestMappings(pid).join(', ')}`);
        } catch {}
      }
    }
    const before = ticks(pids);
    await sleep(10000);
    const idle = ((ticks(family(app)) - before) / 100 / 10) * 100;
    return { startMs, pssMb: memory.mb, pssParts: memory.parts, idleCpu: idle };
  } finally {
    await http('DELETE', S).catch(() => {});
    await sleep(1000);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const weftApp = join(RELEASE, 'weft-desktop');
  if (!existsSync(weftApp)) throw new Error(`no ${weftApp}: make package first`);

  console.log('building the bare shell (release, same target folder)…');
  // Into TARGET, where it is looked for below (without CARGO_TARGET_DIR cargo would build into
  // the bare shell's own folder and the measurement would take an older binary from TARGET).
  execFileSync('cargo', ['build', '--release', '--manifest-path', join(ROOT, 'tests/footprint/bare-shell/Cargo.toml')], {
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: TARGET },
  });
  const bareApp = join(RELEASE, 'weft-bare-shell');
  const tauriWeft = lockedTauri(join(ROOT, 'Cargo.lock'));
  const tauriBare = lockedTauri(join(ROOT, 'tests/footprint/bare-shell/Cargo.lock'));
  if (tauriWeft !== tauriBare) throw new Error(`Tauri ${tauriWeft} in Weft but ${tauriBare} in the bare shell`);

  const home = mkdtempSync(join(tmpdir(), 'weft-footprint-'));
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', WEBKIT_DISABLE_DMABUF_RENDERER: '1', WEFT_LOG: 'warn' };
  let display = 80;
  while (existsSync(`/tmp/.X11-unix/X${display}`)) display += 1;
  env.DISPLAY = `:${display}`;
  start('Xvfb', [env.DISPLAY, '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
  await until('Xvfb', () => existsSync(`/tmp/.X11-unix/X${display}`), 10000);

  // The store Weft opens: the 200-activity workflow and a few templates, as a person's would be.
  const wfFile = join(home, 'footprint.weft.json');
  writeFileSync(wfFile, JSON.stringify(bigWorkflow()));
  // The packages' `weft` is the app's binary as the command line.
  const cli = (args) => execFileSync(weftApp, ['--cli', ...args], { env, cwd: home, encoding: 'utf8' });
  cli(['import', wfFile]);
  for (const t of ['daily-report', 'parallel-fetch-join', 'approval-gated-email']) cli(['new', t, '--from', `shipped:${t}`]);

  start('tauri-driver', ['--port', String(PORT), '--native-port', String(PORT + 1)], env);
  await until('tauri-driver', async () => (await fetch(`${DRIVER}/status`)).ok, 10000);

  const results = { bare: [], weft: [] };
  for (let i = 0; i < RUNS; i++) {
    results.bare.push(await measure(bareApp, { ready: 'const h = document.getElementById("hello"); return !!h && h.innerText.length > 0;' }));
    // Every start is timed to the workflows list: the screen and window the previous start
    // remembered (app config folder) are forgotten, the store is kept.
    rmSync(join(home, '.config'), { recursive: true, force: true });
    results.weft.push(
      await measure(weftApp, {
        ready: 'return document.querySelectorAll(".cards .card").length >= 4;',
        open: async (script) => {
          await until('Open on the big workflow', () =>
            script(
              `const card = [...document.querySelectorAll('.cards .card')].find((c) => c.innerText.includes(arguments[0]));
               const b = card && [...card.querySelectorAll('button')].find((e) => e.innerText.trim() === 'Open');
               if (b) { b.click(); return true; } return false;`,
              [`Footprint ${ACTIVITIES}`],
            ),
          );
          await until('the canvas drawn', async () => (await script('return document.querySelectorAll(".react-flow__node").length;')) >= ACTIVITIES, 60000, 100);
        },
      }),
    );
    console.log(`run ${i + 1}: bare ${JSON.stringify(results.bare.at(-1))}\n       weft ${JSON.stringify(results.weft.at(-1))}`);
  }

  let store = null;
  if (STORE_RUNS > 0) {
    console.log(`store: ${STORE_RUNS} runs with retention (keep 1000)…`);
    const out = execFileSync('cargo', ['run', '--release', '-q', '-p', 'weft-engine', '--example', 'store_footprint', '--', String(STORE_RUNS), '1000'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    store = JSON.parse(out.trim().split('\n').at(-1));
  }

  const sum = (k) => ({ bare: median(results.bare.map((r) => r[k])), weft: median(results.weft.map((r) => r[k])) });
  const startMs = sum('startMs');
  const pss = sum('pssMb');
  const idle = sum('idleCpu');
  const parts = { bare: results.bare.at(-1).pssParts, weft: results.weft.at(-1).pssParts };
  const size = (f) => execFileSync('stat', ['-c', '%s', f], { encoding: 'utf8' }).trim();
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  const yes = (ok) => (ok ? 'yes' : '**no**');
  const lines = [
    `| measure (median of ${RUNS}) | Weft ${tauriWeft ? `(Tauri ${tauriWeft})` : ''} | bare Tauri shell | target | met |`,
    '|---|---|---|---|---|',
    `| start to an interactive first screen | ${(startMs.weft / 1000).toFixed(2)} s | ${(startMs.bare / 1000).toFixed(2)} s | < 1 s | ${yes(startMs.weft < 1000)} |`,
    `| memory (PSS, app + WebKit processes), Weft with a ${ACTIVITIES}-activity workflow open | ${pss.weft.toFixed(0)} MB (${parts.weft}) | ${pss.bare.toFixed(0)} MB (${parts.bare}) | ≤ 300 MB and ≤ 1.2× bare (${(1.2 * pss.bare).toFixed(0)} MB) | ${yes(pss.weft <= 300 && pss.weft <= 1.2 * pss.bare)} (${(pss.weft / pss.bare).toFixed(2)}×) |`,
    `| idle CPU over 10 s | ${idle.weft.toFixed(2)} % | ${idle.bare.toFixed(2)} % | < 1 % | ${yes(idle.weft < 1)} |`,
    `| binary size (stripped; Weft's includes the CLI) | ${mb(size(weftApp))} | ${mb(size(bareApp))} | | |`,
  ];
  if (store) {
    lines.push(
      `| store after ${store.runs.toLocaleString('en')} runs, keeping ${store.keep_runs} (${store.seconds.toFixed(0)} s) | file ${mb(store.db_bytes)}, WAL ${mb(store.wal_bytes)} (largest seen ${mb(store.max_wal_bytes)}) | | WAL ≤ 64 MB | ${yes(store.max_wal_bytes <= 64e6)} |`,
      `| after Purge history | file ${mb(store.after_purge_db_bytes)}, WAL ${mb(store.after_purge_wal_bytes)} | | the file shrinks | ${yes(store.after_purge_db_bytes < store.db_bytes)} |`,
    );
  }
  console.log(`\n${lines.join('\n')}\n`);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'footprint.json'), JSON.stringify({ when: new Date().toISOString(), tauri: tauriWeft, results, store }, null, 2));
}

main()
  .catch((e) => {
    console.error(e?.stack || e);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of started.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
  });
