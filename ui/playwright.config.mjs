// Browser tests: the built UI in Debian's Chromium against the real engine. Each test gets a
// fresh store and its own `weft serve --http 127.0.0.1:0` (tests/browser/fixtures.mjs).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "tests/browser",
  testMatch: "*.spec.mjs",
  globalSetup: "./tests/browser/global-setup.mjs",
  outputDir: "test-results",
  // Two workers on CI's two cores: each test also runs a `weft serve`.
  workers: Number(process.env.WEFT_BROWSER_WORKERS ?? 2),
  fullyParallel: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["./tests/browser/summary-reporter.mjs"]],
  use: {
    browserName: "chromium",
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    permissions: ["clipboard-read", "clipboard-write"],
    actionTimeout: 15_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium (no browser downloads on this machine type).
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
