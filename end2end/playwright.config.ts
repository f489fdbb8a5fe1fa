import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser; flags that keep it off the network.
const chromium = {
  executablePath: process.env.KABINET_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  // One release build of the server, started once for the whole suite (global-setup.ts).
  globalSetup: require.resolve("./global-setup"),
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    headless: true,
    locale: "ru-RU",
    timezoneId: "Europe/Moscow",
    launchOptions: chromium,
    trace: "retain-on-failure",
    // The service worker has its own tests (pwa.spec.ts); elsewhere every request goes
    // straight to the server, as the journeys assert.
    serviceWorkers: "block",
  },
  // Every journey runs twice: before the WASM arrives (JavaScript off) and after hydration.
  projects: [
    { name: "no-js", use: { javaScriptEnabled: false, viewport: { width: 1280, height: 800 } } },
    { name: "js", use: { javaScriptEnabled: true, viewport: { width: 1280, height: 800 } } },
  ],
});
