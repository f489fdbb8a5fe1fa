import { test as base, expect, Page, APIRequestContext, Browser } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Every test fails when the browser console shows an error (a hydration error, a CSP
 * violation, a failed request) or the page throws.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  baseURL: async ({}, use) => {
    const url = process.env.KABINET_E2E_URL;
    if (!url) throw new Error("KABINET_E2E_URL is not set: the global setup did not run");
    await use(url);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        // A refusal the page shows to the customer (4xx from a server function) is logged by
        // the browser as a failed load; those are checked below, by their address.
        if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) {
          errors.push(`console.${message.type()}: ${message.text()}`);
        }
      });
      page.on("response", (response) => {
        const status = response.status();
        const path = new URL(response.url()).pathname;
        if (status >= 500 || (status >= 400 && !path.startsWith("/api/"))) {
          errors.push(`response ${status} for ${path}`);
        }
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
      await use(errors);
      expect(errors, "the browser console stays clean").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Whether this project runs with JavaScript (and so hydrates). */
export function withJs(testInfo: { project: { use: { javaScriptEnabled?: boolean } } }): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens a page; with JavaScript, waits until it is hydrated (the WASM marks <body> with
 * data-hydrated once the whole page, its lazily loaded chunk included, is hydrated).
 */
export async function open(page: Page, path: string, js: boolean): Promise<void> {
  await page.goto(path);
  if (js) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
  }
}

/** A fresh Russian mobile number, written the way a person types it. */
export function newPhone(): string {
  const n = Math.floor(1_000_000 + Math.random() * 8_999_999);
  return `+7 (95${n % 10}) ${String(n).slice(0, 3)}-${String(n).slice(3, 5)}-${String(n).slice(5, 7)}`;
}

/** The newest confirmation code the development outbox holds for `to` (phone or e-mail). */
export async function codeFor(request: APIRequestContext, to: string): Promise<string> {
  const address = to.includes("@") ? to : "+7" + to.replace(/\D/g, "").slice(1);
  for (let i = 0; i < 20; i++) {
    const messages = await (await request.get(`/dev/outbox.json?to=${encodeURIComponent(address)}`)).json();
    // The newest message with a code (reminders and notices may come in between).
    const match = messages
      .map((m: { body?: string }) => m.body?.match(/Код подтверждения: (\d{6})/))
      .find((m: RegExpMatchArray | null | undefined) => m);
    if (match) return match[1];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no code was sent to ${address}`);
}

/** Registers a customer through the server functions the registration form posts to. */
export async function registerCustomer(
  request: APIRequestContext,
  phone: string,
  password = "Kx9#mePlank",
): Promise<string> {
  const email = `anna.${Date.now()}.${Math.floor(Math.random() * 1e6)}@mail.ru`;
  const started = await request.post("/api/auth/register/start", {
    form: { last_name: "Петрова", first_name: "Анна", phone, email, password, password_repeat: password },
  });
  expect(started.ok(), await started.text()).toBeTruthy();
  const draft = (await started.json()).token;
  const done = await request.post("/api/auth/register/complete", {
    form: { draft, code: await codeFor(request, phone), consent: "yes" },
  });
  expect(done.ok(), await done.text()).toBeTruthy();
  return email;
}

/** Signs in on the page by phone and password and waits for the cabinet. */
export async function signInByPhone(page: Page, phone: string, password = "Kx9#mePlank"): Promise<void> {
  await page.goto("/login?by=phone");
  await page.getByLabel("Телефон").fill(phone);
  await page.getByLabel(/^Пароль/).fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  // The cabinet's header, on a phone as on a desktop.
  await expect(page.locator(".cabinet-header")).toBeVisible();
}

type DemoAccount = { branch: string; number: string; proof: string; bound: boolean };

/**
 * A new customer, signed in on `page`, with the `index`-th of the demo's unbound accounts
 * bound (each spec keeps to its own, and none of them is paid into). Its e-mail (not
 * confirmed) and the account's number.
 */
export async function customerWithAccount(
  page: Page,
  request: APIRequestContext,
  index: number,
): Promise<{ email: string; number: string }> {
  const phone = newPhone();
  const email = await registerCustomer(request, phone);
  await signInByPhone(page, phone);
  return { email, number: await bindDemoAccount(page, index) };
}

/** Binds the `index`-th of the demo's unbound accounts to the customer signed in on `page`; its number. */
export async function bindDemoAccount(page: Page, index: number): Promise<string> {
  const all: DemoAccount[] = JSON.parse(process.env.KABINET_E2E_DEMO ?? "[]");
  const account = all.filter((a) => !a.bound)[index];
  const branches = await (await page.request.post("/api/accounts/branches")).json();
  const branch = branches.find((b: { name: string }) => b.name === account.branch);
  const linked = await page.request.post("/api/accounts/link", {
    form: { branch: String(branch.id), number: account.number, proof: account.proof },
  });
  expect(linked.ok(), await linked.text()).toBeTruthy();
  return account.number;
}

/** The page fits the window: nothing wider than the viewport. */
export async function fits(page: Page): Promise<void> {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, "no sideways scrolling").toBeLessThanOrEqual(width);
}

/** A phone: a separate browser 360 px wide, with or without JavaScript like the project. */
export async function phoneBrowser(browser: Browser, js: boolean): Promise<{ phone: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: process.env.KABINET_E2E_URL,
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: js,
    locale: "ru-RU",
  });
  const phone = await context.newPage();
  const errors: string[] = [];
  phone.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  phone.on("response", (response) => {
    if (response.status() >= 500) errors.push(`response ${response.status()} for ${response.url()}`);
  });
  return { phone, errors };
}

/** What a phone's camera reads: the link in the QR code image named `name` (decoded by zbarimg). */
export async function readCode(page: Page, name: string): Promise<string> {
  const image = page.getByRole("img", { name });
  await expect(image).toBeVisible();
  const shot = join(mkdtempSync(join(tmpdir(), "kabinet-qr-")), "code.png");
  // A renewed code is a new image still loading, and without script the page reloads itself:
  // read what is fully on the screen, a few times if need be.
  for (let attempt = 1; ; attempt++) {
    try {
      await expect
        .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 3_000 })
        .toBe(true);
      await image.screenshot({ path: shot, timeout: 2_000 });
      return execFileSync("zbarimg", ["--quiet", "--raw", shot]).toString().trim();
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.waitForTimeout(300);
    }
  }
}

/**
 * A staff member's browser of its own, signed in at /staff/login as `login` (password
 * `Staff-2026!`), with or without script; page errors and server errors seen in it are
 * pushed to `errors` when given (check them at the end of the test).
 */
export async function staffBrowser(
  browser: Browser,
  js: boolean,
  login: string,
  width = 1280,
  errors?: string[],
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: process.env.KABINET_E2E_URL,
    javaScriptEnabled: js,
    locale: "ru-RU",
    viewport: { width, height: 800 },
  });
  const page = await context.newPage();
  if (errors) {
    page.on("pageerror", (error) => errors.push(`staff page error: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 500) errors.push(`staff response ${response.status()} for ${response.url()}`);
    });
  }
  await open(page, "/staff/login", js);
  await page.getByLabel("Логин").fill(login);
  await page.getByLabel(/^Пароль/).fill("Staff-2026!");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("heading", { name: "Очередь обращений" })).toBeVisible();
  return page;
}
