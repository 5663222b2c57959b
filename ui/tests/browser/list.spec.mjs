// The workflows list against the engine: templates, rename, duplicate, delete, import, run now.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
const card = (page, name) => page.getByRole("article", { name, exact: true });

test("create from a template, rename, duplicate, delete with confirmation", async ({ page }) => {
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create workflow" });
  await dialog.getByRole("button", { name: /Daily report/ }).click();
  await dialog.getByLabel("Name").fill("My report");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await page.locator('.react-flow__node[data-id="start"]').waitFor();
  assert.ok((await page.locator(".react-flow__node").count()) > 3, "template activities");
  await page.getByRole("button", { name: "Back to workflows" }).click();
  await card(page, "My report").waitFor();
  await card(page, "My report").getByRole("button", { name: "More actions for My report" }).click();
  await page.getByRole("menuitem", { name: "Rename…" }).click();
  await page.getByRole("alertdialog").getByRole("textbox").fill("Renamed report");
  await page.getByRole("alertdialog").getByRole("button", { name: "Rename" }).click();
  await card(page, "Renamed report").waitFor();
  await card(page, "Renamed report").getByRole("button", { name: /More actions/ }).click();
  await page.getByRole("menuitem", { name: "Duplicate" }).click();
  await card(page, "Renamed report (copy)").waitFor();
  await card(page, "Renamed report (copy)").getByRole("button", { name: /More actions/ }).click();
  await page.getByRole("menuitem", { name: "Delete…" }).click();
  const confirm = page.getByRole("alertdialog");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await card(page, "Renamed report (copy)").count(), 1);
  await card(page, "Renamed report (copy)").getByRole("button", { name: /More actions/ }).click();
  await page.getByRole("menuitem", { name: "Delete…" }).click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await card(page, "Renamed report (copy)").waitFor({ state: "detached" });
});

test("import a .weft.json file, run it now, see the run", async ({ page }) => {
  const file = {
    format: 1,
    name: "Imported flow",
    activities: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
      { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 200 } },
    ],
    transitions: [{ from: "start", port: "ok", to: "finish" }],
  };
  await page.getByTestId("import-file").setInputFiles({ name: "flow.weft.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
  await card(page, "Imported flow").waitFor();
  await card(page, "Imported flow").getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: "Run Imported flow" });
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("run-status").and(page.locator('[data-status="completed"]')).waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  await card(page, "Imported flow").getByText("Last run: Completed").waitFor();
  await card(page, "Imported flow").getByRole("button", { name: "View runs" }).click();
  await page.getByRole("heading", { name: "Runs of Imported flow" }).waitFor();
  await page.getByRole("cell", { name: "Imported flow" }).waitFor();
});


test("run now asks for the parameters first when the workflow has some", async ({ page }) => {
  await card(page, "Daily report").getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: "Run Daily report" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await dialog.getByTestId("run-live").waitFor();
  await dialog.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  await card(page, "Daily report").getByText("Last run: Completed").waitFor();
});

test("the template gallery shows each template's shape, by folder", async ({ page }) => {
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create workflow" });
  // Each preview is a picture the engine's renderer drew (the same as Copy as bitmap), loaded.
  // Counted in the page as it settles: the list may still be filling when the dialog appears.
  await page.waitForFunction(() => {
    const shown = document.querySelectorAll(".template-folder .template").length;
    const loaded = [...document.querySelectorAll("img.template-preview")].filter((i) => i.complete && i.naturalWidth > 0).length;
    return shown >= 3 && loaded === shown;
  }, null, { timeout: 30_000 }); // eleven drawings by the engine, on a busy two-core machine
  const templates = await dialog.locator(".template-folder .template").count();
  assert.ok(templates >= 3, `${templates} templates`);
  assert.ok((await dialog.locator(".template-folder-name").count()) >= 1);
  const sizes = await dialog.locator("img.template-preview").evaluateAll((imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight, i.getAttribute("src")?.slice(0, 26)]));
  for (const [w, h, src] of sizes) assert.ok(w >= 200 && h >= 100 && src === "data:image/svg+xml;base64,", `${w}×${h} ${src}`);
  await page.screenshot({ path: `${out}/template-gallery.png` });
});

test("save as template: pick a folder or create one; the gallery lists it there", async ({ page }) => {
  await page.getByRole("article", { name: "Approval-gated email to leads", exact: true }).getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="review"]').waitFor();
  const saveAs = async () => {
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Save as template…" }).click();
    return page.getByRole("dialog", { name: "Save as template" });
  };
  // No folder yet: a new one is proposed; a bad name is refused before anything is saved.
  let dialog = await saveAs();
  const folderName = dialog.getByLabel("New folder name");
  assert.equal(await folderName.inputValue(), "My templates");
  await folderName.fill("clients/acme");
  await dialog.getByText("One folder name, without slashes.").waitFor();
  assert.equal(await dialog.getByRole("button", { name: "Save template" }).isDisabled(), true);
  await folderName.fill("Sales");
  await dialog.getByLabel("Template name").fill("Gated email");
  await dialog.getByRole("button", { name: "Save template" }).click();
  await page.getByText("Saved “Gated email” as a template in Sales").waitFor();
  // Second time: the existing folder is offered (and chosen), with what it holds.
  dialog = await saveAs();
  const sales = dialog.getByRole("radio", { name: /Sales/ });
  assert.equal(await sales.isChecked(), true);
  await dialog.getByText("1 template").waitFor();
  await dialog.getByRole("radio", { name: /New folder/ }).check();
  await dialog.getByLabel("New folder name").fill("Ops");
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/save-template.png` });
  await dialog.getByRole("button", { name: "Save template" }).click();
  await page.getByText(/as a template in Ops/).waitFor();
  // The gallery lists both, under their folders.
  await page.getByRole("button", { name: "Back to workflows" }).click();
  await page.getByRole("button", { name: "Create workflow" }).first().click();
  const gallery = page.getByRole("dialog", { name: "Create workflow" });
  const folder = (name) => gallery.locator(".template-folder").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await folder("Sales").getByText("Gated email").waitFor();
  await folder("Ops").getByText("Approval-gated email to leads").waitFor();
});

test("two blank workflows in a row without a name get free names", async ({ page }) => {
  for (const expected of ["Untitled workflow", "Untitled workflow (2)"]) {
    await page.getByRole("button", { name: "Create workflow" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create workflow" });
    assert.equal(await dialog.getByLabel("Name").getAttribute("placeholder"), "Untitled workflow");
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await page.locator('.react-flow__node[data-id="finish"]').waitFor();
    await page.getByRole("button", { name: "Back to workflows" }).click();
    await card(page, expected).waitFor();
  }
});
