// The installed package, tried as a person would: `dpkg -i` the .deb, start the app from PATH
// under Xvfb, use it, hand it links from the CLI, crash it, then `dpkg -r` and check that only
// the user's data is left.
//
// usage (as root, inside a D-Bus session for the single-instance hand-over):
//   dbus-run-session -- node tests/package/installed.mjs PATH/TO/Weft_x.y.z_amd64.deb
// `make test-package` does exactly this. Plain Node 20, no dependencies; needs Xvfb, xdotool,
// xwininfo, ImageMagick's import and tauri-driver. The person's data lives in a scratch HOME, so
// the machine's own ~/.local/share/weft is never touched. Starts its own Xvfb display and its
// own tauri-driver port, so that a desktop e2e running beside it is not disturbed.
// Prints `N passed, M failed` last; exit code 1 on failure.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEB = resolve(process.argv[2] || '');
const PORT = 4455;
const DRIVER = `http://127.0.0.1:${PORT}`;
const SHOTS = join(homedir(), '.cache', 'weft', 'package');
const VERSION = /^version = "(.*)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const SHIPPED = readdirSync(join(ROOT, 'workflows-templates'))
  .filter((f) => f.endsWith('.weft.json'))
  .map((f) => `shipped:${f.replace(/\.weft\.json$/, '')}`)
  .sort();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = [];
let passed = 0;
let failed = 0;

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e?.stack || e}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function until(what, fn, ms = 20000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < ms) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(150);
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (${last.message})` : ''}`);
}

