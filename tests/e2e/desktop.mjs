// End-to-end smoke test of the desktop app through its real webview (tauri-driver + WebKitWebDriver).
//
// Plain Node 20, no dependencies. Expects `tauri-driver` on PATH (`cargo install tauri-driver
// --locked`) and the built app in WEFT_APP (default: $CARGO_TARGET_DIR/debug/weft-desktop).
// Starts Xvfb :99 when there is no DISPLAY and tauri-driver when nothing answers on 127.0.0.1:4444;
// stops what it started. The app gets a fresh store in a temporary folder.
// Writes docs/screenshots/desktop.png and prints `N passed, M failed` last; exit code 1 on failure.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DRIVER = 'http://127.0.0.1:4444';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'weft', 'target');
const APP = process.env.WEFT_APP || join(targetDir, 'debug', 'weft-desktop');
const SCREENSHOT = process.env.WEFT_SCREENSHOT || join(ROOT, 'docs', 'screenshots', 'desktop.png');

const started = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
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

async function driverUp() {
  try {
    await fetch(DRIVER + '/status');
    return true;
  } catch {
    return false;
  }
}

function start(cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', process.env.WEFT_E2E_VERBOSE ? 'inherit' : 'ignore'] });
  started.push(child);
  return child;
}

function stopAll() {
  for (const child of started.reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

async function main() {
  assert(existsSync(APP), `no app at ${APP}: build it with cargo build -p weft-desktop (or set WEFT_APP)`);
  const scratch = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  const env = {
    ...process.env,
    WEFT_DB: join(scratch, 'weft.db'),
    WEFT_TEMPLATES: process.env.WEFT_TEMPLATES || join(ROOT, 'workflows-templates'),
    // Not WEBKIT_DISABLE_DMABUF_RENDERER / WEBKIT_DISABLE_COMPOSITING_MODE: with either set,
    // WebKitWebDriver's screenshot command never answers (measured under Xvfb).
    XDG_DATA_HOME: join(scratch, 'data'),
    // The window's remembered size and screen (window-state plugin, screen.json) start afresh.
    XDG_CONFIG_HOME: join(scratch, 'config'),
  };
  if (!env.DISPLAY) {
    env.DISPLAY = ':99';
    start('Xvfb', [':99', '-screen', '0', '1280x800x24']);
    await sleep(800);
  }
  if (!(await driverUp())) {
    start('tauri-driver', [], env);
    for (let i = 0; i < 50 && !(await driverUp()); i++) await sleep(100);
  }

  const t0 = Date.now();
  const session = await http('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } },
  });
  const sid = session.sessionId;
  console.log(`session ${sid} opened in ${Date.now() - t0} ms`);
  const S = `/session/${sid}`;
  await http('POST', `${S}/timeouts`, { script: 40000 });

  // Runs a command through the real bridge and returns its value, or throws its BridgeError.
  const invoke = async (cmd, args = {}) => {
    const out = await http('POST', `${S}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((ok) => done({ ok }), (err) => done({ err }));`,
      args: [cmd, args],
    });
    if (out && 'err' in out) {
      const e = new Error(`${cmd}: ${JSON.stringify(out.err)}`);
      e.bridge = out.err;
      throw e;
    }
    return out?.ok;
  };
  const script = (body, args = []) => http('POST', `${S}/execute/sync`, { script: body, args });

  try {
    await check('the UI renders', async () => {
      for (let i = 0; i < 100; i++) {
        const ready = await script(
          'return document.readyState === "complete" && !!window.__TAURI_INTERNALS__ && document.body.innerText.trim().length > 0;',
        ).catch(() => false);
        if (ready) return;
        await sleep(100);
      }
      throw new Error('the page did not render within 10 s');
    });

    await check('the window executes its own store', async () => {
      const status = await invoke('store_status');
      assert(status.owner === true, `owner ${status.owner}`);
      assert(status.dbPath === env.WEFT_DB, `dbPath ${status.dbPath}`);
      assert(status.ownerName === 'desktop', `ownerName ${status.ownerName}`);
    });

    await check('the activity catalogue lists kinds with schemas', async () => {
      const catalog = await invoke('activity_catalog');
      assert(catalog.length >= 10, `${catalog.length} kinds`);
      assert(catalog.every((c) => c.kind && c.role && c.configSchema), 'an entry lacks kind, role or schema');
    });

    let templates = [];
    await check('shipped templates are listed with their bodies', async () => {
      templates = await invoke('list_templates');
      assert(templates.length > 0, 'no templates');
      assert(templates.every((t) => t.id.startsWith('shipped:') && t.body.activities.length > 0), 'bad template');
    });

    let wf;
    await check('create_workflow makes a blank Start → Finish workflow', async () => {
      wf = await invoke('create_workflow', { name: 'E2E' });
      assert(wf.name === 'E2E' && wf.state === 'being_edited', JSON.stringify(wf));
      const { body } = await invoke('get_workflow', { id: wf.id });
      assert(body.activities.length === 2 && body.transitions.length === 1, JSON.stringify(body));
      const diagnostics = await invoke('validate_workflow', { body });
      assert(!diagnostics.some((d) => d.severity === 'error'), JSON.stringify(diagnostics));
      const list = await invoke('list_workflows');
      assert(list.some((w) => w.id === wf.id), 'not listed');
    });

    await check('create_workflow from a template copies it under the new name', async () => {
      const t = templates[0];
      const made = await invoke('create_workflow', { name: 'E2E from template', template: t.id });
      const { body } = await invoke('get_workflow', { id: made.id });
      assert(body.name === 'E2E from template', body.name);
      assert(body.activities.length === t.body.activities.length, 'activities differ');
    });

    await check('errors cross the bridge as { code, message, details }', async () => {
      try {
        await invoke('get_workflow', { id: 'does-not-exist' });
        throw new Error('no error');
      } catch (e) {
        assert(e.bridge?.code === 'WEFT-S003', JSON.stringify(e.bridge));
        assert(typeof e.bridge.message === 'string' && e.bridge.details?.id === 'does-not-exist', JSON.stringify(e.bridge));
      }
      try {
        await invoke('save_workflow', { id: wf.id, body: { format: 1, name: 'x', activities: [{ id: 'a', kind: 'nope' }] } });
        throw new Error('no error');
      } catch (e) {
        assert(e.bridge?.code === 'WEFT-F003', JSON.stringify(e.bridge));
      }
    });

    await check('engine events reach the webview as weft://event', async () => {
      const got = await http('POST', `${S}/execute/async`, {
        script: `const [id, done] = [arguments[0], arguments[arguments.length - 1]];
          const I = window.__TAURI_INTERNALS__;
          const timer = setTimeout(() => done({ err: 'no event within 5 s' }), 5000);
          const handler = I.transformCallback((e) => {
            if (e.payload.workflowId === id && e.payload.kind === 'workflow_changed') { clearTimeout(timer); done({ ok: e.payload }); }
          });
          I.invoke('plugin:event|listen', { event: 'weft://event', target: { kind: 'Any' }, handler })
            .then(() => I.invoke('rename_workflow', { id, name: 'E2E renamed' }))
            .catch((err) => done({ err }));`,
        args: [wf.id],
      });
      assert(got?.ok?.seq > 0, JSON.stringify(got));
      const after = await invoke('events_after', { seq: 0 });
      assert(after.some((e) => e.seq === got.ok.seq), 'events_after misses the live event');
    });

    await check('Run now runs the workflow to completion', async () => {
      const id = await invoke('send_command', { workflowId: wf.id, command: { type: 'run_now', params: {}, simulate: false } });
      const record = await invoke('wait_command', { id });
      assert(record.outcome?.outcome === 'applied', JSON.stringify(record));
      let run;
      for (let i = 0; i < 100; i++) {
        const page = await invoke('list_runs', { filter: { workflowId: wf.id }, cursor: null, limit: 10 });
        run = page.runs[0];
        if (run && ['completed', 'failed', 'error', 'cancelled'].includes(run.status)) break;
        await sleep(100);
      }
      assert(run?.status === 'completed', JSON.stringify(run));
      const detail = await invoke('get_run', { id: run.id });
      assert(detail.progress === 100, `progress ${detail.progress}`);
      const tasks = await invoke('run_tasks', { runId: run.id });
      assert(tasks.length >= 2, `${tasks.length} tasks`);
      const attempts = await invoke('task_attempts', { taskId: tasks[0].id });
      assert(Array.isArray(attempts), 'attempts');
      const edges = await invoke('run_edges', { runId: run.id });
      assert(edges.some((e) => e.from === 'start' && e.taken > 0), JSON.stringify(edges));
      const logs = await invoke('run_logs', { runId: run.id, activityId: null });
      assert(Array.isArray(logs), 'logs');
      const approvals = await invoke('open_approvals');
      assert(Array.isArray(approvals), 'approvals');
    });

    await check('export then import round-trips a workflow', async () => {
      const text = await invoke('export_workflow', { id: wf.id });
      assert(JSON.parse(text).name === 'E2E renamed', 'exported name');
      // Names are unique in a store: importing the same file again answers with the workflow
      // it made; a file with another name makes a new workflow.
      const again = await invoke('import_workflow', { json: text });
      assert(again.id === wf.id, `a re-import answers with the same workflow: ${JSON.stringify(again)}`);
      const other = JSON.stringify({ ...JSON.parse(text), name: 'E2E imported' });
      const imported = await invoke('import_workflow', { json: other });
      assert(imported.id !== wf.id && imported.name === 'E2E imported', JSON.stringify(imported));
      const copy = await invoke('duplicate_workflow', { id: imported.id });
      assert(copy.name === 'E2E imported (copy)', copy.name);
      await invoke('delete_workflow', { id: copy.id });
      await invoke('delete_workflow', { id: imported.id });
      const list = await invoke('list_workflows');
      assert(!list.some((w) => w.id === copy.id), 'deleted workflow still listed');
    });

    await check('save_as_template adds a user template', async () => {
      const t = await invoke('save_as_template', { id: wf.id, folder: 'E2E' });
      assert(t.id.startsWith('user:E2E/') && t.folder === 'E2E' && !t.shipped, JSON.stringify(t));
      const list = await invoke('list_templates');
      assert(list.some((x) => x.id === t.id), 'not listed');
    });

    // The designer's path through the real UI: clicks, typing and a real right-click in the webview.
    const find = async (using, value, timeoutMs = 8000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        try {
          const found = await http('POST', `${S}/element`, { using, value });
          return found[ELEMENT];
        } catch (e) {
          if (Date.now() > until) throw new Error(`no element ${value}: ${e.message}`);
          await sleep(100);
        }
      }
    };
    const css = (value, t) => find('css selector', value, t);
    const xpath = (value, t) => find('xpath', value, t);
    const click = (id) => http('POST', `${S}/element/${id}/click`, {});
    const typeInto = async (id, text) => {
      await http('POST', `${S}/element/${id}/clear`, {});
      await http('POST', `${S}/element/${id}/value`, { text });
    };
    const waitUntil = async (what, fn, timeoutMs = 10000) => {
      const until = Date.now() + timeoutMs;
      while (!(await fn())) {
        if (Date.now() > until) throw new Error(`timed out: ${what}`);
        await sleep(100);
      }
    };

    // Top-bar navigation, the open dialog's Close, a workflow card's Open: by what a person reads.
    const nav = (label) => script(
      `const b = [...document.querySelectorAll('header button, nav button, a')].find((e) => e.innerText.trim() === arguments[0]); if (b) b.click(); return !!b;`, [label]);
    const closeDialog = () => script(
      `const b = [...document.querySelectorAll("[role='dialog'] button")].find((e) => e.innerText.trim() === 'Close'); if (b) b.click(); return true;`);
    const openCard = (name) => waitUntil(`the card ${name}`, async () => script(
      `const card = [...document.querySelectorAll('article')].find((e) => e.getAttribute('aria-label') === arguments[0]);
       const b = card && [...card.querySelectorAll('button')].find((e) => e.innerText.trim() === 'Open'); if (b) { b.click(); return true; } return false;`, [name]));

    await check('a designer builds a workflow in the UI, saves it, runs it and finds it in the runs list', async () => {
      await script('location.hash = ""; return true;').catch(() => {});
      await click(await xpath("//button[normalize-space(.)='Create workflow']"));
      await typeInto(await css('#wf-name'), 'Designed in the UI');
      await click(await css("form[aria-label='Create workflow'] button[type='submit']"));
      await css(".react-flow__node[data-id='finish']");
      // The section menu on the Start → Finish transition, then its section modal.
      await script(`document.querySelector('[data-testid="edge-plus-start:ok->finish"]').click(); return true;`);
      await click(await css("[role='menu'] [data-kind='run_command']"));
      const command = await css('#root_command');
      await typeInto(command, 'echo designed-in-ui');
      await click(await xpath("//*[@data-testid='section-modal']//button[normalize-space(.)='OK']"));
      await css(".react-flow__node[data-id='run_command']");
      // A real right-click on the new activity opens the menu with the items in order.
      const node = await css(".react-flow__node[data-id='run_command']");
      const rect = await http('GET', `${S}/element/${node}/rect`);
      const [x, y] = [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)];
      await http('POST', `${S}/actions`, {
        actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
          { type: 'pointerMove', x, y, origin: 'viewport' }, { type: 'pointerDown', button: 2 }, { type: 'pointerUp', button: 2 },
        ] }],
      });
      await css("[role='menu'][aria-label='Activity menu']");
      const items = await script(`return [...document.querySelectorAll("[role='menu'][aria-label='Activity menu'] [role='menuitem']")].map((e) => e.querySelector('span:not(.menu-check):not(.shortcut)')?.textContent.trim());`);
      const expected = ['Open', 'Display logs', 'Inspect', 'Breakpoint…', 'Execute pending task(s) now', 'Workflow restart from a task', 'Cut', 'Copy', 'Paste', 'Delete', 'Copy as bitmap', 'Normal execution', 'Enable but do not execute', 'Do not enable', 'Save', 'Cancel'];
      assert(JSON.stringify(items) === JSON.stringify(expected), `menu: ${JSON.stringify(items)}`);
      await script(`document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;`);
      await http('POST', `${S}/actions`, { actions: [{ type: 'key', id: 'kb', actions: [{ type: 'keyDown', value: '\uE00C' }, { type: 'keyUp', value: '\uE00C' }] }] }).catch(() => {});
      // Save, then check the store has the new revision with the configured command.
      await click(await xpath("//button[contains(@data-tip, 'Save (Ctrl+S)')]"));
      let saved;
      await waitUntil('the save to reach the store', async () => {
        saved = (await invoke('list_workflows')).find((w) => w.name === 'Designed in the UI');
        if (!saved || saved.revision < 2) return false;
        const { body } = await invoke('get_workflow', { id: saved.id });
        return body.activities.some((a) => a.kind === 'run_command' && a.config.command === 'echo designed-in-ui');
      });
      // Run now from the editor opens the run dialog (its code loads on first use): confirm it.
      await click(await xpath("//button[normalize-space(.)='Run now']"));
      await waitUntil('the run dialog\'s Start execution', async () => script(
        `const b = [...document.querySelectorAll('button')].find((e) => /Start execution/.test(e.innerText)); if (b && !b.disabled) { b.click(); return true; } return false;`));
      let run;
      await waitUntil('the run to complete', async () => {
        run = (await invoke('list_runs', { filter: { workflowId: saved.id }, cursor: null, limit: 5 })).runs[0];
        return run && run.status === 'completed';
      }, 20000);
      const tasks = await invoke('run_tasks', { runId: run.id });
      const step = tasks.find((t) => t.activityId === 'run_command');
      assert(step?.stdout === 'designed-in-ui\n', JSON.stringify(step));
      // The runs list shows it.
      await nav('Runs');
      await waitUntil('the runs list to show the run', async () => (await script('return document.body.innerText;')).includes('Designed in the UI'));
    });

    // Run control through the real app: each a queued engine command.
    const makeWorkflow = async (name, activities, transitions, extra = {}) => {
      const made = await invoke('create_workflow', { name });
      const body = { format: 1, name, parameters: { type: 'object', properties: {} }, activities, transitions, ...extra };
      await invoke('save_workflow', { id: made.id, body });
      return made.id;
    };
    const command = async (workflowId, cmd) => {
      const id = await invoke('send_command', { workflowId, command: cmd });
      const record = await invoke('wait_command', { id });
      assert(record.outcome?.outcome === 'applied', `${cmd.type}: ${JSON.stringify(record.outcome)}`);
      return record.outcome;
    };
    const runsOf = async (workflowId) => (await invoke('list_runs', { filter: { workflowId }, cursor: null, limit: 50 })).runs;
    const state = async (id) => (await invoke('list_workflows')).find((w) => w.id === id).state;
    const A = (id, kind, config = {}) => ({ id, kind, config, position: { x: 0, y: 0 } });
    const T = (from, to, port = 'ok') => ({ from, port, to });

    await check('start, pause, resume and execute pending tasks now on a workflow with a Wait', async () => {
      const id = await makeWorkflow('E2E wait', [A('start', 'start'), A('wait', 'wait', { duration: '1h' }), A('after', 'set_variables', { variables: { done: 'yes' } }), A('finish', 'finish')],
        [T('start', 'wait'), T('wait', 'after'), T('after', 'finish')]);
      await command(id, { type: 'start' });
      assert((await state(id)) === 'started', 'started');
      let run;
      await waitUntil('the wait to be pending', async () => {
        run = (await runsOf(id))[0];
        return run && (await invoke('run_tasks', { runId: run.id })).some((t) => t.activityId === 'wait' && t.status === 'waiting');
      });
      await command(id, { type: 'pause' });
      assert((await state(id)) === 'paused', 'paused');
      await command(id, { type: 'execute_pending' });
      await sleep(400);
      const held = (await invoke('run_tasks', { runId: run.id })).find((t) => t.activityId === 'after');
      assert(held?.status === 'ready', `paused: nothing new runs (${held?.status})`);
      const resumed = await command(id, { type: 'start' });
      assert(resumed.detail === 'resumed', JSON.stringify(resumed));
      await waitUntil('the run to complete', async () => (await invoke('get_run', { id: run.id })).status === 'completed');
    });

    await check('stop while a command runs kills its process and cancels the run', async () => {
      const pidFile = join(scratch, 'child.pid');
      const id = await makeWorkflow('E2E stop', [A('start', 'start'), A('long', 'run_command', { command: `sleep 120 & echo $! > ${pidFile}; wait` }), A('finish', 'finish')],
        [T('start', 'long'), T('long', 'finish')]);
      await command(id, { type: 'start' });
      await waitUntil('the child process', async () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim().length > 0);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert(existsSync(`/proc/${pid}`), 'the child runs');
      await command(id, { type: 'stop' });
      await waitUntil('the run to be cancelled', async () => (await runsOf(id))[0].status === 'cancelled');
      await waitUntil('the child process to be gone', async () => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
        } catch {
          return true;
        }
      });
      await waitUntil('the workflow to be finished', async () => (await state(id)) === 'finished');
    });

    await check('approve a waiting approval, purge history, restart from a task, simulate', async () => {
      const out = join(scratch, 'out.txt');
      const id = await makeWorkflow('E2E approve', [A('start', 'start'), A('ask', 'approval', { message: 'Go?' }), A('cmd', 'run_command', { command: 'echo ran >> ' + join(scratch, 'count.txt') }),
        A('write', 'write_file', { path: out, content: 'done' }), A('finish', 'finish')],
        [T('start', 'ask'), T('ask', 'cmd', 'approved'), T('cmd', 'write'), T('write', 'finish')]);
      await command(id, { type: 'run_now', params: {}, simulate: false });
      let approval;
      await waitUntil('the approval', async () => {
        approval = (await invoke('open_approvals')).find((a) => a.workflowId === id);
        return !!approval;
      });
      assert(approval.message === 'Go?', approval.message);
      await command(id, { type: 'approve', task_id: approval.taskId, comment: 'ok', by: 'e2e' });
      const first = (await runsOf(id))[0];
      await waitUntil('the approved run to complete', async () => (await invoke('get_run', { id: first.id })).status === 'completed');
      assert(readFileSync(out, 'utf8') === 'done', 'written');
      const restarted = await command(id, { type: 'restart_from_task', run_id: first.id, activity_id: 'write' });
      const second = restarted.run;
      await waitUntil('the restarted run to complete', async () => (await invoke('get_run', { id: second })).status === 'completed');
      const reused = (await invoke('run_tasks', { runId: second })).filter((t) => t.reused).map((t) => t.activityId);
      assert(reused.includes('cmd') && reused.includes('ask'), `reused ${reused}`);
      assert(readFileSync(join(scratch, 'count.txt'), 'utf8') === 'ran\n', 'upstream command not re-run');
      const simulated = await command(id, { type: 'run_now', params: {}, simulate: true });
      const third = simulated.run;
      await waitUntil('the approval of the simulated run', async () => (await invoke('open_approvals')).some((a) => a.runId === third));
      const ask = (await invoke('open_approvals')).find((a) => a.runId === third);
      await command(id, { type: 'approve', task_id: ask.taskId, comment: null, by: 'e2e' });
      await waitUntil('the simulated run to complete', async () => (await invoke('get_run', { id: third })).status === 'completed');
      const skipped = (await invoke('run_tasks', { runId: third })).filter((t) => t.status === 'skipped').map((t) => `${t.activityId}:${t.waitReason}`);
      assert(skipped.includes('cmd:simulation') && skipped.includes('write:not_taken'), `skipped ${skipped}`);
      const purged = await command(id, { type: 'purge_history' });
      assert(purged.detail === '3 run(s) purged', JSON.stringify(purged));
      assert((await runsOf(id)).length === 0, 'history purged');
    });

    await check('an operator approves from the run dialog and the approved email lands in the outbox', async () => {
      const made = await invoke('create_workflow', { name: 'E2E gated', template: 'shipped:approval-gated-email' });
      await nav('Workflows');
      const clickIn = (scope, label) => script(
        `const root = [...document.querySelectorAll(arguments[0])].find((e) => e.innerText.includes(arguments[2]));
         const b = root && [...root.querySelectorAll('button')].find((e) => e.innerText.trim() === arguments[1]);
         if (b && !b.disabled) { b.click(); return true; } return false;`, [scope, label, 'E2E gated']);
      await waitUntil('the card', async () => clickIn('article', 'Run now'));
      await waitUntil('Start execution', async () => clickIn("[role='dialog']", 'Start execution'));
      await waitUntil('the approval box', async () => script(`return !!document.querySelector("[data-testid='approval-box']");`), 15000);
      await waitUntil('Approve', async () => script(`const b = [...document.querySelectorAll("[data-testid='approval-box'] button")].find((e) => e.innerText.trim() === 'Approve'); if (b) { b.click(); return true; } return false;`));
      await waitUntil('the dialog to show 100%', async () => (await script(`const p = document.querySelector("[data-testid='run-progress']"); return p ? p.textContent : '';`)) === '100%', 15000);
      const run = (await runsOf(made.id))[0];
      assert(run.status === 'completed', run.status);
      const sent = (await invoke('run_tasks', { runId: run.id })).find((t) => t.activityId === 'send');
      assert(sent?.status === 'succeeded' && existsSync(sent.result.file), JSON.stringify(sent?.result));
      await script(`document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;`);
    });

    await check('activities copied in one window paste into another workflow in a second window, through the system clipboard', async () => {
      const at = (a, x, y) => ({ ...a, position: { x, y } });
      const source = await makeWorkflow('Clip source', [at(A('start', 'start'), 40, 0), at(A('echo', 'run_command', { command: 'echo clip-source' }), 0, 140), at(A('finish', 'finish'), 40, 300)], [T('start', 'echo'), T('echo', 'finish')]);
      const target = await makeWorkflow('Clip target', [at(A('start', 'start'), 0, 0), at(A('finish', 'finish'), 0, 240)], [T('start', 'finish')]);
      const main = await http('GET', `${S}/window`);
      const rightClick = async (x, y) => http('POST', `${S}/actions`, {
        actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
          { type: 'pointerMove', x, y, origin: 'viewport' }, { type: 'pointerDown', button: 2 }, { type: 'pointerUp', button: 2 },
        ] }],
      });
      const menuItem = async (label) => {
        await css("[role='menu'] [role='menuitem']");
        await waitUntil(`${label} enabled`, async () => script(`const b = document.querySelector("[role='menu'] [role='menuitem'][aria-label='" + arguments[0] + "']"); return !!b && !b.disabled;`, [label]));
        await script(`document.querySelector("[role='menu'] [role='menuitem'][aria-label='" + arguments[0] + "']").click(); return true;`, [label]);
      };
      const clipboard = () => execFileSync('xclip', ['-selection', 'clipboard', '-o'], { env, timeout: 5000 }).toString();
      // The previous check leaves the run dialog open: close it.
      await closeDialog();
      await waitUntil('no dialog', async () => script(`return !document.querySelector("[role='dialog']");`));
      // Copy from the first window.
      await nav('Workflows');
      await openCard('Clip source');
      const node = await css(".react-flow__node[data-id='echo']");
      const rect = await http('GET', `${S}/element/${node}/rect`);
      await rightClick(Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2));
      await menuItem('Copy');
      await waitUntil('the clip on the X clipboard', async () => clipboard().includes('"weft": "activities"'));
      assert(clipboard().includes('echo clip-source'), `clipboard: ${clipboard().slice(0, 200)}`);
      // Open the other workflow in a window of its own, from its card's menu.
      await nav('Workflows');
      await waitUntil('the target card menu', async () => script(
        `const b = document.querySelector("button[aria-label='More actions for Clip target']"); if (b) { b.click(); return true; } return false;`));
      await menuItem('Open in new window');
      let second;
      await waitUntil('a second window', async () => {
        second = (await http('GET', `${S}/window/handles`)).find((h) => h !== main);
        return !!second;
      });
      await http('POST', `${S}/window`, { handle: second });
      try {
        await css(".react-flow__node[data-id='finish']", 15000);
        // Paste is offered although nothing was copied in this window: the clipboard has activities.
        // (Right-click on an activity: WebKitWebDriver ends a right-click on the empty canvas with
        // a left click, which closes the menu; a person's right-click does not.)
        const start = await css(".react-flow__node[data-id='start']");
        const box = await http('GET', `${S}/element/${start}/rect`);
        await rightClick(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2));
        await menuItem('Paste');
        await css(".react-flow__node[data-id='echo']");
        // Text put on the clipboard by another program (here xclip) pastes too, with Ctrl+V.
        const copied = JSON.parse(clipboard());
        const external = JSON.stringify({ ...copied, activities: [{ ...copied.activities[0], id: 'note', label: 'From outside', config: { command: 'echo from-xclip' } }] });
        execFileSync('xclip', ['-selection', 'clipboard', '-i'], { env, input: external, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
        await http('POST', `${S}/actions`, { actions: [{ type: 'key', id: 'kb', actions: [
          { type: 'keyDown', value: '\uE009' }, { type: 'keyDown', value: 'v' }, { type: 'keyUp', value: 'v' }, { type: 'keyUp', value: '\uE009' },
        ] }] });
        await css(".react-flow__node[data-id='note']");
        await click(await xpath("//button[contains(@data-tip, 'Save (Ctrl+S)')]"));
        await waitUntil('the target saved with both pasted activities', async () => {
          const { body } = await invoke('get_workflow', { id: target });
          const echo = body.activities.find((a) => a.id === 'echo');
          const note = body.activities.find((a) => a.id === 'note');
          return echo?.config.command === 'echo clip-source' && note?.config.command === 'echo from-xclip';
        });
        const { body: src } = await invoke('get_workflow', { id: source });
        assert(src.activities.length === 3, 'the source is unchanged');
      } finally {
        await http('DELETE', `${S}/window`).catch(() => {});
        await http('POST', `${S}/window`, { handle: main });
      }
    });

    await check('a screenshot of the window is saved', async () => {
      // The editor on a shipped template, as a designer sees it.
      await closeDialog();
      await nav('Workflows');
      await openCard('E2E gated');
      await css(".react-flow__node[data-id='review']");
      await sleep(600);
      const found = await http('POST', `${S}/element`, { using: 'css selector', value: 'body' });
      assert(found?.[ELEMENT], 'no body element');
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      try {
        const png = await http('GET', `${S}/screenshot`, undefined, 15000);
        writeFileSync(SCREENSHOT, Buffer.from(png, 'base64'));
      } catch (e) {
        // WebKitWebDriver hangs on screenshots when the DMA-BUF renderer is off: grab the display.
        console.log(`     WebDriver screenshot failed (${e.message}); using ImageMagick import`);
        execFileSync('import', ['-window', 'root', SCREENSHOT], { env, timeout: 10000 });
      }
      console.log(`     screenshot: ${SCREENSHOT}`);
    });

    await check('the Schedulers view in the app shows a schedule in words with its next fire times; the editor names its window', async () => {
      await closeDialog();
      const scheduled = await invoke('create_workflow', { name: 'E2E scheduled', template: 'shipped:daily-report' });
      await command(scheduled.id, { type: 'start' });
      await nav('Schedulers');
      await waitUntil('the scheduled workflow in the Schedulers view, active, with its next fire times', async () => {
        const text = await script('return document.body.innerText;');
        return text.includes('E2E scheduled') && text.includes('every weekday at 07:00 UTC') && text.includes('Active')
          && (text.match(/\w{3} \d{1,2} \w{3} \d{4} 07:00 UTC/g) ?? []).length >= 3;
      });
      await sleep(400);
      const shot = join(dirname(SCREENSHOT), 'schedulers-desktop.png');
      try {
        writeFileSync(shot, Buffer.from(await http('GET', `${S}/screenshot`, undefined, 15000), 'base64'));
      } catch {
        execFileSync('import', ['-window', 'root', shot], { env, timeout: 10000 });
      }
      // The editor on a workflow names the page (and the window) after it.
      await nav('Workflows');
      await openCard('E2E gated');
      await css(".react-flow__node[data-id='review']");
      await waitUntil('the title to name the workflow', async () => (await http('GET', `${S}/title`)) === 'E2E gated — Weft');
    });

    await check("the app attaches to a team server: its store opens in a window of its own, over HTTP with an operator's token, within their capabilities", async () => {
      // A team server: weft serve --http on a store of its own, with a workflow and a token.
      const weftBin = join(targetDir, 'debug', 'weft');
      const teamDir = mkdtempSync(join(tmpdir(), 'weft-team-'));
      const teamEnv = { ...process.env, WEFT_DB: join(teamDir, 'team.db'), WEFT_UI: join(ROOT, 'ui', 'dist') };
      execFileSync(weftBin, ['new', 'Team-only workflow'], { env: teamEnv, stdio: 'ignore' });
      // The token is an operator's who may read and answer approvals, not run or edit.
      execFileSync(weftBin, ['operators', 'add', 'dana', '--group', 'marketing', '--can', 'list,approve'], { env: teamEnv, stdio: 'ignore' });
      const token = execFileSync(weftBin, ['tokens', 'create', 'desktop', '--operator', 'dana'], { env: teamEnv, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      const server = spawn(weftBin, ['serve', '--no-webhooks', '--http', '127.0.0.1:0'], { env: teamEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      started.push(server);
      const address = await new Promise((res, rej) => {
        let seen = '';
        const timer = setTimeout(() => rej(new Error(`weft serve printed no address: ${seen}`)), 15000);
        server.stderr.on('data', (d) => {
          seen += d.toString();
          const m = seen.match(/weft serve: (http:\/\/127\.0\.0\.1:\d+\/)/);
          if (m) {
            clearTimeout(timer);
            res(m[1]);
          }
        });
      });
      await closeDialog();
      const main = await http('GET', `${S}/window`);
      await click(await css("header button[aria-label='Team server']"));
      // Set as a paste would: WebKitWebDriver's typing under Xvfb drops shifted keys (':' '_').
      const fill = (selector, text) => script(
        `const el = document.querySelector(arguments[0]);
         Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, arguments[1]);
         el.dispatchEvent(new Event('input', { bubbles: true })); return el.value;`, [selector, text]);
      await css("input[aria-label='Team server address']");
      await fill("input[aria-label='Team server address']", address);
      await click(await xpath("//form[@role='dialog']//button[normalize-space()='Open']"));
      let team;
      await waitUntil('the team server window', async () => {
        team = (await http('GET', `${S}/window/handles`)).find((h) => h !== main);
        return !!team;
      });
      await http('POST', `${S}/window`, { handle: team });
      try {
        await css('#token-input', 20000);
        await fill('#token-input', token);
        await click(await xpath("//form[contains(@class,'token-card')]//button[normalize-space()='Open']"));
        await waitUntil("the server's workflow listed in its window", async () => (await script('return document.body.innerText;')).includes('Team-only workflow'), 20000);
        // Tauri puts its internals into every window; the server's page must not use them.
        const denied = await http('POST', `${S}/execute/async`, {
          script: `const done = arguments[arguments.length - 1];
            window.__TAURI_INTERNALS__.invoke('list_workflows', {}).then(() => done('allowed'), () => done('denied'));`,
          args: [],
        });
        assert(denied === 'denied', `the server's page reached the app's commands: ${denied}`);
        assert((await http('GET', `${S}/title`)).startsWith('Weft'), 'a Weft page');
        // Within the operator's capabilities: named in the top bar, Run now and Create not offered.
        await waitUntil('the operator named in the top bar', async () => (await script(
          "return document.querySelector('[data-testid=session-badge]')?.textContent ?? '';")) === 'Operator dana');
        const offered = await script(
          `const card = [...document.querySelectorAll('article')].find((a) => a.getAttribute('aria-label') === 'Team-only workflow');
           const run = [...card.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run now');
           const create = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Create workflow');
           return [run.disabled, create.disabled, run.getAttribute('data-tip')];`);
        assert(offered[0] && offered[1], `Run now and Create workflow disabled for dana: ${JSON.stringify(offered)}`);
        assert(/^Operator dana may not start, stop or run workflows/.test(offered[2]), `the reason: ${offered[2]}`);
        await sleep(300);
        try {
          writeFileSync(join(dirname(SCREENSHOT), 'team-server-desktop.png'), Buffer.from(await http('GET', `${S}/screenshot`, undefined, 15000), 'base64'));
        } catch {
          // A screenshot is a picture for the README, not part of the check.
        }
      } finally {
        await http('DELETE', `${S}/window`).catch(() => {});
        await http('POST', `${S}/window`, { handle: main });
        server.kill('SIGTERM');
      }
      // The local store is untouched: the team's workflow is not in it.
      const local = await invoke('list_workflows');
      assert(!local.some((w) => w.name === 'Team-only workflow'), 'the local store is its own');
    });

    await check('Copy as bitmap through the real menu puts the selection on the clipboard, checked by its pixels', async () => {
      // The editor is open on 'E2E gated' (approval-gated-email). Select Start, the trigger and
      // Prepare message as a person does — click, then Ctrl+click — and right-click the last one.
      const pointAt = async (id) => {
        const r = await http('GET', `${S}/element/${await css(`.react-flow__node[data-id='${id}']`)}/rect`);
        return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
      };
      const pointer = (x, y, button) => http('POST', `${S}/actions`, {
        actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
          { type: 'pointerMove', x, y, origin: 'viewport' }, { type: 'pointerDown', button }, { type: 'pointerUp', button },
        ] }],
      });
      const ctrl = (type) => http('POST', `${S}/actions`, { actions: [{ type: 'key', id: 'kb', actions: [{ type, value: '\uE009' }] }] });
      await pointer(...(await pointAt('start')), 0);
      await ctrl('keyDown');
      try {
        await pointer(...(await pointAt('manual')), 0);
        await pointer(...(await pointAt('prepare')), 0);
      } finally {
        await ctrl('keyUp');
        await http('DELETE', `${S}/actions`).catch(() => {});
      }
      const selected = () => script(`return [...document.querySelectorAll('.react-flow__node.selected')].map((n) => n.dataset.id).sort().join(',');`);
      await waitUntil('three activities selected', async () => (await selected()) === 'manual,prepare,start');
      await pointer(...(await pointAt('prepare')), 2);
      await css("[role='menu'][aria-label='Activity menu']");
      await script(`[...document.querySelectorAll("[role='menu'] [role='menuitem']")].find((e) => e.innerText.includes('Copy as bitmap')).click(); return true;`);
      await waitUntil('the toast', async () => (await script('return document.body.innerText;')).includes('Copied the selection as an image'));
      const png = join(scratch, 'clipboard.png');
      writeFileSync(png, execFileSync('xclip', ['-selection', 'clipboard', '-t', 'image/png', '-o'], { env, timeout: 5000, maxBuffer: 64 << 20 }));
      const [w, h] = execFileSync('identify', ['-format', '%w %h', png]).toString().split(' ').map(Number);
      const rgba = execFileSync('convert', [png, '-depth', '8', 'rgba:-'], { maxBuffer: 256 << 20 });
      // The saved layout: Start (160×48) at (0,0), the trigger and Prepare (240×64) at (0,140)
      // and (0,280). Bounds 240 × 344; the picture is (bounds + 2 × 32 padding) × 2.
      const { body } = await invoke('get_workflow', { id: (await invoke('list_workflows')).find((x) => x.name === 'E2E gated').id });
      const at = Object.fromEntries(body.activities.map((a) => [a.id, a.position]));
      const box = { start: [160, 48], manual: [240, 64], prepare: [240, 64] };
      const minX = Math.min(...Object.keys(box).map((id) => at[id].x));
      const minY = Math.min(...Object.keys(box).map((id) => at[id].y));
      const maxX = Math.max(...Object.keys(box).map((id) => at[id].x + box[id][0]));
      const maxY = Math.max(...Object.keys(box).map((id) => at[id].y + box[id][1]));
      assert(w === (maxX - minX + 64) * 2 && h === (maxY - minY + 64) * 2, `picture ${w}×${h} for bounds ${maxX - minX}×${maxY - minY}`);
      const px = (cx, cy) => {
        const [x, y] = [Math.round((cx - minX + 32) * 2), Math.round((cy - minY + 32) * 2)];
        const i = (y * w + x) * 4;
        return [rgba[i], rgba[i + 1], rgba[i + 2]];
      };
      const bg = px(minX - 30, minY - 30);
      const theme = await script('return document.documentElement.dataset.theme;');
      const expectedBg = theme === 'dark' ? [0x12, 0x14, 0x1a] : [0xf4, 0xf5, 0xf8];
      assert(bg.every((v, i) => Math.abs(v - expectedBg[i]) <= 2), `background ${bg} in the ${theme} theme`);
      const differs = (a, b, by = 60) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > by;
      // Every selected activity's label box holds ink (text darker or lighter than its card).
      for (const [id, x0] of [['start', 51], ['manual', 59], ['prepare', 59]]) {
        const { x, y } = at[id];
        const top = 19;
        // The card's own colour, from an empty corner of it.
        const card = id === 'start' ? px(x + 140, y + 24) : px(x + 200, y + 54);
        let ink = 0;
        for (let cx = x + x0; cx < x + x0 + 60; cx += 0.5) for (let cy = y + top; cy < y + top + 12; cy += 0.5) if (differs(px(cx, cy), card, 150)) ink++;
        assert(ink > 40, `${id}: ${ink} ink pixels in its label box`);
      }
      // Every transition between selected activities has stroke pixels at its midpoint (xyflow's
      // curve from the bottom handle to 10 px above the target; the midpoint of such a curve is
      // the middle of its ends).
      const stroke = (cx, cy) => {
        for (let dx = -2; dx <= 2; dx += 0.5) for (let dy = -2; dy <= 2; dy += 0.5) if (differs(px(cx + dx, cy + dy), bg)) return true;
        return false;
      };
      for (const [from, to] of [['start', 'manual'], ['manual', 'prepare']]) {
        const s = [at[from].x + box[from][0] / 2, at[from].y + box[from][1] + 5];
        const t = [at[to].x + box[to][0] / 2, at[to].y - 10];
        assert(stroke((s[0] + t[0]) / 2, (s[1] + t[1]) / 2), `no stroke at the middle of ${from} → ${to}`);
      }
      // Nothing outside the selection: under Prepare's ok port, where the transition to the
      // approval would run, only background down to the picture's edge.
      const okX = at.prepare.x + 80;
      for (let cy = at.prepare.y + 64 + 8; cy < maxY + 31; cy += 0.5) {
        assert(!differs(px(okX, cy), bg, 30), `something drawn at (${okX}, ${cy}) below the selection: ${px(okX, cy)}`);
      }
      copyFileSync(png, join(dirname(SCREENSHOT), 'copy-as-bitmap.png'));
    });
  } finally {
    await http('DELETE', S, undefined, 10000).catch(() => {});
    stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  failed += 1;
  console.log(`FAIL setup: ${e?.stack || e}`);
  stopAll();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
