import { Browser, Page } from "@playwright/test";
import { test, expect, open, withJs, newPhone, registerCustomer, signInByPhone, phoneBrowser, customerWithAccount, bindDemoAccount, staffBrowser } from "../fixtures";

// The case engine (P-2, P-3, P-5; U-APL-1..3, U-DOC-1..3): a customer's appeal with files
// (one over the limit refused) taken, answered and closed by staff in the back-office, the
// answer and the notice seen by the customer, a message added, the answer rated; three
// applications of different topics; a document sent and downloaded; a second customer kept
// away from the first one's files.

const ACCEPTED = "Ваше обращение принято в работу.";
const REQUIRED = "Поле обязательно для заполнения";
const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

/** What went wrong in the staff browsers (checked at the end of the test that opened them). */
const staffErrors: string[] = [];

/** A staff browser signed in as the operator, with or without script like the project. */
function staffPage(browser: Browser, js: boolean): Promise<Page> {
  return staffBrowser(browser, js, "operator", 1280, staffErrors);
}

/** Sends the case form and waits for the case's card; its number. */
async function send(page: Page, button: string): Promise<string> {
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("status").filter({ hasText: ACCEPTED })).toBeVisible();
  return page.url().match(/\/cases\/([0-9-]+)/)![1];
}

test("an empty staff sign-in is answered by the portal next to each field, not by the browser", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await open(page, "/staff/login", js);
  // Required for assistive technology, without the browser's own bubble in the way.
  await expect(page.getByLabel("Логин")).toHaveAttribute("aria-required", "true");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.locator("#f-login-error")).toContainText(REQUIRED);
  await expect(page.locator("#f-password-error")).toContainText(REQUIRED);
  await expect(page.getByRole("heading", { name: "Вход для сотрудников" })).toBeVisible();
});

