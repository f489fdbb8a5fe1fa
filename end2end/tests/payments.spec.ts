import { Page, APIRequestContext } from "@playwright/test";
import { test, expect, open, withJs, newPhone, registerCustomer, signInByPhone, phoneBrowser, readCode } from "../fixtures";

// Payments (U-PAY-6..8, U-ALL-1, U-PRF-6) through the sandbox acquirer: the payment page with
// and without script, SBP by a QR code read by a phone, a bank card (declined, then paid),
// one payment over all accounts, and autopay running on its day. Each project pays into its
// own two demo accounts (they owe money), typing its own amounts, so that the tests running
// side by side never depend on each other's payments.

const BELOW_MINIMUM = "Сумма к оплате должна быть не менее 10,00 руб.";
const SUCCEEDED = "Оплата прошла успешно. Спасибо!";
const FAILED = /Оплата не прошла\. Деньги не списаны/;
const QR_NAME = "QR-код для оплаты через Систему быстрых платежей";

type DemoAccount = { branch: string; number: string; proof: string; bound: boolean };

/** The two demo accounts of this project. */
function accountsFor(js: boolean): DemoAccount[] {
  const all: DemoAccount[] = JSON.parse(process.env.KABINET_E2E_DEMO ?? "[]");
  const spare = all.filter((a) => !a.bound).slice(3);
  if (spare.length < 4) throw new Error("the demo has fewer than four spare accounts");
  return js ? spare.slice(0, 2) : spare.slice(2, 4);
}

/** A new customer, signed in, with this project's two accounts bound; their ids. */
async function customer(page: Page, request: APIRequestContext, js: boolean): Promise<number[]> {
  const phone = newPhone();
  await registerCustomer(request, phone);
  await signInByPhone(page, phone);
  const branches = await (await page.request.post("/api/accounts/branches")).json();
  const ids: number[] = [];
  for (const account of accountsFor(js)) {
    const branch = branches.find((b: { name: string }) => b.name === account.branch);
    const linked = await page.request.post("/api/accounts/link", {
      form: { branch: String(branch.id), number: account.number, proof: account.proof },
    });
    expect(linked.ok(), await linked.text()).toBeTruthy();
  }
  const cards: { id: number; number: string }[] = await (await page.request.post("/api/accounts/list")).json();
  for (const account of accountsFor(js)) {
    ids.push(cards.find((c) => c.number === account.number)!.id);
  }
  return ids;
}

/** Ticks only the `index`-th line (of those on the page) and types its amount. */
async function payOnly(page: Page, index: number, amount: string): Promise<void> {
  const boxes = page.getByRole("checkbox", { name: /^Оплатить: / });
  const count = await boxes.count();
  for (let i = 0; i < count; i++) {
    if (i === index) await boxes.nth(i).check();
    else await boxes.nth(i).uncheck();
  }
  await page.getByRole("textbox", { name: /^Сумма, руб\.: / }).nth(index).fill(amount);
}

async function chooseAndPay(page: Page, method: RegExp): Promise<void> {
  await page.getByRole("radio", { name: method }).check();
  await page.getByRole("checkbox", { name: "С правилами оплаты ознакомлен(а)" }).check();
  await page.getByRole("button", { name: "Оплатить", exact: true }).click();
}

/** The sandbox bank's card page: number, expiry, CVC, then the 3-D Secure code. */
async function payByCard(page: Page, number: string): Promise<void> {
  await page.getByLabel("Номер карты").fill(number);
  await page.getByLabel("Срок действия (ММ/ГГ)").fill("12/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Продолжить" }).click();
  await page.getByLabel("Код из SMS").fill("12345");
  await page.getByRole("button", { name: "Подтвердить" }).click();
}

