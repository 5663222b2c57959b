// The debugger on the canvas against the engine: F9 sets a breakpoint on the selected activity
// (kept beside the workflow in the store, drawn as a dot), Actions ▸ Debug run, the run strip
// shows where it is paused, Step pauses at the next activity, Continue finishes the run.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });

const workflow = {
  format: 1,
  name: "Debugged",
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
    { id: "tag", kind: "set_variables", label: "Tag the segment", config: { variables: { segment: "vip" } }, position: { x: 0, y: 150 } },
    { id: "note", kind: "set_variables", label: "Write a note", config: { variables: { note: "seen" } }, position: { x: 0, y: 300 } },
    { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 450 } },
  ],
  transitions: [
    { from: "start", to: "tag" },
    { from: "tag", to: "note" },
    { from: "note", to: "finish" },
  ],
};

test("debug run: pauses at a breakpoint, steps to the next activity, continues to the end", async ({ page, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(workflow) });
  await page.reload();
  await page.getByRole("article", { name: "Debugged", exact: true }).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  await page.locator('.react-flow__node[data-id="tag"]').click();
  await page.keyboard.press("F9");
  await page.getByTestId("activity-tag").getByTestId("breakpoint-dot").waitFor();
  const stored = await server.api("GET", `/workflows/${encodeURIComponent(made.id)}/breakpoints`);
  assert.deepEqual(stored.map((b) => [b.kind, b.activity]), [["before", "tag"]], "kept beside the workflow in the store");
  assert.equal(await page.getByTestId("breakpoint-dot").count(), 1);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Debug run" }).click();
  const strip = page.getByTestId("run-strip");
  await strip.getByTestId("paused-at").getByText("Paused at Tag the segment").waitFor();
  assert.equal(await strip.locator('[data-testid="run-status"]').getAttribute("data-status"), "running");
  assert.ok(await strip.getByRole("button", { name: "Skip" }).isDisabled(), "Skip only in a simulation run");
  await page.screenshot({ path: `${out}/debug-paused.png` });
  await strip.getByRole("button", { name: "Step" }).click();
  await strip.getByTestId("paused-at").getByText("Paused at Write a note").waitFor();
  // The canvas centres on the pause.
  await page.waitForFunction(() => {
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    const card = document.querySelector('.react-flow__node[data-id="note"]')?.getBoundingClientRect();
    if (!pane || !card) return false;
    const dx = card.x + card.width / 2 - (pane.x + pane.width / 2);
    const dy = card.y + card.height / 2 - (pane.y + pane.height / 2);
    return Math.hypot(dx, dy) < 40;
  });
  await strip.getByRole("button", { name: "Continue" }).click();
  await strip.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  assert.equal(await strip.getByTestId("debug-controls").count(), 0, "no controls once the run ended");
  // F9 again removes it.
  await page.locator('.react-flow__node[data-id="tag"]').click();
  await page.keyboard.press("F9");
  await page.getByTestId("breakpoint-dot").waitFor({ state: "detached" });
  assert.deepEqual(await server.api("GET", `/workflows/${encodeURIComponent(made.id)}/breakpoints`), []);
});

test("revisions: the list with who saved each, the diff of two, restore as a new revision", async ({ page, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(workflow) });
  const changed = structuredClone(workflow);
  changed.activities[1].label = "Tag VIPs";
  changed.activities[2].config.variables.note = "checked";
  await server.api("PUT", `/workflows/${encodeURIComponent(made.id)}`, { body: changed });
  await page.reload();
  await page.getByRole("article", { name: "Debugged", exact: true }).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Revisions…" }).click();
  const dialog = page.getByRole("dialog", { name: "Revisions" });
  const diff = dialog.getByTestId("revision-diff");
  await diff.getByText("~ tag.label: “Tag the segment” → “Tag VIPs”").waitFor();
  await diff.getByText("~ note.config.variables.note: “seen” → “checked”").waitFor();
  assert.match(await dialog.getByLabel("To").locator("option:checked").textContent(), /Revision 2 · .* · weft serve/);
  await page.screenshot({ path: `${out}/revisions-diff.png` });
  await dialog.getByRole("button", { name: "Restore revision 1" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("rev 3").waitFor();
  await page.getByTestId("activity-tag").getByText("Tag the segment").waitFor();
  const list = await server.api("GET", `/workflows/${encodeURIComponent(made.id)}/revisions`);
  assert.equal(list[0].note, "restored from revision 1");
});
