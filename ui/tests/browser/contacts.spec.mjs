// The Contacts view against the engine: demo data offer, search, filter builder,
// CSV import with a rejected row, export, and the screenshot for the docs.
import assert from "node:assert/strict";
import { test } from "./fixtures.mjs";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");

async function open(page) {
  await page.locator("nav").getByRole("button", { name: "Contacts" }).click();
  await page.getByRole("heading", { name: "Contacts", exact: true }).waitFor();
}

async function withDemo(page) {
  await open(page);
  await page.getByRole("button", { name: "Add demo leads" }).click();
  await page.getByTestId("contacts-total").getByText("3,000 contacts").waitFor();
  await page.getByTestId("contact-row").first().waitFor();
}

/** Scrolls the table to its end until every matching row is loaded. */
async function loadAll(page) {
  const scroll = page.getByTestId("contacts-scroll");
  for (let i = 0; i < 40; i++) {
    if ((await page.locator(".ct-foot").textContent()).includes("All")) return;
    await scroll.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForTimeout(60);
  }
  throw new Error("the table never finished loading");
}

const rows = (page) => page.getByTestId("contact-row");
const matching = async (page) => Number((await page.getByTestId("contacts-matching").textContent()).replace(/[^\d]/g, ""));

test("a contact's status is edited in place and kept", async ({ page }) => {
  await withDemo(page);
  const first = rows(page).first();
  const select = first.locator("select");
  const before = await select.inputValue();
  const next = before === "qualified" ? "lost" : "qualified";
  await select.selectOption(next);
  await page.waitForTimeout(100);
  assert.equal(await rows(page).first().locator("select").inputValue(), next);
  await page.getByRole("button", { name: "Reload" }).click().catch(() => {});
  await rows(page).first().waitFor();
  assert.equal(await rows(page).first().locator("select").inputValue(), next, "saved in the backend");
});

test("an empty database offers demo leads, the table is virtualised and pages as it scrolls", async ({ page }) => {
  await open(page);
  await page.getByTestId("contacts-empty").waitFor();
  await withDemo(page);
  assert.equal(await page.getByTestId("contacts-empty").count(), 0, "no offer once there is data");
  assert.equal(await page.getByRole("button", { name: "Add demo leads" }).count(), 0);
  const rendered = await rows(page).count();
  assert.ok(rendered > 5 && rendered < 80, `only visible rows are rendered (${rendered})`);
  assert.equal(await page.getByRole("table", { name: "Contacts" }).getAttribute("aria-rowcount"), "200", "first page of 200");
  const scroll = page.getByTestId("contacts-scroll");
  await scroll.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.waitForFunction(() => Number(document.querySelector('[aria-label="Contacts"]')?.getAttribute("aria-rowcount")) >= 400);
  assert.ok((await rows(page).count()) < 80, "still only the visible rows");
  // Back and forth: the offer stays hidden when the view opens again.
  await page.locator("nav").getByRole("button", { name: "Workflows" }).click();
  await open(page);
  await rows(page).first().waitFor();
  assert.equal(await page.getByTestId("contacts-empty").count(), 0);
});

test("search by email or name", async ({ page }) => {
  await withDemo(page);
  await page.getByRole("searchbox", { name: "Search contacts" }).fill("hopper");
  // Rows present and every one a match: an empty table (the page between two answers) matches
  // "every" too.
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll('[data-testid="contact-row"]')];
    return shown.length > 0 && shown.every((r) => r.textContent.toLowerCase().includes("hopper"));
  });
  const n = await rows(page).count();
  assert.ok(n > 0);
  const names = await rows(page).locator('[role="cell"]:nth-child(2)').allInnerTexts();
  assert.ok(names.every((x) => x.includes("Hopper")), names.join(","));
  await page.getByRole("searchbox", { name: "Search contacts" }).fill("zzzz-nobody");
  await page.getByText("No contacts match").waitFor();
});

test("filter builder with two rules, all then any", async ({ page }) => {
  await withDemo(page);
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Rule 1 field").selectOption("status");
  await page.getByLabel("Rule 1 operator").selectOption("eq");
  await page.getByLabel("Rule 1 value").fill("qualified");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Rule 2 field").selectOption("tags");
  const ops = await page.getByLabel("Rule 2 operator").locator("option").evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(ops, ["contains", "ne", "is_empty", "not_empty"], "tag operators only");
  await page.getByLabel("Rule 2 value").fill("vip");
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('[data-testid="contact-row"]')];
    return r.length > 0 && r.every((x) => x.textContent.includes("qualified") && x.textContent.includes("vip"));
  });
  await page.waitForFunction(() => document.querySelector(".ct-foot")?.textContent.includes("All"));
  const both = await matching(page);
  assert.ok(both > 10 && both < 300, `both rules: ${both}`);
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("weft.contacts.filter")));
  assert.deepEqual(saved, {
    match: "all",
    rules: [
      { field: "status", op: "eq", value: "qualified" },
      { field: "tags", op: "contains", value: "vip" },
    ],
  });
  await page.getByRole("group", { name: "Match" }).getByRole("button", { name: "Any rule" }).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="contacts-matching"]').textContent.replace(/[^\d]/g, "")) > n, both);
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("weft.contacts.filter"))).match, "any");
  // A custom field from the data (demo `city`) is offered.
  await page.getByLabel("Rule 2 field").selectOption("custom.city");
  assert.ok((await page.getByLabel("Rule 2 operator").locator("option").count()) > 4);
  await page.getByRole("button", { name: "Remove rule 2" }).click();
  await page.getByRole("button", { name: "Remove rule 1" }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="contacts-matching"]').textContent.includes("shown"));
});

