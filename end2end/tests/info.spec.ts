import { Browser, Page } from "@playwright/test";
import { test, expect, open, withJs, customerWithAccount, fits, staffBrowser } from "../fixtures";

// The information sections (U-INF-1, U-ACC-3, U-ACC-7): the shop order, the callback and the
// web consultant as cases; a poll answered once; booking a free time and cancelling it, seen
// by staff; the main page's general links and promotions. JavaScript off and on, 360 px and
// 1280 px.

const ACCEPTED = "Ваше обращение принято в работу.";

function staffPage(browser: Browser, js: boolean, width: number): Promise<Page> {
  return staffBrowser(browser, js, "supervisor", width);
}

for (const width of [360, 1280]) {
  test(`the main page links the sections; an order, a callback and a question reach staff (${width} px)`, async ({ page, request, browser }, testInfo) => {
    // Four journeys in one customer's visit, with a back-office page beside it: near 30 s on
    // a loaded 2-core machine, so it has three times the default.
    test.slow();
    const js = withJs(testInfo);
    await page.setViewportSize({ width, height: 800 });
    await customerWithAccount(page, request, 2);
    await open(page, "/", js);
    const links = page.getByRole("navigation", { name: "Общие разделы" });
    for (const name of ["Интернет-магазин", "Вопросы и ответы", "Опросы", "Акции", "Контакты", "Уведомления"]) {
      await expect(links.getByRole("link", { name, exact: true })).toBeVisible();
    }
    // The demo's promotion, in the slider.
    await expect(page.locator(".promotion-slider")).toContainText("Поверка счетчиков воды");
    await fits(page);

    // «Акции» and «Вопросы и ответы» (by category, with a search that works without script).
    await links.getByRole("link", { name: "Акции", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Поверка счетчиков воды со скидкой 20 %" })).toBeVisible();
    await expect(page.locator(".promotion__dates")).toContainText(/^с \d\d\.\d\d\.2026 по \d\d\.\d\d\.2026$/);
    await fits(page);
    await open(page, "/faq", js);
    await expect(page.getByRole("heading", { name: "Оплата", exact: true })).toBeVisible();
    await page.getByLabel("Поиск по вопросам").fill("комиссии");
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page.getByText("Как оплатить без комиссии?")).toBeVisible();
    await expect(page.getByText("Как добавить еще один лицевой счет?")).toHaveCount(0);
    await fits(page);

    await open(page, "/", js);
    await links.getByRole("link", { name: "Интернет-магазин", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Интернет-магазин" })).toBeVisible();
    await fits(page);
    await page.getByRole("link", { name: "Заказать: Поверка прибора учета воды на месте" }).click();
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await page.getByLabel("Комментарий").fill("Удобно после 18:00");
    await page.getByRole("button", { name: "Оформить заказ" }).click();
    await expect(page.getByRole("status").filter({ hasText: ACCEPTED })).toBeVisible();
    await expect(page.locator(".summary")).toContainText("900,00");
    // The price is paid like any payment: checked first, then by SBP in the (sandbox) bank app.
    await page.getByRole("button", { name: "Оплатить заказ" }).click();
    await expect(page.getByText("Выберите способ оплаты.")).toBeVisible();
    await expect(page.getByText("Подтвердите, что ознакомились с правилами оплаты.")).toBeVisible();
    await page.getByRole("radio", { name: /СБП/ }).check();
    await page.getByRole("checkbox", { name: "С правилами оплаты ознакомлен(а)" }).check();
    await page.getByRole("button", { name: "Оплатить заказ" }).click();
    await expect(page).toHaveURL(/\/payments\/\d+$/);
    await expect(page.getByText(/Оплата заказа № /)).toBeVisible();
    const bank = await page.locator(".pay-open-bank").getAttribute("href");
    const app = await page.context().newPage();
    await app.goto(bank!);
    await app.getByRole("button", { name: "Оплатить" }).click();
    await expect(app.getByText(/Платеж выполнен/)).toBeVisible();
    await app.close();
    await expect(page.getByRole("status").filter({ hasText: "Оплата прошла успешно. Спасибо!" })).toBeVisible({ timeout: 20_000 });
    await page.getByRole("link", { name: "К заказу" }).click();
    await expect(page.getByText("Заказ оплачен: 900,00 руб.")).toBeVisible();

    await open(page, "/contacts", js);
    await expect(page.getByRole("heading", { name: "Офисы обслуживания" })).toBeVisible();
    await expect(page.getByText("г. Рязань, ул. Садовая, д. 10")).toBeVisible();
    await fits(page);
    await page.getByRole("link", { name: "Заказ обратного звонка" }).click();
    await page.getByLabel(/^Тема разговора/).fill("Перерасчет за октябрь");
    await page.getByLabel("Удобное время").selectOption("С 12:00 до 15:00");
    await page.getByRole("button", { name: "Заказать звонок" }).click();
    await expect(page.getByRole("status").filter({ hasText: ACCEPTED })).toBeVisible();
    await expect(page.locator(".summary")).toContainText("С 12:00 до 15:00");

    await open(page, "/consultant", js);
    await page.getByRole("button", { name: "Отправить вопрос" }).click();
    await expect(page.getByText("Поле обязательно для заполнения")).toBeVisible();
    await page.getByLabel("Ваш вопрос").fill("Как поменять тариф на двухзонный?");
    await page.getByRole("button", { name: "Отправить вопрос" }).click();
    await expect(page.getByRole("status").filter({ hasText: ACCEPTED })).toBeVisible();
    await expect(page.locator(".message__body").filter({ hasText: "Как поменять тариф на двухзонный?" })).toBeVisible();

    // The consultant answers in the queue. With script the answer appears in the open
    // conversation by itself and a half-typed message stays; without, on the next load.
    const number = (await page.getByRole("heading", { level: 1 }).innerText()).replace(/^.*№ /, "");
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await page.getByLabel("Сообщение", { exact: true }).fill("И еще вопрос про");
    const staff = await staffPage(browser, js, width);
    await open(staff, `/staff/cases/${number}`, js);
    await staff.getByRole("button", { name: "Взять в работу" }).click();
    await expect(staff.locator(".summary")).toContainText("В работе");
    await staff.getByLabel("Комментарий для заявителя").fill("Подайте заявление на замену счетчика.");
    await staff.getByRole("button", { name: "Ответить" }).click();
    await expect(staff.locator(".message__body").filter({ hasText: "Подайте заявление на замену счетчика." })).toBeVisible();
    if (!js) await page.reload();
    const answer = page.getByRole("log", { name: "Переписка" }).locator(".message--staff");
    await expect(answer).toContainText("Подайте заявление на замену счетчика.", { timeout: 15_000 });
    if (js) await expect(page.getByLabel("Сообщение", { exact: true })).toHaveValue("И еще вопрос про");
    // And the other way: the customer's next message appears in the open back-office card.
    await page.getByLabel("Сообщение", { exact: true }).fill("И еще вопрос про поверку.");
    await page.getByRole("button", { name: "Отправить сообщение" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Сообщение отправлено." })).toBeVisible();
    if (!js) await staff.reload();
    const question = staff.getByRole("log", { name: "Переписка" }).locator(".message__body");
    await expect(question.filter({ hasText: "И еще вопрос про поверку." })).toBeVisible({ timeout: 15_000 });
    await staff.context().close();
  });

  test(`a poll is answered once (${width} px)`, async ({ page, request }, testInfo) => {
    const js = withJs(testInfo);
    await page.setViewportSize({ width, height: 800 });
    await customerWithAccount(page, request, 2);
    await open(page, "/polls", js);
    await page.getByRole("link", { name: "Качество обслуживания" }).click();
    await expect(page.getByRole("heading", { name: "Качество обслуживания" })).toBeVisible();
    if (js) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await fits(page);
    await page.getByRole("radio", { name: "Хорошо" }).check();
    await page.getByRole("button", { name: "Отправить ответ" }).click();
    // Two questions left unanswered: named next to them, nothing sent.
    await expect(page.locator(".field__error").filter({ hasText: /Выберите вариант ответа$/ })).toBeVisible();
    await expect(page.getByText("Поле обязательно для заполнения")).toBeVisible();
    if (!js) await page.getByRole("radio", { name: "Хорошо" }).check();
    await page.getByRole("checkbox", { name: "СБП" }).check();
    await page.getByRole("checkbox", { name: "Банковская карта" }).check();
    await page.getByLabel("Что нам улучшить?").fill("Напоминать о поверке");
    await page.getByRole("button", { name: "Отправить ответ" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Спасибо! Ваш ответ принят." })).toBeVisible();
    await open(page, "/polls", js);
    await expect(page.locator(".poll-line").filter({ hasText: "Качество обслуживания" })).toContainText("Ответ отправлен");
    await page.getByRole("link", { name: "Качество обслуживания" }).click();
    await expect(page.getByText("Вы ответили на этот опрос")).toBeVisible();
    await expect(page.getByRole("button", { name: "Отправить ответ" })).toHaveCount(0);
  });

  test(`an appointment is booked, seen by staff and cancelled (${width} px)`, async ({ page, request, browser }, testInfo) => {
    const js = withJs(testInfo);
    await page.setViewportSize({ width, height: 800 });
    await customerWithAccount(page, request, 2);
    // Each variant books on its own day, so that parallel runs never want the same time.
    const day = `2026-11-${21 + (js ? 2 : 0) + (width === 360 ? 0 : 1)}`;
    const shown = `${day.slice(8, 10)}.11.2026`;
    await open(page, "/contacts/booking", js);
    await page.getByLabel("Офис").selectOption({ label: "Северный офис — г. Рязань, ул. Интернациональная, д. 3" });
    await page.getByLabel("День").fill(day);
    await page.getByRole("button", { name: "Показать свободное время" }).click();
    await expect(page.getByRole("group", { name: /Свободное время, Северный офис/ })).toBeVisible();
    await fits(page);
    const first = page.locator(".slot").first();
    const time = (await first.innerText()).trim();
    await first.locator("input").check();
    await page.getByLabel(/^Цель визита/).fill("Замена счетчика");
    await page.getByRole("button", { name: "Записаться" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Вы записаны на прием." })).toBeVisible();
    const booking = page.locator(".booking").filter({ hasText: `${shown} ${time}` });
    await expect(booking).toContainText("предстоит");

    const staff = await staffPage(browser, js, width);
    await open(staff, `/staff/offices?day=${day}`, js);
    await expect(staff.locator(".booking").filter({ hasText: `${shown} ${time}` })).toContainText("Замена счетчика");
    await staff.context().close();

    await booking.getByRole("button", { name: /Отменить запись/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Запись на прием отменена." })).toBeVisible();
    await expect(page.locator(".booking").filter({ hasText: `${shown} ${time}` })).toContainText("отменена");
  });
}
