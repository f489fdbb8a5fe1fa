import AxeBuilder from "@axe-core/playwright";
import { Page, TestInfo } from "@playwright/test";
import { test, expect, open, withJs, customerWithAccount } from "../fixtures";

// Accessibility (U-ACC-7, #8): axe-core reports no violation of WCAG 2.1 A and AA on any page
// of the cabinet and the back-office, at 360 px and 1280 px, as the server renders it (before
// the WASM) and after hydration. Every page also fits a 360 px screen without sideways
// scrolling.
//
// axe runs as a script in the page, so the "no-js" variant keeps JavaScript on and gives the
// page an application script that does nothing: what is checked is the server's HTML.

test.use({ javaScriptEnabled: true });
// Dozens of pages per test: each page is quick, the list is long.
test.describe.configure({ timeout: 180_000 });

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function prepare(page: Page, testInfo: TestInfo, width: number): Promise<boolean> {
  const js = withJs(testInfo);
  await page.setViewportSize({ width, height: 800 });
  if (!js) {
    await page.route(/\/pkg\/[^/]+\.js$/, (route) =>
      route.fulfill({
        contentType: "text/javascript",
        body: "export default async function init() {}\nexport function hydrate() {}\n",
      }),
    );
  }
  return js;
}

/** Opens `path` and checks it with axe and for sideways scrolling. */
async function check(page: Page, path: string, js: boolean, problems: string[]): Promise<void> {
  await open(page, path, js);
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  for (const v of results.violations) {
    const where = v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`);
    problems.push(`${path}: ${v.id} (${v.impact}) ${v.help}\n    ${where.join("\n    ")}`);
  }
  const [scroll, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (scroll > viewport) problems.push(`${path}: ${scroll} px wide in a ${viewport} px window`);
}

async function checkAll(page: Page, paths: string[], js: boolean, problems: string[]): Promise<void> {
  for (const path of paths) await check(page, path, js, problems);
}

const SIGNED_OUT = [
  "/login",
  "/login?by=phone",
  "/register",
  "/recover",
  "/agreement",
  "/qr",
  "/payments/rules",
  "/staff/login",
];

const STAFF = [
  "/staff",
  "/staff/settings",
  "/staff/team",
  "/staff/audit",
  "/staff/shop",
  "/staff/promotions",
  "/staff/polls",
  "/staff/offices",
  "/staff/companies?q=" + encodeURIComponent("Тестовый"),
  "/staff/companies/1",
  "/staff/calendar",
];

for (const width of [360, 1280]) {
  test(`signed-out pages have no WCAG 2.1 A/AA violations (${width} px)`, async ({ page }, testInfo) => {
    const js = await prepare(page, testInfo, width);
    const problems: string[] = [];
    await checkAll(page, SIGNED_OUT, js, problems);
    expect(problems).toEqual([]);
  });

  test(`the cabinet's pages have no WCAG 2.1 A/AA violations (${width} px)`, async ({ page, request }, testInfo) => {
    const js = await prepare(page, testInfo, width);
    // The demo customer: three accounts with charges, payments and meters.
    await page.goto("/login?by=phone");
    await page.getByLabel("Телефон").fill("+7 (900) 000-00-01");
    await page.getByLabel(/^Пароль/).fill("Demo-2026!");
    await page.getByRole("button", { name: "Войти" }).click();
    await expect(page.locator(".cabinet-header")).toBeVisible();
    // The accounts come after the header (their own part of the page, loaded after sign-in).
    await expect(page.locator('a[href$="/rename"]').first()).toBeAttached();
    const renames = await page.locator('a[href$="/rename"]').evaluateAll((links) =>
      links.map((a) => (a.getAttribute("href") ?? "").split("/")[2]),
    );
    expect(renames.length, "the demo customer's accounts").toBeGreaterThan(0);
    const id = renames[0];
    const problems: string[] = [];
    await checkAll(
      page,
      [
        "/",
        "/profile",
        "/profile/receipts",
        "/profile/notifications",
        "/profile/autopay",
        "/accounts/add",
        `/accounts/${id}/details`,
        `/accounts/${id}/billing`,
        `/accounts/${id}/meters`,
        `/accounts/${id}/pay`,
        `/accounts/${id}/rename`,
        `/accounts/${id}/remove`,
        "/readings",
        "/pay-all",
        "/appeals",
        "/appeals/new",
        "/documents",
        "/applications/new",
        "/notices",
        "/assistant",
        "/video",
        "/faq",
        "/shop",
        "/promotions",
        "/polls",
        "/contacts",
        "/contacts/booking",
        "/contacts/callback",
        "/consultant",
      ],
      js,
      problems,
    );

    // Pages about the customer's own things: a poll, an order, its payment. A new customer
    // (with an account of its own to order for) does these; the demo customer stays as it is.
    await page.context().clearCookies();
    await customerWithAccount(page, request, 2);
    await open(page, "/polls", js);
    const poll = await page.locator('a[href^="/polls/"]').first().getAttribute("href");
    await open(page, "/shop", js);
    const item = await page.locator('a[href^="/shop/"]').first().getAttribute("href");
    for (const path of [poll, item]) await check(page, path ?? "/polls/0", js, problems);
    await page.getByRole("button", { name: "Оформить заказ" }).click();
    await expect(page).toHaveURL(/\/cases\//);
    await check(page, new URL(page.url()).pathname, js, problems);
    await page.getByRole("radio", { name: /СБП/ }).check();
    await page.getByRole("checkbox", { name: "С правилами оплаты ознакомлен(а)" }).check();
    await page.getByRole("button", { name: "Оплатить заказ" }).click();
    await expect(page).toHaveURL(/\/payments\/\d+$/);
    await check(page, new URL(page.url()).pathname, js, problems);
    expect(problems).toEqual([]);
  });

  test(`the back-office's pages have no WCAG 2.1 A/AA violations (${width} px)`, async ({ page, request }, testInfo) => {
    const js = await prepare(page, testInfo, width);
    // A question to the consultant, for a case card of the back-office.
    await customerWithAccount(page, request, 2);
    await page.goto("/consultant");
    await page.getByLabel("Ваш вопрос").fill("Когда придет квитанция за ноябрь?");
    await page.getByRole("button", { name: "Отправить вопрос" }).click();
    await expect(page).toHaveURL(/\/cases\//);
    const number = new URL(page.url()).pathname.split("/").pop();
    await page.context().clearCookies();
    await page.goto("/staff/login");
    await page.getByLabel("Логин").fill("supervisor");
    await page.getByLabel(/^Пароль/).fill("Staff-2026!");
    await page.getByRole("button", { name: "Войти" }).click();
    await expect(page.getByRole("heading", { name: "Очередь обращений" })).toBeVisible();
    const problems: string[] = [];
    await checkAll(page, [...STAFF, `/staff/cases/${number}`], js, problems);
    expect(problems).toEqual([]);
  });
}
