// The editor against the engine: create, palette drag, section menu, modal, context menu,
// copy/paste, undo/redo, save, copy as bitmap.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";

const node = (page, id) => page.locator(`.react-flow__node[data-id="${id}"]`);
const nodeIds = (page) => page.locator(".react-flow__node").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
const edgeIds = (page) => page.locator(".react-flow__edge").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
/** Transitions on the canvas, xyflow's or (zoomed far out) the ones the canvas draws itself. */
const drawnEdgeIds = (page) => page.locator(".react-flow__edge, .far-transitions path").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));

async function createBlank(page, name = "Test flow") {
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await node(page, "finish").waitFor();
  await page.waitForTimeout(150);
}

async function dropOnPane(page, kind, at) {
  const pane = page.locator(".react-flow__pane");
  const box = await pane.boundingBox();
  await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x: at.x - box.x, y: at.y - box.y } });
}

/** Start → `n` Set variables (a0…) in rows of `cols` → Finish below them. */
function chain(n, cols) {
  const activities = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} }];
  const transitions = [];
  for (let i = 0; i < n; i++) {
    activities.push({ id: `a${i}`, kind: "set_variables", label: `Step ${i}`, position: { x: (i % cols) * 260, y: 140 + Math.floor(i / cols) * 130 }, config: { variables: {} } });
    transitions.push({ from: i === 0 ? "start" : `a${i - 1}`, port: "ok", to: `a${i}` });
  }
  activities.push({ id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 140 + Math.ceil(n / cols) * 130 }, config: {} });
  transitions.push({ from: `a${n - 1}`, port: "ok", to: "finish" });
  return { activities, transitions };
}

