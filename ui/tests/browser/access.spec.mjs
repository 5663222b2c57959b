// A browser on `weft serve --http`: the access token is asked for once per tab, checked by the
// server, kept in session storage; a revoked token sends the tab back to the question.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";

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
