// Runs history against the engine: virtualised rows, keyset paging on scroll, filters, sort,
// View details on hover, and comparing two runs.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });
const ids = (page) => page.getByTestId("run-row").evaluateAll((els) => els.map((e) => Number(e.dataset.run)));

test("history: virtualised rows, paging on scroll, filters, sort, details, compare", async ({ page, server }) => {
  await server.seedHistory();
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByTestId("run-row").first().waitFor();
  await page.getByTestId("runs-count").getByText("50 runs loaded").waitFor();
  const rendered = await page.getByTestId("run-row").count();
  assert.ok(rendered < 40, `only visible rows are rendered (${rendered})`);
  const first = await ids(page);
  assert.ok(first[0] > first[1], "newest first");
  await page.screenshot({ path: `${out}/runs-history.png` });
  // Scroll to the end: the next keyset page is loaded.
  await page.getByTestId("runs-scroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await page.getByTestId("runs-count").getByText("100 runs loaded").waitFor();
  await page.getByTestId("runs-scroll").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await page.getByTestId("runs-count").getByText("150 runs loaded").waitFor();
  await page.getByLabel("Status", { exact: true }).selectOption("failed");
  // The filtered page replaces the one shown: wait for it rather than read the old rows.
  await page.waitForFunction(() => {
    const s = [...document.querySelectorAll('[data-testid="run-row"] [data-testid="run-status"]')].map((e) => e.dataset.status);
    return s.length > 0 && s.every((x) => x === "failed");
  });
  const statuses = await page.locator('[data-testid="run-row"] [data-testid="run-status"]').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length > 0 && statuses.every((s) => s === "failed"), "only failed runs");
  await page.getByLabel("Status", { exact: true }).selectOption("");
  await page.getByLabel("Trigger").selectOption("manual");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"] [data-status="completed"]').length > 0);
  const triggers = await page.locator('[data-testid="run-row"] [role="cell"]:nth-child(4)').allTextContents();
  assert.ok(triggers.length > 0 && triggers.every((t) => t === "Manual"), "trigger shown as Manual");
  await page.getByLabel("Trigger").selectOption("");
  await page.getByLabel("Sort").selectOption("oldest");
  await page.waitForFunction(() => {
    const ids = [...document.querySelectorAll('[data-testid="run-row"]')].map((e) => Number(e.dataset.run));
    return ids.length > 1 && ids[0] < ids[1];
  });
  const asc = await ids(page);
  assert.ok(asc[0] < asc[1], "oldest first");
  const today = new Date();
  const d = `${today.getFullYear() + 1}-01-01`;
  await page.getByLabel("From date").fill(d);
  await page.getByText("No runs match these filters").waitFor();
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByTestId("run-row").first().waitFor();
  // Compare two runs.
  await page.getByLabel(/Select run \d+ to compare/).nth(0).check();
  await page.getByLabel(/Select run \d+ to compare/).nth(1).check();
  await page.getByRole("button", { name: /Compare \(2\/2\)/ }).click();
  const cmp = page.getByRole("dialog", { name: "Compare runs" });
  await cmp.locator("th").nth(2).waitFor();
  await cmp.getByText("Succeeded", { exact: false }).first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/runs-compare.png` });
  await cmp.getByRole("button", { name: "Close" }).click();
  // View details appears on hover.
  const row = page.getByTestId("run-row").first();
  await row.hover();
  await row.getByRole("button", { name: "View details" }).click();
  await page.getByTestId("run-detail").waitFor();
});

