// The section modal of every activity kind in the catalogue, opened as a person opens it (dropped
// from the palette, or a double-click on Start and Finish): a screenshot of each into
// docs/screenshots/modals/, and no button in any of them without an accessible name — with an
// entry added to each of its lists and maps, so that their Remove and Move buttons are there too.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "./fixtures.mjs";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots/modals");
mkdirSync(out, { recursive: true });

const node = (page, id) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** The modal's buttons that have no accessible name, as the browser computes names. */
async function unnamedButtons(modal) {
  const tree = await modal.ariaSnapshot();
  return tree.split("\n").filter((line) => /^\s*- button(:|\s*$|\s*\[)/.test(line));
}

test("every kind's section modal: a screenshot, and every button has a name", async ({ page, server }) => {
  test.setTimeout(240_000);
  const catalog = await server.api("GET", "/catalog");
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  await page.getByLabel("Name").fill("Every kind");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await node(page, "finish").waitFor();
  const pane = page.locator(".react-flow__pane");
  const box = await pane.boundingBox();
  const modal = page.getByTestId("section-modal");
  const problems = [];
  for (const entry of catalog) {
    if (entry.kind === "start" || entry.kind === "finish") {
      await node(page, entry.kind).dblclick();
    } else {
      await page.getByTestId(`palette-${entry.kind}`).dragTo(pane, { targetPosition: { x: box.width - 260, y: 120 } });
    }
    await modal.waitFor();
    // One entry in each list and map, filled in, so that their rows are in the picture.
    const adds = modal.getByRole("button", { name: "Add", exact: true });
    for (let i = (await adds.count()) - 1; i >= 0; i--) await adds.nth(i).click();
    for (const row of await modal.locator(".map-row:not(.map-head)").all()) {
      await row.getByRole("textbox", { name: "Name" }).fill("region");
      await row.locator(".map-value input, .map-value textarea").first().fill("{{ params.region }}");
    }
    for (const input of await modal.locator(".rjsf-array-item input").all()) {
      if (await input.isEditable()) await input.fill((await input.getAttribute("type")) === "number" ? "2" : "vip");
    }
    await modal.locator(".dialog-body").evaluate((el) => el.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.waitForTimeout(150);
    await modal.screenshot({ path: `${out}/${entry.kind}.png` });
    const unnamed = await unnamedButtons(modal);
    if (unnamed.length) problems.push(`${entry.kind}: ${unnamed.join(" | ")}`);
    // Escape closes it; the close button too (checked on one kind, Escape on all).
    if (entry.kind === "set_variables") await modal.getByRole("button", { name: "Close" }).click();
    else await page.keyboard.press("Escape");
    await expect(modal).toHaveCount(0);
    // Dropped activities are taken back, so that the next one lands on a free spot.
    if (entry.kind !== "start" && entry.kind !== "finish") {
      await page.keyboard.press("Control+z");
      await expect(node(page, entry.kind)).toHaveCount(0);
    }
  }
  assert.deepEqual(problems, [], "buttons without an accessible name");
});

test("Enter in a one-line field confirms the modal; the field a diagnostic names is marked", async ({ page }) => {
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  await page.getByLabel("Name").fill("Keys");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await node(page, "finish").waitFor();
  const pane = page.locator(".react-flow__pane");
  const box = await pane.boundingBox();
  await page.getByTestId("palette-http_request").dragTo(pane, { targetPosition: { x: box.width - 260, y: 120 } });
  const modal = page.getByTestId("section-modal");
  await modal.waitFor();
  // A template left open, confirmed with Enter in the one-line URL field.
  await modal.getByLabel("URL", { exact: true }).fill("https://example.com/{{ params.id");
  await modal.getByLabel("URL", { exact: true }).press("Enter");
  await expect(modal).toHaveCount(0);
  // The engine names the field: opened again, the modal marks it with the engine's message.
  await node(page, "http_request").dblclick();
  const marked = modal.locator(".has-error").filter({ has: page.getByLabel("URL", { exact: true }) });
  await expect(marked).toContainText("WEFT-V009");
  await modal.getByLabel("URL", { exact: true }).fill("https://example.com/{{ params.id }}");
  await expect(marked).toHaveCount(0);
  await modal.getByLabel("Label").fill("Fetch the record");
  await modal.getByLabel("Label").press("Enter");
  await expect(modal).toHaveCount(0);
  await expect(node(page, "http_request")).toContainText("Fetch the record");
});
