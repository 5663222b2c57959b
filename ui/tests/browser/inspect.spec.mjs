// Inspect at a task and re-run after an edit, on the canvas against the engine: a debug run
// paused before an activity shows the records that came in (counts, the first 200, a search)
// and the run's variables, which are edited there and read by the activity after Continue; a
// past run re-run after an edit reuses what is upstream of the change, and the canvas says so
// before and after.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });

const leads = {
  format: 1,
  name: "Leads to inspect",
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
    { id: "seg", kind: "set_variables", label: "Pick the segment", config: { variables: { segment: "vip" } }, position: { x: 0, y: 150 } },
    { id: "q", kind: "query", label: "New leads", config: { filter: { rules: [{ field: "status", op: "eq", value: "new" }] } }, position: { x: 0, y: 300 } },
    { id: "show", kind: "set_variables", label: "Note the segment", config: { variables: { seen: "{{ vars.segment }}" } }, position: { x: 0, y: 450 } },
    { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 600 } },
  ],
  transitions: [
    { from: "start", to: "seg" },
    { from: "seg", to: "q" },
    { from: "q", to: "show" },
    { from: "show", to: "finish" },
  ],
};

async function open(page, name) {
  await page.reload();
  await page.getByRole("article", { name, exact: true }).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
}

test("inspect a paused task: records in with counts and search, variables edited then read after Continue", async ({ page, server }) => {
  const rows = ["email,name,status"];
  for (let i = 0; i < 250; i++) rows.push(`lead${String(i).padStart(3, "0")}@example.com,Lead ${i},new`);
  rows.push("old@example.com,Old customer,customer");
  await server.api("POST", "/contacts/import", { csv: `${rows.join("\n")}\n` });
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(leads) });
  await server.api("PUT", `/workflows/${encodeURIComponent(made.id)}/breakpoints`, { breakpoints: [{ kind: "before", activity: "show", condition: null }] });
  await open(page, "Leads to inspect");
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Debug run" }).click();
  const strip = page.getByTestId("run-strip");
  await strip.getByTestId("paused-at").getByText("Paused at Note the segment").waitFor();
  await strip.getByRole("button", { name: "Inspect" }).click();
  const inspector = page.getByTestId("inspector");
  await inspector.getByText("Inspect · Note the segment").waitFor();

  await inspector.getByRole("tab", { name: "Input" }).click();
  await inspector.getByTestId("records-summary").getByText("250 records — the first 200 shown").waitFor();
  assert.equal(await inspector.getByTestId("records-table").locator("tbody tr").count(), 200);
  await inspector.getByText("from New leads · ok · 250").waitFor();
  await inspector.getByLabel("Search records").fill("lead04");
  await inspector.getByTestId("records-summary").getByText("250 records, 10 matching").waitFor();
  assert.equal(await inspector.getByTestId("records-table").locator("tbody tr").count(), 10);
  assert.equal(await inspector.getByTestId("records-table").locator("tbody tr").first().locator("td").first().textContent(), "lead040@example.com");

  // The query's own output, from the canvas's right-click menu.
  await page.locator('.react-flow__node[data-id="q"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Inspect" }).click();
  await inspector.getByText("Inspect · New leads").waitFor();
  await inspector.getByRole("tab", { name: "Output" }).click();
  await inspector.getByTestId("records-summary").getByText("250 records — the first 200 shown").waitFor();
  await inspector.getByRole("tab", { name: "Timing" }).click();
  await inspector.getByTestId("inspect-timing").getByText("Records").waitFor();

  await inspector.getByRole("tab", { name: "Variables" }).click();
  const editor = inspector.getByTestId("variables-editor");
  await editor.getByLabel("Value of segment").fill("basic");
  await inspector.getByRole("button", { name: "Add variable" }).click();
  await editor.getByLabel("Name of variable 2").fill("limit");
  await editor.getByLabel("Value of limit").fill("1200");
  await page.screenshot({ path: `${out}/inspect-paused.png` });
  await inspector.getByRole("button", { name: "Save variables" }).click();
  await inspector.getByRole("button", { name: "Save variables" }).and(page.locator(":disabled")).waitFor();
  const runId = Number((await strip.getByLabel("Run shown on the canvas").inputValue()) || 0);
  const paused = await server.api("GET", `/runs/${runId}`);
  assert.deepEqual(paused.vars, { segment: "basic", limit: 1200 }, "typed: 1200 is a number");

  await strip.getByRole("button", { name: "Continue" }).click();
  await strip.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  const done = await server.api("GET", `/runs/${runId}`);
  assert.equal(done.vars.seen, "basic", "the activity after the pause read the edited variable");
  // Once the run is over, variables are shown, not edited.
  await inspector.getByTestId("variables-table").getByText("seen").waitFor();
  assert.equal(await inspector.getByTestId("variables-editor").count(), 0);
});

