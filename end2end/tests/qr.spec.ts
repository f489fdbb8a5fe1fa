import { test, expect, open, withJs, newPhone, registerCustomer, signInByPhone, phoneBrowser, readCode } from "../fixtures";

// Sign-in by QR code (U-AUTH-2): the computer shows a code drawn by the server, a phone
// (a second browser at 360 px) reads it, the customer confirms, the computer enters by itself.

const baseURL = () => process.env.KABINET_E2E_URL ?? "";
const QR_NAME = "QR-код для входа в личный кабинет";

test("a phone confirms the QR code and the computer enters the cabinet by itself", async ({ page, browser, request }, testInfo) => {
  const js = withJs(testInfo);
  const number = newPhone();
  await registerCustomer(request, number);

  await open(page, "/login", js);
  await page.getByRole("button", { name: "QR-код" }).click();
  await expect(page.getByText(/Код действует еще \d:\d\d/)).toBeVisible();
  const link = await readCode(page, QR_NAME);
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
  const link = await readCode(page, QR_NAME);
  await phone.goto(link);
  await phone.getByRole("button", { name: "Отклонить" }).click();
  await expect(phone.getByRole("status")).toContainText("Вход отклонен");

  await expect(page.getByRole("alert").filter({ hasText: "Вход отклонен на телефоне" })).toBeVisible({ timeout: 6_000 });
  await page.getByRole("button", { name: "Обновить QR-код" }).click();
  const renewed = await readCode(page, QR_NAME);
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
