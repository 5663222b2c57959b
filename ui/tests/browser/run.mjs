// Browser tests: builds the UI when needed, serves ui/dist on 127.0.0.1, runs every
// `*.spec.mjs` here against Debian's Chromium (playwright-core), one fresh context per test.
// Prints "N passed, M failed" last and exits non-zero on any failure.
import { execSync } from "node:child_process";
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const ui = resolve(here, "../..");
const dist = join(ui, "dist");
const only = process.argv[2];

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const builtAt = existsSync(join(dist, "index.html")) ? statSync(join(dist, "index.html")).mtimeMs : 0;
const sources = Math.max(newest(join(ui, "src")), statSync(join(ui, "index.html")).mtimeMs, newest(resolve(ui, "../docs/schema")));
if (process.env.WEFT_SKIP_BUILD !== "1" && sources > builtAt) {
  console.log("building the UI…");
  execSync("npx vite build --logLevel error", { cwd: ui, stdio: "inherit" });
}

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json" };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = join(dist, path);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, "index.html");
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const tests = [];
for (const f of readdirSync(here).filter((f) => f.endsWith(".spec.mjs")).sort()) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  for (const [name, fn] of Object.entries(mod.tests)) tests.push({ name: `${f.replace(".spec.mjs", "")} › ${name}`, fn });
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url.slice(0, -1) });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  try {
    await page.goto(url);
    await t.fn({ page, context, url, browser });
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    passed++;
    console.log(`  ✓ ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`  ✗ ${t.name}\n      ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n      ")}`);
    await page.screenshot({ path: join(ui, "test-results", `${t.name.replace(/\W+/g, "_")}.png`) }).catch(() => {});
  }
  await context.close();
}
await browser.close();
server.close();
console.log(`browser suite: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