const chain = {
  format: 1,
  name: "Re-run me",
  activities: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
    { id: "fetch", kind: "run_command", label: "Slow fetch", config: { command: "echo fetched" }, position: { x: 0, y: 150 } },
    { id: "report", kind: "run_command", label: "Report", config: { command: "echo v1" }, position: { x: 0, y: 300 } },
    { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 450 } },
  ],
  transitions: [
    { from: "start", to: "fetch" },
    { from: "fetch", to: "report" },
    { from: "report", to: "finish" },
  ],
};

test("re-run after an edit: the canvas marks what is reused and what runs again, and the re-run reuses it", async ({ page, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(chain) });
  const id = encodeURIComponent(made.id);
  const runId = (await server.command("Re-run me", { type: "run_now", params: {}, simulate: false })).run;
  assert.equal((await server.runEnds(runId)).status, "completed");
  const edited = structuredClone(chain);
  edited.activities[2].config.command = "echo v2";
  await server.api("PUT", `/workflows/${id}`, { body: edited });
  await open(page, "Re-run me");
  const strip = page.getByTestId("run-strip");
  await strip.getByLabel("Run shown on the canvas").selectOption(String(runId));
  await strip.getByRole("button", { name: "Re-run after edit" }).click();
  const bar = page.getByTestId("rerun-bar");
  await bar.getByText(`Re-run #${runId} on revision 2 (it ran revision 1):`).waitFor();
  assert.equal(await bar.getByTestId("rerun-reused").textContent(), "2 reused");
  assert.equal(await bar.getByTestId("rerun-changed").textContent(), "1 changed");
  assert.equal(await page.getByTestId("activity-fetch").getAttribute("data-rerun"), "reused");
  assert.equal(await page.getByTestId("activity-report").getAttribute("data-rerun"), "changed");
  assert.equal(await page.getByTestId("activity-finish").getAttribute("data-rerun"), "again");
  await page.screenshot({ path: `${out}/rerun-after-edit.png` });
  await bar.getByRole("button", { name: "Re-run" }).click();
  await bar.waitFor({ state: "detached" });
  // The canvas follows the new run (the one shown before was completed already).
  await page.waitForFunction((old) => {
    const select = document.querySelector('select[aria-label="Run shown on the canvas"]');
    return select && select.value !== "" && Number(select.value) !== old;
  }, runId);
  const second = Number(await strip.getByLabel("Run shown on the canvas").inputValue());
  await strip.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  assert.equal((await server.runEnds(second)).status, "completed");
  await page.getByTestId("activity-fetch").getByTestId("reused-mark").waitFor();
  assert.equal(await page.getByTestId("activity-report").getByTestId("reused-mark").count(), 0);
  const tasks = await server.api("GET", `/runs/${second}/tasks`);
  const report = tasks.find((t) => t.activityId === "report");
  assert.equal(report.stdout, "v2\n");
  assert.equal(tasks.find((t) => t.activityId === "fetch").reused, true);
});