function run(cmd, args, env, opts = {}) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 60000, cwd: opts.cwd });
  if (r.error) throw r.error;
  if (!opts.anyStatus && r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

function start(cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', process.env.WEFT_E2E_VERBOSE ? 'inherit' : 'ignore'] });
  started.push(child);
  return child;
}

const exited = (child, ms) =>
  new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res(true);
    const t = setTimeout(() => res(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });

// ---- WebDriver (tauri-driver + WebKitWebDriver) -----------------------------------------------

async function http(method, path, body, timeoutMs = 60000) {
  const res = await fetch(DRIVER + path, {
    method,
    signal: AbortSignal.timeout(timeoutMs),
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

async function session(app) {
  const value = await http('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: app } } },
  });
  const S = `/session/${value.sessionId}`;
  const script = (body, args = []) => http('POST', `${S}/execute/sync`, { script: body, args });
  const text = () => script('return document.body ? document.body.innerText : "";');
  const clickText = (selector, label) =>
    script(
      `const b = [...document.querySelectorAll(arguments[0])].find((e) => e.innerText.trim() === arguments[1]);
       if (b) b.click(); return !!b;`,
      [selector, label],
    );
  return { S, script, text, clickText, end: () => http('DELETE', S).catch(() => {}) };
}

// ---- the test ----------------------------------------------------------------------------------

async function main() {
  assert(process.getuid?.() === 0, 'run as root: the test installs the package with dpkg');
  assert(existsSync(DEB), `no package at ${DEB}: make package`);
  const pkg = execFileSync('dpkg-deb', ['-f', DEB, 'Package'], { encoding: 'utf8' }).trim();
  if (spawnSync('dpkg', ['-s', pkg]).status === 0) {
    console.log(`${pkg} was installed already (an earlier run?): removing it first`);
    run('dpkg', ['-r', pkg]);
  }

  // The person: a home of their own, nothing of the machine's user.
  const home = mkdtempSync(join(tmpdir(), 'weft-installed-'));
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', WEBKIT_DISABLE_DMABUF_RENDERER: '1' };
  for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'WEFT_E2E_VERBOSE']) if (process.env[k]) env[k] = process.env[k];
  assert(env.DBUS_SESSION_BUS_ADDRESS, 'no D-Bus session: run under dbus-run-session (make test-package does)');
  let display = 90;
  while (existsSync(`/tmp/.X11-unix/X${display}`)) display += 1;
  env.DISPLAY = `:${display}`;
  start('Xvfb', [env.DISPLAY, '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
  await until('Xvfb', () => existsSync(`/tmp/.X11-unix/X${display}`), 10000);
  const userData = join(home, '.local', 'share', 'weft');
  const cli = (args, opts) => run('weft', args, env, { cwd: home, ...opts });

  let installed = [];
  await check('dpkg -i installs the .deb', async () => {
    run('dpkg', ['-i', DEB]);
    installed = run('dpkg', ['-L', pkg], env).stdout.split('\n').filter((p) => p && existsSync(p) && !isDir(p));
    assert(installed.length > 10, `${installed.length} files`);
  });

  await check('the app and the CLI are on PATH', async () => {
    const which = run('sh', ['-c', 'command -v weft-desktop && command -v weft'], env).stdout.trim().split('\n');
    assert(which[0] === '/usr/bin/weft-desktop' && which[1] === '/usr/bin/weft', which.join(' '));
  });

  await check('a desktop entry starts the app and claims weft:// links, with its icons', async () => {
    const entries = installed.filter((p) => p.startsWith('/usr/share/applications/') && p.endsWith('.desktop'));
    assert(entries.length === 1, `entries ${entries}`);
    const entry = readFileSync(entries[0], 'utf8');
    assert(/^Exec=weft-desktop %u$/m.test(entry), entry);
    assert(/^MimeType=x-scheme-handler\/weft;$/m.test(entry), entry);
    const icon = /^Icon=(.*)$/m.exec(entry)[1];
    const icons = installed.filter((p) => p.startsWith('/usr/share/icons/hicolor/') && p.includes(`/apps/${icon}.png`));
    assert(icons.length >= 3, `icons ${icons}`);
  });

  await check('the shipped templates are installed as resources', async () => {
    const templates = readdirSync('/usr/lib/Weft/workflows-templates').filter((f) => f.endsWith('.weft.json'));
    assert(templates.length === SHIPPED.length, `${templates.length} of ${SHIPPED.length}`);
  });

  await check('weft render draws a shipped template with the fonts built into the binary', async () => {
    // No font file is installed (they are inside the binary): a picture with text proves it.
    const template = '/usr/lib/Weft/workflows-templates/approval-gated-email.weft.json';
    const svg = join(home, 'picture.svg');
    const out = cli(['render', template, '--out', svg]);
    assert(out.status === 0, out.stderr);
    const text = readFileSync(svg, 'utf8');
    assert(text.startsWith('<svg viewBox=') && !text.includes('<text') && (text.match(/<path/g) ?? []).length > 50, text.slice(0, 120));
  });

  await check('weft --version answers', async () => {
    const out = cli(['--version']).stdout.trim();
    assert(out === `weft ${VERSION}`, out);
  });

  await check('weft templates list shows the shipped templates, from the package', async () => {
    const list = JSON.parse(cli(['templates', 'list', '--json']).stdout);
    const ids = list.map((t) => t.id).filter((id) => id.startsWith('shipped:')).sort();
    assert(JSON.stringify(ids) === JSON.stringify(SHIPPED), `${ids}`);
    const human = cli(['templates', 'list']).stdout;
    assert(human.includes('shipped:daily-report'), human);
  });

  // ---- the app started from PATH, as a launcher would ----------------------------------------
  const appEnv = { ...env };
  const windows = () => {
    const r = spawnSync('xdotool', ['search', '--onlyvisible', '--name', '^Weft$'], { env: appEnv, encoding: 'utf8' });
    return r.stdout.trim().split('\n').filter(Boolean);
  };
  const geometry = (id) => {
    const info = run('xwininfo', ['-id', id], appEnv).stdout;
    return { width: +/Width: (\d+)/.exec(info)[1], height: +/Height: (\d+)/.exec(info)[1] };
  };
  let app;
  let win;
  await check('weft-desktop from PATH opens a window', async () => {
    app = start('weft-desktop', [], appEnv);
    win = await until('a window named Weft', () => windows()[0], 30000);
    const g = geometry(win);
    assert(g.width >= 800 && g.height >= 500, JSON.stringify(g));
    mkdirSync(SHOTS, { recursive: true });
    await sleep(1500);
    run('import', ['-window', 'root', join(SHOTS, 'installed.png')], appEnv);
  });

  await check('a second launch hands over to the first and leaves; one window stays', async () => {
    const second = run('weft-desktop', [], appEnv, { anyStatus: true });
    assert(second.status === 0, `exit ${second.status}: ${second.stderr}`);
    assert(app.exitCode === null, 'the first instance ended');
    assert(windows().length === 1, `${windows().length} windows`);
  });

  await check('size and position are remembered across a restart', async () => {
    run('xdotool', ['windowsize', win, '1000', '700'], appEnv);
    await until('the resize', () => geometry(win).width === 1000, 5000);
    app.kill('SIGTERM');
    assert(await exited(app, 15000), 'the app did not end on SIGTERM');
    app = start('weft-desktop', [], appEnv);
    win = await until('the window again', () => windows()[0], 30000);
    await until('the remembered size', () => {
      const g = geometry(win);
      return g.width === 1000 && g.height === 700;
    }, 5000);
    app.kill('SIGTERM');
    assert(await exited(app, 15000), 'the app did not end on SIGTERM');
  });

  // ---- the UI, through the real webview -----------------------------------------------------
  const appPath = run('sh', ['-c', 'command -v weft-desktop'], env).stdout.trim();
  // tauri-driver is a test tool (`cargo install`), not part of the package: found on this
  // process's PATH; the app it starts still comes from the person's PATH (appPath).
  const driverBin = run('sh', ['-c', 'command -v tauri-driver'], process.env).stdout.trim();
  assert(driverBin, 'tauri-driver is not installed (make deps-tools installs it)');
  start(driverBin, ['--port', String(PORT), '--native-port', String(PORT + 1)], env);
  await until('tauri-driver', async () => (await fetch(`${DRIVER}/status`)).ok, 10000);

  let ui = await session(appPath);
  await check('an empty store offers the template gallery with every shipped template, and demo contacts', async () => {
    const shown = await until('the gallery', async () => {
      const ids = await ui.script('return [...document.querySelectorAll("[data-testid=template-gallery] [data-template]")].map((e) => e.dataset.template);');
      return ids.length === SHIPPED.length ? ids : null;
    });
    assert(JSON.stringify([...shown].sort()) === JSON.stringify(SHIPPED), `${shown}`);
    assert(await ui.script('return !!document.querySelector("[data-testid=demo-offer]");'), 'no demo contacts offer');
  });

  let wf;
  let runId;
  await check('weft open workflow ID shows that workflow in the running app', async () => {
    wf = JSON.parse(cli(['new', 'Linked', '--from', 'shipped:approval-gated-email', '--json']).stdout);
    const out = cli(['open', 'workflow', wf.id]).stdout;
    assert(out.includes('handed to the running app'), out);
    await until('the editor on Linked', () => ui.script('const n = document.querySelector("[data-testid=workflow-name]"); return n && n.innerText === "Linked";')).catch(async (e) => {
      run('import', ['-window', 'root', join(tmpdir(), 'weft-package-failure.png')], appEnv, { anyStatus: true });
      const name = await ui.script('const n = document.querySelector("[data-testid=workflow-name]"); return n ? JSON.stringify([n.innerText, n.textContent, location.hash]) : "no name element";');
      throw new Error(`${e.message}; name element: ${name}; screenshot in ${tmpdir()}/weft-package-failure.png`);
    });
  });

  await check('weft open run N shows the run, weft open approve N its approval', async () => {
    cli(['run', '/usr/lib/Weft/workflows-templates/approval-gated-email.weft.json', '--timeout', '5'], { anyStatus: true });
    runId = JSON.parse(cli(['runs', '--json', '--limit', '1']).stdout).runs[0].id;
    cli(['open', 'run', String(runId)]);
    await until('the run detail', async () => (await ui.text()).includes(`Run #${runId}`));
    cli(['open', 'approve', String(runId)]);
    await until('the approval of that run, marked', () =>
      ui.script(`return !!document.querySelector('.approval-item.focused[data-run="${runId}"]');`),
    );
  });

  await check('a link that is not Weft\'s is refused with a message, not a crash', async () => {
    const r = run('weft-desktop', ['weft://settings/1'], appEnv, { anyStatus: true });
    assert(r.status === 0, `second launch exit ${r.status}`);
    await until('the refusal', async () => (await ui.text()).includes('WEFT-L002'));
    const bad = cli(['open', 'run', 'abc'], { anyStatus: true });
    assert(bad.status !== 0 && bad.stderr.includes('WEFT-L003'), bad.stderr);
  });

  await check('the screen shown last is the one the next start opens', async () => {
    await ui.end();
    await sleep(500);
    ui = await session(appPath);
    await until('the approvals screen', async () => (await ui.text()).includes('Steps waiting for an operator'));
  });
  await ui.end();

  // ---- a crash ----------------------------------------------------------------------------------
  await check('a crash writes a report to the data folder with the version and the last log lines', async () => {
    const crashing = start('weft-desktop', [], { ...appEnv, WEFT_TEST_PANIC: '1' });
    assert(await exited(crashing, 30000), 'the app did not end');
    assert(crashing.exitCode !== 0, `exit ${crashing.exitCode}`);
    const dir = join(userData, 'crash-reports');
    const reports = readdirSync(dir).filter((f) => f.endsWith('.txt'));
    assert(reports.length === 1, `${reports}`);
    const text = readFileSync(join(dir, reports[0]), 'utf8');
    assert(text.includes(`program: weft-desktop ${VERSION}`), text.slice(0, 400));
    assert(text.includes('panic:   WEFT_TEST_PANIC is set'), text.slice(0, 400));
    assert(/last log lines \([1-9]\d*\):\n.*templates: shipped/.test(text), text.slice(0, 1200));
    assert(text.includes('never sends it anywhere'), 'no word on privacy');
  });

  await check('the next start offers to open the report; dismissed, it is not offered again', async () => {
    ui = await session(appPath);
    await until('the offer', () => ui.script('return !!document.querySelector("[data-testid=crash-offer]");'));
    assert(await ui.clickText('[data-testid=crash-offer] button', 'Open report'), 'no Open report');
    await until('the report', async () => (await ui.text()).includes('WEFT_TEST_PANIC is set'));
    assert(await ui.clickText('[data-testid=crash-offer] button', 'Dismiss'), 'no Dismiss');
    await until('the offer gone', async () => !(await ui.script('return !!document.querySelector("[data-testid=crash-offer]");')));
    const left = readdirSync(join(userData, 'crash-reports'));
    assert(left.length === 1 && left[0].endsWith('.seen.txt'), `${left}`);
    await ui.end();
  });

  // ---- removal -----------------------------------------------------------------------------------
  await check('dpkg -r removes every installed file and leaves the user\'s data', async () => {
    for (const child of started) if (child.spawnfile.endsWith('tauri-driver') && child.exitCode === null) child.kill('SIGTERM');
    run('dpkg', ['-r', pkg]);
    const left = installed.filter((p) => existsSync(p));
    assert(left.length === 0, `left behind: ${left.join(' ')}`);
    assert(!existsSync('/usr/lib/Weft'), '/usr/lib/Weft is still there');
    assert(spawnSync('sh', ['-c', 'command -v weft-desktop || command -v weft'], { env }).status !== 0, 'still on PATH');
    assert(existsSync(join(userData, 'weft.db')), 'the user\'s store is gone');
  });
}

function isDir(p) {
  try {
    return readdirSync(p) && true;
  } catch {
    return false;
  }
}

function stopAll() {
  for (const child of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

main()
  .catch((e) => {
    failed += 1;
    console.log(`FAIL ${e?.stack || e}`);
  })
  .finally(() => {
    stopAll();
    // Never leave the package installed behind a failed run.
    try {
      const pkg = execFileSync('dpkg-deb', ['-f', DEB, 'Package'], { encoding: 'utf8' }).trim();
      if (spawnSync('dpkg', ['-s', pkg]).status === 0) spawnSync('dpkg', ['-r', pkg]);
    } catch {}
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