test("below 10,00 руб. a line is stopped next to its field, with and without script", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const [account] = await customer(page, request, js);
  await open(page, `/accounts/${account}/pay`, js);
  await expect(page.getByRole("heading", { name: "Оплата", exact: true })).toBeVisible();
  await payOnly(page, 0, "9,99");
  if (js) {
    // Checked as the customer types, by the same rule as the server's; [Оплатить] waits.
    await expect(page.getByText(BELOW_MINIMUM)).toBeVisible();
    await page.getByRole("radio", { name: /СБП/ }).check();
    await page.getByRole("checkbox", { name: "С правилами оплаты ознакомлен(а)" }).check();
    await expect(page.getByRole("button", { name: "Оплатить", exact: true })).toBeDisabled();
    await page.getByRole("textbox", { name: /^Сумма, руб\.: / }).first().fill("10");
    await expect(page.getByText(BELOW_MINIMUM)).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Оплатить", exact: true })).toBeEnabled();
  } else {
    // Without script the server refuses and names the field; the rules box is missing too.
    await page.getByRole("radio", { name: /СБП/ }).check();
    await page.getByRole("button", { name: "Оплатить", exact: true }).click();
    await expect(page.getByText(BELOW_MINIMUM)).toBeVisible();
    await expect(page.getByText("Подтвердите, что ознакомились с правилами оплаты.")).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/accounts/${account}/pay`));
    await expect(page.getByRole("textbox", { name: /^Сумма, руб\.: / }).first()).toHaveValue("9,99");
  }
});

test("СБП: a phone reads the QR code, the bank app pays, the page shows success by itself", async ({ page, request, browser }, testInfo) => {
  const js = withJs(testInfo);
  const amount = js ? "123,45" : "234,56";
  const [account] = await customer(page, request, js);
  await open(page, `/accounts/${account}/pay`, js);
  await payOnly(page, 0, amount);
  if (js) await expect(page.getByText(`Итого к оплате: ${amount} руб.`)).toBeVisible();
  await chooseAndPay(page, /СБП/);
  await expect(page).toHaveURL(/\/payments\/\d+$/);
  await expect(page.getByText(/Ссылка действует еще \d+:\d\d/)).toBeVisible();
  const link = await readCode(page, QR_NAME);
  expect(link).toMatch(/\/sandbox\/sbp\/sbx-[0-9a-f]+$/);

  // The phone opens the link: the bank app shows the payee and the amount.
  const { phone, errors } = await phoneBrowser(browser, js);
  await phone.goto(link);
  await expect(phone.getByText(`${amount} руб.`)).toBeVisible();
  await phone.getByRole("button", { name: "Оплатить" }).click();
  await expect(phone.getByText(/Платеж выполнен/)).toBeVisible();
  expect(errors).toEqual([]);

  // The computer's page learns the result without anyone touching it.
  await expect(page.getByRole("status").filter({ hasText: SUCCEEDED })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: "К истории оплат" }).click();
  const month = page.getByRole("region", { name: "Оплаты текущего месяца" });
  await expect(month).toContainText(amount);
  await expect(month).toContainText("СБП в личном кабинете");
});

test("a bank card: a wrong number, a declined card, then a paid advance", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const [, account] = await customer(page, request, js);
  await open(page, `/accounts/${account}/pay`, js);
  await payOnly(page, 0, "45");
  await chooseAndPay(page, /Банковская карта/);
  // The acquirer's card page (the sandbox's).
  await expect(page.getByRole("heading", { name: "Оплата банковской картой" })).toBeVisible();
  await page.getByLabel("Номер карты").fill("4111 1111 1111 1112");
  await page.getByLabel("Срок действия (ММ/ГГ)").fill("12/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Продолжить" }).click();
  await expect(page.getByText("Номер карты указан с ошибкой.")).toBeVisible();
  await payByCard(page, "4000 0000 0000 0002");
  await expect(page).toHaveURL(/\/payments\/\d+$/);
  await expect(page.getByRole("alert").filter({ hasText: FAILED })).toBeVisible({ timeout: 20_000 });

  // Again, more than the debt (an advance), with a card that works.
  await page.getByRole("link", { name: "Оплатить снова" }).click();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  await payOnly(page, 0, "999");
  await chooseAndPay(page, /Банковская карта/);
  await payByCard(page, "4111 1111 1111 1111");
  await expect(page.getByRole("status").filter({ hasText: SUCCEEDED })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: "К истории оплат" }).click();
  await expect(page.getByRole("region", { name: "Оплаты текущего месяца" })).toContainText("999,00");
});

test("one payment over all accounts, each with its own amount (U-ALL-1)", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  await customer(page, request, js);
  await open(page, "/", js);
  await page.getByRole("link", { name: "Оплатить по всем лицевым счетам" }).click();
  await expect(page.getByRole("heading", { name: "Оплатить по всем лицевым счетам" })).toBeVisible();
  const [first, second] = accountsFor(js);
  await expect(page.getByRole("rowgroup").filter({ hasText: `Лицевой счет № ${first.number}` })).toHaveCount(1);
  await expect(page.getByRole("rowgroup").filter({ hasText: `Лицевой счет № ${second.number}` })).toHaveCount(1);
  const boxes = page.getByRole("checkbox", { name: /^Оплатить: / });
  const amounts = page.getByRole("textbox", { name: /^Сумма, руб\.: / });
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  const firstLine = page.getByRole("checkbox", { name: new RegExp(`лицевой счет № ${first.number}$`) }).first();
  const secondLine = page.getByRole("checkbox", { name: new RegExp(`лицевой счет № ${second.number}$`) }).first();
  await firstLine.check();
  await secondLine.check();
  await page.getByRole("textbox", { name: new RegExp(`лицевой счет № ${first.number}$`) }).first().fill("11");
  await page.getByRole("textbox", { name: new RegExp(`лицевой счет № ${second.number}$`) }).first().fill("12");
  expect(await amounts.count()).toBeGreaterThan(2);
  if (js) await expect(page.getByText("Итого к оплате: 23,00 руб.")).toBeVisible();
  await chooseAndPay(page, /Банковская карта/);
  await payByCard(page, "4111 1111 1111 1111");
  await expect(page.getByRole("status").filter({ hasText: SUCCEEDED })).toBeVisible({ timeout: 20_000 });
  const lines = page.getByRole("table", { name: "Состав платежа" });
  await expect(lines).toContainText(first.number);
  await expect(lines).toContainText(second.number);
  await expect(page.getByText("23,00 руб.").first()).toBeVisible();
});

test("autopay: a card saved at the bank, the debt paid on the chosen day, then turned off", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const [account] = await customer(page, request, js);
  // [Подключить автоплатеж] of the account's block (U-ACC-4).
  await open(page, `/?account=${account}`, js);
  await page.locator(".account-overview").getByRole("link", { name: "Подключить автоплатеж" }).click();
  await expect(page.getByRole("heading", { name: "Подключенные платежные реквизиты" })).toBeVisible();
  const block = page.locator(`#account-${account}`);
  // The test clock says 20 November: the 20th is today.
  await block.getByLabel("День списания (1–28)").fill("20");
  await block.getByLabel("Не более, руб. в месяц").fill("150000");
  await block.getByRole("button", { name: "Сохранить карту и подключить" }).click();
  await expect(page.getByRole("heading", { name: "Сохранение карты" })).toBeVisible();
  await payByCard(page, "4111 1111 1111 1111");
  await expect(page).toHaveURL(/\/profile\/autopay\?done=bound/);
  // The bank's notice saves the card; the day has come, so the debt is paid at once.
  await expect
    .poll(async () => {
      await page.reload();
      return await block.innerText();
    }, { timeout: 20_000 })
    .toMatch(/Автоплатеж подключен: карта •••• 1111, 20-го числа/);
  await open(page, `/accounts/${account}/billing?tab=payments`, js);
  await expect
    .poll(async () => {
      await page.reload();
      return await page.locator("main").innerText();
    }, { timeout: 20_000 })
    .toMatch(/автоплатеж/);
  // Off again.
  await open(page, "/profile/autopay", js);
  await block.getByRole("button", { name: /Отключить автоплатеж/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Автоплатеж отключен." })).toBeVisible();
  await expect(block.getByRole("button", { name: /Отключить автоплатеж/ })).toHaveCount(0);
});
