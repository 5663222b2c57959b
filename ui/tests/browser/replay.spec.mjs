// Replay of a past run on the canvas against the engine: a template workflow is run, the run
// strip's Replay opens the timeline under the canvas, the scrubber is dragged to the middle and
// to the end (cards and transition counts follow it), Play runs to the end, Escape leaves.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });

/** Every card's run state, by activity id ("not-reached" when the run has not got there). */
const states = (page) =>
  page.locator(".react-flow__node .wnode").evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.testid.replace(/^activity-/, ""), e.dataset.runState ?? null])));
/** Every transition's count label, by its test id. */
const counts = (page) => page.locator('[data-testid^="edge-count-"]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.testid, e.textContent])));
/** "m:ss.mmm" as milliseconds. */
const ms = (label) => {
  const m = /^(\d+):(\d\d)\.(\d\d\d)$/.exec(label.trim());
  assert.ok(m, `a time label: ${label}`);
  return Number(m[1]) * 60_000 + Number(m[2]) * 1000 + Number(m[3]);
};

/** Drags the scrubber's thumb to `fraction` of the track, as a person would with the mouse. */
async function dragTo(page, fraction) {
  const scrubber = page.getByTestId("replay-scrubber");
  const box = await scrubber.boundingBox();
  const value = Number(await scrubber.inputValue());
  const max = Number(await scrubber.getAttribute("max"));
  // The thumb (14 px) travels between the track's ends less half its width.
  const x = (f) => box.x + 7 + f * (box.width - 14);
  await page.mouse.move(x(value / max), box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(x((value / max + fraction) / 2), box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(x(fraction), box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  // A drag to the track's end can stop a pixel short of it; End on the scrubber the drag left
  // focused finishes it, as a person would.
  if (fraction >= 1) await scrubber.press("End");
}

test("replay: a past run plays on the canvas; cards and counts follow the scrubber", async ({ page }) => {
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
  await page.getByTestId("edge-count-import-ok").waitFor();
  await page.getByTestId("edge-count-split-match").waitFor();
  const ended = await states(page);
  const endedCounts = await counts(page);
  assert.equal(ended.finish, "done", "the live overlay shows the run as it ended");

  // Replay from the run strip: the timeline opens at the run's start.
  await page.getByTestId("run-strip").getByTestId("replay-open").click();
  const bar = page.getByTestId("replay-bar");
  await bar.waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="replay-bar"]')?.textContent?.includes("reading"));
  const duration = ms(await bar.getByTestId("replay-duration").textContent());
  assert.ok(duration > 0, "the run took some time");
  assert.equal(ms(await bar.getByTestId("replay-time").textContent()), 0);
  const atStart = await states(page);
  assert.notEqual(atStart.finish, "done", "at the start the run has not got far");
  assert.equal(await page.getByTestId("edge-count-import-ok").count(), 0, "no records through yet");

  // The middle: the playhead's time is about half, the run is under way, not finished.
  await dragTo(page, 0.5);
  const mid = ms(await bar.getByTestId("replay-time").textContent());
  assert.ok(mid > duration * 0.3 && mid < duration * 0.7, `the middle: ${mid} of ${duration}`);
  // (Finish may be done already: it follows the first branch that reaches it.)
  const middle = await states(page);
  const doneAt = (s) => Object.values(s).filter((v) => v === "done" || v === "warning").length;
  assert.ok(doneAt(middle) >= doneAt(atStart) && doneAt(middle) < doneAt(ended), `fewer cards done in the middle: ${JSON.stringify(middle)}`);
  // The card the run is in shows its time so far and its heat colour.
  await page.getByTestId("heat").first().waitFor();
  await page.screenshot({ path: `${out}/replay-timeline.png` });

  // The end: exactly what the live overlay showed when the run ended.
  await dragTo(page, 1);
  assert.equal(ms(await bar.getByTestId("replay-time").textContent()), duration);
  assert.deepEqual(await states(page), ended, "cards at the end are the run's final states");
  assert.deepEqual(await counts(page), endedCounts, "transition counts at the end are the run's");
  assert.match(await page.getByTestId("edge-count-import-ok").textContent(), /^\d+ - Ok$/);

  // Back to the start, then Play runs to the end by itself.
  await bar.getByRole("button", { name: "Back to the start" }).click();
  assert.equal(ms(await bar.getByTestId("replay-time").textContent()), 0);
  await bar.getByLabel("Speed").selectOption("256");
  await bar.getByRole("button", { name: "Play", exact: true }).click();
  await bar.getByRole("button", { name: "Play", exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(ms(await bar.getByTestId("replay-time").textContent()), duration, "played to the end");
  assert.deepEqual(await states(page), ended);

  // Escape leaves the replay; the canvas shows the run as it ended.
  await page.keyboard.press("Escape");
  await bar.waitFor({ state: "detached" });
  assert.deepEqual(await states(page), ended);
  assert.deepEqual(await counts(page), endedCounts);
});

test("replay: Replay on canvas from a run's detail opens the editor replaying it", async ({ page, server }) => {
  const made = await server.importTemplate("parallel-fetch-join");
  const outcome = await server.command(made.name, { type: "run_now", params: {}, simulate: true });
  await server.runEnds(outcome.run);
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByTestId("run-row").first().hover();
  await page.getByTestId("run-row").first().getByRole("button", { name: "View details" }).click();
  await page.getByTestId("run-detail").waitFor();
  await page.getByTestId("replay-on-canvas").click();
  const bar = page.getByTestId("replay-bar");
  await bar.waitFor();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="replay-bar"]')?.textContent?.includes("reading"));
  await dragTo(page, 1);
  const end = await states(page);
  assert.equal(end.start, "done", `the start ran: ${JSON.stringify(end)}`);
  await bar.getByRole("button", { name: "Leave the replay" }).click();
  await bar.waitFor({ state: "detached" });
  // Or straight from the history's row.
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  const row = page.getByTestId("run-row").first();
  await row.hover();
  await row.getByRole("button", { name: `Replay run ${outcome.run} on the canvas` }).click();
  await page.getByTestId("replay-bar").waitFor();
});

test("replay: a run that waited for an approval shows the card waiting in the meantime", async ({ page, server }) => {
  const outcome = await server.command("Approval-gated email to leads", { type: "run_now", params: {}, simulate: false });
  let waiting = [];
  for (let i = 0; i < 200 && waiting.length === 0; i++) {
    waiting = (await server.api("GET", "/approvals")).filter((a) => a.runId === outcome.run);
    if (waiting.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(waiting.length, 1, "the run asks for an approval");
  // A person takes a while to answer.
  await new Promise((r) => setTimeout(r, 1500));
  server.cli("approve", String(waiting[0].taskId));
  await server.runEnds(outcome.run);
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  const row = page.getByTestId("run-row").first();
  await row.hover();
  await row.getByRole("button", { name: `Replay run ${outcome.run} on the canvas` }).click();
  const bar = page.getByTestId("replay-bar");
  await bar.waitFor();
  await page.locator('.react-flow__node[data-id="review"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="replay-bar"]')?.textContent?.includes("reading"));
  // The middle of the wait, wherever a loaded machine put it in the run.
  const run = await server.api("GET", `/runs/${outcome.run}`);
  const review = (await server.api("GET", `/runs/${outcome.run}/tasks`)).find((t) => t.activityId === "review");
  const waitMiddle = ((review.startedAt ?? review.createdAt) + review.endedAt) / 2;
  await dragTo(page, (waitMiddle - run.createdAt) / (run.endedAt - run.createdAt));
  const middle = await states(page);
  assert.equal(middle.review, "approval", `waiting for the answer in the middle: ${JSON.stringify(middle)}`);
  await page.getByTestId("activity-review").getByText("Waiting for approval").waitFor();
  assert.equal(middle.send, "not-reached");
  await dragTo(page, 1);
  const end = await states(page);
  assert.deepEqual([end.review, end.send, end.declined], ["done", "done", "skipped"], JSON.stringify(end));
});
