// Before the browser tests: the UI built from the current sources, and the `weft` binary built.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repo, target, ui, weftBinary } from "./paths.mjs";

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function globalSetup() {
  const index = join(ui, "dist", "index.html");
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newest(join(ui, "src")), statSync(join(ui, "index.html")).mtimeMs, newest(join(repo, "docs/schema")));
  if (process.env.WEFT_SKIP_BUILD !== "1" && sources > builtAt) {
    console.log("building the UI…");
    execSync("npx vite build --logLevel error", { cwd: ui, stdio: "inherit" });
  }
  if (!process.env.WEFT_BIN) {
    // Quick when nothing changed; the Makefile's test-browser has built it already.
    execSync("cargo build -q -p weft-cli", { cwd: repo, stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: target } });
  }
  if (!existsSync(weftBinary)) throw new Error(`no weft binary at ${weftBinary}`);
}