test("breakpoints dialog: after an activity with a condition and on a transition, checked by the engine, drawn on the canvas", async ({ page, server }) => {
  await server.api("POST", "/contacts/import", { csv: "email,name,status\na@example.com,A,new\nb@example.com,B,new\n" });
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(leads) });
  const id = encodeURIComponent(made.id);
  await open(page, "Leads to inspect");
  await page.locator('.react-flow__node[data-id="q"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Breakpoint…" }).click();
  const dialog = page.getByRole("dialog", { name: "Breakpoints" });
  await dialog.getByLabel("Where breakpoint 1 pauses").selectOption("after");
  assert.equal(await dialog.getByLabel("Activity of breakpoint 1").inputValue(), "q");
  // A condition the parser refuses: the engine's answer is shown, the rows kept.
  await dialog.getByLabel("Condition of breakpoint 1").fill("tasks.q.recordCount >");
  await dialog.getByRole("button", { name: "Save breakpoints" }).click();
  await dialog.getByTestId("breakpoint-error").getByText("WEFT-X008").waitFor();
  assert.deepEqual(await server.api("GET", `/workflows/${id}/breakpoints`), [], "all or none: nothing kept");
  await dialog.getByLabel("Condition of breakpoint 1").fill("tasks.q.recordCount > 1");
  await dialog.getByRole("button", { name: "Add breakpoint" }).click();
  await dialog.getByLabel("Where breakpoint 2 pauses").selectOption("transition");
  await dialog.getByLabel("Transition of breakpoint 2").selectOption({ label: "New leads (ok) → Note the segment" });
  await page.screenshot({ path: `${out}/breakpoints-dialog.png` });
  await dialog.getByRole("button", { name: "Save breakpoints" }).click();
  await dialog.waitFor({ state: "detached" });
  const stored = await server.api("GET", `/workflows/${id}/breakpoints`);
  assert.deepEqual(
    stored.map((b) => [b.kind, b.activity, b.port ?? null, b.to ?? null, b.condition ?? null]),
    [
      ["after", "q", null, null, "tasks.q.recordCount > 1"],
      ["transition", "q", "ok", "show", null],
    ],
  );
  await page.getByTestId("activity-q").getByTestId("breakpoint-dot").waitFor();
  assert.equal(await page.getByTestId("edge-breakpoint-dot").count(), 1);
  // The debug run pauses after q (2 records > 1): its result is recorded.
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Debug run" }).click();
  const strip = page.getByTestId("run-strip");
  await strip.getByTestId("paused-at").getByText("Paused at New leads").waitFor();
  const runId = Number(await strip.getByLabel("Run shown on the canvas").inputValue());
  const tasks = await server.api("GET", `/runs/${runId}/tasks`);
  const q = tasks.find((t) => t.activityId === "q");
  assert.deepEqual([q.recordCount, q.port], [2, "ok"], "paused after: the result is recorded");
  assert.ok(!tasks.some((t) => t.activityId === "show"), "its transition waits");
  await strip.getByRole("button", { name: "Continue" }).click();
  await page.getByTestId("edge-count-q-ok").getByText("2 - Ok").waitFor();
  await strip.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
});

test("the canvas shows how a run ended even when an earlier answer about it comes last", async ({ page, server }) => {
  const quick = {
    format: 1,
    name: "Quick one",
    activities: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
      { id: "pause", kind: "wait", label: "A moment", config: { duration: "1s" }, position: { x: 0, y: 150 } },
      { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 300 } },
    ],
    transitions: [
      { from: "start", to: "pause" },
      { from: "pause", to: "finish" },
    ],
  };
  await server.api("POST", "/workflows/import", { json: JSON.stringify(quick) });
  await open(page, "Quick one");
  // The first answer about the new run (the run as it started: waiting a second) reaches the
  // page only after the run has ended and later answers have been shown.
  let held = false;
  await page.route(/\/api\/v1\/runs\/\d+$/, async (route) => {
    if (held) return route.continue();
    held = true;
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 2500));
    await route.fulfill({ response });
  });
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  await page.getByRole("button", { name: "Start execution" }).click();
  const status = page.getByTestId("run-strip").locator('[data-testid="run-status"]');
  await status.and(page.locator('[data-status="completed"]')).waitFor();
  await page.waitForTimeout(3000);
  assert.ok(held, "the first answer was held back");
  assert.equal(await status.getAttribute("data-status"), "completed");
});
