import { test, expect, open, withJs } from "../fixtures";

// The phone experience (#8, U-ACC-7): the portal installs as an app (a web manifest with
// icons and the theme colour), and with its service worker a page that cannot load offline
// shows «Нет соединения с интернетом» instead of the browser's error. Pages with the
// customer's data are never kept for offline use.

test.use({ serviceWorkers: "allow" });

test("the manifest names the app, its start page and icons that load", async ({ page, request }, testInfo) => {
  const js = withJs(testInfo);
  await open(page, "/login", js);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", "#0b5cad");
  const response = await request.get(href!);
  expect(response.ok()).toBeTruthy();
  expect(response.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: "Личный кабинет", lang: "ru", start_url: "/", display: "standalone" });
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(manifest.icons.some((i: { purpose?: string }) => i.purpose === "maskable")).toBeTruthy();
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const image = await request.get(icon.src);
    expect(image.ok(), icon.src).toBeTruthy();
    expect(image.headers()["content-type"], icon.src).toContain(icon.type);
  }
  const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
  expect((await request.get(touch!)).ok()).toBeTruthy();
});

test("offline, a page shows the offline page, and the cabinet comes back with the network", async ({ page, context }, testInfo) => {
  test.skip(!withJs(testInfo), "the service worker is installed by the page's script");
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, "/login", true);
  // Installed and in control of the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 10_000 }).toBe(true);

  // The network goes while a page is open: a banner says so, and goes when it is back.
  await context.setOffline(true);
  const banner = page.getByRole("status").filter({ hasText: "Нет соединения с интернетом" });
  await expect(banner).toBeVisible();
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);

  await context.setOffline(true);
  await page.goto("/login?by=phone");
  await expect(page.getByRole("heading", { name: "Нет соединения с интернетом" })).toBeVisible();
  // Nothing of the portal's pages was kept: the page itself is not shown offline.
  await expect(page.getByLabel("Телефон")).toHaveCount(0);
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll).toBeLessThanOrEqual(width);

  await context.setOffline(false);
  await page.getByRole("link", { name: "Попробовать еще раз" }).click();
  await expect(page.getByLabel("Телефон")).toBeVisible();
  await expect(page).toHaveURL(/\/login\?by=phone$/);
});
