// End-to-end stories in headless Debian Chromium against the real server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chooseLanguage, controls, newContext, openMenu, openUnderWorker, PHONE, TABLET, waitForActiveServiceWorker, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";

describe("the app shell in Chromium", () => {
  const env = withServerAndBrowser();

  test("(a) on a phone the page hydrates: the menu opens and a link navigates in the browser", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(server.url);
    await waitForHydration(page);

    const toggle = page.locator("button.menu-toggle");
    const nav = page.locator("#main-nav");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await nav.isVisible(), false, "the menu is folded on a phone");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await nav.isVisible(), true);

    // A client-side navigation: the document stays, the page content changes.
    await page.evaluate(() => (window.__sameDocument = true));
    await nav.getByRole("link", { name: "Задачи" }).click();
    await page.waitForURL(/\/tasks$/);
    assert.equal(await page.locator("main h1").textContent(), "Задачи");
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "no full page load");
    assert.equal(await nav.isVisible(), false, "following a link folds the menu");
    assert.deepEqual(errors, [], "no script errors and no Content-Security-Policy refusals");
    await context.close();
  });

  test("the village picker opens a village page with its council", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url } });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForHydration(page);
    await openMenu(page);
    await page.getByLabel("Село", { exact: true }).selectOption({ label: "Сепе" });
    await page.waitForURL(/\/villages\/[0-9a-f-]{36}$/);
    await page.waitForSelector("#village-name");
    assert.equal(await page.locator("#village-name").textContent(), "Сепе");
    assert.equal(await page.locator("#village-district").textContent(), "Атбасарский район");
    assert.equal(await page.locator("#council-members > li").count(), 5);
    await context.close();
  });

  test("pages with loading sections of their own hydrate without errors (header and menu have none)", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url, login: "demo.admin" } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && /hydrat|panicked/.test(m.text()) && errors.push(`${page.url()}: ${m.text().slice(0, 200)}`));
    await page.goto(server.url);
    await waitForHydration(page);
    await openMenu(page);
    await page.getByLabel("Село", { exact: true }).selectOption({ label: "Сепе" });
    await page.waitForSelector("#village-results");
    // A full load of the village page (the picker rendered it in the browser).
    const village = page.url();
    for (const address of [village, `${server.url}/admin/accounts`, `${server.url}/admin/places`, `${server.url}/audit`]) {
      await page.goto(address);
      await waitForHydration(page);
      // Loading sections hydrate once their data is in: give them the time to.
      await page.waitForLoadState("networkidle");
    }
    assert.deepEqual(errors, [], "no hydration panic");
    await context.close();
  });

  test("(b) switching to Kazakh shows Kazakh text and survives a reload", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url } });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForHydration(page);
    assert.equal(await page.locator("main h1").textContent(), "Главная");
    await chooseLanguage(page, "kk");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Басты бет");
    assert.equal(await page.locator('button[data-locale="kk"]').getAttribute("aria-pressed"), "true");
    assert.equal(await page.locator("html").getAttribute("lang"), "kk");
    assert.equal(await page.locator("button.menu-toggle .menu-text").textContent(), "Мәзір");

    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.locator("main h1").textContent(), "Басты бет", "the server renders Kazakh after reload");
    assert.equal(await page.locator("#villages-title").textContent(), "Бағдарламадағы ауылдар");
    await context.close();
  });

  test("(c) the page links a manifest and registers an active service worker", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url } });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForHydration(page);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), href);
    assert.equal(manifest.display, "standalone");
    const script = await waitForActiveServiceWorker(page);
    assert.match(script, /\/sw\.js$/);
    const caches = await page.evaluate(async () => caches.keys());
    assert.ok(caches.some((name) => /^zq-shell-[0-9a-f]{16}$/.test(name)), `a build-named cache: ${caches}`);
    await context.close();
  });

  test("(d) after one online visit the shell opens and hydrates with the network off", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url } });
    const page = await context.newPage();
    await openUnderWorker(page, server.url);
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null));

    await context.setOffline(true);
    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.locator("main h1").textContent(), "Главная");
    assert.equal(await page.locator("#villages-title").textContent(), "Сёла программы");
    assert.equal(await page.locator(".card").count(), 17, "the villages seen online are shown (13 and the demo's 4 comparison villages)");
    await page.waitForSelector('.network[data-online="false"]');
    const badge = await page.locator(".network").textContent();
    assert.match(badge, /Нет сети/);
    // Hydrated, not just painted: the menu still answers.
    await page.locator("button.menu-toggle").click();
    assert.equal(await page.locator("#main-nav").isVisible(), true);

    // A page never opened online leads to the home page instead of an error.
    await page.goto(`${server.url}/reports`);
    await waitForHydration(page);
    assert.equal(new URL(page.url()).pathname, "/");
    await context.setOffline(false);
    await context.close();
  });

  test("the phone and tablet layouts fit the screen; every control is at least 44 px and labelled", async () => {
    const { server, browser } = env;
    for (const viewport of [PHONE, TABLET]) {
      const context = await newContext(browser, { viewport, signInAs: { url: server.url } });
      const page = await context.newPage();
      await page.goto(server.url);
      await waitForHydration(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `nothing sticks out sideways at ${viewport.width}px (${overflow}px)`);
      if (viewport === PHONE) await page.locator("button.menu-toggle").click();
      const found = await controls(page, "button, select, nav a, .card a");
      assert.ok(found.length > 10, `found the controls (${found.length})`);
      for (const c of found) {
        assert.ok(c.height >= 44 && c.width >= 44, `${c.tag} "${c.text}" is ${c.width}x${c.height} at ${viewport.width}px`);
        assert.ok(c.text.length > 0, `${c.tag} has an accessible label`);
      }
      await context.close();

      // The forms: every field and button as tall as a finger, and labelled.
      const admin = await newContext(browser, { viewport, signInAs: { url: server.url, login: "demo.admin" } });
      const forms = await admin.newPage();
      for (const path of ["/account", "/admin/accounts", "/audit"]) {
        await forms.goto(server.url + path);
        await waitForHydration(forms);
        const wide = await forms.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${path} fits ${viewport.width}px (${wide}px too wide)`);
        const fields = await controls(forms, "main button, main select, main input:not([type=checkbox]):not([type=radio]), main label.check");
        assert.ok(fields.length >= 3, `${path} has its form`);
        for (const f of fields) {
          assert.ok(f.height >= 44, `${path}: ${f.tag}#${f.id} is ${f.height}px tall at ${viewport.width}px`);
          assert.ok(f.text.length > 0, `${path}: ${f.tag}#${f.id} has a label`);
        }
      }
      await admin.close();
    }
  });
});
