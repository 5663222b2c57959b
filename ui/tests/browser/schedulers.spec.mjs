// The Schedulers view and a workflow's page against the real engine: schedules in words, the
// next three fire times as the engine computes them, Pause / Resume schedule, Run now marked
// Manual and queued behind a running execution; and Tidy up of the three-trigger template saved
// through the engine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./fixtures.mjs";
import { repo } from "./paths.mjs";
import { parisMornings } from "./sample-workflows.mjs";

test("the Schedulers view: words, next fire times, pause and resume, Run now queued and marked Manual", async ({ page, server }) => {
  await server.api("POST", "/workflows/import", { json: JSON.stringify(parisMornings) });
  await page.reload();
  await page.getByRole("button", { name: "View schedulers" }).click();
  await page.getByRole("heading", { name: "Schedulers" }).waitFor();
  const row = page.getByTestId("scheduler-row").filter({ hasText: "Paris mornings" });
  await expect(row.getByTestId("schedule-words")).toHaveText("every weekday at 08:00 Europe/Paris");
  await expect(row).toContainText("missed runs run once");
  await expect(row.getByTestId("schedule-state")).toHaveText("Not started");
  await expect(row.getByTestId("fire-time")).toHaveCount(0);
  // The seeded Daily report is listed too; a workflow with no schedule trigger is not.
  await expect(page.getByTestId("scheduler-row").filter({ hasText: "Daily report" }).getByTestId("schedule-words")).toHaveText("every weekday at 07:00 UTC");
  await expect(page.getByTestId("scheduler-row").filter({ hasText: "Approval-gated email to leads" })).toHaveCount(0);

  // Start the schedule: the next three fire times, as the engine computes them.
  await row.getByRole("button", { name: "Start schedule" }).click();
  await expect(row.getByTestId("schedule-state")).toHaveText("Active");
  await expect(row.getByTestId("fire-time")).toHaveCount(3);
  const engineRow = (await server.api("GET", "/schedulers")).find((r) => r.workflow.name === "Paris mornings");
  const shown = await row.getByTestId("fire-time").allTextContents();
  assert.deepEqual(
    shown,
    engineRow.schedules[0].next.map((t) => t.local),
  );
  for (const t of shown) assert.match(t, /^(Mon|Tue|Wed|Thu|Fri) \d+ \w+ \d{4} 08:00 CES?T$/);

  // Pause, then resume.
  await row.getByRole("button", { name: "Pause schedule" }).click();
  await expect(row.getByTestId("schedule-state")).toHaveText("Paused");
  await expect(row.getByTestId("fire-time")).toHaveCount(0);
  await row.getByRole("button", { name: "Resume schedule" }).click();
  await expect(row.getByTestId("schedule-state")).toHaveText("Active");
  await expect(row.getByTestId("fire-time")).toHaveCount(3);

  // Run now: the run waits for its approval and is marked Manual.
  await row.getByRole("button", { name: "Run now" }).click();
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "waiting_for_approval");
  await expect(row.getByTestId("manual-marker")).toBeVisible();
  // Run now again: queued behind the running one (concurrency: queue).
  await row.getByRole("button", { name: "Run now" }).click();
  await expect(row.getByTestId("queued")).toHaveText("1 queued");
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "pending");
  await expect(row.getByTestId("manual-marker")).toBeVisible();

  // The workflow's page: header actions, schedule, recent runs, the approval waiting.
  await row.getByRole("button", { name: "Paris mornings" }).click();
  await page.getByRole("heading", { name: "Paris mornings" }).waitFor();
  for (const name of ["Run now", "Pause schedule", "Edit"]) await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
  await expect(page.getByTestId("schedule-words")).toHaveText("every weekday at 08:00 Europe/Paris");
  await expect(page.getByTestId("recent-run")).toHaveCount(2);
  await expect(page.getByTestId("recent-run").first().getByTestId("run-status")).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("queued")).toHaveText("1 queued");
  const approval = page.getByTestId("approval-box");
  await expect(approval).toHaveCount(1);
  // Approving the first lets the queued one start: it now waits for its own approval.
  await approval.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("queued")).toHaveCount(0);
  await expect(page.getByTestId("recent-run").nth(1).getByTestId("run-status")).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("recent-run").first().getByTestId("run-status")).toHaveAttribute("data-status", "waiting_for_approval");
  // Edit opens the editor on it.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.locator('.react-flow__node[data-id="tick"]').waitFor();
});

test("Tidy up of the three-trigger template: a row of triggers under Start, a column of actions, saved", async ({ page, server }) => {
  const text = readFileSync(join(repo, "workflows-templates", "lead-intake-three-triggers.weft.json"), "utf8");
  const file = JSON.parse(text);
  // Scrambled, so what is saved is Tidy up's work and not the file's.
  file.activities = file.activities.map((a, i) => ({ ...a, position: { x: (i * 97) % 500, y: (i * 53) % 300 } }));
  await server.api("POST", "/workflows/import", { json: JSON.stringify(file) });
  await page.reload();
  const card = page.getByTestId("workflow-card").filter({ hasText: file.name });
  await card.getByRole("button", { name: "Open" }).click();
  await page.locator('.react-flow__node[data-id="note"]').waitFor();
  await page.getByRole("button", { name: "Tidy up" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByTestId("dirty-marker").waitFor({ state: "detached" });

  const id = await server.workflowId(file.name);
  const saved = await server.api("GET", `/workflows/${encodeURIComponent(id)}`);
  const at = Object.fromEntries(saved.body.activities.map((a) => [a.id, a.position]));
  const centre = (id, width) => at[id].x + width / 2;
  // Start at the origin; the three triggers in one row under it, in their canvas order, centred on it.
  assert.deepEqual(at.start, { x: 0, y: 0 });
  const row = ["sweep", "form", "contact"];
  for (const t of row) assert.equal(at[t].y, at.sweep.y, `${t} in the trigger row`);
  assert.ok(at.sweep.y > 48, "the row is under Start");
  assert.ok(at.sweep.x < at.form.x && at.form.x < at.contact.x, "in canvas order, side by side");
  assert.equal(centre("form", 240), centre("start", 160), "the row is centred on Start");
  // The chain of actions in one column under the row, centred on Start, then Finish.
  const column = ["note", "log", "tell"];
  for (const a of column) assert.equal(centre(a, 240), centre("start", 160), `${a} in the column under Start`);
  assert.equal(centre("finish", 160), centre("start", 160));
  assert.ok(at.note.y > at.sweep.y + 64, "the column starts under the row");
  assert.ok(at.note.y < at.log.y && at.log.y < at.tell.y && at.tell.y < at.finish.y, "top to bottom");
  // What the layout function computes for the file (ui/src/canvas/layout.test.ts): the file ships tidy.
  const shipped = Object.fromEntries(JSON.parse(text).activities.map((a) => [a.id, a.position]));
  assert.deepEqual(at, shipped);
});
