// Comparisons on the canvas against the engine: two revisions of a workflow drawn as one graph
// with what was added, removed, moved and changed marked (from the Revisions dialog), and two
// runs side by side on the workflow's graph (from the runs history's Compare). Editing is off
// while a comparison is shown; Escape goes back to editing.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });

const setVars = (id, label, x, y, variables) => ({ id, kind: "set_variables", label, position: { x, y }, config: { variables } });
const first = {
  format: 1,
  name: "Segments",
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
    setVars("tag", "Tag the segment", 0, 150, { segment: "vip" }),
    setVars("audit", "Audit trail", 0, 300, { audited: "yes" }),
    setVars("note", "Write a note", 0, 450, { note: "seen" }),
    { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 600 } },
  ],
  transitions: [
    { from: "start", to: "tag" },
    { from: "tag", to: "audit" },
    { from: "audit", to: "note" },
    { from: "note", to: "finish" },
  ],
};

test("revision diff on the canvas: added, removed, moved and changed marked; Escape goes back to editing", async ({ page, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(first) });
  // Revision 2: a field edited, an activity moved, one removed and one added (rewired).
  const second = structuredClone(first);
  second.activities[1].config.variables.segment = "gold";
  second.activities[2].position = { x: 360, y: 300 };
  second.activities.splice(3, 1, { id: "write", kind: "write_file", label: "Write the report", position: { x: 360, y: 450 }, config: { path: "/tmp/weft-report.txt", content: "done" } });
  second.transitions = [
    { from: "start", to: "tag" },
    { from: "tag", to: "audit" },
    { from: "audit", to: "write" },
    { from: "write", to: "finish" },
  ];
  await server.api("PUT", `/workflows/${encodeURIComponent(made.id)}`, { body: second });
  await page.reload();
  await page.getByRole("article", { name: "Segments", exact: true }).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  assert.equal(await page.locator('.react-flow__node[data-id="note"]').count(), 0, "the latest revision has no note");
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Revisions…" }).click();
  const dialog = page.getByRole("dialog", { name: "Revisions" });
  await dialog.getByTestId("revision-diff").getByText("+ activity Write the report (write_file)").waitFor();
  await dialog.getByRole("button", { name: "Show on canvas" }).click();
  await dialog.waitFor({ state: "detached" });

  const strip = page.getByTestId("compare-strip");
  await strip.getByText("Revision 1 → 2").waitFor();
  const legend = strip.getByTestId("compare-legend");
  for (const t of ["Added · 1", "Removed · 1", "Moved · 1", "Changed · 1", "Transitions added · 2", "removed · 2"]) await legend.getByText(t, { exact: true }).waitFor();
  // The later graph, with the removed activity back as a ghost at its old place.
  await page.getByTestId("diff-added-write").waitFor();
  await page.getByTestId("diff-removed-note").waitFor();
  assert.match(await page.getByTestId("activity-note").getAttribute("class"), /diff-removed/);
  await page.getByTestId("diff-moved-audit").waitFor();
  // The moved card's old place: a faint outline 360 canvas units to its left.
  const was = await page.getByTestId("diff-was-audit").boundingBox();
  const card = await page.getByTestId("activity-audit").boundingBox();
  assert.ok(was && card && was.x < card.x - card.width / 2, `outline left of the card (${was?.x} vs ${card?.x})`);
  assert.equal(await page.getByTestId("diff-changed-tag").textContent(), "Changed · 1");
  assert.equal(await page.locator('[data-testid^="diff-"][data-testid$="-start"]').count(), 0, "Start is unmarked");
  await page.getByTestId("diff-edge-added-audit-ok-write").waitFor();
  await page.getByTestId("diff-edge-removed-audit-ok-note").waitFor();
  await page.getByTestId("diff-edge-removed-note-ok-finish").waitFor();
  // Clicking the Changed badge lists the fields, before → after.
  await page.getByTestId("diff-changed-tag").click();
  await page.getByTestId("diff-fields-tag").getByText("config.variables.segment: “vip” → “gold”").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/diff-on-canvas.png` });
  // Escape closes the list first, then the comparison.
  await page.keyboard.press("Escape");
  await page.getByTestId("diff-fields-tag").waitFor({ state: "detached" });
  await strip.waitFor();
  // Editing is off: no "+" buttons, nothing draggable, no palette, no Undo.
  assert.equal(await page.locator(".port-plus, .edge-plus").count(), 0);
  assert.equal(await page.locator(".react-flow__node.draggable").count(), 0);
  assert.equal(await page.getByRole("button", { name: "Undo" }).isDisabled(), true);
  await page.getByTestId("activity-tag").dblclick();
  assert.equal(await page.getByRole("dialog").count(), 0, "no section modal while comparing");

  await page.keyboard.press("Escape");
  await strip.waitFor({ state: "detached" });
  await page.getByTestId("run-strip").waitFor();
  assert.equal(await page.locator('.react-flow__node[data-id="note"]').count(), 0, "back to the workflow being edited");
  await page.getByTestId("plus-tag-ok").waitFor({ state: "attached" });
  assert.ok((await page.locator(".react-flow__node.draggable").count()) > 0);
});

const branching = {
  format: 1,
  name: "Tiers",
  parameters: { type: "object", properties: { tier: { type: "string", title: "Tier", default: "gold" } } },
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 40, y: 0 } },
    { id: "manual", kind: "manual_trigger", label: "Run now", position: { x: 0, y: 180 } },
    { id: "check", kind: "condition", label: "Gold tier?", position: { x: 0, y: 360 }, config: { expression: 'params.tier == "gold"' } },
    setVars("vip", "Treat as VIP", -200, 540, { vip: "yes" }),
    { id: "basic", kind: "run_command", label: "Basic export", position: { x: 200, y: 540 }, config: { command: "exit 3" } },
    { id: "finish", kind: "finish", label: "Finish", position: { x: 40, y: 720 } },
  ],
  transitions: [
    { from: "start", to: "manual" },
    { from: "manual", to: "check" },
    { from: "check", port: "true", to: "vip" },
    { from: "check", port: "false", to: "basic" },
    { from: "vip", to: "finish" },
    { from: "basic", to: "finish" },
  ],
};

test("two runs on the canvas: both states and counts on each card and transition, differences highlighted", async ({ page, server }) => {
  await server.api("POST", "/workflows/import", { json: JSON.stringify(branching) });
  const runA = (await server.command("Tiers", { type: "run_now", params: { tier: "gold" }, simulate: false })).run;
  assert.equal((await server.runEnds(runA)).status, "completed");
  const runB = (await server.command("Tiers", { type: "run_now", params: { tier: "basic" }, simulate: false })).run;
  assert.equal((await server.runEnds(runB)).status, "failed");
  await page.reload();
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByLabel(`Select run ${runA} to compare`).check();
  await page.getByLabel(`Select run ${runB} to compare`).check();
  await page.getByRole("button", { name: /Compare \(2\/2\)/ }).click();
  const cmp = page.getByRole("dialog", { name: "Compare runs" });
  await cmp.locator("th").nth(2).waitFor();
  await cmp.getByRole("button", { name: "Show on canvas" }).click();

  const strip = page.getByTestId("compare-strip");
  await strip.getByText(`Run #${runA}`).waitFor();
  await strip.getByText(`Run #${runB}`).waitFor();
  await strip.getByTestId("compare-legend").waitFor();
  // Each card: A's state, then B's.
  const state = (side, id) => page.getByTestId(`cmp-${side}-${id}`).getAttribute("data-state");
  await page.getByTestId("cmp-a-vip").waitFor();
  assert.equal(await state("a", "start"), "done");
  assert.equal(await state("b", "start"), "done");
  assert.equal(await state("a", "vip"), "done");
  // The branch not taken is a skipped task in the engine's records.
  assert.equal(await state("b", "vip"), "skipped");
  assert.equal(await state("a", "basic"), "skipped");
  assert.equal(await state("b", "basic"), "failed");
  assert.equal(await page.getByTestId("cmp-b-basic").locator(".cmp-label").textContent(), "Failed");
  // Differences highlighted: where only one run went, and Finish reached by A only.
  assert.equal(await page.getByTestId("cmp-vip").getAttribute("data-differs"), "reached");
  assert.equal(await page.getByTestId("cmp-basic").getAttribute("data-differs"), "reached");
  assert.equal(await page.getByTestId("cmp-start").getAttribute("data-differs"), "");
  assert.match(await page.getByTestId("activity-vip").getAttribute("class"), /cmp-differs/);
  assert.doesNotMatch(await page.getByTestId("activity-start").getAttribute("class"), /cmp-differs/);
  // Each transition: A's count | B's count.
  const pair = (from, port, to) => page.getByTestId(`cmp-edge-${from}-${port}-${to}`);
  assert.equal(await pair("manual", "ok", "check").textContent(), "1 | 1");
  assert.equal(await pair("check", "true", "vip").textContent(), "1 | 0");
  assert.equal(await pair("check", "false", "basic").textContent(), "0 | 1");
  assert.match(await pair("check", "true", "vip").getAttribute("class"), /differs/);
  assert.doesNotMatch(await pair("manual", "ok", "check").getAttribute("class"), /differs/);
  assert.equal(await page.locator(".port-plus, .edge-plus").count(), 0, "editing is off");
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/compare-runs-canvas.png` });

  await strip.getByRole("button", { name: "Close" }).click();
  await strip.waitFor({ state: "detached" });
  await page.getByTestId("run-strip").waitFor();
  assert.equal(await page.getByTestId("cmp-a-vip").count(), 0);
});

test("two runs of two revisions: drawn on the later one, what one run's revision lacked marked", async ({ page, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(branching) });
  const runA = (await server.command("Tiers", { type: "run_now", params: { tier: "gold" }, simulate: false })).run;
  await server.runEnds(runA);
  // Revision 2: a step added between the VIP branch and Finish.
  const second = structuredClone(branching);
  second.activities.push(setVars("extra", "Log the VIP", -200, 720, { logged: "yes" }));
  second.activities.find((a) => a.id === "finish").position = { x: 40, y: 900 };
  second.transitions = second.transitions.filter((t) => t.from !== "vip");
  second.transitions.push({ from: "vip", to: "extra" }, { from: "extra", to: "finish" });
  await server.api("PUT", `/workflows/${encodeURIComponent(made.id)}`, { body: second });
  const runB = (await server.command("Tiers", { type: "run_now", params: { tier: "gold" }, simulate: false })).run;
  assert.equal((await server.runEnds(runB)).status, "completed");
  await page.reload();
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByLabel(`Select run ${runA} to compare`).check();
  await page.getByLabel(`Select run ${runB} to compare`).check();
  await page.getByRole("button", { name: /Compare \(2\/2\)/ }).click();
  await page.getByRole("dialog", { name: "Compare runs" }).getByRole("button", { name: "Show on canvas" }).click();
  const strip = page.getByTestId("compare-strip");
  await strip.getByTestId("compare-legend").getByText("Not in that run’s revision").waitFor();
  await page.getByTestId("cmp-a-extra").waitFor();
  assert.equal(await page.getByTestId("cmp-a-extra").getAttribute("data-state"), "absent");
  assert.equal(await page.getByTestId("cmp-a-extra").locator(".cmp-label").textContent(), "Not in rev 1");
  assert.equal(await page.getByTestId("cmp-b-extra").getAttribute("data-state"), "done");
  assert.equal(await page.getByTestId("cmp-extra").getAttribute("data-differs"), "revision reached");
  assert.equal(await page.getByTestId("cmp-vip").getAttribute("data-differs"), "");
  // Transitions only in the later revision: nothing for run A.
  assert.equal(await page.getByTestId("cmp-edge-vip-ok-extra").textContent(), "— | 1");
  // …and the one run A took that revision 2 dropped keeps A's count.
  assert.equal(await page.getByTestId("cmp-edge-vip-ok-finish").textContent(), "1 | —");

});

test("two runs on the canvas: record counts side by side (`5 | 8`) where the runs imported different files", async ({ page, server }) => {
  const csv = (name, n, from) => {
    const rows = Array.from({ length: n }, (_, i) => `lead${from + i}@example.com,Lead ${from + i}`);
    const path = join(server.dir, name);
    writeFileSync(path, `email,name\n${rows.join("\n")}\n`);
    return path;
  };
  const small = csv("small.csv", 5, 0);
  const large = csv("large.csv", 8, 100);
  const imports = {
    format: 1,
    name: "Imports",
    parameters: { type: "object", properties: { csv: { type: "string", title: "CSV", default: small } } },
    activities: [
      { id: "start", kind: "start", label: "Start", position: { x: 40, y: 0 } },
      { id: "manual", kind: "manual_trigger", label: "Run now", position: { x: 0, y: 180 } },
      { id: "import", kind: "import_csv", label: "Import leads", position: { x: 0, y: 360 }, config: { path: "{{ params.csv }}", delimiter: ",", status: "new" } },
      { id: "finish", kind: "finish", label: "Finish", position: { x: 40, y: 540 } },
    ],
    transitions: [
      { from: "start", to: "manual" },
      { from: "manual", to: "import" },
      { from: "import", to: "finish" },
    ],
  };
  await server.api("POST", "/workflows/import", { json: JSON.stringify(imports) });
  const runA = (await server.command("Imports", { type: "run_now", params: { csv: small }, simulate: false })).run;
  assert.equal((await server.runEnds(runA)).status, "completed");
  const runB = (await server.command("Imports", { type: "run_now", params: { csv: large }, simulate: false })).run;
  assert.equal((await server.runEnds(runB)).status, "completed");
  await page.reload();
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByLabel(`Select run ${runA} to compare`).check();
  await page.getByLabel(`Select run ${runB} to compare`).check();
  await page.getByRole("button", { name: /Compare \(2\/2\)/ }).click();
  await page.getByRole("dialog", { name: "Compare runs" }).getByRole("button", { name: "Show on canvas" }).click();
  await page.getByTestId("cmp-import").waitFor();
  assert.equal(await page.getByTestId("cmp-a-import").locator(".cmp-count").textContent(), "5");
  assert.equal(await page.getByTestId("cmp-b-import").locator(".cmp-count").textContent(), "8");
  assert.equal(await page.getByTestId("cmp-import").getAttribute("data-differs"), "count");
  const pair = page.getByTestId("cmp-edge-import-ok-finish");
  assert.equal(await pair.textContent(), "5 | 8");
  assert.match(await pair.getAttribute("class"), /differs/);
  assert.equal(await page.getByTestId("cmp-edge-manual-ok-import").textContent(), "1 | 1");
});
