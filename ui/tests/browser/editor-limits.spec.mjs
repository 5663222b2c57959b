// The editor's limits from issue 14: a save over a revision saved elsewhere asks what to do (and
// each answer does it), a window is named after its workflow, and a large workflow answers a
// click while its cards are still being built.
import assert from "node:assert/strict";
import { expect, test } from "./fixtures.mjs";

const node = (page, id) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Start → Step → Finish, named `name`, with Step labelled `label`. */
function shared(name, label = "Step") {
  return {
    format: 1,
    name,
    activities: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} },
      { id: "step", kind: "set_variables", label, position: { x: 0, y: 140 }, config: { variables: {} } },
      { id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 280 }, config: {} },
    ],
    transitions: [
      { from: "start", port: "ok", to: "step" },
      { from: "step", port: "ok", to: "finish" },
    ],
  };
}

/**
 * Opens "Shared" in the editor, saves another revision behind its back (as another window or
 * the CLI would, through the API), deletes Step in the editor and saves: the dialog is up.
 */
async function conflict(page, server) {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(shared("Shared")) });
  await page.reload();
  await page.getByTestId("workflow-card").filter({ hasText: "Shared" }).getByRole("button", { name: "Open" }).click();
  await node(page, "step").waitFor();
  await server.api("PUT", `/workflows/${encodeURIComponent(made.id)}`, { body: shared("Shared", "Theirs") });
  await node(page, "step").click();
  await page.keyboard.press("Delete");
  await node(page, "step").waitFor({ state: "detached" });
  await page.keyboard.press("Control+s");
  const dialog = page.getByRole("alertdialog", { name: "Saved elsewhere" });
  await dialog.waitFor();
  await expect(dialog).toContainText("Revision 2");
  return { id: made.id, dialog };
}

const detail = (server, id) => server.api("GET", `/workflows/${encodeURIComponent(id)}`);
const activityIds = (d) => d.body.activities.map((a) => a.id).sort();

test("Overwrite saves these changes over the revision saved elsewhere", async ({ page, server }) => {
  const { id, dialog } = await conflict(page, server);
  await dialog.getByRole("button", { name: "Overwrite" }).click();
  await page.getByText("Saved revision 3").waitFor();
  const d = await detail(server, id);
  assert.equal(d.summary.revision, 3);
  assert.deepEqual(activityIds(d), ["finish", "start"]);
  await expect(page.getByTestId("dirty-marker")).toHaveCount(0);
  // The editor now starts from revision 3: the next save goes through without asking.
  await page.keyboard.press("Control+s");
  await page.getByText("Saved revision 4").waitFor();
});

test("Reload drops these changes and shows the revision saved elsewhere", async ({ page, server }) => {
  const { id, dialog } = await conflict(page, server);
  await dialog.getByRole("button", { name: "Reload" }).click();
  await expect(node(page, "step")).toContainText("Theirs");
  await expect(page.getByTestId("dirty-marker")).toHaveCount(0);
  const d = await detail(server, id);
  assert.equal(d.summary.revision, 2, "nothing saved");
  // Reloaded from revision 2: an edit now saves as revision 3 without asking.
  await node(page, "step").click();
  await page.keyboard.press("Delete");
  await page.keyboard.press("Control+s");
  await page.getByText("Saved revision 3").waitFor();
});

test("Save as a copy keeps both: the original as saved elsewhere, these changes in a copy", async ({ page, server }) => {
  const { id, dialog } = await conflict(page, server);
  await dialog.getByRole("button", { name: "Save as a copy" }).click();
  await page.getByText("Saved as “Shared (copy)”").waitFor();
  await expect(page.getByTestId("workflow-name")).toHaveText("Shared (copy)");
  const original = await detail(server, id);
  assert.equal(original.summary.revision, 2);
  assert.equal(original.body.activities.find((a) => a.id === "step").label, "Theirs");
  const copyId = (await server.api("GET", "/workflows")).find((w) => w.name === "Shared (copy)").id;
  assert.deepEqual(activityIds(await detail(server, copyId)), ["finish", "start"]);
});

test("a window showing a workflow is named after it and follows a rename made elsewhere", async ({ page, context, server }) => {
  const made = await server.api("POST", "/workflows/import", { json: JSON.stringify(shared("Quarterly report")) });
  // A second window on the workflow, as the desktop app's "Open in new window" makes.
  const other = await context.newPage();
  await other.goto(`${server.url}/#/workflow/${encodeURIComponent(made.id)}`);
  await node(other, "step").waitFor();
  await expect(other).toHaveTitle("Quarterly report — Weft");
  await server.api("POST", `/workflows/${encodeURIComponent(made.id)}/rename`, { name: "Yearly report" });
  await expect(other).toHaveTitle("Yearly report — Weft");
  await other.getByRole("button", { name: "Back to workflows" }).click();
  await expect(other).toHaveTitle("Weft");
  await other.close();
  await expect(page).toHaveTitle("Weft");
});

/** Start → `n` Set variables in rows of `cols` → Finish. */
function chain(n, cols) {
  const activities = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} }];
  const transitions = [];
  for (let i = 0; i < n; i++) {
    activities.push({ id: `a${i}`, kind: "set_variables", label: `Step ${i}`, position: { x: (i % cols) * 260, y: 140 + Math.floor(i / cols) * 130 }, config: { variables: {} } });
    transitions.push({ from: i === 0 ? "start" : `a${i - 1}`, port: "ok", to: `a${i}` });
  }
  activities.push({ id: "finish", kind: "finish", label: "Finish", position: { x: 0, y: 140 + Math.ceil(n / cols) * 130 }, config: {} });
  transitions.push({ from: `a${n - 1}`, port: "ok", to: "finish" });
  return { format: 1, name: "Thousand", activities, transitions };
}

