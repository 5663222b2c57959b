// A browser on `weft serve --http`: the access token is asked for once per tab, checked by the
// server, kept in session storage; a revoked token sends the tab back to the question.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

test("the token is asked for once: a wrong one is refused, the right one kept for the tab", async ({ browser, server }) => {
  // A context of its own, without the token the other tests' pages get.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  const field = page.getByLabel("Access token");
  await field.waitFor();
  assert.equal(await page.getByTestId("workflow-card").count(), 0, "nothing is shown without a token");
  const wrong = server.token.slice(0, -1) + (server.token.endsWith("0") ? "1" : "0");
  await field.fill(wrong);
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByRole("alert").getByText(/refused this token/).waitFor();
  await field.fill(server.token);
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByRole("article", { name: "Daily report", exact: true }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("weft.token")), server.token);
  // A reload keeps it (same tab).
  await page.reload();
  await page.getByRole("article", { name: "Daily report", exact: true }).waitFor();
  assert.equal(await page.getByLabel("Access token").count(), 0);
  // The address never carries it.
  assert.ok(!page.url().includes(server.token.slice(5, 20)));
  await context.close();
});

test("a revoked token sends the tab back to the token form", async ({ page, server }) => {
  await page.getByRole("article", { name: "Daily report", exact: true }).waitFor();
  server.cli("tokens", "revoke", "browser-test");
  await page.locator("nav").getByRole("button", { name: "Runs" }).click();
  await page.getByRole("alert").getByText(/no longer accepts the token/).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("weft.token")), null);
  const fresh = server.cli("tokens", "create", "second");
  await page.getByLabel("Access token").fill(fresh);
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByRole("heading", { name: "Runs", exact: true }).waitFor();
});

test("an operator's window offers only what they may do, and says why", async ({ browser, server }) => {
  server.cli("operators", "add", "lee", "--group", "marketing", "--can", "list");
  const token = server.cli("tokens", "create", "lee-laptop", "--operator", "lee");
  const context = await browser.newContext();
  await context.addInitScript((t) => sessionStorage.setItem("weft.token", t), token);
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    const card = page.getByRole("article", { name: "Daily report", exact: true });
    await card.waitFor();
    // Who the window acts as, from the engine.
    await page.getByTestId("session-badge").getByText("lee").waitFor();
    const runNow = card.getByRole("button", { name: "Run now" });
    await page.waitForFunction(() => document.querySelector('[aria-label="Daily report"] .card-actions button:nth-child(2)')?.disabled === true);
    assert.match(await runNow.getAttribute("data-tip"), /^Operator lee may not start, stop or run workflows \(needs the run capability\)\.$/);
    assert.ok(await page.getByRole("button", { name: "Create workflow" }).isDisabled());
    assert.ok(await page.getByRole("button", { name: "Import" }).isDisabled());
    // The editor: read, select, but nothing to insert, save or start.
    await card.getByRole("button", { name: "Open" }).click();
    await page.getByTestId("workflow-name").getByText("Daily report").waitFor();
    assert.equal(await page.getByRole("complementary", { name: "Activities" }).count(), 0, "no palette");
    const toolbar = page.getByRole("toolbar", { name: "Editor" });
    assert.ok(await toolbar.getByRole("button", { name: "Start" }).isDisabled());
    assert.ok(await toolbar.getByRole("button", { name: "Run now" }).isDisabled());
    assert.ok(await toolbar.getByRole("button", { name: "Save", exact: true }).isDisabled());
    assert.match(await toolbar.getByRole("button", { name: "Save", exact: true }).getAttribute("data-tip"), /may not edit workflows/);
    // An edit by keyboard is refused in the window too, with the reason, and nothing changes.
    const before = await page.locator(".react-flow__node").count();
    await page.locator(".react-flow__node").last().click();
    await page.keyboard.press("Delete");
    await page.getByText("Operator lee may not edit workflows (needs the update capability).").first().waitFor();
    assert.equal(await page.locator(".react-flow__node").count(), before);
    assert.equal(await page.getByTestId("dirty-marker").count(), 0);
    await page.screenshot({ path: resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots/operator-list-only.png") });
    // An approval of lee's group is shown to lee, but not offered to answer.
    await server.command("Approval-gated email to leads", { type: "run_now", params: {}, simulate: false });
    await page.getByRole("button", { name: /^Approvals/ }).click();
    const item = page.getByTestId("approval-item");
    await item.waitFor();
    assert.ok(await item.getByRole("button", { name: "Approve", exact: true }).isDisabled());
    assert.match(await item.getByRole("button", { name: "Reject", exact: true }).getAttribute("data-tip"), /may not answer approvals/);
    // What the window does not offer, the server refuses anyway.
    const refused = await page.evaluate(async (t) => {
      const r = await fetch("/api/v1/workflows", { method: "POST", headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" }, body: JSON.stringify({ name: "Sneaky" }) });
      return [r.status, (await r.json()).code];
    }, token);
    assert.deepEqual(refused, [403, "WEFT-A004"]);
  } finally {
    await context.close();
  }
});
