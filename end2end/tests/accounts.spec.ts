import { test, expect, open, withJs, newPhone, registerCustomer, signInByPhone } from "../fixtures";
import { Page } from "@playwright/test";

// Personal accounts and billing data (U-ACC-1..7, U-DET-1..4, U-PAY-1..4, U-PAY-9..11), on the
// demo provider the global setup loads, JavaScript off and on.

type Showcase = { branch: string; number: string; proof: string; balance: string; two_zone: boolean; bound: boolean };

function demo(): Showcase[] {
  const raw = process.env.KABINET_E2E_DEMO;
  if (!raw) throw new Error("KABINET_E2E_DEMO is not set: the global setup did not run");
  return JSON.parse(raw);
}

const DEMO_PHONE = "+7 (900) 000-00-01";
const DEMO_PASSWORD = "Demo-2026!";

/** The overview block of the selected account. */
function overview(page: Page) {
  return page.locator(".account-overview");
}

test("an account is bound with its proof, shown with its balance, then removed", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const phone = newPhone();
  await registerCustomer(request, phone);
  await signInByPhone(page, phone);
  await expect(page.getByText("К личному кабинету пока не подключен ни один лицевой счет")).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await page.getByRole("link", { name: "+ Добавить лицевой счет" }).click();
  await expect(page.getByRole("heading", { name: "Добавление лицевого счета" })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);

  const account = demo().find((a) => !a.bound && a.balance.startsWith("долг"))!;
  await page.getByLabel("Филиал").selectOption({ label: account.branch });
  await page.getByLabel(/^Лицевой счет/).fill(account.number);
  await page.getByLabel(/^Сумма начислений/).fill("1,00");
  await page.getByRole("button", { name: "Добавить" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Данный лицевой счет не найден." })).toBeVisible();

  if (!js) {
    // The refused form came back from the server with what was typed (but the choice of branch).
    await expect(page.getByLabel(/^Лицевой счет/)).toHaveValue(account.number);
    await page.getByLabel("Филиал").selectOption({ label: account.branch });
  }
  await page.getByLabel(/^Сумма начислений/).fill(account.proof);
  await page.getByLabel("Согласен на получение электронной квитанции").check();
  await page.getByRole("button", { name: "Добавить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Лицевой счет добавлен." })).toBeVisible();
  await expect(overview(page).getByRole("heading", { name: `Лицевой счет № ${account.number}` })).toBeVisible();
  await expect(overview(page).locator(".balance__caption")).toHaveText("К оплате");
  // The e-receipt was agreed to while adding: no button to subscribe again (U-ACC-4).
  await expect(page.getByRole("button", { name: "Подписаться на электронную квитанцию" })).toHaveCount(0);
  await expect(overview(page).getByText("До завершения приема показаний: 5 дней")).toBeVisible();

  // [Редактировать]: a name of the customer's choice.
  await page.locator(".account-list").getByRole("link", { name: `Редактировать наименование счета № ${account.number}` }).click();
  await page.getByLabel(/^Наименование лицевого счета/).fill("Квартира мамы");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Наименование лицевого счета сохранено." })).toBeVisible();
  await expect(page.locator(".account-list").getByRole("link", { name: "Квартира мамы" })).toBeVisible();

  // [Удалить] asks first (U-ACC-2).
  await page.locator(".account-list").getByRole("link", { name: `Удалить лицевой счет № ${account.number}` }).click();
  const dialog = page.getByRole("alertdialog", { name: "Удаление лицевого счета из личного кабинета" });
  await expect(dialog).toContainText("Подписка на электронную квитанцию сохранится");
  await dialog.getByRole("button", { name: "Удалить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Лицевой счет отключен от личного кабинета." })).toBeVisible();
  await expect(page.getByText("К личному кабинету пока не подключен ни один лицевой счет")).toBeVisible();
});

test("the demo customer sees each balance worded as the manual says", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  const [late, ahead, settled] = demo().filter((a) => a.bound);
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  // Two accounts are listed; the third folds under [Все счета +] (U-ACC-3).
  const list = page.locator(".accounts > .account-list");
  await expect(list.locator(".account-item")).toHaveCount(2);
  await page.getByText("Все счета +").click();
  await expect(page.locator(".account-list__more .account-item")).toHaveCount(1);

  await expect(overview(page).locator(".balance__caption")).toHaveText("К оплате");
  await page.getByRole("link", { name: `Лицевой счет № ${ahead.number}`, exact: true }).click();
  await expect(overview(page).getByRole("heading", { name: `Лицевой счет № ${ahead.number}` })).toBeVisible();
  await expect(overview(page).locator(".balance__caption")).toHaveText("Переплата");
  await expect(overview(page).locator(".balance__amount")).toHaveText(/^-\d/);
  const settledLink = page.getByRole("link", { name: `Лицевой счет № ${settled.number}`, exact: true });
  if (!(await settledLink.isVisible())) await page.getByText("Все счета +").click();
  await settledLink.click();
  // The selected account stays in sight, even when it is one of the folded ones.
  await expect(page.locator(".account-item--current")).toBeVisible();
  await expect(overview(page).locator(".balance__caption")).toHaveText("Задолженность отсутствует");
  await expect(overview(page).locator(".balance__amount")).toHaveText("0,00 руб.");
  expect(late.two_zone).toBeTruthy();
});

