import { test, expect, open, withJs, staffBrowser } from "../fixtures";

// The company registry in the back-office (M-5, S-8; issue «The B2B platform»): a wrong
// control digit is named next to the search field, a search by ИНН finds the demo's
// documented company and its card shows the register's data; a search by the beginning of a
// name finds the organisation and its branch. JavaScript off and on, 360 px.

test("staff find a company by ИНН or name and open its card", async ({ browser }, testInfo) => {
  const js = withJs(testInfo);
  const staff = await staffBrowser(browser, js, "operator", 360);
  await staff.getByRole("link", { name: "Реестр компаний" }).click();
  await expect(staff.getByRole("heading", { name: "Реестр компаний" })).toBeVisible();
  if (js) await expect(staff.locator("body[data-hydrated]")).toHaveCount(1);
  const search = staff.getByLabel("ИНН, ОГРН или начало названия");
  await search.fill("2225007313");
  await staff.getByRole("button", { name: "Найти" }).click();
  await expect(staff.getByText("Неверное контрольное число ИНН")).toBeVisible();
  await search.fill("2225007312");
  await staff.getByRole("button", { name: "Найти" }).click();
  await staff.getByRole("link", { name: "ООО «Северный ветер»" }).click();
  await expect(staff.getByRole("heading", { name: "ООО «Северный ветер»" })).toBeVisible();
  const card = staff.locator(".summary");
  await expect(card).toContainText("1192225000813");
  await expect(card).toContainText("Соколов Андрей Викторович");
  await expect(card).toContainText("Алтайский край (22)");

  await open(staff, "/staff/companies?q=" + encodeURIComponent("тестовый завод"), js);
  const found = staff.getByRole("table", { name: "Найденные компании" });
  await expect(found.getByRole("row")).toHaveCount(3);
  await expect(found).toContainText("540243001");
  await staff.context().close();
});