async function center(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test("a new workflow has Start and Finish and no problems", async ({ page }) => {
  await createBlank(page);
  assert.deepEqual((await nodeIds(page)).sort(), ["finish", "start"]);
  assert.equal(await page.getByTestId("workflow-name").textContent(), "Test flow");
  await page.getByTestId("problem-count").filter({ hasText: "None" }).waitFor();
});

test("drag from the palette onto the canvas, then onto a transition", async ({ page }) => {
  await createBlank(page);
  const pane = await page.locator(".react-flow__pane").boundingBox();
  await dropOnPane(page, "notify", { x: pane.x + 80, y: pane.y + 80 });
  await page.getByTestId("section-modal").waitFor();
  await page.getByRole("button", { name: "Cancel" }).last().click();
  assert.ok((await nodeIds(page)).includes("notify"));
  // Onto the Start → Finish transition: inserted in the middle.
  const mid = await center(page.getByTestId("edge-plus-start:ok->finish"));
  await dropOnPane(page, "run_command", { x: mid.x + 3, y: mid.y + 10 });
  await page.getByTestId("section-modal").waitFor();
  await page.keyboard.press("Escape");
  const edges = await edgeIds(page);
  assert.ok(edges.includes("start:ok->run_command"), edges.join());
  assert.ok(edges.includes("run_command:ok->finish"), edges.join());
  assert.ok(!edges.includes("start:ok->finish"));
});

test("section menu offers only what is valid and inserts with its modal", async ({ page }) => {
  await createBlank(page);
  await node(page, "start").hover();
  await page.getByTestId("plus-start-ok").click();
  const menu = page.getByRole("menu", { name: "Add an activity" });
  await menu.waitFor();
  const kinds = await menu.locator("[data-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
  assert.ok(kinds.includes("manual_trigger") && kinds.includes("schedule_trigger"));
  assert.ok(!kinds.includes("start"));
  await page.keyboard.type("manual");
  await page.keyboard.press("Enter");
  const modal = page.getByTestId("section-modal");
  await modal.waitFor();
  await modal.getByRole("button", { name: "OK" }).click();
  // After a trigger: no triggers, no start.
  await node(page, "manual_trigger").hover();
  await page.getByTestId("plus-manual_trigger-ok").click();
  await menu.waitFor();
  const after = await menu.locator("[data-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
  assert.ok(!after.includes("schedule_trigger") && !after.includes("start"), after.join());
  assert.ok(after.includes("run_command") && after.includes("finish"));
  await menu.locator('[data-kind="http_request"]').click();
  await modal.waitFor();
  // Required URL: fill it, OK.
  await modal.getByLabel("URL", { exact: true }).fill("https://example.org/health");
  await modal.getByRole("button", { name: "OK" }).click();
  const edges = await edgeIds(page);
  assert.ok(edges.includes("manual_trigger:ok->http_request") && edges.includes("http_request:ok->finish"), edges.join());
});

test("modal: Cancel changes nothing, OK applies, undo/redo cover it", async ({ page }) => {
  await createBlank(page);
  await node(page, "finish").dblclick();
  const modal = page.getByTestId("section-modal");
  await modal.getByLabel("Label").fill("Changed");
  await modal.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await node(page, "finish").locator(".n-label").textContent(), "Finish");
  assert.equal(await page.getByTestId("dirty-marker").count(), 0);
  await node(page, "finish").dblclick();
  await modal.getByLabel("Label").fill("All done");
  await modal.getByLabel("Execution").selectOption("hold");
  await modal.getByRole("button", { name: "OK" }).click();
  assert.equal(await node(page, "finish").locator(".n-label").textContent(), "All done");
  assert.equal(await node(page, "finish").getByTestId("mode-badge").count(), 1);
  await page.getByTestId("dirty-marker").waitFor();
  await page.keyboard.press("Control+z");
  assert.equal(await node(page, "finish").locator(".n-label").textContent(), "Finish");
  await page.keyboard.press("Control+Shift+z");
  assert.equal(await node(page, "finish").locator(".n-label").textContent(), "All done");
});

test("right-click menu: exact order, disabled items, execution modes", async ({ page }) => {
  await createBlank(page);
  await node(page, "finish").click({ button: "right" });
  const menu = page.getByRole("menu", { name: "Activity menu" });
  await menu.waitFor();
  const labels = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => e.querySelector("span:not(.menu-check):not(.shortcut)")?.textContent));
  assert.deepEqual(labels, [
    "Open", "Display logs", "Inspect", "Breakpoint…", "Execute pending task(s) now", "Workflow restart from a task", "Cut", "Copy", "Paste", "Delete",
    "Copy as bitmap", "Normal execution", "Enable but do not execute", "Do not enable", "Save", "Cancel",
  ]);
  for (const name of ["Display logs", "Inspect", "Execute pending task(s) now", "Workflow restart from a task", "Save", "Cancel", "Paste"]) {
    assert.equal(await menu.getByRole("menuitem", { name, exact: true }).isDisabled(), true, name);
  }
  assert.equal(await menu.getByRole("menuitem", { name: "Open", exact: true }).isEnabled(), true);
  await menu.getByRole("menuitem", { name: "Do not enable" }).click();
  assert.equal(await node(page, "finish").locator(".wnode").getAttribute("data-mode"), "disabled");
  await page.screenshot({ path: `${process.env.WEFT_SHOTS ?? "test-results"}/context-menu.png` }).catch(() => {});
});

test("copy/paste remaps ids; delete; undo restores; save clears the marker", async ({ page }) => {
  await createBlank(page);
  const mid = await center(page.getByTestId("edge-plus-start:ok->finish"));
  await dropOnPane(page, "run_command", { x: mid.x, y: mid.y + 8 });
  await page.getByTestId("section-modal").getByLabel("Command").fill("echo hello");
  await page.getByTestId("section-modal").getByRole("button", { name: "OK" }).click();
  await node(page, "run_command").click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await node(page, "run_command_2").waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, /"weft": "activities"/);
  await page.keyboard.press("Delete");
  assert.equal(await node(page, "run_command_2").count(), 0);
  await page.keyboard.press("Control+z");
  await node(page, "run_command_2").waitFor();
  await page.keyboard.press("Control+s");
  await page.getByText(/Saved revision/).waitFor();
  assert.equal(await page.getByTestId("dirty-marker").count(), 0);
  // The saved body reached the backend: reopen it.
  await page.getByRole("button", { name: "Back to workflows" }).click();
  await page.getByRole("article", { name: "Test flow" }).getByRole("button", { name: "Open" }).click();
  await node(page, "run_command_2").waitFor();
});

