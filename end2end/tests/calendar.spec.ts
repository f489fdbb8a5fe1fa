import { test, expect, open, withJs, staffBrowser } from "../fixtures";

// The production calendar in the back-office (M-7; issue «The B2B platform»): a senior
// specialist sets a day apart — a date that does not exist first, refused next to the field —
// sees it framed among the year's months and returns it to the rules. A far year, so that no
// deadline of the other tests moves. JavaScript off and on.

test("a senior specialist sets a day apart and returns it to the rules", async ({ browser }, testInfo) => {
  const js = withJs(testInfo);
  const staff = await staffBrowser(browser, js, "supervisor", 360);
  const year = js ? 2098 : 2099;
  await open(staff, `/staff/calendar?year=${year}`, js);
  await expect(staff.getByRole("heading", { name: `Производственный календарь на ${year} год` })).toBeVisible();
  await staff.getByRole("textbox", { name: "Дата", exact: true }).fill(`31.02.${year}`);
  await staff.getByRole("button", { name: "Сохранить" }).click();
  await expect(staff.getByText("Укажите дату в виде ДД.ММ.ГГГГ, с 2000 по 2100 год")).toBeVisible();

  // 15 July is a Tuesday in 2098 and a Wednesday in 2099: made a day off.
  await staff.getByRole("textbox", { name: "Дата", exact: true }).fill(`15.07.${year}`);
  await staff.getByRole("combobox", { name: "День", exact: true }).selectOption("0");
  await staff.getByLabel("Примечание").fill("региональный праздник");
  await staff.getByRole("button", { name: "Сохранить" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "Календарь сохранен." })).toBeVisible();
  const changed = staff.locator(".exceptions li").filter({ hasText: `15.07.${year}` });
  await expect(changed).toContainText("выходной (региональный праздник)");
  await expect(staff.getByLabel(`15.07.${year} — выходной, изменен`)).toBeVisible();

  await changed.getByRole("button", { name: `Вернуть 15.07.${year} к общим правилам` }).click();
  await expect(staff.locator(".exceptions li").filter({ hasText: `15.07.${year}` })).toHaveCount(0);
  await expect(staff.getByText("В этом году все дни — по общим правилам.")).toBeVisible();
  await staff.context().close();
});
