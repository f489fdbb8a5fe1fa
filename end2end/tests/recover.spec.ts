import { test, expect, open, withJs, newPhone, codeFor, registerCustomer, signInByPhone } from "../fixtures";

// Password recovery (U-AUTH-3) and e-mail confirmation (U-REG-7), JavaScript off and on.

test("a forgotten password is replaced with a code from the SMS", async ({ page, request }, testInfo) => {
  const phone = newPhone();
  await registerCustomer(request, phone);
  await open(page, "/login?by=phone", withJs(testInfo));
  await page.getByRole("link", { name: "Восстановить пароль" }).click();
  await expect(page.getByRole("heading", { name: "Восстановление пароля" })).toBeVisible();
  await expect(page.getByText("информационный центр по телефону")).toBeVisible();
  await page.getByLabel("Телефон").fill(phone);
  await page.getByRole("button", { name: "Направить код подтверждения" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Код подтверждения отправлен" })).toBeVisible();
  await page.getByLabel(/^Код подтверждения/).fill(await codeFor(request, phone));
  await page.getByLabel(/^Введите новый пароль/).fill("Nw7$garden");
  await page.getByLabel(/^Подтверждение пароля/).fill("Nw7$garden");
  await page.getByRole("button", { name: "Сменить пароль" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Пароль изменен. Войдите с новым паролем." })).toBeVisible();
  await signInByPhone(page, phone, "Nw7$garden");
});

test("the e-mail is confirmed with a code after the first sign-in", async ({ page, request }, testInfo) => {
  const phone = newPhone();
  const email = await registerCustomer(request, phone);
  await signInByPhone(page, phone);
  if (withJs(testInfo)) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const section = page.getByRole("region", { name: "Подтверждение адреса электронной почты" });
  await expect(section).toContainText(email);
  await section.getByRole("button", { name: "Направить код подтверждения" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Код подтверждения отправлен на ${email}` })).toBeVisible();
  await page.getByLabel(/^Код подтверждения/).fill(await codeFor(request, email));
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Адрес электронной почты подтвержден." })).toBeVisible();
  await expect(page.getByRole("region", { name: "Подтверждение адреса электронной почты" })).toHaveCount(0);

  // A confirmed e-mail signs in with the password on the «По почте» tab (U-AUTH-1).
  await page.getByRole("button", { name: "Выход" }).click();
  await expect(page.getByRole("heading", { name: "Вход в личный кабинет" })).toBeVisible();
  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByLabel(/^Пароль/).fill("Kx9#mePlank");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Петрова Анна" })).toBeVisible();
});
