import { test, expect, withJs, signInByPhone, customerWithAccount } from "../fixtures";
import { Page } from "@playwright/test";

// «Передать показания» (U-MTR-3, U-MTR-4) on the demo customer's accounts: with JavaScript the
// two-zone meter of № 100000001 (consumption shown as the customer types), without it the
// hot-water meter of № 200000002 whose dial stands at 99 997 (the next reading rolls over).
// The test clock says 20 November: the window (15th–25th) is open.

const DEMO_PHONE = "+7 (900) 000-00-01";
const DEMO_PASSWORD = "Demo-2026!";
const LOWER = "Показание не принято! Введенные показания меньше ранее переданных показаний. Проверьте корректность ввода";

/** The reading input of a row whose meter caption matches. */
function input(page: Page, caption: RegExp) {
  return page.getByRole("textbox", { name: caption });
}

/** The last accepted reading of a row, as a number (thousandths dropped). */
async function previous(page: Page, caption: RegExp): Promise<number> {
  const row = page.getByRole("row", { name: caption });
  const text = (await row.locator("td").first().innerText()).replace(/\s/g, "").replace(/\u202F/g, "");
  const match = text.match(/^(\d+)(?:,(\d+))?/);
  if (!match) throw new Error(`no previous reading in «${text}»`);
  return Number(match[1]);
}

async function openMeters(page: Page, number: string): Promise<void> {
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await page.getByRole("link", { name: `Лицевой счет № ${number}`, exact: true }).first().click();
  await expect(page.locator(".account-overview").getByRole("heading", { name: `Лицевой счет № ${number}` })).toBeVisible();
  await page.locator(".account-overview").getByRole("link", { name: "Приборы учета" }).click();
  await expect(page.getByRole("heading", { name: "Приборы учета" })).toBeVisible();
}

test("readings of a two-zone meter: live consumption, a lower value refused, a correction, a high one confirmed", async ({ page }, testInfo) => {
  test.skip(!withJs(testInfo), "the journey without script is the next test");
  await openMeters(page, "100000001");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const day = /Электроэнергия .*день/;
  const night = /Электроэнергия .*ночь/;
  const dayBefore = await previous(page, day);
  const nightBefore = await previous(page, night);

  // Lower than last month: refused as the customer types, in the manual's words.
  await input(page, day).fill(String(dayBefore - 5));
  await expect(page.getByText(LOWER)).toBeVisible();
  // «Расход» follows the typing.
  await input(page, day).fill(String(dayBefore + 120));
  await expect(page.getByRole("row", { name: day })).toContainText("120 кВт·ч");
  await input(page, night).fill(String(nightBefore + 45));
  await expect(page.getByRole("row", { name: night })).toContainText("45 кВт·ч");
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Показания переданы." })).toBeVisible();
  await expect(input(page, day)).toHaveValue(String(dayBefore + 120));

  // A correction within the window: the last value counts. (The first sending's message is
  // still on the page: wait for the server's answer to this one before reloading.)
  await input(page, day).fill(String(dayBefore + 110));
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/meters/submit") && r.ok());
  await page.getByRole("button", { name: "Передать показания" }).click();
  await saved;
  await expect(page.getByRole("status").filter({ hasText: "Показания переданы." })).toBeVisible();
  await page.reload();
  // Shown as the meter writes it, with thousands apart.
  expect((await input(page, day).inputValue()).replace(/\s/g, "")).toBe(String(dayBefore + 110));

  // Far above the usual: a warning, then a confirmation. The message of the earlier sending
  // does not stand beside a refused one.
  const sent = page.getByRole("status").filter({ hasText: "Показания переданы." });
  await input(page, night).fill(String(nightBefore + 5000));
  await expect(page.getByText(/Расход намного больше обычного/)).toBeVisible();
  await page.getByRole("button", { name: "Передать показания" }).click();
  await page.getByLabel("Показания верны, передать их").check();
  await expect(sent).toHaveCount(0);

  // A tab opened while the sending is on its way stays open when the answer arrives (the answer
  // is held back here until the tab is open).
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/meters/submit", async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/meters/submit"));
  await page.getByRole("button", { name: "Передать показания" }).click();
  await page.getByRole("link", { name: "Показания прибора учета" }).click();
  await expect(page).toHaveURL(/tab=history/);
  const table = page.getByRole("table", { name: "Показания приборов учета" });
  await expect(table).toBeVisible();
  release();
  expect((await answered).ok()).toBe(true);
  // Time for the page to act on the answer: a navigation it started would come at once.
  await page.waitForTimeout(300);
  // «Показания прибора учета» lists what was sent.
  await expect(table).toContainText("личный кабинет");
  await expect(page.getByRole("link", { name: "Показания прибора учета" })).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveURL(/tab=history/);
});