test("import a CSV with a mapping step, a rejected row in the report", async ({ page }) => {
  await open(page);
  const csv = "E-mail;Full name;Company;Tags\nada@example.org;Ada Lovelace;Analytical;vip\nnot-an-email;Bob;Acme;\ngrace@example.org;Grace Hopper;Navy;fair, vip\n";
  await page.getByTestId("contacts-import-file").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const dialog = page.getByRole("dialog", { name: "Import contacts" });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel("Delimiter").inputValue(), ";", "delimiter guessed");
  assert.equal(await dialog.getByLabel("Field for column E-mail").inputValue(), "email");
  assert.equal(await dialog.getByLabel("Field for column Full name").inputValue(), "name");
  assert.equal(await dialog.getByLabel("Field for column Company").inputValue(), "custom");
  await dialog.getByRole("cell", { name: "not-an-email" }).waitFor();
  await dialog.getByLabel("Default status").fill("lead");
  await dialog.getByRole("button", { name: "Import 3 rows" }).click();
  await dialog.getByTestId("import-report").waitFor();
  assert.equal(await dialog.getByTestId("import-created").textContent(), "2");
  assert.equal(await dialog.getByTestId("import-rejected").textContent(), "1");
  await dialog.getByRole("row").filter({ hasText: "Line 3" }).filter({ hasText: 'bad email "not-an-email"' }).waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("contacts-total").getByText("2 contacts").waitFor();
  const grace = rows(page).filter({ hasText: "grace@example.org" });
  await grace.waitFor();
  assert.equal(await grace.locator("select").inputValue(), "lead");
  assert.equal(await page.getByTestId("contacts-empty").count(), 0);
  // The file's Company column became a custom field, offered by the filter builder.
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Rule 1 field").selectOption("custom.Company");
  await page.getByLabel("Rule 1 operator").selectOption("eq");
  await page.getByLabel("Rule 1 value").fill("navy");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-row"]').length === 1);
});

test("a malformed file imports nothing and says why", async ({ page }) => {
  await open(page);
  await page.getByTestId("contacts-import-file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("email,name\na@x.io,A\nb@x.io\n") });
  const dialog = page.getByRole("dialog", { name: "Import contacts" });
  await dialog.getByRole("button", { name: /Import 2 rows/ }).click();
  await dialog.getByRole("alert").getByText(/WEFT-C010/).waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.getByTestId("contacts-empty").waitFor();
});

test("export the current filter as CSV", async ({ page }) => {
  await withDemo(page);
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Rule 1 field").selectOption("status");
  await page.getByLabel("Rule 1 value").fill("customer");
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll('[data-testid="contact-row"]')];
    return shown.length > 0 && shown.every((x) => x.textContent.includes("customer"));
  });
  await loadAll(page);
  const shown = await matching(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  assert.match(download.suggestedFilename(), /^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(text[0], "email,name,phone,status,tags,city,score");
  assert.equal(text.length - 1, shown, "one line per matching contact");
  assert.ok(text.slice(1).every((l) => l.split(",")[3] === "customer"));
});

test("screenshot (light)", async ({ page }) => {
  mkdirSync(out, { recursive: true });
  await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
  await page.reload();
  await withDemo(page);
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Rule 1 field").selectOption("status");
  await page.getByLabel("Rule 1 operator").selectOption("in");
  await page.getByLabel("Rule 1 value").fill("qualified, customer");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Rule 2 field").selectOption("custom.score");
  await page.getByLabel("Rule 2 operator").selectOption("gt");
  await page.getByLabel("Rule 2 value").fill("50");
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll('[data-testid="contact-row"]')];
    return shown.length > 0 && shown.every((x) => /qualified|customer/.test(x.textContent));
  });
  await page.waitForFunction(() => !document.querySelector(".ct-foot")?.textContent.includes("Loading"));
  await page.getByLabel("Rule 2 value").blur();
  await page.mouse.move(0, 0);
  await page.locator(".toast").waitFor({ state: "detached" });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/contacts.png` });
});

