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


test("operators in a browser: offered only their group's approvals, notified once allowed, answering in their own name", async ({ browser, server }) => {
  server.cli("operators", "add", "ada", "--group", "marketing", "--can", "list,run,approve");
  server.cli("operators", "add", "bob", "--group", "ops", "--can", "list,approve");
  const tokens = { ada: server.cli("tokens", "create", "ada-laptop", "--operator", "ada"), bob: server.cli("tokens", "create", "bob-laptop", "--operator", "bob") };
  const origin = new URL(server.url).origin;
  const open = async (token) => {
    const context = await browser.newContext();
    await context.grantPermissions(["notifications"], { origin });
    // The token as if typed once; notifications the page shows are written down as well as shown.
    await context.addInitScript((t) => {
      sessionStorage.setItem("weft.token", t);
      const Real = window.Notification;
      window.__notes = [];
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          window.__notes.push({ title, body: options?.body ?? "" });
        }
        static get permission() {
          return Real.permission;
        }
        static requestPermission(...args) {
          return Real.requestPermission(...args);
        }
      };
    }, token);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole("button", { name: /^Approvals/ }).click();
    await page.getByRole("heading", { name: "Approvals" }).waitFor();
    return { context, page };
  };
  const ada = await open(tokens.ada);
  const bob = await open(tokens.bob);
  try {
    await ada.page.getByTestId("notices-on").waitFor();
    const outcome = await server.command("Approval-gated email to leads", { type: "run_now", params: {}, simulate: false });
    await ada.page.getByTestId("approval-item").waitFor();
    await ada.page.waitForFunction(() => window.__notes.length === 1);
    const [note] = await ada.page.evaluate(() => window.__notes);
    assert.match(note.title, /^Approval-gated email to leads: approval waiting$/);
    // bob is of another group: not offered it, not notified, and refused if he tries.
    await bob.page.waitForTimeout(1000);
    assert.equal(await bob.page.getByTestId("approval-item").count(), 0);
    assert.equal(await bob.page.evaluate(() => window.__notes.length), 0);
    const [approval] = await server.api("GET", "/approvals");
    const refused = await bob.page.evaluate(async ({ token, task }) => {
      const r = await fetch("/api/v1/commands", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ type: "approve", task_id: task }) });
      return [r.status, (await r.json()).code];
    }, { token: tokens.bob, task: approval.taskId });
    assert.deepEqual(refused, [403, "WEFT-A005"]);
    // ada approves: in her name.
    await ada.page.getByTestId("approval-item").getByRole("button", { name: "Approve", exact: true }).click();
    await ada.page.getByTestId("approval-item").waitFor({ state: "detached" });
    const run = await server.runEnds(outcome.run);
    assert.equal(run.status, "completed");
    const logs = await server.api("GET", `/runs/${outcome.run}/logs`);
    assert.ok(logs.some((l) => /approved by ada/.test(l.message)), JSON.stringify(logs.map((l) => l.message)));
  } finally {
    await ada.context.close();
    await bob.context.close();
  }
});
