import { test, expect, withJs, signInByPhone } from "../fixtures";
import { Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// #17: the browser downloads the shell and then only the chunk of the page it opens. These
// tests need the WASM, so they run in the project with JavaScript only.

const DEMO_PHONE = "+7 (900) 000-00-01";
const DEMO_PASSWORD = "Demo-2026!";
const CHUNK_FAILED = "Не удалось загрузить страницу. Проверьте соединение с интернетом и обновите страницу.";

const pkg = resolve(__dirname, "..", "..", "target", "site", "pkg");

/** The build's split manifest: each lazily loaded page's chunk name → the WASM files it needs. */
function manifest(): Record<string, string[]> {
  const file = readdirSync(pkg).find((f) => /^__wasm_split_manifest.*\.json$/.test(f));
  if (!file) throw new Error(`no split manifest in ${pkg}: build with \`cargo leptos build --release --split\``);
  return JSON.parse(readFileSync(join(pkg, file), "utf8"));
}

/** Records the WASM files the page fetches from /pkg. */
function wasmRequests(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/") && path.endsWith(".wasm")) seen.add(path.slice("/pkg/".length, -".wasm".length));
  });
  return seen;
}

test("a customer never downloads a back-office chunk, and gets each page's own", async ({ page }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  const chunks = manifest();
  const customer = new Set(Object.entries(chunks).filter(([k]) => !k.startsWith("staff_")).flatMap(([, v]) => v));
  const staffOnly = new Set(
    Object.entries(chunks).filter(([k]) => k.startsWith("staff_")).flatMap(([, v]) => v).filter((f) => !customer.has(f)),
  );
  expect(staffOnly.size, "the back-office has chunks of its own").toBeGreaterThan(0);

  const fetched = wasmRequests(page);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  // A walk through the cabinet by its links, as a customer clicks.
  for (const [link, heading] of [
    ["Комплексные операции по лицевым счетам", null],
    ["Уведомления", "Уведомления"],
    ["Профиль", null],
  ] as const) {
    await page.getByRole("link", { name: link }).first().click();
    if (heading) await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  for (const path of ["/readings", "/appeals", "/shop", "/contacts", "/faq"]) {
    await page.goto(path);
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  }
  const pageChunks = [...fetched].filter((f) => customer.has(f));
  expect(pageChunks.length, "the pages' own chunks were fetched").toBeGreaterThan(3);
  expect([...fetched].filter((f) => staffOnly.has(f)), "no back-office chunk").toEqual([]);
});

test("a page whose chunk cannot be loaded says so and offers a reload that works", async ({ page, consoleErrors }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  // The network drops for the chunks (or a deploy renamed them) after the shell has loaded.
  await page.route(/\/pkg\/.*\.wasm$/, (route) => route.abort("internetdisconnected"));
  await page.getByRole("link", { name: "Уведомления" }).first().click();
  await expect(page.getByRole("alert")).toContainText(CHUNK_FAILED);
  const reload = page.getByRole("link", { name: "Обновить страницу" });
  await expect(reload).toBeVisible();
  // The page's header and menu stay usable; the failure was logged, not thrown.
  await expect(page.locator(".cabinet-header")).toBeVisible();
  consoleErrors.length = 0;

  await page.unroute(/\/pkg\/.*\.wasm$/);
  await reload.click();
  await expect(page).toHaveURL(/\/notices$/);
  await expect(page.getByRole("heading", { name: "Уведомления", level: 1 })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByText(CHUNK_FAILED)).toHaveCount(0);
});

test("when the opened page's chunk cannot be loaded, the server's page stays usable with the message", async ({ page, consoleErrors }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  const mainWasm = readFileSync(join(resolve(__dirname, "..", "..", "target", "release"), "hash.txt"), "utf8").match(/^wasm:\s*(\S+)/m)?.[1];
  // Every WASM but the shell's own fails.
  await page.route(/\/pkg\/.*\.wasm$/, (route) =>
    mainWasm && route.request().url().includes(`.${mainWasm}.wasm`) ? route.continue() : route.abort("internetdisconnected"),
  );
  await page.goto("/notices");
  await expect(page.getByRole("alert")).toContainText(CHUNK_FAILED);
  // What the server rendered is still there, and its links work as plain links.
  await expect(page.getByRole("heading", { name: "Уведомления", level: 1 })).toBeVisible();
  consoleErrors.length = 0;
  await page.unroute(/\/pkg\/.*\.wasm$/);
  await page.getByRole("link", { name: "Обновить страницу" }).click();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByText(CHUNK_FAILED)).toHaveCount(0);
});