test("1,000 activities: a click on the first picture selects at once (the figure is logged)", async ({ page, server }, info) => {
  const file = chain(1000, 25);
  await server.api("POST", "/workflows/import", { json: JSON.stringify(file) });
  await page.reload();
  // Times taken in the page: when the drawing is first painted (the frame after it is in the
  // page), when the click was made (the event's own time stamp: when the input happened, not when
  // the page got round to it), when the selection shows, and when the drawing gives way to the
  // built cards; and the long tasks meanwhile (what a click may have to wait behind).
  await page.evaluate(() => {
    const t = { long: [] };
    window.__t = t;
    new MutationObserver(() => {
      const now = performance.now();
      if (!t.inserted && document.querySelector(".far-drawing.shown")) {
        t.inserted = now;
        requestAnimationFrame(() =>
          setTimeout(() => {
            t.picture = performance.now();
          }, 0),
        );
      }
      const sel = document.querySelector(".far-drawing.shown .fd-selected")?.getAttribute("d") || document.querySelector(".react-flow__node.selected");
      if (t.click && !t.selected && sel) t.selected = now;
      if (t.picture && !t.built && !document.querySelector(".far-drawing.shown")) t.built = now;
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["d", "class"] });
    // The click on the drawing (not the one on Open before it).
    window.addEventListener(
      "pointerdown",
      (e) => {
        if (t.picture && !t.click) t.click = e.timeStamp;
      },
      { capture: true },
    );
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) t.long.push({ at: e.startTime, ms: e.duration });
    }).observe({ type: "longtask" });
  });
  await page.getByTestId("workflow-card").filter({ hasText: "Thousand" }).getByRole("button", { name: "Open" }).click();
  await page.waitForFunction(() => window.__t.picture, null, { polling: 5 });
  // The middle of activity a512, where the drawing shows its block.
  const target = file.activities.find((a) => a.id === "a512");
  const at = await page.evaluate(({ x, y }) => {
    const viewport = document.querySelector(".react-flow__viewport");
    const m = new DOMMatrixReadOnly(getComputedStyle(viewport).transform);
    const pane = document.querySelector(".react-flow__renderer").getBoundingClientRect();
    return { x: pane.left + m.e + (x + 120) * m.a, y: pane.top + m.f + (y + 32) * m.d };
  }, target.position);
  await page.mouse.click(at.x, at.y);
  await node(page, "a512").and(page.locator(".selected")).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => window.__t.built, null, { timeout: 30_000 });
  const t = await page.evaluate(() => window.__t);
  assert.deepEqual(await page.locator(".react-flow__node.selected").evaluateAll((els) => els.map((e) => e.dataset.id)), ["a512"]);
  const during = t.long.filter((l) => l.at >= t.picture && l.at <= t.built);
  const figures = {
    "click after first picture (ms)": Math.round(t.click - t.picture),
    "selection shown after the click (ms)": Math.round(t.selected - t.click),
    "selection shown after first picture (ms)": Math.round(t.selected - t.picture),
    "cards built after first picture (ms)": Math.round(t.built - t.picture),
    "long tasks while building": during.length,
    "longest of them (ms)": Math.round(Math.max(0, ...during.map((l) => l.ms))),
  };
  console.log("1,000 activities:", JSON.stringify(figures));
  info.annotations.push({ type: "figures", description: JSON.stringify(figures) });
});

test("tooltips are the app's own: on an activity and a toolbar button, gone when a menu opens", async ({ page, server }) => {
  await server.api("POST", "/workflows/import", { json: JSON.stringify(shared("Tips")) });
  await page.reload();
  await page.getByTestId("workflow-card").filter({ hasText: "Tips" }).getByRole("button", { name: "Open" }).click();
  await node(page, "step").waitFor();
  const tip = page.getByRole("tooltip");
  // An activity: its name and kind, linked to the card for assistive technology.
  await node(page, "step").locator(".n-kind").hover();
  await expect(tip).toHaveText("Step — Set variables");
  const card = page.getByTestId("activity-step");
  await expect(card).toHaveAttribute("aria-describedby", await tip.getAttribute("id"));
  assert.equal(await card.getAttribute("title"), null, "no native tooltip");
  // A right-click opens the menu and closes the tooltip: it is never drawn over the menu.
  await node(page, "step").click({ button: "right" });
  await expect(page.getByRole("menu")).toBeVisible();
  await expect(tip).toHaveCount(0);
  await page.mouse.move(5, 5);
  // The menu opens at the click, over the card's middle: the pointer comes back to a corner of
  // the card it leaves uncovered, so that it really is over the card.
  await node(page, "step").hover({ position: { x: 4, y: 4 } });
  await page.waitForTimeout(800);
  await expect(tip, "not shown while a menu is open").toHaveCount(0);
  await page.keyboard.press("Escape");
  // A toolbar button; leaving the editor takes its tooltip along.
  const back = page.getByRole("button", { name: "Back to workflows" });
  await back.hover();
  await expect(tip).toHaveText("Back to workflows");
  await back.click();
  await page.getByTestId("workflow-card").first().waitFor();
  await expect(tip).toHaveCount(0);
});
