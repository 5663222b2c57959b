// Screenshots of the list and the editor, light and dark, into docs/screenshots/.
import { test } from "./fixtures.mjs";
import { parisMornings } from "./sample-workflows.mjs";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });

async function shoot(page, theme) {
  await page.evaluate((t) => localStorage.setItem("weft.theme", t), theme);
  await page.reload();
  await page.getByTestId("workflow-card").first().waitFor();
  await page.screenshot({ path: `${out}/list-${theme}.png` });
  await page.getByTestId("workflow-card").first().getByRole("button", { name: "Open" }).click();
  await page.locator(".react-flow__node").first().waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/editor-${theme}.png` });
}

test("list and editor, light", ({ page }) => shoot(page, "light"));
test("list and editor, dark", ({ page }) => shoot(page, "dark"));

// Menus and the section modal, for the README and for eyeballing.
test("section menu, modal and context menu", async ({ page }) => {
  await page.getByTestId("workflow-card").first().getByRole("button", { name: "Open" }).click();
  await page.locator(".react-flow__node").first().waitFor();
  await page.waitForTimeout(300);
  const first = page.locator(".react-flow__node").nth(2);
  await first.click({ button: "right" });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/context-menu-light.png` });
  await page.keyboard.press("Escape");
  await page.locator('.react-flow__node[data-id="start"]').hover();
  await page.locator('[data-testid^="plus-start-"]').first().click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/section-menu-light.png` });
  await page.keyboard.press("Escape");
  await first.dblclick();
  await page.getByTestId("section-modal").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/section-modal-light.png` });
});

test("editor at 200% zoom", async ({ browser, server }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  await server.authorize(ctx);
  const page = await ctx.newPage();
  await page.goto(server.url);
  await page.evaluate(() => localStorage.setItem("weft.theme", "dark"));
  await page.reload();
  await page.getByTestId("workflow-card").first().getByRole("button", { name: "Open" }).click();
  await page.locator(".react-flow__node").first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/editor-dark-2x.png` });
  await ctx.close();
});

// The Schedulers view from a real run: two started schedules, a Run now waiting for its approval
// with another queued behind it, and a workflow's page.
test("schedulers view and a workflow's page", async ({ page, server }) => {
  await server.api("POST", "/workflows/import", { json: JSON.stringify(parisMornings) });
  await server.importTemplate("lead-intake-three-triggers");
  await server.command("Paris mornings", { type: "start" });
  await server.command("Daily report", { type: "start" });
  await server.command("Lead intake from three sources", { type: "start" });
  await page.reload();
  await page.getByRole("button", { name: "View schedulers" }).click();
  const row = page.getByTestId("scheduler-row").filter({ hasText: "Paris mornings" });
  await row.getByRole("button", { name: "Run now" }).click();
  await row.getByTestId("manual-marker").waitFor();
  await row.getByRole("button", { name: "Run now" }).click();
  await row.getByTestId("queued").waitFor();
  await page.locator(".toast").first().waitFor({ state: "detached" });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/schedulers.png` });
  await row.getByRole("button", { name: "Paris mornings" }).click();
  await page.getByTestId("approval-box").getByText("Go ahead? · run #1").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/workflow-page.png` });
});
