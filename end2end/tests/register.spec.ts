import { test, expect, open, withJs, newPhone, codeFor, registerCustomer } from "../fixtures";
import type { Page } from "@playwright/test";

// Registration journey (U-REG-1..7, U-AUTH-1, U-AUTH-4): details, code from the outbox,
// consent, sign-in with the new password, sign-out. Runs with JavaScript off and on.

async function fillDetails(page: Page, phone: string, email: string): Promise<void> {
  await page.getByLabel(/^Фамилия/).fill("Петрова");
  await page.getByLabel(/^Имя/).fill("Анна");
  await page.getByLabel(/^Номер телефона/).fill(phone);
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Пароль/).fill("Kx9#mePlank");
  await page.getByLabel(/^Повторите пароль/).fill("Kx9#mePlank");
}

test("a customer registers with the code from the SMS, signs in and out", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const phone = newPhone();
  await open(page, "/", js);
  await page.getByRole("link", { name: "Зарегистрироваться" }).click();
  await expect(page.getByRole("heading", { name: "Введите регистрационные данные" })).toBeVisible();
  if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await fillDetails(page, phone, `anna.${Date.now()}@mail.ru`);
  if (js) {
    // The checklist follows the password as it is typed.
    await expect(page.getByRole("list", { name: "Требования к паролю" }).getByText("цифра")).toBeVisible();
  }
  await page.getByRole("button", { name: "Направить код подтверждения" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Код подтверждения отправлен на номер" })).toBeVisible();

  const register = page.getByRole("button", { name: "Зарегистрироваться" });
  await page.getByLabel(/^Код подтверждения/).fill(await codeFor(request, phone));
  if (js) {
    // Available only once the agreement is accepted (U-REG-5).
    await expect(register).toBeDisabled();
  }
  await expect(page.getByRole("link", { name: "Соглашение об использовании личного кабинета" })).toBeVisible();
  await page.getByLabel("Я ознакомился и согласился с политикой обработки персональных данных").check();
  await expect(register).toBeEnabled();
  await register.click();

  // U-REG-7: the sign-in page opens.
  await expect(page.getByRole("status").filter({ hasText: "Регистрация завершена" })).toBeVisible();
  await page.getByRole("link", { name: "По номеру" }).click();
  await page.getByLabel("Телефон").fill(phone);
  await page.getByLabel(/^Пароль/).fill("Kx9#mePlank");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("heading", { name: "Петрова Анна" })).toBeVisible();

  await page.getByRole("button", { name: "Выход" }).click();
  await expect(page.getByRole("heading", { name: "Вход в личный кабинет" })).toBeVisible();
});

test("a phone that already has a cabinet is refused with the manual's message", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  const phone = newPhone();
  await registerCustomer(request, phone);

  await open(page, "/register", js);
  await fillDetails(page, phone, `second.${Date.now()}@mail.ru`);
  await page.getByRole("button", { name: "Направить код подтверждения" }).click();
  await expect(
    page.getByText("На указанный номер уже зарегистрирован личный кабинет. Внесите другой номер телефона."),
  ).toBeVisible();
});

test("a name with digits is refused next to the field", async ({ page }, testInfo) => {
  const js = withJs(testInfo);
  await open(page, "/register", js);
  await fillDetails(page, newPhone(), `x.${Date.now()}@mail.ru`);
  await page.getByLabel(/^Фамилия/).fill("Петрова2");
  const message = "Допустимы только русские или латинские буквы, дефис «-» и тире «—»";
  if (js) {
    await page.getByLabel(/^Имя/).focus();
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByRole("button", { name: "Направить код подтверждения" })).toBeDisabled();
  } else {
    await page.getByRole("button", { name: "Направить код подтверждения" }).click();
    await expect(page.getByText(message)).toBeVisible();
  }
});