test("an appeal with files is answered by staff, noticed, continued and rated", async ({ page, request, browser }, testInfo) => {
  test.setTimeout(90_000);
  const js = withJs(testInfo);
  await customerWithAccount(page, request, 0);
  await open(page, "/appeals", js);
  await page.getByRole("link", { name: "Написать новое обращение" }).click();
  await expect(page.getByRole("heading", { name: "Новое обращение" })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  // U-APL-2: the phone is prefilled from the profile, the account chosen.
  await expect(page.getByLabel(/^Номер телефона/)).not.toHaveValue("");
  await page.getByLabel(/^Тема обращения/).selectOption("Начисления и перерасчеты");
  await page.getByLabel(/^Текст обращения/).fill("Прошу проверить начисления за октябрь.");

  // U-APL-3: a file over 7 MB is refused next to the field, and nothing is sent.
  const big = { name: "скан.tif", mimeType: "image/tiff", buffer: Buffer.alloc(7 * 1024 * 1024 + 1, 0x49) };
  const files = page.getByLabel(/^Файлы/);
  await files.setInputFiles([{ name: "квитанция.pdf", mimeType: "application/pdf", buffer: PDF }, big]);
  if (!js) await page.getByRole("button", { name: "Отправить обращение" }).click();
  await expect(page.getByText(/Файл «скан\.tif» \(7,0 МБ\) больше 7 МБ/)).toBeVisible();
  if (js) {
    await page.getByRole("button", { name: "Отправить обращение" }).click();
    await expect(page).toHaveURL(/\/appeals\/new/);
  } else {
    // Without script the server refused it and the page kept what was typed.
    await expect(page.getByLabel(/^Текст обращения/)).toHaveValue("Прошу проверить начисления за октябрь.");
  }
  await page.getByLabel(/^Файлы/).setInputFiles([
    { name: "квитанция.pdf", mimeType: "application/pdf", buffer: PDF },
    { name: "счетчик.png", mimeType: "image/png", buffer: PNG },
  ]);
  const number = await send(page, "Отправить обращение");
  await expect(page.getByRole("link", { name: /Скачать файл «квитанция\.pdf»/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /Скачать файл «счетчик\.png»/ })).toBeVisible();

  // Staff find it, take it and answer with a file.
  const staff = await staffPage(browser, js);
  await staff.getByLabel("Поиск").fill(number);
  await staff.getByRole("button", { name: "Показать" }).click();
  await staff.getByRole("link", { name: number }).click();
  await staff.getByRole("button", { name: "Взять в работу" }).click();
  await expect(staff.getByRole("status")).toContainText("Взять в работу");
  await expect(staff.locator(".summary")).toContainText("В работе");
  await staff.getByLabel("Комментарий для заявителя").fill("Перерасчет выполнен, акт сверки во вложении.");
  await staff.getByLabel(/^Файлы к ответу/).setInputFiles([{ name: "акт.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await staff.getByRole("button", { name: "Ответить" }).click();
  await expect(staff.getByText("Перерасчет выполнен, акт сверки во вложении.").first()).toBeVisible();

  // The customer sees the answer, its file and the notice.
  await open(page, `/cases/${number}`, js);
  await expect(page.locator(".message__body").filter({ hasText: "Перерасчет выполнен, акт сверки во вложении." })).toBeVisible();
  const act = page.getByRole("link", { name: /Скачать файл «акт\.pdf»/ });
  const download = await page.request.get((await act.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toMatch(/^attachment/);
  await expect(page.getByRole("link", { name: /Уведомления/ }).first()).toContainText(/\d/);
  await open(page, "/notices", js);
  await expect(page.getByRole("heading", { name: `Ответ по обращению № ${number}` })).toBeVisible();

  // A message to the open case.
  await open(page, `/cases/${number}`, js);
  await page.getByLabel("Сообщение", { exact: true }).fill("Спасибо, акт получил.");
  await page.getByRole("button", { name: "Отправить сообщение" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сообщение отправлено." })).toBeVisible();
  await expect(page.locator(".message__body").filter({ hasText: "Спасибо, акт получил." })).toBeVisible();

  // Staff close it; the customer rates the answer.
  await staff.reload();
  await expect(staff.locator(".message__body").filter({ hasText: "Спасибо, акт получил." })).toBeVisible();
  await staff.getByRole("button", { name: "Закрыть" }).click();
  await expect(staff.locator(".summary")).toContainText("Закрыто");
  await staff.context().close();
  expect(staffErrors, "the staff browser stays clean").toEqual([]);
  await open(page, `/cases/${number}`, js);
  await page.getByRole("radio", { name: "5" }).check();
  await page.getByRole("button", { name: "Оценить" }).click();
  await expect(page.getByText("Ваша оценка ответа: 5 из 5")).toBeVisible();
  await expect(page.getByRole("button", { name: "Отправить сообщение" })).toHaveCount(0);
});

test("applications of three topics, a required field, and a document sent and downloaded", async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const js = withJs(testInfo);
  await customerWithAccount(page, request, 0);
  const topic = async (title: string) => {
    await open(page, "/applications/new", js);
    await page.getByRole("link", { name: title, exact: true }).click();
    await expect(page.getByText(title, { exact: true })).toBeVisible();
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  };
  const consent = () => page.getByRole("checkbox", { name: /Политикой обработки персональных данных/ }).check();

  // «Заказать акт сверки»: the period.
  await topic("Заказать акт сверки");
  await page.getByLabel(/^Период с/).fill("2026-01-01");
  await page.getByLabel(/^Период по/).fill("2026-10-31");
  await consent();
  await send(page, "Отправить заявление");
  await expect(page.getByText("01.01.2026")).toBeVisible();

  // «Заявление на возврат денежных средств»: bank details checked by their control digits.
  await topic("Заявление на возврат денежных средств");
  await page.getByLabel(/^Сумма к возврату/).fill("1500,50");
  await page.getByLabel(/^Получатель/).fill("Петрова Анна");
  await page.getByLabel(/^БИК банка/).fill("044525225");
  await page.getByLabel(/^Номер счета получателя/).fill("40817810938160925983");
  await consent();
  await page.getByRole("button", { name: "Отправить заявление" }).click();
  await expect(page.getByText("Номер счета не соответствует БИК банка")).toBeVisible();
  await page.getByLabel(/^Номер счета получателя/).fill("40817810938160925982");
  if (!js) await consent();
  await send(page, "Отправить заявление");
  await expect(page.getByText(/1\s500,50 руб\./)).toBeVisible();

  // «Заявление на перерасчет по причине временного отсутствия»: dates and a document.
  await topic("Заявление на перерасчет по причине временного отсутствия");
  await page.getByLabel(/^Дата начала отсутствия/).fill("2026-10-01");
  await page.getByLabel(/^Дата окончания отсутствия/).fill("2026-10-20");
  await page.getByLabel(/^Выбрать документ/).setInputFiles([{ name: "справка.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await consent();
  await send(page, "Отправить заявление");
  await expect(page.getByRole("link", { name: /Скачать файл «справка\.pdf»/ })).toBeVisible();

  // U-DOC-3: an empty required field is named.
  await topic("Заявление свободной формы");
  await page.getByRole("button", { name: "Отправить заявление" }).click();
  await expect(page.getByText(REQUIRED).first()).toBeVisible();
  await expect(page).toHaveURL(/\/applications\/new/);

  // «Мои заявления» lists the three.
  await open(page, "/documents", js);
  await expect(page.getByRole("link", { name: "Заказать акт сверки" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Заявление на возврат денежных средств" })).toBeVisible();

  // U-DOC-1: [Загрузить документ], then [Скачать документ].
  await page.getByRole("link", { name: "Загрузить документ" }).click();
  await page.getByLabel(/^Тип документов/).selectOption("Судебный приказ");
  await page.getByLabel(/^Файл документа/).setInputFiles([{ name: "приказ.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await send(page, "Отправить документ");
  await open(page, "/documents", js);
  const link = page.getByRole("link", { name: /Скачать документ «приказ\.pdf»/ });
  await expect(link).toBeVisible();
  const file = await page.request.get((await link.getAttribute("href"))!);
  expect(file.status()).toBe(200);
  expect(Buffer.from(await file.body()).equals(PDF)).toBeTruthy();
});

test("a second customer cannot open the first one's files", async ({ page, request, browser }, testInfo) => {
  const js = withJs(testInfo);
  await customerWithAccount(page, request, 0);
  await open(page, "/appeals/new", js);
  await page.getByLabel(/^Тема обращения/).selectOption("Оплата");
  await page.getByLabel(/^Текст обращения/).fill("Платеж не отразился.");
  await page.getByLabel(/^Файлы/).setInputFiles([{ name: "чек.pdf", mimeType: "application/pdf", buffer: PDF }]);
  const number = await send(page, "Отправить обращение");
  const href = (await page.getByRole("link", { name: /Скачать файл «чек\.pdf»/ }).getAttribute("href"))!;

  const { phone: other } = await phoneBrowser(browser, js);
  const otherPhone = newPhone();
  await registerCustomer(other.request, otherPhone);
  await signInByPhone(other, otherPhone);
  expect((await other.request.get(href)).status()).toBe(403);
  await other.goto(`/cases/${number}`);
  await expect(other.getByRole("heading", { name: "Обращение не найдено" })).toBeVisible();
  // The forms fit a phone's screen.
  await open(other, "/appeals/new", false);
  const width = await other.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await other.context().close();
});

test("an account's «Обращения» shows its appeals alone, and a new appeal starts with it (U-ACC-6)", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  // A customer of its own per project (the accounts may be shared: a person sees only their own cases).
  const { number: first } = await customerWithAccount(page, request, 5);
  const second = await bindDemoAccount(page, 6);
  await open(page, "/", js);
  await page.getByRole("link", { name: `Лицевой счет № ${second}`, exact: true }).first().click();
  const sections = page.getByRole("navigation", { name: "Разделы лицевого счета" });
  await sections.getByRole("link", { name: "Обращения", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Обращения", level: 1 })).toBeVisible();
  await expect(page.getByText(`По лицевому счету № ${second}.`)).toBeVisible();
  await expect(sections.getByRole("link", { name: "Обращения", exact: true })).toHaveAttribute("aria-current", "page");
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);

  await page.getByRole("link", { name: "Написать новое обращение" }).click();
  await expect(page.getByRole("heading", { name: "Новое обращение" })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await expect(page.getByLabel(/^Номер лицевого счета/).locator("option:checked")).toHaveText(second);
  await page.getByLabel(/^Тема обращения/).selectOption("Начисления и перерасчеты");
  await page.getByLabel(/^Текст обращения/).fill("Прошу проверить показания по второму счету.");
  const number = await send(page, "Отправить обращение");

  // The second account's history has it; the first account's does not; all accounts do.
  const idOf = async (n: string) => {
    await open(page, "/", js);
    const href = await page.getByRole("link", { name: `Лицевой счет № ${n}`, exact: true }).first().getAttribute("href");
    return (href ?? "").match(/account=(\d+)/)?.[1] ?? "";
  };
  const [a, b] = [await idOf(first), await idOf(second)];
  await open(page, `/appeals?account=${b}`, js);
  await expect(page.locator(`a[href="/cases/${number}"]`)).toBeVisible();
  await open(page, `/appeals?account=${a}`, js);
  await expect(page.getByText(`По лицевому счету № ${first}.`)).toBeVisible();
  await expect(page.locator(`a[href="/cases/${number}"]`)).toHaveCount(0);
  await page.getByRole("link", { name: "Показать по всем лицевым счетам" }).click();
  await expect(page.locator(`a[href="/cases/${number}"]`)).toBeVisible();
});
