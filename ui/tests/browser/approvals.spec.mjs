// The approvals panel: every approval waiting across workflows, with a badge count in the top bar.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });
const card = (page, name) => page.getByRole("article", { name, exact: true });

async function startApprovalRun(page, name = "Approval-gated email to leads") {
  await card(page, name).getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: /^Run / });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("approval-box").waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
}

test("approvals: listed across runs with a badge; approve and reject with comments", async ({ page, server }) => {
  // Two workflows: the template queues its runs (concurrency: queue), so a second run of the
  // same workflow would wait for the first before reaching its approval.
  await server.api("POST", `/workflows/${await server.workflowId("Approval-gated email to leads")}/duplicate`);
  await page.reload();
  await startApprovalRun(page);
  await startApprovalRun(page, "Approval-gated email to leads (copy)");
  const badge = page.getByTestId("approvals-badge");
  await badge.getByText("2").waitFor();
  await page.getByRole("button", { name: /^Approvals/ }).click();
  await page.getByRole("heading", { name: "Approvals" }).waitFor();
  assert.equal(await page.getByTestId("approval-item").count(), 2);
  await page.screenshot({ path: `${out}/approvals.png` });
  const first = page.getByTestId("approval-item").first();
  await first.getByLabel("Approval comment").fill("ok to send");
  await first.getByRole("button", { name: "Approve" }).click();
  await badge.getByText("1").waitFor();
  await page.getByTestId("approval-item").first().getByRole("button", { name: "Reject" }).click();
  await badge.waitFor({ state: "detached" });
  await page.getByText("Nothing waits for you").waitFor();
  // Both runs ended as answered: each took its branch (send, or tell the author) and completed.
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByTestId("run-row").nth(1).waitFor();
  await page.waitForFunction(() => {
    const s = [...document.querySelectorAll('[data-testid="run-row"] [data-testid="run-status"]')].map((e) => e.dataset.status);
    return s.length === 2 && s.every((x) => x === "completed");
  });
});

test("operator screens in the dark theme", async ({ page }) => {
  await page.evaluate(() => localStorage.setItem("weft.theme", "dark"));
  await page.reload();
  await startApprovalRun(page);
  await card(page, "Approval-gated email to leads").getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="review"] .wnode[data-run-state="approval"]').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/live-canvas-dark.png` });
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByTestId("run-row").first().waitFor();
  await page.screenshot({ path: `${out}/runs-history-dark.png` });
});