test("without script the server gives the same messages, and a roll-over is accepted", async ({ page }, testInfo) => {
  test.skip(withJs(testInfo), "the journey with script is the previous test");
  await openMeters(page, "200000002");
  const hot = /Горячее водоснабжение/;
  await expect(page.getByRole("row", { name: hot })).toContainText("99");

  const cold = /Холодное водоснабжение/;
  const coldBefore = await previous(page, cold);
  await input(page, cold).fill(String(coldBefore - 1));
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByText(LOWER)).toBeVisible();
  // What was typed comes back with the message.
  await expect(input(page, cold)).toHaveValue(String(coldBefore - 1));

  await input(page, cold).fill(String(coldBefore + 4));
  // 99 997 → 00 001 on a five-digit dial: 4 m³ across the wrap.
  await input(page, hot).fill("00001");
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Показания переданы." })).toBeVisible();
  await expect(input(page, hot)).toHaveValue("1,000");
});

test("readings for all accounts are sent in one go, with a message on the refused row", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await signInByPhone(page, DEMO_PHONE, DEMO_PASSWORD);
  await page.getByRole("link", { name: "Передать показания по всем лицевым счетам" }).click();
  await expect(page.getByRole("heading", { name: "Передать показания по всем лицевым счетам" })).toBeVisible();
  for (const number of ["100000001", "200000002", "300000003"]) {
    await expect(page.getByRole("heading", { name: `Лицевой счет № ${number}` })).toBeVisible();
  }
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  // Each project sends its own row of № 300000003 (the tests run side by side).
  const meter = js ? /Горячее водоснабжение № Г0000003/ : /Холодное водоснабжение № В0000003/;
  const before = await previous(page, meter);
  await input(page, meter).fill(String(before - 1));
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("row", { name: meter })).toContainText(LOWER);
  await input(page, meter).fill(String(before + 2));
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Показания переданы." })).toBeVisible();
});

test("[Сбросить показания] empties every input, the values sent this month included", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  // A customer of its own per project: the readings sent here touch no other test's account.
  const { number } = await customerWithAccount(page, request, js ? 3 : 4);
  await page.goto("/");
  await page.getByRole("link", { name: `Лицевой счет № ${number}`, exact: true }).first().click();
  await page.locator(".account-overview").getByRole("link", { name: "Приборы учета" }).click();
  await expect(page.getByRole("heading", { name: "Приборы учета" })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const inputs = page.locator("input.readings__input");
  const row = page.locator("tr.readings__row").filter({ has: inputs }).first();
  const first = row.locator("input.readings__input");
  // The last accepted reading, «нет» when the meter has none yet.
  const shown = (await row.locator("td").first().innerText()).replace(/[\s\u202F]/g, "");
  const before = Number(shown.match(/^(\d+)/)?.[1] ?? "0");
  await first.fill(String(before + 3));
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Показания переданы." })).toBeVisible();
  // Opened again, the page shows what was sent (as the meter writes it).
  const sent = new RegExp(`^${before + 3}(,0+)?$`);
  const value = async () => (await first.inputValue()).replace(/[\s\u202F]/g, "");
  await page.goto(new URL(page.url()).pathname);
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  expect(await value()).toMatch(sent);
  await inputs.last().fill("7");
  await page.getByRole("button", { name: "Сбросить показания" }).click();
  const count = await inputs.count();
  for (let i = 0; i < count; i++) await expect(inputs.nth(i)).toHaveValue("");
  await expect(page.getByRole("heading", { name: "Приборы учета" })).toBeVisible();
  // Nothing was sent by the reset: the last sending still stands.
  await page.goto(new URL(page.url()).pathname);
  expect(await value()).toMatch(sent);
});
