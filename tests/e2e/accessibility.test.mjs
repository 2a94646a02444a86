// axe-core (WCAG 2.1 A/AA rules) on the main pages, at phone and tablet width, in Russian
// and Kazakh.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { controls, newContext, PHONE, signInWithPin, TABLET, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";
import { newProposal } from "../support/outbox.mjs";
import { sqlite } from "../support/server.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const env = withServerAndBrowser();

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

for (const [width, viewport] of [["phone", PHONE], ["tablet", TABLET]]) {
  for (const language of ["ru", "kk"]) {
    test(`home and village pages pass axe at ${width} width in ${language}`, async () => {
      const { server, browser } = env;
      // axe is injected as an inline script, which the app's CSP rightly refuses.
      const context = await newContext(browser, { viewport, bypassCSP: true, signInAs: { url: server.url } });
      await context.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const page = await context.newPage();
      await page.goto(server.url);
      await waitForHydration(page);
      assert.equal(await page.locator("html").getAttribute("lang"), language);
      assert.deepEqual(await violations(page), [], "home page");

      await page.goto(server.url + (await page.locator(".card a").first().getAttribute("href")));
      await waitForHydration(page);
      assert.deepEqual(await violations(page), [], "village page");
      await context.close();
    });

    test(`sign-in, PIN, account, persons, audit and admin pages pass axe at ${width} width in ${language}`, async () => {
      const { server, browser } = env;
      const anonymous = await newContext(browser, { viewport, bypassCSP: true });
      await anonymous.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const signInPage = await anonymous.newPage();
      await signInPage.goto(`${server.url}/sign-in`);
      await waitForHydration(signInPage);
      assert.deepEqual(await violations(signInPage), [], "sign-in page");
      await anonymous.close();

      const context = await newContext(browser, { viewport, bypassCSP: true, signInAs: { url: server.url, login: "demo.admin" } });
      await context.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const page = await context.newPage();
      for (const path of ["/pin", "/account", "/audit", "/admin/accounts", "/admin/map", "/admin/places"]) {
        await page.goto(server.url + path);
        await waitForHydration(page);
        assert.deepEqual(await violations(page), [], `${path} page`);
      }
      await context.close();

      const inspector = await newContext(browser, { viewport, bypassCSP: true, signInAs: { url: server.url, login: "demo.inspector" } });
      await inspector.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const persons = await inspector.newPage();
      await persons.goto(`${server.url}/persons`);
      await waitForHydration(persons);
      assert.deepEqual(await violations(persons), [], "persons page");
      await persons.goto(server.url + (await persons.locator("#persons a").first().getAttribute("href")));
      await waitForHydration(persons);
      await persons.waitForSelector("#person-name");
      assert.deepEqual(await violations(persons), [], "person page");
      await inspector.close();
    });
  }
}

// The offline pages of issues 4 and 5: forms, lists kept on the device, the status bar and the
// outbox with an entry waiting — axe, fit, 44 px controls and labels.
for (const [width, viewport] of [["phone", PHONE], ["tablet", TABLET]]) {
  for (const language of ["ru", "kk"]) {
    test(`offline forms, lists, status bar and outbox pass axe and fit at ${width} width in ${language}`, async () => {
      const { server, browser } = env;
      const context = await newContext(browser, { viewport, bypassCSP: true });
      await context.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const page = await context.newPage();
      await signInWithPin(page, server.url, "demo.inspector");
      // The entry cannot get through, so the outbox has one waiting and the bar a problem.
      await page.route("**/api/v1/sync/push", (route) => route.abort("connectionreset"));
      await newProposal(page, server.url, { author: "Проверка доступности", body: "…" });
      const paths = ["/proposals/new", "/events/new", "/tasks/new", "/tasks", "/proposals", "/events", "/outbox"];
      // Issue 5's pages: the other kinds' lists (with their filter bars) and forms.
      paths.push("/offences", "/offences/new", "/visits", "/visits/new", "/meetings", "/meetings/new", "/decisions", "/decisions/new", "/persons/new");
      // Issue 6: the list of village maps and a village's map with its tools.
      const sepe = sqlite(server.database, "SELECT id FROM villages WHERE name_ru = 'Сепе'")[0][0];
      paths.push("/map", `/villages/${sepe}/map`);
      // Issue 20: a village's council, the member form and the members import.
      paths.push(`/villages/${sepe}/council`, "/members/new", `/villages/${sepe}/council/import`);
      for (const path of paths) {
        await page.goto(server.url + path);
        await waitForHydration(page);
        await page.waitForSelector("#sync-bar");
        if (path.endsWith("/new")) await page.waitForSelector("#village_id option", { state: "attached" });
        if (path === "/outbox") await page.waitForSelector("#outbox-list li");
        if (path.endsWith("/map") && path !== "/map") await page.waitForSelector("#village-map .leaflet-control-zoom");
        assert.deepEqual(await violations(page), [], `${path} page`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${path} fits ${viewport.width}px (${wide}px too wide)`);
        const found = await controls(
          page,
          "main button, main select, main input:not([type=checkbox]), main textarea, main a.button, main label.check, #sync-bar button, #sync-bar a",
        );
        assert.ok(found.length >= 2, `${path} has its controls`);
        for (const c of found) {
          assert.ok(c.height >= 44, `${path}: ${c.tag}#${c.id} "${c.text}" is ${c.height}px tall at ${viewport.width}px`);
          assert.ok(c.text.length > 0, `${path}: ${c.tag}#${c.id} has a label`);
        }
      }
      await context.close();
    });
  }
}
