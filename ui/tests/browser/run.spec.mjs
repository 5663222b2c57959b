// Operating workflows against the engine: the run dialog with an approval, run detail.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });
const card = (page, name) => page.getByRole("article", { name, exact: true });


test("run dialog: parameters, live tasks, approval with a comment, results, test again", async ({ page }) => {
  await card(page, "Approval-gated email to leads").getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: "Run Approval-gated email to leads" });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  const box = dialog.getByTestId("approval-box");
  await box.waitFor();
  await dialog.locator('[data-testid="run-status"][data-status="waiting_for_approval"]').waitFor();
  await page.screenshot({ path: `${out}/run-dialog.png` });
  await box.getByLabel("Approval comment").fill("Looks good");
  await box.getByRole("button", { name: "Approve" }).click();
  await dialog.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  assert.equal(await dialog.getByTestId("run-progress").textContent(), "100%");
  const results = await dialog.getByTestId("run-results").textContent();
  assert.match(results, /"status": "completed"/);
  await dialog.getByTestId("task-send").waitFor();
  // The rejected branch is not run: the engine records its task as skipped (not taken).
  const declined = dialog.getByTestId("task-declined");
  assert.ok((await declined.count()) === 0 || (await declined.getAttribute("data-status")) === "skipped", "the rejected branch is not run");
  await page.screenshot({ path: `${out}/run-dialog-completed.png` });
  await dialog.getByRole("button", { name: "Test again" }).click();
  await dialog.getByRole("button", { name: "Start execution" }).waitFor();
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("approval-box").waitFor();
  await dialog.getByTestId("approval-box").getByRole("button", { name: "Reject" }).click();
  // The rejected branch runs (it tells the author) and the run completes.
  await dialog.locator('[data-testid="task-declined"][data-status="succeeded"]').waitFor();
  await dialog.locator('[data-testid="task-send"][data-status="skipped"]').waitFor();
  await dialog.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
});

test("run dialog: cancel a waiting run, then view its details", async ({ page }) => {
  await card(page, "Approval-gated email to leads").getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: /^Run / });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("approval-box").waitFor();
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await dialog.locator('[data-testid="run-status"][data-status="cancelled"]').waitFor();
  await dialog.getByRole("button", { name: "View details" }).click();
  const detail = page.getByTestId("run-detail");
  await detail.waitFor();
  await detail.locator('[data-testid="run-status"][data-status="cancelled"]').waitFor();
  await detail.getByTestId("rd-task-start").waitFor();
  await detail.getByTestId("rd-task-review").click();
  // The waiting approval was cancelled with its run (the engine logs no line for that).
  await detail.getByTestId("rd-task-review").getByText("Cancelled").waitFor();
  await detail.getByRole("tab", { name: /Logs/ }).click();
  await detail.getByTestId("task-logs").waitFor();
});

test("run detail: tasks in order, arguments, result, logs and attempts, live", async ({ page }) => {
  await card(page, "Daily report").getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: "Run Daily report" });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("run-live").waitFor();
  await dialog.getByRole("button", { name: "View details" }).click();
  const detail = page.getByTestId("run-detail");
  await detail.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  const order = await detail.locator('[data-testid^="rd-task-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice(8)));
  assert.deepEqual(order, ["start", "weekdays", "gather", "write", "finish"]);
  await detail.getByTestId("rd-task-gather").click();
  await detail.getByRole("tab", { name: "Arguments" }).click();
  assert.match(await detail.getByTestId("task-arguments").textContent(), /\{/);
  await detail.getByRole("tab", { name: "Stdout" }).click();
  // What the real command printed (`echo "host: …"; uptime; df -h`).
  assert.match(await detail.getByTestId("task-stdout").textContent(), /host: /);
  await detail.getByRole("tab", { name: /Attempts/ }).click();
  await detail.getByText("Attempt 1", { exact: true }).waitFor();
  await detail.getByRole("tab", { name: "Result" }).click();
  // The run-wide log lists every activity's lines, searchable.
  const runLog = detail.getByTestId("run-log");
  await runLog.locator(".log-line").first().waitFor();
  const all = await runLog.locator(".log-line").count();
  await runLog.getByLabel("Search the run log").fill("zzz-no-such-line");
  await runLog.getByText("No line matches.").waitFor();
  await runLog.getByLabel("Search the run log").fill("");
  assert.equal(await runLog.locator(".log-line").count(), all);
  await page.screenshot({ path: `${out}/run-detail.png` });
  // Restart from a task: a new run, reusing what came before.
  await detail.getByRole("button", { name: "Restart from this task" }).click();
  await page.getByRole("heading", { name: /Run #\d+ · Daily report/ }).waitFor();
  await detail.getByText("Restart from task", { exact: true }).waitFor();
  await detail.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  await detail.getByTestId("rd-task-start").getByText("Reused").waitFor();
});

