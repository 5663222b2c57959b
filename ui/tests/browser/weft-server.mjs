// A real engine for the browser: a fresh store in a temporary folder, an access token, and
// `weft serve --http 127.0.0.1:0` serving the built UI; plus a small client to arrange what a
// test needs through the same API the UI uses. Used by the browser tests' fixtures and by the
// canvas benchmark.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, ui, weftBinary } from "./paths.mjs";

/** The templates every test's store starts with (the list shows them by name). */
export const SEED = ["approval-gated-email", "daily-report", "http-health-check"];

function weft(db, args) {
  const out = spawnSync(weftBinary, ["--db", db, ...args], { cwd: repo, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`weft ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

/** Starts `weft serve --http 127.0.0.1:0` and resolves once it printed its address. */
function serve(db, dir) {
  const child = spawn(weftBinary, ["--db", db, "serve", "--no-webhooks", "--http", "127.0.0.1:0", "--ui", join(ui, "dist")], {
    cwd: repo,
    env: { ...process.env, WEFT_TEMPLATES: join(repo, "workflows-templates"), WEFT_LOG: "warn", HOME: dir },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`weft serve printed no address:\n${log}`)), 15_000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/weft serve: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], log: () => log });
      }
    });
    child.on("exit", (code) => reject(new Error(`weft serve exited (${code}):\n${log}`)));
  });
}

/** A client of one test's server, for arranging what a test needs before the page looks. */
export class Server {
  constructor(url, token, dir) {
    this.url = url;
    this.token = token;
    this.dir = dir;
  }

  async api(method, path, body) {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const value = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(value)}`);
    return value;
  }

  async importTemplate(file) {
    const json = readFileSync(join(repo, "workflows-templates", `${file}.weft.json`), "utf8");
    return this.api("POST", "/workflows/import", { json });
  }

  async workflowId(name) {
    const all = await this.api("GET", "/workflows");
    const found = all.find((w) => w.name === name);
    if (!found) throw new Error(`no workflow ${name}`);
    return found.id;
  }

  /** Sends a command to a workflow (by name, or null) and waits for its outcome. */
  async command(name, command) {
    const id = await this.api("POST", name === null ? "/commands" : `/workflows/${encodeURIComponent(await this.workflowId(name))}/commands`, command);
    const record = await this.api("GET", `/commands/${id}/wait`);
    if (record.outcome?.outcome !== "applied") throw new Error(`${command.type}: ${JSON.stringify(record.outcome)}`);
    return record.outcome;
  }

  /** Waits until a run has ended; resolves with it. */
  async runEnds(runId) {
    for (let i = 0; i < 400; i++) {
      const run = await this.api("GET", `/runs/${runId}`);
      if (!["pending", "running", "waiting_for_approval"].includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not end`);
  }

  /**
   * A history to page through: `ok` completed and `failed` failed runs of two small workflows,
   * made by Run now as a person would, interleaved, and all ended.
   */
  async seedHistory(ok = 120, failed = 40) {
    const flow = (name, step) => ({
      format: 1,
      name,
      activities: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
        { id: "manual", kind: "manual_trigger", label: "Run now", position: { x: 0, y: 140 } },
        step,
        { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 420 } },
      ],
      transitions: [
        { from: "start", port: "ok", to: "manual" },
        { from: "manual", port: "ok", to: step.id },
        { from: step.id, port: "ok", to: "finish" },
      ],
    });
    const good = await this.api("POST", "/workflows/import", {
      json: JSON.stringify(flow("Nightly sync", { id: "sync", kind: "set_variables", label: "Sync", position: { x: 0, y: 280 }, config: { variables: { synced: "yes" } } })),
    });
    const bad = await this.api("POST", "/workflows/import", {
      json: JSON.stringify(flow("Flaky export", { id: "export", kind: "run_command", label: "Export", position: { x: 0, y: 280 }, config: { command: "exit 1" } })),
    });
    const runNow = { type: "run_now", params: {}, simulate: false };
    const ids = [];
    for (let i = 0; i < ok + failed; i++) {
      const w = i % 4 === 3 && ids.length / 4 < failed ? bad : good;
      ids.push(await this.api("POST", `/workflows/${encodeURIComponent(w.id)}/commands`, runNow));
    }
    let last = null;
    for (const id of ids) last = (await this.api("GET", `/commands/${id}/wait`)).outcome;
    if (last?.run) await this.runEnds(last.run);
    for (;;) {
      const page = await this.api("POST", "/runs/query", {
        filter: { workflowId: null, statuses: ["pending", "running"], trigger: null, from: null, to: null, ascending: false },
        cursor: null,
        limit: 1,
      });
      if (page.runs.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs the `weft` command line on this server's store (another process, as a person would). */
  cli(...args) {
    return weft(join(this.dir, "weft.db"), args);
  }

  /** Lets a browser context in: the token in each of its tabs' session storage. */
  async authorize(context) {
    await context.addInitScript((token) => sessionStorage.setItem("weft.token", token), this.token);
  }
}


/**
 * Starts an engine on a fresh store with `seed` templates imported; resolves with its client
 * and a `stop()` that ends the server and removes the store (kept with WEFT_KEEP_STORES=1).
 */
export async function startEngine(seed = SEED) {
  const dir = mkdtempSync(join(tmpdir(), "weft-browser-"));
  const db = join(dir, "weft.db");
  const token = weft(db, ["tokens", "create", "browser-test"]);
  const { child, url, log } = await serve(db, dir);
  const server = new Server(url, token, dir);
  for (const t of seed) await server.importTemplate(t);
  const stop = async () => {
    child.kill("SIGINT");
    await new Promise((r) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        r();
      }, 5000);
      child.on("exit", () => {
        clearTimeout(timer);
        r();
      });
    });
    if (process.env.WEFT_KEEP_STORES !== "1") rmSync(dir, { recursive: true, force: true });
    else console.log(`store kept: ${db}\n${log()}`);
  };
  return { server, stop };
}
