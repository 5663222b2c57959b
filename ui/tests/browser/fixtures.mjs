// The browser tests' fixtures: every test gets a fresh store, an access token and its own
// `weft serve --http 127.0.0.1:0` serving the built UI (weft-server.mjs); the page opens it with
// the token already in the tab's session storage (as if typed once). Each store starts with
// three shipped templates, imported and never run, as a person would start.
import { expect, test as base } from "@playwright/test";
import { startEngine } from "./weft-server.mjs";

export { expect };

export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a fixture needs from this pattern.
  server: async ({}, use) => {
    const { server, stop } = await startEngine();
    try {
      await use(server);
    } finally {
      await stop();
    }
  },
  context: async ({ context, server }, use) => {
    await server.authorize(context);
    await use(context);
  },
  page: async ({ page, server }, use) => {
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await use(page);
    expect(errors, "errors thrown in the page").toEqual([]);
  },
});