test("the receipt of the last month downloads as a PDF", async ({ page }) => {
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  const download = page.waitForEvent("download");
  await overview(page).getByRole("link", { name: "Скачать квитанцию за октябрь 2026" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^kvitanciya-\d+-2026-10\.pdf$/);
  const path = await file.path();
  const { readFileSync } = await import("node:fs");
  expect(readFileSync(path).subarray(0, 5).toString()).toBe("%PDF-");
});

test("account details, the change application and the tariff history", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await overview(page).getByRole("link", { name: "Реквизиты лицевого счета" }).click();
  await expect(page.getByRole("heading", { name: "Реквизиты лицевого счета" })).toBeVisible();
  await expect(page.getByText("Количество зарегистрированных/проживающих")).toBeVisible();
  // The two-zone electricity meter and its fault notice (U-DET-3).
  await expect(page.getByText(/Электроэнергия — прибор учета №/)).toBeVisible();
  const power = page.locator(".meter", { hasText: "Электроэнергия" });
  await power.getByText("Раскрыть информацию").click();
  await expect(power.getByText("2-тарифный", { exact: false })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);

  await page.getByRole("link", { name: "Редактировать данные лицевого счета" }).click();
  await page.getByLabel(/^Количество комнат/).fill("много");
  await page.getByRole("button", { name: "Отправить заявление" }).click();
  await expect(page.getByText("Укажите целое число от 0 до 99")).toBeVisible();
  await page.getByLabel(/^Количество комнат/).fill("5");
  await page.getByRole("button", { name: "Отправить заявление" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Ваше обращение принято в работу." })).toBeVisible();

  // Tariffs: no further back than 3 years (U-DET-4).
  const tariffs = page.locator("section", { has: page.getByRole("heading", { name: "История тарифов" }) });
  await expect(tariffs.getByLabel("С месяца")).toHaveAttribute("min", "2023-11");
  await expect(tariffs.getByLabel("По месяц")).toHaveAttribute("max", "2026-10");
  await expect(tariffs.getByRole("link", { name: /^Скачать документ об утверждении тарифов/ }).first()).toBeVisible();
});

test("charges and payments: every subsection, the period limit and the chart", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await overview(page).getByRole("link", { name: "Начисления и оплаты" }).click();
  await expect(page.getByRole("heading", { name: "Начисления и оплаты" })).toBeVisible();
  const billingUrl = new URL(page.url());

  // Все события: months with [Скачать квитанцию].
  await expect(page.getByRole("heading", { name: "октябрь 2026" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Скачать квитанцию за октябрь 2026" })).toBeVisible();

  await page.getByRole("link", { name: "Начисления", exact: true }).click();
  await expect(page.getByRole("table", { name: "Начисления за октябрь 2026" })).toContainText("Электроэнергия (ночь)");
  await page.getByRole("link", { name: "Оплата", exact: true }).click();
  await expect(page.getByRole("table").first()).toContainText("Итого оплачено");
  await page.getByRole("link", { name: "Баланс", exact: true }).click();
  await expect(page.getByRole("table", { name: "Баланс за октябрь 2026" })).toContainText("ПАО «Энергосбыт»");

  // Asking for more than 3 years back: cut to the limit, and said so (U-PAY-2).
  await open(page, `${billingUrl.pathname}?tab=charges&from=2019-01&to=2026-10`, js);
  await expect(page.getByText("Историю можно посмотреть не более чем за 3 года: с ноября 2023 по октябрь 2026.")).toBeVisible();
  await expect(page.getByLabel("С месяца")).toHaveValue("2023-11");

  // Статистика: line chart by default; bars and the night zone on request (U-PAY-9).
  await page.getByRole("link", { name: "Статистика", exact: true }).click();
  await expect(page.locator("figure.chart--line").first()).toBeVisible();
  // The zones offered are those of the service shown: choose the service first.
  await page.getByLabel("Услуга").selectOption("Электроэнергия");
  await page.getByRole("button", { name: "Показать", exact: true }).click();
  await expect(page.locator("figure.chart--line").first().locator(".chart__legend")).toContainText("ночь");
  await page.getByLabel("Зона суток").selectOption({ label: "ночь" });
  await page.getByLabel("Столбчатый").check();
  await page.getByRole("button", { name: "Показать", exact: true }).click();
  await expect(page.locator("figure.chart--bar").first()).toBeVisible();
  const legend = page.locator("figure.chart--bar").first().locator(".chart__legend");
  await expect(legend).toContainText("ночь");
  await expect(legend).not.toContainText("день");
  // The numbers are also a table.
  await page.getByText("Показать таблицу").first().click();
  await expect(page.locator("figure.chart--bar").first().locator("table")).toContainText("10.2026");
});

test("on a phone one account is shown at a time, with a switcher", async ({ browser }, testInfo) => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: withJs(testInfo),
    isMobile: true,
    hasTouch: true,
    baseURL: process.env.KABINET_E2E_URL,
  });
  const page = await context.newPage();
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  const [, ahead] = demo().filter((a) => a.bound);
  await expect(page.locator(".accounts .account-list").first()).toBeHidden();
  const switcher = page.getByLabel("Лицевой счет", { exact: true });
  await expect(switcher).toBeVisible();
  await switcher.selectOption({ label: `№ ${ahead.number} — Лицевой счет № ${ahead.number}` });
  if (!withJs(testInfo)) await page.getByRole("button", { name: "Показать", exact: true }).click();
  await expect(overview(page).getByRole("heading", { name: `Лицевой счет № ${ahead.number}` })).toBeVisible();
  await expect(overview(page).locator(".balance__caption")).toHaveText("Переплата");
  // Nothing is wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await context.close();
});
