import { test, expect, withJs, signInByPhone } from "../fixtures";
import { Page } from "@playwright/test";

// #17: every page but the sign-in is in a WASM chunk; the back-office is one of its own
// (`split_staff`), fetched only when one of its pages is shown: a customer never downloads
// it. A chunk that cannot be loaded shows a
// message with a reload link and leaves the server's page usable. These tests need the WASM,
// so they run in the project with JavaScript only.

const DEMO_PHONE = "+7 (900) 000-00-01";
const DEMO_PASSWORD = "Demo-2026!";
const CHUNK_FAILED = "Не удалось загрузить страницу. Проверьте соединение с интернетом и обновите страницу.";
const STAFF_CHUNK = /\/pkg\/split_staff[^/]*\.wasm$/;

/** Records the WASM files the page fetches from /pkg. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/") && path.endsWith(".wasm")) seen.push(path);
  });
  return seen;
}

test("a customer never downloads the back-office's chunk; staff get it with their pages", async ({ page, browser }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  const fetched = wasmRequests(page);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  // A walk through the cabinet by its links, as a customer clicks, then by addresses.
  for (const link of ["Уведомления", "Профиль"]) {
    await page.getByRole("link", { name: link }).first().click();
    await page.waitForLoadState("networkidle");
  }
  for (const path of ["/readings", "/appeals", "/shop", "/contacts", "/faq"]) {
    await page.goto(path);
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  }
  expect(fetched.length, "the cabinet's WASM was fetched").toBeGreaterThan(0);
  expect(fetched.filter((path) => STAFF_CHUNK.test(path)), "no back-office chunk").toEqual([]);

  const staff = await browser.newPage({ baseURL: process.env.KABINET_E2E_URL, locale: "ru-RU" });
  const staffFetched = wasmRequests(staff);
  await staff.goto("/staff/login");
  await expect(staff.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  expect(staffFetched.filter((path) => STAFF_CHUNK.test(path)).length, "the back-office's chunk").toBe(1);
  await staff.close();
});

test("when the back-office's chunk cannot be loaded, the server's page stays usable with a reload", async ({ page, consoleErrors }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  // The network drops for the chunk (or a deploy renamed it) after the shell has loaded.
  await page.route(STAFF_CHUNK, (route) => route.abort("internetdisconnected"));
  await page.goto("/staff/login");
  await expect(page.getByRole("alert").filter({ hasText: CHUNK_FAILED })).toBeVisible({ timeout: 15_000 });
  // What the server rendered is still there and works as a plain form.
  await expect(page.getByLabel("Логин")).toBeVisible();
  consoleErrors.length = 0;

  await page.unroute(STAFF_CHUNK);
  await page.getByRole("link", { name: "Обновить страницу" }).click();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByText(CHUNK_FAILED)).toHaveCount(0);
  await page.getByLabel("Логин").fill("operator");
  await page.getByLabel(/^Пароль/).fill("Staff-2026!");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("heading", { name: "Очередь обращений" })).toBeVisible();
});

test("the cabinet's pages come in chunks of their own: the main page preloads its chunk, a page shows a reload when its chunk fails", async ({ page, consoleErrors }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  const readingsChunk = /\/pkg\/split_meters[^/]*\.wasm$/;
  const fetched = wasmRequests(page);
  await page.route(readingsChunk, (route) => route.abort("internetdisconnected"));
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  // The main page as the server sends it names its chunk, so the browser fetches it at once.
  await page.goto("/");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  expect(await page.locator('link[rel="preload"][href*="split_cabinet"]').count()).toBeGreaterThan(0);
  expect(fetched.some((path) => /\/pkg\/split_cabinet[^/]*\.wasm$/.test(path)), "the main page's chunk").toBe(true);
  // A click to a page whose chunk cannot be fetched: a message with a reload, no dead page.
  await page.getByRole("link", { name: "Передать показания по всем лицевым счетам" }).click();
  await expect(page.getByRole("alert").filter({ hasText: CHUNK_FAILED })).toBeVisible({ timeout: 15_000 });
  consoleErrors.length = 0;
  await page.unroute(readingsChunk);
  await page.getByRole("link", { name: "Обновить страницу" }).click();
  await expect(page).toHaveURL(/\/readings$/);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByText(CHUNK_FAILED)).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a page is marked live only once its own chunk has arrived and hydrated it", async ({ page }, testInfo) => {
  test.skip(!withJs(testInfo), "chunks are loaded by the WASM");
  // A slow network for the chunks: the shell hydrates long before the page's code is there.
  const loading = new Set<string>();
  await page.route(/\/pkg\/split_[^/]*\.wasm$/, async (route) => {
    loading.add(route.request().url());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  page.on("requestfinished", (request) => loading.delete(request.url()));
  await page.goto("/register");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  expect([...loading], "chunk files still on their way when the page was marked live").toEqual([]);
  // Live at once: the name is checked as the customer leaves the field.
  await page.getByLabel(/^Фамилия/).fill("Петрова2");
  await page.getByLabel(/^Имя/).focus();
  await expect(page.getByText("Допустимы только русские или латинские буквы, дефис «-» и тире «—»")).toBeVisible();
  await expect(page.getByRole("button", { name: "Направить код подтверждения" })).toBeDisabled();
});
