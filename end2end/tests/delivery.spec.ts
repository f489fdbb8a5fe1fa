import { test, expect, open, withJs, customerWithAccount, fits } from "../fixtures";

// «Профиль» → «Способ получения квитанции» (U-PRF-4) and «Рассылка уведомлений и рекламной
// продукции» (U-PRF-5), JavaScript off and on, on a desktop and at 360 px.

for (const width of [360, 1280]) {
  test(`the receipt goes electronically to an address of its own (${width} px)`, async ({ page, request }, testInfo) => {
    const js = withJs(testInfo);
    await page.setViewportSize({ width, height: 800 });
    const { email, number } = await customerWithAccount(page, request, 1);
    await open(page, "/profile", js);
    await page.getByRole("link", { name: "Способ получения квитанции" }).click();
    await expect(page.getByRole("heading", { name: "Способ получения квитанции" })).toBeVisible();
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    const line = page.locator(".receipt-line").filter({ hasText: `Лицевой счет № ${number}` });
    await expect(line).toContainText("Бумажная квитанция");
    await fits(page);

    // The profile's e-mail is not confirmed: an address is needed.
    await page.getByLabel("Электронная квитанция").check();
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.getByText("Укажите адрес электронной почты: в профиле нет подтвержденного адреса")).toBeVisible();
    await expect(line).toContainText("Бумажная квитанция");

    const address = `kvit.${Date.now()}@example.ru`;
    await page.getByLabel(/^Адрес электронной почты/).fill(address);
    await expect(page.getByLabel("Электронная квитанция")).toBeChecked();
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Способ получения квитанции сохранен." })).toBeVisible();
    await expect(line).toContainText(`Электронная квитанция на ${address}`);

    // The profile keeps its own e-mail (U-PRF-4).
    await open(page, "/profile", js);
    await expect(page.getByText(email)).toBeVisible();
  });

  test(`notifications are chosen per channel and advertising needs its consent (${width} px)`, async ({ page, request }, testInfo) => {
    const js = withJs(testInfo);
    await page.setViewportSize({ width, height: 800 });
    await customerWithAccount(page, request, 1);
    await open(page, "/profile", js);
    await page.getByRole("link", { name: "Рассылка уведомлений и рекламной продукции" }).click();
    await expect(page.getByRole("heading", { name: "Рассылка уведомлений и рекламной продукции" })).toBeVisible();
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await fits(page);

    const adsByEmail = page.getByRole("checkbox", { name: "Акции и рекламная информация: E-mail" });
    const readingsBySms = page.getByRole("checkbox", { name: "Напоминания о передаче показаний: SMS" });
    const consent = page.getByRole("checkbox", { name: /Согласен на получение рекламной информации/ });
    // Advertising is off by default, every other notice on.
    await expect(adsByEmail).not.toBeChecked();
    await expect(readingsBySms).toBeChecked();
    await expect(consent).not.toBeChecked();

    await adsByEmail.check();
    await readingsBySms.uncheck();
    const required = page.getByText("Чтобы получать рекламу, отметьте согласие на получение рекламной информации");
    if (js) await expect(required).toBeVisible(); // live, before sending
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(required).toBeVisible();
    // What was ticked is still there.
    await expect(adsByEmail).toBeChecked();
    await expect(readingsBySms).not.toBeChecked();

    await consent.check();
    if (js) await expect(required).toBeHidden();
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Настройки рассылки сохранены." })).toBeVisible();

    // Kept: the page opened again shows the choice.
    await open(page, "/profile/notifications", js);
    await expect(adsByEmail).toBeChecked();
    await expect(readingsBySms).not.toBeChecked();
    await expect(consent).toBeChecked();
  });
}
