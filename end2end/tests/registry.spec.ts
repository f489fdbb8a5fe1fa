import { test, expect, open, withJs, staffBrowser } from "../fixtures";

// The company registry in the back-office (M-5, S-8; issue «The B2B platform»): a search by
// ИНН finds the demo's documented company, a wrong control digit is named next to the field;
// a senior specialist corrects a company — a wrong digit first, refused with nothing changed —
// and the card shows the correction. JavaScript off and on.

test("staff find a company by ИНН and a senior specialist corrects one", async ({ browser }, testInfo) => {
  const js = withJs(testInfo);
  const operator = await staffBrowser(browser, js, "operator", 360);
  await operator.getByRole("link", { name: "Реестр компаний" }).click();
  await expect(operator.getByRole("heading", { name: "Реестр компаний" })).toBeVisible();
  if (js) await expect(operator.locator("body[data-hydrated]")).toHaveCount(1);
  const search = operator.getByLabel("ИНН, ОГРН или начало названия");
  await search.fill("2225007313");
  await operator.getByRole("button", { name: "Найти" }).click();
  await expect(operator.getByText("Неверное контрольное число ИНН")).toBeVisible();
  await search.fill("2225007312");
  await operator.getByRole("button", { name: "Найти" }).click();
  await operator.getByRole("link", { name: "ООО «Северный ветер»" }).click();
  await expect(operator.locator(".summary")).toContainText("Соколов Андрей Викторович, генеральный директор");
  await expect(operator.getByText("Исправлять сведения могут старший специалист и администратор.")).toBeVisible();
  await operator.context().close();

  // A generated company, so that the documented ones stay as they are.
  const senior = await staffBrowser(browser, js, "supervisor", 360);
  await open(senior, "/staff/companies?q=" + encodeURIComponent("Альфа"), js);
  const first = senior.getByRole("table", { name: "Найденные компании" }).getByRole("link").first();
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(senior.getByRole("heading", { name: title })).toBeVisible();
  if (js) await expect(senior.locator("body[data-hydrated]")).toHaveCount(1);
  const inn = senior.getByRole("textbox", { name: "ИНН", exact: true });
  const original = await inn.inputValue();
  const wrong = original.slice(0, -1) + String((Number(original.slice(-1)) + 1) % 10);
  const head = `Проверкин ${js ? "Скрипт" : "Форма"} ${Date.now() % 100000}`;
  await inn.fill(wrong);
  await senior.getByRole("textbox", { name: "Руководитель", exact: true }).fill(head);
  await senior.getByRole("button", { name: "Сохранить" }).click();
  await expect(senior.getByText("Неверное контрольное число ИНН")).toBeVisible();
  await expect(senior.locator(".summary")).not.toContainText(head);

  await senior.getByRole("textbox", { name: "ИНН", exact: true }).fill(original);
  await senior.getByRole("textbox", { name: "Руководитель", exact: true }).fill(head);
  await senior.getByRole("button", { name: "Сохранить" }).click();
  await expect(senior.getByRole("status").filter({ hasText: "Сведения сохранены." })).toBeVisible();
  await expect(senior.locator(".summary")).toContainText(head);
  await open(senior, "/staff/audit", js);
  await expect(senior.getByRole("table").first()).toContainText(`→ ${head}`);
  await senior.context().close();
});