test("leaving with unsaved changes asks; Cancel reverts to the saved revision", async ({ page }) => {
  await createBlank(page);
  await node(page, "finish").click({ button: "right" });
  await page.getByRole("menuitem", { name: "Enable but do not execute" }).click();
  await page.getByTestId("dirty-marker").waitFor();
  await page.getByRole("button", { name: "Back to workflows" }).click();
  const dlg = page.getByRole("alertdialog", { name: "Unsaved changes" });
  await dlg.waitFor();
  await dlg.getByRole("button", { name: "Keep editing" }).click();
  await page.getByRole("toolbar", { name: "Editor" }).getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.getByTestId("dirty-marker").count(), 0);
  assert.equal(await node(page, "finish").locator(".wnode").getAttribute("data-mode"), "normal");
});

test("copy as bitmap hands a PNG to the backend", async ({ page }) => {
  await createBlank(page);
  await node(page, "start").click({ button: "right" });
  await page.getByRole("menuitem", { name: "Copy as bitmap" }).click();
  await page.getByText(/Copied the (workflow|selection) as an image/).waitFor();
  // The browser's clipboard holds a PNG image now.
  const head = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    const blob = await item.getType("image/png");
    return [...new Uint8Array(await blob.arrayBuffer()).slice(0, 8)];
  });
  assert.deepEqual(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
});

test("export PNG and SVG draw the workflow from the model, and the selection only when there is one", async ({ page }) => {
  await createBlank(page);
  const exportAs = async (label) => {
    await page.getByRole("toolbar", { name: "Editor" }).getByRole("button", { name: "Export" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: label }).click()]);
    return { name: download.suggestedFilename(), bytes: await download.createReadStream().then(async (s) => Buffer.concat(await s.toArray())) };
  };
  const png = await exportAs("Export as PNG");
  assert.equal(png.name, "test-flow.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
  // Start (160 × 48) at (0, 0) and Finish at (0, 240): bounds 160 × 288, plus 32 around, at 2×.
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [(160 + 64) * 2, (288 + 64) * 2]);
  const svg = await exportAs("Export as SVG");
  const text = svg.bytes.toString("utf8");
  assert.match(text, /^<svg viewBox="0 0 224 352"/);
  assert.ok(!text.includes("<text"), "text is drawn as outlines, the same in every viewer");
  // With Finish selected, only Finish.
  await node(page, "finish").click();
  const one = await exportAs("Export as PNG");
  assert.deepEqual([one.bytes.readUInt32BE(16), one.bytes.readUInt32BE(20)], [(160 + 64) * 2, (48 + 64) * 2]);
});

test("validation shows problems on the activity and in the panel", async ({ page }) => {
  await createBlank(page);
  const pane = await page.locator(".react-flow__pane").boundingBox();
  await dropOnPane(page, "run_command", { x: pane.x + 100, y: pane.y + 100 });
  await page.keyboard.press("Escape");
  await node(page, "run_command").getByTestId("problem-badge").waitFor();
  await page.getByTestId("problems").getByText("Problems").click();
  await page.getByTestId("problems").getByText(/is not reachable from Start/).waitFor();
});


test("dragging an activity and tidy-up are undoable steps", async ({ page }) => {
  await createBlank(page);
  const before = await node(page, "finish").boundingBox();
  await node(page, "finish").hover();
  await page.mouse.down();
  await page.mouse.move(before.x + before.width / 2 + 200, before.y + before.height / 2 + 60, { steps: 8 });
  await page.mouse.up();
  const moved = await node(page, "finish").boundingBox();
  assert.ok(Math.abs(moved.x - before.x) > 100, "moved");
  await page.keyboard.press("Control+z");
  const back = await node(page, "finish").boundingBox();
  assert.ok(Math.abs(back.x - before.x) < 2, `back to ${before.x}, got ${back.x}`);
  await page.getByRole("button", { name: "Tidy up" }).click();
  await page.waitForTimeout(350);
  const s = await node(page, "start").boundingBox();
  const f = await node(page, "finish").boundingBox();
  assert.ok(Math.abs(s.x + s.width / 2 - (f.x + f.width / 2)) < 2, "centred column");
  assert.ok(f.y > s.y);
});

test("Ctrl+A selects everything; Delete keeps Start", async ({ page }) => {
  await createBlank(page);
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  await page.keyboard.press("Control+a");
  assert.equal(await page.locator(".react-flow__node.selected").count(), 2);
  await page.keyboard.press("Delete");
  assert.deepEqual(await nodeIds(page), ["start"]);
  await page.getByTestId("problem-count").filter({ hasText: "1 error" }).waitFor();
});

