import { test as base, expect, Page, APIRequestContext } from "@playwright/test";

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
 * data-hydrated once its effects run).
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
    const match = messages[0]?.body?.match(/Код подтверждения: (\d{6})/);
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
