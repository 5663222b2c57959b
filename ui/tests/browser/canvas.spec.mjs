// Live run on the canvas and the toolbar's life-cycle actions, against the engine.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });
const card = (page, name) => page.getByRole("article", { name, exact: true });
const node = (page, id) => page.locator(`.react-flow__node[data-id="${id}"] .wnode`);
const runState = (page, id) => node(page, id).getAttribute("data-run-state");

async function open(page, name) {
  await card(page, name).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
}

test("live canvas: states during a run, approval, counts, durations, logs, restart from a task", async ({ page }) => {
  await open(page, "Approval-gated email to leads");
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /^Run / });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("run-live").waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  // The canvas follows the new run: the instant steps are done at once (the engine records
  // them in the transaction that made them ready), then the approval waits.
  await page.locator('.react-flow__node[data-id="review"] .wnode[data-run-state="approval"]').waitFor();
  assert.equal(await runState(page, "start"), "done");
  assert.equal(await runState(page, "send"), "not-reached");
  await page.getByTestId("run-strip").getByTestId("approval-box").waitFor();
  await page.getByRole("button", { name: "Durations" }).click();
  await node(page, "start").getByTestId("duration-badge").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/live-canvas.png` });
  await page.getByTestId("run-strip").getByRole("button", { name: "Reject" }).click();
  await page.locator('.react-flow__node[data-id="declined"] .wnode[data-run-state="done"]').waitFor();
  // The template handles a rejection (its `rejected` branch tells the author), so the run
  // completes; only an approval without a rejected branch ends a run as rejected.
  await page.getByTestId("run-strip").locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  // The approved branch was not taken: the engine marks it skipped (dead-path elimination).
  assert.equal(await runState(page, "send"), "skipped");
  // Display logs for one activity.
  await page.locator('.react-flow__node[data-id="review"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Display logs" }).click();
  const logs = page.getByTestId("logs-panel");
  // The engine's line, signed with the token's name.
  await logs.getByText(/rejected by browser-test/).waitFor();
  await logs.getByLabel("Search logs").fill("zzz-no-such-line");
  assert.equal(await logs.getByText(/rejected by/).count(), 0);
  await logs.getByLabel("Search logs").fill("");
  await logs.getByLabel("Level").selectOption("error");
  assert.equal(await logs.getByText(/rejected by/).count(), 0);
  await logs.getByLabel("Level").selectOption("info");
  await logs.getByText(/rejected by browser-test/).waitFor();
  await logs.getByRole("button", { name: "Close logs" }).click();
  // Restart from a task: a new run reusing what came before.
  await page.locator('.react-flow__node[data-id="review"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Workflow restart from a task" }).click();
  await page.getByText(/Restarted from “review” as run #\d+/).waitFor();
  await page.locator('.react-flow__node[data-id="review"] .wnode[data-run-state="approval"]').waitFor();
  assert.equal(await runState(page, "prepare"), "done");
});

test("live canvas: hold waits blinking until Execute pending task(s) now; counts on transitions", async ({ page }) => {
  await open(page, "Daily report");
  await page.locator('.react-flow__node[data-id="write"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Enable but do not execute" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByTestId("dirty-marker").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /^Run / });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("run-live").waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.locator('.react-flow__node[data-id="write"] .wnode[data-run-state="pending"]').waitFor();
  const anim = await node(page, "write").evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(anim, "blink");
  await page.locator('.react-flow__node[data-id="write"]').click({ button: "right" });
  await page.getByRole("menuitem", { name: "Execute pending task(s) now" }).click();
  await page.getByTestId("run-strip").locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  assert.equal(await runState(page, "write"), "done");
});

// Known race (noted on issue 14): the UI also learns the Stop's outcome from the
// `command_applied` event, which the held answer below does not hold back; on a loaded machine the
// event can end "Stopping…" before it is looked at. One retry for this test until it holds the
// event too; every assertion stays.
test.describe("toolbar", () => {
  test.describe.configure({ retries: 1 });
  test("toolbar: actions enabled by state, Stopping… while stopping, refusals, confirmations", async ({ page, server }) => {
    await server.command("Approval-gated email to leads", { type: "start" });
    await open(page, "Approval-gated email to leads");
    const state = page.getByTestId("workflow-state");
    assert.equal(await state.getAttribute("data-state"), "started");
    assert.ok(await page.getByRole("button", { name: "Start", exact: true }).isDisabled());
    await page.getByRole("button", { name: "Actions" }).click();
    assert.ok(await page.getByRole("menuitem", { name: "Start", exact: true }).isDisabled());
    assert.ok(await page.getByRole("menuitem", { name: "Start in simulation mode" }).isDisabled());
    // The engine kills what runs at once, so its `stopping` state lasts a few milliseconds; the
    // answer to the Stop is held back here for a second to look at the UI while a stop is under
    // way (the engine's own answer, only later — as from a slow owner).
    let release;
    const held = new Promise((r) => {
      release = r;
    });
    await page.route("**/api/v1/commands/*/wait", async (route) => {
      await held;
      await route.continue();
    });
    // The outcome also comes as the `command_applied` event, which races the Stop's own answer
    // (its id) to the page: arriving after it, the event settled the stop at once and
    // "Stopping…" never showed (a flaky run in CI). The id is handed over once the stop's events
    // have been shown (the workflow reads Finished), so only the held wait can settle it.
    await page.route("**/api/v1/workflows/*/commands", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      await page.locator('[data-testid="workflow-state"][data-state="finished"]').waitFor();
      await route.fulfill({ response });
    }, { times: 1 });
    await page.getByRole("menuitem", { name: "Stop", exact: true }).click();
    await page.getByTestId("workflow-state").getByText("Stopping…").waitFor();
    assert.ok(await page.getByRole("button", { name: "Stop", exact: true }).isDisabled());
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Stopping…" }).waitFor();
    assert.ok(await page.getByRole("menuitem", { name: "Stopping…" }).isDisabled());
    await page.keyboard.press("Escape");
    release();
    // The state arrives as an event; "Stopping…" stays until the Stop command's own answer
    // comes back, a moment later: wait for both, never for a fixed time.
    await page.locator('[data-testid="workflow-state"][data-state="finished"]', { hasText: "Finished" }).waitFor();
    assert.equal((await state.textContent()).trim(), "Finished");
    assert.ok(await page.getByRole("button", { name: "Pause", exact: true }).isDisabled());
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.locator('[data-testid="workflow-state"][data-state="started"]').waitFor();
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.locator('[data-testid="workflow-state"][data-state="paused"]').waitFor();
    // Purge history asks first.
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Purge history" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Unconditional stop" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Unconditional stop" }).click();
    await page.locator('[data-testid="workflow-state"][data-state="finished"]').waitFor();
  });
});


test("live canvas: record counts on transitions, simulation skips side effects", async ({ page }) => {
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create workflow" });
  await dialog.getByRole("button", { name: /Lead nurture from CSV/ }).click();
  await dialog.getByLabel("Name").fill("Leads");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run / });
  await run.getByRole("button", { name: "Start execution" }).click();
  await run.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  await run.getByRole("button", { name: "Close" }).click();
  const count = page.getByTestId("edge-count-import-ok");
  await count.waitFor();
  assert.match(await count.textContent(), /^\d+ - Ok$/);
  await page.getByTestId("edge-count-split-match").waitFor();

  // Simulation: side-effect activities are skipped (greyed).
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Start in simulation mode" }).click();
  await page.getByTestId("run-strip").getByText("Simulation").waitFor();
  await page.locator('.react-flow__node[data-id="import"] .wnode[data-run-state="skipped"]').waitFor();
  // Everything after it on its branch is skipped too.
  await page.locator('.react-flow__node[data-id="split"] .wnode[data-run-state="skipped"]').waitFor();
  await page.getByTestId("run-strip").locator('[data-testid="run-status"][data-status="completed"]').waitFor();
});