test("a large workflow with error branches skipping ahead opens without a render loop", async ({ page }) => {
  // Regression: this shape once crashed the editor with "Maximum update depth exceeded".
  const { activities, transitions } = chain(100, 25);
  for (let k = 0; k < 19; k++) transitions.push({ from: `a${(k * 7) % 90}`, port: "error", to: `a${((k * 7) % 90) + 5 + (k % 4)}` });
  const file = { format: 1, name: "Branchy", activities, transitions };
  await page.getByTestId("import-file").setInputFiles({ name: "branchy.weft.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
  const card = page.getByTestId("workflow-card").filter({ hasText: "Branchy" });
  await card.getByRole("button", { name: "Open" }).click();
  await node(page, "a0").waitFor();
  await page.waitForTimeout(500);
  const nodes = await nodeIds(page);
  const edges = await drawnEdgeIds(page);
  assert.ok(nodes.length > 50, `${nodes.length} activities drawn`);
  assert.ok(edges.some((id) => id.includes(":error->")), `${edges.length} transitions drawn, none from an error port`);
});

test("activities copied in one window paste into another workflow in another window", async ({ page, context }) => {
  await createBlank(page, "Source flow");
  const mid = await center(page.getByTestId("edge-plus-start:ok->finish"));
  await dropOnPane(page, "run_command", { x: mid.x, y: mid.y + 8 });
  await page.getByTestId("section-modal").getByLabel("Command").fill("echo from the source");
  await page.getByTestId("section-modal").getByRole("button", { name: "OK" }).click();
  await node(page, "run_command").click({ button: "right" });
  await page.getByRole("menuitem", { name: "Copy", exact: true }).click();
  await page.getByText("Copied 1 activity").waitFor();
  // A second window (a tab of the same demo app): nothing was copied in it, yet Paste is offered
  // because the system clipboard holds activities.
  await page.keyboard.press("Control+s");
  await page.getByText(/Saved revision/).waitFor();
  const other = await context.newPage();
  await other.goto(page.url().split("#")[0]);
  await other.getByRole("button", { name: "Create workflow" }).first().click();
  await other.getByLabel("Name").fill("Target flow");
  await other.getByRole("button", { name: "Create", exact: true }).click();
  await node(other, "finish").waitFor();
  await other.locator(".react-flow__pane").click({ button: "right", position: { x: 200, y: 120 } });
  const paste = other.getByRole("menuitem", { name: "Paste", exact: true });
  // Enabled once the menu has looked at the system clipboard.
  await other.waitForFunction(() => document.querySelector('[role="menuitem"][aria-label="Paste"]')?.disabled === false, null, { timeout: 5000 });
  await paste.click();
  await node(other, "run_command").waitFor();
  // Pasted with its configuration, and the other workflow's own activities kept.
  await node(other, "run_command").dblclick();
  assert.equal(await other.getByTestId("section-modal").getByLabel("Command").inputValue(), "echo from the source");
  await other.getByTestId("section-modal").getByRole("button", { name: "Cancel" }).click();
  assert.deepEqual((await nodeIds(other)).sort(), ["finish", "run_command", "start"]);
  await other.close();
});

test("transitions start and end on the handles drawn on the cards", async ({ page }) => {
  // The canvas tells xyflow where handles are instead of measuring them (faster to open); this
  // checks that what it tells matches what app.css draws.
  await page.getByRole("article", { name: "Approval-gated email to leads", exact: true }).getByRole("button", { name: "Open" }).click();
  await node(page, "review").waitFor();
  await page.waitForTimeout(300);
  const gaps = await page.evaluate(() => {
    const viewport = document.querySelector(".react-flow__viewport");
    const m = new DOMMatrixReadOnly(getComputedStyle(viewport).transform);
    const origin = viewport.getBoundingClientRect();
    const toFlow = (x, y) => ({ x: (x - origin.left) / m.a, y: (y - origin.top) / m.d });
    const centre = (el) => {
      const r = el.getBoundingClientRect();
      return toFlow(r.left + r.width / 2, r.top + r.height / 2);
    };
    const out = [];
    for (const edge of document.querySelectorAll(".react-flow__edge")) {
      const [from, rest] = edge.getAttribute("data-id").split(/:(?=[^:]*->)/);
      const [port, to] = rest.split("->");
      const path = edge.querySelector("path.react-flow__edge-path").getAttribute("d");
      const nums = path.match(/-?\d+(\.\d+)?/g).map(Number);
      const start = { x: nums[0], y: nums[1] };
      const end = { x: nums.at(-2), y: nums.at(-1) };
      const source = document.querySelector(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${port}"]`);
      const target = document.querySelector(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
      const s = centre(source);
      const t = centre(target);
      // A curve leaves a bottom handle at its lower edge and enters a top handle at its upper edge.
      const r = source.getBoundingClientRect().height / m.d / 2;
      out.push({ id: edge.getAttribute("data-id"), start: Math.hypot(start.x - s.x, start.y - (s.y + r)), end: Math.hypot(end.x - t.x, end.y - (t.y - r)) });
    }
    return out;
  });
  assert.ok(gaps.length >= 5, `${gaps.length} transitions`);
  for (const g of gaps) assert.ok(g.start < 1.5 && g.end < 1.5, `${g.id}: ${g.start.toFixed(1)} px from its output, ${g.end.toFixed(1)} px from its input`);
});

test("zoomed far out, cards become blocks and come back when zooming in", async ({ page }) => {
  await page.getByRole("article", { name: "Approval-gated email to leads", exact: true }).getByRole("button", { name: "Open" }).click();
  await node(page, "review").waitFor();
  assert.equal(await page.locator(".wnode.far-block").count(), 0);
  const pane = await page.locator(".react-flow__pane").boundingBox();
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 200);
  await page.locator(".wnode.far-block").first().waitFor();
  assert.equal(await page.locator(".wnode .n-label").count(), 0, "no labels drawn far out");
  assert.equal(await page.locator(".edge-plus").count(), 0, "no transition buttons far out");
  assert.ok((await page.locator(".far-transitions path.react-flow__edge-path").count()) >= 5, "transitions still drawn");
  assert.equal(await page.locator(".react-flow__edge").count(), 0, "far out the canvas draws them, not xyflow");
  await page.getByRole("button", { name: "Fit view", exact: true }).click();
  await node(page, "review").locator(".n-label").waitFor();
  assert.equal(await page.locator(".wnode.far-block").count(), 0);
});

test("far out, a click on a drawn transition selects it and Delete removes it", async ({ page }) => {
  await page.getByRole("article", { name: "Approval-gated email to leads", exact: true }).getByRole("button", { name: "Open" }).click();
  await node(page, "review").waitFor();
  const pane = await page.locator(".react-flow__pane").boundingBox();
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 200);
  await page.locator(".wnode.far-block").first().waitFor();
  await page.waitForTimeout(400);
  // The middle of the longest drawn curve, on screen.
  const { id, x, y } = await page.evaluate(() => {
    const paths = [...document.querySelectorAll(".far-transitions path")];
    const p = paths.sort((a, b) => b.getTotalLength() - a.getTotalLength())[0];
    const mid = p.getPointAtLength(p.getTotalLength() / 2);
    const at = new DOMPoint(mid.x, mid.y).matrixTransform(p.getScreenCTM());
    return { id: p.getAttribute("data-id"), x: at.x, y: at.y };
  });
  await page.mouse.click(x, y);
  await page.locator(`.far-transitions path.selected[data-id="${id}"]`).waitFor();
  await page.keyboard.press("Delete");
  await page.waitForFunction((id) => !document.querySelector(`.far-transitions path[data-id="${id}"]`), id);
  // A click on empty canvas selects nothing.
  await page.mouse.click(pane.x + 8, pane.y + 8);
  assert.equal(await page.locator(".far-transitions path.selected").count(), 0);
  await page.getByRole("button", { name: "Fit view", exact: true }).click();
  await node(page, "review").locator(".n-label").waitFor();
  assert.ok(!(await edgeIds(page)).includes(id), `${id} deleted`);
});

test("dragging the minimap moves the view", async ({ page }) => {
  await page.getByRole("article", { name: "Approval-gated email to leads", exact: true }).getByRole("button", { name: "Open" }).click();
  await node(page, "review").waitFor();
  const transform = () => page.locator(".react-flow__viewport").evaluate((v) => v.style.transform);
  const before = await transform();
  const map = await page.getByTestId("minimap").locator("svg").boundingBox();
  await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width / 2 + 30, map.y + map.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  const after = await transform();
  const [bx, by] = before.match(/-?[\d.]+/g).map(Number);
  const [ax, ay] = after.match(/-?[\d.]+/g).map(Number);
  // The view follows the pointer to the right and down: the canvas moves left and up.
  assert.ok(ax < bx && ay < by, `${before} → ${after}`);
});

test("a large workflow opens as a drawing, builds its cards, and is drawn again while it moves", async ({ page }) => {
  const { activities, transitions } = chain(400, 20);
  const file = { format: 1, name: "Big one", activities, transitions };
  await page.getByTestId("import-file").setInputFiles({ name: "big.weft.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
  // Watch for the drawing from the click on.
  await page.evaluate(() => {
    window.__sawDrawing = false;
    new MutationObserver(() => {
      if (document.querySelector(".far-drawing.shown")) window.__sawDrawing = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId("workflow-card").filter({ hasText: "Big one" }).getByRole("button", { name: "Open" }).click();
  await node(page, "a399").waitFor();
  assert.equal(await page.evaluate(() => window.__sawDrawing), true, "the drawing came first");
  await page.waitForFunction(() => !document.querySelector(".far-drawing.shown"));
  const drawing = page.getByTestId("far-drawing");
  // At rest far out, every card is mounted (few are off screen), so a move mounts none.
  const cards = () => page.locator(".react-flow__node").count();
  assert.equal(await cards(), 402);
  const pane = await page.locator(".react-flow__pane").boundingBox();
  await page.mouse.move(pane.x + 10, pane.y + pane.height - 10);
  await page.mouse.down();
  await page.mouse.move(pane.x + 60, pane.y + pane.height - 60, { steps: 4 });
  await page.locator(".far-drawing.shown").waitFor();
  assert.equal(await cards(), 402);
  // The store is held still while the drawing stands in; the minimap follows the move all the same.
  const mask = () => page.locator(".weft-minimap-mask").getAttribute("d");
  const maskBefore = await mask();
  await page.mouse.move(pane.x + 140, pane.y + pane.height - 110, { steps: 4 });
  await page.waitForFunction((d) => document.querySelector(".weft-minimap-mask").getAttribute("d") !== d, maskBefore);
  // Every activity is in the drawing as a block, every transition under it as a curve.
  assert.equal(await drawing.locator(".fd-role rect").count(), 402);
  assert.equal(await page.locator(".far-transitions path").count(), 401);
  await page.mouse.up();
  // At rest the cards are back, on top; the drawing stays in the page under them for the next move.
  await page.waitForFunction(() => !document.querySelector(".far-drawing.shown"));
  assert.equal(await drawing.count(), 1);
  assert.ok(await node(page, "a0").isVisible());
  const onTop = await node(page, "a0").evaluate((card) => {
    const r = card.getBoundingClientRect();
    return card.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  });
  assert.ok(onTop, "a click at the card's place reaches the card, not the drawing under it");
  // xyflow's store took the view the held move ended at: an activity dropped now lands under the
  // pointer (a store left where the move began would put it the pan's distance away).
  const zoom = await page.locator(".react-flow__viewport").evaluate((v) => new DOMMatrixReadOnly(getComputedStyle(v).transform).a);
  const drop = { x: pane.x + 30, y: pane.y + pane.height / 2 };
  await dropOnPane(page, "notify", drop);
  await page.getByTestId("section-modal").waitFor();
  await page.getByRole("button", { name: "Cancel" }).last().click();
  const placed = await node(page, "notify").boundingBox();
  // The canvas puts a dropped card's top left 120 × 32 canvas units up-left of the pointer, on the 16-unit grid.
  const slack = 16 * zoom + 2;
  assert.ok(Math.abs(placed.x - (drop.x - 120 * zoom)) <= slack && Math.abs(placed.y - (drop.y - 32 * zoom)) <= slack, `dropped at ${JSON.stringify(drop)}, card at ${JSON.stringify(placed)}, zoom ${zoom}`);
});
