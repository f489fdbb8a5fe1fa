import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { test, expect, open, withJs, newPhone, registerCustomer, signInByPhone } from "../fixtures";

// Sign-in by QR code (U-AUTH-2): the computer shows a code drawn by the server, a phone
// (a second browser at 360 px) reads it, the customer confirms, the computer enters by itself.

const baseURL = () => process.env.KABINET_E2E_URL ?? "";

/** A phone: a separate browser 360 px wide, with or without JavaScript like the project. */
async function phoneBrowser(browser: Browser, js: boolean): Promise<{ phone: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: js,
    locale: "ru-RU",
  });
  const phone = await context.newPage();
  const errors: string[] = [];
  phone.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  phone.on("response", (response) => {
    if (response.status() >= 500) errors.push(`response ${response.status()} for ${response.url()}`);
  });
  return { phone, errors };
}

/** What the phone's camera reads: the link in the code on the screen (decoded by zbarimg). */
async function readCode(page: Page): Promise<string> {
  const image = page.getByRole("img", { name: "QR-код для входа в личный кабинет" });
  await expect(image).toBeVisible();
  const shot = join(mkdtempSync(join(tmpdir(), "kabinet-qr-")), "code.png");
  // A renewed code is a new image still loading, and without script the page reloads itself
  // every second: read what is fully on the screen, a few times if need be.
  for (let attempt = 1; ; attempt++) {
    try {
      await expect
        .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 3_000 })
        .toBe(true);
      await image.screenshot({ path: shot, timeout: 2_000 });
      return execFileSync("zbarimg", ["--quiet", "--raw", shot]).toString().trim();
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.waitForTimeout(300);
    }
  }
}

test("a phone confirms the QR code and the computer enters the cabinet by itself", async ({ page, browser, request }, testInfo) => {
  const js = withJs(testInfo);
  const number = newPhone();
  await registerCustomer(request, number);

  await open(page, "/login", js);
  await page.getByRole("button", { name: "QR-код" }).click();
  await expect(page.getByText(/Код действует еще \d:\d\d/)).toBeVisible();
  const link = await readCode(page);
  expect(link).toMatch(new RegExp(`^${baseURL()}/qr/[A-Za-z0-9_-]{22,}$`));

  // The phone opens the link; not signed in yet, it signs in and comes back to the request.
  const { phone, errors } = await phoneBrowser(browser, js);
  await phone.goto(link);
  await phone.getByRole("link", { name: "Войти" }).click();
  await phone.getByLabel("Телефон").fill(number);
  await phone.getByLabel(/^Пароль/).fill("Kx9#mePlank");
  await phone.getByRole("button", { name: "Войти" }).click();
  await expect(phone.getByText("Запрошен вход в ваш личный кабинет на другом устройстве")).toBeVisible();
  await expect(phone.getByText("127.0.0.1")).toBeVisible();
  await phone.getByRole("button", { name: "Подтвердить вход" }).click();
  const confirmed = Date.now();
  await expect(phone.getByRole("status")).toContainText("Вход подтвержден");

  // The computer: nobody touches it, and it opens the cabinet.
  await expect(page.locator(".cabinet-header")).toBeVisible({ timeout: 6_000 });
  console.log(`QR sign-in (${js ? "js" : "no-js"}): the computer entered ${Date.now() - confirmed} ms after the confirmation`);
  await expect(page.getByRole("heading", { level: 1, name: "Петрова Анна" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a declined QR code opens nothing and can be renewed", async ({ page, browser, request }, testInfo) => {
  const js = withJs(testInfo);
  const number = newPhone();
  await registerCustomer(request, number);
  const { phone, errors } = await phoneBrowser(browser, js);
  await signInByPhone(phone, number);

  await open(page, "/login", js);
  await page.getByRole("button", { name: "QR-код" }).click();
  const link = await readCode(page);
  await phone.goto(link);
  await phone.getByRole("button", { name: "Отклонить" }).click();
  await expect(phone.getByRole("status")).toContainText("Вход отклонен");

  await expect(page.getByRole("alert").filter({ hasText: "Вход отклонен на телефоне" })).toBeVisible({ timeout: 6_000 });
  await page.getByRole("button", { name: "Обновить QR-код" }).click();
  const renewed = await readCode(page);
  expect(renewed).not.toEqual(link);
  expect(errors).toEqual([]);
});

test("the phone's menu has «Вход через QR-код» and the version", async ({ browser, request }, testInfo) => {
  const js = withJs(testInfo);
  const number = newPhone();
  await registerCustomer(request, number);
  const { phone, errors } = await phoneBrowser(browser, js);
  await signInByPhone(phone, number);

  // At 360 px the sections are folded into «Меню», which opens with or without script.
  await expect(phone.getByRole("link", { name: "Профиль" })).toBeHidden();
  await phone.getByText("Меню", { exact: true }).click();
  const menu = phone.getByRole("navigation", { name: "Меню" });
  await expect(menu.getByRole("link", { name: "Профиль" })).toBeVisible();
  await expect(menu.getByRole("button", { name: "Выйти" })).toBeVisible();
  await expect(menu.getByText(/Версия \d+\.\d+\.\d+/)).toBeVisible();
  await menu.getByRole("link", { name: "Вход через QR-код" }).click();
  await expect(phone.getByRole("heading", { level: 1, name: "Вход через QR-код" })).toBeVisible();
  await expect(phone.getByText("Отсканируйте QR-код камерой этого телефона")).toBeVisible();
  // Nothing is wider than the phone.
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  expect(errors).toEqual([]);
});
